"""The client → server messages: which role may send which type, and each type's fields
(docs/live-protocol.md, section 4). `parse` turns a raw frame into (type, ref, fields) or
raises LiveError; nothing reaches a service that has not passed here."""

import json
import time

from django.utils.translation import gettext_lazy as _

from .errors import LiveError
from .roles import MODERATOR, PARTICIPANT, PROJECTOR

MAX_FRAME_BYTES = 4096
# A type any role may send.
ANY = "any"


class Field:
    def __init__(
        self,
        kind,
        *,
        required=True,
        max_length=None,
        low=None,
        high=None,
        nullable=False,
        max_items=None,
    ):
        self.kind = kind
        self.required = required
        self.max_length = max_length
        self.low = low
        self.high = high
        self.nullable = nullable
        self.max_items = max_items

    def clean(self, name, value):
        if value is None and self.nullable:
            return None
        kind = self.kind
        if kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                raise LiveError("invalid", _("A whole number is needed here."), field=name)
            if (self.low is not None and value < self.low) or (
                self.high is not None and value > self.high
            ):
                raise LiveError("invalid", _("The number is out of range."), field=name)
            return value
        if kind == "bool":
            if not isinstance(value, bool):
                raise LiveError("invalid", _("Enter true or false."), field=name)
            return value
        if kind == "str":
            if not isinstance(value, str) or (self.max_length and len(value) > self.max_length):
                raise LiveError(
                    "invalid",
                    _("Enter a text of at most %(max)s characters.") % {"max": self.max_length},
                    field=name,
                )
            return value
        if kind == "scalar":  # a mood value: a number on the scale or one word
            if isinstance(value, bool) or not isinstance(value, int | str):
                raise LiveError("invalid", _("Enter a number or a word."), field=name)
            if isinstance(value, str) and len(value) > 30:
                raise LiveError("invalid", _("Enter one word."), field=name)
            return value
        if kind == "ids":
            if not isinstance(value, list) or len(value) > self.max_items:
                raise LiveError("invalid", _("A list of ids is needed here."), field=name)
            for item in value:
                ID.clean(name, item)
            return value
        if kind == "keys":
            if not isinstance(value, list) or len(value) > self.max_items:
                raise LiveError("invalid", _("A list of options is needed here."), field=name)
            if not all(isinstance(item, str) and len(item) <= 40 for item in value):
                raise LiveError("invalid", _("Unknown option."), field=name)
            return value
        if kind == "allocation":
            if not isinstance(value, dict) or len(value) > self.max_items:
                raise LiveError("invalid", _("Give dots per option."), field=name)
            for key, count in value.items():
                if len(key) > 40 or isinstance(count, bool) or not isinstance(count, int):
                    raise LiveError("invalid", _("Give a number of dots."), field=name)
            return value
        if kind == "object":
            if not isinstance(value, dict):
                raise LiveError("invalid", _("An object is needed here."), field=name)
            return value
        raise AssertionError(kind)


ID = Field("int", low=1, high=2**53)
OPTIONAL_SEQ = Field("int", required=False, low=0)
TITLE = Field("str", max_length=200)

# type: (who may send it, {field: Field})
MESSAGES = {
    "ping": (ANY, {"seq": OPTIONAL_SEQ}),
    "resync": (ANY, {"seq": OPTIONAL_SEQ}),
    # participants
    "card.add": (
        PARTICIPANT,
        {
            "activity": ID,
            "text": Field("str", max_length=280),
            "category": Field("str", required=False, max_length=40),
        },
    ),
    "dots.set": (PARTICIPANT, {"activity": ID, "allocation": Field("allocation", max_items=30)}),
    "poll.answer": (PARTICIPANT, {"activity": ID, "options": Field("keys", max_items=20)}),
    "question.ask": (
        PARTICIPANT,
        {
            "activity": ID,
            "text": Field("str", max_length=280),
            "anonymous": Field("bool", required=False),
        },
    ),
    "question.upvote": (PARTICIPANT, {"question": ID}),
    "mood.set": (PARTICIPANT, {"activity": ID, "value": Field("scalar")}),
    # moderators
    "activity.create": (
        MODERATOR,
        {
            "kind": Field("str", max_length=12),
            "title": TITLE,
            "config": Field("object", required=False),
        },
    ),
    "activity.update": (
        MODERATOR,
        {
            "activity": ID,
            "title": Field("str", required=False, max_length=200),
            "config": Field("object", required=False),
        },
    ),
    "activity.open": (MODERATOR, {"activity": ID}),
    "activity.close": (MODERATOR, {"activity": ID}),
    "activity.reveal": (MODERATOR, {"activity": ID, "revealed": Field("bool")}),
    "activity.move": (MODERATOR, {"activity": ID, "position": Field("int", low=0, high=1000)}),
    "activity.delete": (MODERATOR, {"activity": ID}),
    "cluster.create": (
        MODERATOR,
        {
            "activity": ID,
            "title": Field("str", max_length=120),
            "cards": Field("ids", required=False, max_items=100),
        },
    ),
    "cluster.rename": (MODERATOR, {"cluster": ID, "title": Field("str", max_length=120)}),
    "cluster.delete": (MODERATOR, {"cluster": ID}),
    "card.move": (MODERATOR, {"card": ID, "cluster": Field("int", low=1, nullable=True)}),
    "card.hide": (MODERATOR, {"card": ID, "hidden": Field("bool")}),
    "question.mark": (
        MODERATOR,
        {
            "question": ID,
            "answered": Field("bool", required=False),
            "pinned": Field("bool", required=False),
            "hidden": Field("bool", required=False),
        },
    ),
    "session.update": (MODERATOR, {"allow_anonymous": Field("bool")}),
    "session.end": (MODERATOR, {}),
    "session.reopen": (MODERATOR, {}),
    "participant.remove": (MODERATOR, {"participant": ID}),
}


def _ref(message):
    ref = message.get("ref")
    if ref is None:
        return None
    if isinstance(ref, bool) or not isinstance(ref, int | str) or len(str(ref)) > 64:
        return None
    return ref


def parse(text: str, *, role: str):
    """(type, ref, fields) of a valid message the role may send. Raises LiveError, whose
    `ref` attribute is the message's ref where one could be read."""
    try:
        message = json.loads(text)
    except ValueError:
        raise LiveError("bad_json") from None
    if not isinstance(message, dict):
        raise LiveError("bad_json")
    ref = _ref(message)
    try:
        kind = message.get("type")
        if not isinstance(kind, str) or kind not in MESSAGES:
            raise LiveError("unknown_type", field="type")
        allowed, fields = MESSAGES[kind]
        if allowed != ANY and allowed != role:
            raise LiveError("forbidden")
        cleaned = {}
        for name, value in message.items():
            if name in ("type", "ref"):
                continue
            if name not in fields:
                raise LiveError("invalid", _("Unknown field."), field=name)
            cleaned[name] = fields[name].clean(name, value)
        for name, field in fields.items():
            if field.required and name not in cleaned:
                raise LiveError("invalid", _("This field is required."), field=name)
    except LiveError as error:
        error.ref = ref
        raise
    return kind, ref, cleaned


class TokenBucket:
    """Per connection: `burst` messages at once, refilled at `rate` per second."""

    def __init__(self, burst, rate):
        self.capacity = self.tokens = float(burst)
        self.rate = rate
        self.stamp = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


RATES = {MODERATOR: (40, 20), PARTICIPANT: (10, 5), PROJECTOR: (5, 1)}
# Dropped messages after which a connection is closed (4429).
MAX_DROPPED = 100
