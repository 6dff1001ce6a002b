"""Reading and checking one figure as a supplier typed it (in a grid cell or a file's row)
and saving it on the organisation-response engine. A figure is read the German way or the
plain way ("1.234,5", "1234,5", "1234.5"); a count is a whole number of 0 or more, a
percentage lies between 0 and 100, and every value lies within the indicator's plausible
range. What cannot be read or lies outside is refused with a message naming why; nothing is
stored then."""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _

from participation import responses

from .models import ValueType

GROUPED_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
MAX_COMMENT = 2000


def plain(number: Decimal) -> Decimal:
    """The number without trailing zeros and never in exponent notation."""
    if number == number.to_integral():
        return number.quantize(Decimal(1))
    return number.normalize()


def shown(number: Decimal) -> str:
    """A figure for a message: the language's decimal separator, no trailing zeros."""
    return formats.number_format(plain(number), use_l10n=True)


def parse_number(raw: str, indicator) -> Decimal | None:
    """The figure in `raw` (None when empty), or ValidationError saying what is wrong."""
    text = (raw or "").strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif indicator.value_type == ValueType.COUNT and GROUPED_THOUSANDS.match(text):
        text = text.replace(".", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("“%(raw)s” is not a number.") % {"raw": raw.strip()}) from None
    if not number.is_finite():
        raise ValidationError(_("“%(raw)s” is not a number.") % {"raw": raw.strip()})
    if indicator.value_type == ValueType.COUNT and (number < 0 or number != number.to_integral()):
        raise ValidationError(_("A count is a whole number of 0 or more."))
    if indicator.value_type == ValueType.PERCENTAGE and not (0 <= number <= 100):
        raise ValidationError(_("A percentage lies between 0 and 100."))
    if number.as_tuple().exponent < -4 or abs(number) >= Decimal("1e14"):
        raise ValidationError(_("Use at most 14 digits before and 4 after the decimal point."))
    low, high = indicator.minimum, indicator.maximum
    if (low is not None and number < low) or (high is not None and number > high):
        raise ValidationError(_out_of_range(indicator))
    return plain(number)


def _out_of_range(indicator) -> str:
    low, high = indicator.minimum, indicator.maximum
    if low is not None and high is not None:
        return _("Plausible values of “%(name)s” lie between %(low)s and %(high)s.") % {
            "name": indicator.name,
            "low": shown(low),
            "high": shown(high),
        }
    if low is not None:
        return _("Plausible values of “%(name)s” are at least %(low)s.") % {
            "name": indicator.name,
            "low": shown(low),
        }
    return _("Plausible values of “%(name)s” are at most %(high)s.") % {
        "name": indicator.name,
        "high": shown(high),
    }


def as_stored(number: Decimal | None, comment: str):
    """The engine's value for a cell: None when nothing is entered."""
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise ValidationError(
            _("A comment has at most %(limit)d characters.") % {"limit": MAX_COMMENT}
        )
    if number is None and not comment:
        return None
    return {"number": None if number is None else format(number, "f"), "comment": comment}


def needs_comment(number, previous, threshold) -> bool:
    """A change of more than `threshold` (a share) against the last round's figure."""
    if number is None or previous is None or previous == 0:
        return False
    return abs(Decimal(number) - previous) > abs(previous) * threshold


@dataclass
class Entry:
    """What was typed into a cell, kept to show it again when it was refused."""

    number: str = ""
    comment: str = ""


def save_cell(delivery, cell, entry: Entry, *, actor, base_revision: int, whole_form=False):
    """Check and store one cell. Raises ValidationError (nothing stored) or the engine's
    AnswerConflict."""
    number = parse_number(entry.number, cell.indicator)
    value = as_stored(number, entry.comment)
    return responses.save_answer(
        delivery,
        cell.where,
        value,
        actor=actor,
        base_revision=base_revision,
        whole_form=whole_form,
    )
