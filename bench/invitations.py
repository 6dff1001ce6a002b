"""How fast invitations leave through Celery and Redis, beside the ceiling of plain smtplib
sending the same rendered messages over one connection, measured in the same run; and the
same once more with the worker killed and restarted mid-run.

    DATABASE_URL=postgres://… REDIS_URL=redis://… .venv/bin/python bench/invitations.py
    … bench/invitations.py --invitations 5000 --workers 1 --concurrency 2 --sink process

Three runs, each to a fresh set of 5,000 external addresses of one workshop:
1. `send_invitations` queues one task per batch of invitations (BATCH_SIZE) after commit;
   real `celery worker` processes (prefork) render, store and send each batch to a local
   SMTP sink over one connection. Timed from the call until the sink holds a message for
   every invitee.
2. The ceiling: the same invitations rendered by the same code (then rolled back), and the
   finished bytes sent with `smtplib` over one connection, as fast as it goes. Target: the
   pipeline at 0.5x the ceiling or more.
3. As 1, but the worker is killed (SIGKILL to it and its pool) once 40 % have arrived and
   started again at once. What it had taken stays unacknowledged in Redis for an hour; the
   new worker's `resume_unsent` queues again what the database says is unsent.
Each run counts the messages and distinct recipients that arrived: both must be exactly the
number of invitations, no loss and no duplicate.

It needs PostgreSQL (the workers share the database) and Redis. It works in the database
`mitplanen_bench` (BENCH_DATABASE_NAME) on the server of DATABASE_URL, created and migrated
when missing and emptied at the start, and in database 13 (BENCH_REDIS_DB) of the Redis of
REDIS_URL, emptied at start and end. Nothing else is touched.
"""

import argparse
import datetime
import os
import smtplib
import subprocess
import sys
import time
import uuid
from collections import Counter
from contextlib import suppress
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _with_path(url, path):
    return urlunsplit(urlsplit(url)._replace(path=path))


SERVICES = os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ.get("REDIS_URL")
if not SERVICES:
    sys.exit("bench/invitations.py needs DATABASE_URL=postgres://… and REDIS_URL=redis://…")
SERVER_DATABASE_URL = os.environ["DATABASE_URL"]
BENCH_DATABASE_URL = _with_path(
    SERVER_DATABASE_URL, "/" + os.environ.get("BENCH_DATABASE_NAME", "mitplanen_bench")
)
BENCH_REDIS_URL = _with_path(os.environ["REDIS_URL"], "/" + os.environ.get("BENCH_REDIS_DB", "13"))
# The driver plays the web process: it queues through Redis, never inline.
BENCH_ENV = {
    # Another module (importable, built on these) measures a change of settings.
    "DJANGO_SETTINGS_MODULE": os.environ.get("BENCH_SETTINGS", "config.settings.local"),
    "DJANGO_DEBUG": "0",
    "DATABASE_URL": BENCH_DATABASE_URL,
    "REDIS_URL": BENCH_REDIS_URL,
    "CELERY_TASK_ALWAYS_EAGER": "0",
}
os.environ.update(BENCH_ENV)

import django  # noqa: E402
import psycopg  # noqa: E402
import redis  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.smtp_sink import ThreadSink  # noqa: E402
from participation import mail  # noqa: E402
from participation.events import invitations, selectors  # noqa: E402
from participation.models import AudienceEntry, Invitation, OutboundMail  # noqa: E402
from tests.processes import CeleryWorker, free_port, smtp_env, wait_until  # noqa: E402
from workshops.models import Workshop  # noqa: E402

QUEUE = "celery"
UNACKED = "unacked"  # kombu's Redis transport: delivered, not yet acknowledged tasks
KILL_AT = 0.4
TARGET = 0.5  # of the ceiling
SAMPLE = 300  # invitations rendered one at a time, for the cost per message
# PostgreSQL's backends report their statistics when they go idle, at most once a second,
# or ten seconds after they last did: read them this long after a run has ended.
STATS_SETTLE = 11


def cpu_seconds(*process_groups):
    """CPU time (user + system) the live processes of these process groups have used so far,
    from /proc (Linux); None elsewhere."""
    if None in process_groups or not Path("/proc/self/stat").exists():
        return None
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        if int(fields[2]) in process_groups:
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def database_activity():
    """(sessions opened, milliseconds spent executing statements) in the bench database so
    far, from PostgreSQL's statistics (`pg_stat_database`)."""
    name = urlsplit(BENCH_DATABASE_URL).path.lstrip("/")
    with psycopg.connect(_with_path(SERVER_DATABASE_URL, "/postgres"), autocommit=True) as pg:
        return pg.execute(
            "SELECT sessions, active_time FROM pg_stat_database WHERE datname = %s", [name]
        ).fetchone()


