"""How many pages one web process serves: members of many municipalities at once opening
their home page and their survey response (100 questions) and autosaving answers, beside a
baseline page of the same stack measured in the same run. The figures feed the capacity
model in docs/scaling.md.

    DATABASE_URL=postgres://… REDIS_URL=redis://… .venv/bin/python bench/pages.py
    … bench/pages.py --members 400 --clients 32 --seconds 10 --processes 1

Seeds `--members` municipalities, each with one signed-in member and a response answering
most of the survey, serves `config.asgi` with uvicorn (`--processes` of them, clients spread
over them) and lets `--clients` concurrent clients (one asyncio process, httpx) request for
`--seconds` each kind of request in turn, each client as a member of its own municipality:

- baseline: the accessibility statement, a page of the same stack (session, middleware,
  layout) with no data of its own;
- home: the member's home page (what is waiting for their organisation);
- response page: the survey response with its 100 questions and answers;
- autosave: one answer saved (htmx), the revision carried from save to save as a browser does.

Columns: requests a second (all processes together), median and 95th percentile latency, the
servers' CPU (100 % = one core), and the ratio of each kind's CPU per request to the
baseline's. It works in a throwaway database `bench_<name>` and Redis database 12.
"""

import argparse
import asyncio
import logging
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

import httpx  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.contrib.sessions.models import Session  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.surveys import build_survey, grow  # noqa: E402
from participation.models import Membership, Organisation, Person, User  # noqa: E402
from surveys.models import Answer, Question, Response  # noqa: E402
from tests.processes import ROOT, UvicornServer, wait_until  # noqa: E402

REDIS_DB = 12
logging.getLogger("httpx").setLevel(logging.WARNING)
KINDS = ("baseline", "home", "response page", "autosave")


def seed(members, rng):
    coordinator = User.objects.create_user(email="coordinator@bench.example", is_coordinator=True)
    respondent = User.objects.create_user(email="respondent@bench.example")
    survey = build_survey(coordinator, 100)
    grow(survey, members, respondent, rng)
    organisations = list(Organisation.objects.filter(kind="municipality").order_by("pk"))
    users = User.objects.bulk_create(
        User(email=f"member{n:05d}@bench.example") for n in range(len(organisations))
    )
    people = Person.objects.bulk_create(
        Person(user=user, email=user.email, first_name="Mit", last_name=f"Glied {n}")
        for n, user in enumerate(users)
    )
    Membership.objects.bulk_create(
        Membership(person=person, organisation=organisation)
        for person, organisation in zip(people, organisations, strict=True)
    )
    responses = dict(Response.objects.filter(survey=survey).values_list("organisation_id", "pk"))
    # An integer question nobody has answered yet: each client's saves count 1, 2, 3, …
    question = Question.objects.filter(section__version=survey.current_version, kind="integer")
    question = question.order_by("position").first()
    Answer.objects.filter(question=question).delete()
    expire = timezone.now() + timezone.timedelta(days=1)
    sessions = []
    for user in users:
        key = uuid.uuid4().hex
        data = {
            SESSION_KEY: str(user.pk),
            HASH_SESSION_KEY: user.get_session_auth_hash(),
            BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
        }
        sessions.append(
            Session(session_key=key, session_data=SessionStore().encode(data), expire_date=expire)
        )
    Session.objects.bulk_create(sessions)
    clients = [
        (session.session_key, responses[organisation.pk])
        for session, organisation in zip(sessions, organisations, strict=True)
    ]
    return clients, question.key


def server_env(database_name):
    """The settings the live bench serves with (the test settings: no collected static files
    needed), on this run's throwaway database and its own Redis database."""
    database = urlsplit(settings.DATABASE_URL)
    redis = urlsplit(os.environ["REDIS_URL"])
    env = dict(os.environ)
    env.update(
        DATABASE_URL=urlunsplit(database._replace(path="/" + database_name)),
        REDIS_URL=urlunsplit(redis._replace(path=f"/{REDIS_DB}")),
        DJANGO_SETTINGS_MODULE="config.settings.test",
        PYTHONPATH=str(ROOT),
    )
    return env


