"""Small helpers for KERN UX markup in templates."""

from django import template

register = template.Library()

# Django's message levels as KERN's feedback kinds (alert, badge and icon modifiers).
FEEDBACK = {"debug": "info", "info": "info", "success": "success", "warning": "warning"}


@register.filter
def kern_feedback(level_tag):
    """`kern-alert--<this>` for a message's level_tag: info, success, warning or danger."""
    return FEEDBACK.get(level_tag, "danger")
