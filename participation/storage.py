"""The production storage of static files: whitenoise's compressed, hashed-name storage that
also rewrites the relative imports of JavaScript modules to the hashed names, so a page's
entry module still finds the modules it imports (see workshops/static/workshops/live/)."""

from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage

_extension, _module_patterns = ManifestStaticFilesStorage._js_module_import_aggregation_patterns


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    support_js_module_import_aggregation = True
    # Static `import`/`export … from` only. Django's pattern for dynamic `import("…")` also
    # matches JSDoc types such as `{import("../htmx").HtmxInternalApi}` in django-htmx's
    # extensions and fails on a file that does not exist; no module here imports dynamically.
    _js_module_import_aggregation_patterns = (
        _extension,
        tuple(
            pattern
            for pattern in _module_patterns
            if not pattern[0].startswith(r"(?P<matched>import\(")
        ),
    )
