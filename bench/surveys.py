"""How survey results scale: the comparison page of one question across all organisations,
and the wide CSV and XLSX exports of all responses, beside baselines of one hand-written SQL
query fetching the same answers, measured in the same run; and the progress page.

    .venv/bin/python bench/surveys.py [--sizes 19,400,11000] [--questions 100] [--repeat 3]

Seeds N organisations answering a survey of 100 questions of mixed kinds (most of them
answered), growing from one size to the next. Times go through the Django test client as a
coordinator; the exports are read to the end. Peak memory is taken in a second run under
tracemalloc (it slows Python down, so its times are not the ones printed). After each size
the targets are printed, each as its ratio with "pass" or "FAIL".

It works in a throwaway database: in-memory SQLite, or `bench_<name>` on the server of
DATABASE_URL when that is set. Nothing else is touched.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

import re  # noqa: E402

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from participation.models import Organisation, User  # noqa: E402
from surveys import progress, results, services  # noqa: E402
from surveys.models import Answer, Question, Response, Section, Survey  # noqa: E402

KINDS = [
    "single_choice",
    "multiple_choice",
    "yes_no",
    "scale",
    "integer",
    "decimal",
    "short_text",
    "long_text",
    "date",
    "matrix",
    "table",
]
FIRST_DAY = datetime.date(2015, 1, 1)
ANSWERED = 0.75  # share of questions each organisation has answered
LARGE = 5000  # from this many organisations on, the medians are of one run: it is slow enough
QUESTIONS_PER_SECTION = 20
# The targets: each operation at most this many times its raw SQL fetch, memory flat.
TARGETS = {"compare": 10, "csv": 3, "xlsx": 5}
PEAK_MB = 10  # an export's peak memory: flat, about one chunk of organisations
PROGRESS_SECONDS = 2
TARGETS_FROM = 2000  # organisations; below, fixed costs (a page's frame, sessions) dominate
CHOICES = [{"value": f"c{n}", "label": f"Option {n}"} for n in range(1, 7)]
MATRIX = {
    "rows": [{"value": f"r{n}", "label": f"Datenbereich {n}"} for n in range(1, 5)],
    "columns": [
        {"value": "municipality", "label": "Gemeinde"},
        {"value": "district", "label": "Ortsteil"},
        {"value": "block", "label": "Baublock"},
    ],
}
TABLE = {
    "columns": [
        {"key": "name", "label": "Sozialraum", "kind": "short_text"},
        {"key": "residents", "label": "Einwohner", "kind": "integer"},
        {"key": "since", "label": "Seit", "kind": "date"},
    ]
}
CONFIGS = {
    "single_choice": {"choices": CHOICES[:5], "allow_other": True},
    "multiple_choice": {"choices": CHOICES, "allow_other": True},
    "scale": {"min": 1, "max": 5, "min_label": "gar nicht", "max_label": "voll"},
    "integer": {"min": 0, "max": 100000, "unit": "Stellen"},
    "decimal": {"decimal_places": 2},
    "matrix": MATRIX,
    "table": TABLE,
}


def fake_value(kind, rng):
    """A stored value of the given kind, as `clean_answer` would have left it."""
    if kind == "single_choice":
        return {"other": "Im Aufbau"} if rng.random() < 0.1 else rng.choice(CHOICES[:5])["value"]
    if kind == "multiple_choice":
        chosen = sorted({rng.choice(CHOICES)["value"] for _ in range(rng.randint(1, 3))})
        return {"choices": chosen, "other": "Wohnen"} if rng.random() < 0.1 else chosen
    if kind == "yes_no":
        return rng.random() < 0.6
    if kind == "scale":
        return rng.randint(1, 5)
    if kind == "integer":
        return rng.randint(0, 40)
    if kind == "decimal":
        return f"{rng.randint(0, 99999) / 100:.2f}"
    if kind == "short_text":
        return f"Antwort {rng.randint(1, 10**6)}"
    if kind == "long_text":
        return "Wir planen eine Stelle für die Sozialplanung.\nDer Rat entscheidet im Herbst."
    if kind == "date":
        return (FIRST_DAY + datetime.timedelta(days=rng.randint(0, 1800))).isoformat()
    if kind == "matrix":
        return {row["value"]: rng.choice(MATRIX["columns"])["value"] for row in MATRIX["rows"]}
    return [
        {"name": f"Bezirk {n}", "residents": rng.randint(500, 30000), "since": "2018-01-01"}
        for n in range(rng.randint(1, 3))
    ]


def build_survey(coordinator, questions):
    survey = services.create_survey(Survey(title="Ausgangssituation Bench"), actor=coordinator)
    version = survey.draft_version
    sections = Section.objects.bulk_create(
        Section(version=version, position=n, title=f"Abschnitt {n}")
        for n in range(1, questions // QUESTIONS_PER_SECTION + 2)
    )
    Question.objects.bulk_create(
        Question(
            section=sections[n // QUESTIONS_PER_SECTION],
            position=n,
            key=f"q{n:03d}",
            kind=KINDS[n % len(KINDS)],
            text=f"Frage {n} ({KINDS[n % len(KINDS)]})",
            config=CONFIGS.get(KINDS[n % len(KINDS)], {}),
        )
        for n in range(questions)
    )
    services.publish(survey, actor=coordinator)
    return survey


def grow(survey, size, respondent, rng):
    """Add organisations, each with a response answering most questions, up to `size`."""
    start = survey.audience.count()
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Gemeinde Bench {n:05d}", kind="municipality", ags=f"9{n:07d}")
        for n in range(start, size)
    )
    survey.audience.add(*organisations)
    version = survey.current_version
    responses = Response.objects.bulk_create(
        Response(survey=survey, organisation=organisation, version=version)
        for organisation in organisations
    )
    questions = list(Question.objects.filter(section__version=version))
    for offset in range(0, len(responses), 200):  # bounded memory while seeding, too
        Answer.objects.bulk_create(
            (
                Answer(
                    response_id=response.pk,
                    question_id=question.pk,
                    value=fake_value(question.kind, rng),
                    revision=1,
                    updated_by_id=respondent.pk,
                )
                for response in responses[offset : offset + 200]
                for question in questions
                if rng.random() < ANSWERED
            ),
            batch_size=2000,
        )


def median_seconds(run, repeat):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def peak_mib(run):
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def raw_rows(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def one_question_sql(survey, question):
    audience = Survey.audience.through._meta.db_table
    sql = f"""
        SELECT o.name, o.ags, r.status, a.value
        FROM {audience} sa
        JOIN participation_organisation o ON o.id = sa.organisation_id
        LEFT JOIN surveys_response r ON r.organisation_id = o.id AND r.survey_id = sa.survey_id
        LEFT JOIN surveys_answer a ON a.response_id = r.id AND a.question_id = %s
        WHERE sa.survey_id = %s ORDER BY o.name, o.id"""
    return sql, (question.pk, survey.pk)


def all_answers_sql(survey):
    audience = Survey.audience.through._meta.db_table
    sql = f"""
        SELECT o.id, o.name, o.ags, r.status, r.submitted_at, a.question_id, a.value
        FROM {audience} sa
        JOIN participation_organisation o ON o.id = sa.organisation_id
        LEFT JOIN surveys_response r ON r.organisation_id = o.id AND r.survey_id = sa.survey_id
        LEFT JOIN surveys_answer a ON a.response_id = r.id AND a.question_id IN (
            SELECT q.id FROM surveys_question q JOIN surveys_section s ON s.id = q.section_id
            WHERE s.version_id = %s)
        WHERE sa.survey_id = %s ORDER BY o.name, o.id"""
    return sql, (survey.current_version.pk, survey.pk)


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return sum(len(chunk) for chunk in response.streaming_content)


def table_rows(content, table_id):
    table = content[content.index(f'id="{table_id}"'.encode()) :]
    return table[: table.index(b"</table>")].count(b'<tr class="kern-table__row">')


def measure(client, survey, question, size, repeat):
    repeat = 1 if size >= LARGE else repeat
    compare_url = reverse("surveys:compare", args=[survey.pk]) + f"?question={question.key}"
    page = client.get(compare_url)
    assert page.status_code == 200
    assert table_rows(page.content, "comparison") == min(size, results.PAGE_SIZE)
    one_sql = one_question_sql(survey, question)
    assert len(raw_rows(*one_sql)) == size
    compare = median_seconds(lambda: client.get(compare_url), repeat)
    one_raw = median_seconds(lambda: raw_rows(*one_sql), repeat)

    progress_url = reverse("surveys:progress", args=[survey.pk])
    queries = []
    with connection.execute_wrapper(lambda execute, *args: queries.append(1) or execute(*args)):
        page = client.get(progress_url)
    assert page.status_code == 200
    assert len(re.findall(rb'<tr id="organisation-', page.content)) == min(size, progress.PAGE_SIZE)
    progress_time = median_seconds(lambda: client.get(progress_url), repeat)

    all_sql = all_answers_sql(survey)
    exports = {}
    for file_format in ("csv", "xlsx"):
        url = reverse(f"surveys:export_{file_format}", args=[survey.pk]) + "?layout=wide"
        exports[file_format] = (
            median_seconds(lambda url=url: download(client, url), 1),
            peak_mib(lambda url=url: download(client, url)),
        )
    answers = len(raw_rows(*all_sql))
    all_raw = median_seconds(lambda: raw_rows(*all_sql), repeat)
    all_raw_peak = peak_mib(lambda: raw_rows(*all_sql))
    return {
        "compare": compare,
        "one_raw": one_raw,
        "progress": progress_time,
        "progress_queries": len(queries),
        "exports": exports,
        "all_raw": all_raw,
        "all_raw_peak": all_raw_peak,
        "answers": answers,
    }


def verdicts(size, measured, first):
    """One line per target: its ratio (or figure) and whether it is met."""
    (csv_time, csv_peak), (xlsx_time, xlsx_peak) = (
        measured["exports"]["csv"],
        measured["exports"]["xlsx"],
    )
    compare = measured["compare"] / measured["one_raw"]
    checks = [
        ("comparison page / 1-q SQL", compare, TARGETS["compare"]),
        ("CSV wide / all SQL", csv_time / measured["all_raw"], TARGETS["csv"]),
        ("XLSX wide / all SQL", xlsx_time / measured["all_raw"], TARGETS["xlsx"]),
    ]
    lines = [
        f"{size:>6}   {name:<30} {ratio:>6.2f}x  target <= {target}x"
        f"  {'pass' if ratio <= target else 'FAIL'}"
        for name, ratio, target in checks
    ]
    lines += [
        f"{size:>6}   {name:<30} {peak:>5.1f}MB  target <= {PEAK_MB}MB"
        f"  {'pass' if peak <= PEAK_MB else 'FAIL'}"
        for name, peak in (("CSV wide peak memory", csv_peak), ("XLSX wide peak memory", xlsx_peak))
    ]
    queries, first_queries = measured["progress_queries"], first["progress_queries"]
    lines.append(
        f"{size:>6}   {'progress page queries':<30} {queries:>6}   target = {first_queries}"
        f" (as at the smallest size)  {'pass' if queries == first_queries else 'FAIL'}"
    )
    seconds = measured["progress"]
    lines.append(
        f"{size:>6}   {'progress page seconds':<30} {seconds:>6.2f}s  target < {PROGRESS_SECONDS}s"
        f"  {'pass' if seconds < PROGRESS_SECONDS else 'FAIL'}"
    )
    return lines


def coordinator_client():
    first = Organisation.objects.create(name="Kreisverwaltung Bench", kind="county_office")
    coordinator = User.objects.create_user(email="coordinator@bench.example", is_coordinator=True)
    TOTP.activate(coordinator, generate_totp_secret())
    respondent = User.objects.create_user(email="respondent@bench.example")
    client = Client()
    client.force_login(coordinator)
    return client, coordinator, respondent, first


def answer_storage():
    """Bytes the answers take in PostgreSQL (table, TOAST and indexes), for docs/scaling.md."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE " + Answer._meta.db_table)
        cursor.execute("SELECT pg_total_relation_size(%s)", [Answer._meta.db_table])
        return cursor.fetchone()[0]


