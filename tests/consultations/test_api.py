"""Consultations over the REST API, with the pages' permissions and the conflict rule (409)."""

import datetime
import json

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from rest_framework.test import APIClient

from consultations import services
from consultations.models import Consultation, Statement

from .conftest import build_consultation, value

pytestmark = pytest.mark.django_db
STATEMENTS = "/api/v1/consultations/statements/"


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_coordinator_sets_up_and_opens_a_consultation(
    coordinator, own_org, contacts, mailoutbox, django_capture_on_commit_callbacks
):
    client = api_for(coordinator)
    created = client.post(
        "/api/v1/consultations/",
        {"title": "Handlungsempfehlungen", "purpose": "Bitte prüfen.", "deadline": "2099-01-31"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    section = client.post(
        "/api/v1/consultations/sections/",
        {"consultation": pk, "title": "Kinderarmut", "text": "Mehr Kitaplätze."},
        format="json",
    )
    assert section.status_code == 201 and section.json()["number"] == 1
    consulted = client.post(
        f"/api/v1/consultations/{pk}/consult/", {"organisations": [own_org.pk]}, format="json"
    )
    assert consulted.json()["organisations"] == [own_org.pk]
    removed = client.post(
        f"/api/v1/consultations/{pk}/stop-consulting/", {"organisation": own_org.pk}, format="json"
    )
    assert removed.json()["organisations"] == []
    client.post(f"/api/v1/consultations/{pk}/consult/", {"kinds": ["municipality"]}, format="json")
    with django_capture_on_commit_callbacks(execute=True):
        opened = client.post(f"/api/v1/consultations/{pk}/open/")
    assert opened.status_code == 200 and opened.json()["status"] == "open"
    # Both municipalities (by kind), not the county office.
    assert sorted(m.to[0] for m in mailoutbox) == [
        "kontakt@much.example",
        "kontakt@siegburg.example",
    ]
    # The draft is fixed now.
    refused = client.patch(
        f"/api/v1/consultations/sections/{section.json()['id']}/", {"title": "Neu"}, format="json"
    )
    assert refused.status_code == 400


def test_opening_an_empty_consultation_says_why(coordinator):
    client = api_for(coordinator)
    pk = client.post("/api/v1/consultations/", {"title": "Leer"}, format="json").json()["id"]
    refused = client.post(f"/api/v1/consultations/{pk}/open/")
    assert refused.status_code == 400
    assert "Legen Sie mindestens einen Abschnitt des Entwurfs an." in json.dumps(
        refused.json(), ensure_ascii=False
    )


def test_members_read_what_consults_them_and_write_nothing_of_the_setup(
    member, outsider, participant, consultation, coordinator, own_org
):
    draft = Consultation.objects.create(title="Entwurf", deadline=consultation.deadline)
    draft.organisations.add(own_org)
    client = api_for(member)
    listed = client.get("/api/v1/consultations/").json()["results"]
    assert [c["id"] for c in listed] == [consultation.pk]
    assert [s["title"] for s in listed[0]["sections"]] == ["Demografie", "Armut"]
    assert client.get(f"/api/v1/consultations/{draft.pk}/").status_code == 404
    assert (
        client.patch(f"/api/v1/consultations/{consultation.pk}/", {"title": "x"}).status_code == 404
    )
    assert client.post(f"/api/v1/consultations/{consultation.pk}/remind/").status_code == 404
    assert api_for(participant).get(f"/api/v1/consultations/{consultation.pk}/").status_code == 404


def test_statements_stay_within_the_organisation_and_not_consulted_is_404(
    member, outsider, consultation, own_org, other_org, not_consulted
):
    client = api_for(member)
    own = client.post(
        STATEMENTS, {"consultation": consultation.pk, "organisation": own_org.pk}, format="json"
    )
    assert own.status_code == 200 and own.json()["organisation_name"] == "Stadt Siegburg"
    for organisation in (other_org, not_consulted):
        refused = client.post(
            STATEMENTS,
            {"consultation": consultation.pk, "organisation": organisation.pk},
            format="json",
        )
        assert refused.status_code == 404
    theirs = services.statement_for(consultation, other_org)
    assert [s["id"] for s in client.get(STATEMENTS).json()["results"]] == [own.json()["id"]]
    assert client.get(f"{STATEMENTS}{theirs.pk}/").status_code == 404
    assert api_for(outsider).get(f"{STATEMENTS}{own.json()['id']}/").status_code == 404


def test_saving_a_section_follows_the_conflict_rule(member, colleague, consultation, own_org):
    statement = services.statement_for(consultation, own_org)
    section = consultation.sections.first()
    url = f"{STATEMENTS}{statement.pk}/sections/{section.pk}/"
    first = api_for(member).put(
        url, {"value": value("agree", "Passt."), "base_revision": 0}, format="json"
    )
    assert first.status_code == 200 and first.json()["revision"] == 1
    stale = api_for(colleague).put(
        url, {"value": value("disagree", "Nein."), "base_revision": 0}, format="json"
    )
    assert stale.status_code == 409
    assert stale.json()["value"]["comment"] == "Passt." and stale.json()["revision"] == 1
    assert statement.answers.get().value == value("agree", "Passt.")
    bad = api_for(member).put(url, {"value": value("perhaps"), "base_revision": 1}, format="json")
    assert bad.status_code == 400


def test_release_by_the_responsible_member_only(member, colleague, consultation, own_org):
    statement = services.statement_for(consultation, own_org)
    client = api_for(member)
    named = client.post(
        f"{STATEMENTS}{statement.pk}/responsible/",
        {"responsible": colleague.person.pk},
        format="json",
    )
    assert named.status_code == 200
    for section in consultation.sections.all():
        services.save_section_answer(statement, section, value(), actor=member, base_revision=0)
    assert client.post(f"{STATEMENTS}{statement.pk}/release/").status_code == 400
    released = api_for(colleague).post(f"{STATEMENTS}{statement.pk}/release/")
    assert released.status_code == 200 and released.json()["status"] == "submitted"


def test_after_the_deadline_the_coordinator_extends_for_one_organisation(
    member, coordinator, consultation, own_org
):
    statement = services.statement_for(consultation, own_org)
    section = consultation.sections.first()
    url = f"{STATEMENTS}{statement.pk}/sections/{section.pk}/"
    late = consultation.deadline + datetime.timedelta(days=1)
    with time_machine.travel(late):
        refused = api_for(member).put(url, {"value": value(), "base_revision": 0}, format="json")
        assert refused.status_code == 400
        assert f"{consultation.deadline:%d.%m.%Y}" in refused.json()["value"][0]
        assert (
            api_for(member)
            .post(f"{STATEMENTS}{statement.pk}/extend/", {"until": "2099-01-01"}, format="json")
            .status_code
            == 404
        )
        extended = api_for(coordinator).post(
            f"{STATEMENTS}{statement.pk}/extend/",
            {"until": (late + datetime.timedelta(days=2)).isoformat()},
            format="json",
        )
        assert extended.status_code == 200
        saved = api_for(member).put(url, {"value": value(), "base_revision": 0}, format="json")
        assert saved.status_code == 200
    assert Statement.objects.get().deadline_extended_to == late + datetime.timedelta(days=2)


def test_the_schema_describes_the_consultations_without_warnings(tmp_path):
    path = tmp_path / "schema.json"
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", "--file", path
    )
    paths = json.loads(path.read_text())["paths"]
    assert "/api/v1/consultations/{id}/open/" in paths
    assert "/api/v1/consultations/statements/{id}/sections/{section_id}/" in paths
    assert (
        "409"
        in paths["/api/v1/consultations/statements/{id}/sections/{section_id}/"]["put"]["responses"]
    )


def test_files_are_attached_by_coordinators_and_read_by_the_consulted(
    coordinator, member, outsider, not_consulted, own_org
):
    draft = build_consultation(coordinator, [own_org], open_it=False)
    upload = SimpleUploadedFile("tabelle.csv", b"Indikator;Quelle\nSGB II;BA\n", "text/csv")
    created = api_for(coordinator).post(
        f"/api/v1/consultations/{draft.pk}/files/", {"title": "Tabelle", "file": upload}
    )
    assert created.status_code == 201 and created.json()["title"] == "Tabelle"
    fake = SimpleUploadedFile("entwurf.pdf", b"kein PDF", "application/pdf")
    refused = api_for(coordinator).post(f"/api/v1/consultations/{draft.pk}/files/", {"file": fake})
    assert refused.status_code == 400
    url = f"/api/v1/consultations/{draft.pk}/files/{created.json()['id']}/"
    assert api_for(member).get(url).status_code == 404  # a draft: not yet visible
    assert api_for(member).delete(url).status_code == 404
    extra = api_for(coordinator).post(
        f"/api/v1/consultations/{draft.pk}/files/",
        {"file": SimpleUploadedFile("weg.csv", b"a;b\n", "text/csv")},
    )
    extra_url = f"/api/v1/consultations/{draft.pk}/files/{extra.json()['id']}/"
    assert api_for(coordinator).delete(extra_url).status_code == 204
    assert draft.attachments.count() == 1
    services.open_consultation(draft, actor=coordinator)
    download = api_for(member).get(url)
    assert b"".join(download.streaming_content).startswith(b"Indikator")
    assert api_for(outsider).get(url).status_code == 404
    upload = SimpleUploadedFile("noch.csv", b"a;b\n", "text/csv")
    assert (
        api_for(member)
        .post(f"/api/v1/consultations/{draft.pk}/files/", {"file": upload})
        .status_code
        == 404
    )
