"""Who may see which workshop, and the reads its pages share.

- coordinators see every workshop;
- a signed-in user sees the workshops they are invited to (their registry person holds an
  invitation) once published: also when done or cancelled, so the outcome stays visible;
- an invitee without an account reaches only the documentation (and its documents) through
  the session their personal link left (see `participation.events.links`).
Everything else answers 404."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404

from participation.events.links import SESSION_KEY
from participation.events.selectors import invitations_of, with_delivery_status
from participation.models import EventStatus, Invitation, Organisation, Reply
from participation.personal_links import held_in_session
from participation.selectors import get_or_404, is_coordinator

from .models import Document, Workshop

SEEN_BY_INVITEES = [EventStatus.PUBLISHED, EventStatus.DONE, EventStatus.CANCELLED]
EDITABLE = [EventStatus.DRAFT, EventStatus.PUBLISHED]


def _workshop_type():
    return ContentType.objects.get_for_model(Workshop)


def own_invitations(user):
    """The invitations of workshops addressed to the user's registry person."""
    if not (user and user.is_authenticated):
        return Invitation.objects.none()
    return Invitation.objects.filter(event_type=_workshop_type(), person__user=user)


def visible_workshops(user):
    if is_coordinator(user):
        return Workshop.objects.all()
    if not (user and user.is_authenticated):
        return Workshop.objects.none()
    return Workshop.objects.filter(
        status__in=SEEN_BY_INVITEES, pk__in=own_invitations(user).values("event_id")
    )


def get_workshop_for_user(user, pk, *, write=False):
    if write and not is_coordinator(user):
        raise Http404
    return get_or_404(visible_workshops(user), pk)


def workshop_list(user):
    """The list's rows: coordinators get counts of invited and accepted, invitees their
    own reply. One query whatever the number of workshops."""
    workshops = visible_workshops(user)
    if is_coordinator(user):
        return workshops.annotate(
            invited_count=Count("invitations", distinct=True),
            accepted_count=Count(
                "invitations",
                filter=Q(invitations__reply=Reply.ACCEPTED, invitations__waitlisted_at=None),
                distinct=True,
            ),
        ).order_by("-start", "pk")
    own = own_invitations(user).filter(event_id=OuterRef("pk"))
    return workshops.annotate(own_reply=Subquery(own.values("reply")[:1])).order_by("-start", "pk")


def invitation_for(user, workshop) -> Invitation | None:
    return own_invitations(user).filter(event_id=workshop.pk).first()


def holds_invitation(request, workshop) -> bool:
    """Whether the visitor is invited to the workshop: signed in as the invited person, or
    holding one of its invitations in the session of a personal link."""
    invited = invitations_of(workshop)
    ids = held_in_session(request.session, SESSION_KEY)
    condition = Q(pk__in=ids)
    if request.user.is_authenticated:
        condition |= Q(person__user=request.user)
    return invited.filter(condition).exists()


def visible_documents(request, workshop):
    """The workshop's documents this visitor may download: all for coordinators; for an
    invitee the material of a workshop they see, and the documentation once shared."""
    documents = workshop.documents.all()
    if is_coordinator(request.user):
        return documents
    if workshop.status not in SEEN_BY_INVITEES or not holds_invitation(request, workshop):
        return documents.none()
    if workshop.documentation_published:
        return documents
    return documents.filter(for_documentation=False)


def get_document_for_request(request, workshop_pk, pk) -> Document:
    workshop = get_or_404(Workshop.objects.all(), workshop_pk)
    return get_or_404(visible_documents(request, workshop), pk)


def get_documentation_for_request(request, pk) -> Workshop:
    """The workshop whose documentation the visitor may read: coordinators always, invitees
    once it is shared; 404 for everybody else."""
    workshop = get_or_404(Workshop.objects.all(), pk)
    if is_coordinator(request.user):
        return workshop
    if workshop.documentation_published and holds_invitation(request, workshop):
        return workshop
    raise Http404


# --- the coordinators' pages ----------------------------------------------------------------


def invitation_rows(workshop):
    """Every invitation with its delivery status, organisation and whom a deputy stands in
    for: one query."""
    return with_delivery_status(
        invitations_of(workshop).select_related("organisation", "deputy_for", "reply_recorded_by")
    ).order_by("name", "email")


def filter_by_reply(invitations, reply):
    """`reply`: one of Reply's answers, "none" for no reply yet, "waitlisted" or "failed";
    anything else ("" for all invitations) filters nothing."""
    if reply == "waitlisted":
        return invitations.filter(waitlisted_at__isnull=False)
    if reply == "failed":
        return invitations.filter(delivery_status="failed")
    if reply == "none":
        return invitations.filter(reply=Reply.NONE, informed=False)
    if reply and reply in Reply.values:
        return invitations.filter(reply=reply)
    return invitations


def reply_counts(workshop) -> dict:
    """How many accepted (with a place), are waitlisted, tentative, declined, not replied,
    checked in; one query."""
    return invitations_of(workshop).aggregate(
        accepted=Count("pk", filter=Q(reply=Reply.ACCEPTED, waitlisted_at=None)),
        waitlisted=Count("pk", filter=Q(waitlisted_at__isnull=False)),
        tentative=Count("pk", filter=Q(reply=Reply.TENTATIVE)),
        declined=Count("pk", filter=Q(reply=Reply.DECLINED)),
        none=Count("pk", filter=Q(reply=Reply.NONE, informed=False)),
        informed=Count("pk", filter=Q(informed=True)),
        checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
        total=Count("pk"),
    )


@dataclass
class Attendee:
    invitation: Invitation
    represented_by: list[Invitation] = field(default_factory=list)


@dataclass
class OrganisationGroup:
    organisation: Organisation | None
    attendees: list[Attendee]

    @property
    def checked_in(self):
        return sum(1 for attendee in self.attendees if attendee.invitation.attended)

    @property
    def expected(self):
        return sum(1 for attendee in self.attendees if attendee.invitation.has_place)


def attendance(workshop) -> list[OrganisationGroup]:
    """Who is expected, grouped by the organisation they come for (organisations by name,
    people without one last): everyone who accepted, is tentative or was checked in, and
    those who declined but sent a deputy ("represented by"). One query."""
    invitations = list(
        invitations_of(workshop)
        .filter(
            Q(reply__in=[Reply.ACCEPTED, Reply.TENTATIVE])
            | Q(checked_in_at__isnull=False)
            | Q(deputies__isnull=False)
        )
        .select_related("organisation", "deputy_for__organisation")
        .distinct()
        .order_by("name", "email")
    )
    deputies = {}
    for invitation in invitations:
        if invitation.deputy_for_id:
            deputies.setdefault(invitation.deputy_for_id, []).append(invitation)
    groups: dict[int | None, OrganisationGroup] = {}
    for invitation in invitations:
        organisation = invitation.organisation or (
            invitation.deputy_for.organisation if invitation.deputy_for_id else None
        )
        key = organisation.pk if organisation else None
        group = groups.setdefault(key, OrganisationGroup(organisation, []))
        group.attendees.append(Attendee(invitation, deputies.get(invitation.pk, [])))
    return sorted(
        groups.values(),
        key=lambda group: (group.organisation is None, str(group.organisation or "").lower()),
    )


def sign_in_sheet(workshop):
    """Everyone with a place or a tentative reply, by organisation, then name."""
    return (
        invitations_of(workshop)
        .filter(Q(reply=Reply.ACCEPTED, waitlisted_at=None) | Q(reply=Reply.TENTATIVE))
        .select_related("organisation", "deputy_for")
        .order_by("organisation__name", "name", "email")
    )
