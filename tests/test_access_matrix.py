"""The access matrix (issue 8 §5; APP-3, X-4): every route and every API operation, asked by every persona.

Each URL pattern the resolver knows (the admin's per ModelAdmin) and each OpenAPI operation has a row
here saying what each persona gets: a status code, ``LOGIN`` (sent to a login page) or ``"→name"`` (sent
elsewhere). A route or operation without a row fails, and so does a row without a route: no page is
added without saying who may reach it. Object routes ask for one object of institution X's side (芙蓉区);
the reviewers of another county or province get 404. Every refusal — GET or POST, with a valid session
and CSRF token — must leave every table unchanged (``assert_nothing_changed``).
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from tests import personas
from tests.conftest import TEST_IDENTITY_KEY
from tests.matrix_areas import AREAS
from tests.matrix_rows import (  # noqa: F401 - the table's vocabulary
    ACCOUNT_PAGE,
    ACTIVATED,
    ACTIVATED_PAGE,
    API_ACTIVATED,
    API_DOCTOR,
    API_HOLDER,
    API_HOLDER_GET,
    API_PUBLIC_POST,
    CHECK,
    DOCTOR_PAGE,
    DOCTORS,
    HOME,
    OFFICERS,
    OK,
    PUBLIC,
    REVIEWERS,
    SIGNUP,
    STAFF,
    STAFF_PAGE,
    P,
    row,
    who,
)
from tests.matrix_support import LOGIN, api_operations, ask, persona_client, routes, url_for

APP_INDEX = "admin/<app_label>/"  # the admin's per-app index (its pattern lists every app label)


def page_key(pattern: str) -> str:
    return APP_INDEX if pattern.startswith("admin/^(?P<app_label>") else pattern


PAGES = {
    "": row(who(200, unactivated_doctor=CHECK)),
    "accounts/login/": row(who(HOME, anonymous=200)),
    "accounts/logout/": row(who(405), post=who(HOME)),
    "accounts/signup/": row(who(HOME, anonymous=200)),
    "accounts/signup/account/": row(who(HOME, anonymous=SIGNUP)),
    "accounts/signup/done/": row(who(403, anonymous=LOGIN, doctors=CHECK)),
    "accounts/check/": row(DOCTOR_PAGE, post=who(403, anonymous=LOGIN, doctors=OK)),  # POST runs the check
    "accounts/check/identity/": row(who(403, anonymous=LOGIN, unactivated_doctor=200)),
    "accounts/privacy/": row(PUBLIC),
    "accounts/security/": row(ACCOUNT_PAGE),
    "accounts/security/phone/": row(
        who(403, anonymous=LOGIN, doctors=200, officers=200, activated="→accounts:security")
    ),
    "accounts/security/email/": row(ACCOUNT_PAGE),
    "accounts/security/phone/change/": row(
        who(
            403,
            anonymous=LOGIN,
            activated=200,
            unactivated_doctor="→accounts:verify_phone",
            officers="→accounts:verify_phone",
        )
    ),
    "accounts/security/email/change/": row(
        who(403, anonymous=LOGIN, doctors="→accounts:verify_email", officers="→accounts:verify_email")
    ),
    "accounts/security/password/": row(ACCOUNT_PAGE),
    "accounts/activation/": row(DOCTOR_PAGE, post=who(403, anonymous=LOGIN, doctors=OK)),
    "accounts/recover/": row(PUBLIC),
    "accounts/recover/phone/": row(PUBLIC),
    "accounts/recover/phone/code/": row(who("→accounts:recover_phone")),
    "accounts/recover/email/": row(PUBLIC),
    "accounts/recover/email/code/": row(who("→accounts:recover_email")),
    "accounts/recover/personal/": row(PUBLIC),
    "accounts/recover/password/": row(who("→accounts:recover")),
    "accounts/help/": row(PUBLIC),
    "accounts/qualification/": row(ACTIVATED_PAGE),
    "accounts/practice/": row(ACTIVATED_PAGE),
    "accounts/assessment/": row(ACTIVATED_PAGE),
    "qualifications/guides/": row(PUBLIC),
    "qualifications/guides/<slug:origin>/": row(PUBLIC),
    "admin/": row(STAFF_PAGE),
    "admin/login/": row(who(200, staff="→admin:index"), post=who(200)),
    "admin/logout/": row(who("→admin:index", staff=405), post=who("→admin:index", staff=HOME)),
    "admin/password_change/": row(STAFF_PAGE),
    "admin/password_change/done/": row(STAFF_PAGE, post=who(LOGIN, staff=405)),
    "admin/autocomplete/": row(who(LOGIN, staff=403), post=who(LOGIN, staff=405)),  # 403 without a field
    "admin/jsi18n/": row(STAFF_PAGE, post=who(LOGIN, staff=405)),
    "admin/r/<path:content_type_id>/<path:object_id>/": row(who(LOGIN, staff=404)),  # no model has a site URL
    "admin/(?P<url>.*)$": row(who(LOGIN, staff=404)),
    APP_INDEX: row(STAFF_PAGE),
    "i18n/setlang/": row(who(HOME)),
    "jsi18n/": row(PUBLIC, post=who(405)),
    "captcha/image/(?P<key>\\w+)/$": row(PUBLIC),
    "captcha/image/(?P<key>\\w+)@2/$": row(PUBLIC),
    "captcha/audio/(?P<key>\\w+).wav$": row(who(404)),  # no audio (flite is not installed)
    "captcha/refresh/$": row(who(404)),  # answers only XMLHttpRequest
    "healthz": row(PUBLIC),
    "api/v1/accounts/captcha/": row(PUBLIC, post=who(405)),
    "api/v1/accounts/signup/": row(who(405), post=API_PUBLIC_POST),
    "api/v1/accounts/token/": row(who(405), post=API_PUBLIC_POST),
    "api/v1/accounts/logout/": row(who(405, anonymous=403), post=who(204, anonymous=403)),
    "api/v1/accounts/check/": row(API_DOCTOR, post=who(403, doctors=OK)),  # POST runs the check (ACC-3)
    "api/v1/accounts/identity/": row(who(403, doctors=405), post=who(403, doctors=405)),
    **{
        f"api/v1/accounts/{path}/": row(API_HOLDER_GET, post=API_HOLDER)
        for path in (
            "phone/send",
            "phone/confirm",
            "email/send",
            "email/confirm",
            "phone/change/send",
            "phone/change/confirm",
            "email/change/send",
            "email/change/confirm",
            "password",
        )
    },  # fmt: skip
    "api/v1/accounts/activation/": row(API_DOCTOR, post=who(405, anonymous=403)),
    **{
        f"api/v1/accounts/activation/{path}/": row(who(405, anonymous=403), post=who(403, doctors=400))
        for path in ("code", "certificate", "ticket")
    },
    **{
        f"api/v1/accounts/recover/{path}/": row(who(405), post=API_PUBLIC_POST)
        for path in ("phone/send", "phone/confirm", "email/send", "email/confirm", "personal", "password")
    },
    "api/v1/accounts/me/": row(who(200, anonymous=403), post=who(405, anonymous=403)),
    "api/v1/accounts/me/records/": row(API_ACTIVATED, post=who(405, anonymous=403)),
    "api/schema/": row(PUBLIC, post=who(405)),
    "api/docs/": row(PUBLIC, post=who(405)),
    "^media/(?P<path>.*)$": row(who(404)),  # only with DEBUG: uploads are never served from here
}

# The admin of each model, by route kind. Everyone who is not staff is sent to the admin's login page.
CL, ADD, HIST, DEL, CHG, OLD = (
    "",
    "add/",
    "<path:object_id>/history/",
    "<path:object_id>/delete/",
    "<path:object_id>/change/",
    "<path:object_id>/",
)
REVERT = "^([^/]+)/history/([^/]+)/$"  # simple-history: one past version, and reverting to it (POST)
ANOTHER_TENANT = 404


def staff(su, county, tianxin, hubei):
    """Answers of the superuser and the three reviewers; everyone else: LOGIN."""
    return who(
        LOGIN, superuser=su, county_reviewer=county, tianxin_reviewer=tianxin, other_province_reviewer=hubei
    )


def model_admin(*, view, add, change, delete, revert=None, history=True, **extra):
    """The rows of one ModelAdmin; ``view``/``change`` … are staff(...) rows for the object's routes."""
    rows = {
        CL: row(staff(200, 200, 200, 200), post=staff(OK, OK, OK, OK)),
        ADD: add,
        CHG: row(view, post=change),
        DEL: delete,
        OLD: row(staff(OLD, OLD, OLD, OLD)),
    }
    if history:
        rows[HIST] = row(view, post=view)
    if revert is not None:
        rows[REVERT] = revert
    rows.update(extra)
    return rows


