import os

# Playwright's sync API runs an event loop in the test thread; Django's ORM would refuse to
# run beside it. The tests never share a connection across threads, so this is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402
from django.conf import settings  # noqa: E402
from django.utils import translation  # noqa: E402

from tests.browser import browser, no_csp_violations, page  # noqa: E402, F401
from tests.factories import (  # noqa: E402
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    give_totp,
    member_of,
)
from tests.services_support import own_postgres, throwaway_redis  # noqa: E402, F401

SERVICES_AVAILABLE = bool(settings.DATABASE_URL and settings.REDIS_URL)


def pytest_report_header(config):
    if SERVICES_AVAILABLE:
        return "mitplanen: services mode (PostgreSQL and Redis)"
    return "mitplanen: EMBEDDED FALLBACK - tests marked 'services' are SKIPPED"


ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
NO_ROW_LOCKS = pytest.mark.skip(
    reason="needs PostgreSQL: its row locks (select_for_update) decide this race; "
    "SQLite has none and runs writers one at a time, so the test would prove nothing"
)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    # The longest tests first (after pytest-django has grouped the tests by their kind of
    # database access): with several workers (make test) a long one started last would keep
    # the whole run waiting for it.
    items.sort(key=lambda item: "slow" not in item.keywords)
    if not ON_POSTGRESQL:
        for item in items:
            if "row_locks" in item.keywords:
                item.add_marker(NO_ROW_LOCKS)
    if SERVICES_AVAILABLE:
        return
    if os.environ.get("REQUIRE_SERVICES") == "1":
        raise pytest.UsageError(
            "REQUIRE_SERVICES=1 but DATABASE_URL and REDIS_URL are not both set."
        )
    skip = pytest.mark.skip(reason="needs real PostgreSQL and Redis (embedded fallback)")
    for item in items:
        if "services" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def county_office():
    return OrganisationFactory(name="Kreisverwaltung", kind="county_office", ags=None)


@pytest.fixture
def coordinator(county_office):
    """A coordinator with TOTP set up, so the 2FA rule lets them through."""
    user = member_of(county_office, is_coordinator=True)
    give_totp(user)
    return user


@pytest.fixture
def own_org():
    return OrganisationFactory(name="Stadt Siegburg", ags="05382060")


@pytest.fixture
def other_org():
    return OrganisationFactory(name="Gemeinde Much", ags="05382036")


@pytest.fixture
def member(own_org):
    """Belongs to own_org."""
    return member_of(own_org)


@pytest.fixture
def outsider(other_org):
    """Belongs to other_org only."""
    return member_of(other_org)


@pytest.fixture
def participant():
    """Has an account and a person, but no organisation."""
    user = UserFactory()
    PersonFactory(user=user, email=user.email)
    return user


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the site's default language: a request in an earlier test
    (LocaleMiddleware) must not leave its language active for the next one."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
