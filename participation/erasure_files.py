"""Erasure in uploaded files (`erasure.erase_person`).

- A text file (UTF-8 without NUL bytes, whatever its name; stored names are generated) has
  the person replaced in place.
- An office file is a ZIP archive of XML (DOCX, XLSX, PPTX, ODT, ODS; any ZIP): every entry
  that is UTF-8 text (its XML, or the CSV and JSON of a download) has the person replaced,
  with the role escaped for XML; every other entry (images, fonts) keeps its content byte
  for byte, and the archive is written beside the old one and then put in its place, so a
  reader never sees half of it. Word processors split a text into runs where its formatting
  or spell-checking changes: a name split so ("Zwetschgen" in one run, "baum" in the next)
  is not found. An archive whose entries together unpack to more than `ARCHIVE_LIMIT`, or
  that has more than `ARCHIVE_ENTRIES` entries, is not unpacked (a zip bomb) and is kept.
- Anything else (PDF, image, a damaged archive) is kept unchanged.

What was kept and could hold the person is returned for a check by hand: a file too large
to read, and a PDF, image or other binary file whose record links to the person or their
account (who uploaded it) or whose record's texts named them (a title, the original file
name). Other binary files are not listed: the platform cannot tell, and the confirmation
page says so."""

import os
import shutil
import tempfile
import zipfile

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

TEXT_FILE_LIMIT = 20 * 1024 * 1024
ARCHIVE_LIMIT = 100 * 1024 * 1024
ARCHIVE_ENTRIES = 10_000
ZIP_MAGIC = b"PK\x03\x04"
PERSON_MODEL = "participation.Person"

# What happened to a file.
CHANGED, UNCHANGED, KEPT, TOO_LARGE, MISSING = "changed", "unchanged", "kept", "too_large", "gone"

REASONS = {
    "too_large": _("too large to be searched"),
    "uploaded": _("uploaded by the person or linked to them"),
    "named": _("its title or file name named the person"),
}


def scrub_files(erasure) -> list[dict]:
    """Scrub every uploaded file of every model; return the kept ones to check by hand, as
    {"model", "pk", "field", "reason"} (nothing of the person: the row's texts are swept)."""
    to_check = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.FileField):
                continue
            rows = model._base_manager.exclude(**{field.attname: ""}).values_list(
                "pk", field.attname
            )
            for pk, name in rows.iterator():
                outcome = scrub_file(field.storage, name, erasure)
                reason = None
                if outcome == TOO_LARGE:
                    reason = "too_large"
                elif outcome == KEPT:
                    reason = _concern(model, pk, erasure)
                if reason:
                    item = {"model": model._meta.label, "pk": pk, "field": field.name}
                    to_check.append(item | {"reason": reason})
    return to_check


def scrub_file(storage, name, erasure) -> str:
    """Replace the person in the file `name` of `storage`; returns what happened."""
    if not storage.exists(name):
        return MISSING
    with storage.open(name, "rb") as handle:
        head = handle.read(len(ZIP_MAGIC))
    if head == ZIP_MAGIC:
        return _scrub_archive(storage.path(name), erasure)
    if storage.size(name) > TEXT_FILE_LIMIT:
        return KEPT  # a PDF or a video, most likely: not read
    with storage.open(name, "rb") as handle:
        content = handle.read()
    text = _text(content)
    if text is None:
        return KEPT
    replaced = erasure.replace(text)
    if replaced == text:
        return UNCHANGED
    # Storage.save never overwrites; a file system storage is written in place.
    _write_atomically(storage.path(name), lambda handle: handle.write(replaced.encode("utf-8")))
    return CHANGED


def _text(content: bytes) -> str | None:
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return None if "\x00" in text else text


