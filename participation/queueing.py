"""Handing tasks to the broker. Every task queued from a request only sends what the database
already holds (an outbox row, an invitation without its message), so a broker that is down
loses nothing: the task is left out, the request learns that delivery is deferred, and the
worker queues everything unsent again as soon as it is connected (`tasks.ResumeOnConnect`),
besides the regular catch-up every few minutes."""

import contextlib
import contextvars
import logging

from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# What `apply_async` raises when the broker cannot be reached (after its own short retries).
BROKER_ERRORS = (OperationalError, RedisConnectionError, RedisTimeoutError)


class Outcome:
    """Whether anything handed to the broker inside `watching()` had to be deferred."""

    deferred = False


_current = contextvars.ContextVar("queueing_outcome", default=None)


@contextlib.contextmanager
def watching():
    """Collect, for the code inside (one request), whether delivery had to be deferred."""
    outcome = Outcome()
    token = _current.set(outcome)
    try:
        yield outcome
    finally:
        _current.reset(token)


def deferred() -> bool:
    """Whether this request has had to defer a delivery so far."""
    outcome = _current.get()
    return outcome is not None and outcome.deferred


def deferred_message() -> str:
    return _(
        "The mail queue cannot be reached at the moment. The messages are saved and will be "
        "sent as soon as it is back."
    )


def enqueue_each(task, calls) -> bool:
    """Queue `task` once per argument tuple in `calls`. If the broker is unreachable the
    rest is left to the catch-up (one failed attempt costs about a second; a batch must not
    pay it once per item). Returns False if anything was deferred."""
    for args in calls:
        try:
            task.delay(*args)
        except BROKER_ERRORS as error:
            logger.warning("broker unreachable, %s deferred to the catch-up: %s", task.name, error)
            outcome = _current.get()
            if outcome is not None:
                outcome.deferred = True
            return False
    return True
