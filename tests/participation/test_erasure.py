"""Erasure (Art. 17 GDPR): a person with records in every app is erased; afterwards their name
and e-mail address appear nowhere in a dump of the database, the outbox or the media files,
what they wrote stays with the organisation as "former member", minutes keep the role."""

import datetime
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from meetings import calendar_subscriptions
from meetings import services as meeting_services
from meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    CalendarSubscription,
    DatePoll,
    Decision,
    PollInvitee,
    PollSlot,
    PollVote,
    Task,
    TaskLink,
)
from overview.models import CommitteeReport
from participation import api_tokens, erasure, personal_links
from participation.events import invitations as invitation_pipeline
from participation.mail import store_mail
from participation.models import (
    ErasureRequest,
    Invitation,
    InvitationMessage,
    OutboundMail,
    Person,
    SecurityEvent,
    SecurityEventKind,
    User,
)
from surveys import services as survey_services
from surveys.models import QuestionKind
from tests.consultations.conftest import answer_and_release, build_consultation, value
from tests.factories import (
    AnswerFactory,
    BodyFactory,
    BodyMembershipFactory,
    MembershipFactory,
    PersonFactory,
    QuestionFactory,
    SurveyFactory,
    UserFactory,
    WorkshopFactory,
    give_totp,
)
from tests.meetings.conftest import make_series
from workshops.live import services as live_services
from workshops.live.models import Card
from workshops.models import Document

FIRST, LAST = "Quirinella", "Zwetschgenbaum"
FULL = f"{FIRST} {LAST}"
EMAIL = "q.zwetschgenbaum@siegburg.example"
PHONE = "02241 13-9876"
ROLE = "Mitglied (Lenkungskreis)"
PASSWORD = "correct horse battery"


