"""The coordinators' progress matrix and the reminders: states per section, constant
queries, reopening and extending from the matrix, one reminder per contact and day."""

import datetime
import os
import re
import subprocess
import sys
import threading
import time
import uuid
from queue import Empty, Queue
from urllib.parse import quote

import pytest
import redis
import time_machine
from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections
from django.urls import reverse
from django.utils import timezone, translation

from config.celery import app as celery_app
from participation.models import OutboundMail
from surveys import progress, reminders, services
from surveys.models import Question, Response, Survey, SurveyReminder
from surveys.tasks import send_due_reminders
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    QuestionFactory,
    SectionFactory,
    SurveyFactory,
    member_of,
)

pytestmark = pytest.mark.django_db

CHOICES = {"choices": [{"value": "yes", "label": "Ja"}, {"value": "no", "label": "Nein"}]}
DEADLINE = datetime.date(2027, 3, 31)
# A morning in the county, seven days before DEADLINE.
REMINDER_MORNING = datetime.datetime(2027, 3, 24, 7, 0, tzinfo=datetime.UTC)


def build_two_section_survey(coordinator, *, audience, deadline=None, title="Ausgangslage"):
    """Section 1 holds a required choice and a follow-up shown only for "yes"; section 2
    holds two optional questions."""
    survey = SurveyFactory(title=title, deadline=deadline, actor=coordinator, audience=audience)
    version = survey.draft_version
    planning = SectionFactory(version=version, position=1, title="Sozialplanung")
    data = SectionFactory(version=version, position=2, title="Daten")
    QuestionFactory(
        section=planning,
        position=1,
        key="planner",
        kind="single_choice",
        text="Gibt es eine Sozialplanung?",
        required=True,
        config=CHOICES,
    )
    QuestionFactory(
        section=planning,
        position=2,
        key="planner_count",
        kind="integer",
        text="Wie viele Stellen?",
        required=True,
        condition={"question": "planner", "equals": "yes"},
    )
    QuestionFactory(section=data, position=1, key="data_level", kind="short_text", text="Raumebene")
    QuestionFactory(section=data, position=2, key="notes", kind="long_text", text="Notiz")
    services.publish(survey, actor=coordinator)
    return survey


def answer(response, user, **values):
    for key, value in values.items():
        question = Question.objects.get(section__version=response.version, key=key)
        services.save_answer(response, question, value, actor=user, base_revision=0)


def contact(organisation, *, language="de", email=None, **membership):
    person = PersonFactory(language=language, **({"email": email} if email is not None else {}))
    MembershipFactory(person=person, organisation=organisation, is_contact=True, **membership)
    return person


def row_html(page, organisation):
    match = re.search(rf'<tr id="organisation-{organisation.pk}"[^>]*>(.*?)</tr>', page, re.S)
    assert match, f"no row for {organisation}"
    return match.group(1)


@pytest.fixture
def third_org():
    return OrganisationFactory(name="Gemeinde Ruppichteroth", ags="05382048")


@pytest.fixture
def survey(coordinator, own_org, other_org, third_org):
    return build_two_section_survey(
        coordinator, audience=[own_org, other_org, third_org], deadline=DEADLINE
    )


@pytest.fixture
def states(survey, member, outsider, own_org, other_org):
    """own_org has submitted everything it was shown; other_org has begun; the third
    organisation has not started."""
    with time_machine.travel(datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.UTC)):
        submitted = services.response_for(survey, own_org)
        answer(submitted, member, planner="no", data_level="Ortsteile", notes="Alles da")
        services.submit_response(submitted, actor=member)
        begun = services.response_for(survey, other_org)
        answer(begun, outsider, planner="yes")
    return submitted, begun


