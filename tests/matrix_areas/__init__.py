"""Rows of the access matrix per area of the institution console, so each area keeps its own.

Each module defines:
- ``PAGES``: {URL pattern: row(get, post)} like tests/test_access_matrix.py's PAGES;
- ``API``: {"METHOD /api/path/{param}/": who(...)} like its API;
- ``URLS``: {URL pattern: callable(world) → URL} for patterns with arguments;
- ``API_PATHS``: {"/api/path/{param}/": callable(world) → path} for API operations with parameters;
- ``objects(people) -> dict``: rows the area's URLs need, created once inside the matrix's world
  (``world["objects"]`` holds them under the keys returned here).
"""

from . import (
    accounts,
    applications,
    applications_api,
    approvals,
    business,
    certificates,
    changes,
    doctor_side,
    doctors,
    entrance,
    fhir,
    help,
    printing_admin,
    public_verify,
    review,
    reviewer_api,
    statistics,
    system,
    verify,
)

AREAS = [
    entrance,
    doctors,
    accounts,
    review,
    verify,
    help,
    system,
    statistics,
    doctor_side,
    applications,
    applications_api,
    business,
    approvals,
    public_verify,
    fhir,
    changes,
    printing_admin,
    certificates,
    reviewer_api,
]
