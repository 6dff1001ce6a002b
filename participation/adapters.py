import time
from urllib.parse import urlsplit

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.utils import translation

from .mail import queue_mail, text_as_html
from .selectors import preferred_language


def on_site(url: str) -> str:
    """The same address under the configured base URL. allauth builds the links in its mails
    (a password reset, an address confirmation) from the request's Host header, which a
    client chooses: a reset link must never lead to a host an attacker named."""
    parts = urlsplit(url)
    if not parts.netloc:
        return url
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return settings.SITE_URL.rstrip("/") + path


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
            "current_site": get_current_site(request),
            "site_url": settings.SITE_URL,
        }
        ctx.update(
            {
                key: on_site(value) if key.endswith("_url") and isinstance(value, str) else value
                for key, value in context.items()
            }
        )
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

    def recipient_language(self, email, request) -> str:
        """The recipient's own preference; for an address nobody in the registry has, the
        language of the page the mail was asked for on."""
        preferred = preferred_language(email)
        if preferred:
            return preferred
        if request is not None:
            return translation.get_supported_language_variant(translation.get_language())
        return settings.LANGUAGE_CODE
