"""Office files (DOCX, XLSX) are ZIP archives, and a ZIP entry carries the time it was
written. `fixed_zip` rewrites an archive with one fixed timestamp per entry, so the same
document gives the same bytes; `replace` may rewrite an entry's text on the way (e.g. a
date a library took from the clock)."""

import io
import zipfile

# A ZIP entry's timestamp cannot be earlier than 1980.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def fixed_zip(data: bytes, *, replace=None) -> bytes:
    """`data`, a ZIP archive, with every entry dated `ZIP_EPOCH`. `replace` maps an entry's
    name to a function that takes and returns its bytes."""
    replace = replace or {}
    fixed = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            content = source.read(entry.filename)
            if entry.filename in replace:
                content = replace[entry.filename](content)
            target.writestr(info, content)
    return fixed.getvalue()
