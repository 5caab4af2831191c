"""Settings for docregsys: one module, every environment difference read from env vars."""

from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="django-insecure-dev-only-change-me" if DEBUG else "")
if not DEBUG and not SECRET_KEY:
    # Refuse to start rather than sign sessions and reset links with a guessable key.
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG=false.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_results",
    "django_celery_beat",
    "simple_history",
    "axes",
    "captcha",
    "docregsys.reference",
    "docregsys.messaging",
    "csp",
    "accounts",
    "approvals",
    "institutions",
    "qualifications",
    "registrations",
    "printing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "docregsys.middleware.ChosenLanguageMiddleware",  # the language cookie or zh-hans, not Accept-Language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "docregsys.middleware.SessionLimitsMiddleware",
    "docregsys.middleware.NoStoreForAuthenticatedMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "docregsys.urls"
WSGI_APPLICATION = "docregsys.wsgi.application"
ASGI_APPLICATION = "docregsys.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
            ],
        },
    },
]

# Database: a SQLite file for a newcomer's first run, PostgreSQL in production and on CI.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.LoginIdentifierBackend",
]
# Argon2id first: memory-hard, and 165 ms a hash here against PBKDF2's 610 ms (benches/doctor_signup.py):
# sign-up is bound by this hash when a year's new passers rush in. PBKDF2 still verifies older hashes,
# which Django upgrades at the next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "docregsys.identity.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "docregsys.identity.validators.LettersAndDigitsPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Identity encryption (ID numbers are stored as AES-GCM ciphertext + keyed HMAC digest).
# Production: IDENTITY_KEY (base64 of 32 random bytes) or IDENTITY_KEY_FILE.
# Development: a key is generated into .local/identity.key (ignored by git) on first use.
IDENTITY_KEY = env("IDENTITY_KEY", default="")
IDENTITY_KEY_FILE = env("IDENTITY_KEY_FILE", default=str(BASE_DIR / ".local" / "identity.key"))
IDENTITY_KEY_AUTOCREATE = env.bool("IDENTITY_KEY_AUTOCREATE", default=DEBUG)
if not DEBUG and not IDENTITY_KEY and not Path(IDENTITY_KEY_FILE).is_file():
    # Without the key no stored ID number can be read or looked up: fail at startup, not at the first sign-up.
    raise ImproperlyConfigured(
        "IDENTITY_KEY (or an existing IDENTITY_KEY_FILE) must be set when DEBUG=false."
    )

# Redis: with REDIS_URL unset there is no server to talk to: tasks run in-process, eagerly,
# and the cache is local memory.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A job whose worker died is redelivered after this many seconds (Redis' default is an hour).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=600)}
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The outbox retry loop: messages whose kick was lost (broker down at commit) go out within this time.
CELERY_BEAT_SCHEDULE = {
    "outbox-drain": {
        "task": "messaging.outbox_drain",
        "schedule": env.float("OUTBOX_RETRY_SECONDS", default=30.0),
    },
    # PRN-2: documents whose render was never queued (broker down at commit) are queued again.
    "printing-requeue": {"task": "printing.requeue", "schedule": 60.0},
}

# PRN-1…4 signatures: the production key and certificate come from files (PEM, EC P-256); without them
# a development pair is generated once into .local/signing/ (refused when DEBUG is off).
SIGNING_KEY_FILE = env("SIGNING_KEY_FILE", default=str(BASE_DIR / ".local" / "signing" / "dev-signing.pem"))
SIGNING_CERT_FILE = env("SIGNING_CERT_FILE", default=SIGNING_KEY_FILE)
SIGNING_GENERATE_DEV_KEY = env.bool("SIGNING_GENERATE_DEV_KEY", default=DEBUG)
# The address printed in QR codes (PUB-1); the public pages' origin.
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", default="http://127.0.0.1:8000")

# SMS gateway: console (development), file (tests), http (production gateway).
SMS_BACKEND = env("SMS_BACKEND", default="console")
SMS_FILE_PATH = env("SMS_FILE_PATH", default=str(BASE_DIR / ".local" / "sms"))
SMS_HTTP_URL = env("SMS_HTTP_URL", default="")
SMS_HTTP_TOKEN = env("SMS_HTTP_TOKEN", default="")

