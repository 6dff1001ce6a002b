"""Closing a survey and publishing its results: a closed survey takes no more answers;
once its results are published, the organisations that submitted see every submitted
answer (names, no files, no officials, no exports); the same over the API."""

import csv
import datetime
import io
import json
import re

import openpyxl
import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from participation.models import OutboundMail
from surveys import services, uploads
from surveys.models import Question, Response, Survey
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    QuestionFactory,
    SectionFactory,
    SurveyFactory,
    member_of,
)
from tests.test_accessibility_browser import assert_accessible, sign_in

pytestmark = pytest.mark.django_db

SUBMITTED_AT = datetime.datetime(2019, 5, 3, 8, 0, tzinfo=datetime.UTC)  # 10:00 in Siegburg
CHOICES = {"choices": [{"value": "yes", "label": "Ja"}, {"value": "no", "label": "Nein"}]}
PDF = (
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)

# What the pages say in German; new strings read German once the catalogue has them.
CLOSED_NOTICE = "Diese Abfrage ist abgeschlossen; ihre Antworten können nicht mehr geändert werden."
NOT_CLOSED = "Ergebnisse können erst veröffentlicht werden, wenn die Abfrage abgeschlossen ist."
FILE_PROVIDED = "Datei liegt vor"
CLOSED_DONE = "Die Abfrage ist abgeschlossen. Antwortbögen können nicht mehr geändert werden."
RESULTS_LINK = "Ergebnisse aller Organisationen ansehen"


def de(message):
    with translation.override("de"):
        return translation.gettext(message)


def build_survey(coordinator, audience, *, title="Ausgangssituation der Kommunen"):
    survey = SurveyFactory(title=title, actor=coordinator, audience=audience)
    section = SectionFactory(version=survey.draft_version, position=1, title="Planung")
    for position, (key, kind, text, config, condition) in enumerate(
        [
            ("planner", "single_choice", "Gibt es eine Sozialplanung?", CHOICES, None),
            (
                "posts",
                "integer",
                "Wie viele Stellen?",
                {"min": 0, "max": 50},
                {"question": "planner", "equals": "yes"},
            ),
            ("report", "file", "Laden Sie den Bericht hoch.", {"types": ["pdf"]}, None),
            ("notes", "long_text", "Anmerkungen", {}, None),
        ],
        start=1,
    ):
        QuestionFactory(
            section=section,
            position=position,
            key=key,
            kind=kind,
            text=text,
            config=config,
            condition=condition,
            required=key == "planner",
        )
    services.publish(survey, actor=coordinator)
    return survey


def question(response, key):
    return Question.objects.get(section__version=response.version, key=key)


def answer(response, key, raw, *, actor):
    current = response.answers.filter(question__key=key).first()
    return services.save_answer(
        response,
        question(response, key),
        raw,
        actor=actor,
        base_revision=current.revision if current else 0,
    )


def upload(response, name, *, actor):
    pdf = SimpleUploadedFile(name, PDF, content_type="application/pdf")
    return uploads.save_answer_file(
        response, question(response, "report"), pdf, actor=actor, base_revision=0
    )


def submit(response, *, actor):
    services.submit_response(response, actor=actor)
    Response.objects.filter(pk=response.pk).update(submitted_at=SUBMITTED_AT)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def eitorf():
    return OrganisationFactory(name="Gemeinde Eitorf", ags="05382012")


@pytest.fixture
def lohmar():
    return OrganisationFactory(name="Stadt Lohmar", ags="05382040")


@pytest.fixture
def eitorf_member(eitorf):
    return member_of(eitorf)


@pytest.fixture
def lohmar_member(lohmar):
    return member_of(lohmar)


