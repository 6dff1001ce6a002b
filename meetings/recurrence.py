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
from django.utils.translation import get_language
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


def ending(rule: rrule, dtstart, end) -> rrule:
    """The rule with no start after `end`; a COUNT becomes the UNTIL of its last start
    (RFC 5545 allows one of them, not both)."""
    if rule._count is not None:
        starts = starts_between(rule, dtstart, dtstart, end, limit=rule._count)
        until = starts[-1] if starts else dtstart - datetime.timedelta(seconds=1)
        return rule.replace(count=None, until=until)
    return rule.replace(until=_earliest(rule._until, end))


def last_start(rule: rrule, dtstart):
    """The rule's last start, or None if it repeats for ever."""
    if rule._count is not None:
        starts = list(itertools.islice(iter(rule), min(rule._count, MAX_COUNT)))
        return starts[-1] if starts else None
    if rule._until is not None:
        return rule.before(rule._until, inc=True)
    return None


# A COUNT beyond this is a series without end in practice.
MAX_COUNT = 5000


def without_end(text: str) -> str:
    """The rule without its COUNT and UNTIL (a series' last date says where it ends)."""
    parts = [part for part in normalise(text).split(";") if part]
    return ";".join(part for part in parts if not part.startswith(("COUNT=", "UNTIL=")))


def shifted(text: str, days: int) -> str:
    """The rule for a series whose dates all lie `days` later (earlier if negative): plain
    weekdays move along, the nth weekday of a month becomes that weekday within the
    shifted days of the month, a day of the month moves along. Callers compare the result
    with the shifted dates: a shift this cannot express is refused there."""
    if days == 0:
        return normalise(text)
    parts = dict(part.split("=", 1) for part in normalise(text).split(";") if "=" in part)
    if "BYDAY" in parts:
        days_of_month = []
        weekdays = []
        for item in parts["BYDAY"].split(","):
            code, number = item[-2:], item[:-2]
            if code not in _WEEKDAY_CODES:
                return normalise(text)
            weekdays.append(_WEEKDAY_CODES[(_WEEKDAY_CODES.index(code) + days) % 7])
            if number:
                ordinal = int(number)
                if ordinal < 1 or "BYMONTHDAY" in parts:
                    return normalise(text)
                days_of_month.append(range(7 * (ordinal - 1) + 1 + days, 7 * ordinal + 1 + days))
        parts["BYDAY"] = ",".join(weekdays)
        if days_of_month:
            if any(day < 1 or day > 28 for days_ in days_of_month for day in days_):
                return normalise(text)
            parts["BYMONTHDAY"] = ",".join(
                str(day) for day in sorted({day for days_ in days_of_month for day in days_})
            )
    elif "BYMONTHDAY" in parts:
        numbers = [int(number) + days for number in parts["BYMONTHDAY"].split(",")]
        if any(not 1 <= number <= 28 for number in numbers):
            return normalise(text)
        parts["BYMONTHDAY"] = ",".join(str(number) for number in numbers)
    return ";".join(f"{name}={value}" for name, value in parts.items())


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


# --- the rule in words ---------------------------------------------------------------------
# A series page shows its rule as a sentence ("am 2. Dienstag im Januar, April, Juli und
# Oktober"), for the shapes the series form offers; any other rule is shown as written.
# German and English word order differ too much for one translated template per part, so
# each language has its own small grammar here.

_WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_WORDS = {
    "de": {
        "weekdays": (
            "Montag",
            "Dienstag",
            "Mittwoch",
            "Donnerstag",
            "Freitag",
            "Samstag",
            "Sonntag",
        ),
        "months": (
            "Januar",
            "Februar",
            "März",
            "April",
            "Mai",
            "Juni",
            "Juli",
            "August",
            "September",
            "Oktober",
            "November",
            "Dezember",
        ),
        "and": "und",
    },
    "en": {
        "weekdays": (
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
        ),
        "months": (
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ),
        "and": "and",
    },
}
_UNIT = {
    "de": {"DAILY": ("täglich", "Tage"), "WEEKLY": ("wöchentlich", "Wochen")},
    "en": {"DAILY": ("daily", "days"), "WEEKLY": ("weekly", "weeks")},
}
_PERIOD = {
    "de": {"MONTHLY": ("monatlich", "Monate"), "YEARLY": ("jährlich", "Jahre")},
    "en": {"MONTHLY": ("monthly", "months"), "YEARLY": ("yearly", "years")},
}
_SUPPORTED_PARTS = {"FREQ", "INTERVAL", "BYDAY", "BYMONTH", "BYMONTHDAY", "COUNT", "UNTIL", "WKST"}


class _Unsupported(Exception):
    pass


def describe(text: str, language: str | None = None) -> str:
    """The rule in words in `language` (the active one by default), or the rule as written
    when its shape is not one the platform describes."""
    language = (language or get_language() or "de").split("-")[0]
    if language not in _WORDS:
        language = "en"
    rule_text = normalise(text)
    try:
        return _describe(_parts(rule_text), language)
    except (_Unsupported, ValueError, KeyError, IndexError):
        return rule_text


def _parts(rule_text):
    parts = {}
    for part in rule_text.split(";"):
        name, separator, value = part.partition("=")
        if not separator or not value or name in parts or name not in _SUPPORTED_PARTS:
            raise _Unsupported
        parts[name] = value
    if "COUNT" in parts and "UNTIL" in parts:
        raise _Unsupported
    return parts


