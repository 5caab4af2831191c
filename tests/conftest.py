"""Test-wide settings, the personas of tests/personas.py as fixtures, and ``assert_nothing_changed``."""

import base64
import os
import re
import uuid

import pytest

from docregsys.messaging.backends import read_file_outbox
from docregsys.messaging.services import outbox_drain
from tests import personas
from tests.dbstate import assert_nothing_changed as _assert_nothing_changed

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright drives the live server

TEST_IDENTITY_KEY = base64.b64encode(b"docregsys-test-identity-key-32b!").decode()


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path, monkeypatch):
    # Password hashing is deliberately slow; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.IDENTITY_KEY = TEST_IDENTITY_KEY
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = str(tmp_path / "sms")
    settings.CAPTCHA_TEST_MODE = True
    # django-simple-captcha reads CAPTCHA_TEST_MODE once at import: in test mode "PASSED" is accepted.
    monkeypatch.setattr("captcha.conf.settings.CAPTCHA_TEST_MODE", True)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.LANGUAGE_CODE = "zh-hans"
    from docregsys.identity.crypto import reset_key_cache

    reset_key_cache()
    # The public lookups' counters (printing/throttle.py) start at zero in every test: a key prefix of its own
    # rather than a flush, which on Redis would also empty the Celery queue another xdist worker is using.
    settings.LOOKUP_QUOTA_PREFIX = f"{os.getpid()}-{uuid.uuid4().hex}:"
    yield
    reset_key_cache()


SERVICES_DESELECTED = pytest.StashKey[int]()


def _services_available() -> bool:
    return bool(os.environ.get("REDIS_URL")) and os.environ.get("DATABASE_URL", "").startswith("postgres")


def pytest_configure(config):
    # The PostgreSQL pass is where `services` tests run: without Redis they would be dropped unseen.
    if os.environ.get("DATABASE_URL", "").startswith("postgres") and not os.environ.get("REDIS_URL"):
        raise pytest.UsageError(
            "DATABASE_URL is PostgreSQL but REDIS_URL is not set: the tests marked `services` would be "
            "deselected. Set REDIS_URL (e.g. redis://127.0.0.1:6379/9) for the PostgreSQL pass."
        )


def pytest_collection_modifyitems(config, items):
    """Tests marked `services` need the real PostgreSQL + Redis: run them only when .ci/run provides them.

    They are deselected (not skipped) on the embedded default, and the summary says how many and why;
    on the PostgreSQL pass none may be deselected (a `-m` that drops them is an error).
    """
    if _services_available():
        return
    keep, drop = [], []
    for item in items:
        (drop if item.get_closest_marker("services") else keep).append(item)
    config.stash[SERVICES_DESELECTED] = len(drop)
    if hasattr(config, "workeroutput"):  # an xdist worker: the controller prints the summary
        config.workeroutput["services_deselected"] = len(drop)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """xdist: every worker collects the whole suite; keep the count one of them reports."""
    count = getattr(node, "workeroutput", {}).get("services_deselected")
    if count is not None:
        node.config.stash[SERVICES_DESELECTED] = count


def pytest_deselected(items):
    if _services_available() and any(item.get_closest_marker("services") for item in items):
        config = items[0].config
        if "services" in (config.getoption("markexpr", "") or ""):
            pytest.exit(
                "This is the PostgreSQL + Redis pass: the tests marked `services` must run here, "
                "not be deselected by -m.",
                returncode=pytest.ExitCode.USAGE_ERROR,
            )


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    count = config.stash.get(SERVICES_DESELECTED, 0)
    if count:
        terminalreporter.write_line(
            f"{count} tests marked `services` were deselected: they need the real PostgreSQL and Redis "
            "(DATABASE_URL=postgres://…, REDIS_URL=redis://…); .ci/run's second pass runs them.",
            yellow=True,
            bold=True,
        )


# ---- Personas (tests/personas.py): each fixture is the same person and tenants wherever it is used.


@pytest.fixture
def regions(db):
    """湖南省 → 长沙市 → 芙蓉区, 天心区; 株洲市 → 荷塘区; 湖北省 → 武汉市 → 江岸区."""
    return personas.regions()


