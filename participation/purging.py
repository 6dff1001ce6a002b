"""The nightly retention purge: every installed app's purges, run once a night by beat, each
run logged as a `RetentionRun`.

The contract: any installed app may have a module `<app>/purges.py` with a list

    PURGES = [Purge("live_names", remove_live_names), ...]

where the key is a retention key of `participation.retention.PERIODS` and the function
takes `before` (an aware moment: the period has passed for data dated before it) and
returns how many records it purged. A purge must be idempotent (what it purged is not
counted again) and must catch up on its own: it purges everything dated before `before`,
not only the last day, so one run after beat was stopped for days does all that is due.
The base finds these modules through the app registry, as the overview finds `home.py`,
so it never imports a feature app.

A purge that fails is rolled back alone and recorded on the run; the others run all the
same."""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from .hooks import app_modules
from .models import RetentionRun
from .retention import PERIODS

logger = logging.getLogger(__name__)

HOOK_MODULE = "purges"


@dataclass(frozen=True)
class Purge:
    key: str
    function: Callable[..., int]

    def __post_init__(self):
        if self.key not in PERIODS:
            raise ValueError(f"{self.key!r} is no retention key")


def registered_purges() -> list[Purge]:
    """Every installed app's purges, in app order (found by `hooks.app_modules`)."""
    return [
        purge
        for _config, module in app_modules(HOOK_MODULE)
        for purge in getattr(module, "PURGES", [])
    ]


def run_purges(*, now=None) -> RetentionRun:
    """Runs every purge whose category has a period, counts per key, records the run."""
    now = now or timezone.now()
    run = RetentionRun.objects.create(started_at=now)
    counts, errors = {}, {}
    for purge in registered_purges():
        before = PERIODS[purge.key].cutoff(now)
        if before is None:
            continue
        counts.setdefault(purge.key, 0)
        try:
            with transaction.atomic():
                counts[purge.key] += purge.function(before=before)
        except Exception as error:  # noqa: BLE001 - one category's failure must not stop the rest
            logger.exception("retention purge %s failed", purge.key)
            message = f"{type(error).__name__}: {error}".strip()[:1000]
            errors[purge.key] = "; ".join(filter(None, [errors.get(purge.key), message]))
    run.counts, run.errors, run.finished_at = counts, errors, timezone.now()
    run.save(update_fields=["counts", "errors", "finished_at"])
    return run


# The name is the one the beat schedule stored in the database carries.
@shared_task(name="participation.tasks.purge_expired")
def purge_expired():
    run = run_purges()
    return {"run": run.pk, "counts": run.counts, "errors": run.errors}
