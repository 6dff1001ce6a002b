"""How API calls authenticate: a token is one more way in, so it answers to the same
account state, rate limit and second-factor rule as a browser session."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .. import api_tokens
from ..middleware import TOTP_REQUIRED, coordinator_needs_totp

INVALID = _("Invalid, expired or revoked token.")


class TokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token <key>` with a key created on the account's API tokens page."""

    keyword = "Token"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(INVALID)
        try:
            raw = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(INVALID) from None
        try:
            token = api_tokens.authenticate(request, raw)
        except api_tokens.RateLimited:
            raise exceptions.Throttled(
                wait=api_tokens.WINDOW_SECONDS,
                detail=gettext("Too many failed attempts with API tokens. Please try again later."),
            ) from None
        if token is None:
            raise exceptions.AuthenticationFailed(INVALID)
        if coordinator_needs_totp(token.user):
            raise exceptions.PermissionDenied(TOTP_REQUIRED)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "An API token from the account's API tokens page (/account/tokens/), "
            'with the prefix "Token": `Authorization: Token <key>`.',
        }
