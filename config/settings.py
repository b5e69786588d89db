"""Django settings: wiring only. Values come from config.env (environment variables)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import (
    BASE_DIR,
    DEV_DATA_KEYS,
    DEV_DISCIPLINE_KEYS,
    DEV_INDEX_KEY,
    DEV_SECRET_KEY,
    env,
    process_env,
)
from lianfang.core.clientaddr import parse_networks

PRODUCTION = env.environment == "production"
DEBUG = not PRODUCTION
SECRET_KEY = env.secret_key
if PRODUCTION and (SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("Set LIANFANG_SECRET_KEY (50+ random characters) in production.")
ALLOWED_HOSTS = [h.strip() for h in env.allowed_hosts.split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in env.csrf_trusted_origins.split(",") if o.strip()]
try:
    LIANFANG_TRUSTED_PROXIES = parse_networks(env.trusted_proxies)
except ValueError as exc:
    raise ImproperlyConfigured(f"LIANFANG_TRUSTED_PROXIES: {exc}") from exc
VAR_DIR = env.var_dir
# var/ holds the SQLite database and collected static files; whitenoise expects the latter.
(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "auditlog",
    "lianfang.core",
    "lianfang.accounts",
    "lianfang.regions",
    "lianfang.people",
    "lianfang.monitoring",
    "lianfang.checkpoints",
    "lianfang.cases",
    "lianfang.discipline",
    "lianfang.reporting",
]
# Demo seeding, benchmarks and load servers: never in production, except on the benchmark's own
# server (LIANFANG_BENCH), which runs production settings to measure what production runs.
if not PRODUCTION or env.bench:
    INSTALLED_APPS.append("lianfang.devtools")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "lianfang.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "lianfang.accounts.middleware.ActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "lianfang.core.middleware.AuditContextMiddleware",
    "axes.middleware.AxesMiddleware",
    "lianfang.core.middleware.ProjectErrorPagesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "lianfang" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lianfang.accounts.context_processors.navigation",
            ],
        },
    }
]
# Every form marks its invalid fields (is-invalid, aria-invalid) when rendered: core/forms.py.
FORM_RENDERER = "lianfang.core.forms.FormRenderer"

# --- database ---------------------------------------------------------------------------------
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
    ),
}


def _database() -> dict[str, Any]:
    if process_env.database_url:
        cfg: dict[str, Any] = dict(
            dj_database_url.parse(
                process_env.database_url, conn_max_age=600, conn_health_checks=True
            )
        )
    else:
        cfg = {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "lianfang.sqlite3"),
            "CONN_MAX_AGE": 600,
        }
    if cfg["ENGINE"] == "django.db.backends.sqlite3":
        cfg["OPTIONS"] = {**SQLITE_OPTIONS, **cfg.get("OPTIONS", {})}
        cfg.setdefault("TEST", {})["NAME"] = None  # in-memory for tests unless asked otherwise
    return cfg


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- accounts -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "regions:home"
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_COOKIE_AGE = env.session_hours * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
API_TOKEN_LIFETIME = timedelta(days=env.token_days)
OTP_TOTP_ISSUER = "lianfang 联防"

AXES_FAILURE_LIMIT = env.lockout_failures
AXES_COOLOFF_TIME = timedelta(minutes=env.lockout_minutes)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "lianfang.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "lianfang.core.clientaddr.client_address"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
# Lock by username only: district offices share one NAT address, and an IP lock would shut out
# every colleague behind it (docs/adr/0002). Repeated failures still lock the account.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

# --- personal data at rest (lianfang/core/crypto.py) ------------------------------------------
LIANFANG_DATA_KEYS = env.data_keys or DEV_DATA_KEYS
LIANFANG_INDEX_KEY = env.index_key or DEV_INDEX_KEY
LIANFANG_DISCIPLINE_KEYS = env.discipline_keys or DEV_DISCIPLINE_KEYS
LIANFANG_NOTIFICATIONS = env.notifications
LIANFANG_SMS_GATEWAY = env.sms_gateway
LIANFANG_BENCH = env.bench
if PRODUCTION and (not env.data_keys or not env.index_key or not env.discipline_keys):
    raise ImproperlyConfigured(
        "Set LIANFANG_DATA_KEYS, LIANFANG_INDEX_KEY and LIANFANG_DISCIPLINE_KEYS in production."
    )

# --- i18n ---------------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "lianfang" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static -------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# --- security -----------------------------------------------------------------------------------
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- jobs ---------------------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- logging ------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"redact": {"()": "lianfang.core.logging.RedactPersonalDataFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact"],
        }
    },
    "root": {"handlers": ["console"], "level": env.log_level},
    # Django's own loggers lose the handlers of its default configuration (a console handler
    # with DEBUG on, mail to ADMINS without) and propagate to the root's one redacting handler:
    # otherwise "Not Found: /people/<phone>/" reached the console in clear beside it.
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
        "axes": {"level": "WARNING"},
    },
}
