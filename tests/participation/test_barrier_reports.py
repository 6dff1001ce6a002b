"""The accessibility statement's feedback form (§ 10b BGG NRW): anyone reports a barrier, the
county's contact gets it by mail, coordinators list and answer reports; bad input and too many
reports change nothing."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from participation.models import BarrierReport, OutboundMail
from participation.purging import run_purges
from tests.outage_support import in_parallel

pytestmark = pytest.mark.django_db

FORM = "/barrierefreiheit/barriere-melden/"
LIST = "/barrierefreiheit/meldungen/"


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


def report(client, **fields):
    data = {"page": "/workshops/", "description": "Die Tabelle ist nicht lesbar.", **fields}
    return client.post(FORM, data)


def test_the_statement_and_every_footer_link_to_the_form(client):
    statement = client.get("/barrierefreiheit/").content.decode()
    assert f'href="{FORM}"' in statement
    assert "Barriere melden" in statement
    assert f'href="{FORM}">Barriere melden</a>' in client.get("/accounts/login/").content.decode()


def test_a_visitor_without_account_reports_and_the_contact_gets_a_mail(client, settings):
    settings.ACCESSIBILITY_FEEDBACK_EMAIL = "barrierefreiheit@kreis.example"
    response = report(client, name="Maria Beispiel", email="maria@example.org")

    assert response.status_code == 200
    assert "Vielen Dank, Ihre Meldung wurde gesendet." in response.content.decode()
    stored = BarrierReport.objects.get()
    assert (stored.page, stored.name, stored.email) == (
        "/workshops/",
        "Maria Beispiel",
        "maria@example.org",
    )
    mail = OutboundMail.objects.get()
    assert mail.to == "barrierefreiheit@kreis.example"
    assert mail.subject == "Auf mitplanen wurde eine Barriere gemeldet"
    assert "Die Tabelle ist nicht lesbar." in mail.body_text
    assert "maria@example.org" in mail.body_text
    assert "/barrierefreiheit/meldungen/" in mail.body_text


def test_the_page_it_came_from_is_filled_in_only_when_it_is_a_path_here(client):
    assert 'value="/surveys/"' in client.get(FORM + "?page=/surveys/").content.decode()
    foreign = client.get(FORM + "?page=https://evil.example/").content.decode()
    assert 'value="https://evil.example/"' not in foreign


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"description": "   "}, "description", "Bitte beschreiben Sie die Barriere."),
        ({"page": "https://evil.example/x"}, "page", "die mit „/“ beginnt"),
        ({"page": "//evil.example/x"}, "page", "die mit „/“ beginnt"),
        ({"email": "keine-adresse"}, "email", "gültige E-Mail"),
    ],
)
def test_bad_input_is_named_kept_and_nothing_is_sent(client, fields, field, message):
    response = report(client, name="Maria Beispiel", **fields)

    text = response.content.decode()
    assert response.status_code == 200
    assert message in text
    assert 'value="Maria Beispiel"' in text
    assert not BarrierReport.objects.exists()
    assert not OutboundMail.objects.exists()


def test_the_sixth_report_within_the_hour_is_refused_and_nothing_is_sent(client):
    for _ in range(5):
        assert report(client).status_code == 200

    refused = report(client)

    assert refused.status_code == 429
    assert "mehrere Meldungen" in refused.content.decode()
    assert BarrierReport.objects.count() == 5
    assert OutboundMail.objects.count() == 5


def test_refused_input_uses_no_slot_of_the_hour(client):
    for _ in range(7):
        assert (
            "Bitte beschreiben Sie die Barriere."
            in report(client, description=" ").content.decode()
        )

    for _ in range(5):
        assert report(client).status_code == 200
    assert report(client).status_code == 429
    assert BarrierReport.objects.count() == 5


PARALLEL = 20
TOO_MANY = "Sie haben innerhalb einer Stunde mehrere Meldungen gesendet."


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_reports_store_and_mail_five_and_refuse_the_rest(mailoutbox):
    def send(n):
        response = report(Client(), description=f"Barriere {n}")
        return response.status_code, response.content.decode()

    results = in_parallel(send, PARALLEL)

    statuses = sorted(status for status, _text in results)
    assert statuses == [200] * 5 + [429] * 15
    assert all(TOO_MANY in text for status, text in results if status == 429)
    assert BarrierReport.objects.count() == 5
    assert OutboundMail.objects.count() == 5
    assert len(mailoutbox) == 5


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_reports_over_the_api_store_and_mail_five(mailoutbox):
    def send(n):
        response = APIClient().post(
            "/api/v1/barrier-reports/",
            {"page": "/meetings/", "description": f"Barriere {n}"},
            format="json",
            HTTP_ACCEPT_LANGUAGE="en",
        )
        return response.status_code, response.json()

    results = in_parallel(send, PARALLEL)

    statuses = sorted(status for status, _body in results)
    assert statuses == [201] * 5 + [429] * 15
    refusals = [body["detail"] for status, body in results if status == 429]
    assert all(
        detail.startswith("You have sent several reports within the hour.") for detail in refusals
    )
    assert BarrierReport.objects.count() == 5
    assert OutboundMail.objects.count() == 5
    assert len(mailoutbox) == 5


def test_coordinators_list_reports_and_mark_one_answered(coordinator, client):
    report(Client(), description="Kontrast zu schwach")
    stored = BarrierReport.objects.get()
    client.force_login(coordinator)

    listing = client.get(LIST).content.decode()
    assert "Kontrast zu schwach" in listing
    assert "1 offene Meldung" in listing

    response = client.post(f"{LIST}{stored.pk}/beantwortet/", follow=True)

    stored.refresh_from_db()
    assert stored.answered_at is not None and stored.answered_by == coordinator
    assert "0 offene Meldungen" in response.content.decode()
    assert "Beantwortet am" in response.content.decode()


def test_members_and_visitors_cannot_read_or_answer_reports(member, client):
    report(Client())
    stored = BarrierReport.objects.get()
    assert Client().get(LIST).status_code == 302
    client.force_login(member)
    assert client.get(LIST).status_code == 404
    assert client.post(f"{LIST}{stored.pk}/beantwortet/").status_code == 404
    stored.refresh_from_db()
    assert stored.answered_at is None


def test_a_wrong_id_answers_404(coordinator, client):
    client.force_login(coordinator)
    assert client.post(f"{LIST}999999/beantwortet/").status_code == 404


def test_the_api_takes_reports_from_anyone_and_lists_them_to_coordinators(coordinator, member):
    anonymous = APIClient()
    sent = anonymous.post(
        "/api/v1/barrier-reports/",
        {"page": "/meetings/", "description": "Fokus nicht sichtbar"},
        format="json",
    )
    assert sent.status_code == 201, sent.content
    assert anonymous.get("/api/v1/barrier-reports/").status_code in (401, 403)

    refused = anonymous.post(
        "/api/v1/barrier-reports/", {"page": "http://evil.example", "description": "x"}
    )
    assert refused.status_code == 400
    assert "page" in refused.json()

    as_member = APIClient()
    as_member.force_authenticate(member)
    assert as_member.get("/api/v1/barrier-reports/").status_code == 403

    as_coordinator = APIClient()
    as_coordinator.force_authenticate(coordinator)
    listed = as_coordinator.get("/api/v1/barrier-reports/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [row["description"] for row in rows] == ["Fokus nicht sichtbar"]
    answered = as_coordinator.post(f"/api/v1/barrier-reports/{rows[0]['id']}/answered/")
    assert answered.status_code == 200 and answered.json()["answered_at"]
    assert BarrierReport.objects.count() == 1


def test_reports_are_purged_two_years_after_they_came_in(client):
    report(client)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=729)):
        assert run_purges().counts["barrier_reports"] == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(days=731)):
        assert run_purges().counts["barrier_reports"] == 1
    assert not BarrierReport.objects.exists()
