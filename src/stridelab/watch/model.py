"""The canonical in-memory model of a watch activity.

Every reader (FIT, TCX, GPX) produces :class:`Activity` objects through
:func:`make_records`, which validates the columns. Units are in the names.

Record columns (all ``float64`` arrays of one length, ``NaN`` where absent):

========================== =======================================================
``timestamp_s``            seconds since the Unix epoch, UTC, strictly increasing
``distance_m``             cumulative distance
``speed_m_s``              speed
``heart_rate_bpm``         heart rate
``cadence_spm``            steps per minute (both feet), never strides or "rpm"
``cadence_rpm``            pedalling cadence (cycling only)
``altitude_m``             altitude
``latitude_deg``           latitude, degrees
``longitude_deg``          longitude, degrees
``power_w``                power (device native, else a running-power developer field)
``ground_contact_ms``      ground contact (stance) time per step
``vertical_oscillation_mm`` vertical oscillation of the torso
``vertical_ratio_pct``     vertical oscillation / step length
``stance_balance_left_pct`` share of ground contact on the left foot
``step_length_mm``         step length
``temperature_c``          temperature
========================== =======================================================

Developer fields (Stryd, RunScribe, Connect IQ apps) are kept under their own names in
:attr:`Records.developer`, with their units in :attr:`Records.developer_units`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

import numpy as np

from stridelab.errors import InputError

__all__ = [
    "RECORD_COLUMNS",
    "RUNNING_SPORTS",
    "Activity",
    "DeviceTotals",
    "Lap",
    "Pause",
    "Records",
    "SourceFormat",
    "make_records",
]

SourceFormat = Literal["fit", "tcx", "gpx"]

#: Canonical record columns and their units (see the module docstring).
RECORD_COLUMNS: dict[str, str] = {
    "timestamp_s": "s",
    "distance_m": "m",
    "speed_m_s": "m/s",
    "heart_rate_bpm": "bpm",
    "cadence_spm": "steps/min",
    "cadence_rpm": "rpm",
    "altitude_m": "m",
    "latitude_deg": "deg",
    "longitude_deg": "deg",
    "power_w": "W",
    "ground_contact_ms": "ms",
    "vertical_oscillation_mm": "mm",
    "vertical_ratio_pct": "%",
    "stance_balance_left_pct": "%",
    "step_length_mm": "mm",
    "temperature_c": "degC",
}

#: Sports whose cadence counts steps (on foot).
RUNNING_SPORTS = frozenset({"running", "walking", "hiking", "trail_running", "treadmill"})


@dataclass(frozen=True)
class Records:
    """Per-second (or per-sample) records on one time axis, column by column."""

    columns: Mapping[str, np.ndarray]
    developer: Mapping[str, np.ndarray] = field(default_factory=dict)
    developer_units: Mapping[str, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.columns["timestamp_s"])

    @property
    def timestamp_s(self) -> np.ndarray:
        return self.columns["timestamp_s"]

    def get(self, name: str) -> np.ndarray | None:
        """A canonical column, or ``None`` if the file has no value in it."""
        col = self.columns.get(name)
        if col is None or not np.isfinite(col).any():
            return None
        return col

    def select(self, mask: np.ndarray) -> Records:
        """The records where ``mask`` is true (a new object; self is unchanged)."""
        return Records(
            columns={k: v[mask] for k, v in self.columns.items()},
            developer={k: v[mask] for k, v in self.developer.items()},
            developer_units=dict(self.developer_units),
        )


def make_records(
    columns: Mapping[str, np.ndarray | list[float]],
    developer: Mapping[str, np.ndarray | list[float]] | None = None,
    developer_units: Mapping[str, str] | None = None,
) -> Records:
    """Validate and build :class:`Records`.

    Columns must be canonical names (:data:`RECORD_COLUMNS`), of equal length, with
    ``timestamp_s`` present, finite and strictly increasing. Arrays are copied to
    ``float64``; unknown names raise :class:`~stridelab.errors.InputError`.
    """
    if "timestamp_s" not in columns:
        raise InputError("records need a 'timestamp_s' column")
    unknown = set(columns) - set(RECORD_COLUMNS)
    if unknown:
        raise InputError(f"unknown record columns: {sorted(unknown)}")
    cols = {k: np.asarray(v, dtype=np.float64).copy() for k, v in columns.items()}
    dev = {k: np.asarray(v, dtype=np.float64).copy() for k, v in (developer or {}).items()}
    n = len(cols["timestamp_s"])
    for name, arr in (*cols.items(), *dev.items()):
        if arr.ndim != 1 or len(arr) != n:
            raise InputError(f"record column {name!r} has {arr.shape} values, expected ({n},)")
    ts = cols["timestamp_s"]
    if not np.isfinite(ts).all():
        raise InputError("record timestamps must all be finite")
    if n > 1 and not (np.diff(ts) > 0).all():
        raise InputError("record timestamps must be strictly increasing")
    for name in RECORD_COLUMNS:
        cols.setdefault(name, np.full(n, np.nan))
    units = {k: v for k, v in (developer_units or {}).items() if k in dev}
    return Records(columns=cols, developer=dev, developer_units=units)


@dataclass(frozen=True)
class Lap:
    """One lap as the device or file states it."""

    start_utc: datetime
    elapsed_time_s: float | None = None
    timer_time_s: float | None = None
    distance_m: float | None = None
    avg_hr_bpm: float | None = None
    max_hr_bpm: float | None = None
    avg_speed_m_s: float | None = None
    avg_cadence_spm: float | None = None
    energy_kcal: float | None = None
    trigger: str | None = None


@dataclass(frozen=True)
class Pause:
    """A stretch in which the timer was stopped (or no data was recorded)."""

    start_utc: datetime
    duration_s: float


@dataclass(frozen=True)
class DeviceTotals:
    """Totals the device wrote (FIT session message, TCX lap sums). ``None`` when absent.

    Cadence is already converted to steps per minute for sports on foot.
    """

    distance_m: float | None = None
    timer_time_s: float | None = None
    elapsed_time_s: float | None = None
    avg_speed_m_s: float | None = None
    avg_hr_bpm: float | None = None
    max_hr_bpm: float | None = None
    energy_kcal: float | None = None
    avg_cadence_spm: float | None = None
    avg_power_w: float | None = None
    avg_ground_contact_ms: float | None = None
    avg_vertical_oscillation_mm: float | None = None
    avg_vertical_ratio_pct: float | None = None
    avg_stance_balance_left_pct: float | None = None
    avg_step_length_mm: float | None = None


@dataclass(frozen=True)
class Activity:
    """One activity (one FIT session, one TCX ``Activity``, one GPX track).

    ``session_index`` numbers the activities of one file from 0.
    ``warnings`` lists what was repaired or dropped while reading, in plain words.
    """

    source_format: SourceFormat
    session_index: int
    sport: str | None
    start_utc: datetime
    records: Records
    sub_sport: str | None = None
    timezone_offset_min: int | None = None
    laps: tuple[Lap, ...] = ()
    pauses: tuple[Pause, ...] = ()
    totals: DeviceTotals = field(default_factory=DeviceTotals)
    creator: str | None = None
    decoder: str | None = None
    warnings: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.start_utc.tzinfo is None:
            raise InputError("Activity.start_utc must be timezone-aware (UTC)")


def utc_from_timestamp(ts: float) -> datetime:
    """A timezone-aware UTC datetime from Unix seconds."""
    return datetime.fromtimestamp(float(ts), tz=UTC)
