"""Editable Word files (DOCX) through python-docx, for every feature: headings, paragraphs,
our Markdown (the sanitised subset of `participation.markdown`: paragraphs, bold, italic,
lists, quotes, code, tables, links written as text and address), tables with a header row
that repeats on every page, and the document's title and language.

The same inputs give the same bytes: the core properties carry the record's dates, and the
ZIP entries one fixed timestamp instead of the clock's."""

import datetime
import io

import lxml.html
from django.utils import timezone
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from ..markdown import render_markdown
from .archive import fixed_zip

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MONOSPACE = "Courier New"


def _naive_utc(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment, datetime.UTC).replace(tzinfo=None, microsecond=0)


def new_document(*, title: str, language: str, created, modified=None, subject=""):
    """An empty document with its properties: title, language (a tag such as "de-DE", also
    the spelling language of every style), and the record's dates."""
    document = Document()
    properties = document.core_properties
    properties.title = title
    properties.subject = subject
    properties.language = language
    properties.author = ""
    properties.last_modified_by = ""
    properties.comments = ""
    properties.keywords = ""
    properties.revision = 1
    properties.created = _naive_utc(created)
    properties.modified = _naive_utc(modified or created)
    properties.last_printed = _naive_utc(created)
    _set_language(document, language)
    return document


def _set_language(document, language):
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_properties = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = run_properties.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        run_properties.append(lang)
    lang.set(qn("w:val"), language)
    lang.set(qn("w:eastAsia"), language)
    lang.set(qn("w:bidi"), language)


def set_page_header(document, text: str, *, bold=True):
    """`text` at the top of every page (Word's page header), e.g. a draft notice."""
    paragraph = document.sections[0].header.paragraphs[0]
    paragraph.add_run(text).bold = bold or None
    return paragraph


def add_heading(document, text: str, level: int):
    return document.add_heading(text, level=max(0, min(level, 9)))


def add_paragraph(document, text: str = "", *, bold=False, style=None):
    paragraph = document.add_paragraph(style=style)
    if text:
        paragraph.add_run(text).bold = bold or None
    return paragraph


def add_facts(document, facts):
    """Label–value pairs, one paragraph each with the label in bold."""
    for label, value in facts:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(str(value))


def add_table(document, header, rows, *, style="Table Grid"):
    """A table with a bold header row that Word repeats on every page."""
    rows = list(rows)
    table = document.add_table(rows=1, cols=len(header), style=style)
    header_row = table.rows[0]
    _repeat_as_header(header_row)
    for cell, title in zip(header_row.cells, header, strict=True):
        cell.paragraphs[0].add_run(str(title)).bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.paragraphs[0].add_run("" if value is None else str(value))
    document.add_paragraph()
    return table


def _repeat_as_header(row):
    properties = row._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    properties.append(marker)


# --- Markdown -------------------------------------------------------------------------------


def add_markdown(document, text: str, *, heading_level: int = 3):
    """`text` (our Markdown) rendered by the one renderer, sanitised, then written as Word
    paragraphs. A "#" heading becomes a heading of `heading_level`."""
    html = str(render_markdown(text, heading_offset=heading_level - 1))
    if not html:
        return
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    _MarkdownWriter(document).blocks(root)


class _MarkdownWriter:
    def __init__(self, document):
        self.document = document

    def blocks(self, element, *, list_depth=0):
        if element.text and element.text.strip():
            self.inline_paragraph(element)
            return
        for child in element:
            self.block(child, list_depth=list_depth)

    def block(self, element, *, list_depth=0):
        tag = element.tag
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            add_heading(self.document, element.text_content().strip(), int(tag[1]))
        elif tag in {"ul", "ol"}:
            self.list_items(element, numbered=tag == "ol", depth=list_depth + 1)
        elif tag == "blockquote":
            for child in element:
                paragraph = self.document.add_paragraph(style="Quote")
                self.inline(paragraph, child)
        elif tag == "pre":
            paragraph = self.document.add_paragraph()
            run = paragraph.add_run(element.text_content())
            run.font.name = MONOSPACE
        elif tag == "table":
            self.table(element)
        elif tag == "hr":
            self.document.add_paragraph()
        else:
            self.inline_paragraph(element)

    def inline_paragraph(self, element, style=None):
        if not element.text_content().strip():  # e.g. an image the sanitiser removed
            return None
        paragraph = self.document.add_paragraph(style=style)
        self.inline(paragraph, element)
        return paragraph

    def list_items(self, element, *, numbered, depth):
        base = "List Number" if numbered else "List Bullet"
        style = base if depth == 1 else f"{base} {min(depth, 3)}"
        for item in element.iterchildren("li"):
            paragraph = self.document.add_paragraph(style=style)
            nested = []
            # A loose list item holds paragraphs; a tight one holds the text itself.
            self._append(paragraph, item.text, {})
            for child in item:
                if child.tag in {"ul", "ol"}:
                    nested.append(child)
                elif child.tag == "p":
                    self.inline(paragraph, child)
                else:
                    self.inline_element(paragraph, child, {})
                self._append(paragraph, child.tail, {})
            for sublist in nested:
                self.list_items(sublist, numbered=sublist.tag == "ol", depth=depth + 1)

    def table(self, element):
        rows = [
            [cell.text_content().strip() for cell in row.iterchildren("th", "td")]
            for row in element.iter("tr")
        ]
        if rows:
            width = max(len(row) for row in rows)
            rows = [row + [""] * (width - len(row)) for row in rows]
            add_table(self.document, rows[0], rows[1:])

    def inline(self, paragraph, element, formats=None):
        formats = formats or {}
        self._append(paragraph, element.text, formats)
        for child in element:
            self.inline_element(paragraph, child, formats)
            self._append(paragraph, child.tail, formats)

    def inline_element(self, paragraph, element, formats):
        tag = element.tag
        if tag == "br":
            paragraph.add_run().add_break()
        elif tag in {"strong", "b"}:
            self.inline(paragraph, element, formats | {"bold": True})
        elif tag in {"em", "i"}:
            self.inline(paragraph, element, formats | {"italic": True})
        elif tag == "code":
            self.inline(paragraph, element, formats | {"code": True})
        elif tag == "a":
            self.inline(paragraph, element, formats)
            href = element.get("href", "")
            if href and href != element.text_content().strip():
                self._append(paragraph, f" ({href.removeprefix('mailto:')})", formats)
        else:
            self.inline(paragraph, element, formats)

    @staticmethod
    def _append(paragraph, text, formats):
        if not text or (not text.strip() and "\n" in text):  # the HTML's line breaks
            return
        run = paragraph.add_run(text)
        run.bold = formats.get("bold")
        run.italic = formats.get("italic")
        if formats.get("code"):
            run.font.name = MONOSPACE
            run.font.size = Pt(9.5)


# --- the file -------------------------------------------------------------------------------


def to_bytes(document) -> bytes:
    """The document as DOCX bytes; the ZIP entries carry one fixed timestamp, so the same
    document gives the same bytes."""
    saved = io.BytesIO()
    document.save(saved)
    return fixed_zip(saved.getvalue())
