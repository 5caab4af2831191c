"""Access-matrix rows: the reviewers' REST API beyond applications (APP-3, QUA-3, INS-1, INS-2, INS-12) and the
API documentation pages (/api/redoc/).

Objects: 芙蓉医院 (X, in 芙蓉区), a question asked in 芙蓉区, an import batch started by 芙蓉区's reviewer, a
practice record whose main institution is X, 湖南省's materials list for 变更 and a 湖南省 notice by 芙蓉区.
"""
# ruff: noqa: F405

from tests.matrix_rows import *  # noqa: F403 - the table's vocabulary

_R = "api/v1/approvals/"
_P = "/api/v1/approvals/"

STAFF_ONLY = who(403, staff=200)
METHOD = who(403, staff=405)  # DRF checks the role first, then the method
# An object of 芙蓉区 (X, its question, its record): 芙蓉区's reviewer and the superuser; 天心区 and 湖北省 find nothing.
IN_FURONG = who(403, superuser=200, county_reviewer=200, tianxin_reviewer=404, other_province_reviewer=404)
IN_FURONG_400 = who(
    403, superuser=400, county_reviewer=400, tianxin_reviewer=404, other_province_reviewer=404
)
# 湖南省's list: every 湖南 reviewer reads it; 湖北省 finds nothing.
IN_HUNAN = who(403, superuser=200, county_reviewer=200, tianxin_reviewer=200, other_province_reviewer=404)
# QUA-3: imports are for national and provincial reviewers and the superuser (湖北省 is a province).
IMPORTERS_400 = who(403, superuser=400, other_province_reviewer=400)

PAGES: dict = {
    "api/redoc/": row(PUBLIC, post=who(405)),
    "api/redoc/redoc.standalone.js": row(PUBLIC, post=who(405)),
    f"{_R}institutions/": row(STAFF_ONLY, post=who(403, staff=400)),
    f"{_R}institutions/<int:pk>/": row(IN_FURONG, post=METHOD),
    f"{_R}institutions/<int:pk>/authorities/": row(IN_FURONG, post=METHOD),
    f"{_R}institutions/<int:pk>/officers/": row(IN_FURONG, post=IN_FURONG_400),
    f"{_R}imports/": row(STAFF_ONLY, post=IMPORTERS_400),
    f"{_R}imports/<int:pk>/": row(IN_FURONG, post=METHOD),
    f"{_R}questions/": row(STAFF_ONLY, post=METHOD),
    f"{_R}questions/<int:pk>/": row(IN_FURONG, post=METHOD),
    f"{_R}questions/<int:pk>/answer/": row(METHOD, post=IN_FURONG_400),
    f"{_R}records/": row(STAFF_ONLY, post=METHOD),
    f"{_R}records/search/": row(METHOD, post=who(403, staff=400)),
    f"{_R}records/<int:pk>/": row(IN_FURONG, post=METHOD),
    f"{_R}materials/": row(STAFF_ONLY, post=who(403, staff=400)),
    f"{_R}materials/<int:pk>/": row(IN_HUNAN, post=METHOD),
    f"{_R}announcements/": row(STAFF_ONLY, post=who(403, staff=400)),
    f"{_R}announcements/<int:pk>/": row(IN_HUNAN, post=METHOD),
    # The console's 通知公告 (officers read the notices in force for their province).
    "api/v1/institution/notices/": row(API_OFFICER, post=who(403, officers=405)),
}
ADMIN: dict = {}
API: dict = {
    f"GET {_P}institutions/": STAFF_ONLY,
    f"POST {_P}institutions/": who(403, staff=400),  # {}: no name, 登记号 or region
    f"GET {_P}institutions/{{id}}/": IN_FURONG,
    # {} changes nothing: X's reviewer and the superuser may (tested in tests/api/test_reviewer_api.py).
    f"PATCH {_P}institutions/{{id}}/": who(
        403, superuser=OK, county_reviewer=OK, tianxin_reviewer=404, other_province_reviewer=404
    ),
    f"GET {_P}institutions/{{id}}/authorities/": IN_FURONG,
    f"PUT {_P}institutions/{{id}}/authorities/": IN_FURONG_400,
    f"GET {_P}institutions/{{id}}/officers/": IN_FURONG,
    f"POST {_P}institutions/{{id}}/officers/": IN_FURONG_400,
    f"GET {_P}imports/": STAFF_ONLY,
    # {}: no kind, no file, for those who may import; the others are refused before the body is read.
    f"POST {_P}imports/": IMPORTERS_400,
    f"GET {_P}imports/{{id}}/": IN_FURONG,
    f"GET {_P}questions/": STAFF_ONLY,
    f"GET {_P}questions/{{id}}/": IN_FURONG,
    f"POST {_P}questions/{{id}}/answer/": IN_FURONG_400,
    f"GET {_P}records/": STAFF_ONLY,
    f"POST {_P}records/search/": who(403, staff=400),
    f"GET {_P}records/{{id}}/": IN_FURONG,
    f"GET {_P}materials/": STAFF_ONLY,
    f"POST {_P}materials/": who(403, staff=400),
    f"GET {_P}materials/{{id}}/": IN_HUNAN,
    # Lists are the province's word: county bureaus read them only.
    f"DELETE {_P}materials/{{id}}/": who(
        403, superuser=OK, county_reviewer=403, tianxin_reviewer=403, other_province_reviewer=404
    ),
    "GET /api/v1/institution/notices/": API_OFFICER,
    f"GET {_P}announcements/": STAFF_ONLY,
    f"POST {_P}announcements/": who(403, staff=400),  # {}: no title
    f"GET {_P}announcements/{{id}}/": IN_HUNAN,
    # 芙蓉区's notice: its own bureau and the superuser may; 天心区 (a county too) may not; 湖北省 finds nothing.
    f"PATCH {_P}announcements/{{id}}/": who(
        403, superuser=OK, county_reviewer=OK, tianxin_reviewer=403, other_province_reviewer=404
    ),
    f"DELETE {_P}announcements/{{id}}/": who(
        403, superuser=OK, county_reviewer=OK, tianxin_reviewer=403, other_province_reviewer=404
    ),
}