def _scrub_archive(path, erasure) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            total = sum(entry.file_size for entry in entries)
            if len(entries) > ARCHIVE_ENTRIES or total > ARCHIVE_LIMIT:
                return TOO_LARGE
            replaced = {}
            for entry in entries:
                if entry.is_dir():
                    continue
                # Read no more than declared (zipfile stops there too): the limit holds.
                with archive.open(entry) as handle:
                    content = handle.read(entry.file_size + 1)
                text = _text(content)
                if text is None:
                    continue
                markup = text.lstrip("\ufeff \t\r\n").startswith("<")
                after = erasure.replace(text, markup=markup)
                if after != text:
                    replaced[entry.filename] = after.encode("utf-8")
            if not replaced:
                return UNCHANGED
            _write_atomically(path, lambda handle: _copy(archive, entries, replaced, handle))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError):
        return KEPT  # damaged, encrypted or packed in a way zipfile cannot read
    return CHANGED


def _copy(archive, entries, replaced, handle) -> None:
    """The archive again, in the same order, with the same names, dates and compression;
    the entries in `replaced` with their new content, the others as they were."""
    with zipfile.ZipFile(handle, "w") as target:
        target.comment = archive.comment
        for entry in entries:
            info = zipfile.ZipInfo(entry.filename, date_time=entry.date_time)
            info.compress_type = entry.compress_type
            info.external_attr = entry.external_attr
            info.create_system = entry.create_system
            info.comment = entry.comment
            if entry.filename in replaced:
                target.writestr(info, replaced[entry.filename])
            elif entry.is_dir():
                target.writestr(info, b"")
            else:
                info.file_size = entry.file_size
                with archive.open(entry) as source, target.open(info, "w") as sink:
                    shutil.copyfileobj(source, sink)


def _write_atomically(path, write) -> None:
    """Write a new file beside `path` with `write(handle)` and put it in its place."""
    directory = os.path.dirname(path)
    with tempfile.NamedTemporaryFile(dir=directory, delete=False, prefix=".erasure-") as handle:
        try:
            write(handle)
        except BaseException:
            os.unlink(handle.name)
            raise
    shutil.copymode(path, handle.name)
    os.replace(handle.name, path)


def _concern(model, pk, erasure) -> str | None:
    """Why a kept binary file may hold the person: its record links to them ("uploaded")
    or its texts name them ("named"); None if neither."""
    person, user = erasure.person, erasure.user
    links, texts = [], []
    for field in model._meta.concrete_fields:
        label = field.related_model._meta.label if field.many_to_one else None
        if label == PERSON_MODEL:
            links.append((field.attname, person.pk))
        elif label == settings.AUTH_USER_MODEL and user is not None:
            links.append((field.attname, user.pk))
        elif isinstance(field, models.CharField | models.TextField) and not field.choices:
            texts.append(field.attname)
    values = model._base_manager.filter(pk=pk).values(*(a for a, _pk in links), *texts).first()
    if values is None:
        return None
    if any(values[attname] == own for attname, own in links):
        return "uploaded"
    if any(values[name] and erasure.replace(values[name]) != values[name] for name in texts):
        return "named"
    return None


def described(items) -> list[dict]:
    """The files to check as a coordinator reads them: what kind of record, its title and
    file name, where it is (the page of the record it belongs to), why."""
    described = []
    for item in items or []:
        try:
            model = apps.get_model(item["model"])
        except (LookupError, KeyError):
            continue
        row = model._base_manager.filter(pk=item.get("pk")).first()
        if row is None:
            continue  # deleted since
        stored = getattr(row, item.get("field", ""), None)
        described.append(
            {
                "kind": str(model._meta.verbose_name),
                "title": str(row),
                "file_name": getattr(row, "original_name", "")
                or os.path.basename(getattr(stored, "name", "") or ""),
                "url": _page_of(row),
                "reason": str(REASONS.get(item.get("reason"), "")),
            }
        )
    return described


def _page_of(row) -> str:
    """The page of the record a file belongs to (a workshop, a meeting), if it has one;
    not the uploader's."""
    for field in row._meta.concrete_fields:
        target = field.related_model if field.many_to_one else None
        if target is None or target._meta.label in (PERSON_MODEL, settings.AUTH_USER_MODEL):
            continue
        parent = getattr(row, field.name, None)
        if parent is not None and hasattr(parent, "get_absolute_url"):
            return parent.get_absolute_url()
    return ""
