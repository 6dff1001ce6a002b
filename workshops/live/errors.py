"""The one exception live services and handlers raise for a refused action. Its code is the
protocol's `error.code` (docs/live-protocol.md, section 5)."""

from django.utils.translation import gettext_lazy as _

DEFAULT_DETAIL = {
    "bad_json": _("The message is not a JSON object."),
    "unknown_type": _("Unknown message type."),
    "invalid": _("The message is not valid."),
    "forbidden": _("You may not do this."),
    "not_found": _("Not found in this session."),
    "closed": _("This activity is not open."),
    "conflict": _("This is not possible in the current state."),
    "rate_limited": _("Too many messages; please slow down."),
}


class LiveError(Exception):
    def __init__(self, code, detail=None, *, field=None):
        super().__init__(code)
        self.code = code
        self.detail = detail if detail is not None else DEFAULT_DETAIL[code]
        self.field = field

    def as_message(self, ref=None):
        message = {"type": "error", "ref": ref, "code": self.code, "detail": str(self.detail)}
        if self.field:
            message["field"] = self.field
        return message


class AccessDenied(Exception):
    """The socket may not (or no longer) take part: carries the close code."""

    def __init__(self, close_code):
        super().__init__(close_code)
        self.close_code = close_code


NO_ACCESS = 4401
REMOVED = 4403
NOT_FOUND = 4404
ENDED = 4410
ABUSE = 4429
TOO_BIG = 1009
