"""Plain-language load flags and their thresholds, each with its source.

Split from :mod:`stridelab.analysis.training_load` (which re-exports everything here)
to keep modules short. Input: :class:`~stridelab.analysis.training_load.WeekLoad`
objects, the latest EWMA acute:chronic ratio and the latest monotony; output:
:class:`LoadFlag` messages. The flags are descriptive: none of these numbers predicts
injury for one person (see :data:`ACWR_LIMITS_NOTE`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

import numpy as np

from stridelab.errors import InputError

if TYPE_CHECKING:
    from stridelab.analysis.training_load import WeekLoad

__all__ = [
    "ACWR_FLAG",
    "ACWR_LIMITS_NOTE",
    "LONG_RUN_MIN_RUNS",
    "LONG_RUN_SHARE_FLAG",
    "MONOTONY_FLAG",
    "RAMP_FLAG_PCT",
    "RAMP_MIN_BASE_KM",
    "FlagKind",
    "LoadFlag",
    "load_flags",
]

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
class LoadFlag:
    """A plain-language flag: what was seen, against which threshold, from which source."""

    kind: FlagKind
    week_start: date | None
    value: float
    threshold: float
    message: str
    source: str


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
