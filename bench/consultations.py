"""How a consultation's weighing table scales: the table's page (100 organisations a page,
every section) and its XLSX file, each beside a baseline of one hand-written SQL query
fetching the same rows, measured in the same run; the page's queries; the file's peak
memory.

    DATABASE_URL=postgres://… .venv/bin/python bench/consultations.py   # 396 and 11,000
    … bench/consultations.py --sizes 396 --sections 10

A closed consultation with `--sections` sections consulted N organisations: a county's
396 municipalities (a state-wide consultation), then a national 11,000. Of them 85 %
released a statement (a position and a comment on every section, a proposed wording on
every third, one to three points per answer, most with a response and reasons), 5 %
declared that they give none and 10 % never answered. The table's result is published
once per size, so the page also compares the result with the publication (as it does
once a result is out). The suppliers grow from one size to the next.

PostgreSQL only: it works in a throwaway database `bench_<name>` beside the one of
DATABASE_URL, dropped afterwards. Peak memory is taken with tracemalloc in a second run.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.surveys import median_seconds, peak_mib  # noqa: E402
from consultations import exports, weighing  # noqa: E402
from consultations.models import (  # noqa: E402
    Consultation,
    ConsultationSection,
    Position,
    Publication,
    Reply,
    SectionAnswer,
    Statement,
    WeighingPoint,
)
from participation.models import Organisation, User  # noqa: E402

RELEASED, DECLINED = 0.85, 0.05  # shares of the organisations; the rest never answered
TARGETS = {"page": 10, "xlsx": 5}  # × their raw SQL fetch
PEAK_MB = 10  # the file's writer: flat, whatever the number of organisations
COMMENT = (
    "Die Altersgruppen sollten feiner gegliedert werden; für die Jugendhilfeplanung "
    "reichen die bisherigen Gruppen nicht aus."
)
SECTION = ConsultationSection._meta.db_table
CONSULTED = Consultation.organisations.through._meta.db_table
ORGANISATION = Organisation._meta.db_table
STATEMENT = Statement._meta.db_table
ANSWER = SectionAnswer._meta.db_table
POINT = WeighingPoint._meta.db_table

# The same rows the table and its file show (sections × organisations, each with its
# statement's answer and the answer's points), in their order.
ALL_SQL = f"""
SELECT sec.number, sec.title, o.name, o.kind, st.no_statement, st.status, a.value,
       p.number, p.text, p.reply, p.reasons
