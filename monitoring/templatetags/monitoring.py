from django import template
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ..models import Review

register = template.Library()


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def percent(share):
    """0.25 as "25 %"."""
    return f"{formats.number_format(share * 100, 0, use_l10n=True)} %"


@register.simple_tag
def delivery_status(delivery):
    """The state of a delivery as a badge: approved, submitted, sent back, in progress."""
    if delivery.review == Review.APPROVED:
        tone, label = "success", _("approved")
    elif delivery.status == delivery.Status.SUBMITTED:
        tone, label = "info", _("submitted, waiting for review")
    elif delivery.review == Review.RETURNED:
        tone, label = "warning", _("sent back for corrections")
    elif delivery.is_past_deadline():
        tone, label = "danger", _("window closed, not submitted")
    else:
        tone, label = "neutral", _("in progress")
    if tone == "neutral":
        return format_html(
            '<span class="kern-badge"><span class="kern-label">{}</span></span>', label
        )
    return format_html(
        '<span class="kern-badge kern-badge--{}"><span class="kern-label">{}</span></span>',
        tone,
        label,
    )


@register.simple_tag
def result_cell(cell, indicator):
    """One cell of an indicator's results: the approved figure, "< threshold" for a
    suppressed one (never its number), marked when carried from an earlier space version."""
    if cell is None:
        return format_html(
            '<span aria-hidden="true">–</span><span class="kern-sr-only">{}</span>',
            _("no approved value"),
        )
    if cell.suppressed:
        shown = format_html(
            '<span class="result-suppressed">&lt; {}</span><span class="kern-sr-only"> {}</span>',
            indicator.suppress_below or "",
            _("(suppressed: small number)"),
        )
    else:
        shown = formats.number_format(cell.number, use_l10n=True)
    if cell.carried:
        return format_html(
            '{} <span class="result-carried">{}</span>',
            shown,
            _("carried from the earlier version"),
        )
    return shown
