from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from . import queueing

# Paths a coordinator without TOTP may still reach: sign-in, 2FA set-up, language, health.
OPEN_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/healthz", "/jsi18n/")


def coordinator_needs_totp(user):
    if not (settings.MITPLANEN_REQUIRE_COORDINATOR_2FA and user.is_authenticated):
        return False
    if not user.acts_as_coordinator:
        return False
    if user.email.lower() in {email.lower() for email in settings.MITPLANEN_2FA_WAIVED_EMAILS}:
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class CoordinatorTwoFactorMiddleware:
    """Coordinators reach nothing but the 2FA set-up until they have activated TOTP."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(OPEN_PREFIXES) and coordinator_needs_totp(request.user):
            if request.path.startswith("/api/"):
                message = _("Coordinators must set up two-factor authentication first.")
                return JsonResponse({"detail": message}, status=403)
            messages.info(
                request,
                _("As a coordinator you need two-factor authentication. Please set it up now."),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)


class DeferredDeliveryMiddleware:
    """Whatever a request saved to send is in the database; if the broker was down when it
    was queued, the page says that it goes out once the queue is back (API views answer
    202 with `delivery: deferred` where they send, see `queueing.deferred()`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with queueing.watching() as outcome:
            response = self.get_response(request)
        if outcome.deferred and not request.path.startswith("/api/"):
            messages.warning(request, queueing.deferred_message())
        return response