# ACC-4 codes: lifetime, guesses, resend interval and daily limit per phone/e-mail and per client.
CODE_TTL_SECONDS = env.int("CODE_TTL_SECONDS", default=300)
CODE_MAX_ATTEMPTS = 5
CODE_RESEND_SECONDS = env.int("CODE_RESEND_SECONDS", default=60)
CODE_DAILY_LIMIT = env.int("CODE_DAILY_LIMIT", default=10)
# ACC-5a: how long an institution's activation code stays valid.
ACTIVATION_CODE_TTL_DAYS = env.int("ACTIVATION_CODE_TTL_DAYS", default=7)
# INS-8: 医师验证 lookups by ID number per officer and day (each one audited).
DOCTOR_LOOKUP_DAILY_LIMIT = env.int("DOCTOR_LOOKUP_DAILY_LIMIT", default=200)
# Public holidays skipped when an authority's time limit is counted in working days (ISO dates).
PUBLIC_HOLIDAYS = env.list("PUBLIC_HOLIDAYS", default=[])
# ACC-6: reset links and codes die within 30 minutes (and when the password changes).
PASSWORD_RESET_TIMEOUT = 30 * 60

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="noreply@docregsys.local")

# Login throttling: lock username+IP pairs, not whole IPs (a hospital shares one address).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

CAPTCHA_TEST_MODE = env.bool("CAPTCHA_TEST_MODE", default=False)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
# Doctors' photos (REG-8): outside the static and media roots, never served by the web server; pages and
# the API hand them out one by one after checking who asks.
PRIVATE_MEDIA_ROOT = env("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / ".local" / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_STORAGE",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# An exam-centre file for a whole year is tens of MB.
IMPORT_MAX_UPLOAD_BYTES = env.int("IMPORT_MAX_UPLOAD_BYTES", default=200 * 1024 * 1024)

# ---- Security baseline (issue 8 §4, ASVS V3/V14); README "Security baseline" explains each value.
# Sessions: 30 minutes idle, 12 hours at most since login (docregsys.middleware.SessionLimitsMiddleware);
# the cookie itself lives no longer than the absolute limit (Django's default is two weeks).
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT_SECONDS", default=30 * 60)
SESSION_ABSOLUTE_TIMEOUT = env.int("SESSION_ABSOLUTE_TIMEOUT_SECONDS", default=12 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
# __Host- cookies are only accepted over HTTPS, for the exact host and path /: no subdomain can set or
# shadow them. Plain names in development, where the cookies are not Secure.
SESSION_COOKIE_NAME = "__Host-sessionid" if SESSION_COOKIE_SECURE else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if CSRF_COOKIE_SECURE else "csrftoken"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if not DEBUG else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# The container health check asks over plain HTTP from inside; it must not be sent to https.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# CSP (django-csp 4): no 'unsafe-inline' anywhere. Scripts and styles come from our own static files;
# a <style>/<script> element a third-party template must keep carries the per-request nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "docregsys.authentication.ExpiringTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "docregsys.pagination.ProjectPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "docregsys.openapi.ProjectAutoSchema",
    # JSON bounded in depth, strict UTF-8: no request body ends in a 500.
    "DEFAULT_PARSER_CLASSES": [
        "docregsys.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "docregsys.api.exception_handler",
}
# API tokens expire this many hours after they were issued (absolute, not idle): 30 days by default.
API_TOKEN_TTL_HOURS = env.int("API_TOKEN_TTL_HOURS", default=720)
SPECTACULAR_SETTINGS = {
    "TITLE": "docregsys API",
    "DESCRIPTION": "医师电子化注册信息系统 REST API",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets that share a field name ("kind") get their own component names.
    "ENUM_NAME_OVERRIDES": {
        "ApplicationKindEnum": "registrations.models.Kind",
        "ApplicationStateEnum": "registrations.models.State",
        "DoctorApplicationKindEnum": "accounts.api.applications.KIND_CHOICES",
        "AttachmentKindEnum": "accounts.api.applications.ATTACHMENT_KIND_CHOICES",
    },
}

# Logs never carry ID numbers or phone numbers: the filter masks any that slip into a message.
# Django's own loggers get masked handlers too: its defaults ("django" → console / mail_admins,
# "django.server" → runserver's access log with full query strings) would bypass the root's filter.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_personal_data": {"()": "docregsys.identity.logfilter.MaskPersonalDataFilter"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_personal_data"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["mask_personal_data"],
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO"), "propagate": False},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
