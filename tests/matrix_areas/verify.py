"""Access-matrix rows: verify (INS-8 医师验证 pages and API, the DoctorLookup audit in the admin)."""

from tests.matrix_rows import OFFICER_PAGE, OK, row, who
from tests.matrix_support import LOGIN

KINDS = ("qualification", "registration", "credit")

# An empty POST re-shows the form with its error (200) and looks nothing up.
PAGES: dict = {f"institution/verify/{kind}/": row(OFFICER_PAGE) for kind in KINDS}
PAGES.update(
    {  # DRF: anonymous 403 before the method is looked at; an empty body is a 400 for officers
        f"api/v1/institution/verify/{kind}/": row(
            who(405, anonymous=403),
            post=who(403, officers=400),
        )
        for kind in KINDS
    }
)


def _staff(su, county, tianxin, hubei):
    """Answers of the superuser and the three reviewers; everyone else is sent to the admin's login."""
    return who(
        LOGIN, superuser=su, county_reviewer=county, tianxin_reviewer=tianxin, other_province_reviewer=hubei
    )


_SUPERUSER_ONLY = _staff(200, 403, 403, 403)
_NOBODY = _staff(403, 403, 403, 403)
_OLD = "<path:object_id>/"
# INS-8: the lookup audit is the superuser's to read, like qualifications.recordlookup; nobody edits it.
ADMIN: dict = {
    "registrations.doctorlookup": {
        "": row(_SUPERUSER_ONLY, post=_staff(OK, 403, 403, 403)),
        "add/": row(_NOBODY),
        "<path:object_id>/change/": row(_SUPERUSER_ONLY, post=_NOBODY),
        "<path:object_id>/delete/": row(_NOBODY),
        "<path:object_id>/history/": row(_SUPERUSER_ONLY, post=_SUPERUSER_ONLY),
        _OLD: row(_staff(_OLD, _OLD, _OLD, _OLD)),
    }
}
API: dict = {f"POST /api/v1/institution/verify/{kind}/": who(403, officers=400) for kind in KINDS}
URLS: dict = {}
API_PATHS: dict = {}
# {("METHOD", "/api/path/{param}/"): {statuses}}: what each operation documents (test_api_documented_answers)
DOCUMENTED: dict = {
    ("POST", f"/api/v1/institution/verify/{kind}/"): {200, 400, 403, 413, 415, 429} for kind in KINDS
}


def objects(people) -> dict:
    from registrations.models import DoctorLookup

    officer = people["officer_x"]
    return {
        "registrations.doctorlookup": DoctorLookup.objects.create(
            user=officer,
            institution_id=officer.institution_id,
            kind=DoctorLookup.Kind.REGISTRATION,
            value_digest="0" * 64,
            value_masked="4301**********0231",
            found=1,
        )
    }
