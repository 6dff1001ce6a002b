"""How live sessions hold up: N participants in one dot vote, the project's consumer beside a
bare Channels relay (the baseline) on the same server and channel layer, in the same run.

    DATABASE_URL=postgres://… REDIS_URL=redis://… .venv/bin/python bench/live.py
    … bench/live.py --sizes 50,200,500,1000 --spread 5 --processes 1

One uvicorn process (or --processes N behind one port each, clients spread over them) serves
bench/live_asgi.py: config.asgi plus the baseline route. This process holds every socket with
the `websockets` client on one event loop. For each N:

- app: N participants and a moderator connect (session cookies, as browsers do); the
  moderator creates, reveals and opens a dot vote; each participant sets one dot at a random
  moment within --spread seconds; every client timestamps every update frame and the total
  of the tally it shows.
- baseline: N sockets on the relay; the same votes at the same moments; the relay counts
  them in memory and sends a coalesced tally (at most every 100 ms) through the same layer.
  Its count lives in one process's memory, so with --processes it runs on the first only.

Vote-to-screen latency: votes are ranked in the order they were acknowledged; a client shows
vote k once its tally total reaches k. Per (vote, client) pair: the time from sending vote k
to the first frame at that client with total ≥ k. "last screen": from the last vote sent
until every client shows the final total. Delivery: the share of (vote, client) pairs seen
within 10 s. Frames/s: update frames received by all clients per second of the vote phase.
CPU: the server processes' user+system time during the vote phase, in % of one core.
Connect: from the first handshake until every client has its snapshot.

After each N: per server process its sockets, CPU and resident memory with the sockets
open (and its growth per 1,000 sockets opened: meaningful at the first N only, later ones
reuse freed memory); the whole machine's CPU and this client's in the vote phase; Redis's
commands and CPU (the whole server), and PostgreSQL's transactions in the bench database
with its backends' CPU. Then each target with its figure and pass or FAIL: p95 at most
1.5× the baseline's, connect time per socket at most 2× the baseline's, every vote
acknowledged within the spread + 0.5 s, every screen final within 1 s of the last vote,
full delivery (bench/README.md says which apply to which run).

Works in a throwaway database `bench_<name>` beside DATABASE_URL's (dropped afterwards).
Without REDIS_URL the in-memory channel layer is used (one process only).
"""

import argparse
import asyncio
import bisect
import contextlib
import json
import os
import random
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

import redis  # noqa: E402
import websockets  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.contrib.sessions.models import Session  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from participation.models import EventStatus, User  # noqa: E402
from tests.processes import UvicornServer, cpu_seconds  # noqa: E402
from workshops.live import services  # noqa: E402
from workshops.live.models import LiveParticipant  # noqa: E402
from workshops.models import Workshop  # noqa: E402

OPTIONS = ["A", "B", "C", "D", "E"]
CONNECT_CONCURRENCY = 200
SETTLE_TIMEOUT = 10.0


# --- server --------------------------------------------------------------------------------


def server_env():
    db = urlsplit(settings.DATABASE_URL)
    env = dict(os.environ)
    env.update(
        DATABASE_URL=urlunsplit(db._replace(path="/" + connection.settings_dict["NAME"])),
        DJANGO_SETTINGS_MODULE="config.settings.test",
        MITPLANEN_REQUIRE_COORDINATOR_2FA="0",
        PYTHONPATH=str(ROOT),
        # uvicorn is asked for warnings only, but Django's LOGGING (root level INFO) gives
        # its loggers handlers again: two lines per socket opened, written by the server.
        LOG_LEVEL="WARNING",
    )
    return env


def start_server(env):
    """uvicorn serving bench/live_asgi.py, ready for connections."""
    server = UvicornServer("bench.live_asgi:application", env=env, options=["--no-access-log"])
    return server.wait_ready()


