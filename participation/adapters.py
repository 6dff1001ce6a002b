import time
from urllib.parse import quote, urlsplit

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from . import security_log
from .mail import queue_mail, text_as_html
from .selectors import preferred_language


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return settings.ACCOUNT_ALLOW_SIGNUPS

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """A coordinator who has just signed in (by code, say) and must now set up TOTP is
        not asked for a second code: a sign-in within the reauthentication window counts."""
        request = allauth_context.request
        if request is not None and request.user.is_authenticated:
            records = get_authentication_records(request, request.user)
            if records and time.time() - records[-1]["at"] < (
                account_settings.REAUTHENTICATION_TIMEOUT
            ):
                return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def pre_authenticate(self, request, **credentials):
        """allauth's limit on failed sign-ins; each refusal it gives goes into the security
        log as a lock-out of the address entered."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            login = str(credentials.get("email") or credentials.get("username") or "")[:200]
            user = get_user_model().objects.filter(email__iexact=login).first() if login else None
            security_log.record(
                security_log.Kind.LOCKED_OUT, request=request, user=user, login=login
            )
            raise

    def get_reauthentication_methods(self, user):
        """Whoever has a second factor confirms with it: a stolen session and a phished
        password (or a code from the mailbox) must not be enough to change the account."""
        methods = super().get_reauthentication_methods(user)
        second_factor = [m for m in methods if m["id"].startswith("mfa_reauthenticate")]
        return second_factor or methods

    def send_mail(self, template_prefix, email, context):
        """allauth's mails (sign-in codes, resets) take the platform's one mail path, as text
        and HTML in the recipient's language."""
        request = allauth_context.request
        language = self.recipient_language(email, request)
        ctx = {
            "request": request,
            "email": email,
            # Not the request's host: a stranger may send any Host header to the reset page.
            "current_site": site_on_site_url(),
            "site_url": settings.SITE_URL,
        }
        ctx.update(context)
        with translation.override(language):
            message = self.render_mail(template_prefix, email, ctx)
        alternatives = getattr(message, "alternatives", [])
        html = next((body for body, kind in alternatives if kind == "text/html"), "")
        queue_mail(
            to=email,
            subject=message.subject,
            body_text=message.body,
            body_html=html
            or text_as_html(message.body, subject=message.subject, language=language),
            language=language,
            scrub_after_sending=True,
        )

    def get_reset_password_from_key_url(self, key: str) -> str:
        """The reset link on SITE_URL, whatever host the request named."""
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return settings.SITE_URL + path.replace("UID-KEY", quote(key))

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return settings.SITE_URL + reverse("account_confirm_email", args=[emailconfirmation.key])

    def recipient_language(self, email, request) -> str:
        """The recipient's own preference; for an address nobody in the registry has, the
        language of the page the mail was asked for on."""
        preferred = preferred_language(email)
        if preferred:
            return preferred
        if request is not None:
            return translation.get_supported_language_variant(translation.get_language())
        return settings.LANGUAGE_CODE


class _SiteUrlSite:
    """What allauth's mail templates read as `current_site`: the configured SITE_URL."""

    def __init__(self, domain):
        self.domain = self.name = domain

    def __str__(self):
        return self.domain


def site_on_site_url():
    return _SiteUrlSite(urlsplit(settings.SITE_URL).netloc)