@pytest.fixture
def survey(coordinator, member, own_org, eitorf, eitorf_member, lohmar, lohmar_member):
    """Siegburg (the member's) submitted with a file; Eitorf submitted after changing its
    mind, which left an answer to a question now hidden; Lohmar is still working on it.
    Much (the outsider's) is not asked."""
    survey = build_survey(coordinator, [own_org, eitorf, lohmar])
    siegburg = services.response_for(survey, own_org)
    answer(siegburg, "planner", "yes", actor=member)
    answer(siegburg, "posts", "2", actor=member)
    upload(siegburg, "Sozialbericht Siegburg.pdf", actor=member)
    answer(siegburg, "notes", "Stellenplan 2020 beschlossen.", actor=member)
    submit(siegburg, actor=member)
    at_eitorf = services.response_for(survey, eitorf)
    answer(at_eitorf, "planner", "yes", actor=eitorf_member)
    answer(at_eitorf, "posts", "3", actor=eitorf_member)
    answer(at_eitorf, "planner", "no", actor=eitorf_member)
    submit(at_eitorf, actor=eitorf_member)
    at_lohmar = services.response_for(survey, lohmar)
    answer(at_lohmar, "planner", "yes", actor=lohmar_member)
    answer(at_lohmar, "notes", "Entwurf, bitte nicht zitieren", actor=lohmar_member)
    return survey


@pytest.fixture
def closed(survey, coordinator):
    return services.close_survey(survey, actor=coordinator)


@pytest.fixture
def published(closed, coordinator):
    return services.publish_results(closed, actor=coordinator)


def compare_url(survey, key=None):
    url = reverse("surveys:compare", args=[survey.pk])
    return f"{url}?question={key}" if key else url


def page_of(client, user, url):
    client.force_login(user)
    result = client.get(url)
    assert result.status_code == 200
    return result.content.decode()


# --- closing ---------------------------------------------------------------------------------


def test_close_survey_makes_every_response_read_only(survey, coordinator, member, own_org, lohmar):
    services.close_survey(survey, actor=coordinator)
    for organisation, key in ((lohmar, "notes"), (own_org, "notes")):
        response = Response.objects.get(survey=survey, organisation=organisation)
        with pytest.raises(ValidationError):
            answer(response, key, "Nachtrag", actor=member)
        with pytest.raises(ValidationError):
            services.submit_response(response, actor=member)


def test_close_survey_respondent_cannot_save_and_sees_why(client, closed, lohmar, lohmar_member):
    response = Response.objects.get(survey=closed, organisation=lohmar)
    section = response.version.sections.get()
    client.force_login(lohmar_member)
    url = reverse("surveys:save_section", args=[response.pk, section.pk])
    result = client.post(url, {"q-planner": "no", "q-notes": "Nachtrag"})
    assert result.status_code == 400
    assert CLOSED_NOTICE in result.content.decode()
    assert services.answers_by_key(response) == {
        "planner": "yes",
        "notes": "Entwurf, bitte nicht zitieren",
    }
    assert CLOSED_NOTICE in page_of(client, lohmar_member, response.get_absolute_url())


def test_close_survey_only_when_open(coordinator, closed):
    with pytest.raises(ValidationError):
        services.close_survey(closed, actor=coordinator)
    draft = SurveyFactory(title="Entwurf", actor=coordinator)
    with pytest.raises(ValidationError):
        services.close_survey(draft, actor=coordinator)


def test_close_survey_button_closes_and_leaves_an_audit_entry(client, coordinator, survey):
    page = page_of(client, coordinator, survey.get_absolute_url())
    assert reverse("surveys:close", args=[survey.pk]) in page
    client.force_login(coordinator)
    result = client.post(reverse("surveys:close", args=[survey.pk]), follow=True)
    assert CLOSED_DONE in result.content.decode()
    survey.refresh_from_db()
    assert survey.status == Survey.Status.CLOSED
    entry = LogEntry.objects.get_for_object(survey).filter(actor=coordinator).latest("timestamp")
    assert entry.changes_dict["status"] == ["published", "closed"]


@pytest.mark.parametrize("who", ["member", "outsider", "participant"])
@pytest.mark.parametrize("name", ["close", "reopen_survey", "publish_results", "withdraw_results"])
def test_close_and_publish_buttons_are_404_for_everyone_but_coordinators(
    client, request, closed, who, name
):
    client.force_login(request.getfixturevalue(who))
    assert client.post(reverse(f"surveys:{name}", args=[closed.pk])).status_code == 404
    closed.refresh_from_db()
    assert closed.status == Survey.Status.CLOSED and closed.results_published_at is None