def _join(items, language):
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {_WORDS[language]['and']} {items[-1]}"


def _weekday(code, language):
    return _WORDS[language]["weekdays"][_WEEKDAY_CODES.index(code)]


def _ordinal(number, language):
    if number == -1:
        return "letzten" if language == "de" else "last"
    if not 1 <= number <= 5:
        raise _Unsupported
    if language == "de":
        return f"{number}."
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number, 'th') }"


def _day_of_month(number, language):
    if not 1 <= number <= 31:
        raise _Unsupported
    if language == "de":
        return f"{number}."
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def _byday(value, *, ordinal_allowed):
    """[(ordinal or None, weekday code)] of a BYDAY value."""
    days = []
    for item in value.split(","):
        code, number = item[-2:], item[:-2]
        if code not in _WEEKDAY_CODES:
            raise _Unsupported
        if number and not ordinal_allowed:
            raise _Unsupported
        days.append((int(number) if number else None, code))
    return days


def _weekday_in_week_of_month(parts, language):
    """One weekday within seven days in a row ("the Wednesday between the 9th and the
    15th"): the shape a series on the nth weekday gets when its dates move by some days."""
    days = _byday(parts["BYDAY"], ordinal_allowed=False)
    numbers = sorted(int(number) for number in parts["BYMONTHDAY"].split(","))
    if len(days) != 1 or numbers != list(range(numbers[0], numbers[0] + 7)) or numbers[0] < 1:
        raise _Unsupported
    weekday = _weekday(days[0][1], language)
    first, last = (_day_of_month(number, language) for number in (numbers[0], numbers[-1]))
    if language == "de":
        return f"am {weekday} zwischen dem {first} und {last}"
    return f"on the {weekday} between the {first} and the {last}"


def _describe(parts, language):
    de = language == "de"
    frequency = parts["FREQ"]
    interval = int(parts.get("INTERVAL", "1"))
    if interval < 1:
        raise _Unsupported
    months = [int(month) for month in parts["BYMONTH"].split(",")] if "BYMONTH" in parts else []
    if any(not 1 <= month <= 12 for month in months):
        raise _Unsupported
    month_words = _join((_WORDS[language]["months"][month - 1] for month in months), language)
    if frequency in ("DAILY", "WEEKLY"):
        if months or "BYMONTHDAY" in parts:
            raise _Unsupported
        single, plural = _UNIT[language][frequency]
        sentence = (
            single
            if interval == 1
            else (f"alle {interval} {plural}" if de else f"every {interval} {plural}")
        )
        if "BYDAY" in parts:
            days = _byday(parts["BYDAY"], ordinal_allowed=False)
            names = _join((_weekday(code, language) for _, code in days), language)
            if frequency == "DAILY":
                sentence += f", nur {names}" if de else f", only on {names}"
            else:
                sentence += f" am {names}" if de else f" on {names}"
    elif frequency in ("MONTHLY", "YEARLY"):
        if frequency == "MONTHLY" and months:
            raise _Unsupported
        if frequency == "YEARLY" and not months and ("BYDAY" in parts or "BYMONTHDAY" in parts):
            raise _Unsupported
        day = ""
        if "BYDAY" in parts and "BYMONTHDAY" in parts:
            day = _weekday_in_week_of_month(parts, language)
        elif "BYDAY" in parts:
            days = _byday(parts["BYDAY"], ordinal_allowed=True)
            if len(days) != 1 or days[0][0] is None:
                raise _Unsupported
            number, code = days[0]
            day = f"{_ordinal(number, language)} {_weekday(code, language)}"
            day = f"am {day}" if de else f"on the {day}"
        elif "BYMONTHDAY" in parts:
            numbers = [int(number) for number in parts["BYMONTHDAY"].split(",")]
            day = _join((_day_of_month(number, language) for number in numbers), language)
            day = f"am {day}" if de else f"on the {day}"
        single, plural = _PERIOD[language][frequency]
        every = (
            single
            if interval == 1
            else (f"alle {interval} {plural}" if de else f"every {interval} {plural}")
        )
        if frequency == "YEARLY" and months:
            where = (
                f"im {month_words}" if de else f"of {month_words}" if day else f"in {month_words}"
            )
            if interval == 1:
                sentence = " ".join(part for part in (day, where) if part)
                if not day:
                    sentence = f"jährlich {where}" if de else f"yearly {where}"
            else:
                sentence = " ".join(part for part in (every, day, where) if part)
        else:
            sentence = " ".join(part for part in (every, day) if part)
    else:
        raise _Unsupported
    if "COUNT" in parts:
        count = int(parts["COUNT"])
        if count < 1:
            raise _Unsupported
        sentence += f", {count}-mal" if de else f", {count} times"
    if "UNTIL" in parts:
        until = parts["UNTIL"][:8]
        until_date = datetime.date(int(until[:4]), int(until[4:6]), int(until[6:8]))
        if de:
            sentence += f", bis {until_date:%d.%m.%Y}"
        else:
            month = _WORDS["en"]["months"][until_date.month - 1]
            sentence += f", until {until_date.day} {month} {until_date.year}"
    return sentence
