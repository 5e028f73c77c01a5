"""A synthetic training history: several weeks of runs for one synthetic runner.

In: a number of weeks and a seed. Out: :class:`SyntheticRunSpec` objects (one per run)
sharing the runner's cadence–speed line, with easy runs, interval sessions and a long
run each week, and a jump in volume in the last week so that the load flags have
something to say. Used by ``stridelab demo`` and by tests of the analyses.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from stridelab.errors import InputError
from stridelab.synthetic.fit_run import SyntheticRunSpec

__all__ = ["synthetic_history"]


def synthetic_history(
    *,
    weeks: int = 6,
    first_monday_utc: datetime = datetime(2026, 9, 21, 6, 30, tzinfo=UTC),
    seed: int = 1,
    base: SyntheticRunSpec | None = None,
) -> list[SyntheticRunSpec]:
    """Three runs a week (Tue easy, Thu intervals, Sun long), the last week 70% longer.

    Easy runs are 2.6–3.0 m/s, intervals 3.8–4.4 m/s, so the runner's own cadence–speed
    line (``base.cadence_intercept_spm``, ``base.cadence_slope_spm_per_m_s``) is sampled
    over a useful speed range.
    """
    if not 1 <= weeks <= 52:
        raise InputError(f"weeks must be 1–52, got {weeks}")
    base = base or SyntheticRunSpec()
    specs = []
    for w in range(weeks):
        monday = first_monday_utc + timedelta(weeks=w)
        scale = 1.7 if w == weeks - 1 and weeks > 2 else 1.0 + 0.05 * w
        easy = replace(
            base,
            start_utc=monday + timedelta(days=1),
            seed=seed + 10 * w,
            warmup_s=int(900 * scale),
            interval_count=0,
            cooldown_s=int(900 * scale),
            warmup_speed_m_s=2.7 + 0.03 * w,
            cooldown_speed_m_s=2.9,
            pause_at_timer_s=600,
        )
        intervals = replace(
            base,
            start_utc=monday + timedelta(days=3),
            seed=seed + 10 * w + 1,
            interval_count=4 + (w % 2),
            interval_speed_m_s=3.9 + 0.05 * w,
        )
        long_run = replace(
            base,
            start_utc=monday + timedelta(days=6, hours=1),
            seed=seed + 10 * w + 2,
            warmup_s=int(1800 * scale),
            interval_count=1,
            interval_s=int(1200 * scale),
            interval_speed_m_s=3.2,
            recovery_s=60,
            recovery_speed_m_s=3.0,
            cooldown_s=int(1200 * scale),
            warmup_speed_m_s=2.9,
            pause_at_timer_s=1500,
        )
        specs += [easy, intervals, long_run]
    return specs