def test_reopen_survey_takes_answers_again_and_withdraws_the_results(
    published, coordinator, lohmar, lohmar_member
):
    survey = services.reopen_survey(published, actor=coordinator)
    assert survey.status == Survey.Status.PUBLISHED and survey.results_published_at is None
    response = Response.objects.get(survey=survey, organisation=lohmar)
    assert answer(response, "notes", "Nachtrag", actor=lohmar_member).value == "Nachtrag"
    with pytest.raises(ValidationError):
        services.reopen_survey(survey, actor=coordinator)


# --- publishing results ----------------------------------------------------------------------


def test_publish_results_refused_before_close(client, survey, coordinator):
    with pytest.raises(ValidationError):
        services.publish_results(survey, actor=coordinator)
    client.force_login(coordinator)
    result = client.post(reverse("surveys:publish_results", args=[survey.pk]), follow=True)
    assert NOT_CLOSED in result.content.decode()
    survey.refresh_from_db()
    assert survey.results_published_at is None


def test_publish_results_only_once_and_withdraw_only_when_published(closed, coordinator):
    with pytest.raises(ValidationError):
        services.withdraw_results(closed, actor=coordinator)
    survey = services.publish_results(closed, actor=coordinator)
    assert survey.results_published_at is not None
    with pytest.raises(ValidationError):
        services.publish_results(survey, actor=coordinator)
    assert services.withdraw_results(survey, actor=coordinator).results_published_at is None


def test_member_of_an_organisation_that_took_part_sees_results_only_once_published(
    client, coordinator, member, closed
):
    client.force_login(member)
    assert client.get(compare_url(closed)).status_code == 404
    assert RESULTS_LINK not in page_of(client, member, closed.get_absolute_url())
    services.publish_results(closed, actor=coordinator)
    page = page_of(client, member, compare_url(closed, "planner"))
    assert "Stadt Siegburg" in page and "Gemeinde Eitorf" in page
    detail = page_of(client, member, closed.get_absolute_url())
    assert RESULTS_LINK in detail and compare_url(closed) in detail
    assert compare_url(closed) in page_of(client, member, reverse("surveys:survey_list"))
    services.withdraw_results(closed, actor=coordinator)
    assert client.get(compare_url(closed)).status_code == 404


@pytest.mark.parametrize("who", ["outsider", "participant", "lohmar_member"])
def test_results_are_404_for_those_outside_the_audience_or_who_did_not_submit(
    client, request, published, who
):
    """Much is not asked, the participant belongs nowhere, Lohmar never submitted."""
    user = request.getfixturevalue(who)
    client.force_login(user)
    assert client.get(compare_url(published)).status_code == 404
    assert compare_url(published) not in page_of(client, user, reverse("surveys:survey_list"))


