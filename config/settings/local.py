"""Developer machine and `make run`: debug on (`make run` turns it off for the demo unless
DJANGO_DEBUG=1 is given), a fixed development secret, and in the
embedded mode the demo coordinator may sign in without TOTP (the sign-in page says so)."""

from .base import *  # noqa: F403
from .base import MITPLANEN_2FA_WAIVED_EMAILS, MITPLANEN_DEMO_EMAIL, RUN_MODE, env_bool, os

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or "local-development-only-not-secret"

if RUN_MODE == "embedded" and not MITPLANEN_2FA_WAIVED_EMAILS:
    MITPLANEN_2FA_WAIVED_EMAILS = [MITPLANEN_DEMO_EMAIL]

# `make run` serves static files from the app finders; nothing is collected locally.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
