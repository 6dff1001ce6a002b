"""The security tests' world: built once per module inside a transaction that is rolled back
at the module's end (tests/security/world.py)."""

import pytest
from django.core.cache import cache
from django.db import transaction

from tests.security.world import build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        cache.clear()
        yield build_world()
        transaction.set_rollback(True)
    cache.clear()


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Rate limits live in the cache; a test's own failures must not lock out the next."""
    cache.clear()
    yield
    cache.clear()