def person_everywhere(own_org, coordinator, media_root):
    """The person with an account and records in every app; returns what the checks need."""
    user = UserFactory(email=EMAIL)
    person = PersonFactory(
        title="Dr.", first_name=FIRST, last_name=LAST, email=EMAIL, phone=PHONE, user=user
    )
    person.notes = f"{FULL} erreichbar unter {PHONE}"
    person.save()  # an audit entry with the name and the phone number
    MembershipFactory(
        person=person, organisation=own_org, function="Sozialdezernentin", is_contact=True
    )
    body = BodyFactory(name="Lenkungskreis Sozialplanung", short_name="Lenkungskreis")
    BodyMembershipFactory(body=body, person=person, represents=own_org)
    give_totp(user)
    token, _key = api_tokens.create_token(user, name=f"Skript von {user.email}")

    # Surveys: the organisation's answer, written by the person and naming them.
    survey = SurveyFactory(audience=[own_org], actor=coordinator)
    question = QuestionFactory(
        section__version=survey.draft_version, kind=QuestionKind.LONG_TEXT, key="kontakt"
    )
    survey_services.publish(survey, actor=coordinator)
    response = survey_services.response_for(survey, own_org)
    AnswerFactory(
        response=response,
        question=question,
        value=f"Ansprechpartnerin: {FULL}, {EMAIL}",
        updated_by=user,
    )

    # Consultations: the statement request to the contact person, the released statement.
    consultation = build_consultation(coordinator, [own_org])
    answer_and_release(
        consultation,
        own_org,
        user,
        [value(comment=f"Abgestimmt mit Frau {LAST}."), value()],
    )

    # Meetings: minutes, attendance, a decision, a task with its link, a date poll, a feed.
    series = make_series(body, actor=coordinator)
    meeting = series.meetings.order_by("start").first()
    item = AgendaItem.objects.create(
        meeting=meeting,
        title="Bericht aus der Verwaltung",
        presenter=f"Dr. {FULL}",
        minutes=f"{FULL} berichtet. Frau {LAST} sagt zu, das Konzept vorzulegen. "
        f"{LAST} fragt nach.",
    )
    Attendance.objects.create(meeting=meeting, person=person, status=AttendanceStatus.PRESENT)
    meeting_services.record_decision(
        Decision(
            body=body,
            meeting=meeting,
            title="Konzept Kinderarmut",
            text=f"Auf Antrag von {FULL} beschlossen. {LAST} enthält sich.",
            decided_on=datetime.date(2027, 1, 12),
        ),
        actor=coordinator,
    )
    task = Task.objects.create(
        meeting=meeting,
        title="Konzept vorlegen",
        due_date=datetime.date(2027, 3, 1),
        owner_person=person,
    )
    personal_links.issue(TaskLink, task=task, person=person)
    poll = DatePoll.objects.create(series=series, title="Sondersitzung")
    slot = PollSlot.objects.create(poll=poll, day=datetime.date(2027, 2, 2))
    invitee, _raw = personal_links.issue(
        PollInvitee, poll=poll, person=person, name=FULL, email=EMAIL
    )
    PollVote.objects.create(invitee=invitee, slot=slot, answer="yes")
    calendar_subscriptions.create(user, actor=user)

    # Workshops: an invitation to one still to come (with its mail and personal link), one to
    # a past workshop with notes, live-session contributions, a text upload naming them.
    coming = WorkshopFactory()
    invitation = invitation_pipeline.invite_person(
        coming, email=EMAIL, name=FULL, person=person, organisation=own_org, actor=coordinator
    )
    invitation_pipeline.prepare_message(
        invitation.pk, invitation_pipeline.Purpose.INVITATION, invitation_pipeline.INVITATION_KEY
    )
    past = WorkshopFactory(
        start=timezone.now() - datetime.timedelta(days=10),
        end=timezone.now() - datetime.timedelta(days=10) + datetime.timedelta(hours=4),
        registration_deadline=timezone.now() - datetime.timedelta(days=20),
    )
    past_invitation = Invitation.objects.create(
        event=past,
        person=person,
        organisation=own_org,
        email=EMAIL,
        name=FULL,
        reply="accepted",
        accessibility_needs="Rollstuhlplatz",
        dietary_wishes="vegan",
    )
    live = live_services.ensure_live_session(past, actor=coordinator)
    participant = live_services.ensure_participant(live, invitation=past_invitation, user=user)
    activity = live_services.create_activity(live, actor=coordinator, kind="cards", title="Ideen")
    Card.objects.create(activity=activity, participant=participant, text=f"Idee von {FULL}")
    Card.objects.create(activity=activity, participant=participant, text=f"{LAST}s Idee")
    Document.objects.create(
        workshop=past,
        title=f"Notizen {FULL}",
        file=ContentFile(
            f"Mitschrift: {FULL} ({EMAIL}). {LAST} ergänzt.".encode(), name="notizen.txt"
        ),
        original_name=f"Notizen_{FIRST}_{LAST}.txt",
        content_type="text/plain",
        uploaded_by=user,
    )

    # A mail to a colleague that names them.
    store_mail(
        to="kollegin@siegburg.example",
        subject=f"Vertretung für {FULL}",
        body_text=f"Bitte vertreten Sie {FULL} ({EMAIL}, {PHONE}). {LAST} ist verreist.",
        body_html=f"<p>Bitte vertreten Sie {FULL}.</p>",
        language="de",
        attachments=[{"filename": "k.txt", "mimetype": "text/plain", "content": FULL}],
    )
    return {
        "user": user,
        "person": person,
        "token": token,
        "survey": survey,
        "meeting": meeting,
        "item": item,
        "coming": coming,
        "past_invitation": past_invitation,
        "participant": participant,
    }


def dump_database() -> str:
    settings = connection.settings_dict
    command = ["pg_dump", "--no-owner", "--data-only", "-h", settings["HOST"] or "127.0.0.1"]
    if settings["PORT"]:
        command += ["-p", str(settings["PORT"])]
    if settings["USER"]:
        command += ["-U", settings["USER"]]
    environment = {"PGPASSWORD": settings["PASSWORD"] or ""}
    command.append(settings["NAME"])
    result = subprocess.run(command, capture_output=True, check=True, env=environment)
    return result.stdout.decode("utf-8")


def traces(text: str) -> list[str]:
    lowered = text.lower()
    return [needle for needle in (FIRST, LAST, EMAIL, PHONE) if needle.lower() in lowered]


