"""Settings shared by every environment. Every setting is declared here and read from the
environment; the other modules only change defaults.

Two modes:
- embedded (no DATABASE_URL / REDIS_URL): SQLite, in-memory channel layer, Celery tasks run
  inline, local-memory cache; one command starts the app with only Python installed.
- services: PostgreSQL at DATABASE_URL, Redis at REDIS_URL for channels, Celery and cache.
"""

import json
import os
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")
RUN_MODE = "services" if (DATABASE_URL or REDIS_URL) else "embedded"

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "django_celery_beat",
    "auditlog",
    "participation",
    "surveys",
    "workshops",
    "meetings",
    "consultations",
    "monitoring",
    "overview",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "participation.request_limits.FormLimitsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "participation.middleware.AuditlogMiddleware",
    "participation.middleware.CoordinatorTwoFactorMiddleware",
    "participation.middleware.SecurityLogMiddleware",
    "participation.middleware.DeferredDeliveryMiddleware",
    "participation.middleware.ExportLogMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "participation.context_processors.site",
            ],
        },
    },
]
# Every form field in KERN UX markup, in every app (participation/forms_rendering.py).
FORM_RENDERER = "participation.forms_rendering.KernFormRenderer"

# --- data stores -------------------------------------------------------------------------
if DATABASE_URL:
    # Connections are kept for a minute and checked before a request reuses one: after
    # PostgreSQL restarts, the first request opens a new connection instead of failing on
    # the dead one (docs/resilience.md). The web server closes an HTTP request's connection
    # when the request ends (participation/request_connections.py).
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            # Writers queue for the lock instead of failing with "database is locked": a
            # transaction takes the write lock when it begins (as select_for_update would on
            # PostgreSQL), others wait up to `timeout` seconds; WAL lets readers go on.
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A Redis that accepts connections but does not answer (overloaded, a half-open network
# path) must not hold requests: a cache call (rate limits, throttles) gives up after this
# many seconds, and the request answers 503 like with a Redis that is down
# (docs/resilience.md).
REDIS_TIMEOUT_SECONDS = float(os.environ.get("REDIS_TIMEOUT_SECONDS", "3"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
                "socket_timeout": REDIS_TIMEOUT_SECONDS,
            },
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [{"address": REDIS_URL, "max_connections": 1000}],
                # Pub/sub channels ignore Redis's database number: the prefix keeps two
                # installations (or test runs) sharing one Redis from hearing each other.
                "prefix": os.environ.get("CHANNEL_LAYER_PREFIX")
                or "asgi" + (urlsplit(REDIS_URL).path.strip("/") or "0"),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# --- Celery --------------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
# Inline (embedded) runs keep a failing task from breaking the page that queued it.
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Two pool processes per core: delivering mail waits on the SMTP server's replies and on the
# commit of each "sent", so with one process per core the cores idle a fifth of the time
# (bench/invitations.py: 0.48–0.49× the smtplib ceiling with 2 processes on 2 cores,
# 0.54–0.61× with 4). `--concurrency` on the command line still decides where it is given.
CELERY_WORKER_CONCURRENCY = int(
    os.environ.get("CELERY_WORKER_CONCURRENCY") or 2 * (os.cpu_count() or 1)
)
# Threads a server process gives its sockets' database work (the socket door, live
# sessions' votes and snapshots; participation/db_threads.py). Each keeps a connection of its
# own for CONN_MAX_AGE. A vote mostly waits for PostgreSQL with the interpreter lock released:
# the event loop's default pool (cores + 4: 6 threads on 2 cores) queued the votes of 1,000
# participants, 12 did not and spent less CPU on them (bench/live.py).
SOCKET_DB_THREADS = int(os.environ.get("SOCKET_DB_THREADS", "12"))
# Celery's Django fixup closes the database connection before and after every task unless
# this is set (then after this many tasks): a worker keeps its connection across tasks like
# a web process across requests, CONN_MAX_AGE and the health check deciding when it goes
# (config/celery.py). A new connection per task cost the invitation pipeline a PostgreSQL
# session per batch (bench/invitations.py).
CELERY_DB_REUSE_MAX = 1000
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "Europe/Berlin"
# Beat (DatabaseScheduler) copies these entries into its tables when it starts.
CELERY_BEAT_SCHEDULE = {
    # Downloads of one's own data: expired files removed, builds whose task was lost made.
    "data-exports": {
        "task": "participation.privacy.tend_data_exports",
        "schedule": crontab(minute="*/5"),
    },
    "survey-reminders": {
        "task": "surveys.tasks.send_due_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    # The outbox and invitations are the truth; this picks up what a lost task left unsent.
    "resume-unsent-mail": {
        "task": "participation.tasks.resume_unsent",
        "schedule": crontab(minute="*/5"),
    },
    # Hourly, so a reminder goes out within the hour its day begins; each goes once.
    "invitation-reminders": {
        "task": "participation.tasks.send_invitation_reminders",
        "schedule": crontab(minute=20),
    },
    # Keeps every meeting series' occurrences twelve months ahead; each exists once.
    "meeting-occurrences": {
        "task": "meetings.tasks.generate_occurrences",
        "schedule": crontab(hour=3, minute=10),
    },
    # Owners of tasks due in a few days are reminded, once per task (held by the database).
    "meeting-task-reminders": {
        "task": "meetings.tasks.send_task_reminders",
        "schedule": crontab(hour=7, minute=30),
    },
    # Invitees of a date poll who have not answered are reminded before its answer-by date,
    # each once (held by the database).
    "meeting-poll-reminders": {
        "task": "meetings.tasks.send_poll_reminders",
        "schedule": crontab(hour=7, minute=50),
    },
    # Consulted organisations that have not released their statement, a few days before
    # the deadline; each contact person once per day (held by the database).
    "consultation-reminders": {
        "task": "consultations.tasks.send_due_reminders",
        "schedule": crontab(hour=7, minute=15),
    },
    # Suppliers of an open delivery round that have not submitted, on the round's reminder
    # day (caught up once if beat was down); each contact person once per day at most.
    "monitoring-delivery-reminders": {
        "task": "monitoring.tasks.send_due_reminders",
        "schedule": crontab(hour=7, minute=25),
    },
    # Open consultations whose deadline and every extension have passed are closed.
    "consultation-closing": {
        "task": "consultations.tasks.close_ended",
        "schedule": crontab(hour=0, minute=20),
    },
    # Every Monday, each owner gets one digest of their overdue tasks (once per week).
    "meeting-task-overdue-digest": {
        "task": "meetings.tasks.send_overdue_digests",
        "schedule": crontab(hour=7, minute=40, day_of_week=1),
    },
    # A committee report whose build could not be queued (broker down) is built by this.
    "committee-reports-waiting": {
        "task": "overview.tasks.build_waiting_reports",
        "schedule": crontab(minute="*/5"),
    },
    # Personal data past its retention period (participation.retention) is purged, each run
    # logged. A run purges everything due up to its moment, so after beat was stopped for
    # days one run catches up; a run still waiting in Redis the next evening is dropped.
    "retention-purge": {
        "task": "participation.tasks.purge_expired",
        "schedule": crontab(hour=2, minute=30),
        "options": {"expires": 18 * 3600},
    },
}
# A mail the server refuses for a passing reason (connection refused, timeout) is tried again
# this many times, after 10 s, 20 s, 40 s ... (at most 10 minutes apart); then it has failed.
MAIL_SEND_RETRIES = int(os.environ.get("MAIL_SEND_RETRIES", "8"))
MAIL_RETRY_SECONDS = int(os.environ.get("MAIL_RETRY_SECONDS", "10"))
# Organisations that have not submitted are reminded this many days before the deadline.
SURVEY_REMINDER_DAYS_BEFORE = int(os.environ.get("SURVEY_REMINDER_DAYS_BEFORE", "7"))
# Invitees with a place are reminded this many days before the event starts ...
INVITATION_REMINDER_DAYS_BEFORE_START = int(
    os.environ.get("INVITATION_REMINDER_DAYS_BEFORE_START", "2")
)
# ... and invitees who have not replied this many days before the reply deadline.
INVITATION_REMINDER_DAYS_BEFORE_DEADLINE = int(
    os.environ.get("INVITATION_REMINDER_DAYS_BEFORE_DEADLINE", "3")
)
# Failed openings of personal links allowed per client address within 15 minutes.
INVITATION_LINK_RATE_LIMIT = int(os.environ.get("INVITATION_LINK_RATE_LIMIT", "20"))
# Failed API token checks allowed per client address within 15 minutes, then 429.
API_TOKEN_FAILURE_LIMIT = int(os.environ.get("API_TOKEN_FAILURE_LIMIT", "20"))
# Consulted organisations without a released statement are reminded this many days before
# the consultation's deadline.
CONSULTATION_REMINDER_DAYS_BEFORE = int(os.environ.get("CONSULTATION_REMINDER_DAYS_BEFORE", "5"))
# A meeting task's owner is reminded this many days before it is due; their personal link
# ends this many days after the task is done.
MEETINGS_TASK_REMINDER_DAYS = int(os.environ.get("MEETINGS_TASK_REMINDER_DAYS", "3"))
MEETINGS_TASK_LINK_DAYS_AFTER_DONE = int(os.environ.get("MEETINGS_TASK_LINK_DAYS_AFTER_DONE", "14"))
# Date poll invitees who have not answered are reminded this many days before the poll's
# answer-by date (once per poll and answer-by date).
MEETINGS_POLL_REMINDER_DAYS = int(os.environ.get("MEETINGS_POLL_REMINDER_DAYS", "2"))

# --- accounts ------------------------------------------------------------------------------
AUTH_USER_MODEL = "participation.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2 first: every new password and every older hash, rehashed at its owner's next
# sign-in; the others only read hashes made before.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "overview:home"

ACCOUNT_ADAPTER = "participation.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_PREVENT_ENUMERATION = True
# A code or reset asked for an unknown address mails nobody (the page reads the same): the
# county's sender must not mail arbitrary addresses on a stranger's request.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# Adding an address, making it primary or removing one asks for the password (or, with
# TOTP, the second factor) unless the session signed in within the last five minutes.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
# ACCOUNT_RATE_LIMITS is left at allauth's defaults: rate limits on.
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[mitplanen] "
# People come in by invitation; a coordinator may open self-signup with this switch.
ACCOUNT_ALLOW_SIGNUPS = env_bool("ACCOUNT_ALLOW_SIGNUPS", False)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "mitplanen"

# Coordinators must use TOTP. The embedded demo may waive it for listed accounts only.
MITPLANEN_REQUIRE_COORDINATOR_2FA = env_bool("MITPLANEN_REQUIRE_COORDINATOR_2FA", True)
MITPLANEN_2FA_WAIVED_EMAILS = env_list("MITPLANEN_2FA_WAIVED_EMAILS")
MITPLANEN_DEMO_EMAIL = "koordination@demo.mitplanen.example"
MITPLANEN_DEMO_PASSWORD = "Demo-Koordination-2026"
# The demo member: the social planner of Troisdorf (`manage.py ensure_demo_member`).
MITPLANEN_DEMO_MEMBER_EMAIL = "mitglied@demo.mitplanen.example"
MITPLANEN_DEMO_MEMBER_PASSWORD = "Demo-Mitglied-2026"

# --- mail ------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds an SMTP connection may stay silent before the attempt counts as failed and is
# retried (MAIL_SEND_RETRIES): a server that accepts and never answers must not hold a worker.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "mitplanen <noreply@mitplanen.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where reported barriers go (the accessibility statement's contact, § 10b BGG NRW).
ACCESSIBILITY_FEEDBACK_EMAIL = os.environ.get(
    "ACCESSIBILITY_FEEDBACK_EMAIL", "barrierefreiheit@rhein-sieg-kreis.example"
)
# Calendar entries: the organizer's address; the domain part of every event's UID and of
# every mail's Message-ID.
MITPLANEN_CALENDAR_ORGANIZER = os.environ.get(
    "MITPLANEN_CALENDAR_ORGANIZER", parseaddr(DEFAULT_FROM_EMAIL)[1]
)
MITPLANEN_CALENDAR_DOMAIN = os.environ.get(
    "MITPLANEN_CALENDAR_DOMAIN", urlsplit(SITE_URL).hostname or "mitplanen.example"
)

# --- language, time --------------------------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [
    BASE_DIR / "locale",
    # The formal "Sie" for the packages whose German says "du" (allauth, REST framework).
    BASE_DIR / "participation" / "formal_german" / "locale",
]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# --- static files ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    # Uploads appear only complete; a storage that cannot write answers a clear error.
    "default": {"BACKEND": "participation.media_storage.MediaStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded files are served only through views that check access: no URL route serves /media/.
MEDIA_URL = "/media/"

# --- request limits ---------------------------------------------------------------------------
# What Django parses from a form: field data (files not counted), fields, files.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", str(2_621_440)))
DATA_UPLOAD_MAX_NUMBER_FIELDS = int(os.environ.get("DATA_UPLOAD_MAX_NUMBER_FIELDS", "1000"))
DATA_UPLOAD_MAX_NUMBER_FILES = int(os.environ.get("DATA_UPLOAD_MAX_NUMBER_FILES", "100"))
# The largest file any upload takes (a survey question may allow up to this much).
UPLOAD_MAX_MB = int(os.environ.get("UPLOAD_MAX_MB", "50"))
# The largest body of a form or API request: the field data plus multipart framing. Larger
# bodies are refused (413) before they are read (participation/request_limits.py); requests to
# views that take files may carry UPLOAD_MAX_MB more.
REQUEST_BODY_MAX_BYTES = int(
    os.environ.get("REQUEST_BODY_MAX_BYTES", str(DATA_UPLOAD_MAX_MEMORY_SIZE + 512 * 1024))
)
# A form's body never reaches the disk; only an upload's file may.
FILE_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_MAX_BYTES
# What `manage.py serve` passes to uvicorn: connections (WebSockets included) served at once
# before new ones get 503 (open sockets count: a process holding the 1,000 participants of
# docs/scaling.md still serves pages), and the largest request head (h11; httptools keeps
# its own).
SERVE_LIMIT_CONCURRENCY = int(os.environ.get("SERVE_LIMIT_CONCURRENCY", "2000"))
SERVE_MAX_HEADER_BYTES = int(os.environ.get("SERVE_MAX_HEADER_BYTES", str(16 * 1024)))

# --- API --------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "participation.api.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
    "EXCEPTION_HANDLER": "participation.api.exceptions.exception_handler",
    # Throttles count the connecting address (see TRUSTED_PROXIES), never a client's header.
    "NUM_PROXIES": 0,
    # Scoped throttles name their limit here (requests per second/minute/hour/day).
    "DEFAULT_THROTTLE_RATES": {
        # Calls with a personal invitation token, per client address: slows down guessing.
        "invitation_reply": os.environ.get("API_INVITATION_REPLY_RATE", "30/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "mitplanen API",
    "DESCRIPTION": "Participation and workshop coordination for strategic social planning.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Nearly 200 operations: the page opens with the list of tags, a filter box finds one,
    # and every opened operation has its own address.
    # No validator: Swagger UI would otherwise send the schema's address to swagger.io.
    "SWAGGER_UI_SETTINGS": {
        "docExpansion": "none",
        "filter": True,
        "deepLinking": True,
        "validatorUrl": None,
    },
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Status choices appear in several components; one name each keeps the schema stable.
    "ENUM_NAME_OVERRIDES": {
        "SurveyStatusEnum": "surveys.models.Survey.Status",
        "ResponseStatusEnum": "surveys.models.Response.Status",
        "EventStatusEnum": "participation.models.EventStatus",
        "ReplyEnum": "participation.models.Reply",
        "OrganisationKindEnum": "participation.models.OrganisationKind",
        "AudienceEntryKindEnum": "participation.models.AudienceEntry.Kind",
        "WorkshopKindEnum": "workshops.models.Workshop.Kind",
        # An invitation's delivery and an outbox row share the mail's states.
        "DeliveryStatusEnum": "participation.models.OutboundMail.Status",
        "HomeRoleEnum": "overview.sections.Role",
        "RoleEnum": "participation.models.BodyRole",
        "MeetingTaskStatusEnum": "meetings.models.TaskStatus",
        "ConsultationStatusEnum": "consultations.models.Consultation.Status",
        "DataExportStatusEnum": "participation.models.DataExport.Status",
    },
}

# --- audit ------------------------------------------------------------------------------------
AUDITLOG_INCLUDE_ALL_MODELS = False

# --- data protection --------------------------------------------------------------------------
# Retention periods in days that differ from those declared in participation/retention.py,
# as JSON by retention key, e.g. RETENTION_DAYS='{"mail_bodies": 30, "audit": 730}'.
RETENTION_DAYS = json.loads(os.environ.get("RETENTION_DAYS") or "{}")

# --- security ---------------------------------------------------------------------------------
# Django's database sessions, read with one plain statement (participation/sessions.py).
SESSION_ENGINE = "participation.sessions"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
# A form sent with a stale token gets a page in the site's look that says what to do.
CSRF_FAILURE_VIEW = "participation.error_pages.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
# Reverse proxies in front of the app (addresses or networks, comma-separated). Only for a
# request from one of them does the server (`manage.py serve`) take the client's address from
# X-Forwarded-For and the scheme (https) from X-Forwarded-Proto; empty: nobody's header is
# believed. Every per-address limit and the audit trail then read that one address
# (REMOTE_ADDR), allauth's sign-in limits included, and `request.is_secure()` that scheme.
# Django itself believes no forwarded header from anyone: a client could send them too.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
SECURE_PROXY_SSL_HEADER = None
USE_X_FORWARDED_HOST = False
USE_X_FORWARDED_PORT = False
ALLAUTH_TRUSTED_PROXY_COUNT = 0
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = None

# Every page: scripts, styles and everything else only from this site, nothing inline
# (the templates hold no inline script or style, htmx adds no indicator styles). "data:"
# images: the TOTP QR code (allauth) and Swagger UI's icons. connect-src 'self' covers the
# live sessions' WebSocket to the same host (ws:/wss:) in current browsers; the site's own
# WebSocket origin is named too, for those that read 'self' as http(s) only.
_site = urlsplit(SITE_URL)
SITE_WEBSOCKET_ORIGIN = f"{'wss' if _site.scheme == 'https' else 'ws'}://{_site.netloc}"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF, SITE_WEBSOCKET_ORIGIN],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Every record goes through one handler, whose filter blanks the secrets some addresses carry
# (personal links, reset keys): uvicorn's access log and Django's request warnings included.
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secrets": {"()": "participation.log_redaction.RedactSecrets"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # These come with handlers of their own (Django's defaults, uvicorn's), which would
        # write records unfiltered. Their level is set too: configuring "uvicorn" resets
        # the level uvicorn gave "uvicorn.error", which then follows "uvicorn" (INFO).
        **{
            name: {"handlers": ["console"], "propagate": False, "level": LOG_LEVEL}
            for name in ("django", "django.server", "uvicorn", "uvicorn.access")
        },
    },
}

# --- meetings: agenda -------------------------------------------------------------------------
# Members of a body propose agenda items until this many days before the meeting.
MEETINGS_PROPOSAL_CUTOFF_DAYS = int(os.environ.get("MEETINGS_PROPOSAL_CUTOFF_DAYS", "7"))