@pytest.fixture
def institutions(regions):
    """X = 芙蓉医院 (芙蓉区), Y = 天心医院 (天心区), 荷塘医院 (株洲市), 江岸医院 (湖北省)."""
    return personas.institutions()


@pytest.fixture
def doctor_a(db):
    return personas.doctor_a()


@pytest.fixture
def doctor_b(db):
    return personas.doctor_b()


@pytest.fixture
def unactivated_doctor(db):
    return personas.unactivated_doctor()


@pytest.fixture
def officer_x(db):
    return personas.officer_x()


@pytest.fixture
def officer_y(db):
    return personas.officer_y()


@pytest.fixture
def county_reviewer(db):
    """Reviewer of 芙蓉区, where institution X lies."""
    return personas.county_reviewer()


@pytest.fixture
def tianxin_reviewer(db):
    """Reviewer of 天心区 (Y's county), same city as 芙蓉区."""
    return personas.tianxin_reviewer()


@pytest.fixture
def other_province_reviewer(db):
    """Reviewer of 湖北省."""
    return personas.other_province_reviewer()


@pytest.fixture
def city_reviewer(db):
    return personas.city_reviewer()


@pytest.fixture
def province_reviewer(db):
    return personas.province_reviewer()


@pytest.fixture
def national_reviewer(db):
    return personas.national_reviewer()


@pytest.fixture
def superuser(db):
    return personas.superuser()


@pytest.fixture
def assert_nothing_changed(db):
    """``with assert_nothing_changed("what"):`` — every table's rows are the same afterwards (X-4)."""
    return _assert_nothing_changed


# ---- Playwright: Debian's chromium, never a downloaded browser (STACK.md traps).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}


@pytest.fixture
def screenshot(request):
    """screenshot(page, "name") saves artifacts/screenshots/<name>.png for a person to look at."""
    from pathlib import Path

    out = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)

    def take(page, name: str, full_page: bool = True):
        from playwright.sync_api import Error

        path = out / f"{name}.png"
        try:
            page.screenshot(path=str(path), full_page=full_page)
        except Error:
            # Chromium sometimes cannot capture while its compositor is busy on a loaded machine
            # ("Unable to capture screenshot"); the picture is for a person, the assertions are elsewhere.
            page.wait_for_timeout(500)
            page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


# ---- Codes a doctor receives (ACC-4). Both fixtures first drain the outbox, as the worker does after
# commit: inside a test's transaction `on_commit` never fires, so nothing would be sent otherwise.


@pytest.fixture
def sms_inbox(settings):
    """sms_inbox() → the messages sent so far [{"to", "text"}]; sms_inbox.last_code(phone) → the newest code."""

    class Inbox:
        def __call__(self):
            outbox_drain()
            return read_file_outbox(settings.SMS_FILE_PATH)

        def last_code(self, phone: str) -> str:
            texts = [m["text"] for m in self() if m["to"] == phone]
            assert texts, f"no SMS was sent to {phone[:3]}…"
            return re.search(r"\b(\d{6})\b", texts[-1]).group(1)

    return Inbox()


@pytest.fixture
def mail_code(mailoutbox):
    """mail_code(address) → the newest 6-digit code e-mailed to that address."""

    def last(address: str) -> str:
        outbox_drain()
        bodies = [m.body for m in mailoutbox if address in m.to]
        assert bodies, "no e-mail was sent to that address"
        return re.search(r"\b(\d{6})\b", bodies[-1]).group(1)

    return last


@pytest.fixture(autouse=True)
def _tasks_run_in_process(request):
    """Tasks run in-process at commit on both CI passes, as on the embedded default.

    With REDIS_URL set (.ci/run's second pass) Celery would send a render or an SMS to the broker where no
    worker listens during these tests. Only the tests marked `services` use the real broker and a real
    worker (the killed worker, the broker outage, the worker round trip), and the import tests that start
    one themselves (`import_worker`).
    """
    if request.node.get_closest_marker("services") or "import_worker" in request.fixturenames:
        yield
        return
    from docregsys.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before
