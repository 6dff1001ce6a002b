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
    def __init__(self, md, offset, top):
        super().__init__(md)
        self.offset, self.top = offset, top

    def run(self, root):
        for element in root.iter():
            if len(element.tag) == 2 and element.tag[0] == "h" and element.tag[1].isdigit():
                element.tag = f"h{min(6, max(self.top, int(element.tag[1]) + self.offset))}"


class _DemoteHeadingsExtension(Extension):
    def __init__(self, offset, top):
        super().__init__()
        self.offset, self.top = offset, top

    def extendMarkdown(self, md):  # noqa: N802 (the library's name)
        md.treeprocessors.register(_DemoteHeadings(md, self.offset, self.top), "demote_headings", 5)


def render_markdown(
    text: str,
    *,
    heading_offset: int = SECTION_HEADINGS,
    top_heading: int | None = None,
    line_breaks: bool = False,
) -> SafeString:
    """`text` as sanitised HTML (empty for empty text). A heading "#" becomes
    h(1 + heading_offset), and none rises above h`top_heading` (default: that same level),
    not even as raw HTML, so the text never competes with the page's own outline. A page
    whose text starts its sections with "##" passes heading_offset=0, top_heading=2. With
    `line_breaks`, a single newline is a line break (an address is written line by line)."""
    top = top_heading if top_heading is not None else 1 + heading_offset
    if not text or not text.strip():
        return mark_safe("")  # noqa: S308 (a constant)
    extensions = ["sane_lists", "tables", _DemoteHeadingsExtension(heading_offset, top)]
    if line_breaks:
        extensions.append("nl2br")
    html = markdown_lib.markdown(text, extensions=extensions, output_format="html")
    headings = {f"h{level}" for level in range(top, 7)}
    cleaned = nh3.clean(
        html,
        tags=BLOCK_TAGS | headings,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308 (cleaned by nh3 just above)
