"""Writes for delivery rounds: a coordinator opens a round for its suppliers, a supplier
submits its delivery once every asked figure is there and checked, a coordinator approves
it or sends it back with a comment, and extends the window for one supplier. Filling in
the cells is `values.save_cell`; what stops a submission is `check_delivery`."""

import datetime
from dataclasses import dataclass

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from participation import responses
from participation.models import Organisation
from participation.selectors import is_coordinator

from . import comparison, grid, notices
from .models import Delivery, Review, Round, ValueType
from .values import needs_comment, shown

# A delivery sent back after its window closed stays open for corrections this long.
CORRECTION_DAYS = 7


def _coordinator_only(actor, message):
    """None acts for the platform itself (the demo, a management command), never a view."""
    if actor is not None and not is_coordinator(actor):
        raise ValidationError(message)


def suppliers_without_indicators(indicator_set, suppliers):
    kinds = set(
        indicator_set.indicators.filter(is_active=True).values_list("supplier_kind", flat=True)
    )
    return [organisation for organisation in suppliers if organisation.kind not in kinds]


def save_round(round_: Round, *, actor, suppliers=None, notify=True) -> Round:
    """Create or change a round; `suppliers` (organisations) get a delivery each, and the
    contact people of each new supplier a mail that the round is open, once each
    (`notices.send_open_notices`; `notify=False` for the demo, which mails nobody). A
    supplier that delivers none of the set's indicators is refused by name."""
    _coordinator_only(actor, _("Only the county's coordinators open delivery rounds."))
    round_.full_clean()
    suppliers = list(suppliers or [])
    if unfit := suppliers_without_indicators(round_.indicator_set, suppliers):
        raise ValidationError(
            {
                "suppliers": _("%(names)s deliver none of the set's indicators.")
                % {"names": ", ".join(str(organisation) for organisation in unfit)}
            }
        )
    with transaction.atomic(), set_actor(actor):
        if round_.pk is None:
            round_.created_by = actor
        round_.save()
        new = []
        for organisation in suppliers:
            delivery, created = Delivery.objects.get_or_create(
                round=round_, organisation=organisation
            )
            if created:
                new.append(delivery)
        if notify:
            notices.send_open_notices(new)
    return round_


@dataclass(frozen=True)
class Problem:
    """Something that stops a submission, named for the cell or the municipality."""

    key: str  # the cell's key (of the municipality's total for a sum)
    message: str
    kind: str = "missing"  # "missing", "comment" or "sum"


def check_delivery(delivery, *, the_grid=None, values=None) -> list[Problem]:
    """Every asked figure there; a comment where a figure changed by more than the round's
    share against the last round; where a municipality's total and all its spaces' counts
    are delivered, their sum equals the total. `values`: {cell key: anything with `.number`
    and `.comment`}, as `grid.stored_values` or `grid.stored_figures` give them."""
    the_grid = the_grid or grid.build(delivery)
    values = values if values is not None else grid.stored_figures(delivery)
    previous = previous_figures(delivery, the_grid)
    threshold = delivery.round.change_threshold
    problems = []
    for key, cell in the_grid.cells.items():
        value = values.get(key)
        number = value.number if value else None
        if number is None:
            if cell.required:
                problems.append(
                    Problem(key, _("%(cell)s: no figure yet.") % {"cell": _where(cell)})
                )
        elif needs_comment(number, previous.get(key), threshold) and not value.comment:
            problems.append(
                Problem(
                    key,
                    _(
                        "%(cell)s: %(number)s differs from the last round's %(previous)s by "
                        "more than %(share)s %%; please explain the change in a comment."
                    )
                    % {
                        "cell": _where(cell),
                        "number": shown(number),
                        "previous": shown(previous[key]),
                        "share": formats.number_format(threshold * 100, 0, use_l10n=True),
                    },
                    kind="comment",
                )
            )
    problems.extend(_sum_problems(the_grid, values))
    return problems


def _where(cell) -> str:
    return f"{cell.indicator.name} – {cell.row.label}"


def previous_figures(delivery, the_grid, *, cell=None) -> dict:
    """{cell key: the last round's figure carried to this cell}, for every cell of the grid
    or only for `cell` (one autosave needs no more)."""
    earlier = comparison.previous_round(delivery.round)
    rows = [cell.row] if cell else the_grid.rows
    indicators = [cell.indicator] if cell else the_grid.indicators
    spaces = [row.space for row in rows if row.space]
    municipalities = {row.municipality.pk for row in rows}
    return comparison.carried_values(earlier, indicators, spaces, municipalities)


