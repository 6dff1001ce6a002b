"""How the registry's people selector scales: `visible_people(user)` for a coordinator (sees
everyone) and for a municipal member (sees their colleagues), beside a baseline of one
hand-written SQL query returning the same rows, measured in the same run.

    .venv/bin/python bench/registry.py [--sizes 19 400 2000] [--people 3] [--repeat 15]

It works in a throwaway database: in-memory SQLite, or `bench_<name>` on the server of
DATABASE_URL when that is set. Nothing else is touched.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from participation.models import Membership, Organisation, Person, User  # noqa: E402
from participation.selectors import visible_people  # noqa: E402

SINCE = datetime.date(2020, 1, 1)
COLUMNS = ", ".join(f"p.{field.column}" for field in Person._meta.concrete_fields)
ALL_PEOPLE_SQL = f"SELECT {COLUMNS} FROM participation_person p ORDER BY p.last_name, p.first_name"
COLLEAGUES_SQL = f"""
SELECT {COLUMNS} FROM participation_person p
WHERE p.user_id = %s OR p.id IN (
    SELECT m.person_id FROM participation_membership m
    WHERE m.valid_from <= %s AND (m.valid_until IS NULL OR m.valid_until >= %s)
      AND m.organisation_id IN (
        SELECT own.organisation_id FROM participation_membership own
        JOIN participation_person me ON me.id = own.person_id
        WHERE me.user_id = %s AND own.valid_from <= %s
          AND (own.valid_until IS NULL OR own.valid_until >= %s)))
ORDER BY p.last_name, p.first_name
"""


def grow_registry(organisations, people_per_organisation):
    """Add organisations (each with its people and memberships) up to the given number."""
    start = Organisation.objects.count()
    new = Organisation.objects.bulk_create(
        Organisation(name=f"Gemeinde Bench {n:05d}", kind="municipality", ags=f"9{n:07d}")
        for n in range(start, organisations)
    )
    people = Person.objects.bulk_create(
        Person(
            first_name=f"Vorname{k}",
            last_name=f"Nachname{org.pk:06d}-{k}",
            email=f"p{k}@org{org.pk}.bench.example",
        )
        for org in new
        for k in range(people_per_organisation)
    )
    Membership.objects.bulk_create(
        Membership(person=person, organisation=new[i // people_per_organisation], valid_from=SINCE)
        for i, person in enumerate(people)
    )


def make_user(email, organisation, **fields):
    user = User.objects.create_user(email=email, **fields)
    person = Person.objects.create(first_name="Bench", last_name=email, email=email, user=user)
    Membership.objects.create(person=person, organisation=organisation, valid_from=SINCE)
    return user


def median_ms(run, repeat):
    run()  # warm up caches and connections
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def raw_rows(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def measure(user, repeat):
    today = timezone.localdate()
    if user.is_coordinator:
        sql, params = ALL_PEOPLE_SQL, ()
    else:
        sql, params = COLLEAGUES_SQL, (user.pk, today, today, user.pk, today, today)
    orm_ids = [person.pk for person in visible_people(user)]
    sql_ids = [row[0] for row in raw_rows(sql, params)]
    if sorted(orm_ids) != sorted(sql_ids):
        raise SystemExit(f"baseline returns other rows than the selector for {user.email}")
    orm = median_ms(lambda: list(visible_people(user)), repeat)
    raw = median_ms(lambda: raw_rows(sql, params), repeat)
    return len(orm_ids), orm, raw


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[19, 400, 2000])
    parser.add_argument("--people", type=int, default=3, help="people per organisation")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    if connection.vendor != "sqlite":
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = (
            "bench_" + settings.DATABASES["default"]["NAME"]
        )
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"database: {connection.vendor}; median of {args.repeat} runs")
        print(f"{'orgs':>6} {'people':>7} {'user':<12} {'rows':>6} {'selector':>10} "
              f"{'raw SQL':>9} {'ratio':>6}")  # fmt: skip
        coordinator = member = None
        for size in sorted(args.sizes):
            grow_registry(size, args.people)
            if coordinator is None:
                first = Organisation.objects.order_by("pk").first()
                coordinator = make_user("coordinator@bench.example", first, is_coordinator=True)
                member = make_user("member@bench.example", first)
            people = Person.objects.count()
            for label, user in (("coordinator", coordinator), ("member", member)):
                rows, orm, raw = measure(user, args.repeat)
                print(
                    f"{size:>6} {people:>7} {label:<12} {rows:>6} {orm:>8.2f}ms "
                    f"{raw:>7.2f}ms {orm / raw:>5.1f}x"
                )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