@pytest.fixture
def english(client):
    """Messages and labels new in this feature are asserted in English, the msgid
    language, so the tests hold once the German catalogue has them. The request leaves
    English active in this thread; later tests expect the default again."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    yield
    translation.deactivate()


def progress_url(survey):
    return reverse("surveys:progress", args=[survey.pk])


# --- the matrix ---------------------------------------------------------------------------------


def test_progress_counts_visible_questions_per_section(survey, states, own_org, other_org):
    rows = {row.organisation: row for row in progress.survey_progress(survey).rows}
    cells = {org: [(c.answered, c.total, c.state) for c in row.cells] for org, row in rows.items()}
    # "no" hides the follow-up: 1 of 1 in the first section.
    assert cells[own_org] == [(1, 1, "complete"), (2, 2, "complete")]
    # "yes" shows it: 1 of 2.
    assert cells[other_org] == [(1, 2, "partly"), (0, 2, "empty")]
    third = next(org for org in rows if org not in (own_org, other_org))
    assert cells[third] == [(0, 1, "empty"), (0, 2, "empty")]
    assert [rows[own_org].status, rows[other_org].status, rows[third].status] == [
        "submitted",
        "in_progress",
        "not_started",
    ]


def test_progress_page_shows_each_state_as_text_and_symbol(
    client, coordinator, survey, states, own_org, other_org, third_org
):
    client.force_login(coordinator)
    result = client.get(progress_url(survey))
    assert result.status_code == 200
    page = result.content.decode()
    assert "Sozialplanung" in page and "Daten" in page
    own, begun, untouched = (row_html(page, org) for org in (own_org, other_org, third_org))
    assert re.findall(r'data-state="(\w+)"', own) == ["complete", "complete"]
    assert re.findall(r'data-state="(\w+)"', begun) == ["partly", "empty"]
    assert re.findall(r'data-state="(\w+)"', untouched) == ["empty", "empty"]
    # Never colour alone: each state is a word in a badge with its icon (hidden from screen
    # readers).
    words = lambda row: re.findall(r'<span class="kern-label">(\w[\w ]*)</span>', row)  # noqa: E731
    assert words(own) == ["vollständig", "vollständig", "abgeschickt"]
    assert words(begun) == ["teilweise", "leer", "in Bearbeitung"]
    assert words(untouched) == ["leer", "leer", "noch nicht begonnen"]
    assert 'class="kern-icon kern-icon--success kern-icon--small" aria-hidden="true"' in own
    assert 'data-status="submitted"' in own and 'data-status="in_progress"' in begun
    assert 'data-status="not_started"' in untouched
    assert "01.03.2027" in own  # last activity
    assert "31.03.2027" in untouched  # the survey's deadline
    # Submitted rows can be reopened; the others can get more time.
    assert reverse("surveys:progress_reopen", args=[survey.pk, own_org.pk]) in own
    assert reverse("surveys:progress_extend", args=[survey.pk, third_org.pk]) in untouched


def test_survey_page_links_coordinators_to_the_progress(client, coordinator, member, survey):
    client.force_login(coordinator)
    assert progress_url(survey) in client.get(survey.get_absolute_url()).content.decode()
    client.force_login(member)
    assert progress_url(survey) not in client.get(survey.get_absolute_url()).content.decode()


# Session, user, 2FA check, survey, counts by status, how many shown, the page of the
# audience, responses, version, sections, questions, answers, contacts, last reminders,
# reminder log; the same for 2 or 20 organisations.
PROGRESS_PAGE_QUERIES = 15


@pytest.mark.parametrize("organisations", [2, 20])
def test_progress_page_queries_do_not_grow_with_organisations(
    client, coordinator, django_assert_num_queries, organisations
):
    orgs = OrganisationFactory.create_batch(organisations)
    survey = build_two_section_survey(coordinator, audience=orgs, deadline=DEADLINE)
    for organisation in orgs:
        staff = member_of(organisation)
        contact(organisation)
        response = services.response_for(survey, organisation)
        answer(response, staff, planner="yes", planner_count="2", notes="x")
        services.extend_deadline(response, actor=coordinator, until=datetime.date(2027, 4, 30))
    reminders.remind_not_submitted(survey, actor=coordinator, kind="manual")
    client.force_login(coordinator)
    client.get(progress_url(survey))  # warm caches (content types, translations)
    with django_assert_num_queries(PROGRESS_PAGE_QUERIES):
        page = client.get(progress_url(survey)).content.decode()
    assert page.count('data-status="in_progress"') == organisations


@pytest.mark.parametrize("user_fixture", ["member", "outsider", "participant"])
def test_progress_and_its_actions_are_404_for_non_coordinators(
    request, client, survey, states, own_org, user_fixture
):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(progress_url(survey)).status_code == 404
    posts = [
        reverse("surveys:progress_reopen", args=[survey.pk, own_org.pk]),
        reverse("surveys:progress_extend", args=[survey.pk, own_org.pk]),
        reverse("surveys:progress_remind", args=[survey.pk]),
    ]
    for url in posts:
        assert client.post(url, {"until": "2027-05-01"}).status_code == 404
    submitted = Response.objects.get(survey=survey, organisation=own_org)
    assert submitted.status == "submitted" and submitted.deadline_extended_to is None
    assert not SurveyReminder.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, survey):
    result = client.get(progress_url(survey))
    assert result.status_code == 302 and "/accounts/login/" in result["Location"]


# --- row actions ---------------------------------------------------------------------------------


def test_coordinator_reopens_a_submitted_response_from_the_matrix(
    client, coordinator, survey, states, own_org
):
    submitted, _begun = states
    client.force_login(coordinator)
    url = reverse("surveys:progress_reopen", args=[survey.pk, own_org.pk])
    result = client.post(url, follow=True)
    assert result.redirect_chain[-1][0] == progress_url(survey)
    assert "Stadt Siegburg" in str(list(result.context["messages"])[0])
    submitted.refresh_from_db()
    assert submitted.status == "in_progress" and submitted.submitted_at is None
    assert LogEntry.objects.get_for_object(submitted).filter(actor=coordinator).exists()


def test_reopening_a_response_that_is_not_submitted_changes_nothing(
    client, coordinator, survey, states, other_org
):
    _submitted, begun = states
    client.force_login(coordinator)
    result = client.post(
        reverse("surveys:progress_reopen", args=[survey.pk, other_org.pk]), follow=True
    )
    assert [m.level_tag for m in result.context["messages"]] == ["error"]
    assert Response.objects.get(pk=begun.pk).status == "in_progress"


def test_coordinator_extends_one_organisations_deadline(
    client, coordinator, survey, states, other_org, third_org
):
    _submitted, begun = states
    client.force_login(coordinator)
    for organisation in (other_org, third_org):
        url = reverse("surveys:progress_extend", args=[survey.pk, organisation.pk])
        result = client.post(url, {"until": "2027-04-15"}, follow=True)
        assert result.redirect_chain[-1][0] == progress_url(survey)
        assert "15.04.2027" in str(list(result.context["messages"])[0])
    begun.refresh_from_db()
    assert begun.deadline_extended_to == datetime.date(2027, 4, 15)
    assert LogEntry.objects.get_for_object(begun).filter(actor=coordinator).exists()
    # An organisation that had not started gets its response with the extension, and the
    # matrix still says it has not started.
    untouched = Response.objects.get(survey=survey, organisation=third_org)
    assert untouched.deadline_extended_to == datetime.date(2027, 4, 15)
    row = row_html(result.content.decode(), third_org)
    assert 'data-status="not_started"' in row and "15.04.2027" in row


@pytest.mark.parametrize(
    ("until", "german_error"),
    [
        ("2027-03-31", "Eine Verlängerung muss nach der Frist der Abfrage enden."),
        ("2027-03-01", "Eine Verlängerung muss nach der Frist der Abfrage enden."),
        ("31.02.2027", "Bitte ein gültiges Datum eingeben."),
        ("nächste Woche", "Bitte ein gültiges Datum eingeben."),
    ],
)
def test_a_refused_extension_shows_a_translated_error_and_changes_nothing(
    client, coordinator, survey, states, other_org, third_org, until, german_error
):
    _submitted, begun = states
    client.force_login(coordinator)
    for organisation in (other_org, third_org):
        url = reverse("surveys:progress_extend", args=[survey.pk, organisation.pk])
        result = client.post(url, {"until": until})
        assert result.status_code == 400
        row = row_html(result.content.decode(), organisation)
        assert german_error in row and 'aria-invalid="true"' in row
        assert german_error in result.content.decode().split("<table")[0]  # the error summary
    begun.refresh_from_db()
    assert begun.deadline_extended_to is None
    assert not Response.objects.filter(survey=survey, organisation=third_org).exists()


def test_a_refused_extension_shows_the_page_with_its_organisation(
    client, coordinator, survey, states, third_org, monkeypatch
):
    monkeypatch.setattr(progress, "PAGE_SIZE", 1)
    client.force_login(coordinator)
    url = reverse("surveys:progress_extend", args=[survey.pk, third_org.pk])
    page = client.post(url, {"until": "2027-03-01"}).content.decode()
    assert "Eine Verlängerung muss nach der Frist der Abfrage enden." in row_html(page, third_org)
    assert page.count('<tr id="organisation-') == 1


# --- reminders ------------------------------------------------------------------------------------


@pytest.fixture
def contacts(own_org, other_org, third_org):
    """Two contacts at own_org (German, English), one at other_org; third_org has only a
    contact without e-mail and a former contact, so nobody there can be reminded."""
    german = contact(own_org, language="de")
    english = contact(own_org, language="en")
    MembershipFactory(organisation=own_org, is_contact=False)  # staff, not a contact
    at_other = contact(other_org)
    contact(third_org, email="")
    contact(third_org, valid_until=datetime.date(2021, 12, 31))
    return german, english, at_other


def test_reminders_go_to_each_contact_once_in_their_language(
    survey,
    contacts,
    own_org,
    third_org,
    coordinator,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    german, english, at_other = contacts
    with time_machine.travel(REMINDER_MORNING):
        for _run in range(2):
            with django_capture_on_commit_callbacks(execute=True):
                result = reminders.remind_not_submitted(
                    survey, actor=coordinator, kind=SurveyReminder.Kind.MANUAL
                )
    # The second run sends nothing: everyone was reminded today.
    assert (result.sent, result.already_reminded) == (0, 3)
    assert result.without_contact == [third_org]
    by_recipient = {message.to[0]: message for message in mailoutbox}
    assert sorted(by_recipient) == sorted([german.email, english.email, at_other.email])
    assert len(mailoutbox) == 3
    english_mail, german_mail = by_recipient[english.email], by_recipient[german.email]
    assert english_mail.subject == "Reminder: “Ausgangslage”"
    assert "Deadline: 03/31/2027" in english_mail.body
    assert f"Guten Tag {german.full_name}," in german_mail.body
    assert "Frist: 31.03.2027" in german_mail.body
    link = f"{settings.SITE_URL}/surveys/{survey.pk}/"
    assert link in german_mail.body and link in english_mail.body
    assert own_org.name in german_mail.body
    assert german_mail.alternatives and link in german_mail.alternatives[0][0]
    log = SurveyReminder.objects.filter(survey=survey)
    assert log.count() == 3
    assert {(r.kind, r.requested_by, r.mail.status) for r in log} == {
        ("manual", coordinator, "sent")
    }


@pytest.mark.row_locks
@pytest.mark.django_db(transaction=True)
def test_two_coordinators_clicking_at_the_same_moment_send_each_reminder_once(
    coordinator, survey, contacts, mailoutbox
):
    colleague = member_of(OrganisationFactory(kind="county_office", ags=None), is_coordinator=True)
    barrier = threading.Barrier(2)
    sent = []

    def remind(actor):
        try:
            barrier.wait()
            sent.append(reminders.remind_not_submitted(survey, actor=actor, kind="manual").sent)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=remind, args=(user,)) for user in (coordinator, colleague)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(sent) == 3 and len(sent) == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted(person.email for person in contacts)
    assert OutboundMail.objects.count() == SurveyReminder.objects.count() == 3


def test_submitted_organisations_and_non_contacts_get_no_reminder(
    survey, states, contacts, own_org, mailoutbox, django_capture_on_commit_callbacks
):
    german, english, at_other = contacts
    with django_capture_on_commit_callbacks(execute=True):
        result = reminders.remind_not_submitted(survey, actor=None, kind="auto")
    # own_org has submitted: only other_org's contact hears from us.
    assert result.sent == 1
    assert [message.to for message in mailoutbox] == [[at_other.email]]


def test_the_extended_deadline_is_named_in_the_reminder(
    survey, contacts, own_org, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    response = services.response_for(survey, own_org)
    services.extend_deadline(response, actor=coordinator, until=datetime.date(2027, 4, 30))
    with django_capture_on_commit_callbacks(execute=True):
        reminders.remind_not_submitted(survey, actor=coordinator, kind="manual")
    german = next(m for m in mailoutbox if m.to == [contacts[0].email])
    assert "Frist: 30.04.2027" in german.body


def test_reminders_only_for_a_published_survey(coordinator, own_org):
    draft = SurveyFactory(title="Entwurf", actor=coordinator)
    draft.audience.add(own_org)
    contact(own_org)
    with pytest.raises(ValidationError):
        reminders.remind_not_submitted(draft, actor=coordinator, kind="manual")
    assert not SurveyReminder.objects.exists()


def test_the_daily_task_reminds_only_surveys_whose_deadline_is_n_days_away(
    coordinator, own_org, contacts, mailoutbox, django_capture_on_commit_callbacks
):
    due = build_two_section_survey(
        coordinator, audience=[own_org], deadline=DEADLINE, title="Fällig"
    )
    # Its reminder's day was yesterday, when the task did not run: caught up today.
    missed = build_two_section_survey(
        coordinator,
        audience=[own_org],
        deadline=DEADLINE - datetime.timedelta(days=1),
        title="Fällig gestern",
    )
    for days in (1, 7):
        build_two_section_survey(
            coordinator,
            audience=[own_org],
            deadline=DEADLINE + datetime.timedelta(days=days),
            title=f"Nicht fällig {days}",
        )
    draft = SurveyFactory(title="Entwurf", deadline=DEADLINE, actor=coordinator)
    draft.audience.add(own_org)
    not_open = build_two_section_survey(
        coordinator, audience=[own_org], deadline=DEADLINE, title="Noch zu"
    )
    Survey.objects.filter(pk=not_open.pk).update(opens_on=DEADLINE - datetime.timedelta(days=3))
    with time_machine.travel(REMINDER_MORNING):
        for _run in range(2):
            with django_capture_on_commit_callbacks(execute=True):
                send_due_reminders()
    assert {r.survey for r in SurveyReminder.objects.all()} == {due, missed}
    assert sorted(m.to[0] for m in mailoutbox) == sorted([contacts[0].email, contacts[1].email] * 2)
    assert all("Fällig" in m.subject for m in mailoutbox)
    assert {r.kind for r in SurveyReminder.objects.all()} == {"auto"}


def test_beat_stopped_on_the_reminders_day_reminds_once_on_the_next_run(
    survey, contacts, mailoutbox, django_capture_on_commit_callbacks
):
    """Beat was down for the whole reminder day: the run after it (and the run beat makes
    up for the missed one when it starts again) remind each contact once, the days after
    nobody again."""
    day = datetime.timedelta(days=1)
    runs = {REMINDER_MORNING - day: 1, REMINDER_MORNING + day: 2, REMINDER_MORNING + 2 * day: 1}
    sent = {}
    for moment, count in runs.items():
        with time_machine.travel(moment):
            for _run in range(count):
                with django_capture_on_commit_callbacks(execute=True):
                    sent[moment] = sent.get(moment, 0) + send_due_reminders.apply().get()

    assert list(sent.values()) == [0, 3, 0]
    german, english, at_other = contacts
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [german.email, english.email, at_other.email]
    )
    assert {r.sent_on for r in SurveyReminder.objects.all()} == {(REMINDER_MORNING + day).date()}


def test_no_automatic_reminder_for_a_survey_opened_after_its_reminders_day(
    coordinator, own_org, contacts, mailoutbox, django_capture_on_commit_callbacks
):
    late = build_two_section_survey(coordinator, audience=[own_org], deadline=DEADLINE)
    Survey.objects.filter(pk=late.pk).update(opens_on=DEADLINE - datetime.timedelta(days=3))
    for days in range(8):
        with (
            time_machine.travel(REMINDER_MORNING + datetime.timedelta(days=days)),
            django_capture_on_commit_callbacks(execute=True),
        ):
            send_due_reminders()
    assert mailoutbox == []


def test_the_task_follows_the_reminder_days_setting(
    settings, coordinator, own_org, contacts, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SURVEY_REMINDER_DAYS_BEFORE = 2
    build_two_section_survey(coordinator, audience=[own_org], deadline=DEADLINE)
    with (
        time_machine.travel(REMINDER_MORNING),  # 7 days before
        django_capture_on_commit_callbacks(execute=True),
    ):
        send_due_reminders()
    assert mailoutbox == []
    with (
        time_machine.travel(REMINDER_MORNING + datetime.timedelta(days=5)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        send_due_reminders()
    assert len(mailoutbox) == 2


def test_a_manual_reminder_after_the_automatic_one_the_same_day_sends_nothing(
    survey, contacts, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    with time_machine.travel(REMINDER_MORNING):
        with django_capture_on_commit_callbacks(execute=True):
            send_due_reminders()
        with django_capture_on_commit_callbacks(execute=True):
            result = reminders.remind_not_submitted(survey, actor=coordinator, kind="manual")
    assert (len(mailoutbox), result.sent, result.already_reminded) == (3, 0, 3)
    # The next day a coordinator may remind again.
    with (
        time_machine.travel(REMINDER_MORNING + datetime.timedelta(days=1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        result = reminders.remind_not_submitted(survey, actor=coordinator, kind="manual")
    assert (len(mailoutbox), result.sent) == (6, 3)


def test_remind_button_reports_counts_and_organisations_without_contact(
    client,
    english,
    coordinator,
    survey,
    contacts,
    third_org,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    client.force_login(coordinator)
    url = reverse("surveys:progress_remind", args=[survey.pk])
    with django_capture_on_commit_callbacks(execute=True):
        result = client.post(url, follow=True)
    notes = [(m.level_tag, str(m)) for m in result.context["messages"]]
    assert notes[0] == ("success", "3 reminders sent.")
    assert notes[1][0] == "warning" and third_org.name in notes[1][1]
    assert len(mailoutbox) == 3
    page = result.content.decode()
    # The log: who was reminded, when, by which kind and whom.
    log = page.split('id="reminder-log"')[1]
    for person in contacts:
        assert person.full_name in log
    assert coordinator.person.full_name in log
    row = row_html(page, third_org)
    assert "No contact person with an e-mail address" in row
    with django_capture_on_commit_callbacks(execute=True):
        result = client.post(url, follow=True)
    notes = [(m.level_tag, str(m)) for m in result.context["messages"]]
    assert notes[0] == ("success", "0 reminders sent.")
    assert notes[1][0] == "info" and notes[1][1].startswith("3 ")
    assert len(mailoutbox) == 3


# --- a real worker ------------------------------------------------------------------------------


def database_url():
    db = settings.DATABASES["default"]
    credentials = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"])
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_each_reminder_once(coordinator, own_org, other_org):
    """Two queued runs of the daily task on a worker of its own: one mail per contact."""
    german, english = contact(own_org, language="de"), contact(own_org, language="en")
    at_other = contact(other_org)
    today = timezone.localdate()
    build_two_section_survey(
        coordinator,
        audience=[own_org, other_org],
        deadline=today + datetime.timedelta(days=settings.SURVEY_REMINDER_DAYS_BEFORE),
    )
    # A queue of its own, so no message left over from elsewhere reaches this worker.
    queue = f"test-reminders-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "PYTHONUNBUFFERED": "1",
    }
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo"]
    command += ["-Q", queue, "--concurrency=1", "--loglevel=INFO"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
    eager = celery_app.conf.task_always_eager
    worker = subprocess.Popen(
        command,
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = Queue()
    output = []
    # Drain the output so the worker never blocks on a full pipe.
    threading.Thread(
        target=lambda: [lines.put(line) for line in worker.stdout], daemon=True
    ).start()
    try:
        # This process queues through the broker like the web process does in production.
        celery_app.conf.task_always_eager = False
        task_ids = {send_due_reminders.apply_async(queue=queue).id for _run in range(2)}
        finished = set()
        give_up = time.monotonic() + 90
        while finished != task_ids:
            try:
                line = lines.get(timeout=max(0.1, give_up - time.monotonic()))
            except Empty:
                pytest.fail("the worker did not finish both runs:\n" + "".join(output))
            output.append(line)
            finished |= {task for task in task_ids if f"[{task}] succeeded" in line}
            assert "Traceback" not in line, "".join(output)
        sent = OutboundMail.objects.filter(status=OutboundMail.Status.SENT)
        assert sorted(sent.values_list("to", flat=True)) == sorted(
            [german.email, english.email, at_other.email]
        )
        assert OutboundMail.objects.count() == 3
        assert SurveyReminder.objects.filter(kind="auto").count() == 3
    finally:
        celery_app.conf.task_always_eager = eager
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        # The queue's binding keys (their names vary with the kombu version) go with it.
        broker = redis.Redis.from_url(settings.REDIS_URL)
        for key in broker.scan_iter(match=f"_kombu.binding*{queue}"):
            broker.delete(key)