SUPERUSER_ONLY = staff(200, 403, 403, 403)
NOBODY = staff(403, 403, 403, 403)
# A reference list (code tables): every reviewer reads it, only the superuser edits it.
REFERENCE = {
    "view": staff(200, 200, 200, 200),
    "add": row(SUPERUSER_ONLY, post=staff(OK, 403, 403, 403)),
    "change": staff(OK, 403, 403, 403),
    "delete": row(SUPERUSER_ONLY, post=staff(OK, 403, 403, 403)),
}
READ_ONLY = {
    "add": row(NOBODY),
    "change": NOBODY,
    "delete": row(NOBODY),
}
# Institution X's side: the 芙蓉区 reviewer's; the 天心区 and 湖北省 reviewers find nothing there.
IN_FURONG = staff(200, 200, ANOTHER_TENANT, ANOTHER_TENANT)
# The exam centre's records (and the import of 湖北省's reviewer) lie in 湖北省 (APP-5).
IN_HUBEI = staff(200, ANOTHER_TENANT, ANOTHER_TENANT, 200)
THIRD_PARTY = {  # Django's own permissions: reviewers hold none, the superuser all
    "view": SUPERUSER_ONLY,
    "add": row(SUPERUSER_ONLY, post=staff(OK, 403, 403, 403)),
    "change": staff(OK, 403, 403, 403),
    "delete": row(SUPERUSER_ONLY, post=staff(OK, 403, 403, 403)),
}


