"""The OpenAPI schema at /api/schema/, built once per process, language and format.

The schema and the documentation page are public: they hold no data, and partners integrate
against them. Generating the schema costs over a second of CPU (some 190 operations), so
building it on every request would let an anonymous client load the server by asking again
and again. Each process builds each (language, format) once, on first request, and serves
those bytes from memory after; a deployment starts new processes, which build it anew.

The schema is the same for everyone: it is built without the caller (SERVE_PUBLIC, no
user, no headers), so whoever asks first cannot shape what the others get. `?lang=` picks
one of LANGUAGES (another value: the request's language), `?format=json|yaml` or the
Accept header the format; the API has no versions, so `?version=` changes nothing."""

import threading

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView


class SchemaView(SpectacularAPIView):
    _built: dict = {}
    _lock = threading.Lock()

    @extend_schema(exclude=True)  # as SERVE_INCLUDE_SCHEMA says for the library's view
    def get(self, request, *args, **kwargs):
        language = schema_language(request)
        renderer = request.accepted_renderer
        key = (language, type(renderer))
        built = self._built.get(key)
        if built is None:
            with self._lock:  # one build at a time: a burst at start waits for the first
                built = self._built.get(key)
                if built is None:
                    with translation.override(language):
                        built = self._built[key] = self._build(renderer)
        content, content_type = built
        filename = f"{settings.SPECTACULAR_SETTINGS['TITLE']}.{renderer.format}"
        return HttpResponse(
            content,
            content_type=content_type,
            headers={"Content-Disposition": f'inline; filename="{filename}"'},
        )

    def _build(self, renderer):
        generator = self.generator_class(urlconf=self.urlconf, patterns=self.patterns)
        schema = generator.get_schema(request=None, public=self.serve_public)
        # The renderer's own media type: parameters in Accept (`indent=`) would make the
        # bytes differ per caller.
        content = renderer.render(schema, renderer.media_type, self.get_renderer_context())
        content_type = renderer.media_type
        if renderer.charset:
            content_type = f"{content_type}; charset={renderer.charset}"
        return content, content_type

    @classmethod
    def forget(cls):
        """Build anew on the next request (tests that change what the schema says)."""
        with cls._lock:
            cls._built.clear()


def schema_language(request) -> str:
    """`?lang=` when it names one of LANGUAGES, else the language the request is in."""
    wanted = request.GET.get("lang", "")
    if wanted in dict(settings.LANGUAGES):
        return wanted
    return translation.get_language()
