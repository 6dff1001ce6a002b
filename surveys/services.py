"""Writes for surveys: building and publishing versions, autosaving answers with conflict
detection and history, submitting, reopening, extending deadlines, closing a survey and
publishing its results."""

import re

from auditlog.context import set_actor
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from participation import responses
from participation.mail import send_templated_mail
from participation.models import Organisation
from participation.responses import AnswerConflict as AnswerConflict
from participation.responses import IncompleteResponse as IncompleteResponse

from .answer_types import clean_answer, is_answered, visible_in_order
from .models import Answer, Question, Response, Section, Survey, SurveyVersion

KEY_PATTERN = re.compile(r"[a-z0-9_]+")


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
    """Raise ValidationError, saying why, when the response's answers cannot change now."""
    response.check_editable(today=today)


def save_answer(
    response: Response,
    question: Question,
    raw,
    *,
    actor,
    base_revision: int,
    whole_form: bool = False,
) -> Answer:
    """Validate and store one answer under the conflict rule (`responses.save_answer`):
    AnswerConflict if someone saved a different value since `base_revision`."""
    if question.section.version_id != response.version_id:
        raise ValidationError(_("This question does not belong to this response."))
    ensure_editable(response)
    value = clean_answer(question, raw)
    return responses.save_answer(
        response,
        question,
        value,
        actor=actor,
        base_revision=base_revision,
        whole_form=whole_form,
    )


def answers_by_key(response: Response, questions=None):
    """The response's answer values keyed by question key; of `questions` only, if given."""
    answers = response.answers.filter(question__section__version=response.version_id)
    if questions is not None:
        answers = answers.filter(question__in=questions)
    return dict(answers.values_list("question__key", "value"))


def questions_in_order(response: Response) -> list[Question]:
    """The questions of the response's version in the order the respondent meets them."""
    return list(
        Question.objects.filter(section__version=response.version_id).order_by(
            "section__position", "position", "pk"
        )
    )


def visible_questions(response: Response, answers=None, questions=None):
    """The questions the respondent sees, in order, given the answers so far. Callers that
    already hold the questions in order (`questions_in_order`) pass them in."""
    answers = answers_by_key(response) if answers is None else answers
    questions = questions_in_order(response) if questions is None else questions
    return visible_in_order(questions, answers)


def with_answer_reread(response: Response, answers, question: Question):
    """`answers` with `question`'s answer as stored now (after a save): one question read
    again instead of them all."""
    reread = answers_by_key(response, [question])
    updated = {key: value for key, value in answers.items() if key != question.key}
    updated.update(reread)
    return updated


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
    return responses.submit(response, actor=actor, missing=missing_required)


def reopen_response(response: Response, *, actor) -> Response:
    """A coordinator opens a submitted response for changes again."""
    return responses.reopen(response, actor=actor)


def extend_deadline(response: Response, *, actor, until) -> Response:
    """Give one organisation more time than the survey's deadline."""
    return responses.extend_deadline(response, actor=actor, until=until)


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
    for membership in responses.reminder_contacts(submitted):
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