def rss_mb(pid):
    """Resident memory of a process in MB, from /proc (Linux)."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def machine_cpu():
    """(busy, total) clock ticks of all CPUs so far, from /proc/stat (Linux)."""
    with open("/proc/stat") as stat:
        fields = [int(field) for field in stat.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return sum(fields) - idle, sum(fields)


class Load:
    """Redis and PostgreSQL during the vote phase: Redis's commands and CPU (the whole
    server: other users of it count too), and the transactions committed in the bench's
    database with the CPU of the PostgreSQL backends serving it (this machine's /proc)."""

    def __init__(self):
        self.redis = redis.Redis.from_url(settings.REDIS_URL) if settings.REDIS_URL else None

    def sample(self):
        try:
            return self._sample()
        finally:
            connection.close()  # a worker thread's: the database is dropped at the end

    def _sample(self):
        found = {}
        if self.redis is not None:
            info = self.redis.info()
            found["redis_commands"] = info["total_commands_processed"]
            found["redis_cpu"] = info["used_cpu_sys"] + info["used_cpu_user"]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT xact_commit + xact_rollback FROM pg_stat_database"
                " WHERE datname = current_database()"
            )
            found["pg_xacts"] = cursor.fetchone()[0]
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid()"
            )
            backends = {}
            for (pid,) in cursor.fetchall():
                # Not readable: PostgreSQL on another machine, or the backend just ended.
                with contextlib.suppress(OSError):
                    backends[pid] = cpu_seconds(pid)
            found["pg_backends"] = backends
        return found

    @staticmethod
    def rates(before, after, seconds):
        rates = {}
        if "redis_commands" in after:
            rates["redis_ops"] = (after["redis_commands"] - before["redis_commands"]) / seconds
            rates["redis_cpu"] = 100 * (after["redis_cpu"] - before["redis_cpu"]) / seconds
        rates["pg_tps"] = (after["pg_xacts"] - before["pg_xacts"]) / seconds
        cpu = sum(
            spent - before["pg_backends"].get(pid, 0.0)
            for pid, spent in after["pg_backends"].items()
        )
        rates["pg_cpu"] = 100 * cpu / seconds if after["pg_backends"] else float("nan")
        return rates


# --- data ------------------------------------------------------------------------------------


def session_keys(payloads):
    """Browser sessions, written in one go."""
    expire = timezone.now() + timezone.timedelta(days=1)
    rows, keys = [], []
    for payload in payloads:
        key = uuid.uuid4().hex
        rows.append(
            Session(
                session_key=key, session_data=SessionStore().encode(payload), expire_date=expire
            )
        )
        keys.append(key)
    Session.objects.bulk_create(rows, batch_size=1000)
    return keys


def prepare(size):
    """A workshop with an open live session, a moderator and `size` join-code participants
    (run in a worker thread, whose database connection is closed afterwards)."""
    try:
        return _prepare(size)
    finally:
        connection.close()


def _prepare(size):
    now = timezone.now()
    coordinator, _ = User.objects.get_or_create(
        email="moderation@bench.example", defaults={"is_coordinator": True}
    )
    workshop = Workshop.objects.create(
        title=f"Bench {size}",
        status=EventStatus.PUBLISHED,
        start=now,
        end=now + timezone.timedelta(hours=4),
        venue_name="Bench",
    )
    live = services.ensure_live_session(workshop, actor=coordinator)
    participants = LiveParticipant.objects.bulk_create(
        [LiveParticipant(session=live, display_name=f"P{n}") for n in range(size)],
        batch_size=1000,
    )
    moderator = session_keys(
        [
            {
                SESSION_KEY: str(coordinator.pk),
                HASH_SESSION_KEY: coordinator.get_session_auth_hash(),
                BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
            }
        ]
    )[0]
    keys = session_keys([{"live_participants": {str(live.pk): p.pk}} for p in participants])
    return workshop, moderator, keys


# --- clients ---------------------------------------------------------------------------------


class Screen:
    """One client: the tally total it shows over time."""

    def __init__(self, ws):
        self.ws = ws
        self.times = []
        self.totals = []
        self.acks = asyncio.Queue()
        self.snapshot = asyncio.Event()
        self.activity = None
        self.task = None
        self.frames = 0

    async def listen(self, clock):
        try:
            async for text in self.ws:
                now = clock()
                message = json.loads(text)
                kind = message["type"]
                if kind == "update":
                    self.frames += 1
                    tally = None
                    for event in message["events"]:
                        if event["event"] == "activity":  # the app's vote, created or opened
                            self.activity = event["activity"]
                            tally = (self.activity["results"] or {}).get("tally")
                    key = str(self.activity["id"]) if self.activity else "1"
                    if key in message["results"]:
                        tally = message["results"][key]["tally"]
                    if tally is not None:
                        self.times.append(now)
                        self.totals.append(sum(tally.values()))
                elif kind == "snapshot":
                    self.snapshot.set()
                elif kind in ("ack", "error"):
                    self.acks.put_nowait((now, message))
        except websockets.ConnectionClosed:
            pass

    def seen_at(self, total):
        """When this screen first showed at least `total` votes (None if never)."""
        # Totals never go down for one screen, except a stale frame; use the running max.
        index = bisect.bisect_left(self.running_max, total)
        return self.times[index] if index < len(self.times) else None

    def finish(self):
        self.running_max, best = [], 0
        for total in self.totals:
            best = max(best, total)
            self.running_max.append(best)


