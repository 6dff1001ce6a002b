"""Recurrence rules (RFC 5545 RRULE) of a meeting series, read with python-dateutil.

A series' rule is expanded from its first start in the county's local time (Europe/Berlin):
dateutil keeps the wall-clock fields and attaches the zone, so a series at 10:00 stays at
10:00 in winter and in summer. Every expansion is bounded (an end date and a maximum
count), so a rule that never yields a date, or yields one every minute, cannot keep the
server busy; such rules are refused with a message the coordinator understands."""

import datetime
import itertools

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrule, rrulestr
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# How far ahead occurrences exist on the platform (and what the checks look at).
HORIZON_DAYS = 366
# More dates than this in the horizon is not a meeting series (weekly is 53).
MAX_PER_HORIZON = 60
ALLOWED_FREQUENCIES = {YEARLY, MONTHLY, WEEKLY, DAILY}
# Parts of a rule the platform sets itself or does not support in a series.
FORBIDDEN_PARTS = ("DTSTART", "EXRULE", "RDATE", "EXDATE", "BYSECOND", "BYMINUTE", "BYHOUR")


def local_zone():
    return timezone.get_default_timezone()


def normalise(text: str) -> str:
    """The rule as stored and written into the feed: upper case, no "RRULE:" prefix."""
    text = " ".join((text or "").split()).upper()
    return text.removeprefix("RRULE:").strip()


def parse(text: str, dtstart: datetime.datetime) -> rrule:
    """The rule for a series starting at `dtstart` (aware, local time); ValidationError
    (code "invalid_rule") when it is not a single RRULE the platform can use."""
    rule_text = normalise(text)
    invalid = ValidationError(
        _(
            "This is not a recurrence rule the platform understands. Write it as in a "
            "calendar file, for example FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU."
        ),
        code="invalid_rule",
    )
    if not rule_text.startswith("FREQ=") and ";FREQ=" not in f";{rule_text}":
        raise invalid
    if any(part in rule_text for part in FORBIDDEN_PARTS) or "\n" in rule_text:
        raise invalid
    try:
        rule = rrulestr(rule_text, dtstart=dtstart)
    except (ValueError, TypeError, KeyError, IndexError):
        raise invalid from None
    if not isinstance(rule, rrule):
        raise invalid
    if rule._freq not in ALLOWED_FREQUENCIES:
        raise ValidationError(
            _(
                "A meeting series repeats at most daily: use a yearly, monthly, weekly or "
                "daily rule."
            ),
            code="too_frequent",
        )
    return rule


def starts_between(rule: rrule, dtstart, start, end, *, limit):
    """The rule's starts from `start` to `end` (inclusive), at most `limit` + 1 of them
    (one more than allowed, so a caller can tell "too many"). Bounded whatever the rule:
    the expansion stops at `end`, also for a rule that never matches."""
    count = rule._count
    bounded = rule.replace(count=None, until=_earliest(rule._until, end))
    starts = iter(bounded)
    if count is not None:
        # COUNT counts from the series' first start, so the first `count` are the series.
        starts = itertools.islice(starts, count)
    chosen = (moment for moment in starts if moment >= start)
    return list(itertools.islice(chosen, limit + 1))


def _earliest(until, end):
    if until is None:
        return end
    return min(until, end)


def _never_matches(rule: rrule, dtstart) -> bool:
    """Whether a daily or weekly rule's filters match no day at all (the 30th of February).
    dateutil notices that only at the year 9999, after millions of days; the same filters on
    a yearly rule get there in a fraction of a second, and match the same days."""
    if rule._freq not in (DAILY, WEEKLY):
        return False
    kept = ("BYMONTH=", "BYMONTHDAY=", "BYYEARDAY=", "BYWEEKNO=", "BYDAY=")
    parts = [part for part in str(rule).split("\n")[-1].removeprefix("RRULE:").split(";")]
    filters = [part for part in parts if part.startswith(kept)]
    if not filters:
        return False
    proxy = rrulestr(";".join(["FREQ=YEARLY", *filters]), dtstart=dtstart)
    return proxy.after(dtstart, inc=True) is None


def check(rule: rrule, dtstart, *, now=None) -> None:
    """Refuse a rule that yields no date in the next twelve months (from its start, if that
    lies ahead), or more than a meeting series can hold."""
    now = now or timezone.now()
    if _never_matches(rule, dtstart):
        raise ValidationError(
            _("This rule yields no date in the twelve months from %(date)s. Check the rule."),
            code="no_dates",
            params={"date": timezone.localtime(max(dtstart, now)).strftime("%d.%m.%Y")},
        )
    window_start = max(dtstart, now)
    window_end = window_start + datetime.timedelta(days=HORIZON_DAYS)
    starts = starts_between(rule, dtstart, window_start, window_end, limit=MAX_PER_HORIZON)
    if not starts:
        raise ValidationError(
            _("This rule yields no date in the twelve months from %(date)s. Check the rule."),
            code="no_dates",
            params={"date": timezone.localtime(window_start).strftime("%d.%m.%Y")},
        )
    if len(starts) > MAX_PER_HORIZON:
        raise ValidationError(
            _(
                "This rule yields more than %(limit)s dates within twelve months; a meeting "
                "series meets at most weekly."
            ),
            code="too_many_dates",
            params={"limit": MAX_PER_HORIZON},
        )
