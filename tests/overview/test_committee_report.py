"""The committee report: a coordinator picks a period and gets the participation work of it
in German as PDF (its text carries the figures), DOCX (headings and tables cell by cell) and
XLSX (the tables, numbers as numbers); the same period gives the same bytes; an empty or
inverted period is refused with a clear message and nothing is built; members, outsiders and
wrong ids get 404; the API does the same; every app's part arrives through the hook."""

import datetime
import io
from pathlib import Path

import docx
import pytest
import time_machine
from django.apps import apps as django_apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader
from rest_framework.test import APIClient

from meetings import minutes, services
from meetings.models import Decision, Task
from overview import committee, report_jobs
from overview.models import CommitteeReport
from participation.models import Invitation, Reply
from surveys import services as survey_services
from tests.factories import (
    BodyFactory,
    BodyMembershipFactory,
    OrganisationFactory,
    PersonFactory,
    QuestionFactory,
    SectionFactory,
    SurveyFactory,
    WorkshopFactory,
)
from tests.meetings.conftest import make_series
from workshops.live import services as live_services
from workshops.live.models import ActivityKind

pytestmark = pytest.mark.django_db

SERIES_MADE = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)
NOW = datetime.datetime(2027, 5, 3, 9, 0, tzinfo=datetime.UTC)
START, END = datetime.date(2027, 1, 1), datetime.date(2027, 4, 30)


@pytest.fixture
def clock():
    with time_machine.travel(SERIES_MADE, tick=False) as traveller:
        yield traveller


@pytest.fixture
def body(own_org, other_org, member):
    body = BodyFactory(name="Lenkungsgruppe Sozialplanung", short_name="LG")
    BodyMembershipFactory(body=body, person=member.person, represents=own_org)
    welfare = OrganisationFactory(name="Caritas Rhein-Sieg", kind="welfare_association", ags=None)
    for organisation in (welfare, other_org):
        BodyMembershipFactory(body=body, person=PersonFactory(), represents=organisation)
    return body


@pytest.fixture
def work(clock, body, coordinator, member, own_org, other_org):
    """Two meetings held (January and April 2027) with attendance at the first, a decision
    and an overdue task; a workshop held in February with a live card collection and two
    people checked in; a survey of two municipalities, one of which submitted."""
    series = make_series(body, actor=coordinator)
    survey = SurveyFactory(
        title="Ausgangslage Sozialplanung",
        deadline=datetime.date(2027, 3, 31),
        actor=coordinator,
        audience=[own_org, other_org],
    )
    section = SectionFactory(version=survey.draft_version, position=1, title="Daten")
    QuestionFactory(section=section, position=1, key="notes", kind="short_text", text="Notiz")
    survey_services.publish(survey, actor=coordinator)
    response = survey_services.response_for(survey, own_org)
    survey_services.submit_response(response, actor=member)
    clock.move_to(NOW)
    first = series.meetings.order_by("start")[0]
    seats = {seat.represents.kind: seat.person for seat, _row in minutes.attendance_rows(first)}
    minutes.save_attendance(
        first,
        {
            seats["municipality"].pk: ("present", ""),
            seats["welfare_association"].pk: ("deputy", "Erika Muster"),
        },
        actor=coordinator,
    )
    decision = services.record_decision(
        Decision(
            body=body,
            meeting=first,
            title="Kita-Bedarfsplanung fortschreiben",
            text="Die Lenkungsgruppe beschließt die Fortschreibung.",
            decided_on=first.start.date(),
            votes_for=7,
            votes_against=1,
            abstentions=0,
        ),
        actor=coordinator,
    )
    services.save_task(
        Task(
            meeting=first,
            decision=decision,
            title="Kita-Daten liefern",
            owner_organisation=own_org,
            due_date=datetime.date(2027, 3, 1),
        ),
        actor=coordinator,
        notify_owner=False,
    )

    workshop = WorkshopFactory(
        title="Fachworkshop Kinderarmut",
        start=datetime.datetime(2027, 2, 10, 8, 0, tzinfo=datetime.UTC),
        end=datetime.datetime(2027, 2, 10, 12, 0, tzinfo=datetime.UTC),
        registration_deadline=datetime.datetime(2027, 2, 3, 8, 0, tzinfo=datetime.UTC),
    )
    for number in range(3):
        person = PersonFactory()
        Invitation.objects.create(
            event_type=ContentType.objects.get_for_model(workshop),
            event_id=workshop.pk,
            person=person,
            email=person.email,
            name=person.full_name,
            reply=Reply.ACCEPTED,
            checked_in_at=workshop.start if number < 2 else None,
        )
    session = live_services.ensure_live_session(workshop, actor=coordinator)
    cards = live_services.create_activity(
        session, actor=coordinator, kind=ActivityKind.CARDS, title="Ideen", config={}
    )
    cards = live_services.open_activity(cards, actor=coordinator)
    for name, text in (("Anna", "Mehr Kitaplätze"), ("Ben", "Ganztag ausbauen")):
        participant = live_services.join_with_code({}, session.join_code, name)
        live_services.add_card(cards, participant=participant, text=text)

    return {"first": first, "decision": decision, "workshop": workshop, "survey": survey}