async def hammer(kind, servers, clients, question_key, seconds, revisions):
    latencies, errors = [], 0
    deadline = time.monotonic() + seconds

    async def one(index, session_key, response_pk):
        nonlocal errors
        origin = servers[index % len(servers)].origin
        cookies = {settings.SESSION_COOKIE_NAME: session_key, settings.CSRF_COOKIE_NAME: "b" * 32}
        async with httpx.AsyncClient(base_url=origin, cookies=cookies, timeout=30) as client:
            while time.monotonic() < deadline:
                started = time.perf_counter()
                if kind == "baseline":
                    reply = await client.get("/barrierefreiheit/")
                elif kind == "home":
                    reply = await client.get("/")
                elif kind == "response page":
                    reply = await client.get(f"/surveys/responses/{response_pk}/")
                else:
                    revision = revisions.get(response_pk, 0)
                    reply = await client.post(
                        f"/surveys/responses/{response_pk}/answers/{question_key}/",
                        data={
                            f"q-{question_key}": str(revision + 1),
                            f"q-{question_key}-revision": str(revision),
                            "csrfmiddlewaretoken": "b" * 32,
                        },
                        headers={
                            "HX-Request": "true",
                            "HX-Target": f"question-{question_key}-status",
                            "X-CSRFToken": "b" * 32,
                            "Referer": origin + "/",
                        },
                    )
                    if reply.status_code == 200:
                        revisions[response_pk] = revision + 1
                latencies.append(time.perf_counter() - started)
                if reply.status_code != 200:
                    errors += 1

    await asyncio.gather(*(one(n, key, pk) for n, (key, pk) in enumerate(clients)))
    return latencies, errors


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=400, help="municipalities, one member each")
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients")
    parser.add_argument("--seconds", type=float, default=10, help="per kind of request")
    parser.add_argument("--processes", type=int, default=1, help="uvicorn processes")
    args = parser.parse_args()
    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        sys.exit("Set DATABASE_URL (PostgreSQL) and REDIS_URL: it measures the services mode.")

    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = (
        "bench_" + settings.DATABASES["default"]["NAME"]
    )
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    servers = []
    try:
        clients, question_key = seed(args.members, random.Random(19))
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        env = server_env(connection.settings_dict["NAME"])
        connection.close()
        servers = [
            UvicornServer("config.asgi:application", env=env, options=["--no-access-log"])
            for _ in range(args.processes)
        ]
        for server in servers:
            server.wait_ready()
        clients = clients[: max(args.clients, 1)]
        wait_until(
            lambda: httpx.get(servers[0].origin + "/barrierefreiheit/").status_code == 200,
            timeout=30,
            what="the first page",
        )
        print(
            f"mitplanen pages bench: {args.processes} uvicorn process(es), {args.clients} clients,"
            f" {args.members} municipalities, {args.seconds:.0f} s per kind;"
            f" load average {os.getloadavg()[0]:.1f}"
        )
        print(
            f"{'kind':<15} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'errors':>6}"
            f" {'CPU %':>6} {'CPU ms/req':>10} {'vs base':>7}"
        )
        revisions, base_cost = {}, None
        for kind in KINDS:
            cpu_before = sum(server.cpu_seconds() for server in servers)
            started = time.perf_counter()
            latencies, errors = asyncio.run(
                hammer(kind, servers, clients, question_key, args.seconds, revisions)
            )
            elapsed = time.perf_counter() - started
            cpu = sum(server.cpu_seconds() for server in servers) - cpu_before
            cost = cpu / len(latencies)
            base_cost = base_cost or cost
            print(
                f"{kind:<15} {len(latencies):>8} {len(latencies) / elapsed:>7.0f}"
                f" {statistics.median(latencies) * 1000:>7.0f}"
                f" {percentile(latencies, 0.95) * 1000:>7.0f} {errors:>6}"
                f" {cpu / elapsed:>6.0%} {cost * 1000:>10.1f} {cost / base_cost:>6.1f}x",
                flush=True,
            )
    finally:
        for server in servers:
            server.stop()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