def sizes(text):
    return sorted(int(part) for part in text.split(",") if part.strip())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=sizes, default=[19, 400, 11000], help="e.g. 19,400")
    parser.add_argument("--questions", type=int, default=100)
    parser.add_argument(
        "--repeat", type=int, default=3, help=f"runs for the medians (below {LARGE} organisations)"
    )
    args = parser.parse_args()

    if connection.vendor != "sqlite":
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = (
            "bench_" + settings.DATABASES["default"]["NAME"]
        )
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    rng = random.Random(19)  # the same data every run
    try:
        client, coordinator, respondent, _office = coordinator_client()
        survey = build_survey(coordinator, args.questions)
        question = Question.objects.get(section__version=survey.current_version, key="q001")
        print(
            f"database: {connection.vendor}; {args.questions} questions, ~{ANSWERED:.0%} answered;"
            f" compare and SQL: median of {args.repeat} runs (1 from {LARGE} organisations on);"
            " exports: one run each, peak memory in a second run under tracemalloc"
        )
        print(
            f"{'orgs':>6} {'answers':>8} {'seed':>6} | {'compare':>8} {'1-q SQL':>8} {'ratio':>6}"
            f" | {'progress':>8} {'queries':>7}"
            f" | {'CSV wide':>8} {'peak':>7} {'ratio':>6} | {'XLSX wide':>9} {'peak':>7}"
            f" {'ratio':>6} | {'all SQL':>8} {'peak':>7}"
        )
        first, verdict_lines, storage_lines = None, [], []
        for size in args.sizes:
            started = time.perf_counter()
            grow(survey, size, respondent, rng)
            seeded = time.perf_counter() - started
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # as autovacuum would: plans for the new row counts
            measured = measure(client, survey, question, size, args.repeat)
            first = first or measured  # the progress page's queries at the smallest size
            (csv_time, csv_peak), (xlsx_time, xlsx_peak) = (
                measured["exports"]["csv"],
                measured["exports"]["xlsx"],
            )
            compare, one_raw, all_raw = (
                measured["compare"],
                measured["one_raw"],
                measured["all_raw"],
            )
            print(
                f"{size:>6} {measured['answers']:>8} {seeded:>5.1f}s"
                f" | {compare * 1000:>6.0f}ms {one_raw * 1000:>6.1f}ms {compare / one_raw:>5.1f}x"
                f" | {measured['progress'] * 1000:>6.0f}ms {measured['progress_queries']:>7}"
                f" | {csv_time:>7.2f}s {csv_peak:>5.1f}MB {csv_time / all_raw:>5.1f}x"
                f" | {xlsx_time:>8.2f}s {xlsx_peak:>5.1f}MB {xlsx_time / all_raw:>5.1f}x"
                f" | {all_raw:>7.2f}s {measured['all_raw_peak']:>5.1f}MB",
                flush=True,
            )
            if size >= TARGETS_FROM:
                verdict_lines += verdicts(size, measured, first)
            stored = answer_storage()
            if stored is not None:
                storage_lines.append(
                    f"{size:>6}   answers {measured['answers']:>8}: {stored / 2**20:>7.1f} MB"
                    f" with indexes, {stored / measured['answers']:>4.0f} bytes an answer"
                )
        print(f"targets (from {TARGETS_FROM} organisations on):")
        print("\n".join(verdict_lines))
        if storage_lines:
            print("storage in PostgreSQL:")
            print("\n".join(storage_lines))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
