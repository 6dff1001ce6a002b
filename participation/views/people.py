from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..forms import PeopleImportForm, PersonFilterForm, PersonForm
from ..models import Person
from ..people_import import import_people
from ..request_limits import accepts_uploads
from .common import form_page, render_list, require_coordinator


@login_required
def person_list(request):
    filters = PersonFilterForm(
        request.GET, organisations=selectors.visible_organisations(request.user)
    )
    people = selectors.people_with_organisations(selectors.visible_people(request.user))
    if filters.is_valid():
        if q := filters.cleaned_data["q"]:
            people = people.filter(
                Q(first_name__icontains=q) | Q(last_name__icontains=q) | Q(email__icontains=q)
            )
        if organisation := filters.cleaned_data["organisation"]:
            people = selectors.only_current_members(people, organisation)
    return render_list(request, people, filters, "person")


@login_required
def person_detail(request, pk):
    person = selectors.get_person_for_user(request.user, pk)
    memberships = list(selectors.visible_memberships(request.user).filter(person=person))
    seats = list(selectors.visible_body_memberships(request.user).filter(person=person))
    coordinator = selectors.is_coordinator(request.user)
    context = {
        "person": person,
        "memberships": memberships,
        "seats": seats,
        "audit": selectors.audit_entries(person, *memberships, *seats)[:50]
        if coordinator
        else None,
    }
    return render(request, "participation/person_detail.html", context)


@login_required
def person_form(request, pk=None):
    require_coordinator(request.user)
    person = selectors.get_person_for_user(request.user, pk, write=True) if pk else Person()
    return form_page(
        request,
        PersonForm(request.POST or None, instance=person),
        service=services.save_person,
        title=_("Edit person") if pk else _("New person"),
        saved_message=_("%(record)s saved."),
    )


@login_required
@require_POST
def person_grant_account(request, pk):
    person = selectors.get_person_for_user(request.user, pk, write=True)
    try:
        services.grant_account(
            person, actor=request.user, coordinator=request.POST.get("coordinator") == "1"
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(person)s can now sign in; an e-mail went to %(email)s.")
            % {"person": person, "email": person.email},
        )
    return redirect(person)


@accepts_uploads
@login_required
def person_import(request):
    require_coordinator(request.user)
    form = PeopleImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        dry_run = "check_only" in request.POST
        upload = form.cleaned_data["file"].read()
        report = import_people(upload, actor=request.user, dry_run=dry_run)
        if report.imported:
            messages.success(request, _("%d people imported.") % report.imported)
            return redirect("participation:person_list")
    return render(request, "participation/person_import.html", {"form": form, "report": report})
