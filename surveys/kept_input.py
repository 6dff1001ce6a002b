"""Answers typed while the session had expired are not lost (`participation.kept_input`):
the survey's inputs are kept under their own session key, and restored through the
survey's normal save."""

from django.http import QueryDict

from participation.kept_input import MAX_BYTES, MAX_FIELDS, KeptInput, Restored
from participation.kept_input import restore as restore_kept

from . import services
from .inputs import raw_from_post
from .models import Question, QuestionKind, Response

__all__ = ["KEPT", "MAX_BYTES", "MAX_FIELDS", "SESSION_KEY", "keep", "put_back", "restore", "take"]

SESSION_KEY = "surveys_kept_input"
KEPT = KeptInput(SESSION_KEY)
keep, take, put_back = KEPT.keep, KEPT.take, KEPT.put_back


def restore(response: Response, entries: dict[str, QueryDict], *, actor) -> Restored:
    """Save kept inputs of a response the actor may answer (the caller checks that) through
    `services.save_answer` as a whole form, each based on the revision the user had seen.
    Entries of questions the response no longer has (or of files, which come through their
    own upload) and entries the user had not changed are dropped; conflicts and invalid
    entries come back as `refused` for the user to decide."""
    questions = (
        Question.objects.filter(section__version=response.version_id, key__in=list(entries))
        .exclude(kind=QuestionKind.FILE)
        .select_related("section")
        .order_by("section__position", "position", "pk")
    )

    def save(question, raw, *, base_revision):
        return services.save_answer(
            response, question, raw, actor=actor, base_revision=base_revision, whole_form=True
        )

    return restore_kept(response, entries, questions, read=raw_from_post, save=save)
