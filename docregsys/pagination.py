"""Pagination of every list of the API (API-1): ?page= and a bounded ?page_size=."""

from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import PageNumberPagination


class ProjectPagination(PageNumberPagination):
    """Page numbers, 50 per page unless ?page_size= asks for 1–200 (a larger value is capped at 200)."""

    page_size = 50
    page_size_query_param = "page_size"
    page_size_query_description = _("每页条数（1–200，默认50）")
    page_query_description = _("页码（从1开始）")
    max_page_size = 200