def _object(world, key):
    return world["objects"][f"reviewer_api.{key}"].pk


URLS: dict = {
    f"{_R}institutions/<int:pk>/": lambda w: f"{_P}institutions/{_object(w, 'institution')}/",
    f"{_R}institutions/<int:pk>/authorities/": lambda w: (
        f"{_P}institutions/{_object(w, 'institution')}/authorities/"
    ),
    f"{_R}institutions/<int:pk>/officers/": lambda w: (
        f"{_P}institutions/{_object(w, 'institution')}/officers/"
    ),
    f"{_R}imports/<int:pk>/": lambda w: f"{_P}imports/{_object(w, 'batch')}/",
    f"{_R}questions/<int:pk>/": lambda w: f"{_P}questions/{_object(w, 'question')}/",
    f"{_R}questions/<int:pk>/answer/": lambda w: f"{_P}questions/{_object(w, 'question')}/answer/",
    f"{_R}records/<int:pk>/": lambda w: f"{_P}records/{_object(w, 'record')}/",
    f"{_R}materials/<int:pk>/": lambda w: f"{_P}materials/{_object(w, 'materials')}/",
    f"{_R}announcements/<int:pk>/": lambda w: f"{_P}announcements/{_object(w, 'announcement')}/",
}
API_PATHS: dict = {
    f"{_P}institutions/{{id}}/": URLS[f"{_R}institutions/<int:pk>/"],
    f"{_P}institutions/{{id}}/authorities/": URLS[f"{_R}institutions/<int:pk>/authorities/"],
    f"{_P}institutions/{{id}}/officers/": URLS[f"{_R}institutions/<int:pk>/officers/"],
    f"{_P}imports/{{id}}/": URLS[f"{_R}imports/<int:pk>/"],
    f"{_P}questions/{{id}}/": URLS[f"{_R}questions/<int:pk>/"],
    f"{_P}questions/{{id}}/answer/": URLS[f"{_R}questions/<int:pk>/answer/"],
    f"{_P}records/{{id}}/": URLS[f"{_R}records/<int:pk>/"],
    f"{_P}materials/{{id}}/": URLS[f"{_R}materials/<int:pk>/"],
    f"{_P}announcements/{{id}}/": URLS[f"{_R}announcements/<int:pk>/"],
}
# {("METHOD", "/api/path/{param}/"): {statuses}}: what each operation documents (test_api_documented_answers;
# 401, 405 and 406, which every operation documents, are checked there once for all).
DOCUMENTED: dict = {
    ("GET", f"{_P}imports/"): {200, 400, 403, 404},
    ("POST", f"{_P}imports/"): {202, 400, 403, 413, 415},
    ("GET", f"{_P}imports/{{id}}/"): {200, 403, 404},
    ("GET", f"{_P}institutions/"): {200, 400, 403, 404},
    ("POST", f"{_P}institutions/"): {201, 400, 403, 409, 413, 415},
    ("GET", f"{_P}institutions/{{id}}/"): {200, 403, 404},
    ("PATCH", f"{_P}institutions/{{id}}/"): {200, 400, 403, 404, 409, 413, 415},
    ("GET", f"{_P}institutions/{{id}}/authorities/"): {200, 403, 404},
    ("PUT", f"{_P}institutions/{{id}}/authorities/"): {200, 400, 403, 404, 413, 415},
    ("GET", f"{_P}institutions/{{id}}/officers/"): {200, 403, 404},
    ("POST", f"{_P}institutions/{{id}}/officers/"): {201, 400, 403, 404, 409, 413, 415},
    ("GET", f"{_P}materials/"): {200, 400, 403, 404},
    ("POST", f"{_P}materials/"): {200, 400, 403, 413, 415},
    ("GET", f"{_P}materials/{{id}}/"): {200, 403, 404},
    ("DELETE", f"{_P}materials/{{id}}/"): {204, 403, 404},
    ("GET", f"{_P}questions/"): {200, 400, 403, 404},
    ("GET", f"{_P}questions/{{id}}/"): {200, 403, 404},
    ("POST", f"{_P}questions/{{id}}/answer/"): {200, 400, 403, 404, 413, 415},
    ("GET", f"{_P}records/"): {200, 400, 403, 404},
    ("GET", f"{_P}records/{{id}}/"): {200, 403, 404},
    ("POST", f"{_P}records/search/"): {200, 400, 403, 413, 415},
    ("GET", "/api/v1/institution/notices/"): {200, 403, 404},
    ("GET", f"{_P}announcements/"): {200, 400, 403, 404},
    ("POST", f"{_P}announcements/"): {201, 400, 403, 413, 415},
    ("GET", f"{_P}announcements/{{id}}/"): {200, 403, 404},
    ("PATCH", f"{_P}announcements/{{id}}/"): {200, 400, 403, 404, 413, 415},
    ("DELETE", f"{_P}announcements/{{id}}/"): {204, 403, 404},
}


