"""Agenda and minutes: the agenda from the series' template with "Offene Aufgaben" and the
approval of the last minutes, proposals before and after the cut-off, minutes per item with
their history and the revision rule (a concurrent save is a conflict, never an overwrite),
attendance per seat, the lifecycle draft → circulated → approved (locked), the API's
permissions and the demo."""

import datetime
import io
import re
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from meetings import minutes, services
from meetings.models import (
    AgendaDocument,
    AgendaItem,
    Attendance,
    MeetingRecord,
    MeetingSeries,
    MinutesChange,
    MinutesStatus,
    Task,
)
from participation.events import audiences, invitations
from participation.models import AudienceEntry, OutboundMail

from .conftest import make_series

pytestmark = pytest.mark.django_db

TEMPLATE = "Begrüßung\nBericht der Projektgruppe\nOffene Aufgaben\nVerschiedenes"
AFTER_FIRST = datetime.datetime(2027, 1, 12, 13, 0, tzinfo=datetime.UTC)


@pytest.fixture
def series(clock, body, coordinator):
    return make_series(body, actor=coordinator, agenda_template=TEMPLATE)


@pytest.fixture
def first(series):
    return series.meetings.order_by("start")[0]


@pytest.fixture
def second(series):
    return series.meetings.order_by("start")[1]


def titles(meeting):
    return [item.title for item in minutes.agenda(meeting)]


def test_agenda_starts_from_the_template_once(first, client, member):
    minutes.ensure_agenda(first)
    minutes.ensure_agenda(first)
    assert titles(first) == [
        "Begrüßung",
        "Bericht der Projektgruppe",
        "Offene Aufgaben",
        "Verschiedenes",
    ]
    assert MeetingRecord.objects.filter(meeting=first).count() == 1
    client.force_login(member)
    page = client.get(first.get_absolute_url()).content.decode()
    assert "Tagesordnung" in page
    assert "Bericht der Projektgruppe" in page


def test_agenda_shows_in_the_invitation_programme(first, coordinator):
    minutes.ensure_agenda(first)
    item = minutes.agenda(first)[0]
    item.duration_minutes = 15
    item.save()
    rows = first.invitation_programme()
    assert rows[0] == ("10:00", "Begrüßung")
    assert rows[1] == ("10:15", "Bericht der Projektgruppe")


def test_member_proposes_before_the_cut_off_and_the_coordinator_accepts(
    first, client, member, coordinator
):
    client.force_login(member)
    response = client.post(
        reverse("meetings:agenda_propose", args=[first.pk]),
        {"title": "Fachtag vorbereiten", "presenter": "Stadt Siegburg", "duration_minutes": "20"},
        follow=True,
    )
    assert "Ihr Vorschlag „Fachtag vorbereiten“ ist übermittelt" in response.content.decode()
    item = AgendaItem.objects.get(title="Fachtag vorbereiten")
    assert item.status == AgendaItem.Status.PROPOSED
    assert "Fachtag vorbereiten" not in titles(first)

    client.force_login(coordinator)
    page = client.get(first.get_absolute_url()).content.decode()
    assert "Vorgeschlagene Punkte" in page
    client.post(reverse("meetings:proposal_decide", args=[item.pk]), {"decision": "accept"})
    assert titles(first)[-1] == "Fachtag vorbereiten"


def test_proposal_after_the_cut_off_is_refused_and_nothing_saved(first, client, member, clock):
    clock.move_to(datetime.datetime(2027, 1, 8, 9, 0, tzinfo=datetime.UTC))
    client.force_login(member)
    response = client.post(
        reverse("meetings:agenda_propose", args=[first.pk]),
        {"title": "Zu spät", "presenter": "", "duration_minutes": ""},
    )
    page = response.content.decode()
    assert "bis 7 Tage vor der Sitzung" in page
    assert not AgendaItem.objects.filter(title="Zu spät").exists()


def test_outsider_cannot_propose(first, client, outsider):
    client.force_login(outsider)
    response = client.post(reverse("meetings:agenda_propose", args=[first.pk]), {"title": "Fremd"})
    assert response.status_code == 404
    assert not AgendaItem.objects.filter(title="Fremd").exists()


