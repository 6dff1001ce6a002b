"""Markdown that coordinators write (a workshop's description and results, minutes, the
legal pages) as safe HTML: rendered with Python-Markdown, then cleaned by nh3 (ammonia)
against a short allowlist, so neither raw HTML nor a javascript: link written into the text
reaches the page. One renderer for every app, so the allowlist is decided in one place."""

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

BLOCK_TAGS = {
    "p", "br", "hr", "ul", "ol", "li", "strong", "em", "a",
    "blockquote", "code", "pre", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Inside a section: the page already has its h1 and the section its h2, so "#" becomes h3.
SECTION_HEADINGS = 2


class _DemoteHeadings(Treeprocessor):
    def __init__(self, md, offset):
        super().__init__(md)
        self.offset = offset

    def run(self, root):
        for element in root.iter():
            if len(element.tag) == 2 and element.tag[0] == "h" and element.tag[1].isdigit():
                element.tag = f"h{min(6, int(element.tag[1]) + self.offset)}"


class _DemoteHeadingsExtension(Extension):
    def __init__(self, offset):
        super().__init__()
        self.offset = offset

    def extendMarkdown(self, md):  # noqa: N802 (the library's name)
        md.treeprocessors.register(_DemoteHeadings(md, self.offset), "demote_headings", 5)


def render_markdown(
    text: str, *, heading_offset: int = SECTION_HEADINGS, line_breaks: bool = False
) -> SafeString:
    """`text` as sanitised HTML (empty for empty text). A heading "#" becomes
    h(1 + heading_offset); no heading above that level passes, not even as raw HTML, so the
    text never competes with the page's own outline. With `line_breaks`, a single newline
    is a line break (an address is written line by line), not a space."""
    if not text or not text.strip():
        return mark_safe("")  # noqa: S308 (a constant)
    extensions = ["sane_lists", "tables", _DemoteHeadingsExtension(heading_offset)]
    if line_breaks:
        extensions.append("nl2br")
    html = markdown_lib.markdown(text, extensions=extensions, output_format="html")
    headings = {f"h{level}" for level in range(1 + heading_offset, 7)}
    cleaned = nh3.clean(
        html,
        tags=BLOCK_TAGS | headings,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308 (cleaned by nh3 just above)
