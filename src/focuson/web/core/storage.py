"""Static files: whitenoise's compressed, hashed files, with JavaScript module imports rewritten
to the hashed names (``focuson.js`` imports the NHS.UK frontend)."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    support_js_module_import_aggregation = True