def objects(people) -> dict:
    """X, a question of 芙蓉区, a batch of 芙蓉区's reviewer, a record at X and 湖南省's list for 变更."""
    from accounts.models import Question
    from docregsys.reference.models import Announcement
    from qualifications.models import ImportBatch
    from registrations.models import MaterialList
    from tests import personas
    from tests.factories import PracticeRecordFactory, make_resident_id

    institution = personas.institution(personas.X)
    question = Question.objects.create(
        asker=people["doctor_a"],
        region=personas.region("furong"),
        title="矩阵提问",
        description="激活码没有收到怎么办？",
    )
    batch = ImportBatch.objects.create(
        kind=ImportBatch.Kind.EXAM_RESULTS,
        filename="matrix.csv",
        started_by=people["county_reviewer"],
        status=ImportBatch.Status.DONE,
    )
    record = PracticeRecordFactory(
        real_name="矩阵档",
        id_number=make_resident_id("430102", "19800505", "911"),
        main_institution=institution,
        authority=personas.authority("furong"),
    )
    materials = MaterialList.objects.create(
        province=personas.region("province"), kind="change", items="身份证复印件\n执业证书原件"
    )
    announcement = Announcement.objects.create(
        region=personas.region("province"), title="矩阵通告", authority=personas.authority("furong")
    )
    return {
        "reviewer_api.announcement": announcement,
        "reviewer_api.institution": institution,
        "reviewer_api.question": question,
        "reviewer_api.batch": batch,
        "reviewer_api.record": record,
        "reviewer_api.materials": materials,
    }
