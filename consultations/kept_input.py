"""Statements typed while the session had expired are not lost (`participation.kept_input`):
the inputs are kept under the consultations' own session key, and restored through the
statement's normal save."""

from django.http import QueryDict

from participation.kept_input import KeptInput, Restored
from participation.kept_input import restore as restore_kept

from . import services
from .inputs import raw_from_post
from .models import Statement

SESSION_KEY = "consultations_kept_input"
KEPT = KeptInput(SESSION_KEY)
keep, take, put_back = KEPT.keep, KEPT.take, KEPT.put_back


def restore(statement: Statement, entries: dict[str, QueryDict], *, actor) -> Restored:
    """Save kept inputs of a statement the actor may draft (the caller checks that) as a
    whole form, each based on the revision the user had seen; conflicts and invalid entries
    come back as `refused`."""
    sections = [
        section for section in statement.consultation.sections.all() if section.key in entries
    ]

    def save(section, raw, *, base_revision):
        return services.save_section_answer(
            statement, section, raw, actor=actor, base_revision=base_revision, whole_form=True
        )

    return restore_kept(statement, entries, sections, read=raw_from_post, save=save)
