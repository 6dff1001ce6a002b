"""The respondent side: a municipality's staff open their organisation's response, answers
save as they leave each field (htmx), conflicts are shown with both values, then submit."""

from collections import Counter
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from participation.responses import posted_revision
from participation.selectors import own_organisation_ids
from participation.views.common import add_error_message, require_coordinator
from participation.views.session_expiry import (
    login_required_keeping_input as keeping_input_over_sign_in,
)

from .. import kept_input, selectors, services
from ..answer_types import display_value
from ..inputs import CLEARABLE_KINDS, raw_from_post
from ..models import Answer, Question, QuestionKind


@dataclass
class QuestionState:
    """What the page shows for one question."""

    question: Question
    answer: Answer | None
    visible: bool = True
    error: str = ""
    conflict: Answer | None = None
    submitted_value: object = None
    autofocus: bool = False

    @property
    def value(self):
        """What the inputs show: the stored answer, or what was typed if it was refused or
        ran into a conflict, so nothing typed disappears."""
        if self.conflict is not None or self.error:
            return self.submitted_value
        return self.answer.value if self.answer else None

    @property
    def conflict_display(self):
        return display_value(self.question, self.conflict.value) if self.conflict else ""

    @property
    def revision(self):
        if self.conflict is not None:
            return self.conflict.revision
        return self.answer.revision if self.answer else 0

    @property
    def clearable(self):
        return self.question.kind in CLEARABLE_KINDS


def _response_page(pk, section_pk=None):
    page = reverse("surveys:response", args=[pk])
    return f"{page}?section={section_pk}" if section_pk is not None else page


login_required_keeping_input = keeping_input_over_sign_in(kept_input.KEPT, _response_page)


@login_required
@require_POST
def open_response(request, pk, organisation_pk):
    """Open (on first use: create) the response of one of the user's own organisations."""
    survey = selectors.get_survey_for_user(request.user, pk)
    organisation = get_object_or_404(
        survey.audience.filter(pk__in=own_organisation_ids(request.user)), pk=organisation_pk
    )
    try:
        response = services.response_for(survey, organisation)
    except ValidationError as error:
        add_error_message(request, error)
        return redirect("surveys:survey_detail", pk=survey.pk)
    return redirect("surveys:response", pk=response.pk)


def _states(response, questions, *, overrides=None, visible=None):
    answers = {
        answer.question_id: answer
        for answer in response.answers.filter(question__in=questions).select_related(
            "updated_by__person"
        )
    }
    if visible is None:
        visible = services.visible_questions(response)
    visible = {q.pk for q in visible}
    states = []
    for question in questions:
        state = QuestionState(question, answers.get(question.pk), visible=question.pk in visible)
        if overrides and question.pk in overrides:
            override = overrides[question.pk]
            state.error, state.conflict = override.error, override.conflict
            state.submitted_value = override.submitted_value
        states.append(state)
    return states


def _save_one(request, response, question, *, whole_form=False):
    """Save one question's posted inputs; returns the state to show (saved, error, conflict)."""
    state = QuestionState(question, None)
    raw = raw_from_post(question, request.POST)
    try:
        state.answer = services.save_answer(
            response,
            question,
            raw,
            actor=request.user,
            base_revision=posted_revision(request.POST, question.key),
            whole_form=whole_form,
        )
    except services.AnswerConflict as conflict:
        state.conflict = conflict.answer
        state.submitted_value = raw
    except ValidationError as error:
        state.error = " ".join(error.messages)
        state.submitted_value = raw
        state.conflict = None
    return state


@dataclass
class SectionStep:
    """One section in the way through a response: its place and how complete it is."""

    section: object
    number: int
    missing: int

    @property
    def complete(self):
        return not self.missing


def _page_context(request, response, section=None, overrides=None):
    sections = list(response.version.sections.all())
    if not sections:
        raise Http404
    section = section or sections[0]
    questions = list(section.questions.all())
    answers = services.answers_by_key(response)
    visible = services.visible_questions(response, answers)
    editable = True
    read_only_reason = ""
    try:
        services.ensure_editable(response)
    except ValidationError as error:
        editable = False
        read_only_reason = " ".join(error.messages)
    can_answer = response.organisation_id in set(
        own_organisation_ids(request.user).values_list("organisation_id", flat=True)
    )
    missing = services.missing_required(response, answers, visible)
    open_by_section = Counter(question.section_id for question in missing)
    steps = [
        SectionStep(item, number, open_by_section[item.pk])
        for number, item in enumerate(sections, start=1)
    ]
    index = sections.index(section)
    return {
        "response": response,
        "survey": response.survey,
        "sections": sections,
        "steps": steps,
        "complete_steps": sum(step.complete for step in steps),
        "step": steps[index],
        "previous_step": steps[index - 1] if index > 0 else None,
        "next_step": steps[index + 1] if index + 1 < len(steps) else None,
        "section": section,
        "states": _states(response, questions, overrides=overrides, visible=visible),
        "editable": editable and can_answer,
        "read_only": not (editable and can_answer),
        "read_only_reason": read_only_reason,
        "missing": missing,
    }