def test_carried_tasks_appear_under_offene_aufgaben(first, second, client, member, seated_person):
    services.save_task(
        Task(
            meeting=first,
            title="Kita-Daten liefern",
            owner_person=seated_person,
            due_date=datetime.date(2027, 3, 1),
        ),
        actor=None,
    )
    client.force_login(member)
    page = client.get(second.get_absolute_url()).content.decode()
    agenda = page[page.index('id="agenda-heading"') :]
    agenda = agenda[: agenda.index("</section>")]
    assert "Offene Aufgaben" in agenda
    assert "Kita-Daten liefern" in agenda


def test_approval_item_when_the_previous_meeting_has_minutes(first, second, coordinator):
    minutes.ensure_agenda(second)
    assert minutes.APPROVAL_TITLE not in titles(second)
    minutes.ensure_agenda(first)
    item = minutes.agenda(first)[0]
    minutes.save_minutes(
        item, minutes="Begrüßt.", outcome="information", base_revision=0, actor=coordinator
    )
    minutes.ensure_agenda(second)
    minutes.ensure_agenda(second)
    assert titles(second)[0] == minutes.APPROVAL_TITLE
    assert titles(second).count(minutes.APPROVAL_TITLE) == 1


def test_the_approval_item_links_the_minutes_it_approves(first, second, client, coordinator):
    item = minutes.agenda(minutes.ensure_agenda(first).meeting)[0]
    minutes.save_minutes(
        item, minutes="Begrüßt.", outcome="information", base_revision=0, actor=coordinator
    )
    client.force_login(coordinator)
    page = client.get(second.get_absolute_url()).content.decode()
    link = f'<a class="kern-link" href="{reverse("meetings:minutes", args=[first.pk])}">'
    badge = '<span class="kern-badge kern-badge--info"><span class="kern-label">Entwurf</span>'
    assert f"{link}Protokoll vom 12.01.2027</a> {badge}" in page


def test_minutes_lifecycle_with_lock_refusal(first, client, coordinator, member, clock):
    item = minutes.agenda(minutes.ensure_agenda(first).meeting)[1]
    client.force_login(coordinator)
    response = client.post(
        reverse("meetings:minutes_edit", args=[item.pk]),
        {"minutes": "Die Projektgruppe **berichtet**.", "outcome": "decision", "revision": "0"},
        follow=True,
    )
    page = response.content.decode()
    assert "<strong>berichtet</strong>" in page
    assert "Entwurf" in page

    # Circulating needs the meeting to have begun.
    client.post(reverse("meetings:minutes_transition", args=[first.pk, "circulate"]))
    assert MeetingRecord.objects.get(meeting=first).status == MinutesStatus.DRAFT

    clock.move_to(AFTER_FIRST)
    client.force_login(coordinator)  # a new day, a new session
    minutes.save_attendance(first, {member.person.pk: ("present", "")}, actor=coordinator)
    member.person.email = "mitglied@example.org"
    member.person.save()
    response = client.post(
        reverse("meetings:minutes_transition", args=[first.pk, "circulate"]), follow=True
    )
    assert "zur Korrektur an die Anwesenden" in response.content.decode()
    sent = OutboundMail.objects.filter(to="mitglied@example.org")
    assert sent.count() == 1
    assert "Protokollentwurf" in sent.get().subject

    response = client.post(
        reverse("meetings:minutes_transition", args=[first.pk, "approve"]), follow=True
    )
    assert "genehmigt und nun gesperrt" in response.content.decode()
    record = MeetingRecord.objects.get(meeting=first)
    assert record.status == MinutesStatus.APPROVED
    assert record.approved_in == first.series.meetings.order_by("start")[1]

    with pytest.raises(ValidationError, match="genehmigt und gesperrt"):
        minutes.save_minutes(
            item, minutes="Nachträglich", outcome="information", base_revision=1, actor=coordinator
        )
    response = client.post(
        reverse("meetings:minutes_edit", args=[item.pk]),
        {"minutes": "Nachträglich", "outcome": "information", "revision": "1"},
        follow=True,
    )
    assert "genehmigt und gesperrt" in response.content.decode()
    item.refresh_from_db()
    assert item.minutes == "Die Projektgruppe **berichtet**."


