"""Erasure: the live-session contributions stay, their author becomes "former member"; a name
written into a workshop's texts gives way to the erased person's role
(`participation.erasure`)."""

from django.db.models import Q

from .live.models import Card, LiveParticipant, Question
from .models import AgendaItem, Document, Workshop


def erase_person(erasure) -> None:
    own = Q(invitation_id__in=erasure.invitation_ids)
    if erasure.user is not None:
        own |= Q(user=erasure.user)
    LiveParticipant.objects.filter(own).update(display_name=erasure.former_member)
    erasure.scrub(LiveParticipant.objects.all(), "display_name")
    erasure.scrub(Card.objects.all(), "text")
    erasure.scrub(Question.objects.all(), "text")
    erasure.scrub(AgendaItem.objects.all(), "title", "presenter")
    erasure.scrub(Workshop.objects.all(), "description", "results", "minutes")
    erasure.scrub(Document.objects.all(), "title", "original_name")
