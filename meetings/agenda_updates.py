"""The agenda goes with the invitation and with every update: the agenda as it was sent is
kept (`AgendaVersion`: number 0 with the invitations), the meeting page tells the
coordinator what changed since, and "Send the updated agenda" claims the next version and
sends it, changes marked, to every invitee who has not declined and to the informed
deputies, through the base's pipeline (`invitations.send_programme_update`): each of them
gets each version once."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from participation.events import invitations
from participation.events.selectors import invitations_of, update_recipients
from participation.models import EventStatus

from .agenda_changes import AgendaChanges
from .models import AgendaVersion, Meeting


@dataclass
class AgendaState:
    """What the meeting page and the API show of the agenda as sent."""

    last_sent: AgendaVersion | None
    changes: AgendaChanges | None  # None when no agenda is recorded as sent
    invited: bool

    @property
    def may_send(self) -> bool:
        """An update is due: people are invited and the agenda changed since it was sent
        (or it is not known what they were sent)."""
        return self.invited and (self.changes is None or bool(self.changes))


def last_sent(meeting: Meeting) -> AgendaVersion | None:
    return meeting.agenda_versions.order_by("-number").first()


def agenda_state(meeting: Meeting) -> AgendaState:
    sent = last_sent(meeting)
    invited = meeting.status == EventStatus.PUBLISHED and invitations_of(meeting).exists()
    changes = AgendaChanges.between(sent.items, meeting.agenda_snapshot()) if sent else None
    return AgendaState(last_sent=sent, changes=changes, invited=invited)


def update_recipients_of(meeting: Meeting):
    """Who the update goes to: invitees who have not declined, and the informed deputies."""
    return update_recipients(meeting).select_related("organisation", "deputy_for")


def record_agenda_with_invitations(meeting: Meeting, *, actor) -> None:
    """The agenda the invitations carry is version 0, kept once (the first sending)."""
    if invitations_of(meeting).exists() and not meeting.agenda_versions.exists():
        AgendaVersion.objects.get_or_create(
            meeting=meeting,
            number=0,
            defaults={"items": meeting.agenda_snapshot(), "sent_by": actor},
        )


def send_agenda_update(meeting: Meeting, *, actor) -> tuple[AgendaVersion, int]:
    """Claim the next version of the agenda and send it to the invitees who have not
    declined and the informed deputies. Refused when nobody is invited or the agenda has
    not changed since it was last sent. Returns the version and how many are told."""
    if meeting.status != EventStatus.PUBLISHED:
        raise ValidationError(_("Only a published meeting's invitees can be sent an update."))
    with transaction.atomic():
        # Two coordinators pressing "send" at once: the second sees the first's version.
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        state = agenda_state(meeting)
        if not state.invited:
            raise ValidationError(_("Nobody is invited to this meeting yet."))
        if not state.may_send:
            raise ValidationError(_("The agenda has not changed since it was last sent."))
        number = (meeting.agenda_versions.aggregate(last=Max("number"))["last"] or 0) + 1
        version = AgendaVersion.objects.create(
            meeting=meeting, number=number, items=meeting.agenda_snapshot(), sent_by=actor
        )
        sent = invitations.send_programme_update(meeting, actor=actor, key=version.key)
    return version, sent
