"""A meeting's invitations ("Einladungen versenden"): by default the body's seats, through
the base's pipeline, so a meeting's invitation mail, reply page, deputies and calendar
updates work like a workshop's. Principals are invited; a seat's registered deputy is
informed and invited when the principal declines (participation.events)."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from participation.events import audiences, invitations
from participation.events.selectors import entries_of
from participation.models import AudienceEntry

from . import agenda_updates
from .models import Meeting


@dataclass
class InvitationPreview:
    """Who sending would notify now, and who is invited already."""

    invite: list  # Recipients who get an invitation
    inform: list  # (Recipient, principal's name): the seats' registered deputies, informed
    already: list  # Recipients invited (or informed) before
    problems: list

    @property
    def is_empty(self) -> bool:
        return not (self.invite or self.inform)


def _body_entry(meeting: Meeting):
    """The body's entry, unsaved, unless the meeting's audience names the body already."""
    body = meeting.series.body
    if entries_of(meeting).filter(kind=AudienceEntry.Kind.BODY, body=body).exists():
        return []
    return [
        AudienceEntry(
            event_type=ContentType.objects.get_for_model(meeting),
            event_id=meeting.pk,
            kind=AudienceEntry.Kind.BODY,
            body=body,
        )
    ]


def invitation_preview(meeting: Meeting) -> InvitationPreview:
    state = audiences.audience_state(meeting, extra_entries=_body_entry(meeting))
    to_invite = state.to_invite
    names = {recipient.email: recipient.name for recipient in state.preview.recipients}
    return InvitationPreview(
        invite=[r for r in to_invite if not r.informed],
        inform=[(r, names.get(r.deputy_of, r.deputy_of)) for r in to_invite if r.informed],
        already=[r for r in state.preview.recipients if r.email in state.invited],
        problems=state.preview.problems,
    )


def send_meeting_invitations(meeting: Meeting, *, actor) -> int:
    """Add the body to the meeting's audience (once) and invite whoever is not invited
    yet; returns how many were invited (informed deputies not counted). Sending again
    invites only newcomers."""
    with transaction.atomic():
        audiences.add_audience_entry(
            meeting, actor=actor, kind=AudienceEntry.Kind.BODY, body=meeting.series.body
        )
        invited = invitations.send_invitations(meeting, actor=actor)
        agenda_updates.record_agenda_with_invitations(meeting, actor=actor)
        return invited
