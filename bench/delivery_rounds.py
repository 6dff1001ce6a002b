"""How the social monitoring's delivery rounds scale: the completeness matrix, checking one
supplier's delivery, and the exports of approved values, each beside a baseline of
hand-written SQL measured in the same run, and the peak memory of the matrix and the
exports as suppliers grow.

    .venv/bin/python bench/delivery_rounds.py                  # 100 suppliers (2 min)
    .venv/bin/python bench/delivery_rounds.py --suppliers 400  # the issue's round (7 min)

With the exports of approved values the XLSX export dominates: 8 and about 25 minutes.

Each supplier is a municipality with 160 confirmed social spaces and delivers 20
indicators for each of them (3,200 cells, plus the optional municipal totals of its
counts), in two rounds: last year's, approved, and this year's, submitted and approved,
so a check compares every figure with last year's. At 400 suppliers that is 1.28 million
values a round. The data is written with bulk_create and COPY, not through the engine; the
suppliers grow from an eighth of `--suppliers` to all of them, doubling.

PostgreSQL only (COPY): it works in a throwaway database `bench_<name>` on the server of
DATABASE_URL, dropped afterwards. Peak memory is the maximum resident set size of a fresh
process (this script run again with `--child`) that loads Django, runs one thing once and
exits.
"""

import argparse
import datetime
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from monitoring import grid, rounds, values  # noqa: E402
from monitoring.completeness import completeness  # noqa: E402
from monitoring.models import (  # noqa: E402
    Delivery,
    Indicator,
    IndicatorSet,
    Review,
    Round,
    Space,
    SpaceLevel,
    SpaceStatus,
    Value,
    ValueType,
)
from participation.models import Organisation, User  # noqa: E402

SPACES = 160  # per supplier
# 20 indicators, all delivered per social space by the municipalities: 14 counts (two
# of them suppressed below 3), 3 decimals, 3 percentages.
TYPES = [ValueType.COUNT] * 14 + [ValueType.DECIMAL] * 3 + [ValueType.PERCENTAGE] * 3
SUPPRESSED = {12: 3, 13: 3}  # indicator index -> suppress_below
VALID_FROM = datetime.date(2024, 1, 1)
CHANGED = 0.005  # share of figures changed by half against last year, with a comment
TARGETS = {
    "completeness": 3.0,  # × the raw SQL aggregate
    "check": 5.0,  # × the raw fetch of the supplier's values
    "csv": 3.0,  # × the raw fetch of the exported values
    "geojson": 5.0,  # × the raw fetch of the exported values with their spaces' boundaries
    "xlsx": 5.0,
    "memory": 1.5,  # largest / smallest peak over the measured sizes
}
EXPORTS_MISSING = "skipped: monitoring.value_exports not present"


# --- seeding ---------------------------------------------------------------------------


def seed_catalogue():
    coordinator = User.objects.create_user(email="coordinator@bench.example", is_coordinator=True)
    respondent = User.objects.create_user(email="respondent@bench.example")
    indicators = Indicator.objects.bulk_create(
        Indicator(
            code=f"BENCH-{n:02d}",
            name=f"Kennzahl {n:02d}",
            definition="Synthetisch",
            unit="Personen" if kind == ValueType.COUNT else "%",
            value_type=kind,
            source="Bench",
            spatial_level="social_space",
            supplier_kind="municipality",
            minimum=0,
            maximum=100 if kind == ValueType.PERCENTAGE else 10**9,
            suppress_below=SUPPRESSED.get(n),
        )
        for n, kind in enumerate(TYPES)
    )
    indicator_set = IndicatorSet.objects.create(name="Bench-Profil")
    indicator_set.indicators.set(indicators)
    today = timezone.localdate()
    previous = Round.objects.create(
        name="Stichtag 2025",
        indicator_set=indicator_set,
        reference_date=datetime.date(2025, 6, 30),
        opens_on=datetime.date(2025, 7, 1),
        closes_on=datetime.date(2025, 9, 30),
    )
    current = Round.objects.create(
        name="Stichtag 2026",
        indicator_set=indicator_set,
        reference_date=datetime.date(2026, 6, 30),
        opens_on=today - datetime.timedelta(days=30),
        closes_on=today + datetime.timedelta(days=30),
    )
    return coordinator, respondent, indicators, previous, current


