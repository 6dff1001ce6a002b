"""The consultations as people see them: the list (coordinators: all; members: those that
ask their organisations for a statement), one consultation's page with its progress per
organisation, and the coordinator's steps: create, edit, open, close, remind."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from participation.markdown import render_markdown
from participation.selectors import is_coordinator, own_organisation_ids
from participation.views.common import add_error_message, form_page, require_coordinator

from .. import reminders, selectors, services
from ..forms import ConsultationForm, ExtendForm
from ..models import Consultation, ConsultationReminder, Statement


@login_required
def consultation_list(request):
    consultations = selectors.visible_consultations(request.user).order_by("-created_at", "-pk")
    if is_coordinator(request.user):
        consultations = consultations.annotate(
            consulted=Count("organisations", distinct=True),
            released=Count(
                "statements",
                filter=Q(statements__status=Statement.Status.SUBMITTED),
                distinct=True,
            ),
        )
    own = Statement.objects.filter(
        organisation__in=own_organisation_ids(request.user), consultation__in=consultations
    ).select_related("organisation")
    statements = {(s.consultation_id, s.organisation_id): s for s in own}
    asked = Consultation.organisations.through.objects.filter(
        consultation__in=consultations, organisation__in=own_organisation_ids(request.user)
    ).select_related("organisation")
    by_consultation = {}
    for row in asked.order_by("organisation__name"):
        statement = statements.get((row.consultation_id, row.organisation_id))
        by_consultation.setdefault(row.consultation_id, []).append(
            selectors.OrganisationProgress(
                row.organisation, statement, selectors.progress_state(statement)
            )
        )
    rows = [(c, by_consultation.get(c.pk, [])) for c in consultations]
    return render(request, "consultations/list.html", {"rows": rows})


@login_required
def consultation_form(request, pk=None):
    require_coordinator(request.user)
    consultation = selectors.get_consultation_for_user(request.user, pk, write=True) if pk else None
    form = ConsultationForm(request.POST or None, instance=consultation)
    return form_page(
        request,
        form,
        service=services.save_consultation,
        title=_("Edit the consultation") if consultation else _("New consultation"),
        saved_message=_("“%(record)s” is saved."),
        back=consultation,
    )


def _own_entries(user, consultation):
    organisations = selectors.answerable_organisations(user, consultation)
    statements = {
        s.organisation_id: s for s in consultation.statements.filter(organisation__in=organisations)
    }
    entries = []
    for organisation in organisations:
        statement = statements.get(organisation.pk)
        entries.append(
            selectors.OrganisationProgress(
                organisation, statement, selectors.progress_state(statement)
            )
        )
    return entries


@login_required
def consultation_detail(request, pk, extend_form=None, extend_for=None, status=200):
    consultation = selectors.get_consultation_for_user(request.user, pk)
    context = {
        "consultation": consultation,
        "purpose": render_markdown(consultation.purpose),
        "sections": [
            (section, render_markdown(section.text)) for section in consultation.sections.all()
        ],
        "attachments": consultation.attachments.all(),
        "entries": _own_entries(request.user, consultation),
    }
    if is_coordinator(request.user):
        rows = selectors.progress(consultation)
        state = request.GET.get("state", "")
        context.update(
            rows=[row for row in rows if selectors.matches(row.state, state)],
            state=state,
            states=selectors.PROGRESS_FILTERS,
            extend_form=extend_form,
            extend_for=extend_for,
        )
    return render(request, "consultations/detail.html", context, status=status)


@login_required
@require_POST
def open_consultation(request, pk):
    consultation = selectors.get_consultation_for_user(request.user, pk, write=True)
    try:
        services.open_consultation(consultation, actor=request.user)
    except ValidationError as error:
        add_error_message(request, error)
    else:
        messages.success(
            request, _("The consultation is open; the organisations' contact people are asked.")
        )
    return redirect(consultation)


@login_required
@require_POST
def close_consultation(request, pk):
    consultation = selectors.get_consultation_for_user(request.user, pk, write=True)
    try:
        services.close_consultation(consultation, actor=request.user)
    except ValidationError as error:
        add_error_message(request, error)
    else:
        messages.success(request, _("The consultation is closed."))
    return redirect(consultation)


@login_required
@require_POST
def remind(request, pk):
    consultation = selectors.get_consultation_for_user(request.user, pk, write=True)
    try:
        result = reminders.remind_missing(
            consultation, actor=request.user, kind=ConsultationReminder.Kind.MANUAL
        )
    except ValidationError as error:
        add_error_message(request, error)
        return redirect(consultation)
    messages.success(
        request,
        _("%(sent)s reminders sent; %(already)s contact people were reminded today already.")
        % {"sent": result.sent, "already": result.already_reminded},
    )
    if result.without_contact:
        messages.warning(
            request,
            _("No contact person with an e-mail address at: %s")
            % ", ".join(o.name for o in result.without_contact),
        )
    return redirect(consultation)


@login_required
@require_POST
def extend(request, pk, organisation_pk):
    consultation = selectors.get_consultation_for_user(request.user, pk, write=True)
    organisation = get_object_or_404(consultation.organisations, pk=organisation_pk)
    form = ExtendForm(request.POST)
    if form.is_valid():
        try:
            statement = services.statement_for(consultation, organisation)
            services.extend_deadline(
                statement, actor=request.user, until=form.cleaned_data["until"]
            )
        except ValidationError as error:
            form.add_error("until", error.messages)
        else:
            messages.success(
                request,
                _("%(organisation)s may give its statement until %(date)s.")
                % {
                    "organisation": organisation,
                    "date": formats.date_format(form.cleaned_data["until"], "SHORT_DATE_FORMAT"),
                },
            )
            return redirect(consultation)
    return consultation_detail(request, pk, extend_form=form, extend_for=organisation, status=400)


@login_required
@require_POST
def reopen_statement(request, pk, organisation_pk):
    consultation = selectors.get_consultation_for_user(request.user, pk, write=True)
    statement = get_object_or_404(consultation.statements, organisation_id=organisation_pk)
    try:
        services.reopen_statement(statement, actor=request.user)
    except ValidationError as error:
        add_error_message(request, error)
    else:
        messages.success(
            request, _("The statement of %s is open for changes again.") % statement.organisation
        )
    return redirect(consultation)