def files_for(start, end):
    content = committee.report_content(start, end)
    return {name: build(content) for name, build in committee.BUILDERS.items()}


def pdf_text(data):
    """The PDF's text with every run of white space as one blank (table cells wrap)."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


def built_report(client, coordinator, django_capture_on_commit_callbacks, start=START, end=END):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("overview:committee_report"),
            {"start": start.isoformat(), "end": end.isoformat()},
        )
    assert response.status_code == 302
    return CommitteeReport.objects.get()


def test_committee_report_pdf_carries_the_figures_of_the_period(work):
    text = pdf_text(files_for(START, END)["pdf"])
    for expected in (
        "Bericht an den Ausschuss",
        "01.01.2027 bis 30.04.2027",
        # meetings: two held (January and April), one decision with its number and vote
        "Sitzungen, Beschlüsse und Aufgaben",
        "Abgehaltene Sitzungen: 2 (tagende Gremien: 1). Gefasste Beschlüsse: 1.",
        "LG-2027-01",
        "Kita-Bedarfsplanung fortschreiben",
        "7 dafür, 1 dagegen, 0 Enthaltungen",
        "Kita-Daten liefern",
        "Am 30.04.2027 noch nicht erledigte Aufgaben aus Sitzungen: 1, davon überfällig: 1.",
        "Besetzte Sitze in den abgehaltenen Sitzungen (anwesend oder vertreten): Kommune 1; "
        "Wohlfahrtsverband 1.",
        # workshops: held, two checked in, the card collection with its two cards
        "Fachworkshop Kinderarmut",
        "Durchgeführte Workshops: 1. Eingecheckte Teilnehmende: 2.",
        "Ideen",
        # surveys: one of two municipalities answered
        "Ausgangslage Sozialplanung Veröffentlicht 31.03.2027 2 1 50 %",
        "Abgeschickte Antwortbögen: 1 von 2 erbetenen (50 %).",
        "Stadt Siegburg",
        "Gemeinde Much",
    ):
        assert expected in text, expected
    reader = PdfReader(io.BytesIO(files_for(START, END)["pdf"]))
    assert reader.trailer["/Root"]["/Lang"] == "de"
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert reader.metadata.title.startswith("Bericht an den Ausschuss")


def test_committee_report_docx_has_headings_and_tables_cell_by_cell(work):
    document = docx.Document(io.BytesIO(files_for(START, END)["docx"]))
    headings = [
        p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))
    ]
    assert headings[0].startswith("Bericht an den Ausschuss")
    assert "Sitzungen, Beschlüsse und Aufgaben" in headings
    assert "Workshops" in headings
    assert "Abfragen" in headings
    assert headings.index("Sitzungen, Beschlüsse und Aufgaben") < headings.index("Workshops")
    assert headings.index("Workshops") < headings.index("Abfragen")
    tables = {tuple(cell.text for cell in table.rows[0].cells): table for table in document.tables}
    decisions = tables[("Beschlussnummer", "Beschlossen am", "Gremium", "Titel", "Abstimmung")]
    assert [cell.text for cell in decisions.rows[1].cells] == [
        "LG-2027-01",
        "12.01.2027",
        "Lenkungsgruppe Sozialplanung",
        "Kita-Bedarfsplanung fortschreiben",
        "7 dafür, 1 dagegen, 0 Enthaltungen",
    ]
    municipalities = tables[("Kommune", "Abfragen", "Abgeschickt", "Rücklaufquote")]
    assert [[cell.text for cell in row.cells] for row in municipalities.rows[1:]] == [
        ["Gemeinde Much", "1", "0", "0 %"],
        ["Stadt Siegburg", "1", "1", "100 %"],
    ]
    assert document.core_properties.language == "de-DE"


def test_committee_report_xlsx_holds_the_tables_with_numbers_as_numbers(work):
    workbook = load_workbook(io.BytesIO(files_for(START, END)["xlsx"]))
    meetings = workbook["Sitzungen"]
    rows = list(meetings.iter_rows(values_only=True))
    assert rows[0][0] == "Sitzungen, Beschlüsse und Aufgaben: Abgehaltene Sitzungen"
    assert rows[1] == ("Datum", "Gremium", "Sitzung", "Anwesend", "Vertreten", "Entschuldigt")
    assert rows[2] == ("12.01.2027", "Lenkungsgruppe Sozialplanung", "Lenkungsgruppe", 1, 1, 0)
    assert len(rows) == 4  # January and April
    workshops = list(workbook["Workshops"].iter_rows(values_only=True))
    assert workshops[2][1:] == ("Fachworkshop Kinderarmut", 3, 3, 2, 2)
    surveys = list(workbook["Abfragen"].iter_rows(values_only=True))
    assert surveys[2] == (
        "Ausgangslage Sozialplanung",
        "Veröffentlicht",
        "31.03.2027",
        2,
        1,
        "50 %",
    )


def test_committee_report_same_period_gives_the_same_bytes(work):
    first, again = files_for(START, END), files_for(START, END)
    for name in committee.FORMATS:
        assert first[name] == again[name], name


def test_committee_report_period_outside_the_work_reports_none(work):
    text = pdf_text(files_for(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))["pdf"])
    assert "Abgehaltene Sitzungen: 0 (tagende Gremien: 0)" in text
    assert "LG-2027-01" not in text


def test_committee_report_page_builds_and_offers_the_files(
    work, client, coordinator, django_capture_on_commit_callbacks
):
    report = built_report(client, coordinator, django_capture_on_commit_callbacks)
    assert report.status == CommitteeReport.Status.DONE
    assert report.progress == 100
    page = client.get(report.get_absolute_url())
    assert "Der Bericht ist fertig." in page.content.decode()
    response = client.get(reverse("overview:committee_report_download", args=[report.pk, "pdf"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert "bericht-ausschuss_2027-01-01_2027-04-30.pdf" in response["Content-Disposition"]
    assert "LG-2027-01" in pdf_text(response.content)
    xlsx = client.get(reverse("overview:committee_report_download", args=[report.pk, "xlsx"]))
    assert xlsx.content == files_for(START, END)["xlsx"]
    listing = client.get(reverse("overview:committee_report")).content.decode()
    assert "01.01.2027 – 30.04.2027" in listing


def test_committee_report_progress_polls_while_waiting_and_stops_when_done(
    work, client, coordinator
):
    client.force_login(coordinator)
    waiting = CommitteeReport.objects.create(start=START, end=END, requested_by=coordinator)
    fragment = client.get(waiting.get_absolute_url(), headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert '<progress id="report-bar" max="100" value="0">' in html
    assert "<html" not in html
    report_jobs.build_report(waiting.pk)
    html = client.get(waiting.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in html
    assert "Bericht als PDF" in html
    # The same task delivered again (Redis hands it out again after a lost worker) finds the
    # report built and changes nothing.
    waiting.refresh_from_db()
    finished_at = waiting.finished_at
    report_jobs.build_committee_report.apply(args=[waiting.pk])
    waiting.refresh_from_db()
    assert waiting.finished_at == finished_at


def test_committee_report_never_queued_is_built_by_the_catch_up(work, clock, coordinator):
    """The broker was down when it was asked for: the regular catch-up builds it, once it has
    waited a couple of minutes (a fresh request is the worker's)."""
    waiting = CommitteeReport.objects.create(start=START, end=END, requested_by=coordinator)
    assert report_jobs.build_waiting_reports() == 0
    clock.shift(datetime.timedelta(minutes=3))
    assert report_jobs.build_waiting_reports() == 1
    waiting.refresh_from_db()
    assert waiting.status == CommitteeReport.Status.DONE
    assert report_jobs.build_waiting_reports() == 0


def test_committee_report_left_half_built_by_a_lost_worker_is_built_again(work, coordinator):
    lost = CommitteeReport.objects.create(
        start=START, end=END, requested_by=coordinator, status="running", progress=25
    )
    report_jobs.build_committee_report.apply(args=[lost.pk])
    lost.refresh_from_db()
    assert lost.status == CommitteeReport.Status.DONE
    assert bytes(lost.pdf) == files_for(START, END)["pdf"]


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("", "2027-04-30", "Bitte geben Sie den ersten und den letzten Tag des Zeitraums an."),
        ("2027-01-01", "", "Bitte geben Sie den ersten und den letzten Tag des Zeitraums an."),
        ("2027-04-30", "2027-01-01", "Der letzte Tag des Zeitraums darf nicht vor dem ersten"),
    ],
)
def test_committee_report_empty_or_inverted_period_is_refused(
    client, coordinator, start, end, message
):
    client.force_login(coordinator)
    response = client.post(reverse("overview:committee_report"), {"start": start, "end": end})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert f'value="{start}"' in html or not start
    assert not CommitteeReport.objects.exists()
    with pytest.raises(committee.PeriodError):
        report_jobs.request_report(
            start=datetime.date(2027, 4, 30), end=datetime.date(2027, 1, 1), actor=coordinator
        )


