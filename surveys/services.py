"""Writes for surveys: building and publishing versions, autosaving answers with conflict
detection and history, submitting, reopening, extending deadlines, closing a survey and
publishing its results."""

import re

from auditlog.context import set_actor
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from participation.mail import send_templated_mail
from participation.models import Organisation

from .answer_types import clean_answer, is_answered, visible_in_order
from .models import Answer, AnswerChange, Question, Response, Section, Survey, SurveyVersion
from .reminders import reminder_contacts

KEY_PATTERN = re.compile(r"[a-z0-9_]+")


class AnswerConflict(Exception):
    """Someone else changed the answer since the editor loaded it. Carries the current
    answer so the editor can see both values and choose."""

    def __init__(self, answer):
        super().__init__(f"answer {answer.pk} is at revision {answer.revision}")
        self.answer = answer


class IncompleteResponse(ValidationError):
    """Submitting failed: these visible required questions have no answer."""

    def __init__(self, questions):
        self.questions = questions
        super().__init__([_("“%s” needs an answer.") % question.text for question in questions])


# --- building --------------------------------------------------------------------------------


def create_survey(survey: Survey, *, actor) -> Survey:
    """Save a new survey with its first (draft) version."""
    with transaction.atomic(), set_actor(actor):
        survey.full_clean()
        survey.save()
        SurveyVersion.objects.create(survey=survey, number=1)
    return survey


def add_audience_kind(survey: Survey, kind, *, actor) -> int:
    """Ask every active organisation of a kind (e.g. all municipalities). Returns how many."""
    organisations = Organisation.objects.filter(kind=kind, is_active=True)
    with set_actor(actor):
        survey.audience.add(*organisations)
    return organisations.count()


def editable_version(survey: Survey, *, actor) -> SurveyVersion:
    """The draft to edit. After publication, editing starts a new version copied from the
    published one; its questions keep their keys, so answers can follow them. The new
    version's audit entry names the actor."""
    with transaction.atomic(), set_actor(actor):
        Survey.objects.select_for_update().get(pk=survey.pk)
        draft = survey.draft_version
        if draft:
            return draft
        published = survey.current_version
        draft = SurveyVersion.objects.create(survey=survey, number=published.number + 1)
        for section in published.sections.prefetch_related("questions"):
            questions = list(section.questions.all())
            section.pk = None
            section.version = draft
            section.save()
            for question in questions:
                question.pk = None
                question.section = section
            Question.objects.bulk_create(questions)
    return draft


def _ensure_draft(version: SurveyVersion):
    if version.is_frozen:
        raise ValidationError(
            _("A published version cannot be changed; start a new version to edit the survey.")
        )


def save_section(section: Section, *, actor) -> Section:
    _ensure_draft(section.version)
    with transaction.atomic(), set_actor(actor):
        section.full_clean()
        section.save()
    return section


def delete_section(section: Section, *, actor):
    _ensure_draft(section.version)
    with transaction.atomic(), set_actor(actor):
        section.delete()


def save_question(question: Question, *, actor) -> Question:
    """Save a question of a draft version; its key must be unique within the version."""
    version = question.section.version
    _ensure_draft(version)
    clash = Question.objects.filter(section__version=version, key=question.key).exclude(
        pk=question.pk
    )
    if clash.exists():
        raise ValidationError({"key": _("The key “%s” is used twice.") % question.key})
    with transaction.atomic(), set_actor(actor):
        question.full_clean()
        question.save()
    return question


def delete_question(question: Question, *, actor):
    _ensure_draft(question.section.version)
    with transaction.atomic(), set_actor(actor):
        question.delete()


def check_version(version: SurveyVersion):
    """Before publishing: at least one question, unique keys, conditions that point back."""
    errors = []
    seen = {}
    questions = list(
        Question.objects.filter(section__version=version).order_by(
            "section__position", "position", "pk"
        )
    )
    if not questions:
        errors.append(_("The survey has no questions yet."))
    for question in questions:
        if not KEY_PATTERN.fullmatch(question.key):
            errors.append(
                _("The key “%s” may hold only lowercase letters, digits and underscores.")
                % question.key
            )
        if question.key in seen:
            errors.append(_("The key “%s” is used twice.") % question.key)
        condition = question.condition or {}
        if condition and condition.get("question") not in seen:
            errors.append(
                _("“%(question)s” depends on “%(key)s”, which is not an earlier question.")
                % {"question": question.text, "key": condition.get("question")}
            )
        seen[question.key] = question
    keys = set(seen)
    for key in keys:
        # Inputs of question "x" are named and numbered "x_0", "x_1", …: no other key may look so.
        base, _sep, suffix = key.rpartition("_")
        if suffix.isdigit() and base in keys:
            errors.append(
                _("The key “%(key)s” clashes with “%(base)s”.") % {"key": key, "base": base}
            )
    if errors:
        raise ValidationError(errors)