def machine_ticks():
    """(busy, total) CPU ticks of the whole machine so far, from /proc/stat; None elsewhere."""
    try:
        ticks = [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except OSError:
        return None
    idle = ticks[3] + ticks[4]  # idle and iowait
    return sum(ticks) - idle, sum(ticks)


def machine_busy(before, after):
    if before is None or after is None or after[1] == before[1]:
        return None
    return (after[0] - before[0]) / (after[1] - before[1])


def used(before, after):
    return None if before is None or after is None else after - before


# --- database and Redis --------------------------------------------------------------------


def prepare_database():
    name = urlsplit(BENCH_DATABASE_URL).path.lstrip("/")
    with psycopg.connect(_with_path(SERVER_DATABASE_URL, "/postgres"), autocommit=True) as pg:
        exists = pg.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            pg.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)


def seed_workshop(tag, count):
    """A published workshop in a month with `count` external addresses as its audience."""
    start = (timezone.now() + datetime.timedelta(days=30)).replace(minute=0, second=0)
    workshop = Workshop.objects.create(
        title=f"Fachworkshop Bench {tag}",
        status="published",
        start=start,
        end=start + datetime.timedelta(hours=4),
        venue_name="Kreishaus Siegburg, Raum 1.04",
        venue_address="Kaiser-Wilhelm-Platz 1\n53721 Siegburg",
    )
    AudienceEntry.objects.bulk_create(
        (
            AudienceEntry(
                event_type=ContentType.objects.get_for_model(Workshop),
                event_id=workshop.pk,
                kind=AudienceEntry.Kind.EMAIL,
                email=f"{tag}-{n:05d}@bench.example",
            )
            for n in range(count)
        ),
        batch_size=1000,
    )
    return workshop


# --- the SMTP sink -------------------------------------------------------------------------


class ProcessSink:
    """bench/smtp_sink.py in a process of its own, read back through its log file."""

    def __init__(self, port, log_dir):
        self.port = port
        self.log = log_dir / "sink.log"
        self.log.write_text("")
        self.records = []
        self._offset = 0
        self._partial = ""

    def start(self):
        command = [sys.executable, str(ROOT / "bench" / "smtp_sink.py")]
        command += ["--port", str(self.port), "--log", str(self.log)]
        self.process = subprocess.Popen(command, start_new_session=True)
        wait_until(self._answers, timeout=20, what="the SMTP sink", interval=0.05)

    def _answers(self):
        try:
            with smtplib.SMTP("127.0.0.1", self.port, timeout=1) as smtp:
                smtp.noop()
            return True
        except OSError:
            return False

    def read(self):
        with self.log.open(encoding="utf-8") as log:
            log.seek(self._offset)
            text = self._partial + log.read()
            self._offset = log.tell()
        *lines, self._partial = text.split("\n")
        self.records.extend(tuple(line.split("\t", 1)) for line in lines)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


class Counting:
    """What arrived at the sink for one run: recipients starting with `tag-`."""

    def __init__(self, sink, tag):
        self.sink, self.prefix = sink, f"{tag}-"
        self.records = []
        sink.read()
        self._seen = len(sink.records)
        self.recipients = Counter()

    def update(self):
        self.sink.read()
        new = self.sink.records[self._seen :]
        self._seen += len(new)
        new = [record for record in new if record[0].startswith(self.prefix)]
        self.records.extend(new)
        self.recipients.update(recipient for recipient, _message_id in new)
        return len(self.recipients)

    @property
    def duplicate_messages(self):
        return len(self.records) - len({message_id for _recipient, message_id in self.records})


# --- the workers -----------------------------------------------------------------------------


def start_workers(workers):
    for worker in workers:
        worker.launch()
    for worker in workers:
        worker.wait_ready(timeout=60)


def wait_idle(broker, *, orphaned, timeout=120):
    """Until the queue is empty and every task taken is done (acknowledged), twice in a row."""

    def idle():
        return broker.llen(QUEUE) == 0 and broker.hlen(UNACKED) <= orphaned

    def idle_twice():
        if not idle():
            return False
        time.sleep(0.3)
        return idle()

    wait_until(idle_twice, timeout=timeout, what="the workers to finish", interval=0.1)


