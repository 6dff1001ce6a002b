"""Demo delivery rounds, seeded after the spaces and indicators (`demo.seed`): the round on
31 December 2025, delivered and approved by everyone; and the round on 30 June 2026, whose
window is open around the day the demo is started: Siegburg has submitted and waits for the
county's review, Troisdorf (the demo member's municipality) is half way through with one
large change still to explain, Much has not begun, the Jobcenter's delivery was sent back, a
welfare association has been given more time, and the county office's own is approved.
Figures are invented but consistent: the neighbourhoods add up to their municipality's total.
Idempotent: a round whose name exists is left alone."""

import datetime
import hashlib
from decimal import Decimal

from django.utils import timezone

from participation.models import Membership, Organisation, OrganisationKind

from . import grid, rounds
from .models import IndicatorSet, Round, ValueType
from .values import Entry, save_cell

EARLIER = "Quartiersprofil zum 31.12.2025"
CURRENT = "Quartiersprofil zum 30.06.2026"
CHANGE_EXPLAINED = "Neuzuschnitt der Sozialräume zum 1.1.2026; Zahlen neu ermittelt."
MUNICIPALITIES = ["05382060", "05382068", "05382036"]  # Siegburg, Troisdorf, Much


def _figure(seed: str, indicator, *, low=0, high=None) -> Decimal:
    """A stable invented figure for a cell."""
    digest = int(hashlib.sha256(seed.encode()).hexdigest()[:8], 16)
    if indicator.value_type == ValueType.COUNT:
        ceiling = high or 4000
        return Decimal(low + digest % max(ceiling - low, 1))
    if indicator.value_type == ValueType.PERCENTAGE:
        return Decimal(5 + digest % 3500) / 100
    return Decimal(digest % 9000) / 100 - (
        Decimal(45) if indicator.minimum and indicator.minimum < 0 else 0
    )


def _author(organisation, coordinator):
    membership = (
        Membership.objects.current()
        .filter(organisation=organisation, person__user__isnull=False)
        .select_related("person__user")
        .order_by("pk")
        .first()
    )
    return membership.person.user if membership else coordinator


def _fill(delivery, actor, *, year, share=1.0, bump=None):
    """Fill `share` of the delivery's cells; sums are kept consistent. `bump`: a cell key
    whose figure doubles against the earlier round."""
    the_grid = grid.build(delivery)
    cells = list(the_grid.cells.values())
    limit = int(len(cells) * share)
    totals = {}
    figures = {}
    for cell in cells:
        if cell.row.space is None or not cell.required:
            continue
        seed = f"{cell.indicator.code}-{cell.row.space.key}"
        number = _figure(seed, cell.indicator, high=400 if cell.indicator.suppress_below else None)
        if cell.indicator.suppress_below and cell.row.space.key.endswith("Q02"):
            number = Decimal(cell.indicator.suppress_below - 1)  # a small number, suppressed
        if year == 2026 and cell.indicator.value_type == ValueType.COUNT:
            number = (number * Decimal("1.02")).quantize(Decimal(1))
        if cell.key == bump:
            number *= 2
        totals.setdefault((cell.indicator.pk, cell.row.municipality.pk), Decimal(0))
        totals[(cell.indicator.pk, cell.row.municipality.pk)] += number
        figures[cell.key] = number
    for index, cell in enumerate(cells):
        if index >= limit:
            break
        if cell.row.space is None:
            number = totals.get((cell.indicator.pk, cell.row.municipality.pk))
            if number is None:
                number = _figure(
                    f"{cell.indicator.code}-{cell.row.municipality.ags}", cell.indicator, high=900
                )
        else:
            number = figures.get(cell.key)
            if number is None:
                continue
        text = format(number, "f").replace(".", ",")
        save_cell(delivery, cell, Entry(number=text), actor=actor, base_revision=0)


