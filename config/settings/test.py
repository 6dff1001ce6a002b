"""The test suite: real PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set (make test
sets them), mail to memory, Celery inline unless a test starts its own worker."""

import os
import tempfile
from urllib.parse import urlsplit, urlunsplit


def _own_redis_database(url, worker):
    """The suite's Redis URL with the database number moved on by the worker's number
    (gw0: +0, gw1: +1, …)."""
    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0) + int(worker.removeprefix("gw"))
    return urlunsplit(parts._replace(path=f"/{number}"))


_MEDIA_ROOT = os.environ.get(
    "MEDIA_ROOT", os.path.join(tempfile.gettempdir(), "mitplanen-test-media")
)

# pytest-xdist runs the suite in several processes ("gw0", "gw1", …). Each has its own test
# database (pytest-django adds the worker's name to it) and here its own Redis database (cache,
# rate limits, channel layer, broker) and media folder. Set in the environment, so the servers
# and workers a test starts use the same; they inherit the marker and change nothing again.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if _WORKER and os.environ.get("MITPLANEN_TEST_WORKER") != _WORKER:
    os.environ["MITPLANEN_TEST_WORKER"] = _WORKER
    if os.environ.get("REDIS_URL"):
        os.environ["REDIS_URL"] = _own_redis_database(os.environ["REDIS_URL"], _WORKER)
    os.environ["MEDIA_ROOT"] = _MEDIA_ROOT = os.path.join(_MEDIA_ROOT, _WORKER)

from .base import *  # noqa: E402, F403
from .base import DATABASES  # noqa: E402

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-used-anywhere-else-0123456789"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
ALLOWED_HOSTS = ["*"]
MEDIA_ROOT = _MEDIA_ROOT

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
