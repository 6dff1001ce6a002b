"""Gathers the home page's sections from every installed app.

An app contributes through a module `<app>.home` with `for_coordinator(user, *, today)` and/or
`for_member(user, *, today)` (the contract is `participation.home`). The modules are found
through the app registry (`participation.hooks.app_modules`), as `seed_demo` finds
`<app>.demo`: the overview imports no feature app by name, and a later app adds its lines
without touching it."""

from functools import cache

from django.db.models import TextChoices
from django.utils import timezone

from participation.home import HomeSection
from participation.hooks import app_modules
from participation.selectors import is_coordinator


@cache
def home_modules():
    """The `home` modules of the installed apps, in app order (`app_modules`)."""
    return tuple(module for _config, module in app_modules("home"))


class Role(TextChoices):
    """Whose home page: a coordinator's, or a member's (of an organisation, or none)."""

    COORDINATOR = "coordinator"
    MEMBER = "member"


def role_of(user) -> str:
    return Role.COORDINATOR if is_coordinator(user) else Role.MEMBER


def sections_for(user, *, today=None) -> list[HomeSection]:
    """Every section the installed apps give this user (a coordinator's or a member's),
    ordered by `order`, then `key`."""
    today = today or timezone.localdate()
    provider_name = f"for_{role_of(user)}"
    sections = []
    for module in home_modules():
        provider = getattr(module, provider_name, None)
        if callable(provider):
            sections.extend(provider(user, today=today))
    return sorted(sections, key=lambda section: (section.order, section.key))


def nothing_waiting(sections) -> bool:
    return not any(section.items for section in sections)