def _explain(delivery, actor):
    """A comment on every figure that changed a lot against the earlier round."""
    the_grid = grid.build(delivery)
    values = grid.stored_values(delivery)
    for problem in rounds.check_delivery(delivery, the_grid=the_grid, values=values):
        if problem.kind != "comment":
            continue
        value = values[problem.key]
        entry = Entry(number=format(value.number, "f"), comment=CHANGE_EXPLAINED)
        cell = the_grid.cells[problem.key]
        save_cell(delivery, cell, entry, actor=actor, base_revision=value.revision)


def _submit(delivery, actor):
    _explain(delivery, actor)
    rounds.submit(delivery, actor=actor)


def seed(*, stdout, coordinator):
    indicator_set = IndicatorSet.objects.filter(name__startswith="Quartiersprofil").first()
    if indicator_set is None or Round.objects.filter(name__in=[EARLIER, CURRENT]).exists():
        return
    today = timezone.localdate()
    municipalities = list(Organisation.objects.filter(ags__in=MUNICIPALITIES).order_by("name"))
    jobcenter = Organisation.objects.filter(kind=OrganisationKind.JOBCENTER).first()
    county = Organisation.objects.filter(kind=OrganisationKind.COUNTY_OFFICE).order_by("pk").first()
    welfare = (
        Organisation.objects.filter(kind=OrganisationKind.WELFARE_ASSOCIATION)
        .order_by("name")
        .first()
    )
    suppliers = [org for org in [*municipalities, jobcenter, county, welfare] if org]

    earlier = rounds.save_round(
        Round(
            name=EARLIER,
            indicator_set=indicator_set,
            reference_date=datetime.date(2025, 12, 31),
            opens_on=today - datetime.timedelta(days=1),
            closes_on=today + datetime.timedelta(days=1),
        ),
        actor=coordinator,
        suppliers=suppliers,
        notify=False,
    )
    for delivery in earlier.deliveries.select_related("organisation", "round"):
        actor = _author(delivery.organisation, coordinator)
        _fill(delivery, actor, year=2025)
        _submit(delivery, actor)
        rounds.approve(delivery, actor=coordinator)
    Round.objects.filter(pk=earlier.pk).update(
        opens_on=datetime.date(2026, 1, 15), closes_on=datetime.date(2026, 2, 27)
    )

    current = rounds.save_round(
        Round(
            name=CURRENT,
            indicator_set=indicator_set,
            reference_date=datetime.date(2026, 6, 30),
            opens_on=today - datetime.timedelta(days=18),
            closes_on=today + datetime.timedelta(days=14),
            remind_days_before=7,
        ),
        actor=coordinator,
        suppliers=suppliers,
        notify=False,
    )
    by_org = {
        d.organisation_id: d for d in current.deliveries.select_related("organisation", "round")
    }
    for municipality in municipalities:
        delivery = by_org[municipality.pk]
        actor = _author(municipality, coordinator)
        if municipality.ags == "05382060":  # Siegburg: complete, submitted
            _fill(delivery, actor, year=2026)
            _submit(delivery, actor)
        elif municipality.ags == "05382068":  # Troisdorf: half way, one change unexplained
            the_grid = grid.build(delivery)
            first = next(c for c in the_grid.cells.values() if c.row.space and c.required)
            _fill(delivery, actor, year=2026, share=0.5, bump=first.key)
    if jobcenter:
        delivery = by_org[jobcenter.pk]
        actor = _author(jobcenter, coordinator)
        _fill(delivery, actor, year=2026)
        _submit(delivery, actor)
        rounds.send_back(
            delivery,
            actor=coordinator,
            comment="Bitte die Kinder im SGB II für Troisdorf-Oberlar prüfen: "
            "die Zahl passt nicht zum Stand der Vorrunde.",
            notify=False,
        )
    if county:
        delivery = by_org[county.pk]
        _fill(delivery, coordinator, year=2026)
        _submit(delivery, coordinator)
        rounds.approve(delivery, actor=coordinator)
    if welfare:
        rounds.extend(
            by_org[welfare.pk],
            actor=coordinator,
            until=current.closes_on + datetime.timedelta(days=10),
        )
    stdout.write(f"seed_demo: delivery rounds “{EARLIER}” and “{CURRENT}” created.")