def _third_party(**extra):
    rows = model_admin(**THIRD_PARTY)
    rows.update(extra)
    rows[CL] = row(SUPERUSER_ONLY, post=staff(OK, 403, 403, 403))
    return rows


ADMIN = {
    "accounts.user": model_admin(  # reviewers: officer accounts of their region; no deleting (deactivate)
        view=IN_FURONG,
        add=row(staff(200, 200, 200, 200), post=staff(OK, OK, OK, OK)),
        change=staff(OK, OK, ANOTHER_TENANT, ANOTHER_TENANT),
        delete=row(staff(200, 403, 403, 403), post=staff(OK, 403, 403, 403)),
        revert=row(IN_FURONG, post=staff(OK, OK, ANOTHER_TENANT, ANOTHER_TENANT)),
        **{"<id>/password/": row(IN_FURONG, post=staff(OK, OK, ANOTHER_TENANT, ANOTHER_TENANT))},
    ),
    "accounts.activationcode": model_admin(  # INS-4: issued (add), never edited or deleted
        view=IN_FURONG,
        add=row(staff(200, 200, 200, 200), post=staff(OK, OK, OK, OK)),
        change=staff(403, 403, 403, 403),
        delete=row(NOBODY),
        revert=row(IN_FURONG, post=staff(403, 403, ANOTHER_TENANT, ANOTHER_TENANT)),
    ),
    "reference.region": model_admin(view=IN_FURONG, **READ_ONLY),
    "reference.authority": model_admin(  # reviewers read their chain; the superuser edits
        view=IN_FURONG,
        add=row(SUPERUSER_ONLY, post=staff(OK, 403, 403, 403)),
        change=staff(OK, 403, 403, 403),
        delete=row(SUPERUSER_ONLY, post=staff(OK, 403, 403, 403)),
        revert=row(IN_FURONG, post=staff(OK, 403, ANOTHER_TENANT, ANOTHER_TENANT)),
    ),
    "reference.announcement": model_admin(  # the province's notices; the publishing authority edits its own
        view=staff(200, 200, 200, ANOTHER_TENANT),
        add=row(staff(200, 200, 200, 200), post=staff(OK, OK, OK, OK)),
        change=staff(OK, OK, 403, ANOTHER_TENANT),
        delete=row(staff(200, 200, 403, ANOTHER_TENANT), post=staff(OK, OK, 403, ANOTHER_TENANT)),
        revert=row(staff(200, 200, 200, ANOTHER_TENANT), post=staff(OK, OK, 403, ANOTHER_TENANT)),
    ),
    "institutions.institution": model_admin(
        view=IN_FURONG,
        add=row(staff(200, 200, 200, 200), post=staff(OK, OK, OK, OK)),
        change=staff(OK, OK, ANOTHER_TENANT, ANOTHER_TENANT),
        # X has a past (officers): reviewers deactivate it instead of deleting.
        delete=row(
            staff(200, 403, ANOTHER_TENANT, ANOTHER_TENANT),
            post=staff(OK, 403, ANOTHER_TENANT, ANOTHER_TENANT),
        ),
        revert=row(IN_FURONG, post=staff(OK, OK, ANOTHER_TENANT, ANOTHER_TENANT)),
    ),
    "reference.treatmentsubject": model_admin(view=staff(200, 200, 200, 200), **READ_ONLY),
    "reference.examcategory": model_admin(**REFERENCE),
    **{
        f"qualifications.{model}": model_admin(
            view=IN_HUBEI,
            add=row(SUPERUSER_ONLY, post=staff(OK, 403, 403, 403)),
            # Read-only for reviewers: changing or deleting is refused before the object is looked up,
            # so the answer (403) is the same whether or not the record exists (nothing leaks).
            change=staff(OK, 403, 403, 403),
            delete=row(staff(200, 403, 403, 403), post=staff(OK, 403, 403, 403)),
            revert=row(IN_HUBEI, post=staff(OK, ANOTHER_TENANT, ANOTHER_TENANT, 403)),
        )
        for model in ("examresult", "qualificationcertificate", "assessmentresult")
    },
    "qualifications.importbatch": {  # QUA-3: national/provincial reviewers import; batches of one's authority
        CL: row(staff(200, 200, 200, 200), post=staff(OK, OK, OK, OK)),
        ADD: row(NOBODY),
        "import/": row(staff(200, 403, 403, 200), post=staff(OK, 403, 403, OK)),
        "<int:batch_id>/report/": row(IN_HUBEI, post=IN_HUBEI),
        CHG: row(staff(*(("→admin:qualifications_importbatch_report",) * 4))),  # the report is the page
        HIST: row(staff(200, "→admin:index", "→admin:index", 200)),
        DEL: row(staff(200, 403, 403, 403), post=staff(OK, 403, 403, 403)),
        OLD: row(staff(OLD, OLD, OLD, OLD)),
    },
    **{
        f"reference.{model}": model_admin(**REFERENCE)
        for model in ("practicescope", "title", "deregistrationreason", "filingreason")
    },
    "qualifications.recordlookup": {  # APP-5: the audit of exact lookups, the superuser's to read
        **model_admin(view=SUPERUSER_ONLY, add=row(NOBODY), change=NOBODY, delete=row(NOBODY)),
        CL: row(SUPERUSER_ONLY, post=staff(OK, 403, 403, 403)),
    },
    "registrations.practicerecord": model_admin(  # read-only: records change only through applications
        view=IN_FURONG,
        add=row(NOBODY),
        change=staff(403, 403, 403, 403),
        delete=row(NOBODY),
        revert=row(IN_FURONG, post=staff(403, 403, ANOTHER_TENANT, ANOTHER_TENANT)),
    ),
    "auth.group": _third_party(),
    "authtoken.tokenproxy": _third_party(),
    "django_celery_results.taskresult": _third_party(),
    "django_celery_results.groupresult": _third_party(),
    "django_celery_beat.periodictask": _third_party(),
    "django_celery_beat.clockedschedule": _third_party(),
    "django_celery_beat.crontabschedule": _third_party(),
    "django_celery_beat.solarschedule": _third_party(),
    "django_celery_beat.intervalschedule": _third_party(),
    **{
        f"axes.{model}": _third_party(**{ADD: row(NOBODY)})
        for model in ("accessattempt", "accesslog", "accessfailurelog")
    },
}