# --- the runs --------------------------------------------------------------------------------


class Result:
    def __init__(
        self, label, count, seconds, counting, *, cpu, note="", driver=None, database=None
    ):
        """`cpu`: seconds used by the sink and the workers, share of the machine busy;
        `driver`: CPU seconds of this process; `database`: sessions opened and milliseconds
        of statements in the bench database."""
        self.label, self.count, self.seconds, self.note = label, count, seconds, note
        self.sink_cpu, self.worker_cpu, self.machine = cpu
        self.driver_cpu, self.database = driver, database
        if counting is not None:
            self.messages = len(counting.records)
            self.recipients = len(counting.recipients)
            self.duplicates = self.messages - self.recipients
            # Repeats carrying a Message-ID seen before: a mail system can drop them.
            self.same_id = counting.duplicate_messages
        else:
            self.messages = self.recipients = self.duplicates = self.same_id = None

    @property
    def rate(self):
        return self.count / self.seconds

    @property
    def exact(self):
        return self.messages == self.recipients == self.count

    @property
    def lost(self):
        return self.count - self.recipients

    @property
    def once_or_window(self):
        """Nobody left out, and every repeat the same message again (its Message-ID): what
        a kill between the server's 250 and the commit of "sent" may leave."""
        return self.lost == 0 and self.duplicates == self.same_id


def through_celery(label, *, tag, count, sink, sink_pid, workers, broker, kill_at=None):
    workshop = seed_workshop(tag, count)
    counting = Counting(sink, tag)
    sink_before = cpu_seconds(sink_pid)
    workers_before = cpu_seconds(*(worker.process.pid for worker in workers))
    orphaned = broker.hlen(UNACKED)
    notes = []
    database_before = database_activity()
    driver_before = time.process_time()
    machine_before = machine_ticks()
    started = time.perf_counter()
    queued = invitations.send_invitations(workshop, actor=None)
    assert queued == count, queued
    notes.append(f"send_invitations returned after {time.perf_counter() - started:.1f}s")
    if kill_at is not None:
        wait_until(
            lambda: counting.update() >= kill_at * count, timeout=600, what="40 %", interval=0.01
        )
        victim = workers[0]
        # What the killed processes used is gone with them: count it as if spent already.
        workers_before = used(cpu_seconds(victim.process.pid), workers_before)
        victim.kill()
        at_kill = counting.update()
        orphaned = broker.hlen(UNACKED)
        killed = time.perf_counter()
        victim.start(timeout=60)
        notes.append(
            f"killed at {at_kill} arrived, {orphaned} tasks left unacknowledged in Redis;"
            f" restarted and ready in {time.perf_counter() - killed:.1f}s"
        )
    wait_until(
        lambda: counting.update() >= count, timeout=600, what=f"{count} recipients", interval=0.01
    )
    seconds = time.perf_counter() - started
    driver_cpu = time.process_time() - driver_before
    machine = machine_busy(machine_before, machine_ticks())
    sink_cpu = used(sink_before, cpu_seconds(sink_pid))
    worker_cpu = used(workers_before, cpu_seconds(*(worker.process.pid for worker in workers)))
    wait_idle(broker, orphaned=orphaned)
    time.sleep(1)  # anything still on its way arrives now and shows as a duplicate
    counting.update()
    if kill_at is not None:
        notes.append(f"resume_unsent on restart queued again: {workers[0].resumed()}")
    sent = OutboundMail.objects.filter(
        invitation_message__invitation__event_id=workshop.pk, status=OutboundMail.Status.SENT
    ).count()
    notes.append(f"outbox rows marked sent: {sent}")
    time.sleep(STATS_SETTLE)
    database = [
        after - before for before, after in zip(database_before, database_activity(), strict=True)
    ]
    cpu = sink_cpu, worker_cpu, machine
    result = Result(
        label,
        count,
        seconds,
        counting,
        cpu=cpu,
        note="; ".join(notes),
        driver=driver_cpu,
        database=database,
    )
    return result, workshop


def rendered_messages(workshop):
    """The workshop's invitations rendered again by the pipeline's code in its batches (a
    new personal link each, as the pipeline makes), as the bytes Django's SMTP backend would
    send; nothing is kept in the database."""
    messages = []
    with transaction.atomic():
        ids = list(selectors.invitations_of(workshop).values_list("pk", flat=True))
        items = [(pk, "invitation", "bench-ceiling") for pk in ids]
        for batch in mail.batches(items):
            for message in invitations.prepare_messages(batch):
                email = mail._as_message(message.mail)
                data = email.message().as_bytes(linesep="\r\n")
                messages.append((email.from_email, email.to, data))
        transaction.set_rollback(True)
    return messages