@pytest.mark.django_db(transaction=True)
def test_erasure_leaves_no_personal_data(client, settings, tmp_path, own_org, coordinator, member):
    settings.MEDIA_ROOT = str(tmp_path)
    records = person_everywhere(own_org, coordinator, tmp_path)
    assert traces(dump_database()) == [FIRST, LAST, EMAIL, PHONE]  # the test can fail
    assert OutboundMail.objects.filter(to=EMAIL).exists()

    erasure.erase_person(records["person"], actor=coordinator)

    dump = dump_database()
    assert traces(dump) == [], [line for line in dump.splitlines() if traces(line)][:10]
    for mail in OutboundMail.objects.all():
        assert traces(f"{mail.to} {mail.subject} {mail.body_text} {mail.body_html}") == []
        assert traces(str(mail.attachments)) == []
    for path in Path(tmp_path).rglob("*"):
        if path.is_file():
            assert traces(path.read_bytes().decode("utf-8", "replace")) == [], path

    # What a user sees: the organisation's answer is the former member's, the minutes and
    # the decision name the role.
    client.force_login(coordinator)
    page = client.get(reverse("surveys:compare", args=[records["survey"].pk]))
    assert page.status_code == 200
    assert "ehemaliges Mitglied" in page.content.decode()
    minutes = client.get(reverse("meetings:minutes", args=[records["meeting"].pk]))
    assert minutes.status_code == 200
    assert f"{ROLE} berichtet" in minutes.content.decode()
    assert f"{ROLE} fragt nach" in minutes.content.decode()
    assert traces(minutes.content.decode()) == []
    assert Decision.objects.get().text == f"Auf Antrag von {ROLE} beschlossen. {ROLE} enthält sich."

    # Kept for the organisation: the answer, the seat with its role, the past attendance;
    # withdrawn: the coming invitation; ended: every link and feed.
    person = Person.objects.get(pk=records["person"].pk)
    assert person.full_name == "ehemaliges Mitglied" and person.body_memberships.count() == 1
    assert Invitation.objects.filter(pk=records["past_invitation"].pk).exists()
    assert not Invitation.objects.filter(event_id=records["coming"].pk).exists()
    assert (
        not InvitationMessage.objects.filter(revoked_at=None, token_hash__isnull=False)
        .exclude(invitation__event_id=records["coming"].pk)
        .filter(invitation__person=person)
    )
    assert not TaskLink.objects.filter(revoked_at=None).exists()
    assert not PollInvitee.objects.filter(revoked_at=None).exists()
    assert not CalendarSubscription.objects.exists()
    assert Task.objects.get().owner_person == person
    assert PollVote.objects.count() == 1 and Card.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_erasure_records_a_security_event_without_the_name(own_org, coordinator):
    user = UserFactory(email=EMAIL)
    person = PersonFactory(first_name=FIRST, last_name=LAST, email=EMAIL, user=user)
    erasure.erase_person(person, actor=coordinator)
    event = SecurityEvent.objects.get(kind=SecurityEventKind.ERASED)
    assert event.user == user and event.actor == coordinator
    assert traces(str(event.detail)) == [] and event.detail["person"] == str(person.pk)


@pytest.fixture
def account(own_org):
    user = UserFactory(email=EMAIL)
    person = PersonFactory(first_name=FIRST, last_name=LAST, email=EMAIL, user=user)
    MembershipFactory(person=person, organisation=own_org)
    return user


@pytest.mark.django_db
def test_erased_person_can_no_longer_sign_in(client, account, coordinator):
    give_totp(account)
    _token, key = api_tokens.create_token(account, name="Skript")
    client.force_login(account)
    assert Session.objects.count() == 1
    api = APIClient()
    assert api.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200

    erasure.erase_person(account.person, actor=coordinator)

    assert Session.objects.count() == 0
    assert client.get(reverse("overview:home")).status_code == 302
    assert api.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
    assert not Authenticator.objects.filter(user=account).exists()
    account.refresh_from_db()
    assert not account.is_active and not account.has_usable_password()
    assert account.email.startswith("erased-") and account.email.endswith("@invalid")
    login = client.post(reverse("account_login"), {"login": EMAIL, "password": PASSWORD})
    assert login.status_code == 200 and "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_erasing_twice_is_harmless(account, coordinator):
    erasure.erase_person(account.person, actor=coordinator)
    account.refresh_from_db()
    placeholder, erased_at = account.email, account.person.erased_at
    erasure.erase_person(account.person, actor=coordinator)
    account.refresh_from_db()
    assert account.email == placeholder and account.person.erased_at == erased_at
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.ERASED).count() == 1