async def open_screens(urls, cookies, clock):
    semaphore = asyncio.Semaphore(CONNECT_CONCURRENCY)

    async def one(url, cookie):
        async with semaphore:
            headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"} if cookie else {}
            ws = await websockets.connect(
                url,
                origin="http://127.0.0.1",
                additional_headers=headers,
                compression=None,
                open_timeout=60,
                max_queue=None,
                ping_interval=None,
            )
            screen = Screen(ws)
            screen.task = asyncio.get_running_loop().create_task(screen.listen(clock))
            await screen.snapshot.wait()
            return screen

    return await asyncio.gather(
        *(one(url, cookie) for url, cookie in zip(urls, cookies, strict=True))
    )


async def request(screen, message):
    await screen.ws.send(json.dumps(message))
    _at, reply = await screen.acks.get()
    if reply["type"] != "ack":
        raise RuntimeError(reply)
    return reply.get("result") or {}


def percentile(values, share):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def run_votes(screens, voters, make_message, servers, spread, rng):
    """Every voter sends one vote at a random moment within `spread` seconds; returns the
    measurements."""
    loop = asyncio.get_running_loop()
    clock = loop.time
    moments = sorted(rng.uniform(0, spread) for _ in voters)
    order = list(range(len(voters)))
    rng.shuffle(order)
    sent, acked = {}, {}
    cpu_before = [server.cpu_seconds() for server in servers]
    load = Load()
    load_before = await asyncio.to_thread(load.sample)
    machine_before, client_before = machine_cpu(), time.process_time()
    start = clock()

    async def vote(position, index):
        await asyncio.sleep(max(0.0, start + moments[position] - clock()))
        screen = voters[index]
        sent[index] = clock()
        await screen.ws.send(json.dumps(make_message(index)))
        at, reply = await screen.acks.get()
        if reply["type"] != "ack":
            raise RuntimeError(reply)
        acked[index] = at

    await asyncio.gather(*(vote(position, index) for position, index in enumerate(order)))
    last_sent = max(sent.values())
    total = len(voters)
    deadline = clock() + SETTLE_TIMEOUT
    while clock() < deadline:
        if all(s.totals and max(s.totals) >= total for s in screens):
            break
        await asyncio.sleep(0.02)
    await asyncio.sleep(0.2)  # late frames still count as frames
    end = clock()
    cpu = [server.cpu_seconds() - was for server, was in zip(servers, cpu_before, strict=True)]
    client = time.process_time() - client_before
    machine_after = machine_cpu()
    load_after = await asyncio.to_thread(load.sample)

    for screen in screens:
        screen.finish()
    ranked = sorted(acked, key=acked.get)  # commit order, as near as the client can tell
    latencies, seen, last_screen = [], 0, 0.0
    sample = screens if len(screens) <= 500 else random.Random(1).sample(screens, 500)
    for screen in sample:
        for rank, index in enumerate(ranked, start=1):
            at = screen.seen_at(rank)
            if at is not None:
                seen += 1
                latencies.append(max(0.0, at - sent[index]))
    for screen in screens:
        at = screen.seen_at(total)
        last_screen = max(last_screen, (at if at is not None else float("inf")) - last_sent)
    frames = sum(screen.frames for screen in screens)
    return {
        "p50": percentile(latencies, 0.50),
        "p95": percentile(latencies, 0.95),
        "p99": percentile(latencies, 0.99),
        "last": last_screen,
        "delivery": seen / (len(sample) * total),
        "fps": frames / (end - start),
        "cpu": 100 * sum(cpu) / (end - start),
        "cpu_each": [100 * spent / (end - start) for spent in cpu],
        "client_cpu": 100 * client / (end - start),
        "machine_busy": 100
        * (machine_after[0] - machine_before[0])
        / max(1, machine_after[1] - machine_before[1]),
        "load": Load.rates(load_before, load_after, end - start),
        "votes_in": max(acked.values()) - start,
        "ack95": percentile([acked[i] - sent[i] for i in acked], 0.95),
    }