def rendering_costs(workshop):
    """Milliseconds per message (SAMPLE of the workshop's invitations, in one process):
    written one at a time (`prepare_message`, as one task per invitation did), rendered
    alone without the database (`render_message`), and written in batches
    (`prepare_messages`); nothing is kept."""
    ids = list(selectors.invitations_of(workshop).values_list("pk", flat=True)[:SAMPLE])
    costs = {}
    with transaction.atomic():
        started = time.perf_counter()
        for pk in ids:
            invitations.prepare_message(pk, "invitation", "bench-one")
        costs["one at a time"] = time.perf_counter() - started
        event = workshop
        started = time.perf_counter()
        for invitation in Invitation.objects.filter(pk__in=ids).select_related("deputy_for"):
            invitations.render_message(invitation, event, "invitation", "x" * 43, "bench")
        costs["rendering alone"] = time.perf_counter() - started
        started = time.perf_counter()
        for batch in mail.batches([(pk, "invitation", "bench-batch") for pk in ids]):
            invitations.prepare_messages(batch)
        costs["in batches"] = time.perf_counter() - started
        transaction.set_rollback(True)
    return {label: seconds * 1000 / len(ids) for label, seconds in costs.items()}


def through_smtplib(label, *, tag, messages, sink, sink_pid, port):
    counting = Counting(sink, tag)
    sink_before = cpu_seconds(sink_pid)
    machine_before = machine_ticks()
    driver_before = time.process_time()
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for from_email, to, data in messages:
            smtp.sendmail(from_email, to, data)
    wait_until(
        lambda: counting.update() >= len(messages),
        timeout=60,
        what="the ceiling run",
        interval=0.01,
    )
    seconds = time.perf_counter() - started
    driver_cpu = time.process_time() - driver_before
    cpu = (
        used(sink_before, cpu_seconds(sink_pid)),
        None,
        machine_busy(machine_before, machine_ticks()),
    )
    counting.update()
    return Result(label, len(messages), seconds, counting, cpu=cpu, driver=driver_cpu)


def share(cpu, seconds, cores=1):
    return "-" if cpu is None else f"{cpu / seconds / cores:.0%}"


