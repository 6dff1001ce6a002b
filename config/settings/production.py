"""Production: everything from the environment, secure by default."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    ALLOWED_HOSTS,
    MITPLANEN_2FA_WAIVED_EMAILS,
    MITPLANEN_REQUIRE_COORDINATOR_2FA,
    SECRET_KEY,
    env_bool,
    os,
)

if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")

# The second factor is waived only in the embedded demo; a production installation that asks
# for a waiver (or turns the rule off) refuses to start rather than run with a back door.
if MITPLANEN_2FA_WAIVED_EMAILS or not MITPLANEN_REQUIRE_COORDINATOR_2FA:
    raise ImproperlyConfigured(
        "Production requires TOTP for every coordinator: unset MITPLANEN_2FA_WAIVED_EMAILS "
        "and MITPLANEN_REQUIRE_COORDINATOR_2FA."
    )

# A request's Host header picks nothing unless it is one of ours: "*" would let any host
# through to the pages that build absolute addresses from it.
if "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must name the site's hosts, not '*'.")

DEBUG = False
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
STORAGES = {
    # Uploads appear only complete; a storage that cannot write answers a clear error.
    "default": {"BACKEND": "participation.media_storage.MediaStorage"},
    "staticfiles": {"BACKEND": "participation.storage.StaticFilesStorage"},
}
