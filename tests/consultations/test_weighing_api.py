"""The weighing table over the API: coordinators only (anyone else 404), the conflict rule
on a point (409 with the point as it is), publishing, the result a member reads (their own
statement only), the participation record and the files."""

import io
import json

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from consultations.models import Reply

from .conftest import own_answer
from .test_api import api_for

pytestmark = pytest.mark.django_db


def test_coordinators_split_answers_into_points_and_respond_under_the_conflict_rule(
    cycle, coordinator, own_org, third_org
):
    client = api_for(coordinator)
    table = client.get(f"/api/v1/consultations/{cycle.pk}/weighing/").json()
    first = table["results"][0]["entries"]
    assert [e["organisation_name"] for e in first] == [
        "Caritasverband Rhein-Sieg",
        "Gemeinde Much",
        "Stadt Siegburg",
    ]
    assert first[0]["answer"] is None and first[0]["received"] is False
    assert first[2]["position"] == "agree_with_changes"

    answer = own_answer(cycle, own_org, 1)
    created = client.post(
        f"/api/v1/consultations/{cycle.pk}/weighing/points/",
        {"answer": answer.pk, "text": "Feiner gliedern"},
        format="json",
    )
    assert created.status_code == 201
    point = created.json()
    url = f"/api/v1/consultations/weighing-points/{point['id']}/"
    saved = client.put(
        url,
        {"text": "Feiner gliedern", "reply": Reply.ADOPTED, "reasons": "Ja.", "base_revision": 1},
        format="json",
    )
    assert saved.status_code == 200 and saved.json()["revision"] == 2
    stale = client.put(
        url,
        {"text": "Feiner gliedern", "reply": Reply.NOTED, "reasons": "Nein.", "base_revision": 1},
        format="json",
    )
    assert stale.status_code == 409
    assert stale.json()["reply"] == Reply.ADOPTED and stale.json()["reasons"] == "Ja."
    empty = client.post(
        f"/api/v1/consultations/{cycle.pk}/weighing/points/",
        {"answer": answer.pk, "text": ""},
        format="json",
    )
    assert empty.status_code == 400 and answer.points.count() == 1


def test_a_response_to_a_point_by_a_non_coordinator_is_404(cycle, coordinator, member, own_org):
    answer = own_answer(cycle, own_org, 1)
    coordinator_client = api_for(coordinator)
    point = coordinator_client.post(
        f"/api/v1/consultations/{cycle.pk}/weighing/points/",
        {"answer": answer.pk, "text": "Feiner"},
        format="json",
    ).json()
    client = api_for(member)
    response = client.put(
        f"/api/v1/consultations/weighing-points/{point['id']}/",
        {"text": "Feiner", "reply": Reply.ADOPTED, "reasons": "", "base_revision": 1},
        format="json",
    )
    assert response.status_code == 404
    assert client.get(f"/api/v1/consultations/{cycle.pk}/weighing/").status_code == 404
    assert client.get(f"/api/v1/consultations/{cycle.pk}/record/").status_code == 404
    assert client.post(f"/api/v1/consultations/{cycle.pk}/publish/", {}).status_code == 404


def test_a_member_reads_only_their_own_statement_of_the_published_result(
    cycle, coordinator, member, mailoutbox, django_capture_on_commit_callbacks
):
    client = api_for(member)
    assert client.get(f"/api/v1/consultations/{cycle.pk}/result/").status_code == 404
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        published = api_for(coordinator).post(
            f"/api/v1/consultations/{cycle.pk}/publish/",
            {"public_table": "by_kind"},
            format="json",
        )
    assert published.status_code == 201 and published.json()["version"] == 1
    assert len(mailoutbox) == 3
    result = client.get(f"/api/v1/consultations/{cycle.pk}/result/").json()
    text = json.dumps(result, ensure_ascii=False)
    assert "Altersgruppen feiner." in text and "Stadt Siegburg" in text
    assert "Zu grob." not in text and "Gemeinde Much" not in text


def test_the_participation_record_names_who_never_answered_with_the_reminder_dates(
    cycle, coordinator
):
    client = api_for(coordinator)
    rows = client.get(f"/api/v1/consultations/{cycle.pk}/record/").json()
    caritas = rows[0]
    assert caritas["organisation_name"] == "Caritasverband Rhein-Sieg"
    assert caritas["reminders"] == ["2027-03-06", "2027-03-11"]
    assert caritas["outcome"] == "nie geantwortet" and caritas["answered_at"] is None
    assert [r["person"] for r in caritas["requests"]]
    much = rows[1]
    assert much["outcome"] == "Stellungnahme freigegeben" and much["reminders"] == ["2027-03-06"]
    assert rows[2]["reminders"] == []

    xlsx = client.get(f"/api/v1/consultations/{cycle.pk}/record/file/?format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == [
        "Organisation",
        "Angefragt",
        "Erinnerungen",
        "Ergebnis",
        "Beantwortet",
        "Beantwortet von",
    ]
    assert values[1][0] == "Caritasverband Rhein-Sieg"
    assert values[1][2] == "06.03.2027, 11.03.2027" and values[1][3] == "nie geantwortet"
    csv = client.get(f"/api/v1/consultations/{cycle.pk}/record/file/?format=csv")
    body = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert "Caritasverband Rhein-Sieg;" in body and "06.03.2027, 11.03.2027" in body


def test_the_schema_describes_the_weighing_table(tmp_path):
    path = tmp_path / "schema.json"
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", "--file", path
    )
    paths = json.loads(path.read_text())["paths"]
    assert "409" in paths["/api/v1/consultations/weighing-points/{point_id}/"]["put"]["responses"]
    for suffix in (
        "weighing/",
        "weighing/file/",
        "publish/",
        "result/",
        "record/",
        "revised-draft/",
    ):
        assert f"/api/v1/consultations/{{id}}/{suffix}" in paths


def test_the_revised_draft_is_begun_once_and_edited_by_coordinators(cycle, coordinator, member):
    client = api_for(coordinator)
    url = f"/api/v1/consultations/{cycle.pk}/revised-draft/"
    begun = client.post(url).json()
    assert [(s["number"], s["title"]) for s in begun] == [(1, "Demografie"), (2, "Armut")]
    assert len(client.post(url).json()) == 2  # begun once
    section = begun[1]
    changed = client.put(
        f"{url}{section['id']}/", {"title": "Armut", "text": "- SGB-II-Quote je Ortsteil"}
    )
    assert changed.status_code == 200
    assert client.get(url).json()[1]["text"] == "- SGB-II-Quote je Ortsteil"
    blank = client.put(f"{url}{section['id']}/", {"title": "", "text": "x"})
    assert blank.status_code == 400
    assert api_for(member).get(url).status_code == 404
    assert api_for(member).put(f"{url}{section['id']}/", {"title": "x"}).status_code == 404
