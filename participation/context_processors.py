from django.conf import settings

from .selectors import is_coordinator


def site(request):
    return {
        "run_mode": settings.RUN_MODE,
        "two_factor_waived_emails": settings.MITPLANEN_2FA_WAIVED_EMAILS,
        "signup_open": settings.ACCOUNT_ALLOW_SIGNUPS,
        "is_coordinator": is_coordinator(getattr(request, "user", None)),
    }