def _sum_problems(the_grid, values) -> list[Problem]:
    """One pass over the rows: per count indicator and municipality, its total and the
    figures of its spaces."""
    counts = [i.pk for i in the_grid.indicators if i.value_type == ValueType.COUNT]
    totals = {}  # (indicator pk, municipality pk) -> (cell, number)
    parts = {}  # (indicator pk, municipality pk) -> [number]
    for row in the_grid.rows:
        municipality = row.municipality.pk
        for indicator in counts:
            key = f"{indicator}-{row.key}"
            cell = the_grid.cells.get(key)
            if cell is None:
                continue
            value = values.get(key)
            number = value.number if value else None
            if row.space is None:
                totals[(indicator, municipality)] = (cell, number)
            elif cell.required:
                parts.setdefault((indicator, municipality), []).append(number)
    problems = []
    position = {indicator.pk: n for n, indicator in enumerate(the_grid.indicators)}
    for where, (cell, total) in sorted(totals.items(), key=lambda item: position[item[0][0]]):
        numbers = parts.get(where, [])
        if total is None or not numbers or None in numbers:
            continue
        if sum(numbers) != total:
            problems.append(
                Problem(
                    cell.key,
                    _(
                        "%(indicator)s: the spaces of %(municipality)s add up to %(sum)s, "
                        "but the total for the municipality is %(total)s."
                    )
                    % {
                        "indicator": cell.indicator.name,
                        "municipality": cell.row.municipality.name,
                        "sum": shown(sum(numbers)),
                        "total": shown(total),
                    },
                    kind="sum",
                )
            )
    return problems


def submit(delivery, *, actor) -> Delivery:
    """Hand the delivery to the county for review; refused, naming each problem, while a
    figure is missing, a large change is unexplained or a sum does not add up."""
    with transaction.atomic():
        locked = (
            Delivery.objects.select_for_update()
            .select_related("round", "organisation")
            .get(pk=delivery.pk)
        )
        locked.check_editable()
        if problems := check_delivery(locked):
            raise ValidationError([problem.message for problem in problems])
        locked = responses.submit(locked, actor=actor, missing=lambda _response: [])
        locked.review = Review.PENDING
        locked.save(update_fields=["review"])
    return locked


def approve(delivery, *, actor) -> Delivery:
    _coordinator_only(actor, _("Only the county's coordinators approve deliveries."))
    with transaction.atomic(), set_actor(actor):
        locked = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if locked.status != Delivery.Status.SUBMITTED or locked.review == Review.APPROVED:
            raise ValidationError(
                _("Only a submitted delivery that is not approved yet can be approved.")
            )
        locked.review = Review.APPROVED
        locked.reviewed_at = timezone.now()
        locked.reviewed_by = actor
        locked.review_comment = ""
        locked.save(update_fields=["review", "reviewed_at", "reviewed_by", "review_comment"])
    return locked


def send_back(delivery, *, actor, comment: str, today=None, notify=True) -> Delivery:
    """Return a submitted (or approved) delivery for corrections, saying why; the
    supplier's contact people get the comment by mail, once per send-back (`notify=False`
    for the demo). When its window has closed, it stays open for corrections for
    CORRECTION_DAYS days."""
    _coordinator_only(actor, _("Only the county's coordinators send deliveries back."))
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say what the supplier should correct.")})
    today = today or timezone.localdate()
    with transaction.atomic(), set_actor(actor):
        locked = Delivery.objects.select_for_update().select_related("round").get(pk=delivery.pk)
        if locked.status != Delivery.Status.SUBMITTED:
            raise ValidationError(_("Only a submitted delivery can be sent back."))
        locked.status = Delivery.Status.IN_PROGRESS
        locked.submitted_at = None
        locked.submitted_by = None
        locked.review = Review.RETURNED
        locked.review_comment = comment
        locked.reviewed_at = timezone.now()
        locked.reviewed_by = actor
        if locked.is_past_deadline(today):
            locked.deadline_extended_to = today + datetime.timedelta(days=CORRECTION_DAYS)
        locked.save()
        if notify:
            notices.send_return_notice(locked)
    return locked


def extend(delivery, *, actor, until) -> Delivery:
    """Give one supplier more time than the round's window."""
    _coordinator_only(actor, _("Only the county's coordinators extend the delivery window."))
    return responses.extend_deadline(delivery, actor=actor, until=until)


def add_supplier(round_, organisation: Organisation, *, actor, notify=True) -> Delivery:
    """Ask one more supplier; its contact people are told that the round is open."""
    _coordinator_only(actor, _("Only the county's coordinators open delivery rounds."))
    if suppliers_without_indicators(round_.indicator_set, [organisation]):
        raise ValidationError(
            _("%(name)s delivers none of the set's indicators.") % {"name": organisation}
        )
    with transaction.atomic(), set_actor(actor):
        delivery, created = Delivery.objects.get_or_create(round=round_, organisation=organisation)
        if created and notify:
            notices.send_open_notices([delivery])
    return delivery
