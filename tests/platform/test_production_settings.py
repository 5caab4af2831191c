"""Production settings: `check --deploy` is clean, the cookies and HSTS are strict, missing keys stop startup (issue 8 §4)."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
IDENTITY_KEY = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="


def production_env(**changes) -> dict:
    """The variables .env.example asks for in production, nothing inherited from the test run (None: unset)."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "IDENTITY_KEY": IDENTITY_KEY,
        "IDENTITY_KEY_FILE": "/nonexistent/identity.key",
        "ALLOWED_HOSTS": "docregsys.example.gov.cn",
        "CSRF_TRUSTED_ORIGINS": "https://docregsys.example.gov.cn",
    }
    env.update(changes)
    return {name: value for name, value in env.items() if value is not None}


def run(args, env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_passes_with_the_production_variables():
    """Issue 8 §4 (ASVS V14.1): `manage.py check --deploy --fail-level WARNING` finds nothing to warn about."""
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_cookies_hsts_and_redirects_are_strict():
    """ASVS V3.4, V9.1: Secure cookies with __Host- names, HSTS of a year, HTTPS redirect but not for /healthz."""
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; print(json.dumps({"
        "k: getattr(s, k) for k in ('SESSION_COOKIE_NAME', 'SESSION_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY',"
        " 'CSRF_COOKIE_NAME', 'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS', 'SECURE_SSL_REDIRECT',"
        " 'SECURE_REDIRECT_EXEMPT', 'SESSION_COOKIE_AGE', 'SECURE_HSTS_INCLUDE_SUBDOMAINS')}))"
    )
    env = production_env(DJANGO_SETTINGS_MODULE="docregsys.settings")
    result = run(["-c", script], env)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert values["CSRF_COOKIE_NAME"].startswith("__Host-")
    assert (
        values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"] and values["SESSION_COOKIE_HTTPONLY"]
    )
    assert values["SECURE_HSTS_SECONDS"] >= 183 * 24 * 60 * 60  # at least six months
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert values["SECURE_SSL_REDIRECT"] and values["SECURE_REDIRECT_EXEMPT"] == ["^healthz$"]
    assert values["SESSION_COOKIE_AGE"] == 12 * 60 * 60


def test_a_production_answer_sets_the_host_prefixed_secure_cookie_and_hsts():
    """ASVS V3.4.1-V3.4.4: a page over HTTPS sets __Host-csrftoken (Secure, Path=/) and HSTS."""
    script = (
        "import django; django.setup();"
        "from django.test import Client; from django.test.utils import setup_test_environment;"
        "setup_test_environment();"
        "r = Client().get('/qualifications/guides/', secure=True, HTTP_HOST='docregsys.example.gov.cn');"
        "c = r.cookies['__Host-csrftoken'];"
        "print(r.status_code, r['Strict-Transport-Security'], bool(c['secure']), c['path'], repr(c['domain']), sep='|')"
    )
    env = production_env(
        DJANGO_SETTINGS_MODULE="docregsys.settings",
        DATABASE_URL="sqlite://:memory:",
        STATICFILES_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage",  # no collectstatic here
    )
    result = run(["-c", script], env)
    assert result.returncode == 0, result.stderr
    status, hsts, secure, path, domain = result.stdout.strip().split("|")
    assert status == "200"
    assert hsts == "max-age=31536000; includeSubDomains; preload"
    assert secure == "True" and path == "/" and domain == "''"


def test_startup_refuses_a_missing_secret_key_when_debug_is_off():
    """Issue 8 §4: DEBUG=false with no SECRET_KEY stops every command, with a message that says why."""
    result = run(["manage.py", "check"], production_env(SECRET_KEY=""))
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set when DEBUG=false." in result.stderr


def test_startup_refuses_a_missing_identity_key_when_debug_is_off():
    """Issue 8 §4: DEBUG=false with neither IDENTITY_KEY nor an existing key file stops every command."""
    result = run(["manage.py", "check"], production_env(IDENTITY_KEY=""))
    assert result.returncode != 0
    assert (
        "ImproperlyConfigured: IDENTITY_KEY (or an existing IDENTITY_KEY_FILE) must be set" in result.stderr
    )


def test_an_identity_key_file_is_enough(tmp_path):
    """Issue 8 §4: IDENTITY_KEY_FILE (a mounted secret) stands in for IDENTITY_KEY."""
    key_file = tmp_path / "identity.key"
    key_file.write_text(IDENTITY_KEY)
    result = run(["manage.py", "check"], production_env(IDENTITY_KEY="", IDENTITY_KEY_FILE=str(key_file)))
    assert result.returncode == 0, result.stderr


def test_development_needs_neither_key():
    """X-5: with DEBUG on (the default) a newcomer's first run starts without any secret."""
    result = run(["manage.py", "check"], production_env(DEBUG="true", SECRET_KEY=None, IDENTITY_KEY=None))
    assert result.returncode == 0, result.stderr