def _restore_kept_input(request, response, section):
    """Save what the user typed while their session had expired (see `kept_input`).
    Returns (what was restored or None, the section to show, the refused entries of it as
    overrides). Refused entries of other sections are kept until that section is shown."""
    entries = kept_input.take(request.session, response.pk)
    if not entries:
        return None, section, None
    try:
        response = selectors.get_response_for_user(request.user, response.pk, write=True)
    except Http404:
        return None, section, None  # not theirs to answer (someone else signed in): dropped
    restored = kept_input.restore(response, entries, actor=request.user)
    if section is None:
        section = (
            restored.refused[0].question.section
            if restored.refused
            else response.version.sections.first()
        )
    overrides, elsewhere = {}, {}
    for refused in restored.refused:
        if section is not None and refused.question.section_id == section.pk:
            state = QuestionState(refused.question, None, error=refused.error)
            state.conflict, state.submitted_value = refused.conflict, refused.raw
            overrides[refused.question.pk] = state
        else:
            elsewhere[refused.question.key] = refused.data
    kept_input.put_back(request.session, response.pk, elsewhere)
    return restored or None, section, overrides


@login_required
def response_page(request, pk):
    response = selectors.get_response_for_user(request.user, pk)
    section = None
    if section_id := request.GET.get("section"):
        section = get_object_or_404(response.version.sections, pk=section_id)
    restored, section, overrides = _restore_kept_input(request, response, section)
    context = _page_context(request, response, section, overrides)
    context["restored"] = restored
    return render(request, "surveys/response.html", context)


@login_required_keeping_input
@require_POST
def save_section(request, pk, section_pk):
    """Without JavaScript: the whole section's form is saved at once."""
    response = selectors.get_response_for_user(request.user, pk, write=True)
    section = get_object_or_404(response.version.sections, pk=section_pk)
    overrides = {}
    for question in section.questions.all():
        if question.kind == QuestionKind.FILE:
            continue  # files come through their own upload, never as an empty text field
        state = _save_one(request, response, question, whole_form=True)
        if state.error or state.conflict:
            overrides[question.pk] = state
    if not overrides:
        messages.success(request, _("Your answers are saved."))
        # "Save and continue" names the next section; a forged one shows this section again.
        shown = section.pk
        if (following := request.POST.get("continue", "")).isdigit() and (
            response.version.sections.filter(pk=following).exists()
        ):
            shown = int(following)
        return redirect(f"{response.get_absolute_url()}?section={shown}")
    context = _page_context(request, response, section, overrides)
    # Without JavaScript the page is drawn anew: the focus goes to the first refused entry.
    next(state for state in context["states"] if state.error or state.conflict).autofocus = True
    return render(request, "surveys/response.html", context, status=400)


@login_required_keeping_input
@require_POST
def save_answer(request, pk, key):
    """htmx autosave of one question. A save that went through answers with the question's
    status part only (revision, who saved), when that is what the question asked for: the
    inputs stay as they are, with whatever is being typed into them meanwhile. A conflict
    or a refused entry answers with the whole question. The questions of the section whose
    visibility the save changed come along out of band."""
    response = selectors.get_response_for_user(request.user, pk, write=True)
    question = get_object_or_404(
        Question.objects.exclude(kind=QuestionKind.FILE),
        section__version=response.version_id,
        key=key,
    )
    # The questions and answers are read once; after the save only its own answer again.
    questions = services.questions_in_order(response)
    answers = services.answers_by_key(response)
    before = services.visible_questions(response, answers, questions)
    state = _save_one(request, response, question)
    overrides = {question.pk: state} if state.error or state.conflict else None
    answers = services.with_answer_reread(response, answers, question)
    visible = services.visible_questions(response, answers, questions)
    # The questions of this section that appeared or disappeared: each is in one list only.
    changed = {q.pk: q for q in before} | {q.pk: q for q in visible}
    shown_before, shown_after = {q.pk for q in before}, {q.pk for q in visible}
    dependents = sorted(
        (
            q
            for pk, q in changed.items()
            if q.section_id == question.section_id
            and pk != question.pk
            and (pk in shown_before) != (pk in shown_after)
        ),
        key=lambda q: (q.position, q.pk),
    )
    states = _states(response, [question, *dependents], overrides=overrides, visible=visible)
    context = {
        "response": response,
        "state": states[0],
        "dependents": states[1:],
        "editable": True,
        "read_only": False,
    }
    if state.error or state.conflict or request.htmx.target != f"question-{key}-status":
        status = 400 if state.error else 409 if state.conflict else 200
        result = render(request, "surveys/_question_saved.html", context, status=status)
        return reswap(retarget(result, f"#question-{key}"), "outerHTML")
    context["posted"] = request.POST
    return render(request, "surveys/_question_status_saved.html", context)


@login_required
@require_POST
def submit(request, pk):
    response = selectors.get_response_for_user(request.user, pk, write=True)
    try:
        services.submit_response(response, actor=request.user)
    except services.IncompleteResponse as incomplete:
        messages.error(request, _("Some required questions still need an answer."))
        context = _page_context(request, response)
        context["incomplete"] = incomplete.questions
        return render(request, "surveys/response.html", context, status=400)
    except ValidationError as error:
        add_error_message(request, error)
    else:
        messages.success(request, _("Thank you: the response has been submitted."))
    return redirect(response)


@login_required
@require_POST
def reopen(request, pk):
    require_coordinator(request.user)
    response = selectors.get_response_for_user(request.user, pk)
    services.reopen_response(response, actor=request.user)
    messages.success(request, _("The response is open for changes again."))
    return redirect(response)
