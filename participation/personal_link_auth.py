"""API access through a personal link, for people without an account: the token goes in
the header `Authorization: <keyword> <token>`, never in the address, so it stays out of
server and proxy logs. Each kind of link (an invitation, a date poll, a task) subclasses
`PersonalLinkAuthentication` with its keyword and its lookup."""

from django.contrib.auth.models import AnonymousUser
from rest_framework.authentication import BaseAuthentication, get_authorization_header


class PersonalLinkAuthentication(BaseAuthentication):
    """The request stays anonymous; `request.auth` is what the token opens. A malformed or
    unusable token is ignored (None), so the view answers its one 404 for every case."""

    keyword = ""

    def resolve(self, token: str):
        """What the token opens, or None."""
        raise NotImplementedError

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if len(parts) != 2 or parts[0].lower() != self.keyword.lower().encode():
            return None
        try:
            token = parts[1].decode()
        except UnicodeError:
            return None
        target = self.resolve(token)
        if target is None:
            return None
        return AnonymousUser(), target

    def authenticate_header(self, request):
        return self.keyword


def personal_link_scheme(keyword: str, holder: str) -> dict:
    """The OpenAPI security scheme of a `PersonalLinkAuthentication`."""
    return {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": f"The personal token of {holder}, with the prefix "
        f'"{keyword}": `Authorization: {keyword} <token>`.',
    }
