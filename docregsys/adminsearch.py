"""Admin search by ID number without the number in any URL (X-3): a POST, then an opaque token.

The changelist's ``?q=`` is a GET, so a typed ID number would land in the access log and the browser
history. ``IdNumberSearchMixin`` adds a small POST form above the list: the view keeps the number's
digest in the session under a random token and redirects to ``?idq=<token>``; the ``IdDigestFilter``
turns the token back into the digest. A ``?q=`` that looks like an ID or certificate number is
refused and dropped from the URL.
"""

import re
import secrets

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric

from docregsys.identity.crypto import id_number_digest, normalize_id_number

SESSION_KEY = "admin_id_search"
TOKEN_PARAM = "idq"
_TOKENS_KEPT = 20
_RESIDENT_ID = re.compile(r"^\d{17}[\dX]$")


def looks_personal(term: str) -> bool:
    """Whether a search term is a resident ID number or a 资格证书编码 (which holds one)."""
    term = normalize_id_number(term)
    if len(term) == 27 and term[:9].isdigit():
        term = term[9:]
    return bool(_RESIDENT_ID.match(term)) and ric.is_valid(term)


def token_for(request, digest: str) -> str:
    """A random token standing for `digest` in this session only (the last few are kept)."""
    tokens = dict(request.session.get(SESSION_KEY, {}))
    token = secrets.token_urlsafe(12)
    tokens[token] = digest
    request.session[SESSION_KEY] = dict(list(tokens.items())[-_TOKENS_KEPT:])
    return token


def digest_for(request, token: str) -> str | None:
    return request.session.get(SESSION_KEY, {}).get(token)


class IdNumberForm(forms.Form):
    id_number = forms.CharField(label=_("证件号码"), max_length=32, strip=True)


class IdDigestFilter(admin.SimpleListFilter):
    """Applies an ID-number search made through the POST form; shows as one choice that can be cleared."""

    title = _("证件号码查找")
    parameter_name = TOKEN_PARAM

    def lookups(self, request, model_admin):
        token = request.GET.get(self.parameter_name)
        return [(token, _("本次按证件号码查找的结果"))] if token else []

    def queryset(self, request, queryset):
        token = self.value()
        if not token:
            return queryset
        digest = digest_for(request, token)
        return queryset.filter(id_number_digest=digest) if digest else queryset.none()


class IdNumberSearchMixin:
    """For admins of people: an ID-number search by POST (digest in the session), no personal ``?q=``."""

    change_list_template = "admin/id_search_change_list.html"

    def get_list_filter(self, request):
        return (*super().get_list_filter(request), IdDigestFilter)

    def get_urls(self):
        own = [
            path(
                "id-search/",
                self.admin_site.admin_view(self.id_search_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_idsearch",
            )
        ]
        return own + super().get_urls()

    def _changelist_url(self):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")

    def id_search_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return redirect(self._changelist_url())
        form = IdNumberForm(request.POST)
        if not form.is_valid() or not normalize_id_number(form.cleaned_data["id_number"]):
            self.message_user(request, _("请输入完整的证件号码。"), messages.ERROR)
            return redirect(self._changelist_url())
        token = token_for(request, id_number_digest(form.cleaned_data["id_number"]))
        return redirect(f"{self._changelist_url()}?{TOKEN_PARAM}={token}")

    def changelist_view(self, request, extra_context=None):
        term = request.GET.get(SEARCH_VAR, "")
        if term and looks_personal(term):
            self.message_user(
                request, _("证件号码和资格证书编码请用上方的“按证件号码查找”，不要放在搜索框里。"), messages.WARNING
            )
            return redirect(self._changelist_url())
        extra = {
            "id_search_url": reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_idsearch"),
            "id_search_form": IdNumberForm(),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra)
