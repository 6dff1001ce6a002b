"""The pages: the coordinator sets up and opens a consultation, members find and draft their
organisation's statement (autosave with the conflict rule, a save without JavaScript),
outsiders and wrong ids get 404, and a session that expired keeps what was typed."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from consultations import services
from consultations.models import Attachment, Consultation, Statement

from .conftest import build_consultation, value

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def autosave(client, statement, section, revision=0, *, target=True, **entries):
    key = section.key
    data = {f"q-{key}-{part}": text for part, text in entries.items()}
    data[f"q-{key}-revision"] = revision
    headers = dict(HTMX)
    if target:
        headers["HTTP_HX_TARGET"] = f"question-{key}-status"
    url = reverse("consultations:save_section", args=[statement.pk, key])
    return client.post(url, data, **headers)


def test_coordinator_creates_sets_up_and_opens_a_consultation(
    client, coordinator, own_org, contacts, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    created = client.post(
        reverse("consultations:create"),
        {
            "title": "Handlungsempfehlungen",
            "purpose": "Bitte **prüfen**.",
            "deadline": "2099-01-31",
        },
        follow=True,
    )
    consultation = Consultation.objects.get(title="Handlungsempfehlungen")
    assert "<strong>prüfen</strong>" in created.content.decode()
    client.post(
        reverse("consultations:section_create", args=[consultation.pk]),
        {"title": "Kinderarmut", "text": "Mehr Kitaplätze."},
    )
    client.post(
        reverse("consultations:organisations", args=[consultation.pk]),
        {"organisations": [own_org.pk]},
    )
    upload = SimpleUploadedFile("entwurf.csv", b"Indikator;Quelle\nSGB II;BA\n", "text/csv")
    client.post(
        reverse("consultations:attachment_add", args=[consultation.pk]),
        {"title": "Tabelle", "file": upload},
    )
    with django_capture_on_commit_callbacks(execute=True):
        opened = client.post(reverse("consultations:open", args=[consultation.pk]), follow=True)
    page = opened.content.decode()
    assert "1. Kinderarmut" in page and "Stadt Siegburg" in page and "Tabelle" in page
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.OPEN
    assert [m.to[0] for m in mailoutbox] == ["kontakt@siegburg.example"]
    attachment = Attachment.objects.get()
    download = client.get(
        reverse("consultations:attachment", args=[consultation.pk, attachment.pk])
    )
    assert b"".join(download.streaming_content).startswith(b"Indikator")


def test_opening_without_sections_says_what_is_missing(client, coordinator):
    client.force_login(coordinator)
    consultation = services.save_consultation(Consultation(title="Leer"), actor=coordinator)
    page = client.post(reverse("consultations:open", args=[consultation.pk]), follow=True)
    assert "Legen Sie mindestens einen Abschnitt des Entwurfs an." in page.content.decode()


def test_a_file_that_is_not_what_it_claims_is_refused_and_the_title_kept(
    client, coordinator, own_org
):
    consultation = build_consultation(coordinator, [own_org], open_it=False)
    client.force_login(coordinator)
    fake = SimpleUploadedFile("entwurf.pdf", b"not a pdf at all", "application/pdf")
    result = client.post(
        reverse("consultations:attachment_add", args=[consultation.pk]),
        {"title": "Entwurf", "file": fake},
    )
    assert result.status_code == 400
    page = result.content.decode()
    assert "passt nicht zu ihrem Typ" in page and 'value="Entwurf"' in page
    assert not Attachment.objects.exists()


def test_member_lists_and_starts_the_statement_of_their_organisation(
    client, member, consultation, own_org
):
    client.force_login(member)
    listing = client.get(reverse("consultations:list")).content.decode()
    assert "Indikatorenset Sozialmonitoring" in listing and "noch nicht begonnen" in listing
    detail = client.get(consultation.get_absolute_url()).content.decode()
    assert "Stadt Siegburg" in detail and "Gemeinde Much" not in detail
    opened = client.post(
        reverse("consultations:open_statement", args=[consultation.pk, own_org.pk]), follow=True
    )
    assert opened.status_code == 200
    assert "Votum zu Abschnitt 1" in opened.content.decode()
    assert Statement.objects.filter(consultation=consultation, organisation=own_org).count() == 1


def test_outsiders_and_wrong_ids_get_404(
    client, member, outsider, consultation, own_org, not_consulted, participant
):
    statement = services.statement_for(consultation, own_org)
    client.force_login(outsider)
    assert client.get(statement.get_absolute_url()).status_code == 404
    assert (
        client.post(
            reverse("consultations:open_statement", args=[consultation.pk, own_org.pk])
        ).status_code
        == 404
    )
    client.force_login(member)
    assert (
        client.post(
            reverse("consultations:open_statement", args=[consultation.pk, not_consulted.pk])
        ).status_code
        == 404
    )
    assert client.get(reverse("consultations:detail", args=[999999])).status_code == 404
    assert client.get(reverse("consultations:edit", args=[consultation.pk])).status_code == 404
    client.force_login(participant)
    assert client.get(consultation.get_absolute_url()).status_code == 404


def test_a_draft_is_invisible_to_the_organisations(client, coordinator, member, own_org):
    draft = build_consultation(coordinator, [own_org], open_it=False)
    client.force_login(member)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "Indikatorenset" not in client.get(reverse("consultations:list")).content.decode()


def test_autosave_saves_a_section_and_a_stale_save_answers_409_with_both_values(
    client, member, colleague, consultation, own_org
):
    statement = services.statement_for(consultation, own_org)
    section = consultation.sections.first()
    client.force_login(member)
    saved = autosave(client, statement, section, position="agree", comment="Passt so.")
    assert saved.status_code == 200
    assert "Gespeichert – zuletzt geändert von" in saved.content.decode()
    client.force_login(colleague)
    stale = autosave(client, statement, section, position="disagree", comment="Bitte streichen.")
    assert stale.status_code == 409
    page = stale.content.decode()
    assert "Jemand anderes hat diesen Abschnitt inzwischen geändert." in page
    assert "Passt so." in page  # theirs
    assert "Bitte streichen." in page  # mine, still in the field
    assert statement.answers.get().value == value("agree", "Passt so.")
    # The colleague keeps their entry over the other: both stay in the section's history.
    client.post(
        reverse("consultations:save_section", args=[statement.pk, section.key]),
        {
            f"q-{section.key}-position": "disagree",
            f"q-{section.key}-comment": "Bitte streichen.",
            f"q-{section.key}-revision": 1,
        },
        **HTMX,
    )
    page = client.get(statement.get_absolute_url()).content.decode()
    assert "2 Änderungen an Abschnitt 1" in page
    assert "Ablehnung – Bitte streichen." in page and "Zustimmung – Passt so." in page


def test_without_javascript_the_whole_statement_is_saved_and_a_refusal_keeps_the_input(
    client, member, consultation, own_org
):
    statement = services.statement_for(consultation, own_org)
    first, second = consultation.sections.all()
    client.force_login(member)
    url = reverse("consultations:save_statement", args=[statement.pk])
    refused = client.post(
        url,
        {
            f"q-{first.key}-position": "agree",
            f"q-{first.key}-revision": 0,
            f"q-{second.key}-position": "perhaps",
            f"q-{second.key}-comment": "Mein Kommentar",
            f"q-{second.key}-revision": 0,
        },
    )
    assert refused.status_code == 400
    page = refused.content.decode()
    assert (
        "Wählen Sie Zustimmung, Zustimmung mit Änderungen oder Ablehnung." in page
        and "Mein Kommentar" in page
    )
    assert statement.answers.get().question == first  # the valid section is saved
    client.post(url, {f"q-{second.key}-position": "disagree", f"q-{second.key}-revision": 0})
    assert statement.answers.count() == 2


def test_release_page_tells_who_may_release(client, member, colleague, consultation, own_org):
    statement = services.statement_for(consultation, own_org)
    client.force_login(member)
    client.post(
        reverse("consultations:name_responsible", args=[statement.pk]),
        {"responsible": colleague.person.pk},
    )
    page = client.get(statement.get_absolute_url()).content.decode()
    assert f"Nur {colleague.person.full_name} kann die Stellungnahme freigeben" in page
    refused = client.post(reverse("consultations:release", args=[statement.pk]), follow=True)
    assert "Nur das verantwortliche Mitglied" in refused.content.decode()
    statement.refresh_from_db()
    assert statement.status == Statement.Status.IN_PROGRESS
    client.force_login(colleague)
    incomplete = client.post(reverse("consultations:release", args=[statement.pk]))
    assert incomplete.status_code == 400
    assert "Diese Abschnitte brauchen noch ein Votum" in incomplete.content.decode()


def test_after_the_deadline_the_page_names_it_and_the_coordinator_extends(
    client, member, coordinator, consultation, own_org
):
    statement = services.statement_for(consultation, own_org)
    section = consultation.sections.first()
    late = consultation.deadline + datetime.timedelta(days=1)
    with time_machine.travel(late):
        client.force_login(member)
        refused = autosave(client, statement, section, position="agree")
        assert refused.status_code == 400
        assert (
            f"Die Frist ({consultation.deadline:%d.%m.%Y}) ist abgelaufen"
            in refused.content.decode()
        )
        client.force_login(coordinator)
        client.post(
            reverse("consultations:extend", args=[consultation.pk, own_org.pk]),
            {"until": (late + datetime.timedelta(days=3)).isoformat()},
        )
        client.force_login(member)
        assert autosave(client, statement, section, position="agree").status_code == 200


def test_coordinator_sees_progress_filtered_and_reminds_once_a_day(
    client,
    coordinator,
    member,
    consultation,
    own_org,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    statement = services.statement_for(consultation, own_org)
    services.save_section_answer(
        statement, consultation.sections.first(), value(), actor=member, base_revision=0
    )
    client.force_login(coordinator)
    missing = client.get(consultation.get_absolute_url(), {"state": "in_progress"}).content.decode()
    assert "Stadt Siegburg" in missing and "Gemeinde Much" not in missing
    mailoutbox.clear()
    for _click in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("consultations:remind", args=[consultation.pk]))
    assert sorted(m.to[0] for m in mailoutbox) == [
        "kontakt@much.example",
        "kontakt@siegburg.example",
    ]


def test_an_expired_session_keeps_the_typed_statement_until_the_sign_in(
    client, member, consultation, own_org
):
    statement = services.statement_for(consultation, own_org)
    section = consultation.sections.first()
    expired = autosave(client, statement, section, position="disagree", comment="Nicht verloren")
    assert expired.status_code == 401
    assert "Ihre Sitzung ist abgelaufen" in expired.content.decode()
    client.force_login(member)
    page = client.get(statement.get_absolute_url()).content.decode()
    assert "ist wiederhergestellt" in page and "Nicht verloren" in page
    assert statement.answers.get().value == value("disagree", "Nicht verloren")


def test_the_coordinators_list_shows_how_many_statements_are_released(
    client, coordinator, member, consultation, own_org
):
    statement = services.statement_for(consultation, own_org)
    services.name_responsible(statement, member.person, actor=member)
    services.declare_no_statement(statement, actor=member)
    client.force_login(coordinator)
    page = client.get(reverse("consultations:list")).content.decode()
    assert "1 von 2 abgegeben" in page
    client.force_login(member)
    page = client.get(reverse("consultations:list")).content.decode()
    assert "von 2 abgegeben" not in page and "Ihre Stellungnahmen" in page
