"""Reads for the approvals area, each starting from the caller."""

from docregsys.reference.models import Announcement


def announcement_list_current(*, province_code: str | None = None):
    """Announcements in force: nationwide ones and, given a province, that province's."""
    qs = Announcement.objects.current().select_related("region")
    if province_code:
        qs = qs.filter(region__isnull=True) | qs.filter(region_id=province_code)
    return qs
