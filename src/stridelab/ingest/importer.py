"""Import a batch of files: every file read, parsed and stored on its own.

A bad file never stops the batch: it becomes a :class:`FileOutcome` with a one-line
reason, and the others go on. Each file is stored in one transaction, so a crash
mid-import leaves no half activity; a file already stored (same content hash) is
reported as a duplicate and not stored twice.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from stridelab.errors import StridelabError
from stridelab.ingest.sources import SourceItem, iter_sources
from stridelab.store.db import Database
from stridelab.store.repository import DEFAULT_ATHLETE, save_file_activities
from stridelab.watch.load import load_bytes

__all__ = ["FileOutcome", "ImportReport", "import_items", "import_one", "import_paths"]

log = logging.getLogger(__name__)

Status = Literal["imported", "duplicate", "refused"]


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one file."""

    name: str
    status: Status
    activity_ids: tuple[int, ...] = ()
    reason: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass
class ImportReport:
    """The outcome of a batch, file by file."""

    outcomes: list[FileOutcome] = field(default_factory=list)

    def count(self, status: Status) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def n_activities(self) -> int:
        return sum(len(o.activity_ids) for o in self.outcomes if o.status == "imported")

    @property
    def any_usable(self) -> bool:
        """True if at least one file was imported now or is already stored."""
        return any(o.status in ("imported", "duplicate") for o in self.outcomes)


def import_one(db: Database, item: SourceItem, /, *, athlete: str = DEFAULT_ATHLETE) -> FileOutcome:
    """Read, parse and store one file; errors become a refused outcome, never an exception."""
    try:
        data = item.read()
        digest = hashlib.sha256(data).hexdigest()
        activities = load_bytes(data, name=Path(item.name).name)
        result = save_file_activities(
            db, activities, sha256=digest, path=item.name, size_bytes=len(data), athlete=athlete
        )
    except StridelabError as exc:
        return FileOutcome(item.name, "refused", reason=str(exc))
    except MemoryError:
        return FileOutcome(item.name, "refused", reason="file too large to read into memory")
    except Exception as exc:  # batch boundary: one file's bug must not stop
        # years of history from importing; the file is reported and the traceback logged.
        log.exception("unexpected error importing %s", item.name)
        return FileOutcome(
            item.name,
            "refused",
            reason=f"internal error ({type(exc).__name__}: {exc}); please report this file",
        )
    warnings = tuple(dict.fromkeys(w for a in activities for w in a.warnings))
    status: Status = "imported" if result.created else "duplicate"
    return FileOutcome(item.name, status, result.activity_ids, warnings=warnings)


def import_items(
    db: Database,
    items: Sequence[SourceItem],
    /,
    *,
    athlete: str = DEFAULT_ATHLETE,
    on_file: Callable[[FileOutcome], None] | None = None,
) -> ImportReport:
    """Import items in order, calling ``on_file`` after each (for progress display)."""
    report = ImportReport()
    for item in items:
        outcome = import_one(db, item, athlete=athlete)
        report.outcomes.append(outcome)
        if on_file is not None:
            on_file(outcome)
    return report


def import_paths(
    db: Database,
    paths: Sequence[str | Path],
    /,
    *,
    athlete: str = DEFAULT_ATHLETE,
    on_file: Callable[[FileOutcome], None] | None = None,
) -> ImportReport:
    """Import every activity file found under ``paths`` (files, folders, zip archives)."""
    return import_items(db, list(iter_sources(paths)), athlete=athlete, on_file=on_file)
