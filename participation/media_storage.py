"""Where uploaded files are kept, and what happens when that storage cannot write (a full
disk, a file larger than the file system allows, a read-only mount): the person uploading
gets a clear error with what they typed kept, nothing refers to a file that is not there,
and no half-written file stays behind.

`MediaStorage` (setting STORAGES["default"]) writes each file under a temporary name and
gives it its real name only once it is complete; a write that fails removes the partial
file. `storing()` turns such a failure into a `StorageUnavailable` error, a
`ValidationError`, so every form and API that saves a file shows it like any other refusal
(docs/resilience.md)."""

import contextlib
import logging
import os
import uuid

from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

UNAVAILABLE = _(
    "The file could not be stored because the server's storage is full or unavailable. "
    "Nothing has been saved. Please try again later or tell the coordination office."
)


class StorageUnavailable(ValidationError):
    """The storage refused to write the file."""

    def __init__(self):
        super().__init__(UNAVAILABLE, code="storage_unavailable")


class MediaStorage(FileSystemStorage):
    """The file system storage, but a file appears under its name only when it is
    complete."""

    def _save(self, name, content):
        partial = f"{name}.{uuid.uuid4().hex}.part"
        try:
            partial = super()._save(partial, content)
        except OSError:
            with contextlib.suppress(FileNotFoundError):
                os.remove(self.path(partial))
            raise
        try:
            while True:
                try:
                    os.link(self.path(partial), self.path(name))  # never replaces a file
                    return name
                except FileExistsError:
                    name = self.get_available_name(name)
        finally:
            os.remove(self.path(partial))


@contextlib.contextmanager
def storing():
    """Wrap the code that writes an uploaded file to the storage: an OSError there becomes
    StorageUnavailable (logged as an error, for the operators)."""
    try:
        yield
    except OSError as error:
        logger.error("upload not stored, the storage refused to write: %s", error)
        raise StorageUnavailable() from error
