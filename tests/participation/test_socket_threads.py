"""The threads sockets reach the database on (participation/db_threads.py): a pool of the
server process's own, SOCKET_DB_THREADS wide, not the event loop's default pool of
cores + 4 threads, which queued the votes of a thousand participants (bench/live.py)."""

import asyncio
import threading

from django.test import override_settings

from participation import db_threads


def thread_name():
    return threading.current_thread().name


async def three_calls():
    calls = (db_threads.in_db_thread(thread_name)() for _ in range(3))
    return await asyncio.wait_for(asyncio.gather(*calls), 10)


def test_socket_work_runs_on_the_socket_threads_and_their_number_is_the_setting(monkeypatch):
    monkeypatch.setattr(db_threads, "_pool", None)
    with override_settings(SOCKET_DB_THREADS=9):
        names = asyncio.run(three_calls())
        assert db_threads.socket_threads()._max_workers == 9
    assert all(name.startswith("socket-db") for name in names), names
    db_threads.socket_threads().shutdown()
    monkeypatch.setattr(db_threads, "_pool", None)
