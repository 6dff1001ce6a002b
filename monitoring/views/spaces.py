"""The registry of social spaces and neighbourhoods: the list by municipality and day, a
space's versions, proposing and editing (members for their own municipality), confirming
(coordinators), a new version after a re-cut, and the exports."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from participation.downloads import private_download
from participation.models import Organisation, OrganisationKind
from participation.selectors import is_coordinator
from participation.views.common import add_errors

from .. import selectors, space_exports, spaces
from ..forms import NewVersionForm, SpaceForm
from ..models import SpaceStatus


def _filtered(request):
    """The spaces the user sees, narrowed by `?municipality=`, `?on=` (a day, default today;
    `all` for every version) and `?status=`."""
    queryset = selectors.visible_spaces(request.user)
    municipality = request.GET.get("municipality", "")
    if municipality.isdigit():
        queryset = queryset.filter(municipality_id=int(municipality))
    on = request.GET.get("on", "")
    day = None if on == "all" else (parse_date(on) if on else datetime.date.today())
    if on and on != "all" and day is None:
        day = datetime.date.today()
    if day is not None:
        queryset = selectors.spaces_valid_on(queryset, day)
    status = request.GET.get("status", "")
    if status in SpaceStatus.values:
        queryset = queryset.filter(status=status)
    return queryset.order_by("municipality__name", "key", "valid_from"), day


@login_required
def space_list(request):
    spaces_shown, day = _filtered(request)
    rows = list(spaces_shown)
    return render(
        request,
        "monitoring/space_list.html",
        {
            "spaces": rows,
            "day": day,
            "municipality_choices": Organisation.objects.filter(
                kind=OrganisationKind.MUNICIPALITY
            ).order_by("name"),
            "may_add": selectors.editable_municipalities(request.user).exists(),
            "statuses": SpaceStatus.choices,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def space_detail(request, pk):
    space = selectors.get_space_for_user(request.user, pk)
    versions = selectors.visible_spaces(request.user).filter(key=space.key).order_by("valid_from")
    may_edit = selectors.editable_municipalities(request.user).filter(pk=space.municipality_id)
    return render(
        request,
        "monitoring/space_detail.html",
        {
            "space": space,
            "versions": versions,
            "neighbourhoods": selectors.visible_spaces(request.user).filter(parent=space),
            "predecessors": space.predecessors.select_related("earlier"),
            "successors": space.successors.select_related("later"),
            "may_edit": may_edit.exists(),
            "may_confirm": is_coordinator(request.user) and space.status == SpaceStatus.PROPOSED,
            "version_form": NewVersionForm(),
        },
    )


@login_required
def space_edit(request, pk=None):
    municipalities = selectors.editable_municipalities(request.user)
    space = selectors.get_space_for_user(request.user, pk, write=True) if pk else None
    if space is None and not municipalities.exists():
        return redirect("monitoring:spaces")
    form = SpaceForm(request.POST or None, instance=space, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        try:
            saved = spaces.save_space(form.save(commit=False), actor=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("%(space)s saved.") % {"space": saved})
            return redirect(saved)
    return render(
        request,
        "monitoring/space_form.html",
        {"form": form, "space": space},
    )


@login_required
@require_POST
def space_confirm(request, pk):
    space = selectors.get_space_for_user(request.user, pk)
    if not is_coordinator(request.user):
        return redirect(space)
    try:
        spaces.confirm_space(space, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(space)s confirmed.") % {"space": space})
    return redirect(space)


@login_required
def space_new_version(request, pk):
    space = selectors.get_space_for_user(request.user, pk, write=True)
    form = NewVersionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            successor = spaces.start_new_version(
                space,
                valid_from=form.cleaned_data["valid_from"],
                name=form.cleaned_data["name"] or None,
                geometry=form.cleaned_data["geometry"],
                actor=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("The new version of %(space)s begins on %(date)s.")
                % {"space": successor, "date": f"{successor.valid_from:%d.%m.%Y}"},
            )
            return redirect(successor)
    return render(request, "monitoring/space_version_form.html", {"form": form, "space": space})


@login_required
def space_export(request, file_format):
    spaces_shown, _day = _filtered(request)
    spaces_shown = spaces_shown.select_related("municipality", "parent")
    if file_format == "geojson":
        response = HttpResponse(
            space_exports.geojson_bytes(spaces_shown), content_type="application/geo+json"
        )
        return private_download(response, "sozialraeume.geojson")
    response = HttpResponse(
        space_exports.spaces_csv(spaces_shown), content_type="text/csv; charset=utf-8"
    )
    return private_download(response, "sozialraeume.csv")
