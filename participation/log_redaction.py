"""Nothing secret reaches a log: the tokens of personal links, allauth's password-reset and
confirmation keys, and codes or tokens in a query string are blanked in every record the
console handler writes (uvicorn's access log, Django's request warnings, tracebacks)."""

import logging
import re

REDACTED = "[redacted]"
# A '/' may come percent-encoded, as in `?next=%2Finvitation%2F...`.
_SLASH = r"(?:/|%2[Ff])"
_END = rf"(?:{_SLASH}|[?#&\s\"']|$)"
SECRETS = [
    # /invitation/<token>/ (the personal link); /invitation/<id>/ is the reply page.
    re.compile(rf"(?P<keep>{_SLASH}invitation{_SLASH})(?!\d+{_END})[^/%?#&\s\"']+"),
    # allauth: /accounts/password/reset/key/<uid>-<key>/, /accounts/confirm-email/<key>/
    re.compile(
        rf"(?P<keep>{_SLASH}accounts{_SLASH}"
        rf"(?:password{_SLASH}reset{_SLASH}key|confirm-email){_SLASH})[^/%?#&\s\"']+"
    ),
    re.compile(r"(?P<keep>[?&](?:token|key|code)=)[^&#\s\"']+"),
]


def redact(text: str) -> str:
    for pattern in SECRETS:
        text = pattern.sub(rf"\g<keep>{REDACTED}", text)
    return text


def _redacted(value):
    if isinstance(value, str):
        return redact(value)
    if value is None or isinstance(value, (int, float)):
        return value
    # An exception, a task's arguments, a message body: blanked as the text it prints as
    # (kept as it is when it holds no secret, so a handler's formatting still sees it).
    text = str(value)
    cleaned = redact(text)
    return value if cleaned == text else cleaned


class RedactSecrets(logging.Filter):
    """Rewrites the message and its arguments in place (uvicorn's access formatter reads the
    arguments one by one), and the traceback text, so every handler sees them blanked."""

    def filter(self, record):
        record.msg = _redacted(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_redacted(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _redacted(arg) for key, arg in record.args.items()}
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.exc_text = _redacted(record.exc_text)
        record.stack_info = _redacted(record.stack_info)
        return True