def test_circulating_before_the_attendance_is_refused_and_nothing_changes(
    first, client, coordinator, member, clock
):
    minutes.ensure_agenda(first)
    clock.move_to(AFTER_FIRST)
    client.force_login(coordinator)
    response = client.post(
        reverse("meetings:minutes_transition", args=[first.pk, "circulate"]), follow=True
    )
    assert "Erfassen Sie zuerst die Anwesenheit" in response.content.decode()
    assert "an die Anwesenden versandt" not in response.content.decode()
    api = client.post(f"/api/v1/meetings/{first.pk}/minutes/circulate/")
    assert api.status_code == 400
    assert MeetingRecord.objects.get(meeting=first).status == MinutesStatus.DRAFT
    # Only somebody without an e-mail address present: still nobody to send them to.
    member.person.email = ""
    member.person.save()
    minutes.save_attendance(first, {member.person.pk: ("present", "")}, actor=coordinator)
    assert client.post(f"/api/v1/meetings/{first.pk}/minutes/circulate/").status_code == 400
    assert not OutboundMail.objects.exists()


def test_two_saves_from_the_same_revision_conflict_and_nothing_is_overwritten(
    first, client, coordinator
):
    item = minutes.agenda(minutes.ensure_agenda(first).meeting)[0]
    minutes.save_minutes(
        item, minutes="Erste", outcome="information", base_revision=0, actor=coordinator
    )
    client.force_login(coordinator)
    response = client.post(
        reverse("meetings:minutes_edit", args=[item.pk]),
        {"minutes": "Zweite", "outcome": "information", "revision": "0"},
    )
    assert response.status_code == 409
    assert "in der Zwischenzeit" in response.content.decode()
    item.refresh_from_db()
    assert (item.minutes, item.revision) == ("Erste", 1)


def test_history_is_kept(first, client, coordinator):
    item = minutes.agenda(minutes.ensure_agenda(first).meeting)[0]
    minutes.save_minutes(
        item, minutes="Eins", outcome="information", base_revision=0, actor=coordinator
    )
    minutes.save_minutes(item, minutes="Zwei", outcome="task", base_revision=1, actor=coordinator)
    changes = list(MinutesChange.objects.filter(item=item).order_by("revision"))
    assert [(c.revision, c.minutes, c.outcome) for c in changes] == [
        (1, "Eins", "information"),
        (2, "Zwei", "task"),
    ]
    client.force_login(coordinator)
    page = client.get(reverse("meetings:minutes_edit", args=[item.pk])).content.decode()
    assert "Verlauf" in page
    assert "Eins" in page


