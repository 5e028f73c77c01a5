"""Watch files in, activities out.

In: the bytes (or path) of a FIT, TCX or GPX file. Out: a list of
:class:`~stridelab.watch.model.Activity` (one per FIT session / TCX activity / GPX track)
with columnar records in canonical units, laps, pauses, device totals and warnings; and
:func:`summarize` for the figures of one activity.
"""

from stridelab.watch.load import detect_format, load, load_bytes
from stridelab.watch.model import (
    RECORD_COLUMNS,
    Activity,
    DeviceTotals,
    Lap,
    Pause,
    Records,
    make_records,
)
from stridelab.watch.summary import ActivitySummary, summarize

__all__ = [
    "RECORD_COLUMNS",
    "Activity",
    "ActivitySummary",
    "DeviceTotals",
    "Lap",
    "Pause",
    "Records",
    "detect_format",
    "load",
    "load_bytes",
    "make_records",
    "summarize",
]
