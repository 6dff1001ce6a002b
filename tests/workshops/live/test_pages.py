"""The live session's pages over HTTP: the moderator's console and the projector view (for
coordinators only), the join page (code and name, its errors), the participant page (for an
invitee, or whoever joined), and that none of them carries inline script or style."""

import json
import re

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from participation.models import Invitation, Person
from tests.factories import PersonFactory, WorkshopFactory
from workshops.live import services
from workshops.live.models import LiveParticipant, LiveSession
from workshops.live.services import SESSION_PARTICIPANTS_KEY
from workshops.models import Workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop():
    return WorkshopFactory(title="Fachworkshop Kinderarmut und Teilhabe")


@pytest.fixture
def live_session(workshop, coordinator):
    return services.ensure_live_session(workshop, actor=coordinator)


def invite(workshop, person, **fields):
    return Invitation.objects.create(
        event_type=ContentType.objects.get_for_model(Workshop),
        event_id=workshop.pk,
        person=person,
        email=person.email,
        name=fields.pop("name", person.full_name),
        **fields,
    )


def console_url(workshop):
    return reverse("workshops:live_console", args=[workshop.pk])


def projector_url(workshop):
    return reverse("workshops:live_projector", args=[workshop.pk])


def participant_url(workshop):
    return reverse("live:participant", args=[workshop.pk])


def assert_strict_csp_markup(html):
    """Every script is a file or inert JSON data; no style attributes or blocks."""
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert " style=" not in html
    assert "<style" not in html


# --- the console ---------------------------------------------------------------------------


def test_console_opens_the_session_for_a_coordinator(client, coordinator, workshop):
    client.force_login(coordinator)
    response = client.get(console_url(workshop))
    assert response.status_code == 200
    live_session = LiveSession.objects.get(workshop=workshop)
    html = response.content.decode()
    assert f'data-socket="/ws/workshops/{workshop.pk}/live/"' in html
    assert 'data-live="moderator"' in html
    assert live_session.join_code in html
    assert 'id="live-labels"' in html
    assert_strict_csp_markup(html)


def test_console_buttons_say_what_they_do_in_german(client, coordinator, workshop):
    client.force_login(coordinator)
    html = client.get(console_url(workshop)).content.decode()
    found = re.search(r'<script id="live-labels" type="application/json">(.*?)</script>', html)
    labels = json.loads(found.group(1))
    # The button opens the activity; "Geöffnet" is its status.
    assert (labels["open"], labels["close"]) == ("Öffnen", "Schließen")
    assert labels["status"]["open"] == "Geöffnet"
    assert (labels["ask"], labels["removed"]) == ("Frage stellen", "entfernt")


def test_console_is_404_for_members_outsiders_and_unknown_ids(
    client, coordinator, member, outsider, workshop
):
    invite(workshop, Person.objects.get(user=member))
    for user in (member, outsider):
        client.force_login(user)
        assert client.get(console_url(workshop)).status_code == 404
        assert client.get(projector_url(workshop)).status_code == 404
    assert not LiveSession.objects.exists()
    client.force_login(coordinator)
    assert client.get(reverse("workshops:live_console", args=[999999])).status_code == 404