@pytest.mark.row_locks
@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_one_wins_one_conflicts(clock, body, coordinator):
    series = make_series(body, actor=coordinator, agenda_template=TEMPLATE)
    meeting = series.meetings.order_by("start")[0]
    item = minutes.agenda(minutes.ensure_agenda(meeting).meeting)[0]
    barrier = threading.Barrier(2)
    outcomes = {}

    def save(text):
        try:
            barrier.wait()
            minutes.save_minutes(
                item, minutes=text, outcome="information", base_revision=0, actor=coordinator
            )
            outcomes[text] = "saved"
        except minutes.MinutesConflict:
            outcomes[text] = "conflict"
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(text,)) for text in ("A", "B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == ["conflict", "saved"]
    winner = next(text for text, result in outcomes.items() if result == "saved")
    item.refresh_from_db()
    assert (item.minutes, item.revision) == (winner, 1)
    assert MinutesChange.objects.filter(item=item).count() == 1


def test_attendance_per_seat_with_deputy(
    first, client, coordinator, member, seated_person, own_org
):
    client.force_login(coordinator)
    url = reverse("meetings:attendance", args=[first.pk])
    response = client.post(
        url,
        {
            f"status-{member.person.pk}": "deputy",
            f"deputy-{member.person.pk}": "",
            f"status-{seated_person.pk}": "excused",
            f"deputy-{seated_person.pk}": "nur notiert",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nennen Sie die Vertretung" in page
    assert not Attendance.objects.exists()
    # What was chosen and typed is kept for the correction.
    assert '<option value="deputy" selected>' in page
    assert '<option value="excused" selected>' in page
    assert 'value="nur notiert"' in page
    client.post(
        url,
        {
            f"status-{member.person.pk}": "deputy",
            f"deputy-{member.person.pk}": "Erika Muster",
            f"status-{seated_person.pk}": "excused",
        },
    )
    rows = {row.person_id: row for row in Attendance.objects.all()}
    assert rows[member.person.pk].status == "deputy"
    assert rows[member.person.pk].organisation == own_org
    assert rows[member.person.pk].deputy == "Erika Muster"
    assert rows[seated_person.pk].status == "excused"
    page = client.get(reverse("meetings:minutes", args=[first.pk])).content.decode()
    assert "Erika Muster" in page
    assert "Entschuldigt" in page


def test_printable_minutes(first, client, member):
    client.force_login(member)
    response = client.get(reverse("meetings:minutes_print", args=[first.pk]))
    page = response.content.decode()
    assert "minutes_print.css" in page
    assert "Bericht der Projektgruppe" in page


# --- API ---------------------------------------------------------------------------------------


def test_api_permissions(first, client, member, outsider, coordinator):
    minutes.ensure_agenda(first)
    item = minutes.agenda(first)[0]
    client.force_login(outsider)
    for url in (
        f"/api/v1/meetings/{first.pk}/agenda/",
        f"/api/v1/meetings/{first.pk}/attendance/",
        f"/api/v1/meetings/{first.pk}/minutes/",
        f"/api/v1/agenda-items/{item.pk}/minutes/",
    ):
        assert client.get(url).status_code == 404
    assert (
        client.post(
            f"/api/v1/meetings/{first.pk}/agenda/propose/",
            {"title": "Fremd"},
            content_type="application/json",
        ).status_code
        == 404
    )

    client.force_login(member)
    assert len(client.get(f"/api/v1/meetings/{first.pk}/agenda/").json()) == 4
    assert (
        client.put(
            f"/api/v1/agenda-items/{item.pk}/minutes/",
            {"minutes": "x", "outcome": "information", "revision": 0},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/api/v1/meetings/{first.pk}/agenda/",
            {"title": "Direkt"},
            content_type="application/json",
        ).status_code
        == 404
    )
    proposed = client.post(
        f"/api/v1/meetings/{first.pk}/agenda/propose/",
        {"title": "Vorschlag per API"},
        content_type="application/json",
    )
    assert proposed.status_code == 201
    assert proposed.json()["status"] == "proposed"
    assert client.post(f"/api/v1/meetings/{first.pk}/minutes/circulate/").status_code == 404

    client.force_login(coordinator)
    accepted = client.post(f"/api/v1/agenda-items/{proposed.json()['id']}/accept/")
    assert accepted.json()["status"] == "accepted"
    created = client.post(
        f"/api/v1/meetings/{first.pk}/agenda/",
        {"title": "Direkt", "duration_minutes": 10},
        content_type="application/json",
    )
    assert created.status_code == 201


def test_api_minutes_conflict_answers_409(first, client, coordinator):
    minutes.ensure_agenda(first)
    item = minutes.agenda(first)[0]
    client.force_login(coordinator)
    url = f"/api/v1/agenda-items/{item.pk}/minutes/"
    first_save = client.put(
        url,
        {"minutes": "Erste", "outcome": "information", "revision": 0},
        content_type="application/json",
    )
    assert first_save.json()["revision"] == 1
    second_save = client.put(
        url,
        {"minutes": "Zweite", "outcome": "decision", "revision": 0},
        content_type="application/json",
    )
    assert second_save.status_code == 409
    assert second_save.json()["minutes"] == "Erste"
    item.refresh_from_db()
    assert item.minutes == "Erste"


# --- demo --------------------------------------------------------------------------------------


def test_demo_has_approved_minutes_and_a_next_agenda(clock):
    call_command("seed_demo", stdout=io.StringIO())
    steering = MeetingSeries.objects.get(body__name__startswith="Lenkungsgruppe")
    past = steering.meetings.filter(start__lt=timezone.now()).order_by("start").last()
    upcoming = steering.meetings.filter(start__gte=timezone.now()).order_by("start").first()
    assert past.record.status == MinutesStatus.APPROVED
    assert all(item.minutes for item in minutes.agenda(past))
    assert past.attendance.exists()
    upcoming_titles = titles(upcoming)
    assert upcoming_titles[0] == minutes.APPROVAL_TITLE
    assert "Offene Aufgaben" in upcoming_titles
    assert minutes.proposals(upcoming).count() == 1


# --- documents and item changes ----------------------------------------------------------------


def test_coordinator_attaches_a_document_members_download_outsiders_get_404(
    first, client, coordinator, member, outsider
):
    minutes.ensure_agenda(first)
    item = minutes.agenda(first)[1]
    client.force_login(coordinator)
    url = reverse("meetings:agenda_document", args=[item.pk])
    refused = client.post(
        url, {"title": "Bericht", "file": SimpleUploadedFile("bericht.pdf", b"kein PDF")}
    )
    assert refused.status_code == 400
    assert "passt nicht zu ihrem Typ" in refused.content.decode()
    assert not AgendaDocument.objects.exists()
    client.post(
        url, {"title": "Bericht", "file": SimpleUploadedFile("bericht.pdf", b"%PDF-1.7 Bericht")}
    )
    document = AgendaDocument.objects.get()
    download = reverse("meetings:agenda_document_get", args=[document.pk])

    client.force_login(member)
    page = client.get(first.get_absolute_url()).content.decode()
    assert download in page
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 Bericht"
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]

    client.force_login(outsider)
    assert client.get(download).status_code == 404


def test_coordinator_changes_the_order_of_the_agenda(first, client, coordinator, member):
    minutes.ensure_agenda(first)
    last = minutes.agenda(first).last()
    client.force_login(coordinator)
    client.post(
        reverse("meetings:agenda_edit", args=[last.pk]),
        {
            "title": "Verschiedenes",
            "presenter": "Vorsitz",
            "duration_minutes": "5",
            "position": "1",
        },
    )
    assert titles(first)[0] == "Verschiedenes"
    client.force_login(member)
    assert client.get(reverse("meetings:agenda_edit", args=[last.pk])).status_code == 404


def test_api_changes_items_and_attaches_documents(first, client, coordinator, member, outsider):
    minutes.ensure_agenda(first)
    item = minutes.agenda(first)[0]
    client.force_login(member)
    url = f"/api/v1/agenda-items/{item.pk}/"
    assert client.get(url).json()["title"] == "Begrüßung"
    assert client.patch(url, {"position": 1}, content_type="application/json").status_code == 404
    upload = f"/api/v1/agenda-items/{item.pk}/documents/"
    pdf = SimpleUploadedFile("vorlage.pdf", b"%PDF-1.7 Vorlage")
    assert client.post(upload, {"file": pdf}).status_code == 404

    client.force_login(coordinator)
    changed = client.patch(url, {"presenter": "Vorsitz"}, content_type="application/json")
    assert changed.json()["presenter"] == "Vorsitz"
    refused = client.post(upload, {"file": SimpleUploadedFile("x.pdf", b"kein PDF")})
    assert refused.status_code == 400
    pdf = SimpleUploadedFile("vorlage.pdf", b"%PDF-1.7 Vorlage")
    created = client.post(upload, {"title": "Vorlage", "file": pdf})
    assert created.status_code == 201
    document_id = created.json()["documents"][0]["id"]

    client.force_login(member)
    response = client.get(f"/api/v1/agenda-documents/{document_id}/")
    assert b"".join(response.streaming_content) == b"%PDF-1.7 Vorlage"
    client.force_login(outsider)
    assert client.get(f"/api/v1/agenda-documents/{document_id}/").status_code == 404


def test_invitation_shows_the_agenda_and_its_page_follows_changes(
    first, coordinator, member, client, mailoutbox, django_capture_on_commit_callbacks
):
    minutes.ensure_agenda(first)
    opening = minutes.agenda(first)[0]
    opening.duration_minutes = 10
    opening.save()
    audiences.add_audience_entry(
        first, actor=coordinator, kind=AudienceEntry.Kind.BODY, body=first.series.body
    )
    with django_capture_on_commit_callbacks(execute=True):
        invitations.send_invitations(first, actor=coordinator)
    (sent,) = mailoutbox
    assert "Begrüßung" in sent.body
    assert "Bericht der Projektgruppe" in sent.body
    assert "10:10" in sent.body
    assert "Übliche Tagesordnung" not in sent.body

    minutes.add_item(AgendaItem(meeting=first, title="Haushalt 2027"), actor=coordinator)
    link = re.search(r"https?://\S+(/invitation/[A-Za-z0-9_-]{43}/)", sent.body).group(1)
    page = client.get(link, follow=True).content.decode()
    assert "Haushalt 2027" in page
