"""What an uploaded file is, judged by its content: for any feature that takes documents
(a workshop's material, minutes, attachments).

The name's extension says what the uploader claims; the first bytes (and for the ZIP-based
office formats the package's table of contents) must agree, or the file is refused. The
type found here, never what the browser sent, decides how the file is served later."""

import codecs
import re
import zipfile
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

HEAD_BYTES = 2048  # enough for every signature below
ZIP_MAGIC = b"PK\x03\x04"
# An ODF package stores its "mimetype" entry first and uncompressed, right after the
# 30-byte ZIP header.
ODF_MIMETYPE = b"mimetypeapplication/vnd.oasis.opendocument."

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "csv": "text/csv",
    "png": "image/png",
    "jpg": "image/jpeg",
}
EXTENSIONS = {"jpeg": "jpg"}
# The part every package of an Office Open XML type holds.
OOXML_PARTS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}


def looks_like_text(head):
    """Whether the first bytes read as UTF-8 or Windows-1252 text (CSV and the like)."""
    if b"\x00" in head:
        return False
    try:  # not final: the head may end inside a multi-byte character
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        try:
            head.decode("cp1252")  # what Excel on German Windows saves
        except UnicodeDecodeError:
            return False
    return True


# What a browser would render as a page (HTML, SVG, XML with a stylesheet), should a text
# file ever be shown instead of downloaded: refused as a CSV.
MARKUP = re.compile(rb"^\s*<|<\s*(?:script|html|svg|iframe|!doctype|\?xml)\b", re.IGNORECASE)


def looks_like_csv(head):
    head = head.removeprefix(codecs.BOM_UTF8)
    return looks_like_text(head) and not MARKUP.search(head)


def _ooxml(part):
    def check(head, file):
        if not head.startswith(ZIP_MAGIC):
            return False
        try:
            with zipfile.ZipFile(file) as package:
                names = set(package.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
        return "[Content_Types].xml" in names and part in names

    return check


def _odf(kind):
    expected = ODF_MIMETYPE + kind.encode()
    return lambda head, file: head.startswith(ZIP_MAGIC) and head[30:].startswith(expected)


CONTENT_CHECKS = {
    "pdf": lambda head, file: head.startswith(b"%PDF-"),
    "docx": _ooxml(OOXML_PARTS["docx"]),
    "xlsx": _ooxml(OOXML_PARTS["xlsx"]),
    "pptx": _ooxml(OOXML_PARTS["pptx"]),
    "odt": _odf("text"),
    "ods": _odf("spreadsheet"),
    "odp": _odf("presentation"),
    "csv": lambda head, file: looks_like_csv(head),
    "png": lambda head, file: head.startswith(b"\x89PNG\r\n\x1a\n"),
    "jpg": lambda head, file: head.startswith(b"\xff\xd8\xff"),
}


def file_type_of(name: str) -> str:
    """The type a file name claims ("pdf", "jpg" …), lower case, "" without an extension."""
    extension = PurePosixPath(name.replace("\\", "/")).suffix.lower().lstrip(".")
    return EXTENSIONS.get(extension, extension)


# Browsers send a file name's double quote as %22 and its line breaks as %0A and %0D (the
# HTML standard's multipart/form-data encoding); Django hands the name on as sent.
BROWSER_NAME_ESCAPES = re.compile("%(22|0A|0D)")


def display_name(name: str) -> str:
    """The name the person gave the file, without any path and without control characters
    (they would break a download's Content-Disposition header). Only for showing and for
    downloads: files are stored under names of their own."""
    name = BROWSER_NAME_ESCAPES.sub(lambda match: chr(int(match[1], 16)), name or "")
    name = PurePosixPath(name.replace("\\", "/")).name
    return "".join(character for character in name if character.isprintable()).strip()


def check_upload(uploaded, *, allowed, max_bytes) -> str:
    """Check an uploaded file's size, name and content; return its type (a key of
    CONTENT_TYPES) or raise ValidationError saying what is wrong. `allowed` lists the
    acceptable types. The file is read from the start and left at the start."""
    if uploaded.size > max_bytes:
        raise ValidationError(
            _("The file is larger than %(max)s MB."),
            code="file_size",
            params={"max": max_bytes // (1024 * 1024)},
        )
    file_type = file_type_of(uploaded.name or "")
    if file_type not in allowed:
        raise ValidationError(
            _("Upload a file of one of these types: %(types)s."),
            code="file_type",
            params={"types": ", ".join(type_.upper() for type_ in allowed)},
        )
    uploaded.seek(0)
    head = uploaded.read(HEAD_BYTES)
    uploaded.seek(0)
    if not uploaded.size or not head:
        raise ValidationError(_("The file is empty."), code="empty")
    matches = CONTENT_CHECKS[file_type](head, uploaded)
    uploaded.seek(0)
    if not matches:
        raise ValidationError(
            _("The content of this file does not match its type (%(type)s)."),
            code="file_content",
            params={"type": file_type.upper()},
        )
    return file_type
