"""The test suite: real PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set (make test
sets them), mail to memory, Celery inline unless a test starts its own worker."""

import tempfile

from .base import *  # noqa: F403
from .base import DATABASES, os

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-used-anywhere-else-0123456789"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
ALLOWED_HOSTS = ["*"]
MEDIA_ROOT = os.environ.get(
    "MEDIA_ROOT", os.path.join(tempfile.gettempdir(), "mitplanen-test-media")
)

# Static files come from the app finders; there is no collected STATIC_ROOT in tests.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend with a flush by DELETE instead of TRUNCATE: the same empty tables
    # after each transactional test, in milliseconds instead of seconds
    # (tests/backends/postgresql/base.py).
    DATABASES["default"]["ENGINE"] = "tests.backends.postgresql"

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not SQLite's shared in-memory database: there concurrent writers fail at once
    # ("database table is locked") instead of waiting for the lock as they do in a file.
    DATABASES["default"]["TEST"] = {
        "NAME": os.path.join(tempfile.gettempdir(), f"mitplanen-test-{os.getpid()}.sqlite3")
    }

# A task that fails inline fails the test that ran it; a test expecting a failure says so.
CELERY_TASK_EAGER_PROPAGATES = True