# ID numbers are searched by POST (X-3: never in a URL); a GET goes back to the list.
ADMIN["accounts.user"]["id-search/"] = row(
    staff(*(("→admin:accounts_user_changelist",) * 4)), post=staff(OK, OK, OK, OK)
)
ADMIN["registrations.practicerecord"]["id-search/"] = row(
    staff(*(("→admin:registrations_practicerecord_changelist",) * 4)), post=staff(OK, OK, OK, OK)
)
# APP-5: every reviewer may look up any record by its full number (audited); a GET goes back to the list.
for _model in ("examresult", "qualificationcertificate", "assessmentresult"):
    ADMIN[f"qualifications.{_model}"]["lookup/"] = row(
        staff(*((f"→admin:qualifications_{_model}_changelist",) * 4)), post=staff(OK, OK, OK, OK)
    )

# Every OpenAPI operation, sent with its own method (a JSON body "{}" for unsafe ones).
API = {
    "GET /api/schema/": PUBLIC,
    "GET /api/v1/accounts/captcha/": PUBLIC,
    "GET /api/v1/accounts/activation/": API_DOCTOR,
    "GET /api/v1/accounts/check/": API_DOCTOR,
    "POST /api/v1/accounts/check/": who(403, doctors=OK),  # ACC-3: runs the check (GET only reads)
    "GET /api/v1/accounts/me/": who(200, anonymous=403),
    "GET /api/v1/accounts/me/records/": API_ACTIVATED,
    "PUT /api/v1/accounts/identity/": who(403, doctors=400),
    "POST /api/v1/accounts/logout/": who(204, anonymous=403),
    **{
        f"POST /api/v1/accounts/activation/{p}/": who(403, doctors=400)
        for p in ("code", "certificate", "ticket")
    },
    **{
        f"POST /api/v1/accounts/{path}/": API_HOLDER
        for path in (
            "phone/send",
            "phone/confirm",
            "email/send",
            "email/confirm",
            "phone/change/send",
            "phone/change/confirm",
            "email/change/send",
            "email/change/confirm",
            "password",
        )
    },  # fmt: skip
    **{
        f"POST /api/v1/accounts/{path}/": API_PUBLIC_POST
        for path in (
            "signup",
            "token",
            "recover/phone/send",
            "recover/phone/confirm",
            "recover/email/send",
            "recover/email/confirm",
            "recover/personal",
            "recover/password",
        )
    },  # fmt: skip
}

