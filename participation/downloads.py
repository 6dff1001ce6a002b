"""Downloads that name people or hold unpublished answers, for the HTML views and the API
alike: an attachment no cache may keep, an uploaded file that a browser cannot run, and the
stream of a large export."""

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.http import FileResponse
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header


def private_download(response, filename, *, export=None):
    """`response` as an attachment named `filename` that no cache keeps a copy of.

    `export` names an export of personal data ("survey responses", "minutes" …): once the
    response leaves the app, `ExportLogMiddleware` writes it to the security log with who took
    it, from where and which file, for pages and API alike."""
    response["Content-Disposition"] = content_disposition_header(True, filename)
    patch_cache_control(response, private=True, no_store=True)
    if export is not None:
        response.personal_data_export = (str(export), filename)
    return response


def uploaded_file_download(file, *, filename, content_type):
    """A file somebody uploaded, as an attachment no cache keeps a copy of."""
    response = FileResponse(file, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    # Should a browser still render it, it runs nothing and reaches nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    patch_cache_control(response, private=True, no_store=True)
    return response


def streamed(request, chunks):
    """What a streaming response should iterate. Under ASGI, Django reads a synchronous
    iterator into one list before sending anything; an asynchronous one that runs each step
    in the request's thread (where its database connection lives) streams for real."""
    if not isinstance(request, ASGIRequest):
        return chunks
    step = sync_to_async(next, thread_sensitive=True)
    close = sync_to_async(getattr(chunks, "close", lambda: None), thread_sensitive=True)

    async def stream():
        try:
            while (chunk := await step(chunks, None)) is not None:
                yield chunk
        finally:
            await close()

    return stream()