def square(n):
    west, south = 6.5 + (n % 400) * 0.01, 50.0 + (n // 400) * 0.01
    ring = [[west, south], [west + 0.01, south], [west + 0.01, south + 0.01], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def figure(kind, n, rng):
    if kind == ValueType.COUNT:
        return Decimal(rng.randint(0, 10) if n in SUPPRESSED else rng.randint(200, 5000))
    if kind == ValueType.PERCENTAGE:
        return Decimal(rng.randint(0, 1000)) / 10
    return Decimal(rng.randint(0, 100000)) / 100


def later(kind, number, rng):
    """This year's figure: within ±10 % of last year's, or half as much again."""
    factor = Decimal("1.5") if rng.random() < CHANGED else Decimal(rng.randint(90, 110)) / 100
    if kind == ValueType.COUNT:
        return (number * factor).quantize(Decimal(1))
    if kind == ValueType.PERCENTAGE:
        return min(Decimal(100), (number * factor).quantize(Decimal("0.1")))
    return (number * factor).quantize(Decimal("0.01"))


def grow(size, *, respondent, indicators, previous, current, rng):
    """Add municipalities with their spaces, deliveries and values up to `size`."""
    start = Organisation.objects.filter(name__startswith="Gemeinde Bench").count()
    municipalities = Organisation.objects.bulk_create(
        Organisation(name=f"Gemeinde Bench {n:04d}", kind="municipality", ags=f"9{n:07d}")
        for n in range(start, size)
    )
    now = timezone.now()
    spaces = Space.objects.bulk_create(
        Space(
            municipality=municipality,
            level=SpaceLevel.SOCIAL_SPACE,
            key=f"{municipality.ags}-SR{k:03d}",
            name=f"Sozialraum {k:03d}",
            valid_from=VALID_FROM,
            status=SpaceStatus.CONFIRMED,
            confirmed_at=now,
            geometry=square(m * SPACES + k),
        )
        for m, municipality in enumerate(municipalities, start=start)
        for k in range(SPACES)
    )
    deliveries = {}
    for round_ in (previous, current):
        deliveries[round_.pk] = Delivery.objects.bulk_create(
            Delivery(
                round=round_,
                organisation=municipality,
                status=Delivery.Status.SUBMITTED,
                submitted_at=now,
                submitted_by=respondent,
                review=Review.APPROVED,
                reviewed_at=now,
            )
            for municipality in municipalities
        )
    columns = (
        "value, revision, response_id, indicator_id, municipality_id, space_id, number,"
        " suppressed, updated_by_id, updated_at"
    )
    copying = f"COPY {Value._meta.db_table} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(copying) as copy:
        for m, municipality in enumerate(municipalities):
            own = spaces[m * SPACES : (m + 1) * SPACES]
            old_delivery = deliveries[previous.pk][m]
            new_delivery = deliveries[current.pk][m]
            for n, indicator in enumerate(indicators):
                kind = indicator.value_type
                old_total = new_total = Decimal(0)
                for space in own:
                    old = figure(kind, n, rng)
                    new = later(kind, old, rng)
                    comment = "Neubaugebiet" if abs(new - old) > old / 4 else ""
                    for delivery, number, note in (
                        (old_delivery, old, ""),
                        (new_delivery, new, comment),
                    ):
                        copy.write_row(
                            value_row(delivery, indicator, municipality, space, number, note)
                            + (respondent.pk, now)
                        )
                    old_total += old
                    new_total += new
                if kind == ValueType.COUNT:
                    for delivery, total in (
                        (old_delivery, old_total),
                        (new_delivery, new_total),
                    ):
                        copy.write_row(
                            value_row(delivery, indicator, municipality, None, total, "")
                            + (respondent.pk, now)
                        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would: plans for the new row counts


def value_row(delivery, indicator, municipality, space, number, comment):
    threshold = indicator.suppress_below
    suppressed = bool(threshold and 0 < number < threshold)
    stored = json.dumps({"number": format(values.plain(number), "f"), "comment": comment})
    return (
        stored,
        1,
        delivery.pk,
        indicator.pk,
        municipality.pk,
        space.pk if space else None,
        number,
        suppressed,
    )


# --- measuring -------------------------------------------------------------------------


def median_seconds(run, repeat):
    run()  # warm up caches and connections
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def once_seconds(run):
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def raw_rows(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def queries_of(run):
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured.captured_queries)


V, D, S, I = (model._meta.db_table for model in (Value, Delivery, Space, Indicator))  # noqa: E741

ENTERED_SQL = f"""
SELECT v.response_id, v.indicator_id, count(*) FILTER (
    WHERE v.number IS NOT NULL AND (v.space_id IS NOT NULL OR i.spatial_level = 'municipality'))
FROM {V} v JOIN {D} d ON d.id = v.response_id JOIN {I} i ON i.id = v.indicator_id
WHERE d.round_id = %s GROUP BY v.response_id, v.indicator_id"""
ASKED_SQL = f"""
SELECT municipality_id, level, count(*) FROM {S}
WHERE status = 'confirmed' AND valid_from <= %s AND (valid_until IS NULL OR valid_until >= %s)
GROUP BY municipality_id, level"""
SUPPLIER_SQL = f"""
SELECT indicator_id, municipality_id, space_id, value, number, suppressed, revision
FROM {V} WHERE response_id = %s"""
# What the check reads beside the supplier's values: last year's approved figures of its
# municipality (`comparison.carried_values`), which it compares every figure with.
PREVIOUS_SQL = f"""
SELECT v.indicator_id, v.space_id, v.number
FROM {V} v JOIN {D} d ON d.id = v.response_id
WHERE d.round_id = %s AND d.review = 'approved' AND v.number IS NOT NULL
  AND v.municipality_id = %s"""
# The XLSX export's data: every approved value of the round with its unit and supplier
# (the file's order left to the export: the baseline does not sort).
APPROVED_SQL = f"""
SELECT r.reference_date, i.code, o.ags, o.name, s.key, s.name, s.level, s.valid_from,
       s.valid_until, v.number, v.suppressed, supplier.name
FROM {V} v JOIN {D} d ON d.id = v.response_id JOIN {I} i ON i.id = v.indicator_id
JOIN monitoring_round r ON r.id = d.round_id
JOIN participation_organisation o ON o.id = v.municipality_id
JOIN participation_organisation supplier ON supplier.id = d.organisation_id
LEFT JOIN {S} s ON s.id = v.space_id
WHERE d.round_id = %s AND d.review = 'approved' AND v.number IS NOT NULL"""
# The KomMonitor files' data: one indicator's approved values with their units, the
# municipalities' totals included (the CSV); the GeoJSON also writes every space's
# boundary, so its baseline fetches those too (as the driver gives them: JSON text).
KOMMONITOR_SQL = f"""
SELECT r.reference_date, o.ags, o.name, s.key, s.name, s.level, s.valid_from, s.valid_until,
       {{geometry}} v.number, v.suppressed
FROM {V} v JOIN {D} d ON d.id = v.response_id JOIN monitoring_round r ON r.id = d.round_id
JOIN participation_organisation o ON o.id = v.municipality_id
LEFT JOIN {S} s ON s.id = v.space_id
WHERE d.round_id = %s AND d.review = 'approved' AND v.number IS NOT NULL
  AND v.indicator_id = %s"""
CSV_SQL = KOMMONITOR_SQL.format(geometry="")
GEOJSON_SQL = KOMMONITOR_SQL.format(geometry="s.geometry,")


def raw_completeness(round_):
    day = round_.reference_date
    return raw_rows(ENTERED_SQL, (round_.pk,)), raw_rows(ASKED_SQL, (day, day))


def measure_completeness(round_, repeat):
    matrix = completeness(round_)
    entered, _asked = raw_completeness(round_)
    by_cell = {(delivery, indicator): n for delivery, indicator, n in entered}
    for supplier in matrix.suppliers:
        for indicator, (n, asked) in supplier.cells.items():
            if by_cell.get((supplier.delivery.pk, indicator), 0) != n or asked != SPACES:
                raise SystemExit("the completeness matrix and its baseline disagree")
    return {
        "queries": queries_of(lambda: completeness(round_)),
        "time": median_seconds(lambda: completeness(round_), repeat),
        "raw": median_seconds(lambda: raw_completeness(round_), repeat),
    }


def measure_check(round_, repeat):
    delivery = Delivery.objects.filter(round=round_).order_by("organisation__name").first()

    def check():
        fresh = Delivery.objects.select_related("round", "organisation").get(pk=delivery.pk)
        return rounds.check_delivery(fresh)

    problems = check()
    if problems:
        raise SystemExit(f"check_delivery finds {len(problems)} problems, e.g. {problems[0]}")
    cells = len(grid.build(delivery).cells)
    fetched = raw_rows(SUPPLIER_SQL, (delivery.pk,))
    if len(fetched) != len(grid.stored_values(delivery)):
        raise SystemExit("the supplier's values and their baseline disagree")
    previous = Round.objects.exclude(pk=round_.pk).get()
    both = ((SUPPLIER_SQL, (delivery.pk,)), (PREVIOUS_SQL, (previous.pk, delivery.organisation_id)))
    typed = typed_figures(delivery)
    by_pk = {indicator.pk: indicator for indicator in Indicator.objects.all()}
    plain_texts = [text.replace(".", "").replace(",", ".") for _pk, text in typed]

    def parse():
        for pk, text in typed:
            values.parse_number(text, by_pk[pk])

    return {
        "cells": cells,
        "queries": queries_of(check),
        "build queries": queries_of(lambda: grid.build(delivery)),
        "time": median_seconds(check, repeat),
        "raw": median_seconds(lambda: [raw_rows(sql, params) for sql, params in both], repeat),
        "parse": median_seconds(parse, repeat),
        "parse raw": median_seconds(lambda: [Decimal(text) for text in plain_texts], repeat),
        "parsed": len(typed),
    }


def typed_figures(delivery):
    """The supplier's figures as someone would type them: German separators."""
    rows = Value.objects.filter(response=delivery, space__isnull=False)
    return [
        (pk, f"{number:,}".replace(",", "X").replace(".", ",").replace("X", "."))
        for pk, number in rows.values_list("indicator_id", "number")
    ]


def value_exports():
    try:
        # Imported here: written on another branch, skipped until it is merged.
        from monitoring import value_exports as module  # noqa: PLC0415
    except ImportError:
        return None
    # An editable install may find the module in another checkout: only this one counts.
    if not Path(module.__file__).resolve().is_relative_to(ROOT):
        return None
    return module


class Sink:
    """A stream that counts what is written to it, text or bytes."""

    def __init__(self):
        self.size = 0

    def write(self, data):
        self.size += len(data)
        return len(data)

    def flush(self):
        pass


def run_export(kind, round_, indicator):
    module = value_exports()
    if kind == "csv":
        module.write_kommonitor_csv(Sink(), indicator=indicator, rounds=[round_])
    elif kind == "geojson":
        module.write_kommonitor_geojson(Sink(), indicator=indicator, rounds=[round_])
    elif kind == "xlsx":
        with tempfile.TemporaryFile() as stream:
            module.write_xlsx(stream, rounds=[round_])
    elif kind == "approved":
        sum(1 for _value in module.approved_values(rounds=[round_]))


def measure_exports(round_, indicator):
    if value_exports() is None:
        return None
    one = (round_.pk, indicator.pk)
    result = {
        "csv raw": median_seconds(lambda: raw_rows(CSV_SQL, one), 3),
        "geojson raw": median_seconds(lambda: raw_rows(GEOJSON_SQL, one), 3),
        "all raw": median_seconds(lambda: raw_rows(APPROVED_SQL, (round_.pk,)), 3),
        "rows one": len(raw_rows(CSV_SQL, one)),
    }
    for kind in ("csv", "geojson"):
        result[kind] = median_seconds(lambda kind=kind: run_export(kind, round_, indicator), 3)
    for kind in ("approved", "xlsx"):
        result[kind] = once_seconds(lambda kind=kind: run_export(kind, round_, indicator))
    return result


def child(mode, database, round_pk):
    """Run one thing once in this fresh process and print its peak memory."""
    connection.close()
    connection.settings_dict["NAME"] = database
    round_ = Round.objects.get(pk=round_pk)
    indicator = Indicator.objects.order_by("code").first()
    before = peak_resident_mib()
    if mode == "completeness":
        completeness(round_)
    elif mode == "raw":
        raw_rows(APPROVED_SQL, (round_.pk,))
    else:
        run_export(mode, round_, indicator)
    print(json.dumps({"before": before, "peak": peak_resident_mib()}))


def peak_resident_mib():
    """This process's peak resident set size. Linux's VmHWM, not getrusage's ru_maxrss:
    that keeps the peak of the process that started this one (it survives exec)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_mib(mode, round_):
    """(peak resident MiB of a fresh process running `mode`, MiB it grew by while doing so)."""
    output = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            mode,
            "--database",
            connection.settings_dict["NAME"],
            "--round",
            str(round_.pk),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    return figures["peak"], figures["peak"] - figures["before"]


# --- report ----------------------------------------------------------------------------


def verdict(ok):
    return "pass" if ok else "FAIL"


def report(results, memory, exports_present):
    print("\ntargets")
    sizes = sorted(results)
    queries = [results[size]["completeness"]["queries"] for size in sizes]
    print(
        f"  completeness: queries identical at every size ({', '.join(map(str, queries))})"
        f" ... {verdict(len(set(queries)) == 1)}"
    )
    for key, label, what in (
        ("completeness", "completeness", "the raw SQL aggregate"),
        ("check", "check_delivery", "the raw fetch of what it reads"),
    ):
        worst = max(results[size][key]["time"] / results[size][key]["raw"] for size in sizes)
        print(
            f"  {label} ≤ {TARGETS[key]:.0f}× {what}: worst {worst:.1f}×"
            f" ... {verdict(worst <= TARGETS[key])}"
        )
    if not exports_present:
        print(f"  exports: {EXPORTS_MISSING}")
    else:
        for kind, raw in (("csv", "csv raw"), ("geojson", "geojson raw"), ("xlsx", "all raw")):
            worst = max(results[s]["exports"][kind] / results[s]["exports"][raw] for s in sizes)
            print(
                f"  {kind} export ≤ {TARGETS[kind]:.0f}× the raw fetch: worst {worst:.1f}×"
                f" ... {verdict(worst <= TARGETS[kind])}"
            )
    for mode, peaks in memory.items():
        if not peaks:
            continue
        measured = sorted(peaks)
        ratio = peaks[measured[-1]][0] / peaks[measured[0]][0]
        line = f"  peak memory of {mode} flat (≤ {TARGETS['memory']}×"
        line += f" from {measured[0]} to {measured[-1]} suppliers): {ratio:.2f}×"
        if mode == "raw fetch":
            print(line + " (the baseline, for comparison: it holds every row)")
        else:
            print(f"{line} ... {verdict(ratio <= TARGETS['memory'])}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suppliers", type=int, default=100, help="the largest size")
    parser.add_argument("--repeat", type=int, default=5, help="runs for the medians")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    parser.add_argument("--round", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.database, args.round)
    if connection.vendor != "postgresql":
        raise SystemExit("This bench needs PostgreSQL: set DATABASE_URL.")

    sizes = sorted({max(1, args.suppliers // d) for d in (8, 4, 2, 1)})
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = (
        "bench_" + settings.DATABASES["default"]["NAME"]
    )
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    rng = random.Random(15)  # the same data every run
    exports_present = value_exports() is not None
    try:
        _coordinator, respondent, indicators, previous, current = seed_catalogue()
        print(
            f"PostgreSQL; {SPACES} spaces × {len(indicators)} indicators per supplier, two rounds;"
            f" medians of {args.repeat} runs, exports one run each; peak memory: a fresh process"
        )
        if not exports_present:
            print(f"exports: {EXPORTS_MISSING}")
        header = (
            f"{'suppl':>5} {'values':>9} {'seed':>6} | {'matrix':>8} {'q':>2} {'raw SQL':>8}"
            f" {'ratio':>5} | {'cells':>5} {'check':>8} {'q':>2} {'raw':>7} {'ratio':>5}"
            f" | {'parse':>7} {'Decimal':>7}"
        )
        if exports_present:
            header += (
                f" | {'CSV':>6} {'raw':>6} {'ratio':>5} | {'GeoJSON':>7} {'raw':>6} {'ratio':>5}"
                f" | {'approved':>8} {'XLSX':>8} {'all raw':>7} {'ratio':>5}"
            )
        print(header)
        results = {}
        memory_sizes = sizes[-3:]
        modes = ["completeness", "raw fetch"]
        if exports_present:
            modes += ["csv", "geojson", "xlsx"]
        memory = {mode: {} for mode in modes}
        for size in sizes:
            started = time.perf_counter()
            grow(
                size,
                respondent=respondent,
                indicators=indicators,
                previous=previous,
                current=current,
                rng=rng,
            )
            seeded = time.perf_counter() - started
            count = Value.objects.filter(response__round=current).count()
            matrix = measure_completeness(current, args.repeat)
            check = measure_check(current, args.repeat)
            exports = measure_exports(current, indicators[0])
            results[size] = {"completeness": matrix, "check": check, "exports": exports}
            line = (
                f"{size:>5} {count:>9,} {seeded:>5.0f}s | {matrix['time'] * 1000:>6.0f}ms"
                f" {matrix['queries']:>2} {matrix['raw'] * 1000:>6.0f}ms"
                f" {matrix['time'] / matrix['raw']:>4.1f}x"
                f" | {check['cells']:>5} {check['time'] * 1000:>6.0f}ms {check['queries']:>2}"
                f" {check['raw'] * 1000:>5.1f}ms {check['time'] / check['raw']:>4.1f}x"
                f" | {check['parse'] * 1000:>5.1f}ms {check['parse raw'] * 1000:>5.1f}ms"
            )
            if exports:
                csv_ratio = exports["csv"] / exports["csv raw"]
                geo_ratio = exports["geojson"] / exports["geojson raw"]
                line += (
                    f" | {exports['csv']:>5.2f}s {exports['csv raw']:>5.3f}s {csv_ratio:>4.1f}x"
                    f" | {exports['geojson']:>6.2f}s {exports['geojson raw']:>5.3f}s"
                    f" {geo_ratio:>4.1f}x"
                    f" | {exports['approved']:>7.2f}s {exports['xlsx']:>7.2f}s"
                    f" {exports['all raw']:>6.2f}s {exports['xlsx'] / exports['all raw']:>4.1f}x"
                )
            print(line, flush=True)
            if size in memory_sizes:
                for mode in modes:
                    memory[mode][size] = peak_mib("raw" if mode == "raw fetch" else mode, current)
        print("\npeak memory (MiB of a fresh process; in brackets: growth during the call)")
        print(f"{'suppl':>5} " + " ".join(f"{mode:>18}" for mode in modes))
        for size in memory_sizes:
            cells = [memory[mode][size] for mode in modes]
            print(f"{size:>5} " + " ".join(f"{peak:>9.0f} ({grew:>6.0f})" for peak, grew in cells))
        report(results, memory, exports_present)
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