def print_table(results, ceiling):
    print(
        f"\n{'run':<40} {'sent':>5} {'rcpts':>5} {'dup':>4} {'same ID':>7} {'seconds':>8}"
        f" {'msgs/s':>7}"
        f" {'of ceiling':>10} {'sink CPU':>8} {'workers CPU':>11} {'all CPU':>7}  exact"
    )
    for result in results:
        print(
            f"{result.label:<40} {result.messages:>5} {result.recipients:>5}"
            f" {result.duplicates:>4} {result.same_id:>7}"
            f" {result.seconds:>8.2f} {result.rate:>7.0f}"
            f" {result.rate / ceiling.rate:>9.2f}x {share(result.sink_cpu, result.seconds):>8}"
            f" {share(result.worker_cpu, result.seconds, os.cpu_count()):>11}"
            f" {'-' if result.machine is None else f'{result.machine:.0%}':>7}"
            f"  {'yes' if result.exact else 'window' if result.once_or_window else 'NO'}"
        )
    print(
        "dup: messages beyond one per recipient; same ID: of those, repeats of a Message-ID"
        " already delivered (a worker killed between the server's 250 and recording 'sent');"
        " exact 'window': only such repeats\n"
        "sink CPU: of one core; workers CPU: the Celery worker processes, of all cores;"
        " all CPU: the whole machine busy (PostgreSQL, Redis, this driver, anything else)"
    )
    for result in results:
        if result.note:
            print(f"  {result.label}: {result.note}")
    print(
        "\nper message, ms of CPU (the workers, the sink, this driver: for the ceiling, the"
        " smtplib client) and of PostgreSQL executing statements in the bench database;"
        " PostgreSQL sessions opened"
    )
    print(
        f"{'run':<40} {'workers':>8} {'sink':>6} {'driver':>7} {'PostgreSQL':>10} {'sessions':>8}"
    )
    for result in results:

        def per_message(seconds, result=result):
            return "-" if seconds is None else f"{seconds * 1000 / result.count:.2f}"

        sessions, active = result.database or ("-", None)
        print(
            f"{result.label:<40} {per_message(result.worker_cpu):>8}"
            f" {per_message(result.sink_cpu):>6} {per_message(result.driver_cpu):>7}"
            f" {per_message(None if active is None else active / 1000):>10} {sessions:>8}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--invitations", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=1, help="worker processes")
    parser.add_argument(
        "--concurrency",
        type=int,
        default=settings.CELERY_WORKER_CONCURRENCY,
        help="pool processes per worker (default: the installation's, two per core)",
    )
    parser.add_argument(
        "--sink",
        choices=["process", "thread"],
        default="process",
        help="SMTP sink in a process of its own (default) or in a thread of this driver",
    )
    parser.add_argument("--no-kill", action="store_true", help="skip the run with a kill")
    args = parser.parse_args()
    count = args.invitations

    log_dir = Path(os.environ.get("TMPDIR", "/tmp")) / f"mitplanen-bench-{uuid.uuid4().hex[:8]}"
    log_dir.mkdir(parents=True)
    prepare_database()
    broker = redis.Redis.from_url(BENCH_REDIS_URL)
    broker.flushdb()
    port = free_port()
    sink = ProcessSink(port, log_dir) if args.sink == "process" else ThreadSink(port)
    sink.start()
    sink_pid = sink.process.pid if args.sink == "process" else None
    workers = [
        CeleryWorker(
            {**os.environ, **BENCH_ENV, **smtp_env(port)},
            log_dir,
            label=f"bench-{n}",
            concurrency=args.concurrency,
        )
        for n in range(1, args.workers + 1)
    ]
    print(
        f"{count} invitations; {args.workers} worker(s) x {args.concurrency} prefork processes;"
        f" {os.cpu_count()} cores; SMTP sink in a {args.sink};"
        f" load average at start {os.getloadavg()[0]:.1f}; logs in {log_dir}",
        flush=True,
    )
    try:
        start_workers(workers)
        celery, workshop = through_celery(
            "Celery batched + Redis -> SMTP",
            tag="run1",
            count=count,
            sink=sink,
            sink_pid=sink_pid,
            workers=workers,
            broker=broker,
        )
        print(f"  {celery.label}: {celery.rate:.0f}/s", flush=True)

        started = time.perf_counter()
        messages = rendered_messages(workshop)
        rendering = time.perf_counter() - started
        ceiling = through_smtplib(
            "plain smtplib, one connection (ceiling)",
            tag="run1",
            messages=messages,
            sink=sink,
            sink_pid=sink_pid,
            port=port,
        )
        ceiling.note = (
            f"rendering those {count} messages beforehand (not timed in the ceiling, part of"
            f" the pipeline's work) took {rendering:.1f}s, {count / rendering:.0f}/s in one process"
        )
        print(f"  {ceiling.label}: {ceiling.rate:.0f}/s", flush=True)
        results = [celery, ceiling]
        if not args.no_kill:
            killed, _workshop = through_celery(
                f"as the first, worker killed at {KILL_AT:.0%}",
                tag="run3",
                count=count,
                sink=sink,
                sink_pid=sink_pid,
                workers=workers,
                broker=broker,
                kill_at=KILL_AT,
            )
            results.append(killed)
        print_table(results, ceiling)
        costs = rendering_costs(workshop)
        print(
            f"writing a message, ms per message in one process ({SAMPLE} invitations):  "
            + ";  ".join(f"{label} {ms:.2f}" for label, ms in costs.items())
        )
        ratio = celery.rate / ceiling.rate
        print(
            f"Celery batched / ceiling  {ratio:.2f}x  target >= {TARGET}x"
            f"  {'pass' if ratio >= TARGET else 'FAIL'}"
        )
        if not args.no_kill:
            verdict = "pass" if killed.once_or_window else "FAIL"
            print(
                f"worker killed at {KILL_AT:.0%}: {killed.lost} lost, {killed.duplicates} dup,"
                f" {killed.same_id} of them with the same Message-ID  {verdict}"
            )
        print(f"load average at the end {os.getloadavg()[0]:.1f}")
        # Without a kill there is no window: exactly one each.
        if not (celery.exact and ceiling.exact and results[-1].once_or_window):
            sys.exit("NOT EXACT: a message was lost or sent twice (see the table)")
    finally:
        for worker in workers:
            with suppress(Exception):
                worker.stop(timeout=30)
        sink.stop()
        broker.flushdb()


if __name__ == "__main__":
    main()