@pytest.mark.django_db
def test_person_asks_for_erasure_with_their_password(client, account, coordinator):
    client.force_login(account)
    url = reverse("participation:erasure_request")
    wrong = client.post(url, {"password": "not it"})
    assert wrong.status_code == 200 and "Das Passwort ist nicht korrekt." in wrong.content.decode()
    assert not ErasureRequest.objects.exists()

    page = client.post(url, {"password": PASSWORD}, follow=True)
    assert "Ihre Bitte um Löschung ist eingegangen." in page.content.decode()
    assert ErasureRequest.objects.get().person == account.person
    client.post(url, {"password": PASSWORD})
    assert ErasureRequest.objects.count() == 1

    client.force_login(coordinator)
    queue = client.get(reverse("participation:erasure_request_list") + "?state=open")
    assert FULL in queue.content.decode()
    row = ErasureRequest.objects.get()
    confirm = client.get(reverse("participation:erasure_request_erase", args=[row.pk]))
    assert "Lenkungskreis" not in confirm.content.decode()
    assert f"{FULL} ({EMAIL})" in confirm.content.decode()
    client.post(reverse("participation:erasure_request_erase", args=[row.pk]))
    row.refresh_from_db()
    assert row.done_by == coordinator and row.person.erased_at is not None


@pytest.mark.django_db
def test_coordinator_erases_from_the_person_page(client, account, coordinator):
    client.force_login(coordinator)
    person_page = client.get(account.person.get_absolute_url()).content.decode()
    url = reverse("participation:person_erase", args=[account.person.pk])
    assert url in person_page
    confirm = client.get(url)
    assert confirm.status_code == 200 and "kann nicht rückgängig gemacht werden" in (
        confirm.content.decode()
    )
    assert Person.objects.get(pk=account.person.pk).erased_at is None  # nothing yet
    response = client.post(url, follow=True)
    assert "ehemaliges Mitglied" in response.content.decode()
    assert traces(response.content.decode()) == []


@pytest.mark.django_db
def test_erasure_is_for_coordinators_only(client, account, member, outsider, coordinator):
    for user, status in ((member, 404), (outsider, 404)):
        client.force_login(user)
        url = reverse("participation:person_erase", args=[account.person.pk])
        assert client.get(url).status_code == status
        assert client.post(url).status_code == status
        assert client.get(reverse("participation:erasure_request_list")).status_code == 404
    api = APIClient()
    api.force_login(member)  # sees the person (same organisation): not allowed to erase
    assert api.post(f"/api/v1/people/{account.person.pk}/erase/").status_code == 403
    assert api.get("/api/v1/erasure-requests/").status_code == 403
    api.force_login(outsider)  # does not see the person at all
    assert api.post(f"/api/v1/people/{account.person.pk}/erase/").status_code == 404
    assert User.objects.get(pk=account.pk).erased_at is None


@pytest.mark.django_db
def test_erasure_of_a_wrong_id_is_404_and_changes_nothing(client, account, coordinator):
    client.force_login(coordinator)
    missing = Person.objects.order_by("-pk").first().pk + 1
    assert client.post(reverse("participation:person_erase", args=[missing])).status_code == 404
    assert client.get(reverse("participation:erasure_request_erase", args=[99])).status_code == 404
    api = APIClient()
    api.force_login(coordinator)
    assert api.post(f"/api/v1/people/{missing}/erase/").status_code == 404
    assert api.post("/api/v1/erasure-requests/99/erase/").status_code == 404
    assert not Person.objects.filter(erased_at__isnull=False).exists()
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.ERASED).exists()


@pytest.mark.django_db
def test_erasure_over_the_api(account, coordinator):
    api = APIClient()
    api.force_login(account)
    assert api.post("/api/v1/erasure-requests/", {"password": "nope"}).status_code == 400
    asked = api.post("/api/v1/erasure-requests/", {"password": PASSWORD})
    assert asked.status_code == 201 and asked.data["state"] == "open"
    again = api.post("/api/v1/erasure-requests/", {"password": PASSWORD})
    assert again.status_code == 200 and again.data["id"] == asked.data["id"]

    api.force_login(coordinator)
    queue = api.get("/api/v1/erasure-requests/")
    assert [row["name"] for row in queue.data["results"]] == [FULL]
    erased = api.post(f"/api/v1/erasure-requests/{asked.data['id']}/erase/")
    assert erased.status_code == 200 and erased.data["person"] == account.person.pk
    queue = api.get("/api/v1/erasure-requests/")
    assert queue.data["results"][0]["state"] == "erased"
    assert queue.data["results"][0]["name"] == "ehemaliges Mitglied"
    again = api.post(f"/api/v1/people/{account.person.pk}/erase/")
    assert again.status_code == 200 and again.data["erased_at"] == erased.data["erased_at"]


