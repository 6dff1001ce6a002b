"""Saving many cells of one delivery at once, all or nothing: every cell is checked first
(known to the delivery's grid, given once, a figure that fits its indicator, a comment not
too long), and only when none is refused are they stored, in one transaction under the
engine's conflict rule. A cell someone else changed since its given revision stops the
whole batch; nothing of it is kept then."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from participation.responses import AnswerConflict

from . import grid
from .values import Entry, as_stored, parse_number, save_cell


@dataclass(frozen=True)
class CellEdit:
    """What a caller sends for one cell: its key, the figure and comment as typed, and the
    revision the edit started from (0 for a cell never saved)."""

    key: str
    entry: Entry
    revision: int = 0


@dataclass(frozen=True)
class CellError:
    index: int  # the edit's position in the list given
    key: str
    message: str


class CellsRefused(Exception):
    """At least one cell cannot be stored; `errors` names each with its reason."""

    def __init__(self, errors: list[CellError]):
        super().__init__(f"{len(errors)} cells refused")
        self.errors = errors


class CellsConflict(Exception):
    """Someone changed these cells since the caller's revision: [(key, current Value)]."""

    def __init__(self, conflicts):
        super().__init__(f"{len(conflicts)} cells changed meanwhile")
        self.conflicts = conflicts


def check_cells(the_grid, edits) -> list[CellError]:
    """The reasons the cells cannot be stored, without touching the database."""
    errors = []
    seen = set()
    for index, edit in enumerate(edits):
        cell = the_grid.cells.get(edit.key)
        if cell is None:
            message = _("This delivery has no cell “%(key)s”.") % {"key": edit.key}
        elif edit.key in seen:
            message = _("The cell “%(key)s” is given twice.") % {"key": edit.key}
        else:
            seen.add(edit.key)
            try:
                as_stored(parse_number(edit.entry.number, cell.indicator), edit.entry.comment)
            except ValidationError as error:
                message = " ".join(error.messages)
            else:
                continue
        errors.append(CellError(index, edit.key, message))
    return errors


def save_cells(delivery, edits: list[CellEdit], *, actor, the_grid=None) -> dict:
    """Store every edit or none. Raises ValidationError naming why the delivery is locked,
    CellsRefused when any cell is refused, CellsConflict when any cell changed since its
    revision. Returns {key: Value} of the cells as stored."""
    delivery.check_editable()
    the_grid = the_grid or grid.build(delivery)
    if errors := check_cells(the_grid, edits):
        raise CellsRefused(errors)
    saved, conflicts = {}, []
    with transaction.atomic():
        for edit in edits:
            try:
                saved[edit.key] = save_cell(
                    delivery,
                    the_grid.cells[edit.key],
                    edit.entry,
                    actor=actor,
                    base_revision=edit.revision,
                )
            except AnswerConflict as conflict:
                conflicts.append((edit.key, conflict.answer))
        if conflicts:
            transaction.set_rollback(True)
    if conflicts:
        raise CellsConflict(conflicts)
    return saved
