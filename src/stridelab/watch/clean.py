"""Repairs every reader needs: a clean time axis and cadence in steps per minute.

Pure functions on arrays; each returns what it did as plain-language warnings.
"""

from __future__ import annotations

import numpy as np

from stridelab.watch.model import RUNNING_SPORTS

__all__ = [
    "MAX_STRIDES_PER_MIN",
    "STEPS_ALREADY_WARNING",
    "TIME_JUMP_S",
    "cadence_to_spm",
    "clean_time_axis",
    "looks_like_steps",
    "merge_same_time",
    "out_of_range_to_nan",
]

#: A forward gap between two records longer than this is a time jump (clock reset,
#: device asleep), not running; it is kept out of the moving time (Runalyze uses 1 h too).
TIME_JUMP_S = 3600.0

# Physiological plausibility ranges for record values; outside → NaN (with a warning).
_PLAUSIBLE: dict[str, tuple[float, float]] = {
    "heart_rate_bpm": (25.0, 250.0),
    "cadence_spm": (20.0, 300.0),
    "speed_m_s": (0.0, 30.0),
    "ground_contact_ms": (80.0, 1500.0),
    "vertical_oscillation_mm": (10.0, 300.0),
    "vertical_ratio_pct": (1.0, 40.0),
    "stance_balance_left_pct": (20.0, 80.0),
    "step_length_mm": (100.0, 3500.0),
    "power_w": (0.0, 3000.0),
    "altitude_m": (-500.0, 9000.0),
    "latitude_deg": (-90.0, 90.0),
    "longitude_deg": (-180.0, 180.0),
}


def clean_time_axis(timestamp_s: np.ndarray, /) -> tuple[np.ndarray, list[str]]:
    """Which samples to keep so that time strictly increases.

    A sample is dropped when its time is not finite or goes back in time (watches write
    such records after a clock correction; Runalyze's ``NegativeTimeStepFilter`` does
    the same). Samples that repeat the previous time are kept: merge them with
    :func:`merge_same_time`. Returns a boolean mask and warnings.
    """
    ts = np.asarray(timestamp_s, dtype=np.float64)
    keep = np.isfinite(ts)
    n_bad = int((~keep).sum())
    # Running maximum of earlier kept times: a sample must exceed it to be kept.
    filled = np.where(keep, ts, -np.inf)
    prev_max = np.maximum.accumulate(np.concatenate(([-np.inf], filled[:-1])))
    backwards = keep & (ts < prev_max)
    keep &= ~backwards
    warnings: list[str] = []
    if n_bad:
        warnings.append(f"{n_bad} records without a valid time were dropped")
    n_back = int(backwards.sum())
    if n_back:
        warnings.append(f"{n_back} records that go back in time were dropped (device clock jump)")
    return keep, warnings


def merge_same_time(
    timestamp_s: np.ndarray, columns: dict[str, np.ndarray], /
) -> tuple[np.ndarray, dict[str, np.ndarray], int]:
    """Merge samples that share a time (non-decreasing ``timestamp_s``) into one.

    Some devices (Suunto, Strava's app) write one record for GPS and another for heart
    rate in the same second; per column the first finite value of the group wins.
    Returns the unique times, merged columns, and how many samples were merged away.
    """
    ts = np.asarray(timestamp_s, dtype=np.float64)
    if len(ts) < 2 or (np.diff(ts) > 0).all():
        return ts, columns, 0
    uniq, group = np.unique(ts, return_inverse=True)
    merged: dict[str, np.ndarray] = {}
    for name, col in columns.items():
        out = np.full(len(uniq), np.nan)
        finite = np.flatnonzero(np.isfinite(col))
        # reversed assignment: the earliest finite value of each group is written last
        out[group[finite[::-1]]] = col[finite[::-1]]
        merged[name] = out
    return uniq, merged, len(ts) - len(uniq)


#: A running stride rate (one foot) above this is impossible: elite sprinters reach about
#: 130 strides/min. Cadence mostly above it must already count steps (both feet).
MAX_STRIDES_PER_MIN = 140.0
STEPS_ALREADY_WARNING = "cadence values look like steps per minute already (not doubled)"


def looks_like_steps(cadence: np.ndarray, /) -> bool:
    """True when the upper cadence values (90th percentile of positive values) exceed
    :data:`MAX_STRIDES_PER_MIN`, i.e. the numbers can only be steps per minute.

    The 90th percentile, not the median, because walking stretches (about 110 steps/min)
    can pull the median of a steps-per-minute treadmill file below the limit.
    """
    c = np.asarray(cadence, dtype=np.float64)
    positive = c[np.isfinite(c) & (c > 0)]
    return bool(positive.size) and float(np.percentile(positive, 90)) > MAX_STRIDES_PER_MIN


def cadence_to_spm(
    cadence: np.ndarray, /, *, sport: str | None, unit: str = "rpm"
) -> tuple[np.ndarray | None, list[str]]:
    """Cadence in steps per minute for sports on foot, ``None`` for other sports.

    Watches store running cadence as strides ("rpm", one foot) per minute; ``unit`` says
    what the file claims (``"rpm"``/``"strides"`` or ``"spm"``/``"steps"``). Some devices
    write steps although the field says strides (e.g. treadmill TCX exports): values that
    :func:`looks_like_steps` are taken as steps already, with a warning.
    """
    if sport is not None and sport not in RUNNING_SPORTS and sport != "generic":
        return None, []
    c = np.asarray(cadence, dtype=np.float64)
    c = np.where(c > 0, c, np.nan)  # 0 means "no cadence" on every device seen
    if not np.isfinite(c).any():
        return c, []
    per_step = unit.lower() in {"spm", "steps", "steps/min"}
    if per_step:
        return c, []
    if looks_like_steps(c):
        return c, [STEPS_ALREADY_WARNING]
    return 2.0 * c, []


def out_of_range_to_nan(
    columns: dict[str, np.ndarray], /
) -> tuple[dict[str, np.ndarray], list[str]]:
    """Replace physiologically impossible values by NaN; say how many per column."""
    out = dict(columns)
    warnings = []
    for name, (lo, hi) in _PLAUSIBLE.items():
        col = out.get(name)
        if col is None:
            continue
        with np.errstate(invalid="ignore"):
            bad = np.isfinite(col) & ((col < lo) | (col > hi))
        n_bad = int(bad.sum())
        if n_bad:
            out[name] = np.where(bad, np.nan, col)
            if n_bad > 0.01 * len(col):
                warnings.append(f"{n_bad} {name} values outside {lo:g}–{hi:g} were ignored")
    return out, warnings
