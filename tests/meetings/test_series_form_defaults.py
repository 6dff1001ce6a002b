"""A new series form starts on a preset cadence, not on writing the rule by hand."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_new_series_starts_on_the_quarterly_preset(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("meetings:series_create")).content.decode()
    assert '<option value="quarterly" selected>' in page
    assert '<option value="TU" selected>' in page
    assert '<option value="2" selected>' in page