def test_committee_report_pages_are_404_for_members_outsiders_and_wrong_ids(
    work, client, coordinator, member, outsider, django_capture_on_commit_callbacks
):
    report = built_report(client, coordinator, django_capture_on_commit_callbacks)
    missing = report.pk + 1000
    for user in (member, outsider):
        client.force_login(user)
        assert client.get(reverse("overview:committee_report")).status_code == 404
        assert client.post(reverse("overview:committee_report"), {}).status_code == 404
        assert client.get(report.get_absolute_url()).status_code == 404
        download = reverse("overview:committee_report_download", args=[report.pk, "pdf"])
        assert client.get(download).status_code == 404
    client.force_login(coordinator)
    assert (
        client.get(reverse("overview:committee_report_detail", args=[missing])).status_code == 404
    )
    wrong_format = reverse("overview:committee_report_download", args=[report.pk, "odt"])
    assert client.get(wrong_format).status_code == 404


def test_committee_report_is_linked_for_coordinators_only(client, coordinator, member):
    link = reverse("overview:committee_report")
    client.force_login(coordinator)
    assert f'href="{link}"' in client.get(reverse("overview:home")).content.decode()
    client.force_login(member)
    assert f'href="{link}"' not in client.get(reverse("overview:home")).content.decode()


def test_committee_report_parts_come_in_app_order_with_fixed_queries(
    work, clock, coordinator, own_org
):
    """The same number of queries for one record of each kind as for two."""
    committee.collect_parts(START, END)  # content types and the like are cached from here
    with CaptureQueriesContext(connection) as few:
        parts = committee.collect_parts(START, END)
    assert [part.key for part in parts] == ["meetings", "workshops", "surveys", "consultations"]

    second = work["first"].series.meetings.order_by("start")[1]
    services.record_decision(
        Decision(
            body=second.series.body,
            meeting=second,
            title="Sozialbericht beauftragen",
            text="Die Lenkungsgruppe beauftragt den Sozialbericht.",
            decided_on=second.start.date(),
        ),
        actor=coordinator,
    )
    workshop = WorkshopFactory(
        title="Werkstatt Wohnen",
        start=datetime.datetime(2027, 3, 10, 8, 0, tzinfo=datetime.UTC),
        end=datetime.datetime(2027, 3, 10, 12, 0, tzinfo=datetime.UTC),
        registration_deadline=datetime.datetime(2027, 3, 3, 8, 0, tzinfo=datetime.UTC),
    )
    session = live_services.ensure_live_session(workshop, actor=coordinator)
    questions = live_services.open_activity(
        live_services.create_activity(
            session, actor=coordinator, kind=ActivityKind.QUESTIONS, title="Fragen", config={}
        ),
        actor=coordinator,
    )
    asking = live_services.join_with_code({}, session.join_code, "Carla")
    live_services.ask_question(questions, participant=asking, text="Wann kommt der Bericht?")
    clock.move_to(datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.UTC))
    survey = SurveyFactory(
        title="Nachfrage Wohnen",
        deadline=datetime.date(2027, 6, 30),
        actor=coordinator,
        audience=[own_org],
    )
    section = SectionFactory(version=survey.draft_version, position=1, title="Wohnen")
    QuestionFactory(section=section, position=1, key="notes", kind="short_text", text="Notiz")
    survey_services.publish(survey, actor=coordinator)
    clock.move_to(NOW)

    with CaptureQueriesContext(connection) as more:
        parts = committee.collect_parts(START, END)
    assert len(more) == len(few)
    tables = {table.sheet: table for part in parts for table in part.tables}
    assert len(tables["Beschlüsse"].rows) == 2
    assert len(tables["Workshops"].rows) == 2
    assert len(tables["Abfragen"].rows) == 2


