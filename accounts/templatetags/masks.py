"""{% load masks %}: personal numbers shown masked on pages (SPEC X-3)."""

from django import template

from docregsys.identity.crypto import mask_id_number

register = template.Library()


@register.filter
def mask_certificate_number(value: str) -> str:
    """资格证书编码 = year + province + category + the holder's full ID number: masked like the ID number."""
    return mask_id_number(value) if value else ""
