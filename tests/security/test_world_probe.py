import pytest

from tests.security.world import build_world


@pytest.mark.django_db
def test_probe():
    w = build_world()
    print(vars(w).keys())