def publish(survey: Survey, *, actor) -> SurveyVersion:
    """Freeze the draft version and move every response onto it, carrying answers over."""
    with transaction.atomic(), set_actor(actor):
        Survey.objects.select_for_update().get(pk=survey.pk)
        draft = survey.draft_version
        if draft is None:
            raise ValidationError(_("There are no changes to publish."))
        check_version(draft)
        draft.published_at = timezone.now()
        draft.save(update_fields=["published_at"])
        if survey.status == Survey.Status.DRAFT:
            survey.status = Survey.Status.PUBLISHED
            survey.save(update_fields=["status", "updated_at"])
        for response in survey.responses.exclude(version=draft):
            carry_over(response, draft)
    return draft


def carry_over(response: Response, version: SurveyVersion):
    """Point the response at a new version. An answer follows its question's key when that
    question still exists and the answer is still valid for it; others stay as history."""
    targets = {q.key: q for q in Question.objects.filter(section__version=version)}
    for answer in response.answers.select_related("question"):
        target = targets.get(answer.question.key)
        if target is None or target.kind != answer.question.kind:
            continue
        try:
            clean_answer(target, answer.value)
        except ValidationError:
            continue
        answer.question = target
        answer.save(update_fields=["question"])
    response.version = version
    response.save(update_fields=["version"])


# --- answering -------------------------------------------------------------------------------


def response_for(survey: Survey, organisation: Organisation) -> Response:
    """The organisation's one response, created on first use."""
    version = survey.current_version
    if version is None:
        raise ValidationError(_("This survey is not open yet."))
    response, _created = Response.objects.get_or_create(
        survey=survey, organisation=organisation, defaults={"version": version}
    )
    return response


def ensure_editable(response: Response, *, today=None):
    survey = response.survey
    today = today or timezone.localdate()
    if survey.status == Survey.Status.CLOSED:
        raise ValidationError(_("This survey is closed; its answers can no longer be changed."))
    if response.status == Response.Status.SUBMITTED:
        raise ValidationError(_("This response has been submitted; a coordinator can reopen it."))
    if survey.status != Survey.Status.PUBLISHED:
        raise ValidationError(_("This survey is not open for answers."))
    if survey.opens_on and today < survey.opens_on:
        raise ValidationError(
            _("This survey opens on %s.")
            % formats.date_format(survey.opens_on, "SHORT_DATE_FORMAT")
        )
    if response.is_past_deadline(today):
        raise ValidationError(
            _("The deadline (%s) has passed.")
            % formats.date_format(response.effective_deadline, "SHORT_DATE_FORMAT")
        )


def save_answer(
    response: Response,
    question: Question,
    raw,
    *,
    actor,
    base_revision: int,
    whole_form: bool = False,
) -> Answer:
    """Validate and store one answer. `base_revision` is the revision the editor started
    from; if someone saved a different value since, AnswerConflict is raised and nothing
    changes. Saving the value that is already there is not a conflict.

    `whole_form`: the value comes with every other question of a form, touched or not (a
    section saved without JavaScript, inputs kept over a sign-in). A value that is just
    what the editor saw at `base_revision` is then no edit: the answer is left as it is,
    whoever changed it since."""
    if question.section.version_id != response.version_id:
        raise ValidationError(_("This question does not belong to this response."))
    ensure_editable(response)
    value = clean_answer(question, raw)
    with transaction.atomic():
        # One lock per response serialises its saves; a handful of staff share one.
        locked = Response.objects.select_for_update().get(pk=response.pk)
        ensure_editable(locked)
        answer = Answer.objects.filter(response=locked, question=question).first()
        if answer is None:
            answer = Answer(response=locked, question=question, revision=0)
            if value is None:
                return answer  # nothing typed into a never-answered question: nothing to keep
        if answer.value == value and answer.pk:
            return answer
        if answer.revision != base_revision:
            if whole_form and _value_at(answer, base_revision) == value:
                return answer
            raise AnswerConflict(answer)
        old_value = answer.value
        answer.value = value
        answer.revision += 1
        answer.updated_by = actor
        answer.save()
        AnswerChange.objects.create(
            answer=answer,
            revision=answer.revision,
            old_value=old_value,
            new_value=value,
            changed_by=actor,
        )
        locked.last_activity_at = timezone.now()
        locked.save(update_fields=["last_activity_at"])
    return answer


_UNKNOWN = object()


def _value_at(answer: Answer, revision: int):
    """The answer's value at `revision` (None before the first save), from its history."""
    if revision == 0:
        return None
    if not answer.pk:
        return _UNKNOWN
    change = AnswerChange.objects.filter(answer=answer, revision=revision).first()
    return change.new_value if change else _UNKNOWN


def answers_by_key(response: Response):
    return {
        answer.question.key: answer.value
        for answer in response.answers.filter(
            question__section__version=response.version_id
        ).select_related("question")
    }


