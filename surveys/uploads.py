"""Files that answer survey questions.

An upload is checked by its content before anything is stored. It is stored through the
default storage under `survey-uploads/<survey id>/<response id>/<random hex>`: never under
the name the user gave it, which lives only in the answer's value. MEDIA_URL is not routed,
so a stored file is reached only through the view that checks who may read the response.

A replaced file is kept: the answer's history still points at it, so coordinators can
retrieve what was answered before.
"""

import re
import uuid

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.translation import gettext as _

from participation.media_storage import storing
from participation.request_limits import upload_request_limit
from participation.uploads import HEAD_BYTES, display_name

from . import services
from .answer_types import check_upload
from .models import Answer, Question, QuestionKind, Response

UPLOAD_DIR = "survey-uploads"
DEFAULT_MAX_SIZE_MB = 10  # as answer_types
# Served for the type found in the content, never for what the browser claimed.
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "csv": "text/csv",
}
STORAGE_KEY_RE = re.compile(rf"{UPLOAD_DIR}/([0-9]+)/([0-9]+)/[0-9a-f]{{32}}")


def size_limit(question: Question) -> int:
    """The largest file (in bytes) the question accepts."""
    return int((question.config or {}).get("max_size_mb", DEFAULT_MAX_SIZE_MB)) * 1024 * 1024


def too_large(question: Question) -> ValidationError:
    """The refusal of a file over the question's limit, as `check_upload` words it."""
    limit = (question.config or {}).get("max_size_mb", DEFAULT_MAX_SIZE_MB)
    message = _("The file is larger than %(max)s MB.")
    return ValidationError(message, code="file_size", params={"max": limit})


def request_limit(question: Question) -> int:
    """The largest request body worth reading for an upload: the file plus the rest of the
    section's form."""
    return upload_request_limit(size_limit(question))


class UploadSizeLimit(FileUploadHandler):
    """Reads only the file of one field and stops at the size limit, so an oversized or
    unrelated file is never spooled to memory or disk. Put it first in
    `request.upload_handlers` before the body is read; `exceeded` tells afterwards."""

    def __init__(self, field_name, limit, request=None):
        super().__init__(request)
        self.wanted_field = field_name
        self.limit = limit
        self.exceeded = False

    def new_file(self, field_name, *args, **kwargs):
        super().new_file(field_name, *args, **kwargs)
        if field_name != self.wanted_field:
            raise SkipFile  # e.g. a file chosen in another question of the same section

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.exceeded = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None  # the handlers after this one build the file


def _storage_key(response: Response) -> str:
    return f"{UPLOAD_DIR}/{response.survey_id}/{response.pk}/{uuid.uuid4().hex}"


def save_answer_file(
    response: Response, question: Question, uploaded, *, actor, base_revision: int
) -> Answer:
    """Check an uploaded file, store it and make it the question's answer.

    Nothing is stored when the file is refused (ValidationError: size, type, content, a
    response that cannot be changed); when saving the answer fails (AnswerConflict,
    ValidationError) the stored file is deleted again. The file it replaces stays.
    """
    if question.kind != QuestionKind.FILE:
        raise ValueError(f"Question {question.key!r} does not take a file")
    name = display_name(uploaded.name or "")
    uploaded.seek(0)
    head = uploaded.read(HEAD_BYTES)
    uploaded.seek(0)
    file_type = check_upload(question, name, head, uploaded.size, file=uploaded)
    services.ensure_editable(response)
    with storing():
        storage_key = default_storage.save(_storage_key(response), uploaded)
    value = {
        "name": name,
        "size": uploaded.size,
        "content_type": CONTENT_TYPES[file_type],
        "storage_key": storage_key,
    }
    try:
        return services.save_answer(
            response, question, value, actor=actor, base_revision=base_revision
        )
    except Exception:
        default_storage.delete(storage_key)
        raise


def open_answer_file(response: Response, value):
    """Open the stored file an answer value (current or from the history) points at.

    LookupError unless the value names one of this response's own uploads that still
    exists: a storage key is never trusted as a path on its own.
    """
    key = value.get("storage_key") if isinstance(value, dict) else None
    match = STORAGE_KEY_RE.fullmatch(key) if isinstance(key, str) else None
    if match is None or match.groups() != (str(response.survey_id), str(response.pk)):
        raise LookupError(key)
    if not default_storage.exists(key):
        raise LookupError(key)
    return default_storage.open(key, "rb")


def content_type(value) -> str:
    """The type to serve a stored file as: one of the checked types, else plain bytes."""
    stored = value.get("content_type") if isinstance(value, dict) else None
    return stored if stored in CONTENT_TYPES.values() else "application/octet-stream"
