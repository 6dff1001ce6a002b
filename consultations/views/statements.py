"""The member side: an organisation's one statement, every section on one page. Each
section saves as its fields are left (htmx, the base's autosave.js); a conflict shows both
values; without JavaScript the whole statement is saved at once. The responsible member
releases it or declares that none is given."""

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

from participation.markdown import render_markdown
from participation.responses import posted_revision
from participation.selectors import is_coordinator
from participation.views.common import add_error_message
from participation.views.session_expiry import (
    login_required_keeping_input as keeping_input_over_sign_in,
)

from .. import kept_input, selectors, services
from ..forms import ResponsibleForm
from ..inputs import raw_from_post
from ..models import Position, SectionAnswer


@dataclass
class SectionState:
    """What the page shows for one section."""

    section: object
    answer: SectionAnswer | None
    error: str = ""
    conflict: SectionAnswer | None = None
    submitted_value: object = None
    autofocus: bool = False

    @property
    def key(self):
        return self.section.key

    @property
    def value(self):
        """The stored statement, or what was typed if it was refused or ran into a conflict,
        so nothing typed disappears."""
        if self.conflict is not None or self.error:
            return self.submitted_value or {}
        return (self.answer.value if self.answer else None) or {}

    @property
    def revision(self):
        if self.conflict is not None:
            return self.conflict.revision
        return self.answer.revision if self.answer else 0

    @property
    def conflict_position(self):
        position = (self.conflict.value or {}).get("position") if self.conflict else ""
        return Position(position).label if position in Position.values else ""

    @property
    def history(self):
        """The section's changes, newest first, with what each position was."""
        if self.answer is None or not self.answer.pk:
            return []
        changes = self.answer.changes.select_related("changed_by__person")
        for change in changes:
            position = (change.new_value or {}).get("position", "")
            change.position_label = Position(position).label if position in Position.values else ""
        return changes

    @property
    def text(self):
        return render_markdown(self.section.text)


def _statement_page(pk, section_pk=None):
    return reverse("consultations:statement", args=[pk])


login_required_keeping_input = keeping_input_over_sign_in(kept_input.KEPT, _statement_page)


@login_required
@require_POST
def open_statement(request, pk, organisation_pk):
    """Open (on first use: create) the statement of one of the user's own organisations."""
    consultation = selectors.get_consultation_for_user(request.user, pk)
    organisation = get_object_or_404(
        selectors.answerable_organisations(request.user, consultation), pk=organisation_pk
    )
    try:
        statement = services.statement_for(consultation, organisation)
    except ValidationError as error:
        add_error_message(request, error)
        return redirect(consultation)
    return redirect(statement)


def _states(statement, overrides=None):
    answers = selectors.answers_by_section(statement)
    states = []
    for section in statement.consultation.sections.all():
        state = SectionState(section, answers.get(section.pk))
        if overrides and section.pk in overrides:
            override = overrides[section.pk]
            state.error, state.conflict = override.error, override.conflict
            state.submitted_value = override.submitted_value
        states.append(state)
    return states


def _page_context(request, statement, overrides=None, responsible_form=None):
    editable, read_only_reason = True, ""
    try:
        statement.check_editable()
    except ValidationError as error:
        editable, read_only_reason = False, " ".join(error.messages)
    can_draft = (
        selectors.answerable_organisations(request.user, statement.consultation)
        .filter(pk=statement.organisation_id)
        .exists()
    )
    states = _states(statement, overrides)
    return {
        "statement": statement,
        "consultation": statement.consultation,
        "states": states,
        "positions": Position.choices,
        "editable": editable and can_draft,
        "read_only": not (editable and can_draft),
        "read_only_reason": read_only_reason,
        "state_label": selectors.PROGRESS_LABELS[selectors.progress_state(statement)],
        "is_responsible": bool(
            statement.responsible and statement.responsible.user_id == request.user.pk
        ),
        "responsible_form": responsible_form
        or ResponsibleForm(
            organisation=statement.organisation,
            initial={"responsible": statement.responsible_id},
        ),
        "missing": services.sections_without_position(statement),
        "can_reopen": is_coordinator(request.user) and statement.is_released,
    }


