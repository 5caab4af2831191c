"""Access-matrix rows: the FHIR R4 interface /api/v1/fhir/ (API-2) — officers, reviewers and the superuser read,
each within reach: doctor_a's practitioner (执业证书编码 110430100000001), role and institution X lie in 芙蓉区."""
# ruff: noqa: F405

from tests.matrix_rows import *  # noqa: F403 - the table's vocabulary

_F = "api/v1/fhir/"
_P = "/api/v1/fhir/"
_NUMBER = "110430100000001"  # doctor_a's record at X (tests/test_access_matrix.py's world)

# DRF: authentication, then the FHIR-reader permission (doctors 403), then the method.
_READERS = who(403, officers=200, staff=200)
_X_OBJECT = who(
    403,
    officer_x=200,
    officer_y=404,
    county_reviewer=200,
    tianxin_reviewer=404,
    other_province_reviewer=404,
    superuser=200,
)
_NO_WRITES = who(405, anonymous=403, doctors=403)


def _record_role(world) -> str:
    return f"record-{world['objects']['registrations.practicerecord'].pk}"


def _organization(world) -> int:
    return world["objects"]["institutions.institution"].pk


PAGES: dict = {
    f"{_F}metadata": row(PUBLIC, post=who(405)),  # the CapabilityStatement is public
    f"{_F}Practitioner": row(_READERS, post=_NO_WRITES),
    f"{_F}Practitioner/<str:resource_id>": row(_X_OBJECT, post=_NO_WRITES),
    f"{_F}PractitionerRole": row(_READERS, post=_NO_WRITES),
    f"{_F}PractitionerRole/<str:resource_id>": row(_X_OBJECT, post=_NO_WRITES),
    f"{_F}Organization/<str:resource_id>": row(_X_OBJECT, post=_NO_WRITES),
    f"{_F}^(?P<rest>.*)$": row(who(404)),  # any other path: an OperationOutcome 404, whoever asks
}
ADMIN: dict = {}
API: dict = {
    f"GET {_P}metadata": PUBLIC,
    f"GET {_P}Practitioner": _READERS,
    f"GET {_P}Practitioner/{{resource_id}}": _X_OBJECT,
    f"GET {_P}PractitionerRole": _READERS,
    f"GET {_P}PractitionerRole/{{resource_id}}": _X_OBJECT,
    f"GET {_P}Organization/{{resource_id}}": _X_OBJECT,
}
URLS: dict = {
    f"{_F}Practitioner/<str:resource_id>": lambda w: f"{_P}Practitioner/{_NUMBER}",
    f"{_F}PractitionerRole/<str:resource_id>": lambda w: f"{_P}PractitionerRole/{_record_role(w)}",
    f"{_F}Organization/<str:resource_id>": lambda w: f"{_P}Organization/{_organization(w)}",
    f"{_F}^(?P<rest>.*)$": lambda w: f"{_P}Patient/1",
}
API_PATHS: dict = {
    f"{_P}Practitioner/{{resource_id}}": lambda w: f"{_P}Practitioner/{_NUMBER}",
    f"{_P}PractitionerRole/{{resource_id}}": lambda w: f"{_P}PractitionerRole/{_record_role(w)}",
    f"{_P}Organization/{{resource_id}}": lambda w: f"{_P}Organization/{_organization(w)}",
}
# FHIR errors are OperationOutcome resources, not {"errors"} (tests/platform/test_api_documented_answers.py).
DOCUMENTED: dict = {
    ("GET", f"{_P}metadata"): {200, 403},  # 403: a bad token, even here
    ("GET", f"{_P}Practitioner"): {200, 400, 403},
    ("GET", f"{_P}Practitioner/{{resource_id}}"): {200, 403, 404},
    ("GET", f"{_P}PractitionerRole"): {200, 400, 403},
    ("GET", f"{_P}PractitionerRole/{{resource_id}}"): {200, 403, 404},
    ("GET", f"{_P}Organization/{{resource_id}}"): {200, 403, 404},
}


def objects(people) -> dict:
    return {}  # the world's doctor_a record and institution X are enough
