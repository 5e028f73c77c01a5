"""The summary of a stored activity as ``stridelab activity show ID --json`` prints it.

In: an activity row (or the database and an athlete). Out: plain dicts with the keys of
:meth:`stridelab.watch.summary.ActivitySummary.to_dict` (distance, times, heart rate,
cadence, running dynamics, ``source_file``…) plus the stored ``id``; the internal
``derived`` list (which values were computed from the records) is left out. The CLI and
the web API (``GET /api/activities``) give the same keys.
"""

from __future__ import annotations

from typing import Any

from stridelab.store import Database, list_activities
from stridelab.store.models import ActivityRow

__all__ = ["activity_summaries", "activity_summary"]


def activity_summary(row: ActivityRow, /) -> dict[str, Any]:
    """One stored activity's summary with its ``id`` (a new dict; the row is untouched)."""
    out = dict(row.summary, id=row.id)
    out.pop("derived", None)
    return out


def activity_summaries(
    db: Database, /, *, athlete: str | None = None, sport: str | None = None
) -> list[dict[str, Any]]:
    """Summaries of the stored activities, oldest first (optionally one athlete/sport)."""
    return [activity_summary(r) for r in list_activities(db, athlete=athlete, sport=sport)]
