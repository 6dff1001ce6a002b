from django import template

from ..audit import ACTION_LABELS

register = template.Library()


@register.filter
def audit_label(key):
    """The translated label of what a hand-written audit entry records; field names (already
    their verbose names) pass unchanged."""
    return ACTION_LABELS.get(key, key)
