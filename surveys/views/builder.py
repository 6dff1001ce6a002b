"""The coordinator builds a survey: settings and audience, sections, questions, preview,
publish. Published versions are frozen; editing afterwards starts a new version."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from participation.views.common import add_error_message, add_errors, require_coordinator

from .. import ordering, selectors, services
from ..forms import QuestionForm, SectionForm, SurveyForm
from ..models import Question, Section, Survey
from .responses import QuestionState


def _builder_url(survey):
    return reverse("surveys:builder", args=[survey.pk])


def _save_survey_form(request, form, *, creating):
    survey = form.save(commit=False)
    try:
        if creating:
            services.create_survey(survey, actor=request.user)
        else:
            survey.full_clean()
            survey.save()
        survey.audience.set(form.cleaned_data["audience"])
        for kind in form.cleaned_data["audience_kinds"]:
            services.add_audience_kind(survey, kind, actor=request.user)
    except ValidationError as error:
        add_errors(form, error)
        return None
    return survey


@login_required
def survey_form(request, pk=None):
    require_coordinator(request.user)
    survey = selectors.get_survey_for_user(request.user, pk, write=True) if pk else Survey()
    form = SurveyForm(request.POST or None, instance=survey)
    if request.method == "POST" and form.is_valid():
        saved = _save_survey_form(request, form, creating=pk is None)
        if saved:
            messages.success(request, _("Survey “%s” saved.") % saved)
            return redirect(_builder_url(saved))
    title = _("Survey settings") if pk else _("New survey")
    return render(request, "participation/form_page.html", {"form": form, "title": title})


@login_required
def builder(request, pk):
    survey = selectors.get_survey_for_user(request.user, pk, write=True)
    version = survey.draft_version or survey.current_version
    sections = version.sections.prefetch_related("questions") if version else []
    questions = {q.key: q for section in sections for q in section.questions.all()}
    context = {"survey": survey, "version": version, "sections": sections, "questions": questions}
    return render(request, "surveys/builder/builder.html", context)


@login_required
@require_POST
def start_new_version(request, pk):
    survey = selectors.get_survey_for_user(request.user, pk, write=True)
    version = services.editable_version(survey, actor=request.user)
    messages.success(request, _("Version %s is a draft: change it, then publish.") % version.number)
    return redirect(_builder_url(survey))


def _draft_for(request, pk):
    survey = selectors.get_survey_for_user(request.user, pk, write=True)
    draft = survey.draft_version
    if draft is None:
        messages.error(request, _("Start a new version to change the published survey."))
    return survey, draft


@login_required
def section_form(request, pk, section_pk=None):
    survey, draft = _draft_for(request, pk)
    if draft is None:
        return redirect(_builder_url(survey))
    section = get_object_or_404(draft.sections, pk=section_pk) if section_pk else None
    if section is None:
        section = draft.sections.model(version=draft, position=draft.sections.count() + 1)
    form = SectionForm(request.POST or None, instance=section)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_section(form.save(commit=False), actor=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect(_builder_url(survey))
    title = _("Edit section") if section_pk else _("New section")
    context = {"form": form, "title": title, "back": survey}
    return render(request, "participation/form_page.html", context)


@login_required
def question_form(request, pk, question_pk=None):
    survey, draft = _draft_for(request, pk)
    if draft is None:
        return redirect(_builder_url(survey))
    if question_pk:
        question = get_object_or_404(Question, section__version=draft, pk=question_pk)
    else:
        question = Question()
    initial = {}
    if "section" in request.GET:
        initial["section"] = request.GET["section"]
    form = QuestionForm(request.POST or None, instance=question, version=draft, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_question(form.save(commit=False), actor=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect(f"{_builder_url(survey)}#question-{form.instance.key}")
    title = _("Edit question") if question_pk else _("New question")
    return render(
        request,
        "participation/form_page.html",
        {"form": form, "title": title, "back": survey},
    )


@login_required
@require_POST
def question_delete(request, pk, question_pk):
    survey, draft = _draft_for(request, pk)
    if draft is not None:
        question = get_object_or_404(Question, section__version=draft, pk=question_pk)
        services.delete_question(question, actor=request.user)
        messages.success(request, _("Question “%s” deleted.") % question.text)
    return redirect(_builder_url(survey))


@login_required
@require_POST
def section_move(request, pk, section_pk):
    """Move a section one place up or down (a button per direction; no JavaScript needed)."""
    survey = selectors.get_survey_for_user(request.user, pk, write=True)
    section = get_object_or_404(Section, version__survey=survey, pk=section_pk)
    direction = request.POST.get("direction")
    if direction not in ordering.DIRECTIONS:
        return HttpResponseBadRequest()
    try:
        section = ordering.move_section(section, direction=direction, actor=request.user)
    except ValidationError as error:
        add_error_message(request, error)
    else:
        messages.success(
            request,
            _("The section “%(title)s” is now at position %(position)s.")
            % {"title": section.title, "position": section.position},
        )
    return redirect(f"{_builder_url(survey)}#section-{section.pk}")


@login_required
@require_POST
def question_move(request, pk, question_pk):
    """Move a question one place up or down, at a section's edge into the next section."""
    survey = selectors.get_survey_for_user(request.user, pk, write=True)
    question = get_object_or_404(Question, section__version__survey=survey, pk=question_pk)
    direction = request.POST.get("direction")
    if direction not in ordering.DIRECTIONS:
        return HttpResponseBadRequest()
    try:
        question = ordering.move_question(question, direction=direction, actor=request.user)
    except ValidationError as error:
        add_error_message(request, error)
    else:
        messages.success(
            request,
            _("The question “%(question)s” is now at position %(position)s in “%(section)s”.")
            % {
                "question": question.text,
                "position": question.position,
                "section": question.section.title,
            },
        )
    return redirect(f"{_builder_url(survey)}#question-{question.key}")


@login_required
def preview(request, pk):
    """The draft (or published) version as a respondent sees it; nothing is saved."""
    survey = selectors.get_survey_for_user(request.user, pk, write=True)
    version = survey.draft_version or survey.current_version
    sections = []
    for section in version.sections.prefetch_related("questions") if version else []:
        states = [QuestionState(question, None) for question in section.questions.all()]
        sections.append((section, states))
    context = {
        "survey": survey,
        "version": version,
        "sections": sections,
        "editable": False,
        "read_only": False,
    }
    return render(request, "surveys/builder/preview.html", context)


@login_required
@require_POST
def publish(request, pk):
    survey = selectors.get_survey_for_user(request.user, pk, write=True)
    try:
        version = services.publish(survey, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Version %s is published.") % version.number)
    return redirect(_builder_url(survey))
