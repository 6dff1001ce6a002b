"""Markdown that coordinators write (description, results, minutes) as safe HTML: rendered
with Python-Markdown, then cleaned by nh3 (ammonia) against a short allowlist, so neither
raw HTML nor a javascript: link written into the text reaches the page."""

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = {
    "p", "br", "hr", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "a",
    "blockquote", "code", "pre", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}
# The page already has its h1 and the section its h2: the text's "#" becomes an h3.
HEADING_OFFSET = 2


class _DemoteHeadings(Treeprocessor):
    def run(self, root):
        for element in root.iter():
            if len(element.tag) == 2 and element.tag[0] == "h" and element.tag[1].isdigit():
                element.tag = f"h{min(6, int(element.tag[1]) + HEADING_OFFSET)}"


class _DemoteHeadingsExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 (the library's name)
        md.treeprocessors.register(_DemoteHeadings(md), "demote_headings", 5)


def render_markdown(text: str) -> SafeString:
    """`text` as sanitised HTML (empty for empty text)."""
    if not text or not text.strip():
        return mark_safe("")  # noqa: S308 (a constant)
    html = markdown_lib.markdown(
        text,
        extensions=["sane_lists", "tables", _DemoteHeadingsExtension()],
        output_format="html",
    )
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308 (cleaned by nh3 just above)
