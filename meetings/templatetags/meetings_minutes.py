from django import template

from participation.markdown import render_markdown

register = template.Library()


@register.filter
def minutes_markdown(text):
    """An item's minutes as sanitised HTML, its headings below the item's own (h3)."""
    return render_markdown(text, heading_offset=3)
