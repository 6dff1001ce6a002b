"""A supplier's delivery: the grid of spaces × indicators its members fill in together
(each cell saves itself as it is left, through the base's autosave.js; without JavaScript
the whole grid is saved with one button), the history of its changes, submitting it, and
the county's review: approve, send back with a comment, extend the window."""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from participation.responses import AnswerConflict, posted_revision
from participation.selectors import is_coordinator, own_organisation_ids
from participation.views.common import add_error_message

from .. import grid, rounds, selectors
from ..forms import DeliveryFileForm, ExtendForm, SendBackForm
from ..models import ValueChange
from ..values import Entry, needs_comment, plain, save_cell


def number_text(number: Decimal | None) -> str:
    """A stored figure as it is typed: the decimal separator of the language, no grouping."""
    if number is None:
        return ""
    return formats.number_format(plain(number), use_l10n=True, force_grouping=False)


@dataclass
class CellState:
    cell: grid.Cell
    value: object = None
    previous: Decimal | None = None
    threshold: Decimal = Decimal("0.25")
    entry: Entry | None = None
    error: str = ""
    conflict: object = None

    @property
    def key(self):
        return self.cell.key

    @property
    def revision(self):
        return self.value.revision if self.value is not None and self.value.pk else 0

    @property
    def number(self):
        if self.entry is not None:
            return self.entry.number
        return number_text(self.value.number if self.value is not None else None)

    @property
    def comment(self):
        if self.entry is not None:
            return self.entry.comment
        return self.value.comment if self.value is not None else ""

    @property
    def asks_comment(self):
        number = self.value.number if self.value is not None else None
        return needs_comment(number, self.previous, self.threshold)

    @property
    def shows_comment(self):
        return bool(self.asks_comment or self.comment)

    @property
    def suppressed(self):
        return self.value is not None and self.value.suppressed

    @property
    def previous_text(self):
        return number_text(self.previous)

    @property
    def label(self):
        return f"{self.cell.indicator.name} – {self.cell.row.label}"


def _entry(post, key) -> Entry:
    return Entry(
        number=post.get(f"q-{key}-number", ""),
        comment=post.get(f"q-{key}-comment", ""),
    )


def _may_fill(user, delivery) -> bool:
    return own_organisation_ids(user).filter(organisation_id=delivery.organisation_id).exists()


def _editable(user, delivery):
    """(may change now, why not)."""
    try:
        delivery.check_editable()
    except ValidationError as error:
        return False, " ".join(error.messages)
    if not _may_fill(user, delivery):
        return False, _("Only members of %(supplier)s fill in this delivery.") % {
            "supplier": delivery.organisation
        }
    return True, ""


def render_delivery_page(request, delivery, *, states=None, problems=None, status=200, **extra):
    the_grid = grid.build(delivery)
    values = grid.stored_values(delivery)
    previous = rounds.previous_figures(delivery, the_grid)
    threshold = delivery.round.change_threshold
    states = states or {}
    table = []
    for row in the_grid.rows:
        cells = []
        for indicator in the_grid.indicators:
            cell = the_grid.cell(row, indicator)
            if cell is None:
                cells.append(None)
                continue
            state = states.get(cell.key) or CellState(
                cell, values.get(cell.key), previous.get(cell.key), threshold
            )
            cells.append(state)
        table.append((row, cells))
    editable, read_only_reason = _editable(request.user, delivery)
    required = the_grid.required_cells
    entered = sum(
        1 for cell in required if (v := values.get(cell.key)) is not None and v.number is not None
    )
    context = {
        "delivery": delivery,
        "round": delivery.round,
        "grid": the_grid,
        "table": table,
        "editable": editable,
        "read_only_reason": read_only_reason,
        "problems": problems,
        "entered": entered,
        "asked": len(required),
        "may_review": is_coordinator(request.user),
        "send_back_form": SendBackForm(),
        "extend_form": ExtendForm(),
        "file_form": DeliveryFileForm(),
        **extra,
    }
    return render(request, "monitoring/delivery.html", context, status=status)


@login_required
def delivery_page(request, pk):
    delivery = selectors.get_delivery_for_user(request.user, pk)
    return render_delivery_page(request, delivery)