# Known leaks, each waiting for its fix on another branch: (table, key, method, persona) → today's answer.
# The test accepts today's answer only here, and fails once the right one comes: then delete the entry.
PENDING: dict = {}  # none today: the APP-5 exam-record leak it held is fixed


def _merge_areas():
    """The console areas' rows join the tables; a key defined twice is a mistake."""
    for area in AREAS:
        for table, extra in ((PAGES, area.PAGES), (API, area.API), (ADMIN, getattr(area, "ADMIN", {}))):
            twice = set(table) & set(extra)
            assert not twice, f"{area.__name__} redefines {sorted(twice)}"
            table.update(extra)


_merge_areas()


# ------------------------------------------------------------------------------------------ the data


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Personas and one object per admin model, built once for the module and rolled back after it."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_celery_beat.models import (
        ClockedSchedule,
        CrontabSchedule,
        IntervalSchedule,
        PeriodicTask,
        SolarSchedule,
    )
    from django_celery_results.models import GroupResult, TaskResult
    from rest_framework.authtoken.models import Token, TokenProxy

    from docregsys.identity.crypto import reset_key_cache
    from docregsys.reference.models import (
        DeregistrationReason,
        FilingReason,
        PracticeScope,
        Title,
        TreatmentSubject,
    )
    from qualifications.models import ImportBatch, RecordLookup
    from tests import factories as f

    test_settings = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], IDENTITY_KEY=TEST_IDENTITY_KEY
    )
    with django_db_blocker.unblock(), test_settings:
        reset_key_cache()
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            people = personas.everyone()
            x = personas.institution(personas.X)
            hubei_id = f.make_resident_id("420102", "19800101", "888")
            doctor_a_record = personas._practice_record(
                id_number=personas.DOCTOR_A_ID, real_name="王甲", at=personas.X, number="110430100000001"
            )
            # The exam centre's records lie in 湖北省: only that province's reviewer (and the superuser) may open them.
            objects = {
                "accounts.user": people["officer_x"],
                "accounts.activationcode": f.ActivationCodeFactory(
                    doctor=people["unactivated_doctor"], institution=x
                ),
                "reference.region": personas.region("furong"),
                "reference.authority": personas.authority("furong"),
                "reference.announcement": f.AnnouncementFactory(
                    region=personas.region("province"), authority=personas.authority("furong")
                ),
                "institutions.institution": x,
                "reference.treatmentsubject": TreatmentSubject.objects.create(
                    code="01", name="预防保健科"
                ),
                "reference.examcategory": f.ExamCategoryFactory(),
                "qualifications.examresult": f.ExamResultFactory(
                    exam_area="湖北省",
                    exam_site="武汉市",
                    region_code="420100",
                    id_number=hubei_id,
                    real_name="周丁",
                ),
                "qualifications.qualificationcertificate": f.CertificateFactory(
                    number="201042110420102198001010888", real_name="周丁", id_number=hubei_id
                ),
                "qualifications.assessmentresult": f.AssessmentResultFactory(
                    real_name="周丁", id_number=hubei_id, assessing_body="武汉市医师协会"
                ),
                "qualifications.importbatch": ImportBatch.objects.create(
                    kind="exam_results",
                    filename="湖北.csv",
                    status="done",
                    started_by=people["other_province_reviewer"],
                ),
                "qualifications.recordlookup": RecordLookup.objects.create(
                    user=people["county_reviewer"],
                    record_kind="certificates",
                    by="id_number",
                    value_digest="0" * 64,
                    value_masked="4201**********0888",
                ),
                "reference.practicescope": PracticeScope.objects.create(
                    code="0101", name="内科专业", category="clinical"
                ),
                "reference.title": Title.objects.create(code="231", name="主任医师"),
                "reference.deregistrationreason": DeregistrationReason.objects.create(
                    code="01", name="死亡"
                ),
                "reference.filingreason": FilingReason.objects.create(code="01", name="多机构执业"),
                "registrations.practicerecord": doctor_a_record,
                "auth.group": Group.objects.create(name="matrix"),
                "authtoken.tokenproxy": TokenProxy.objects.get(
                    key=Token.objects.create(user=people["doctor_b"]).key
                ),
                "django_celery_results.taskresult": TaskResult.objects.create(task_id="matrix-task"),
                "django_celery_results.groupresult": GroupResult.objects.create(group_id="matrix-group"),
                "django_celery_beat.clockedschedule": ClockedSchedule.objects.create(
                    clocked_time=timezone.now()
                ),
                "django_celery_beat.crontabschedule": CrontabSchedule.objects.create(),
                "django_celery_beat.solarschedule": SolarSchedule.objects.create(
                    event="sunrise", latitude=28.2, longitude=112.9
                ),
                "django_celery_beat.intervalschedule": IntervalSchedule.objects.create(
                    every=10, period="minutes"
                ),
                "axes.accessattempt": AccessAttempt.objects.create(
                    username="nobody", ip_address="192.0.2.1", failures_since_start=1
                ),
                "axes.accesslog": AccessLog.objects.create(username="nobody", ip_address="192.0.2.1"),
                "axes.accessfailurelog": AccessFailureLog.objects.create(
                    username="nobody", ip_address="192.0.2.1"
                ),
            }
            objects["django_celery_beat.periodictask"] = PeriodicTask.objects.create(
                name="matrix",
                task="docregsys.nothing",
                interval=objects["django_celery_beat.intervalschedule"],
            )
            for area in AREAS:
                extra = area.objects(people)
                assert not set(extra) & set(objects), f"{area.__name__} reuses an object key"
                objects.update(extra)
            from captcha.models import CaptchaStore

            yield {"people": people, "objects": objects, "captcha": CaptchaStore.generate_key()}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            reset_key_cache()


