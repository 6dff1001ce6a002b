"""Access to a workshop for the coordinators' pages (the workshop pages and the live console)."""

from participation.views.common import require_coordinator

from . import selectors


def coordinator_workshop(request, pk):
    """The workshop for a coordinator's page; 404 for everybody else."""
    require_coordinator(request.user)
    return selectors.get_workshop_for_user(request.user, pk, write=True)
