"""Downloads over the API: an action that answers with a file names its formats with these
renderers (for `?format=` and the Accept header) and builds the file itself. All that could
reach a renderer there is an error, which `FileErrorsAsJson` sends as JSON instead."""

from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response


class FileRenderer(BaseRenderer):
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return JSONRenderer().render(data)


class CsvRenderer(FileRenderer):
    media_type = "text/csv"
    format = "csv"


class PdfRenderer(FileRenderer):
    media_type = "application/pdf"
    format = "pdf"


class DocxRenderer(FileRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    format = "docx"


class FileErrorsAsJson:
    """A viewset mixin: a download that failed (401, 404, 400) answers in JSON like any
    other call."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response, Response) and isinstance(
            getattr(response, "accepted_renderer", None), FileRenderer
        ):
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        return response
