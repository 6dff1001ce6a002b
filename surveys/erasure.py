"""Erasure: the organisation's answers stay with the organisation; a name written into one
gives way to the erased person's role (`participation.erasure`)."""

from .models import Answer, AnswerChange


def erase_person(erasure) -> None:
    erasure.scrub(Answer.objects.all(), "value")
    erasure.scrub(AnswerChange.objects.all(), "old_value", "new_value")
