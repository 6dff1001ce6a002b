"""Erasure: the organisation's statement stays with the organisation (its responsible member
shows as "former member"); a name written into a statement, the weighing or a published
result gives way to the erased person's role (`participation.erasure`)."""

from .models import (
    Attachment,
    Publication,
    SectionAnswer,
    SectionAnswerChange,
    WeighingPoint,
)


def erase_person(erasure) -> None:
    erasure.scrub(SectionAnswer.objects.all(), "value")
    erasure.scrub(SectionAnswerChange.objects.all(), "old_value", "new_value")
    erasure.scrub(WeighingPoint.objects.all(), "text", "reasons")
    erasure.scrub(Publication.objects.all(), "content")
    erasure.scrub(Attachment.objects.all(), "title", "original_name")
