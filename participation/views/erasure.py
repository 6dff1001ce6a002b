"""Erasure (Art. 17 GDPR): the signed-in person asks (an invitee asks through their personal
link: `events.views.erasure_request`), the coordinators' queue, and the coordinator's
confirmation page that names what will happen before anything is erased."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .. import erasure_requests, selectors
from ..forms import DismissErasureRequestForm, ErasureRequestForm
from ..models import BodyMembership, Invitation, Membership
from .common import require_coordinator


@login_required
@never_cache
def request_page(request):
    """The account page's erasure: explain, confirm with the password, tell it was received."""
    person = erasure_requests.person_of_account(request.user)
    open_request = erasure_requests.open_request_of(person) if person else None
    form = ErasureRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and open_request is None and form.is_valid():
        person = person or erasure_requests.record_person_of_account(request.user)
        open_request, _created = erasure_requests.request_erasure(person=person)
        messages.success(request, _("Your request for erasure has been received."))
        return redirect("participation:erasure_request")
    context = {"form": form, "open_request": open_request}
    return render(request, "participation/erasure/request.html", context)


@login_required
def request_list(request):
    require_coordinator(request.user)
    requests = erasure_requests.requests_for_coordinator(request.user)
    only_open = request.GET.get("state") == "open"
    if only_open:
        requests = requests.open()
    context = {"requests": list(requests[:200]), "only_open": only_open}
    return render(request, "participation/erasure/request_list.html", context)


@login_required
def erase_person_page(request, pk):
    """The coordinator's confirmation page: what will happen, then erase."""
    require_coordinator(request.user)
    person = selectors.get_person_for_user(request.user, pk, write=True)
    if request.method == "POST":
        erasure_requests.erase(person, actor=request.user, http_request=request)
        messages.success(request, _("The personal data has been erased."))
        return _result(person)
    done = erasure_requests.last_erasure_of(person) if person.erased_at else None
    return _confirmation(request, person=person, invitation=None, done=done)


@login_required
def erase_request_page(request, pk):
    """The same from a request in the queue (an invitee outside the registry has no person
    page)."""
    row = erasure_requests.get_erasure_request_for_user(request.user, pk, write=True)
    if request.method == "POST" and not row.is_dismissed:
        person = erasure_requests.erase_request(row, actor=request.user, http_request=request)
        messages.success(request, _("The personal data has been erased."))
        return _result(person)
    return _request_page(request, row, DismissErasureRequestForm())


@login_required
@require_POST
def dismiss_request_page(request, pk):
    """Decline the request with a reason (the form on the request's page)."""
    row = erasure_requests.get_erasure_request_for_user(request.user, pk, write=True)
    form = DismissErasureRequestForm(request.POST)
    if form.is_valid():
        try:
            erasure_requests.dismiss_request(
                row, reason=form.cleaned_data["reason"], actor=request.user
            )
        except ValidationError as error:
            form.add_error("reason", error)
        else:
            messages.success(
                request, _("The request has been declined; the requester was told the reason.")
            )
            return redirect("participation:erasure_request_list")
    return _request_page(request, row, form, status=400)


def _request_page(request, row, dismiss_form, *, status=200):
    done = row if row.done_at is not None else None
    return _confirmation(
        request,
        person=row.person,
        invitation=row.invitation,
        done=done,
        request_row=row,
        dismiss_form=dismiss_form if row.is_open else None,
        status=status,
    )


def _result(person):
    """After an erasure: the request it was recorded on, with the files to check by hand."""
    done = erasure_requests.last_erasure_of(person)
    if done is None:
        return redirect(person)
    return redirect("participation:erasure_request_erase", done.pk)


def _confirmation(
    request, *, person, invitation, done=None, request_row=None, dismiss_form=None, status=200
):
    now = timezone.now()
    context = {
        "person": person,
        "invitation": invitation,
        "erased": False,
        "request_row": request_row,
        "dismiss_form": dismiss_form,
    }
    if person is not None:
        context |= {
            "erased": person.erased_at is not None,
            "files_to_check": erasure_requests.files_to_check(done),
            "seats": BodyMembership.objects.filter(person=person).current().count(),
            "memberships": Membership.objects.filter(person=person).current().count(),
            "account": person.user_id is not None,
            "invitations": _invitations_by_time(Invitation.objects.filter(person=person), now=now),
        }
    elif invitation is not None:
        same_address = Invitation.objects.filter(email__iexact=invitation.email)
        context["invitations"] = _invitations_by_time(same_address, now=now)
    return render(request, "participation/erasure/confirm.html", context, status=status)


def _invitations_by_time(invitations, *, now):
    coming = past = 0
    for invitation in invitations:
        event = invitation.event
        if event is not None and event.end < now:
            past += 1
        else:
            coming += 1
    return {"coming": coming, "past": past}
