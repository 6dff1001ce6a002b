"""The progress matrix fits a 1280 px screen: deadline and actions are not cut off."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from surveys.demo import TITLE
from surveys.models import Survey
from tests.test_accessibility_browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_demo_progress_matrix_fits_a_1280_px_screen(page, live_server, coordinator):
    call_command("seed_demo", verbosity=0)
    survey = Survey.objects.get(title=TITLE)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, coordinator)
    page.goto(f"{live_server.url}{reverse('surveys:progress', args=[survey.pk])}")

    table = page.get_by_role("table", name="Fortschritt jeder Organisation nach Abschnitt")
    for name in ("Frist", "Aktionen"):
        box = table.get_by_role("columnheader", name=name, exact=True).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 1280, (name, box)
    main = page.locator("main").bounding_box()
    assert table.bounding_box()["width"] <= main["width"]  # nothing scrolled out of sight
    extend = table.locator("summary").first.bounding_box()
    assert extend["x"] + extend["width"] <= 1280, extend
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert_accessible(page)