def _save_one(request, delivery, cell, *, previous, whole_form=False):
    state = CellState(cell, None, previous.get(cell.key), delivery.round.change_threshold)
    entry = _entry(request.POST, cell.key)
    try:
        state.value = save_cell(
            delivery,
            cell,
            entry,
            actor=request.user,
            base_revision=posted_revision(request.POST, cell.key),
            whole_form=whole_form,
        )
    except AnswerConflict as conflict:
        state.conflict, state.entry, state.value = conflict.answer, entry, conflict.answer
    except ValidationError as error:
        state.error, state.entry = " ".join(error.messages), entry
    return state


@login_required
@require_POST
def save_delivery(request, pk):
    """Without JavaScript: every cell of the grid is saved at once."""
    delivery = selectors.get_delivery_for_user(request.user, pk, write=True)
    the_grid = grid.build(delivery)
    previous = rounds.previous_figures(delivery, the_grid)
    states = {}
    try:
        delivery.check_editable()
    except ValidationError as error:
        add_error_message(request, error)
        return redirect(delivery)
    for cell in the_grid.cells.values():
        if f"q-{cell.key}-number" not in request.POST:
            continue
        state = _save_one(request, delivery, cell, previous=previous, whole_form=True)
        if state.error or state.conflict:
            states[cell.key] = state
    if not states:
        messages.success(request, _("The delivery is saved."))
        return redirect(delivery)
    return render_delivery_page(
        request, delivery, states=states, status=400, refused=list(states.values())
    )


@login_required
@require_POST
def save_delivery_cell(request, pk, key):
    """htmx autosave of one cell: answers with the cell, redrawn."""
    delivery = selectors.get_delivery_for_user(request.user, pk, write=True)
    the_grid = grid.build(delivery)
    cell = the_grid.cells.get(key)
    if cell is None:
        raise Http404
    previous = rounds.previous_figures(delivery, the_grid, cell=cell)
    state = _save_one(request, delivery, cell, previous=previous)
    status = 400 if state.error else 409 if state.conflict else 200
    context = {"delivery": delivery, "state": state, "editable": True}
    return render(request, "monitoring/_cell.html", context, status=status)


@login_required
def delivery_history(request, pk):
    delivery = selectors.get_delivery_for_user(request.user, pk)
    changes = (
        ValueChange.objects.filter(answer__response=delivery)
        .select_related("changed_by", "answer__indicator", "answer__space", "answer__municipality")
        .order_by("-changed_at", "-pk")[:500]
    )
    return render(
        request, "monitoring/delivery_history.html", {"delivery": delivery, "changes": changes}
    )


@login_required
@require_POST
def submit_delivery(request, pk):
    delivery = selectors.get_delivery_for_user(request.user, pk, write=True)
    try:
        rounds.submit(delivery, actor=request.user)
    except ValidationError as error:
        problems = error.messages
        return render_delivery_page(request, delivery, problems=problems, status=400)
    messages.success(request, _("The delivery is submitted; the county reviews it now."))
    return redirect(delivery)


@login_required
@require_POST
def approve_delivery(request, pk):
    delivery = selectors.get_delivery_for_review(request.user, pk)
    try:
        rounds.approve(delivery, actor=request.user)
    except ValidationError as error:
        add_error_message(request, error)
    else:
        messages.success(
            request,
            _("The delivery of %(supplier)s is approved.") % {"supplier": delivery.organisation},
        )
    return redirect(delivery)


@login_required
@require_POST
def send_back_delivery(request, pk):
    delivery = selectors.get_delivery_for_review(request.user, pk)
    form = SendBackForm(request.POST)
    if form.is_valid():
        try:
            rounds.send_back(delivery, actor=request.user, comment=form.cleaned_data["comment"])
        except ValidationError as error:
            add_error_message(request, error)
        else:
            messages.success(
                request,
                _("The delivery is sent back to %(supplier)s.")
                % {"supplier": delivery.organisation},
            )
            return redirect(delivery)
    return render_delivery_page(request, delivery, send_back_form=form, status=400)


@login_required
@require_POST
def extend_delivery(request, pk):
    delivery = selectors.get_delivery_for_review(request.user, pk)
    form = ExtendForm(request.POST)
    if form.is_valid():
        try:
            rounds.extend(delivery, actor=request.user, until=form.cleaned_data["until"])
        except ValidationError as error:
            form.add_error("until", error.messages)
        else:
            messages.success(
                request,
                _("%(supplier)s can deliver until %(date)s.")
                % {
                    "supplier": delivery.organisation,
                    "date": formats.date_format(form.cleaned_data["until"]),
                },
            )
            return redirect(delivery)
    return render_delivery_page(request, delivery, extend_form=form, status=400)