async def measure_app(servers, size, spread, rng):
    workshop, moderator_key, keys = await asyncio.to_thread(prepare, size)
    loop = asyncio.get_running_loop()
    path = f"/ws/workshops/{workshop.pk}/live/"
    urls = [f"ws://127.0.0.1:{servers[n % len(servers)].port}{path}" for n in range(size)]
    rss_before = [rss_mb(server.process.pid) for server in servers]
    began = loop.time()
    moderator, *participants = await open_screens(
        [f"ws://127.0.0.1:{servers[0].port}{path}", *urls], [moderator_key, *keys], loop.time
    )
    connect = loop.time() - began
    rss_after = [rss_mb(server.process.pid) for server in servers]
    sockets = [size // len(servers) + (n < size % len(servers)) for n in range(len(servers))]
    sockets[0] += 1  # the moderator
    created = await request(
        moderator,
        {
            "type": "activity.create",
            "kind": "dots",
            "title": "Bench",
            "config": {"dots": 1, "options": OPTIONS},
            "ref": 1,
        },
    )
    activity = created["id"]
    await request(moderator, {"type": "activity.reveal", "activity": activity, "revealed": True})
    await request(moderator, {"type": "activity.open", "activity": activity})
    screens = [moderator, *participants]
    deadline = loop.time() + 30
    while not all(s.activity and s.activity["status"] == "open" for s in screens):
        if loop.time() > deadline:
            raise RuntimeError("not every screen saw the vote open")
        await asyncio.sleep(0.05)
    for screen in screens:
        screen.times.clear()
        screen.totals.clear()
        screen.frames = 0

    def vote(index):
        option = str(index % len(OPTIONS) + 1)
        return {"type": "dots.set", "activity": activity, "allocation": {option: 1}}

    result = await run_votes(screens, participants, vote, servers, spread, rng)
    result["connect"] = connect
    result["sockets"] = size + 1
    result.update(sockets_each=sockets, rss_before=rss_before, rss_after=rss_after)
    await close(screens)
    return result


async def measure_baseline(servers, size, spread, rng):
    loop = asyncio.get_running_loop()
    room = uuid.uuid4().hex[:12]
    # The relay counts votes in its process's memory: it stays on one process.
    urls = [f"ws://127.0.0.1:{servers[0].port}/ws/bench/relay/{room}/"] * (size + 1)
    began = loop.time()
    screens = await open_screens(urls, [None] * (size + 1), loop.time)
    connect = loop.time() - began
    result = await run_votes(
        screens, screens[1:], lambda index: {"type": "vote", "ref": index}, servers, spread, rng
    )
    result["connect"] = connect
    result["sockets"] = size + 1
    await close(screens)
    return result


async def close(screens):
    await asyncio.gather(*(screen.ws.close() for screen in screens), return_exceptions=True)
    for screen in screens:
        screen.task.cancel()


# --- report ----------------------------------------------------------------------------------

COLUMNS = [
    ("p50", "p50 ms", 1000, "{:8.0f}"),
    ("p95", "p95 ms", 1000, "{:8.0f}"),
    ("p99", "p99 ms", 1000, "{:8.0f}"),
    ("last", "last ms", 1000, "{:8.0f}"),
    ("delivery", "deliv", 100, "{:7.1f}%"),
    ("fps", "frames/s", 1, "{:8.0f}"),
    ("cpu", "CPU %", 1, "{:7.0f}%"),
    ("connect", "conn s", 1, "{:8.2f}"),
    ("votes_in", "votes s", 1, "{:8.2f}"),
    ("ack95", "ack95 ms", 1000, "{:8.0f}"),
]


def row(label, size, result):
    cells = [fmt.format(result[key] * scale) for key, _title, scale, fmt in COLUMNS]
    return f"{size:>6} {label:<9}" + " ".join(cells)


def ratio_row(size, app, base):
    cells = []
    for key, _title, _scale, _fmt in COLUMNS:
        if key in ("delivery", "votes_in", "ack95"):
            cells.append(" " * 8)
            continue
        denominator = base[key]
        value = app[key] / denominator if denominator else float("nan")
        cells.append(f"{value:7.2f}x")
    return f"{size:>6} {'app/base':<9}" + " ".join(cells)


def targets(size, spread, app, base):
    """(name, value shown, pass) for each target (bench/README.md names which applies to
    which run: one process up to 1,000, two processes at 1,500 and 2,000)."""
    p95 = app["p95"] / base["p95"]
    app_socket = 1000 * app["connect"] / app["sockets"]
    base_socket = 1000 * base["connect"] / base["sockets"]
    return [
        ("p95 ≤ 1.5× baseline", f"{p95:.2f}×", p95 <= 1.5),
        (
            "connect per socket ≤ 2× baseline",
            f"{app_socket / base_socket:.2f}× ({app_socket:.2f} vs {base_socket:.2f} ms)",
            app_socket <= 2 * base_socket,
        ),
        (
            f"every vote acknowledged ≤ {spread + 0.5:g} s",
            f"{app['votes_in']:.2f} s",
            app["votes_in"] <= spread + 0.5,
        ),
        ("every screen final ≤ 1 s after the last vote", f"{app['last']:.2f} s", app["last"] <= 1),
        ("full delivery", f"{100 * app['delivery']:.1f} %", app["delivery"] == 1),
    ]


def per_process(size, app, base):
    lines = []
    for n, (sockets, cpu, before, after) in enumerate(
        zip(app["sockets_each"], app["cpu_each"], app["rss_before"], app["rss_after"], strict=True)
    ):
        grown = (after - before) / sockets * 1000
        lines.append(
            f"{'':>6} app process {n + 1}: {sockets} sockets, CPU {cpu:.0f}% in the vote phase,"
            f" RSS {after:.0f} MB with them open ({grown:+.0f} MB per 1,000 sockets opened)"
        )
    lines.append(
        f"{'':>6} machine in the vote phase: {app['machine_busy']:.0f}% of all"
        f" {os.cpu_count()} CPUs busy (baseline's: {base['machine_busy']:.0f}%), this client"
        f" {app['client_cpu']:.0f}% of one (baseline's: {base['client_cpu']:.0f}%)"
    )
    load, base_load = app["load"], base["load"]
    if "redis_ops" in load:
        lines.append(
            f"{'':>6} Redis (whole server) in the vote phase: app {load['redis_ops']:.0f}"
            f" commands/s, CPU {load['redis_cpu']:.0f}%; baseline {base_load['redis_ops']:.0f}"
            f" commands/s, CPU {base_load['redis_cpu']:.0f}%"
        )
    lines.append(
        f"{'':>6} PostgreSQL (bench database) in the vote phase: app {load['pg_tps']:.0f}"
        f" transactions/s, its backends' CPU {load['pg_cpu']:.0f}%;"
        f" baseline {base_load['pg_tps']:.0f} transactions/s"
    )
    return lines


async def bench(sizes, spread, processes):
    env = server_env()
    servers = [start_server(env) for _ in range(processes)]
    rng = random.Random(7)
    try:
        header = f"{'N':>6} {'':<9}" + " ".join(f"{title:>8}" for _k, title, _s, _f in COLUMNS)
        print(header)
        for size in sizes:
            app = await measure_app(servers, size, spread, rng)
            base = await measure_baseline(servers, size, spread, rng)
            print(row("app", size, app))
            print(row("baseline", size, base))
            print(ratio_row(size, app, base), flush=True)
            for line in per_process(size, app, base):
                print(line)
            for name, shown, ok in targets(size, spread, app, base):
                print(f"{'':>6} target {name}: {shown} {'pass' if ok else 'FAIL'}", flush=True)
    finally:
        for server in servers:
            server.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default="50,200,500,1000", help="participants per run, e.g. 50,200,500"
    )
    parser.add_argument("--spread", type=float, default=5.0, help="votes arrive within (s)")
    parser.add_argument("--processes", type=int, default=1, help="uvicorn processes")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench/live.py needs PostgreSQL: set DATABASE_URL (and REDIS_URL).")
    if args.processes > 1 and not settings.REDIS_URL:
        sys.exit("Several processes share sessions through Redis: set REDIS_URL.")
    sizes = sorted(int(part) for part in args.sizes.split(",") if part.strip())

    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = (
        "bench_" + settings.DATABASES["default"]["NAME"]
    )
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        layer = settings.CHANNEL_LAYERS["default"]["BACKEND"].rsplit(".", 1)[1]
        print(
            f"mitplanen live bench: {args.processes} uvicorn process(es), {layer},"
            f" votes spread over {args.spread:g} s, {os.cpu_count()} CPUs"
        )
        try:
            from uvloop import run  # noqa: PLC0415 - optional, faster event loop when installed
        except ImportError:
            run = asyncio.run
        run(bench(sizes, args.spread, args.processes))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
