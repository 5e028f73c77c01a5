"""Tests of weekly load, EWMA acute:chronic ratio, monotony and load flags.

Small series are computed by hand in the comments.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import numpy as np
import pytest

from stridelab.analysis.training_load import (
    ACWR_LIMITS_NOTE,
    WeekLoad,
    daily_series,
    ewma,
    ewma_acwr,
    load_flags,
    monotony,
    weekly_load,
)
from stridelab.errors import InputError


def _utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# ---------------------------------------------------------------- EWMA and ratio


def test_ewma_by_hand() -> None:
    # span 3 → λ = 2/4 = 0.5, starting from 0:
    # 0.5·10 = 5; 0.5·0 + 0.5·5 = 2.5; 0.5·20 + 0.5·2.5 = 11.25
    np.testing.assert_allclose(ewma([10, 0, 20], span_days=3), [5.0, 2.5, 11.25])


def test_ewma_default_spans_use_williams_lambda() -> None:
    # λ_acute = 2/8 = 0.25: 0.25·8 = 2; 0.25·8 + 0.75·2 = 3.5
    np.testing.assert_allclose(ewma([8, 8], span_days=7), [2.0, 3.5])
    # λ_chronic = 2/29
    assert ewma([29.0], span_days=28)[0] == pytest.approx(2.0)


def test_ewma_acwr_coupled_by_hand() -> None:
    # acute span 1 (λ = 1, acute = today's load), chronic span 3 (λ = 0.5)
    # chronic: 5, 2.5, 11.25, 10.625; acute: 10, 0, 20, 10
    ratio = ewma_acwr([10, 0, 20, 10], acute_days=1, chronic_days=3)
    assert np.isnan(ratio[:2]).all()  # fewer than 3 days of history
    np.testing.assert_allclose(ratio[2:], [20 / 11.25, 10 / 10.625])


def test_ewma_acwr_uncoupled_uses_chronic_before_the_acute_window() -> None:
    # chronic lagged by 1 day: nan, 5, 2.5, 11.25; history needed 3 + 1 = 4 days
    ratio = ewma_acwr([10, 0, 20, 10], acute_days=1, chronic_days=3, uncoupled=True)
    assert np.isnan(ratio[:3]).all()
    assert ratio[3] == pytest.approx(10 / 11.25)


def test_ewma_acwr_steady_load_tends_to_one_and_spike_rises() -> None:
    load = np.full(120, 10.0)
    ratio = ewma_acwr(load)
    assert np.isnan(ratio[:27]).all() and np.isfinite(ratio[27:]).all()
    assert ratio[-1] == pytest.approx(1.0, abs=1e-3)
    spiked = np.r_[load, np.full(7, 30.0)]
    assert ewma_acwr(spiked)[-1] > 1.5
    assert ewma_acwr(spiked, uncoupled=True)[-1] > ewma_acwr(spiked)[-1]


def test_ewma_acwr_zero_chronic_gives_nan_and_bad_input_raises() -> None:
    assert np.isnan(ewma_acwr(np.zeros(40))).all()
    with pytest.raises(InputError, match="not negative"):
        ewma_acwr([1.0, -2.0])
    with pytest.raises(InputError, match="chronic_days"):
        ewma_acwr([1.0], acute_days=7, chronic_days=7)


# ---------------------------------------------------------------- monotony


def test_monotony_runalyze_case_uses_population_sd() -> None:
    # mean 20; squared deviations 225+25+0+0+0+25+225 = 500; population SD √(500/7) = 8.45
    value = monotony([5, 15, 20, 20, 20, 25, 35])
    assert value == pytest.approx(20 / np.sqrt(500 / 7))
    assert value == pytest.approx(20 / 8.45, abs=1e-3)


def test_monotony_missing_days_count_as_zero_and_clipping() -> None:
    assert monotony([10, 10, 10]) == pytest.approx(monotony([10, 10, 10, 0, 0, 0, 0]))
    assert monotony([10, np.nan, 10, 0, 0, 0, 0]) == pytest.approx(monotony([10, 10]))
    assert monotony([10] * 7) == 10.0  # SD 0: clipped at the maximum
    assert monotony([0] * 7) == 0.0
    assert monotony([]) == 0.0
    with pytest.raises(InputError, match="last 7 days"):
        monotony(np.ones(8))


# ---------------------------------------------------------------- weeks and days


def test_week_boundary_sunday_night_vs_monday_morning() -> None:
    # 2024-03-10 is a Sunday, 2024-03-11 a Monday (ISO week 11)
    starts = [_utc(2024, 3, 10, 23, 30), _utc(2024, 3, 11, 0, 10)]
    weeks = weekly_load(starts, [10.0, 5.0], [3000.0, 1500.0])
    assert [w.week_start for w in weeks] == [date(2024, 3, 4), date(2024, 3, 11)]
    assert [(w.iso_year, w.iso_week) for w in weeks] == [(2024, 10), (2024, 11)]
    assert [w.distance_km for w in weeks] == [10.0, 5.0]
    assert weeks[1].ramp_pct == pytest.approx(-50.0)

    # two hours east of UTC both runs start on Monday local time: one week
    east = weekly_load(starts, [10.0, 5.0], [3000.0, 1500.0], timezone=timezone(timedelta(hours=2)))
    assert len(east) == 1 and east[0].week_start == date(2024, 3, 11)
    assert east[0].n_runs == 2 and east[0].time_h == pytest.approx(1.25)


def test_empty_weeks_are_included() -> None:
    starts = [_utc(2024, 1, 2, 7), _utc(2024, 1, 4, 7), _utc(2024, 1, 24, 7)]
    weeks = weekly_load(starts, [8.0, 12.0, 10.0], [2400.0, 3600.0, 3000.0])
    assert [w.week_start for w in weeks] == [
        date(2024, 1, 1),
        date(2024, 1, 8),
        date(2024, 1, 15),
        date(2024, 1, 22),
    ]
    assert [w.n_runs for w in weeks] == [2, 0, 0, 1]
    assert weeks[0].longest_run_km == 12.0 and weeks[0].longest_run_share == pytest.approx(0.6)
    assert weeks[1].longest_run_share is None
    assert weeks[0].ramp_pct is None  # no previous week
    assert weeks[1].ramp_pct == pytest.approx(-100.0)
    assert weeks[2].ramp_pct is None and weeks[3].ramp_pct is None  # previous week was 0


def test_weekly_load_through_date_and_empty_input() -> None:
    weeks = weekly_load([_utc(2024, 1, 2, 7)], [5.0], [1800.0], through_date=date(2024, 1, 20))
    assert len(weeks) == 3 and weeks[-1].distance_km == 0.0
    assert weekly_load([], [], []) == []


def test_weekly_load_rejects_naive_datetimes_and_bad_lengths() -> None:
    with pytest.raises(InputError, match="no timezone"):
        weekly_load([datetime(2024, 1, 1, 7)], [5.0], [1800.0])
    with pytest.raises(InputError, match="expected one per run"):
        weekly_load([_utc(2024, 1, 1, 7)], [5.0, 6.0], [1800.0])


def test_daily_series() -> None:
    starts = [_utc(2024, 5, 1, 6), _utc(2024, 5, 1, 18), _utc(2024, 5, 3, 23, 30)]
    series = daily_series(starts, [5.0, 3.0, 10.0], end_date=date(2024, 5, 5))
    assert series.first_date == date(2024, 5, 1)
    np.testing.assert_allclose(series.values, [8.0, 0.0, 10.0, 0.0, 0.0])
    assert series.dates[-1] == date(2024, 5, 5)
    # one hour east, the late run falls on the 4th
    east = daily_series(starts, [5.0, 3.0, 10.0], timezone=timezone(timedelta(hours=1)))
    np.testing.assert_allclose(east.values, [8.0, 0.0, 0.0, 10.0])
    with pytest.raises(InputError, match="start_date and end_date"):
        daily_series([], [])
    zeros = daily_series([], [], start_date=date(2024, 1, 1), end_date=date(2024, 1, 3))
    np.testing.assert_allclose(zeros.values, [0.0, 0.0, 0.0])


# ---------------------------------------------------------------- flags


def _weeks(km_per_week: list[list[float]]) -> list[WeekLoad]:
    starts, dist = [], []
    monday = _utc(2024, 4, 1, 7)
    for w, runs in enumerate(km_per_week):
        for i, km in enumerate(runs):
            starts.append(monday + timedelta(weeks=w, days=i))
            dist.append(km)
    return weekly_load(starts, dist, [km * 330.0 for km in dist])


def test_ramp_flag_on_30_to_45_km() -> None:
    weeks = _weeks([[10, 10, 10], [15, 15, 15]])
    flags = load_flags(weeks)
    ramp = [f for f in flags if f.kind == "ramp"]
    assert len(ramp) == 1
    assert ramp[0].value == pytest.approx(50.0)
    assert ramp[0].message.startswith("volume up 50% this week (30 → 45 km)")
    assert "Nielsen 2014" in ramp[0].message and "Buist 2008" in ramp[0].message
    assert "JOSPT" in ramp[0].source


def test_no_ramp_flag_for_small_base_or_modest_increase() -> None:
    assert not [f for f in load_flags(_weeks([[4, 4], [6, 6]])) if f.kind == "ramp"]
    assert not [f for f in load_flags(_weeks([[10, 10, 10], [12, 12, 12]])) if f.kind == "ramp"]


def test_ramp_flag_in_older_week_names_the_week() -> None:
    weeks = _weeks([[10, 10, 10], [15, 15, 15], [15, 15, 15]])
    assert not [f for f in load_flags(weeks) if f.kind == "ramp"]
    older = [f for f in load_flags(weeks, last_n_weeks=2) if f.kind == "ramp"]
    assert len(older) == 1 and "in the week of 2024-04-08" in older[0].message


def test_long_run_share_flag() -> None:
    flags = load_flags(_weeks([[6, 6, 8, 18]]))  # 18 of 38 km = 47%
    long_run = [f for f in flags if f.kind == "long_run_share"]
    assert len(long_run) == 1 and long_run[0].value == pytest.approx(18 / 38)
    assert "47%" in long_run[0].message
    # two runs a week: no flag (the longest is always at least half)
    assert not [f for f in load_flags(_weeks([[5, 20]])) if f.kind == "long_run_share"]


def test_acwr_and_monotony_flags() -> None:
    weeks = _weeks([[10, 10, 10]])
    flags = load_flags(weeks, 1.6, monotony_latest=2.4)
    acwr = next(f for f in flags if f.kind == "acwr")
    assert acwr.message == (
        "EWMA acute:chronic ratio 1.6 — above 1.5; a descriptive signal, not a "
        "predictor of injury (Impellizzeri 2020)"
    )
    mono = next(f for f in flags if f.kind == "monotony")
    assert "2.4" in mono.message and "Foster 1998" in mono.message
    assert load_flags(weeks, 1.3, monotony_latest=1.8) == []
    assert load_flags(weeks, float("nan")) == []


def test_limits_note_names_the_critiques() -> None:
    assert "Lolli" in ACWR_LIMITS_NOTE and "Impellizzeri" in ACWR_LIMITS_NOTE
    assert "coupled" in ACWR_LIMITS_NOTE
