"""Training load: weekly volume, EWMA acute:chronic ratio, monotony and plain flags.

Inputs are per-run start times (timezone-aware) with distance, moving time or any
per-run load number. Outputs are weekly summaries, daily series, ratios and
:class:`LoadFlag` messages written for a runner, each with its source.

The flags are descriptive. None of these numbers predicts injury for one person; they
point at sudden changes worth a second look (see :data:`ACWR_LIMITS_NOTE`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Literal

import numpy as np
import numpy.typing as npt

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
FlagKind = Literal["ramp", "acwr", "long_run_share", "monotony"]

#: Week-over-week distance increase that raises a flag, %. Nielsen et al. 2014 (JOSPT
#: 44:739): novices who progressed weekly distance by more than 30% over 2 weeks had
#: more distance-related injuries than those under 10% (HR 1.59, 95% CI 0.96–2.66,
#: P = .07). The "10% rule" has no support: Buist et al. 2008 (AJSM 36:33) found
#: 20.8% vs 20.3% injured with and without it.
RAMP_FLAG_PCT = 30.0
#: Previous-week distance below which a ramp is not flagged, km. Our choice, not a
#: published number: going from 3 to 6 km is +100% but not a meaningful load change.
RAMP_MIN_BASE_KM = 10.0
#: EWMA acute:chronic ratio above which a flag is raised. Gabbett 2016 (BJSM 50:273)
#: called ≥ 1.5 a "danger zone"; Impellizzeri et al. 2020 (Sports Med,
#: doi:10.1007/s40279-020-01378-6) showed the ratio adds little beyond acute load.
ACWR_FLAG = 1.5
#: Share of the week's distance in its longest run above which a flag is raised. A
#: coaching rule of thumb, not a tested injury threshold.
LONG_RUN_SHARE_FLAG = 0.40
#: Fewest runs in a week for the long-run share flag (with 1–2 runs the longest is
#: always ≥ 50% of the week, so the flag would say nothing).
LONG_RUN_MIN_RUNS = 3
#: Training monotony (mean/SD of daily load over 7 days) above which a flag is raised.
#: Foster 1998 (Med Sci Sports Exerc 30:1164) linked monotony > 2 with high strain to
#: illness; Runalyze warns at 1.5 and marks 2 as critical.
MONOTONY_FLAG = 2.0
#: Upper clip of monotony (Runalyze ``Monotony::MAX``); reached when every day is equal.
MONOTONY_MAX = 10.0

#: The known limits of the acute:chronic workload ratio, for showing next to it.
ACWR_LIMITS_NOTE = (
    "The acute:chronic workload ratio (ACWR) compares the last week's load with the "
    "last month's. It is a descriptive signal, not a predictor of injury: the acute "
    "load is part of the chronic load, which alone creates a correlation of about 0.5 "
    "between the two (Lolli et al. 2019, BJSM 53:921), and Impellizzeri et al. 2020 "
    "(Sports Med) showed that dividing by a fixed or even random chronic load predicts "
    "injury about as well, so the ratio adds little beyond the acute load itself. "
    "stridelab uses exponentially weighted averages with λ = 2/(N+1), N = 7 and 28 days "
    "(Williams et al. 2017, BJSM 51:209). The default ratio is coupled (the chronic "
    "average includes the last week, as in the studies behind the 1.5 threshold); the "
    "uncoupled variant divides by the chronic average as it stood before the last "
    "week. Thresholds such as 0.8–1.3 or 1.5 come from team-sport data (Gabbett 2016)."
)


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


@dataclass(frozen=True)
class LoadFlag:
    """A plain-language flag: what was seen, against which threshold, from which source."""

    kind: FlagKind
    week_start: date | None
    value: float
    threshold: float
    message: str
    source: str


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


_RAMP_SOURCE = (
    "Nielsen et al. 2014, JOSPT 44:739 (more than 30% progression over 2 weeks, "
    "HR 1.59 for distance-related injuries, 95% CI 0.96–2.66); the 10% rule has no "
    "evidence: Buist et al. 2008, AJSM 36:33"
)
_ACWR_SOURCE = (
    "Williams et al. 2017, BJSM 51:209 (EWMA); Gabbett 2016, BJSM 50:273 (1.5); "
    "Impellizzeri et al. 2020, Sports Med (limits); Lolli et al. 2019, BJSM 53:921 (coupling)"
)
_LONG_RUN_SOURCE = "coaching rule of thumb (no injury study behind the 40% figure)"
_MONOTONY_SOURCE = "Foster 1998, Med Sci Sports Exerc 30:1164; Runalyze Monotony.php"


def _week_phrase(week: WeekLoad, is_latest: bool) -> str:
    return "this week" if is_latest else f"in the week of {week.week_start.isoformat()}"


def load_flags(
    weeks: Sequence[WeekLoad],
    acwr_latest: float | None = None,
    *,
    monotony_latest: float | None = None,
    last_n_weeks: int = 1,
) -> list[LoadFlag]:
    """Plain-language flags for the most recent week(s), ratio and monotony.

    Parameters
    ----------
    weeks
        Output of :func:`weekly_load`, oldest first; the last entry is "this week".
    acwr_latest
        Latest EWMA acute:chronic ratio (``None`` or ``NaN`` to skip).
    monotony_latest
        Latest 7-day monotony from :func:`monotony` (``None`` to skip).
    last_n_weeks
        How many of the most recent weeks to check for week-level flags.

    Returns
    -------
    list[LoadFlag]
        Ramp > :data:`RAMP_FLAG_PCT` % on a previous week of at least
        :data:`RAMP_MIN_BASE_KM` km; ratio > :data:`ACWR_FLAG`; longest run >
        :data:`LONG_RUN_SHARE_FLAG` of a week with at least :data:`LONG_RUN_MIN_RUNS`
        runs; monotony > :data:`MONOTONY_FLAG`.
    """
    if last_n_weeks < 1:
        raise InputError(f"last_n_weeks must be at least 1, found {last_n_weeks}")
    flags: list[LoadFlag] = []
    recent = list(weeks)[-last_n_weeks:]
    for offset, week in enumerate(recent):
        is_latest = offset == len(recent) - 1
        when = _week_phrase(week, is_latest)
        position = len(weeks) - len(recent) + offset
        previous = weeks[position - 1] if position > 0 else None
        if (
            week.ramp_pct is not None
            and previous is not None
            and previous.distance_km >= RAMP_MIN_BASE_KM
            and week.ramp_pct > RAMP_FLAG_PCT
        ):
            flags.append(
                LoadFlag(
                    kind="ramp",
                    week_start=week.week_start,
                    value=week.ramp_pct,
                    threshold=RAMP_FLAG_PCT,
                    message=(
                        f"volume up {week.ramp_pct:.0f}% {when} "
                        f"({previous.distance_km:.0f} → {week.distance_km:.0f} km); "
                        f"novice runners who raised weekly distance by more than "
                        f"{RAMP_FLAG_PCT:.0f}% had more distance-related injuries, though "
                        "the link was not statistically certain (Nielsen 2014). The popular "
                        "10% rule has no evidence behind it (Buist 2008)."
                    ),
                    source=_RAMP_SOURCE,
                )
            )
        share = week.longest_run_share
        if share is not None and week.n_runs >= LONG_RUN_MIN_RUNS and share > LONG_RUN_SHARE_FLAG:
            flags.append(
                LoadFlag(
                    kind="long_run_share",
                    week_start=week.week_start,
                    value=share,
                    threshold=LONG_RUN_SHARE_FLAG,
                    message=(
                        f"longest run {week.longest_run_km:.0f} km is {100 * share:.0f}% of "
                        f"the {week.distance_km:.0f} km {when} — above "
                        f"{100 * LONG_RUN_SHARE_FLAG:.0f}%; a rule of thumb, not a tested "
                        "injury threshold"
                    ),
                    source=_LONG_RUN_SOURCE,
                )
            )
    if acwr_latest is not None and np.isfinite(acwr_latest) and acwr_latest > ACWR_FLAG:
        flags.append(
            LoadFlag(
                kind="acwr",
                week_start=recent[-1].week_start if recent else None,
                value=float(acwr_latest),
                threshold=ACWR_FLAG,
                message=(
                    f"EWMA acute:chronic ratio {acwr_latest:.1f} — above {ACWR_FLAG:.1f}; "
                    "a descriptive signal, not a predictor of injury (Impellizzeri 2020)"
                ),
                source=_ACWR_SOURCE,
            )
        )
    if monotony_latest is not None and monotony_latest > MONOTONY_FLAG:
        flags.append(
            LoadFlag(
                kind="monotony",
                week_start=recent[-1].week_start if recent else None,
                value=float(monotony_latest),
                threshold=MONOTONY_FLAG,
                message=(
                    f"training monotony {monotony_latest:.1f} over the last 7 days — above "
                    f"{MONOTONY_FLAG:.0f}: similar load every day with few easy or rest days "
                    "(Foster 1998)"
                ),
                source=_MONOTONY_SOURCE,
            )
        )
    return flags