FROM {CONSULTED} co
JOIN {ORGANISATION} o ON o.id = co.organisation_id
JOIN {SECTION} sec ON sec.consultation_id = co.consultation_id
LEFT JOIN {STATEMENT} st ON st.consultation_id = co.consultation_id AND st.organisation_id = o.id
LEFT JOIN {ANSWER} a ON a.response_id = st.id AND a.question_id = sec.id
LEFT JOIN {POINT} p ON p.answer_id = a.id
WHERE co.consultation_id = %s
ORDER BY sec.number, o.name, o.id, p.number"""
# The page's rows: the first 100 organisations by name, every section, with the ids of the
# answers and points (the page's links to their forms).
PAGE_SQL = ALL_SQL.replace("p.reasons\n", "p.reasons, a.id, p.id\n").replace(
    "WHERE co.consultation_id = %s",
    f"""WHERE co.consultation_id = %s AND o.id IN (
    SELECT c2.organisation_id FROM {CONSULTED} c2 JOIN {ORGANISATION} o2
    ON o2.id = c2.organisation_id WHERE c2.consultation_id = %s ORDER BY o2.name, o2.id
    LIMIT {weighing.PAGE_SIZE})""",
)


def coordinator_client():
    coordinator = User.objects.create_user(email="coordinator@bench.example", is_coordinator=True)
    TOTP.activate(coordinator, generate_totp_secret())
    client = Client()
    client.force_login(coordinator)
    return client, coordinator


def build_consultation(coordinator, sections):
    consultation = Consultation.objects.create(
        title="Landesweite Anhörung Sozialberichterstattung",
        status=Consultation.Status.CLOSED,
        deadline=timezone.localdate(),
        opened_at=timezone.now(),
        closed_at=timezone.now(),
        created_by=coordinator,
    )
    ConsultationSection.objects.bulk_create(
        ConsultationSection(
            consultation=consultation, number=n, title=f"Abschnitt {n}", text="Entwurf."
        )
        for n in range(1, sections + 1)
    )
    return consultation


def grow(consultation, size, coordinator, rng):
    start = consultation.organisations.count()
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Gemeinde Bench {n:05d}", kind="municipality", ags=f"9{n:07d}")
        for n in range(start, size)
    )
    consultation.organisations.add(*organisations)
    sections = list(consultation.sections.all())
    positions, replies = list(Position.values), [*Reply.values, ""]
    for offset in range(0, len(organisations), 500):  # bounded memory while seeding
        statements = []
        for organisation in organisations[offset : offset + 500]:
            draw = rng.random()
            if draw < RELEASED + DECLINED:
                statements.append(
                    Statement(
                        consultation=consultation,
                        organisation=organisation,
                        status=Statement.Status.SUBMITTED,
                        no_statement=draw >= RELEASED,
                    )
                )
        Statement.objects.bulk_create(statements)
        answers = SectionAnswer.objects.bulk_create(
            SectionAnswer(
                response=statement,
                question=section,
                value={
                    "position": rng.choice(positions),
                    "comment": COMMENT,
                    "wording": "Neu: 0–3, 3–6 Jahre" if section.number % 3 == 0 else "",
                },
                revision=1,
            )
            for statement in statements
            if not statement.no_statement
            for section in sections
        )
        WeighingPoint.objects.bulk_create(
            WeighingPoint(
                answer=answer,
                number=number,
                text=f"Punkt {number}: {COMMENT[:60]}",
                reply=(reply := rng.choice(replies)),
                reasons="Wird im Entwurf ergänzt." if reply else "",
                updated_by=coordinator,
            )
            for answer in answers
            for number in range(1, rng.randint(1, 3) + 1)
        )
    consultation.publications.all().delete()
    content = weighing._frozen(consultation)
    Publication.objects.create(
        consultation=consultation,
        version=1,
        content=content,
        summary=weighing._summary(content, changes=consultation.weighing_changes),
        published_by=coordinator,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would: plans for the new row counts


def raw_rows(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def write_file(consultation):
    with tempfile.TemporaryFile() as file:
        exports.write_weighing_xlsx(consultation, file)


def measure(client, consultation, repeat):
    page_url = reverse("consultations:weighing", args=[consultation.pk])
    xlsx_url = reverse("consultations:weighing_file", args=[consultation.pk, "xlsx"])
    page = client.get(page_url)
    assert page.status_code == 200, page.status_code
    assert b"Changed since the last publication" not in page.content
    queries = []
    with connection.execute_wrapper(lambda execute, *args: queries.append(1) or execute(*args)):
        client.get(page_url)
    page_rows = raw_rows(PAGE_SQL, (consultation.pk, consultation.pk))
    all_rows = raw_rows(ALL_SQL, (consultation.pk,))
    file_rows = sum(1 for _row in exports.rows(consultation))
    assert file_rows == len(all_rows), (file_rows, len(all_rows))
    return {
        "rows": len(all_rows),
        "page rows": len(page_rows),
        "page": median_seconds(lambda: client.get(page_url), repeat),
        "page raw": median_seconds(lambda: raw_rows(PAGE_SQL, (consultation.pk,) * 2), repeat),
        "queries": len(queries),
        "xlsx": median_seconds(lambda: client.get(xlsx_url).content, 1),
        "xlsx peak": peak_mib(lambda: write_file(consultation)),
        "all raw": median_seconds(lambda: raw_rows(ALL_SQL, (consultation.pk,)), repeat),
        "all raw peak": peak_mib(lambda: raw_rows(ALL_SQL, (consultation.pk,))),
    }


def verdicts(size, measured, first):
    lines = []
    for name, ratio, target in (
        ("page / its raw query", measured["page"] / measured["page raw"], TARGETS["page"]),
        ("XLSX / raw fetch of all rows", measured["xlsx"] / measured["all raw"], TARGETS["xlsx"]),
    ):
        verdict = "pass" if ratio <= target else "FAIL"
        lines.append(f"{size:>6}   {name:<30} {ratio:>6.2f}x  target <= {target}x  {verdict}")
    peak = measured["xlsx peak"]
    lines.append(
        f"{size:>6}   {'XLSX peak memory':<30} {peak:>5.1f}MB  target <= {PEAK_MB}MB"
        f"  {'pass' if peak <= PEAK_MB else 'FAIL'}"
    )
    queries, smallest = measured["queries"], first["queries"]
    lines.append(
        f"{size:>6}   {'page queries':<30} {queries:>6}   target = {smallest}"
        f" (as at the smallest size)  {'pass' if queries == smallest else 'FAIL'}"
    )
    return lines


def sizes(text):
    return sorted(int(part) for part in text.split(",") if part.strip())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=sizes, default=[396, 11000], help="e.g. 396,11000")
    parser.add_argument("--sections", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3, help="runs for the medians")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("This bench needs PostgreSQL: set DATABASE_URL.")
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = (
        "bench_" + settings.DATABASES["default"]["NAME"]
    )
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    rng = random.Random(396)  # the same data every run
    try:
        client, coordinator = coordinator_client()
        consultation = build_consultation(coordinator, args.sections)
        print(
            f"PostgreSQL; {args.sections} sections; {RELEASED:.0%} released, {DECLINED:.0%}"
            f" declined; page and SQL: median of {args.repeat} runs; the file: one run, peak"
            " memory of its writer in a second run under tracemalloc"
        )
        print(
            f"{'orgs':>6} {'rows':>8} {'seed':>6} | {'page':>7} {'q':>3} {'raw':>7} {'ratio':>6}"
            f" | {'XLSX':>7} {'peak':>7} {'all raw':>7} {'peak':>7} {'ratio':>6}"
        )
        first, lines = None, []
        for size in args.sizes:
            started = time.perf_counter()
            grow(consultation, size, coordinator, rng)
            seeded = time.perf_counter() - started
            measured = measure(client, consultation, args.repeat)
            first = first or measured
            print(
                f"{size:>6} {measured['rows']:>8} {seeded:>5.0f}s"
                f" | {measured['page'] * 1000:>5.0f}ms {measured['queries']:>3}"
                f" {measured['page raw'] * 1000:>5.1f}ms"
                f" {measured['page'] / measured['page raw']:>5.1f}x"
                f" | {measured['xlsx']:>6.2f}s {measured['xlsx peak']:>5.1f}MB"
                f" {measured['all raw']:>6.2f}s {measured['all raw peak']:>5.1f}MB"
                f" {measured['xlsx'] / measured['all raw']:>5.1f}x",
                flush=True,
            )
            lines += verdicts(size, measured, first)
        print("targets:")
        print("\n".join(lines))
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
