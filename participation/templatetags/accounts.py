"""How templates name a user account, which may be gone: records keep their author as a
nullable reference (the demo's answers have none; a deleted account leaves none)."""

from django import template
from django.utils.translation import pgettext

register = template.Library()


@register.filter
def account_name(user):
    """The person's name, else the account's address; "unknown" when there is no account."""
    if user is None:
        return pgettext("author of a record", "unknown")
    person = getattr(user, "person", None)  # an account without a person raises AttributeError
    return person.full_name if person else user.email