# ------------------------------------------------------------------------------------------ the asking


def _admin_models() -> dict[str, str]:
    """URL prefix of every registered ModelAdmin → its model label ("accounts.user")."""
    return {
        f"admin/{model._meta.app_label}/{model._meta.model_name}/": model._meta.label_lower
        for model in admin.site._registry
    }


def _page_url(route, world) -> str:
    objects = world["objects"]
    special = {
        "qualifications/guides/<slug:origin>/": lambda: url_for("qualifications:guide", "exam"),
        "admin/r/<path:content_type_id>/<path:object_id>/": lambda: "/admin/r/{}/{}/".format(
            _content_type_id(objects["institutions.institution"]), objects["institutions.institution"].pk
        ),
        "admin/(?P<url>.*)$": lambda: "/admin/no-such-page/",
        "captcha/image/(?P<key>\\w+)/$": lambda: url_for("captcha-image", world["captcha"]),
        "captcha/image/(?P<key>\\w+)@2/$": lambda: url_for("captcha-image-2x", world["captcha"]),
        "captcha/audio/(?P<key>\\w+).wav$": lambda: url_for("captcha-audio", world["captcha"]),
        "^media/(?P<path>.*)$": lambda: "/media/no-such-file.txt",
    }
    if route.pattern in special:
        return special[route.pattern]()
    for area in AREAS:
        if route.pattern in area.URLS:
            return area.URLS[route.pattern](world)
    if route.pattern.startswith("admin/^(?P<app_label>"):
        return "/admin/accounts/"
    return url_for(route.name)