def _save_one(request, statement, section, *, whole_form=False):
    state = SectionState(section, None)
    raw = raw_from_post(section, request.POST)
    try:
        state.answer = services.save_section_answer(
            statement,
            section,
            raw,
            actor=request.user,
            base_revision=posted_revision(request.POST, section.key),
            whole_form=whole_form,
        )
    except services.AnswerConflict as conflict:
        state.conflict, state.submitted_value = conflict.answer, raw
    except ValidationError as error:
        state.error, state.submitted_value = " ".join(error.messages), raw
    return state


def _restore_kept_input(request, statement):
    entries = kept_input.take(request.session, statement.pk)
    if not entries:
        return None, None
    try:
        statement = selectors.get_statement_for_user(request.user, statement.pk, write=True)
    except Http404:
        return None, None  # not theirs to draft (someone else signed in): dropped
    restored = kept_input.restore(statement, entries, actor=request.user)
    overrides = {}
    for refused in restored.refused:
        state = SectionState(refused.question, None, error=refused.error)
        state.conflict, state.submitted_value = refused.conflict, refused.raw
        overrides[refused.question.pk] = state
    return restored or None, overrides


@login_required
def statement_page(request, pk):
    statement = selectors.get_statement_for_user(request.user, pk)
    restored, overrides = _restore_kept_input(request, statement)
    context = _page_context(request, statement, overrides)
    context["restored"] = restored
    return render(request, "consultations/statement.html", context)


@login_required_keeping_input
@require_POST
def save_statement(request, pk):
    """Without JavaScript: every section is saved at once."""
    statement = selectors.get_statement_for_user(request.user, pk, write=True)
    overrides = {}
    for section in statement.consultation.sections.all():
        state = _save_one(request, statement, section, whole_form=True)
        if state.error or state.conflict:
            overrides[section.pk] = state
    if not overrides:
        messages.success(request, _("The statement is saved."))
        return redirect(statement)
    context = _page_context(request, statement, overrides)
    next(s for s in context["states"] if s.error or s.conflict).autofocus = True
    return render(request, "consultations/statement.html", context, status=400)


@login_required_keeping_input
@require_POST
def save_section(request, pk, key):
    """htmx autosave of one section. A save that went through answers with the section's
    status part only; a conflict or a refused entry answers with the whole section."""
    statement = selectors.get_statement_for_user(request.user, pk, write=True)
    if not (key.startswith("s") and key[1:].isdigit()):
        raise Http404
    section = get_object_or_404(statement.consultation.sections, pk=int(key[1:]))
    state = _save_one(request, statement, section)
    context = {"statement": statement, "state": state, "editable": True, "read_only": False}
    context["positions"] = Position.choices
    if state.error or state.conflict or request.htmx.target != f"question-{key}-status":
        status = 400 if state.error else 409 if state.conflict else 200
        result = render(request, "consultations/_section.html", context, status=status)
        return reswap(retarget(result, f"#question-{key}"), "outerHTML")
    return render(request, "consultations/_section_status.html", context)


@login_required
@require_POST
def name_responsible(request, pk):
    statement = selectors.get_statement_for_user(request.user, pk, write=True)
    form = ResponsibleForm(request.POST, organisation=statement.organisation)
    if form.is_valid():
        try:
            services.name_responsible(
                statement, form.cleaned_data["responsible"], actor=request.user
            )
        except ValidationError as error:
            form.add_error("responsible", error.messages)
        else:
            messages.success(
                request,
                _("%s is responsible for the statement.")
                % form.cleaned_data["responsible"].full_name,
            )
            return redirect(statement)
    context = _page_context(request, statement, responsible_form=form)
    return render(request, "consultations/statement.html", context, status=400)


@login_required
@require_POST
def release(request, pk):
    statement = selectors.get_statement_for_user(request.user, pk, write=True)
    try:
        services.release_statement(statement, actor=request.user)
    except services.IncompleteResponse as incomplete:
        messages.error(request, _("Every section needs a position before the release."))
        context = _page_context(request, statement)
        context["incomplete"] = incomplete.questions
        return render(request, "consultations/statement.html", context, status=400)
    except ValidationError as error:
        add_error_message(request, error)
    else:
        messages.success(request, _("Thank you: the statement is released."))
    return redirect(statement)


@login_required
@require_POST
def no_statement(request, pk):
    statement = selectors.get_statement_for_user(request.user, pk, write=True)
    try:
        services.declare_no_statement(statement, actor=request.user)
    except ValidationError as error:
        add_error_message(request, error)
    else:
        messages.success(request, _("Recorded: your organisation gives no statement."))
    return redirect(statement)