@pytest.mark.django_db
def test_invitee_without_account_asks_through_their_link(client, coordinator):
    workshop = WorkshopFactory()
    invitation = invitation_pipeline.invite_person(
        workshop, email="extern@verein.example", name="Ottokar Extern", actor=coordinator
    )
    message = invitation_pipeline.prepare_message(
        invitation.pk, invitation_pipeline.Purpose.INVITATION, invitation_pipeline.INVITATION_KEY
    )
    raw = message.mail.body_text.split("/invitation/")[1].split("/")[0]
    client.get(reverse("participation:invitation_link", args=[raw]))
    reply_page = client.get(reverse("participation:invitation_reply", args=[invitation.pk]))
    url = reverse("participation:invitation_erasure", args=[invitation.pk])
    assert url in reply_page.content.decode()
    page = client.post(url, follow=True)
    assert "Ihre Bitte um Löschung ist eingegangen." in page.content.decode()
    row = ErasureRequest.objects.get()
    assert row.invitation == invitation and row.person is None

    client.force_login(coordinator)
    client.post(reverse("participation:erasure_request_erase", args=[row.pk]))
    row.refresh_from_db()
    assert row.person.erased_at is not None and row.done_at is not None
    assert not Invitation.objects.filter(email="extern@verein.example").exists()
    assert not OutboundMail.objects.filter(body_text__icontains="Ottokar").exists()


@pytest.mark.django_db
def test_stranger_cannot_ask_for_an_invitees_erasure(client, coordinator):
    workshop = WorkshopFactory()
    invitation = invitation_pipeline.invite_person(
        workshop, email="extern@verein.example", name="Ottokar Extern", actor=coordinator
    )
    url = reverse("participation:invitation_erasure", args=[invitation.pk])
    assert client.post(url).status_code == 404
    assert not ErasureRequest.objects.exists()


@pytest.mark.django_db
def test_demo_has_one_erasure_request_waiting(client, coordinator):
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    row = ErasureRequest.objects.open().get()
    assert row.person.user is None
    declined = ErasureRequest.objects.get(dismissed_at__isnull=False)
    assert declined.reason and declined.person != row.person
    client.force_login(coordinator)
    home = client.get(reverse("overview:home")).content.decode()
    assert reverse("participation:erasure_request_list") + "?state=open" in home
    queue = client.get(reverse("participation:erasure_request_list") + "?state=open")
    assert row.person.full_name in queue.content.decode()


@pytest.mark.django_db
def test_erasing_a_task_owner_builds_the_committee_reports_again(
    account, coordinator, django_capture_on_commit_callbacks
):
    body = BodyFactory()
    BodyMembershipFactory(body=body, person=account.person)
    meeting = make_series(body, actor=coordinator).meetings.order_by("start").first()
    Task.objects.create(
        meeting=meeting,
        title="Konzept",
        due_date=datetime.date(2027, 3, 1),
        owner_person=account.person,
    )
    report = CommitteeReport.objects.create(
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 12, 31),
        status=CommitteeReport.Status.DONE,
        progress=100,
        pdf=FULL.encode(),
        finished_at=timezone.now(),
    )
    with django_capture_on_commit_callbacks() as callbacks:
        erasure.erase_person(account.person, actor=coordinator)
    report.refresh_from_db()
    assert report.status == CommitteeReport.Status.QUEUED and report.pdf is None
    assert len(callbacks) == 1  # the build, queued after commit


@pytest.mark.django_db
def test_an_erased_person_cannot_be_named_again(client, account, coordinator):
    erasure.erase_person(account.person, actor=coordinator)
    api = APIClient()
    api.force_login(coordinator)
    response = api.patch(f"/api/v1/people/{account.person.pk}/", {"last_name": LAST})
    assert response.status_code == 400
    client.force_login(coordinator)
    page = client.post(
        reverse("participation:person_edit", args=[account.person.pk]),
        {"first_name": FIRST, "last_name": LAST, "language": "de"},
    )
    assert "Die Daten dieser Person sind gelöscht" in page.content.decode()
    assert Person.objects.get(pk=account.person.pk).last_name == ""
