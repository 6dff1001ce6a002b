"""System checks of the deployment (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def https_behind_a_trusted_proxy(app_configs, **kwargs):
    """`manage.py serve` speaks plain HTTP: HTTPS ends at a reverse proxy, and the app learns
    that a request came over HTTPS only from a proxy named in TRUSTED_PROXIES. Without one,
    the redirect to HTTPS would answer every request with itself."""
    if settings.SECURE_SSL_REDIRECT and not settings.TRUSTED_PROXIES:
        return [
            Warning(
                "SECURE_SSL_REDIRECT is on but TRUSTED_PROXIES is empty: no request is ever "
                "seen as HTTPS, so every one is redirected.",
                hint="Set TRUSTED_PROXIES to the address of the TLS-terminating proxy.",
                id="mitplanen.W001",
            )
        ]
    return []
