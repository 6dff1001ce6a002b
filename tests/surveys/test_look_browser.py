"""Every surveys page in its KERN UX look meets WCAG 2.1 AA (axe-core), as the coordination
and as a municipality's staff member sees it, on the demo survey with every question kind:
the list, the survey, the builder (frozen and draft) and its preview, a response section
with a refused entry, the progress matrix with a refused extension, the comparison, the
print view and the published results."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from participation.models import Organisation
from surveys import services
from surveys.demo import TITLE
from surveys.models import Question, Response, Survey
from tests.browser import wait_for_htmx
from tests.factories import member_of
from tests.test_accessibility_browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo():
    call_command("seed_demo", verbosity=0)
    return Survey.objects.get(title=TITLE)


def demo_response(survey, town):
    return Response.objects.get(survey=survey, organisation__name__endswith=town)


def test_the_coordinations_survey_pages_meet_wcag_aa(page, live_server, coordinator, demo):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, coordinator)
    url = live_server.url
    for path in (
        reverse("surveys:survey_list"),
        demo.get_absolute_url(),
        reverse("surveys:builder", args=[demo.pk]),
        reverse("surveys:preview", args=[demo.pk]),
        reverse("surveys:compare", args=[demo.pk]),
        demo_response(demo, "Siegburg").get_absolute_url(),
        reverse("surveys:response_print", args=[demo_response(demo, "Siegburg").pk]),
    ):
        assert_accessible(page, url + path)
    # The comparison of one question of each kind (with its chart where there is one).
    compare = url + reverse("surveys:compare", args=[demo.pk])
    kinds = {}
    for question in Question.objects.filter(
        section__version=demo_response(demo, "Siegburg").version
    ):
        kinds.setdefault(question.kind, question.key)
    for key in kinds.values():
        assert_accessible(page, f"{compare}?question={key}")

    # The builder of a draft: every section and question with its actions.
    page.goto(url + reverse("surveys:builder", args=[demo.pk]))
    page.get_by_role("button", name="Neue Version beginnen, um Änderungen vorzunehmen").click()
    expect(page.get_by_text("Version 2 ist ein Entwurf.")).to_be_visible()
    expect(page.get_by_role("button", name="Version 2 veröffentlichen")).to_be_visible()
    assert_accessible(page)

    # The progress matrix with a refused extension: the summary and the entry show the error.
    page.goto(url + reverse("surveys:progress", args=[demo.pk]))
    troisdorf = Organisation.objects.get(name__endswith="Troisdorf")
    row = page.locator(f"#organisation-{troisdorf.pk}")
    row.locator("summary").click()
    row.get_by_label(re.compile("^Frist verlängern bis")).fill("2020-01-01")
    row.get_by_role("button", name=re.compile("^Verlängern")).click()
    until = page.locator(f"#organisation-{troisdorf.pk}").get_by_label(
        re.compile("^Frist verlängern bis")
    )
    expect(until).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("alert").first).to_contain_text("Bitte korrigieren")
    assert_accessible(page)


def test_a_staff_members_survey_pages_meet_wcag_aa(page, live_server, coordinator, demo):
    page.set_viewport_size({"width": 1280, "height": 900})
    troisdorf = demo_response(demo, "Troisdorf")
    member = member_of(troisdorf.organisation)
    sign_in(page, live_server, member)
    url = live_server.url
    assert_accessible(page, url + reverse("surveys:survey_list"))
    assert_accessible(page, url + demo.get_absolute_url())

    # Every section of the response, each with the way through them.
    page.goto(url + troisdorf.get_absolute_url())
    sections = page.get_by_role("navigation", name="Abschnitte").get_by_role("link")
    expect(sections).to_have_count(troisdorf.version.sections.count())
    expect(page.get_by_role("heading", level=2).first).to_contain_text("Abschnitt 1 von 5")
    for index in range(sections.count()):
        page.get_by_role("navigation", name="Abschnitte").get_by_role("link").nth(index).click()
        expect(
            page.get_by_role("heading", name=re.compile(f"^Abschnitt {index + 1} von"))
        ).to_be_visible()
        assert_accessible(page)

    # A refused entry: shown at its field, the field marked invalid and pointing at it.
    page.goto(url + troisdorf.get_absolute_url())
    decimal = page.locator(".question input[inputmode=decimal]").first
    decimal.fill("viele")
    decimal.press("Tab")
    expect(page.get_by_text("Bitte eine Zahl eingeben")).to_be_visible()
    wait_for_htmx(page)
    expect(decimal).to_have_attribute("aria-invalid", "true")
    described = decimal.get_attribute("aria-describedby").split()
    errors = [page.locator(f"#{target}") for target in described if target.endswith("-error")]
    assert len(errors) == 1
    expect(errors[0]).to_have_text("Bitte eine Zahl eingeben.")
    expect(errors[0]).to_have_attribute("role", "alert")
    assert_accessible(page)

    assert_accessible(page, url + reverse("surveys:response_print", args=[troisdorf.pk]))


def test_the_published_results_meet_wcag_aa_for_a_municipality(
    page, live_server, coordinator, demo
):
    services.close_survey(demo, actor=coordinator)
    services.publish_results(demo, actor=coordinator)
    siegburg = demo_response(demo, "Siegburg")
    member = member_of(siegburg.organisation)
    sign_in(page, live_server, member)
    url = live_server.url
    assert_accessible(page, url + reverse("surveys:survey_list"))
    assert_accessible(page, url + demo.get_absolute_url())
    assert_accessible(page, url + reverse("surveys:compare", args=[demo.pk]))
    # Read-only after closing: the answers stay readable.
    page.goto(url + siegburg.get_absolute_url())
    expect(page.locator("#response-status")).to_have_text("Abgeschickt")
    assert_accessible(page)