# --- API ---------------------------------------------------------------------------------


def api_client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_committee_report_api_generates_reports_status_and_downloads(
    work, coordinator, django_capture_on_commit_callbacks
):
    client = api_client(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(
            "/api/v1/reports/", {"start": "2027-01-01", "end": "2027-04-30"}, format="json"
        )
    assert created.status_code == 202
    report_id = created.json()["id"]
    status = client.get(f"/api/v1/reports/{report_id}/").json()
    assert status["status"] == "done"
    assert status["progress"] == 100
    assert status["downloads"]["pdf"].endswith(f"/api/v1/reports/{report_id}/download/?format=pdf")
    download = client.get(f"/api/v1/reports/{report_id}/download/", {"format": "docx"})
    assert download.status_code == 200
    assert download.content == files_for(START, END)["docx"]
    listed = client.get("/api/v1/reports/").json()
    assert [row["id"] for row in listed["results"]] == [report_id]


def test_committee_report_api_refuses_bad_periods_and_strangers(work, coordinator, member):
    client = api_client(coordinator)
    inverted = client.post(
        "/api/v1/reports/", {"start": "2027-04-30", "end": "2027-01-01"}, format="json"
    )
    assert inverted.status_code == 400
    assert not CommitteeReport.objects.exists()
    report = CommitteeReport.objects.create(start=START, end=END, requested_by=coordinator)
    stranger = api_client(member)
    assert stranger.get(f"/api/v1/reports/{report.pk}/").status_code == 404
    assert stranger.get("/api/v1/reports/").json()["results"] == []
    created = stranger.post("/api/v1/reports/", {"start": "2027-01-01", "end": "2027-04-30"})
    assert created.status_code == 404
    waiting = client.get(f"/api/v1/reports/{report.pk}/download/", {"format": "pdf"})
    assert waiting.status_code == 404


def test_committee_report_api_is_in_the_schema(client):
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/reports/" in schema
    assert "/api/v1/reports/{id}/download/" in schema


def test_committee_report_a_later_app_adds_its_part_by_having_a_report_module(
    coordinator, monkeypatch
):
    """Nothing in the overview names an app: a new installed app with a `report` module
    gets its chapter in the PDF and the DOCX and its sheet in the XLSX, in its `order`."""
    real = django_apps.get_app_configs()

    class LaterApp:
        name = "tests.overview.later_app"
        path = str(Path(__file__).parent / "later_app")

    monkeypatch.setattr(django_apps, "get_app_configs", lambda: [*real, LaterApp()])
    committee.report_modules.cache_clear()
    try:
        content = committee.report_content(START, END)
        assert [part.key for part in content.parts][-1] == "consultations"
        assert "Konsultationen vom 01.01.2027 bis 30.04.2027: 1." in pdf_text(
            committee.build_pdf(content)
        )
        headings = [
            p.text for p in docx.Document(io.BytesIO(committee.build_docx(content))).paragraphs
        ]
        assert "Konsultationen" in headings
        sheet = load_workbook(io.BytesIO(committee.build_xlsx(content)))["Konsultationen"]
        assert list(sheet.iter_rows(min_row=3, values_only=True)) == [("Indikatorenset", 4)]
    finally:
        monkeypatch.undo()
        committee.report_modules.cache_clear()
