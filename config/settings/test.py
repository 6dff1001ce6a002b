"""The test suite: real PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set (make test
sets them), mail to memory, Celery inline unless a test starts its own worker."""

import tempfile

from .base import *  # noqa: F403
from .base import os

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
