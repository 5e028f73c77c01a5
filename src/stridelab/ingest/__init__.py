"""Importing: paths (files, folders, zip exports) in, stored activities and a report out.

Each file is parsed by :mod:`stridelab.watch` and stored by :mod:`stridelab.store` in
its own transaction; a bad file is reported with a one-line reason and skipped.
"""

from stridelab.ingest.importer import (
    FileOutcome,
    ImportReport,
    import_items,
    import_one,
    import_paths,
)
from stridelab.ingest.sources import SourceItem, iter_sources

__all__ = [
    "FileOutcome",
    "ImportReport",
    "SourceItem",
    "import_items",
    "import_one",
    "import_paths",
    "iter_sources",
]
