"""The workshops' purge (the contract is in `participation.purging`): the display names of
a live session's participants, once the session has ended and the period has passed.

A name becomes "Participant 1", "Participant 2" … in the order they joined (in the
installation's language), so the results and the questions keep telling participants
apart; the audit entries on a participant quote the new name too."""

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext

from participation.audit import redact_entries
from participation.purging import Purge

from .live.models import LiveParticipant, LiveSession


def remove_live_names(*, before) -> int:
    """Sessions closed before `before`, or never closed and whose workshop ended before
    it; each once (`names_removed_at`), and once more if it was reopened and closed again."""
    sessions = LiveSession.objects.filter(
        Q(names_removed_at__isnull=True) | Q(names_removed_at__lt=F("closed_at"))
    ).filter(Q(closed_at__lt=before) | Q(closed_at__isnull=True, workshop__end__lt=before))
    sessions = list(sessions)
    renamed, quoted = [], {}
    with translation.override(settings.LANGUAGE_CODE):
        participants = LiveParticipant.objects.filter(session__in=sessions).order_by(
            "session", "joined_at", "pk"
        )
        numbers = {}
        for participant in participants:
            numbers[participant.session_id] = numbers.get(participant.session_id, 0) + 1
            new = gettext("Participant %(number)s") % {"number": numbers[participant.session_id]}
            if participant.display_name == new:
                continue
            quoted[participant.pk] = {participant.display_name: new}
            participant.display_name = new
            renamed.append(participant)
    redact_entries(LiveParticipant, quoted)
    LiveParticipant.objects.bulk_update(renamed, ["display_name"])
    LiveSession.objects.filter(pk__in=[session.pk for session in sessions]).update(
        names_removed_at=timezone.now()
    )
    return len(renamed)


PURGES = [Purge("live_names", remove_live_names)]