def _content_type_id(obj) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk


def _admin_url(label: str, kind: str, world) -> str:
    for area in AREAS:  # an area's own admin routes (confirmation pages, files) bring their recipe
        recipe = getattr(area, "ADMIN_URLS", {}).get((label, kind))
        if recipe is not None:
            return recipe(world)
    app, model = label.split(".")
    obj = world["objects"][label]
    named = {
        "": ("changelist",),
        "add/": ("add",),
        "<path:object_id>/history/": ("history", obj.pk),
        "<path:object_id>/delete/": ("delete", obj.pk),
        "<path:object_id>/change/": ("change", obj.pk),
        "import/": ("import",),
        "<int:batch_id>/report/": ("report", obj.pk),
        "id-search/": ("idsearch",),
        "lookup/": ("lookup",),
    }
    if kind in named:
        suffix, *args = named[kind]
        return url_for(f"admin:{app}_{model}_{suffix}", *args)
    if kind == "<path:object_id>/":  # Django's old change URL, redirected to the new one
        return f"/admin/{app}/{model}/{obj.pk}/"
    if kind == "<id>/password/":  # UserAdmin: set another account's password
        return f"/admin/{app}/{model}/{obj.pk}/password/"
    if kind == "^([^/]+)/history/([^/]+)/$":
        return url_for(f"admin:{app}_{model}_simple_history", obj.pk, obj.history.first().history_id)
    raise AssertionError(f"no URL recipe for admin route {label} {kind!r}: add one to _admin_url")


def _api_path(path: str, world) -> str:
    for area in AREAS:
        if path in area.API_PATHS:
            return area.API_PATHS[path](world)
    assert "{" not in path, f"no path recipe for {path}: add one to API_PATHS of its area"
    return path


def _post_data(kind: str) -> dict:
    return {"post": "yes"} if kind == "<path:object_id>/delete/" else {}


