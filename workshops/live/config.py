"""Each activity kind's settings: checked and normalised before they are stored, so the rest
of the code can trust `Activity.config`."""

from django.utils.translation import gettext_lazy as _

from .errors import LiveError
from .models import ActivityKind

MAX_OPTIONS = {ActivityKind.DOTS: 30, ActivityKind.POLL: 20}
MAX_CATEGORIES = 12
# A dot vote's N is capped here and in DotVote's check constraint.
MAX_DOTS = 20


def _invalid(detail, field):
    return LiveError("invalid", detail, field=f"config.{field}")


def _int(raw, name, default, low, high):
    value = raw.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _invalid(
            _("Enter a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}, name
        )
    return value


def _bool(raw, name, default):
    value = raw.get(name, default)
    if not isinstance(value, bool):
        raise _invalid(_("Enter true or false."), name)
    return value


def _label(value, name, max_length):
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > max_length:
        raise _invalid(_("Enter a text of at most %(max)s characters.") % {"max": max_length}, name)
    return value.strip()


def _options(raw, kind):
    options = raw.get("options")
    limit = MAX_OPTIONS[kind]
    if not isinstance(options, list) or not 2 <= len(options) <= limit:
        raise _invalid(_("Give from 2 to %(max)s options.") % {"max": limit}, "options")
    cleaned, keys = [], set()
    for number, option in enumerate(options, start=1):
        if isinstance(option, str):
            key, label = str(number), option
        elif isinstance(option, dict) and set(option) <= {"key", "label"}:
            key, label = option.get("key", str(number)), option.get("label")
        else:
            raise _invalid(_("An option is a text or an object with key and label."), "options")
        key = _label(key, "options", 40)
        if key in keys:
            raise _invalid(_("Each option needs its own key."), "options")
        keys.add(key)
        cleaned.append({"key": key, "label": _label(label, "options", 200)})
    return cleaned


def _cards(raw, session):
    categories = raw.get("categories", [])
    if not isinstance(categories, list) or len(categories) > MAX_CATEGORIES:
        raise _invalid(
            _("Give at most %(max)s categories.") % {"max": MAX_CATEGORIES}, "categories"
        )
    cleaned = [_label(category, "categories", 40) for category in categories]
    if len(set(cleaned)) != len(cleaned):
        raise _invalid(_("Each category may appear once."), "categories")
    return {"categories": cleaned, "max_length": _int(raw, "max_length", 140, 10, 280)}


def _dots(raw, session):
    dots = _int(raw, "dots", 5, 1, MAX_DOTS)
    config = {"dots": dots, "max_per_option": _int(raw, "max_per_option", dots, 1, dots)}
    if "source" in raw:
        source = raw["source"]
        if (
            session is None
            or isinstance(source, bool)
            or not isinstance(source, int)
            or not session.activities.filter(pk=source, kind=ActivityKind.CARDS).exists()
        ):
            raise _invalid(_("Choose a card collection of this session."), "source")
        config["source"] = source
    else:
        config["options"] = _options(raw, ActivityKind.DOTS)
    return config


def _poll(raw, session):
    return {
        "options": _options(raw, ActivityKind.POLL),
        "multiple": _bool(raw, "multiple", False),
    }


def _questions(raw, session):
    return {"anonymous": _bool(raw, "anonymous", True)}


def _mood(raw, session):
    mode = raw.get("mode", "scale")
    if mode not in ("scale", "word"):
        raise _invalid(_("Choose “scale” or “word”."), "mode")
    return {"mode": mode}


CLEANERS = {
    ActivityKind.CARDS: (_cards, {"categories", "max_length"}),
    ActivityKind.DOTS: (_dots, {"dots", "max_per_option", "options", "source"}),
    ActivityKind.POLL: (_poll, {"options", "multiple"}),
    ActivityKind.QUESTIONS: (_questions, {"anonymous"}),
    ActivityKind.MOOD: (_mood, {"mode"}),
}


def clean_config(kind, raw, *, session=None) -> dict:
    """The normalised settings of an activity of `kind`, or LiveError("invalid")."""
    if kind not in CLEANERS:
        raise LiveError("invalid", _("Unknown kind of activity."), field="kind")
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise LiveError("invalid", _("The settings must be an object."), field="config")
    cleaner, allowed = CLEANERS[kind]
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise _invalid(_("Unknown setting."), unknown[0])
    if kind == ActivityKind.DOTS and "source" in raw and "options" in raw:
        raise _invalid(_("Give options or a card collection, not both."), "options")
    return cleaner(raw, session)


def revealed_by_default(kind) -> bool:
    """Cards and questions are there to be seen; results of votes wait for the moderator."""
    return kind in (ActivityKind.CARDS, ActivityKind.QUESTIONS)
