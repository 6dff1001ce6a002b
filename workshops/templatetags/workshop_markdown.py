from django import template

from participation.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """`{{ workshop.description|markdown }}`: Markdown as sanitised HTML."""
    return render_markdown(text)
