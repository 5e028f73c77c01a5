"""Training load: weekly volume, EWMA acute:chronic ratio, monotony and plain flags.

Inputs are per-run start times (timezone-aware) with distance, moving time or any
per-run load number. Outputs are weekly summaries, daily series, ratios and
:class:`LoadFlag` messages written for a runner, each with its source.

The flags are descriptive. None of these numbers predicts injury for one person; they
point at sudden changes worth a second look (see :data:`ACWR_LIMITS_NOTE`).
The flags, their thresholds and the note live in :mod:`stridelab.analysis.load_flags`
and are re-exported here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

import numpy as np
import numpy.typing as npt

from stridelab.analysis.load_flags import (
    ACWR_FLAG,
    ACWR_LIMITS_NOTE,
    LONG_RUN_MIN_RUNS,
    LONG_RUN_SHARE_FLAG,
    MONOTONY_FLAG,
    RAMP_FLAG_PCT,
    RAMP_MIN_BASE_KM,
    FlagKind,
    LoadFlag,
    load_flags,
)
from stridelab.errors import InputError

__all__ = [
    "ACWR_FLAG",
    "ACWR_LIMITS_NOTE",
    "LONG_RUN_MIN_RUNS",
    "LONG_RUN_SHARE_FLAG",
    "MONOTONY_FLAG",
    "MONOTONY_MAX",
    "RAMP_FLAG_PCT",
    "RAMP_MIN_BASE_KM",
    "DailySeries",
    "FlagKind",
    "LoadFlag",
    "WeekLoad",
    "daily_series",
    "ewma",
    "ewma_acwr",
    "load_flags",
    "monotony",
    "weekly_load",
]

FloatArray = npt.NDArray[np.float64]

#: Upper clip of monotony (Runalyze ``Monotony::MAX``); reached when every day is equal.
MONOTONY_MAX = 10.0


@dataclass(frozen=True)
class WeekLoad:
    """One ISO week (Monday to Sunday, in the chosen timezone).

    ``longest_run_share`` is longest / total distance (``None`` in an empty week);
    ``ramp_pct`` is the change in distance from the previous week, % (``None`` for the
    first week or when the previous week had no distance).
    """

    week_start: date
    iso_year: int
    iso_week: int
    distance_km: float
    time_h: float
    n_runs: int
    longest_run_km: float
    longest_run_share: float | None
    ramp_pct: float | None


@dataclass(frozen=True)
class DailySeries:
    """A value per calendar day, from ``first_date`` on, zeros on days without runs."""

    first_date: date
    values: FloatArray

    @property
    def dates(self) -> list[date]:
        """The calendar day of each value."""
        return [self.first_date + timedelta(days=i) for i in range(len(self.values))]


def _local_dates(starts_utc: Sequence[datetime], timezone: tzinfo) -> list[date]:
    out = []
    for i, start in enumerate(starts_utc):
        if start.tzinfo is None or start.utcoffset() is None:
            raise InputError(
                f"run start #{i} ({start.isoformat()}) has no timezone; pass aware "
                "datetimes (UTC), e.g. datetime(..., tzinfo=datetime.UTC)"
            )
        out.append(start.astimezone(timezone).date())
    return out


def _values(name: str, values: npt.ArrayLike, n: int) -> FloatArray:
    arr = np.asarray(values, dtype=np.float64).ravel()
    if arr.size != n:
        raise InputError(f"{name} has {arr.size} values, expected one per run ({n})")
    if not np.isfinite(arr).all() or (arr < 0).any():
        raise InputError(f"{name} must be finite and not negative")
    return arr


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly_load(
    starts_utc: Sequence[datetime],
    distance_km: npt.ArrayLike,
    moving_time_s: npt.ArrayLike,
    *,
    timezone: tzinfo = UTC,
    through_date: date | None = None,
) -> list[WeekLoad]:
    """Sum runs into ISO weeks (Monday start), including empty weeks in between.

    Parameters
    ----------
    starts_utc
        Run start times, timezone-aware.
    distance_km, moving_time_s
        Per-run distance, km, and moving time, s.
    timezone
        The runner's timezone: a run belongs to the local calendar day it started on.
    through_date
        If given, empty weeks are appended up to the week containing this local date.

    Returns
    -------
    list[WeekLoad]
        From the first run's week to the last run's (or ``through_date``'s) week; an
        empty list when there are no runs.
    """
    days = _local_dates(starts_utc, timezone)
    dist = _values("distance_km", distance_km, len(days))
    time_s = _values("moving_time_s", moving_time_s, len(days))
    if not days:
        return []
    mondays = [_monday(d) for d in days]
    first = min(mondays)
    last = max(max(mondays), _monday(through_date) if through_date else first)
    n_weeks = (last - first).days // 7 + 1
    index = np.array([(m - first).days // 7 for m in mondays], dtype=np.int64)

    weeks: list[WeekLoad] = []
    previous_km: float | None = None
    for w in range(n_weeks):
        sel = index == w
        total = float(dist[sel].sum())
        longest = float(dist[sel].max()) if sel.any() else 0.0
        ramp = None
        if previous_km is not None and previous_km > 0:
            ramp = 100.0 * (total - previous_km) / previous_km
        start = first + timedelta(weeks=w)
        iso = start.isocalendar()
        weeks.append(
            WeekLoad(
                week_start=start,
                iso_year=iso.year,
                iso_week=iso.week,
                distance_km=total,
                time_h=float(time_s[sel].sum()) / 3600.0,
                n_runs=int(sel.sum()),
                longest_run_km=longest,
                longest_run_share=longest / total if total > 0 else None,
                ramp_pct=ramp,
            )
        )
        previous_km = total
    return weeks


def daily_series(
    starts_utc: Sequence[datetime],
    values: npt.ArrayLike,
    *,
    end_date: date | None = None,
    start_date: date | None = None,
    timezone: tzinfo = UTC,
) -> DailySeries:
    """Sum a per-run value (distance, time, TRIMP…) per local calendar day.

    Parameters
    ----------
    starts_utc
        Run start times, timezone-aware.
    values
        One value per run, not negative.
    end_date, start_date
        Last and first day of the series (defaults: the last and first run's day).
        Runs outside are left out; days without runs are 0.
    timezone
        The runner's timezone, which decides the calendar day of each run.

    Raises
    ------
    InputError
        No runs and no explicit start and end date; end before start.
    """
    days = _local_dates(starts_utc, timezone)
    vals = _values("values", values, len(days))
    first = start_date or (min(days) if days else None)
    last = end_date or (max(days) if days else None)
    if first is None or last is None:
        raise InputError("no runs given: pass start_date and end_date for an all-zero series")
    if last < first:
        raise InputError(f"end_date {last} is before the first day {first}")
    out = np.zeros((last - first).days + 1, dtype=np.float64)
    for day, value in zip(days, vals, strict=True):
        if first <= day <= last:
            out[(day - first).days] += value
    return DailySeries(first_date=first, values=out)


def _daily(name: str, daily_load: npt.ArrayLike) -> FloatArray:
    arr = np.asarray(daily_load, dtype=np.float64).ravel()
    if not np.isfinite(arr).all() or (arr < 0).any():
        raise InputError(f"{name} must be finite and not negative; use 0 for days off")
    return arr


def ewma(daily_load: npt.ArrayLike, *, span_days: int) -> FloatArray:
    """Exponentially weighted moving average with λ = 2/(N+1), N = ``span_days``.

    EWMA_t = λ·load_t + (1 − λ)·EWMA_{t−1}, starting from 0 before the first day (no
    load before the series). Williams et al. 2017, BJSM 51:209.
    """
    if span_days < 1:
        raise InputError(f"span_days must be at least 1, found {span_days}")
    loads = _daily("daily_load", daily_load)
    lam = 2.0 / (span_days + 1.0)
    out = np.empty_like(loads)
    level = 0.0
    for i, x in enumerate(loads):
        level = lam * x + (1.0 - lam) * level
        out[i] = level
    return out


def ewma_acwr(
    daily_load: npt.ArrayLike,
    *,
    acute_days: int = 7,
    chronic_days: int = 28,
    uncoupled: bool = False,
    min_history_days: int | None = None,
) -> FloatArray:
    """EWMA acute:chronic workload ratio for every day of a daily load series.

    Parameters
    ----------
    daily_load
        Load per calendar day (0 on days off), oldest first, e.g. from
        :func:`daily_series`.
    acute_days, chronic_days
        EWMA spans N (λ = 2/(N+1)), Williams et al. 2017 (BJSM 51:209).
    uncoupled
        ``False`` (default): coupled ratio, acute EWMA / chronic EWMA on the same day,
        as in Williams 2017. ``True``: the chronic EWMA as it stood the day before the
        acute window began (day t − ``acute_days``), so the acute days are not part
        of it: an EWMA adaptation of the uncoupled ratio of Lolli et al. 2019
        (BJSM 53:921).
    min_history_days
        Days of history needed before a ratio is reported (default ``chronic_days``,
        plus ``acute_days`` when uncoupled); earlier days are ``NaN``.

    Returns
    -------
    numpy.ndarray
        Ratio per day; ``NaN`` before enough history and where the chronic load is 0.
        See :data:`ACWR_LIMITS_NOTE` before showing it.
    """
    if acute_days < 1 or chronic_days <= acute_days:
        raise InputError(
            "acute_days must be at least 1 and chronic_days longer than acute_days, "
            f"found {acute_days} and {chronic_days}"
        )
    loads = _daily("daily_load", daily_load)
    acute = ewma(loads, span_days=acute_days)
    chronic = ewma(loads, span_days=chronic_days)
    if uncoupled:
        lagged = np.full_like(chronic, np.nan)
        lagged[acute_days:] = chronic[:-acute_days]
        chronic = lagged
    if min_history_days is None:
        min_history_days = chronic_days + (acute_days if uncoupled else 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(chronic > 0, acute / chronic, np.nan)
    ratio[: max(min_history_days - 1, 0)] = np.nan
    return ratio


def monotony(daily_load_last7: npt.ArrayLike) -> float:
    """Training monotony: mean / SD of the daily load over 7 days (Foster 1998).

    Parameters
    ----------
    daily_load_last7
        Up to 7 daily loads (most recent week); missing days count as 0, so fewer
        than 7 values are padded with zeros, and ``NaN`` counts as 0.

    Returns
    -------
    float
        Mean / population SD (divisor 7), clipped to 0–10. A week with the same
        non-zero load every day gives 10; a week without load gives 0.

    Notes
    -----
    The population SD reproduces Runalyze's test case: [5, 15, 20, 20, 20, 25, 35]
    has mean 20 and SD √(500/7) = 8.45, so monotony 20/8.45 = 2.37 (the sample SD, 9.13,
    would give 2.19). Foster C (1998) Med Sci Sports Exerc 30:1164–1168; Runalyze
    ``Monotony.php``.
    """
    arr = np.asarray(daily_load_last7, dtype=np.float64).ravel()
    if arr.size > 7:
        raise InputError(f"monotony uses the last 7 days, found {arr.size} values; pass load[-7:]")
    arr = np.where(np.isnan(arr), 0.0, arr)
    if not np.isfinite(arr).all() or (arr < 0).any():
        raise InputError("daily loads must be finite and not negative")
    week = np.zeros(7)
    week[: arr.size] = arr
    mean = float(week.mean())
    if mean == 0.0:
        return 0.0
    sd = float(week.std(ddof=0))
    if sd == 0.0:
        return MONOTONY_MAX
    return float(np.clip(mean / sd, 0.0, MONOTONY_MAX))
