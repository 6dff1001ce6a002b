"""Download my data for an invitee without an account, through the invitation whose
personal link they opened (held in the session); every other visitor gets the one neutral
page of an unusable link."""

from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ..privacy import exports, selectors
from ..views import privacy
from . import links
from .views import unavailable

RECENT = 5


def _invitation_or_none(request, pk):
    """Only the invitation whose personal link this visitor opened."""
    return links.invitation_from_session(request, pk)


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_data(request, pk):
    invitation = _invitation_or_none(request, pk)
    if invitation is None:
        return unavailable(request)
    if request.method == "POST":
        export = exports.request_for_invitation(invitation)
        return redirect("participation:invitation_data_export", pk=pk, export_pk=export.pk)
    recent = selectors.exports_of_invitation(invitation)[:RECENT]
    return privacy.request_page(
        request, recent, action=reverse("participation:invitation_data", args=[pk])
    )


@never_cache
def invitation_data_export(request, pk, export_pk):
    invitation = _invitation_or_none(request, pk)
    if invitation is None:
        return unavailable(request)
    export = selectors.get_data_export_for_invitation(invitation, export_pk)
    return privacy.export_page(
        request,
        export,
        status_url=reverse("participation:invitation_data_export", args=[pk, export_pk]),
        download_url=reverse("participation:invitation_data_download", args=[pk, export_pk]),
        back_url=reverse("participation:invitation_reply", args=[pk]),
    )


@never_cache
def invitation_data_download(request, pk, export_pk):
    invitation = _invitation_or_none(request, pk)
    if invitation is None:
        return unavailable(request)
    export = selectors.get_data_export_for_invitation(invitation, export_pk)
    return privacy.download(request, export)
