"""One activity in, its summary out: the figures ``stridelab activity show`` prints.

The device's own totals (FIT session, TCX laps) win where present, because the device
saw data a file may not carry (e.g. moving time while the timer ran); otherwise each
figure is computed from the records, and ``derived`` lists which ones were.

Definitions:

- ``moving_time_s`` is the time the timer ran (FIT ``total_timer_time``): elapsed time
  minus timer pauses and time jumps. Standing still with the timer running counts.
- ``avg_cadence_spm`` is steps per minute over samples with a cadence, always; ``None``
  for sports not on foot.
- ``start_local`` is ``None`` when the file does not say its time zone (TCX, GPX).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import timedelta
from typing import Any

import numpy as np

from stridelab.watch.model import Activity

__all__ = ["ActivitySummary", "summarize"]


@dataclass(frozen=True)
class ActivitySummary:
    """Summary figures of one activity; ``None`` where the data cannot give them."""

    sport: str | None
    start_utc: str
    start_local: str | None
    timezone_offset_min: int | None
    distance_km: float | None
    moving_time_s: float | None
    elapsed_time_s: float | None
    avg_speed_kmh: float | None
    avg_hr_bpm: float | None
    max_hr_bpm: float | None
    energy_kcal: float | None
    avg_cadence_spm: float | None
    avg_ground_contact_ms: float | None
    avg_vertical_oscillation_mm: float | None
    avg_vertical_ratio_pct: float | None
    avg_stance_balance_left_pct: float | None
    avg_step_length_mm: float | None
    avg_power_w: float | None
    pause_count: int
    creator: str | None
    source_file: str | None
    n_records: int = 0
    derived: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["derived"] = list(self.derived)
        return d


# Summary key (also the DeviceTotals field), record column, decimals.
_AVERAGED_COLUMNS = (
    ("avg_ground_contact_ms", "ground_contact_ms", 1),
    ("avg_vertical_oscillation_mm", "vertical_oscillation_mm", 1),
    ("avg_vertical_ratio_pct", "vertical_ratio_pct", 2),
    ("avg_stance_balance_left_pct", "stance_balance_left_pct", 2),
    ("avg_step_length_mm", "step_length_mm", 1),
    ("avg_power_w", "power_w", 1),
)


def _round(v: float | None, nd: int) -> float | None:
    return None if v is None or not np.isfinite(v) else round(float(v), nd)


def _mean(col: np.ndarray | None) -> float | None:
    if col is None:
        return None
    finite = col[np.isfinite(col)]
    return float(finite.mean()) if finite.size else None


def summarize(activity: Activity, /, *, source_file: str | None = None) -> ActivitySummary:
    """Summarise one activity (see the module docstring for definitions)."""
    t = activity.totals
    rec = activity.records
    ts = rec.timestamp_s
    derived: list[str] = []

    def pick(name: str, device: float | None, computed: float | None) -> float | None:
        if device is not None:
            return device
        if computed is not None:
            derived.append(name)
        return computed

    elapsed = pick(
        "elapsed_time_s", t.elapsed_time_s, float(ts[-1] - ts[0]) if len(ts) > 1 else None
    )
    paused = sum(p.duration_s for p in activity.pauses)
    moving = pick(
        "moving_time_s", t.timer_time_s, None if elapsed is None else max(elapsed - paused, 0.0)
    )
    dist_col = rec.get("distance_m")
    dist_rec = None
    if dist_col is not None:
        finite = dist_col[np.isfinite(dist_col)]
        dist_rec = float(finite[-1] - finite[0]) if finite.size > 1 else None
    distance_m = pick("distance_km", t.distance_m, dist_rec)
    speed = t.avg_speed_m_s
    if speed is None and distance_m is not None and moving:
        speed = distance_m / moving
        derived.append("avg_speed_kmh")
    hr = rec.get("heart_rate_bpm")
    cadence = rec.get("cadence_spm")
    on_foot_cadence = t.avg_cadence_spm
    max_hr = pick("max_hr_bpm", t.max_hr_bpm, None if hr is None else float(np.nanmax(hr)))
    offset = activity.timezone_offset_min
    start_local = None
    if offset is not None:
        start_local = (activity.start_utc + timedelta(minutes=offset)).strftime("%Y-%m-%d %H:%M")
    return ActivitySummary(
        sport=activity.sport,
        start_utc=activity.start_utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
        start_local=start_local,
        timezone_offset_min=offset,
        distance_km=_round(None if distance_m is None else distance_m / 1000.0, 3),
        moving_time_s=_round(moving, 1),
        elapsed_time_s=_round(elapsed, 1),
        avg_speed_kmh=_round(None if speed is None else speed * 3.6, 2),
        avg_hr_bpm=_round(pick("avg_hr_bpm", t.avg_hr_bpm, _mean(hr)), 1),
        max_hr_bpm=_round(max_hr, 1),
        energy_kcal=_round(t.energy_kcal, 0),
        avg_cadence_spm=_round(pick("avg_cadence_spm", on_foot_cadence, _mean(cadence)), 1),
        **{
            key: _round(pick(key, getattr(t, key), _mean(rec.get(column))), digits)
            for key, column, digits in _AVERAGED_COLUMNS
        },
        pause_count=len(activity.pauses),
        creator=activity.creator,
        source_file=source_file,
        n_records=len(rec),
        derived=tuple(derived),
    )