def comparison_rows(page):
    """The comparison table as a user reads it: each row's name and the text of its cells."""
    table = page[page.index('<table id="comparison"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r'<tr[^>]*>\s*<th scope="row"[^>]*>(.*?)</th>(.*?)</tr>', table, re.S)
    text = lambda html: " ".join(re.sub(r"<[^>]+>", " ", html).split())  # noqa: E731
    cells_of = lambda html: re.findall(r"<td[^>]*>(.*?)</td>", html, re.S)  # noqa: E731
    return [(name, [text(cell) for cell in cells_of(cells)]) for name, cells in rows]


def test_published_results_show_submitted_answers_only(client, member, published):
    page = page_of(client, member, compare_url(published, "notes"))
    assert comparison_rows(page) == [
        ("Gemeinde Eitorf", ["05382012", "–"]),
        ("Stadt Siegburg", ["05382060", "Stellenplan 2020 beschlossen."]),
    ]
    assert "Stadt Lohmar" not in page and "Entwurf, bitte nicht zitieren" not in page
    # No officials' names, no status, no links into other organisations' responses.
    assert "/surveys/responses/" not in page
    assert "Nachname" not in page
    # Exports stay with the coordinators.
    assert reverse("surveys:export_csv", args=[published.pk]) not in page


def test_published_results_leave_out_answers_their_condition_hides(client, member, published):
    page = page_of(client, member, compare_url(published, "posts"))
    rows = comparison_rows(page)
    assert rows == [("Gemeinde Eitorf", ["05382012", "–"]), ("Stadt Siegburg", ["05382060", "2"])]


def test_another_organisations_file_is_not_downloadable_through_the_results(
    client, eitorf_member, own_org, published
):
    siegburg = Response.objects.get(survey=published, organisation=own_org)
    file_url = reverse("surveys:answer_file", args=[siegburg.pk, "report"])
    page = page_of(client, eitorf_member, compare_url(published, "report"))
    assert comparison_rows(page) == [
        ("Gemeinde Eitorf", ["05382012", "–"]),
        ("Stadt Siegburg", ["05382060", FILE_PROVIDED]),
    ]
    assert "Sozialbericht Siegburg.pdf" not in page and file_url not in page
    assert client.get(file_url).status_code == 404


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_survey_page_with_the_closing_buttons_and_the_published_results_meet_wcag_aa(
    page, live_server, coordinator, member, published
):
    sign_in(page, live_server, coordinator)
    assert_accessible(page, live_server.url + published.get_absolute_url())
    sign_in(page, live_server, member)
    for key in ("planner", "report"):
        assert_accessible(page, live_server.url + compare_url(published, key))


@pytest.mark.parametrize(
    "url",
    [
        lambda s: reverse("surveys:export_csv", args=[s.pk]),
        lambda s: reverse("surveys:export_xlsx", args=[s.pk]) + "?layout=long",
    ],
)
def test_exports_stay_with_the_coordinators_after_publishing(client, member, published, url):
    client.force_login(member)
    assert client.get(url(published)).status_code == 404


@pytest.mark.parametrize("organisations", [2, 20])
@pytest.mark.parametrize("key", ["planner", "posts"])
def test_published_results_queries_do_not_grow_with_organisations(
    client, coordinator, django_assert_num_queries, organisations, key
):
    audience = [OrganisationFactory() for _ in range(organisations)]
    survey = build_survey(coordinator, audience)
    members = [member_of(organisation) for organisation in audience]
    for organisation, user in zip(audience, members, strict=True):
        response = services.response_for(survey, organisation)
        answer(response, "planner", "yes", actor=user)
        answer(response, "posts", "4", actor=user)
        submit(response, actor=user)
    services.close_survey(survey, actor=coordinator)
    services.publish_results(survey, actor=coordinator)
    client.force_login(members[0])
    client.get(compare_url(survey, key))  # the session warms up
    # The page, and the chart's values of all organisations with their count; a condition
    # costs its chain and answers, for the page and for the chart.
    queries = {"planner": 10, "posts": 14}[key]
    with django_assert_num_queries(queries):
        page = client.get(compare_url(survey, key))
    assert page.status_code == 200
    assert len(comparison_rows(page.content.decode())) == organisations


def contact(organisation, **person_fields):
    person = PersonFactory(**person_fields)
    MembershipFactory(person=person, organisation=organisation, is_contact=True)
    return person


def test_publish_results_mails_each_contact_of_a_participating_organisation_once(
    closed,
    coordinator,
    own_org,
    eitorf,
    lohmar,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    at_siegburg = contact(own_org, language="de")
    english = contact(eitorf, language="en")
    MembershipFactory(person=at_siegburg, organisation=eitorf, is_contact=True)  # both towns
    MembershipFactory(organisation=own_org, is_contact=False)  # staff, not a contact
    contact(lohmar)  # Lohmar never submitted: not told
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_results(closed, actor=coordinator)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([at_siegburg.email, english.email])
    assert OutboundMail.objects.count() == 2
    link = f"/surveys/{closed.pk}/compare/"
    german = next(m for m in mailoutbox if m.to == [at_siegburg.email])
    assert german.subject == "Ergebnisse veröffentlicht: „Ausgangssituation der Kommunen“"
    assert f"Guten Tag {at_siegburg.full_name}," in german.body and link in german.body
    english_mail = next(m for m in mailoutbox if m.to == [english.email])
    assert english_mail.subject == "Results published: “Ausgangssituation der Kommunen”"
    assert link in english_mail.alternatives[0][0]


# --- over the API ----------------------------------------------------------------------------


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def action_url(survey, name):
    return f"/api/v1/surveys/{survey.pk}/{name}/"


@pytest.mark.parametrize("name", ["close", "reopen", "publish-results", "withdraw-results"])
@pytest.mark.parametrize("who", ["member", "outsider"])
def test_api_survey_actions_are_404_for_members(request, survey, name, who):
    result = api_for(request.getfixturevalue(who)).post(action_url(survey, name))
    assert result.status_code == 404
    survey.refresh_from_db()
    assert survey.status == Survey.Status.PUBLISHED


def test_api_close_publish_withdraw_reopen(
    survey, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    client = api_for(coordinator)
    refused = client.post(action_url(survey, "publish-results"))
    assert refused.status_code == 400
    assert refused.json()["non_field_errors"] == [
        de("Results can only be published once the survey is closed.")
    ]
    closed = client.post(action_url(survey, "close"))
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert closed.json()["results_published_at"] is None
    assert client.post(action_url(survey, "close")).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        published = client.post(action_url(survey, "publish-results"))
    assert published.status_code == 200 and published.json()["results_published_at"]
    withdrawn = client.post(action_url(survey, "withdraw-results"))
    assert withdrawn.status_code == 200 and withdrawn.json()["results_published_at"] is None
    reopened = client.post(action_url(survey, "reopen"))
    assert reopened.status_code == 200 and reopened.json()["status"] == "published"


def test_api_comparison_for_coordinators_shows_everyone(coordinator, survey):
    data = api_for(coordinator).get(action_url(survey, "comparison"), {"question": "notes"}).json()
    assert data["question"]["key"] == "notes"
    assert [(row["name"], row["status"], row["value"]) for row in data["results"]] == [
        ("Gemeinde Eitorf", "submitted", None),
        ("Stadt Lohmar", "in_progress", "Entwurf, bitte nicht zitieren"),
        ("Stadt Siegburg", "submitted", "Stellenplan 2020 beschlossen."),
    ]
    assert data["chart"] is None
    chart = api_for(coordinator).get(action_url(survey, "comparison")).json()["chart"]
    assert (chart["asked"], chart["answered"]) == (3, 3)
    assert [(bar["label"], bar["count"]) for bar in chart["bars"]] == [("Ja", 2), ("Nein", 1)]


def test_api_comparison_for_members_once_published(member, outsider, closed, coordinator):
    url = action_url(closed, "comparison")
    assert api_for(member).get(url).status_code == 404
    services.publish_results(closed, actor=coordinator)
    assert api_for(outsider).get(url).status_code == 404
    planner = api_for(member).get(url, {"question": "planner"}).json()
    assert [
        (row["name"], row["ags"], row["value"], row["display"]) for row in planner["results"]
    ] == [
        ("Gemeinde Eitorf", "05382012", "no", "Nein"),
        ("Stadt Siegburg", "05382060", "yes", "Ja"),
    ]
    chart = planner["chart"]
    assert (chart["asked"], chart["answered"]) == (2, 2)
    assert [(bar["label"], bar["count"]) for bar in chart["bars"]] == [("Ja", 1), ("Nein", 1)]
    report = api_for(member).get(url, {"question": "report"}).json()["results"]
    assert [(row["value"], row["display"]) for row in report] == [
        (None, ""),
        (None, de("File provided")),
    ]
    posts = api_for(member).get(url, {"question": "posts"}).json()
    assert [row["value"] for row in posts["results"]] == [None, 2]
    assert [item["name"] for item in posts["chart"]["summary"]] == [
        de("Lowest"),
        de("Median"),
        de("Highest"),
    ]
    assert api_for(member).get(url, {"question": "nope"}).status_code == 404


def test_api_comparison_is_paged_and_counts_every_page(coordinator, survey):
    url = action_url(survey, "comparison")
    data = api_for(coordinator).get(url, {"question": "planner", "limit": 1, "offset": 1}).json()
    assert [row["name"] for row in data["results"]] == ["Stadt Lohmar"]
    assert (data["count"], data["answered"]) == (3, 3)
    assert "limit=1" in data["next"] and "offset=2" in data["next"]
    assert "limit=1" in data["previous"]
    chart = data["chart"]  # of all organisations, not of this page
    assert (chart["asked"], chart["answered"]) == (3, 3)
    assert [(bar["label"], bar["count"]) for bar in chart["bars"]] == [("Ja", 2), ("Nein", 1)]
    last = api_for(coordinator).get(url, {"limit": 1, "offset": 2}).json()
    assert [row["name"] for row in last["results"]] == ["Stadt Siegburg"]
    assert last["next"] is None
    whole = api_for(coordinator).get(url).json()  # 100 a page, as the lists
    assert len(whole["results"]) == 3 and whole["next"] is None and whole["previous"] is None


def test_api_comparison_pages_for_members_hold_only_what_was_published(member, closed, coordinator):
    services.publish_results(closed, actor=coordinator)
    url = action_url(closed, "comparison")
    first = api_for(member).get(url, {"question": "notes", "limit": 1}).json()
    second = api_for(member).get(url, {"question": "notes", "limit": 1, "offset": 1}).json()
    assert first["count"] == second["count"] == 2  # Lohmar did not submit
    rows = first["results"] + second["results"]
    assert [(row["name"], row["value"]) for row in rows] == [
        ("Gemeinde Eitorf", None),
        ("Stadt Siegburg", "Stellenplan 2020 beschlossen."),
    ]
    assert second["answered"] == 1
    assert "Entwurf" not in json.dumps([first, second])


@pytest.mark.parametrize("who", ["coordinator", "member"])
def test_api_comparison_queries_do_not_grow_with_organisations(request, who, coordinator, closed):
    services.publish_results(closed, actor=coordinator)
    client = api_for(request.getfixturevalue(who))
    url = action_url(closed, "comparison")

    def queries():
        counts = []
        # The first page of two holds the answers in both cases (conditions read more).
        for query in ({"question": "planner"}, {"question": "posts", "limit": 2}):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url, query).status_code == 200
            counts.append(len(captured.captured_queries))
        return counts

    few = queries()
    for n in range(25):
        organisation = OrganisationFactory(name=f"Zweckverband {n:02d}")
        closed.audience.add(organisation)
        response = services.response_for(closed, organisation)
        Response.objects.filter(pk=response.pk).update(status=Response.Status.SUBMITTED)
    assert queries() == few


def read_csv(response):
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_api_export_csv_is_the_web_pages_file(client, coordinator, survey):
    result = api_for(coordinator).get(action_url(survey, "export"), {"format": "csv"})
    assert result.status_code == 200
    assert result["Content-Type"] == "text/csv; charset=utf-8"
    assert result["Content-Disposition"].startswith(
        'attachment; filename="ausgangssituation-der-kommunen-wide-'
    )
    assert "no-store" in result["Cache-Control"]
    rows = read_csv(result)
    assert rows == [
        [
            "Organisation",
            "AGS",
            "Status",
            "Abgeschickt",
            "planner: Gibt es eine Sozialplanung?",
            "posts: Wie viele Stellen?",
            "report: Laden Sie den Bericht hoch.",
            "notes: Anmerkungen",
        ],
        ["Gemeinde Eitorf", "05382012", "Abgeschickt", "03.05.2019 10:00", "Nein", "3", "", ""],
        [
            "Stadt Lohmar",
            "05382040",
            "In Bearbeitung",
            "",
            "Ja",
            "",
            "",
            "Entwurf, bitte nicht zitieren",
        ],
        [
            "Stadt Siegburg",
            "05382060",
            "Abgeschickt",
            "03.05.2019 10:00",
            "Ja",
            "2",
            "Sozialbericht Siegburg.pdf",
            "Stellenplan 2020 beschlossen.",
        ],
    ]
    client.force_login(coordinator)
    page = client.get(reverse("surveys:export_csv", args=[survey.pk]))
    assert read_csv(page) == rows


def test_api_export_xlsx_long_and_its_errors(coordinator, member, survey):
    client = api_for(coordinator)
    result = client.get(action_url(survey, "export"), {"format": "xlsx", "layout": "long"})
    assert result.status_code == 200
    assert result["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(result.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Organisation", "AGS", de("Question key"))
    assert rows[-3][:3] == ("Stadt Siegburg", "05382060", "posts") and rows[-3][5] == 2
    bad_layout = client.get(action_url(survey, "export"), {"format": "csv", "layout": "diagonal"})
    assert bad_layout.status_code == 400 and "layout" in bad_layout.json()
    assert client.get(action_url(survey, "export"), {"format": "pdf"}).status_code == 404
    for_member = api_for(member).get(action_url(survey, "export"), {"format": "csv"})
    assert for_member.status_code == 404 and for_member["Content-Type"] == "application/json"
    assert APIClient().get(action_url(survey, "export")).status_code == 401