def test_console_sends_the_anonymous_to_sign_in(client, workshop):
    for url in (console_url(workshop), projector_url(workshop)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_the_workshop_page_links_the_console_for_coordinators_only(
    client, coordinator, member, workshop
):
    invite(workshop, Person.objects.get(user=member))
    client.force_login(coordinator)
    assert console_url(workshop) in client.get(workshop.get_absolute_url()).content.decode()
    client.force_login(member)
    assert console_url(workshop) not in client.get(workshop.get_absolute_url()).content.decode()


# --- the projector -------------------------------------------------------------------------


def test_projector_shows_the_join_code_and_its_qr_code(client, coordinator, live_session):
    client.force_login(coordinator)
    response = client.get(projector_url(live_session.workshop))
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<svg[^>]*class="live-qr"', html)
    assert "<path" in html
    join_url = f"{settings.SITE_URL}/live/?code={live_session.join_code}"
    assert join_url in html
    assert html.count(live_session.join_code) >= 2
    assert "?view=projector" in html
    assert 'class="main-nav"' not in html  # nothing but the session on the wall
    assert_strict_csp_markup(html)


def test_the_join_address_and_qr_code_are_on_site_url_whatever_host_the_request_named(
    client, coordinator, live_session, settings
):
    settings.SITE_URL = "https://mitplanen.kreis.example"
    client.force_login(coordinator)
    join_url = f"https://mitplanen.kreis.example/live/?code={live_session.join_code}"
    workshop = live_session.workshop
    for page in (projector_url(workshop), console_url(workshop)):
        html = client.get(page, HTTP_HOST="intern-app01.kreis.local").content.decode()
        assert join_url in html
        assert "intern-app01" not in html
    projector = client.get(projector_url(workshop), HTTP_HOST="intern-app01.kreis.local")
    assert f"{join_url}</title>" in projector.content.decode()  # the QR code's title


# --- the join page -------------------------------------------------------------------------


def test_join_page_is_open_to_everyone_with_labels_and_the_code_filled_in(client):
    response = client.get(reverse("live:join") + "?code=K7PRWX")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<label [^>]*for="id_code"', html)
    assert re.search(r'<label [^>]*for="id_display_name"', html)
    assert 'value="K7PRWX"' in html
    assert_strict_csp_markup(html)


def test_joining_with_a_good_code_and_name_leads_to_the_participant_page(client, live_session):
    response = client.post(
        reverse("live:join"), {"code": live_session.join_code.lower(), "display_name": " Anna "}
    )
    assert response.status_code == 302
    assert response["Location"] == participant_url(live_session.workshop)
    participant = LiveParticipant.objects.get(session=live_session)
    assert participant.display_name == "Anna"
    assert client.session[SESSION_PARTICIPANTS_KEY] == {str(live_session.pk): participant.pk}

    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Anna" in html
    assert 'data-live="participant"' in html
    assert_strict_csp_markup(html)


def test_an_unknown_code_shows_a_german_error_and_stores_nothing(client, live_session):
    response = client.post(reverse("live:join"), {"code": "XXXXXX", "display_name": "Anna"})
    assert response.status_code == 200
    assert "Zu diesem Code gibt es keine offene Sitzung." in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not LiveParticipant.objects.exists()
    assert SESSION_PARTICIPANTS_KEY not in client.session


def test_without_anonymous_joining_the_visitor_is_sent_to_their_personal_link(
    client, live_session, coordinator
):
    services.update_live_session(live_session, actor=coordinator, allow_anonymous=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        reverse("live:join"), {"code": live_session.join_code, "display_name": "Anna"}
    )
    assert response.status_code == 200
    assert "please use your personal link" in response.content.decode()
    assert not LiveParticipant.objects.exists()


def test_an_overlong_name_is_refused(client, live_session):
    response = client.post(
        reverse("live:join"), {"code": live_session.join_code, "display_name": "A" * 61}
    )
    assert response.status_code == 200
    assert "höchstens 60 Zeichen" in response.content.decode()
    assert not LiveParticipant.objects.exists()


def test_an_invitee_who_types_the_code_joins_as_themselves(client, live_session, member):
    invite(live_session.workshop, Person.objects.get(user=member), name="Maria Mitglied")
    client.force_login(member)
    response = client.post(reverse("live:join"), {"code": live_session.join_code})
    assert response.status_code == 302
    assert LiveParticipant.objects.get().display_name == "Maria Mitglied"


# --- the participant page ------------------------------------------------------------------


def test_an_invitee_with_their_link_reaches_the_participant_page(client, live_session):
    invitation = invite(live_session.workshop, PersonFactory(), name="Ben Beispiel")
    session = client.session
    session["invitations"] = [invitation.pk]  # what opening the personal link leaves
    session.save()
    response = client.get(participant_url(live_session.workshop))
    assert response.status_code == 200
    assert "Ben Beispiel" in response.content.decode()
    assert LiveParticipant.objects.get(session=live_session).invitation == invitation


def test_a_signed_in_invitee_reaches_the_participant_page(client, live_session, member):
    invite(live_session.workshop, Person.objects.get(user=member), name="Maria Mitglied")
    client.force_login(member)
    response = client.get(participant_url(live_session.workshop))
    assert response.status_code == 200
    assert "Maria Mitglied" in response.content.decode()


def test_a_stranger_is_sent_to_the_join_page(client, outsider, live_session):
    assert client.get(participant_url(live_session.workshop))["Location"] == reverse("live:join")
    client.force_login(outsider)
    assert client.get(participant_url(live_session.workshop))["Location"] == reverse("live:join")


def test_a_removed_participant_and_an_ended_session_are_told_so(client, live_session, coordinator):
    client.post(reverse("live:join"), {"code": live_session.join_code, "display_name": "Anna"})
    services.remove_participant(LiveParticipant.objects.get(), actor=coordinator)
    response = client.get(participant_url(live_session.workshop))
    assert response.status_code == 403
    assert "removed" in response.content.decode() or "entfernt" in response.content.decode()

    services.end_live_session(live_session, actor=coordinator)
    invitation = invite(live_session.workshop, PersonFactory())
    session = client.session
    session["invitations"] = [invitation.pk]
    session.save()
    response = client.get(participant_url(live_session.workshop))
    assert response.status_code == 410


def test_a_coordinator_on_the_participant_page_goes_to_the_console(
    client, coordinator, live_session
):
    client.force_login(coordinator)
    response = client.get(participant_url(live_session.workshop))
    assert response["Location"] == console_url(live_session.workshop)
