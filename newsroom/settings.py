"""Newsroom settings, read from the environment (12-factor).

Defaults give a new user a working app with no server: a SQLite file and Celery tasks run
eagerly in-process. Set DATABASE_URL and CELERY_BROKER_URL for PostgreSQL, Redis and workers.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

# Marks the insecure development default so production can refuse it (see check_production).
DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def secret_key_is_strong(key: str) -> bool:
    """Django's own rule for `check --deploy` (security.W009), so the two never disagree."""
    return (
        len(set(key)) >= SECRET_KEY_MIN_UNIQUE_CHARACTERS
        and len(key) >= SECRET_KEY_MIN_LENGTH
        and not key.startswith(SECRET_KEY_INSECURE_PREFIX)
    )


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Production (NEWSROOM_PRODUCTION=1) refuses to start with DEBUG on or the development key.
PRODUCTION = env_bool("NEWSROOM_PRODUCTION", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production (NEWSROOM_PRODUCTION=1).")
if PRODUCTION and (SECRET_KEY == DEV_SECRET_KEY or not secret_key_is_strong(SECRET_KEY)):
    raise ImproperlyConfigured(
        f"Set SECRET_KEY to {SECRET_KEY_MIN_LENGTH}+ random characters (at least {SECRET_KEY_MIN_UNIQUE_CHARACTERS} "
        f"different ones, not starting {SECRET_KEY_INSECURE_PREFIX!r}) in production (NEWSROOM_PRODUCTION=1)."
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_filters",
    "csp",
    "articles",
    "axes",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "articles.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Locks out a username and address after repeated failed admin logins (AXES_* below).
    "axes.middleware.AxesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "newsroom.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"

# https://github.com/jazzband/dj-database-url: DATABASE_URL=postgres://user@host:5432/name
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# https://django-axes.readthedocs.io/en/latest/4_configuration.html
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours: a lockout lifts after 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))

# Security headers. The CSP forbids inline script and any third-party origin.
# https://django-csp.readthedocs.io/en/latest/configuration.html
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Behind a TLS-terminating proxy in production: https://docs.djangoproject.com/en/5.2/ref/settings/#secure-proxy-ssl-header
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Celery, configured from Django settings with the CELERY_ namespace (newsroom/celery.py).
# No broker: tasks run eagerly in the calling process, so `make run` needs no Redis.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "") or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A task is acknowledged after it ran, and redelivered if its worker dies mid-task.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Time limits stay below the Redis visibility timeout, so a slow task is never delivered twice.
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
# How long Redis waits before redelivering the task of a worker that died without acking it
# (https://docs.celeryq.dev/en/stable/getting-started/backends-and-brokers/redis.html#visibility-timeout).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600"))}
# Two queues: `fetch` (network-bound: many threads) and `process` (CPU-bound: one per core).
# The names come from the environment so a test worker can use queues of its own.
NEWSROOM_FETCH_QUEUE = os.environ.get("NEWSROOM_FETCH_QUEUE", "fetch")
NEWSROOM_PROCESS_QUEUE = os.environ.get("NEWSROOM_PROCESS_QUEUE", "process")
CELERY_TASK_DEFAULT_QUEUE = NEWSROOM_PROCESS_QUEUE
CELERY_TASK_ROUTES = {
    "articles.ingest.tasks.feed_fetch": {"queue": NEWSROOM_FETCH_QUEUE},
    "articles.ingest.tasks.items_fetch": {"queue": NEWSROOM_FETCH_QUEUE},
    "articles.ingest.tasks.url_ingest": {"queue": NEWSROOM_FETCH_QUEUE},
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Beat queues the feeds that are due every minute; each feed's own interval decides when it is due.
# https://docs.celeryq.dev/en/stable/userguide/periodic-tasks.html
CELERY_BEAT_SCHEDULE = {
    "feeds-poll": {"task": "articles.ingest.tasks.feeds_poll", "schedule": 60.0},
    # The mentions charts' past months (articles/queries/mentions.py); the current month is live.
    "refresh-mention-months": {"task": "articles.browse.tasks.refresh_mention_months", "schedule": 1800.0},
}

# Fetching (articles/ingest/fetch.py). The private-address guard is lifted only for tests and
# local demos; the per-host interval is shared through Redis when there is one.
NEWSROOM_FETCH_ALLOW_PRIVATE = env_bool("NEWSROOM_FETCH_ALLOW_PRIVATE", False)
NEWSROOM_FETCH_HOST_INTERVAL = float(os.environ.get("NEWSROOM_FETCH_HOST_INTERVAL", "1.0"))
NEWSROOM_FETCH_USER_AGENT = os.environ.get(
    "NEWSROOM_FETCH_USER_AGENT", "Newsroom/1.0 (news archive of the Afghanistan peace process)"
)
NEWSROOM_RATE_LIMIT_REDIS_URL = os.environ.get(
    "NEWSROOM_RATE_LIMIT_REDIS_URL", CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else ""
)

# The JSON API (articles/api/): https://www.django-rest-framework.org/api-guide/settings/
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so that a request without credentials gets 401 and `WWW-Authenticate: Token`.
        "rest_framework.authentication.TokenAuthentication",  # tokens are made in the admin
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["articles.api.permissions.ReadOnlyOrStaff"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_ANON_RATE", "120/minute"),
        "user": os.environ.get("API_USER_RATE", "1200/minute"),
    },
    # The client's address is REMOTE_ADDR unless this many proxies in front add X-Forwarded-For;
    # trusting the header by default would let anyone pick a fresh address per request.
    "NUM_PROXIES": int(os.environ.get("API_NUM_PROXIES", "0")),
    "EXCEPTION_HANDLER": "articles.api.errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "articles.api.schema.NewsroomAutoSchema",
}
# https://drf-spectacular.readthedocs.io/en/latest/settings.html; the sidecar serves Swagger UI locally.
SPECTACULAR_SETTINGS = {
    "TITLE": "Newsroom API",
    "DESCRIPTION": "Articles on the Afghanistan peace process, tagged with the people, organizations, places, "
    "topics and events they mention. Reads are public and throttled; writes are for staff.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "EventKindEnum": "articles.models.EventKind",
        "OrganizationKindEnum": "articles.models.OrganizationKind",
        "PlaceKindEnum": "articles.models.PlaceKind",
        "ActorKindEnum": "articles.api.serializers.ACTOR_KINDS",
        "TagKindEnum": "articles.api.serializers.TAG_KINDS",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "articles.api.schema.add_error_responses",
    ],
}
# Throttling counts requests in the cache: set CACHE_URL (redis://...) to share it between processes.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["CACHE_URL"]}
    if os.environ.get("CACHE_URL")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