def requests(world):
    """(table, key, url, POST data) for every route of the resolver."""
    models = _admin_models()
    for route in routes():
        prefix = next((p for p in models if route.pattern.startswith(p)), None)
        if prefix is not None:
            label, kind = models[prefix], route.pattern[len(prefix) :]
            yield (
                "admin",
                (label, kind),
                (lambda label=label, kind=kind: _admin_url(label, kind, world)),
                _post_data(kind),
            )
        else:
            yield "pages", page_key(route.pattern), (lambda route=route: _page_url(route, world)), {}


def expected_rows(table, key):
    if table == "pages":
        return PAGES.get(key)
    label, kind = key
    found = ADMIN.get(label, {}).get(kind)
    if found is None:
        return None
    old = f"→admin:{label.replace('.', '_')}_change"
    return tuple({p: old if a == OLD else a for p, a in answers.items()} for answers in found)


# ------------------------------------------------------------------------------------------ the tests


def test_every_route_and_operation_has_a_row_and_every_row_a_route():
    """Issue 8 §5: a route or API operation missing from the table fails; so does a row without a route."""
    models = _admin_models()
    pages, admin_keys = set(), set()
    for route in routes():
        prefix = next((p for p in models if route.pattern.startswith(p)), None)
        if prefix is None:
            pages.add(page_key(route.pattern))
        else:
            admin_keys.add((models[prefix], route.pattern[len(prefix) :]))
    table_admin = {(label, kind) for label, kinds in ADMIN.items() for kind in kinds}
    optional = {"^media/(?P<path>.*)$"}  # served only with DEBUG
    assert sorted(pages - set(PAGES)) == [], "routes without a row in PAGES"
    assert sorted(set(PAGES) - pages - optional) == [], "rows in PAGES without a route"
    assert sorted(admin_keys - table_admin) == [], "admin routes without a row in ADMIN"
    assert sorted(table_admin - admin_keys) == [], "rows in ADMIN without an admin route"
    operations = {f"{method} {path}" for method, path in api_operations()}
    assert sorted(operations - set(API)) == [], "API operations without a row in API"
    assert sorted(set(API) - operations) == [], "rows in API without an operation"
    for row_ in [*PAGES.values(), *(r for kinds in ADMIN.values() for r in kinds.values())]:
        for answers in row_:
            assert set(answers) == set(P), "every row names every persona"


@pytest.mark.parametrize("name", P)
def test_each_persona_gets_what_the_table_says_everywhere(world, db, name):
    """Issue 8 §5, APP-3, X-4: each route (GET; POST where refused) and API operation answers this persona
    as the table says; another tenant's object is 404; every refusal leaves the database unchanged."""
    client = persona_client(world["people"][name])
    wrong, pending_fixed = [], []

    def check(table, key, method, expected, got):
        pending = PENDING.get((table, key, method, name))
        if pending is not None:
            if got == expected:
                pending_fixed.append(f"{method} {key}: now {got!r} as it should; delete its PENDING entry")
            elif got != pending:
                wrong.append(f"{method} {key}: expected {expected!r} (pending fix: {pending!r}), got {got!r}")
        elif got != expected:
            wrong.append(f"{method} {key}: expected {expected!r}, got {got!r}")

    for table, key, url, data in requests(world):
        rows = expected_rows(table, key)
        if rows is None:
            continue  # reported by the coverage test
        get, post = rows[0][name], rows[1][name]
        target = url()
        check(table, key, "GET", get, ask(client, "GET", target, expected=get))
        if post != OK:  # unsafe methods go to everyone who must be refused (and where POST differs)
            expect = PENDING.get((table, key, "POST", name), post)
            check(table, key, "POST", post, ask(client, "POST", target, data=data, expected=expect))
    for method, path in api_operations():
        expected = API.get(f"{method} {path}", {}).get(name)
        if expected is None or expected == OK:
            continue
        check(
            "api",
            f"{method} {path}",
            method,
            expected,
            ask(client, method, _api_path(path, world), json=method != "GET", expected=expected),
        )
    assert not wrong, f"{name}:\n" + "\n".join(wrong)
    assert not pending_fixed, "\n".join(pending_fixed)
