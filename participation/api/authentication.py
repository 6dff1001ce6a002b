"""How API calls authenticate: a token is one more way in, so it answers to the same
second-factor rule for coordinators as a browser session."""

from rest_framework import authentication
from rest_framework.exceptions import PermissionDenied

from ..middleware import TOTP_REQUIRED, coordinator_needs_totp


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if coordinator_needs_totp(user):
            raise PermissionDenied(TOTP_REQUIRED)
        return user, token