def visible_questions(response: Response, answers=None):
    """The questions the respondent sees, in order, given the answers so far."""
    answers = answers_by_key(response) if answers is None else answers
    questions = Question.objects.filter(section__version=response.version_id).order_by(
        "section__position", "position", "pk"
    )
    return visible_in_order(questions, answers)


def missing_required(response: Response, answers=None, visible=None):
    """Visible required questions without an answer. Callers that already hold the answers
    and the visible questions pass them in, so a page reads them once."""
    answers = answers_by_key(response) if answers is None else answers
    visible = visible_questions(response, answers) if visible is None else visible
    return [
        question
        for question in visible
        if question.required and not is_answered(question, answers.get(question.key))
    ]


def submit_response(response: Response, *, actor) -> Response:
    """Check every visible required question, then make the response read-only."""
    with transaction.atomic(), set_actor(actor):
        locked = Response.objects.select_for_update().get(pk=response.pk)
        ensure_editable(locked)
        missing = missing_required(locked)
        if missing:
            raise IncompleteResponse(missing)
        locked.status = Response.Status.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.submitted_by = actor
        locked.last_activity_at = locked.submitted_at
        locked.save()
    return locked


def reopen_response(response: Response, *, actor) -> Response:
    """A coordinator opens a submitted response for changes again."""
    with transaction.atomic(), set_actor(actor):
        response.status = Response.Status.IN_PROGRESS
        response.submitted_at = None
        response.submitted_by = None
        response.save()
    return response


def extend_deadline(response: Response, *, actor, until) -> Response:
    """Give one organisation more time than the survey's deadline."""
    deadline = response.survey.deadline
    if deadline and until <= deadline:
        raise ValidationError(
            {"deadline_extended_to": _("An extension must end after the survey's deadline.")}
        )
    with transaction.atomic(), set_actor(actor):
        response.deadline_extended_to = until
        response.save(update_fields=["deadline_extended_to"])
    return response


# --- closing and results ---------------------------------------------------------------------


def _locked(survey: Survey) -> Survey:
    return Survey.objects.select_for_update().get(pk=survey.pk)


def close_survey(survey: Survey, *, actor) -> Survey:
    """End answering: every response becomes read-only, submitted or not (see
    `ensure_editable`). Only a published survey can be closed."""
    with transaction.atomic(), set_actor(actor):
        survey = _locked(survey)
        if survey.status != Survey.Status.PUBLISHED:
            raise ValidationError(_("Only a survey that is open for answers can be closed."))
        survey.status = Survey.Status.CLOSED
        survey.save(update_fields=["status", "updated_at"])
    return survey


def reopen_survey(survey: Survey, *, actor) -> Survey:
    """Open a closed survey for answers again. Published results are withdrawn: answers may
    change, so they are no longer final."""
    with transaction.atomic(), set_actor(actor):
        survey = _locked(survey)
        if survey.status != Survey.Status.CLOSED:
            raise ValidationError(_("Only a closed survey can be reopened."))
        survey.status = Survey.Status.PUBLISHED
        survey.results_published_at = None
        survey.save(update_fields=["status", "results_published_at", "updated_at"])
    return survey


def publish_results(survey: Survey, *, actor) -> Survey:
    """Let the organisations of the audience that submitted their response compare every
    submitted answer (`results.published_results_surveys` says who sees what), and tell their
    contact people by e-mail, one mail per person, queued when the transaction commits."""
    with transaction.atomic(), set_actor(actor):
        survey = _locked(survey)
        if survey.status != Survey.Status.CLOSED:
            raise ValidationError(_("Results can only be published once the survey is closed."))
        if survey.results_published_at:
            raise ValidationError(_("The results are published already."))
        survey.results_published_at = timezone.now()
        survey.save(update_fields=["results_published_at", "updated_at"])
        _mail_results_published(survey)
    return survey


def withdraw_results(survey: Survey, *, actor) -> Survey:
    """Hide published results from the participants again."""
    with transaction.atomic(), set_actor(actor):
        survey = _locked(survey)
        if not survey.results_published_at:
            raise ValidationError(_("The results are not published."))
        survey.results_published_at = None
        survey.save(update_fields=["results_published_at", "updated_at"])
    return survey


def _mail_results_published(survey: Survey):
    submitted = survey.audience.filter(
        survey_responses__survey=survey, survey_responses__status=Response.Status.SUBMITTED
    )
    results_url = f"{settings.SITE_URL}{reverse('surveys:compare', args=[survey.pk])}"
    mailed = set()
    for membership in reminder_contacts(submitted):
        person = membership.person
        if person.pk in mailed:
            continue  # a contact of two organisations that took part
        mailed.add(person.pk)
        send_templated_mail(
            "surveys/mail/results_published",
            to=person.email,
            language=person.language,
            context={"person": person, "survey": survey, "results_url": results_url},
        )
