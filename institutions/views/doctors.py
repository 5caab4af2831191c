"""Console pages: 本院执业医师信息 (INS-5): the six doctor lists, their exports, and one doctor's details."""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from accounts.selectors import AccountState, with_account_state
from docregsys.reference.models import PracticeScope
from printing.kinds import kind_of
from printing.models import Document
from printing.selectors import documents_current_of
from printing.views import document_download_response
from registrations.models import ExtraLocation, MultiInstitutionFiling, PracticeRecord
from registrations.selectors import doctor_record_list_for

from . import officer_required
from .doctor_lists import DETAIL, KINDS, Kind, filtered
from .tables import export_format, export_response, paginate


def _list_view(kind: Kind):
    @officer_required
    @require_GET
    def view(request):
        form, qs = filtered(kind, user=request.user, data=request.GET)
        fmt = export_format(request)
        if fmt:
            columns = kind.data_columns
            # iterator(chunk_size): the scopes are prefetched per chunk, not for every row at once.
            rows = ([c.cell(row) for c in columns] for row in qs.iterator(chunk_size=1000))
            return export_response(fmt, name=kind.export_name, headers=[c.label for c in columns], rows=rows)
        page = paginate(request, qs)
        rows = [
            {
                "cells": [None if c == DETAIL else c.cell(row) for c in kind.columns],
                "url": reverse("console:doctor_detail", args=[row.pk if kind.record_rows else row.record_id]),
            }
            for row in page.object_list
        ]
        headers = [_("详细信息") if c == DETAIL else c.label for c in kind.columns]
        return render(
            request,
            "institutions/doctors/list.html",
            {"kind": kind, "form": form, "page": page, "rows": rows, "headers": headers},
        )

    view.__name__ = f"doctors_{kind.key}"
    return view


@officer_required
@require_GET
def doctor_detail(request, pk: int):
    """One doctor's registration, filings, 多地点 and account state, if the record is within the officer's reach."""
    scopes = Prefetch("scopes", queryset=PracticeScope.objects.order_by("order", "code"))
    qs = with_account_state(
        doctor_record_list_for(user=request.user)
        .select_related("location", "main_institution", "authority", "department")
        .prefetch_related(
            scopes,
            Prefetch(
                "filings",
                queryset=MultiInstitutionFiling.objects.select_related("institution", "authority")
                .prefetch_related(
                    Prefetch("scopes", queryset=PracticeScope.objects.order_by("order", "code"))
                )
                .order_by("-filed_on", "pk"),
            ),
            Prefetch(
                "extra_locations",
                queryset=ExtraLocation.objects.select_related("institution", "location").order_by(
                    "-approved_on", "pk"
                ),
            ),
        )
    )
    record = qs.filter(pk=pk).first()
    if record is None:
        raise Http404
    own = record.main_institution_id == request.user.institution_id
    # 是否已申领电子证照 / 查看电子证照 (seed 000's doctor list, PRN-3): the institution's own doctors only.
    certificate = (
        documents_current_of(kind="certificate", subject_ids=[record.pk]).get(record.pk) if own else None
    )
    return render(
        request,
        "institutions/doctors/detail.html",
        {
            "record": record,
            "account_state": AccountState.LABELS.get(record.account_state, ""),
            "own": own,
            "certificate": certificate,
            "certificate_viewable": certificate is not None
            and certificate.state == Document.State.DONE
            and record.state == PracticeRecord.State.VALID,
        },
    )


@require_GET
@officer_required
def doctor_certificate(request, pk: int):
    """查看电子证照: the current certificate of a doctor whose main institution is the officer's (PRN-3)."""
    record = (
        doctor_record_list_for(user=request.user)
        .filter(pk=pk, main_institution_id=request.user.institution_id, state=PracticeRecord.State.VALID)
        .first()
    )
    if record is None:
        raise Http404
    document = documents_current_of(kind="certificate", subject_ids=[record.pk]).get(record.pk)
    if document is None:
        raise Http404
    return document_download_response(
        document, filename=kind_of("certificate").filename(document), inline=True
    )


urlpatterns = [
    path("doctors/main/", _list_view(KINDS["main"]), name="doctors_main"),
    path("doctors/filed-out/", _list_view(KINDS["filed_out"]), name="doctors_filed_out"),
    path("doctors/filed-in/", _list_view(KINDS["filed_in"]), name="doctors_filed_in"),
    path("doctors/locations-out/", _list_view(KINDS["locations_out"]), name="doctors_locations_out"),
    path("doctors/locations-in/", _list_view(KINDS["locations_in"]), name="doctors_locations_in"),
    path("doctors/archived/", _list_view(KINDS["archived"]), name="doctors_archived"),
    path("doctors/<int:pk>/", doctor_detail, name="doctor_detail"),
    path("doctors/<int:pk>/certificate/", doctor_certificate, name="doctor_certificate"),
]
