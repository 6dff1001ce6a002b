from allauth.mfa.models import Authenticator
from auditlog.middleware import AuditlogMiddleware as BaseAuditlogMiddleware
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import queueing, rate_limits, security_log
from .selectors import NotVisible

# Paths a coordinator without TOTP may still reach: sign-in, 2FA set-up, language, health,
# and the legal pages, which everyone must always be able to read (their edit page is not).
OPEN_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/healthz", "/jsi18n/")
LEGAL_PATHS = ("/impressum/", "/datenschutz/", "/barrierefreiheit/")


TOTP_REQUIRED = gettext_lazy("Coordinators must set up two-factor authentication first.")


def coordinator_needs_totp(user):
    """True for a coordinator (or anyone who may use the admin) without TOTP: every way in
    (session, API token, WebSocket) refuses them until they have set it up."""
    if not (settings.MITPLANEN_REQUIRE_COORDINATOR_2FA and user.is_authenticated):
        return False
    if not (user.acts_as_coordinator or (user.is_active and user.is_staff)):
        return False
    if user.email.lower() in {email.lower() for email in settings.MITPLANEN_2FA_WAIVED_EMAILS}:
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class CoordinatorTwoFactorMiddleware:
    """Coordinators reach nothing but the 2FA set-up until they have activated TOTP."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            not request.path.startswith(OPEN_PREFIXES)
            and request.path not in LEGAL_PATHS
            and coordinator_needs_totp(request.user)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": str(TOTP_REQUIRED)}, status=403)
            messages.info(
                request,
                _("As a coordinator you need two-factor authentication. Please set it up now."),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)


class AuditlogMiddleware(BaseAuditlogMiddleware):
    """Audit entries note the client's address by the platform's rule; django-auditlog's own
    would take whatever X-Forwarded-For (and X-Forwarded-Port) any client sends."""

    @staticmethod
    def _get_remote_addr(request):
        try:
            return rate_limits.client_ip(request)
        except PermissionDenied:  # no address at all (a Unix socket)
            return None

    @staticmethod
    def _get_remote_port(request):
        return None


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


class SecurityLogMiddleware:
    """Holds the request for entries written without one at hand (a role change), and logs
    a record another organisation's user asked for (the access helpers answer 404 with
    `NotVisible`); the answer stays a plain 404."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with security_log.answering(request):
            return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotVisible):
            record_denied(request, exception.model_name, exception.pk)


def record_denied(request, model_name, pk):
    security_log.record(
        security_log.Kind.ACCESS_DENIED, request=request, record=f"{model_name}:{pk}"
    )


class ExportLogMiddleware:
    """Every export of personal data that is handed out (a response `private_download`
    marked with `export=`) leaves an EXPORTED entry in the security log. After the view, so an
    API token's user (authenticated inside DRF) is known too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        export = getattr(response, "personal_data_export", None)
        if export is not None and 200 <= response.status_code < 300:
            name, filename = export
            security_log.record(
                security_log.Kind.EXPORTED, request=request, export=name, file=filename
            )
        return response
