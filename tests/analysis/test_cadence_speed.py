"""Tests of the cadence–speed curve.

Synthetic data: a known line cadence = 120 + 12 · speed with Gaussian noise (SD 1.5 spm),
plus 10% gross outliers (+30 spm, e.g. strides up a hill or a doubled cadence reading),
placed at the fast end so that they tilt an ordinary least-squares line.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from stridelab.analysis.cadence_speed import (
    CadenceSpeedFit,
    fit_cadence_speed,
    position_on_curve,
    steady_segments,
)
from stridelab.errors import InputError

TRUE_A, TRUE_B = 120.0, 12.0
Array = npt.NDArray[np.float64]


def _noisy_line(seed: int = 1, n: int = 200) -> tuple[Array, Array]:
    rng = np.random.default_rng(seed)
    speed = rng.uniform(2.5, 4.5, n)
    cadence = TRUE_A + TRUE_B * speed + rng.normal(0.0, 1.5, n)
    fast = np.argsort(speed)[-n // 5 :]  # outliers among the fastest 20%
    outliers = rng.choice(fast, size=n // 10, replace=False)
    cadence[outliers] += 30.0
    return speed, cadence


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_robust_fit_recovers_line_despite_outliers(seed: int) -> None:
    speed, cadence = _noisy_line(seed)
    fit = fit_cadence_speed(speed, cadence)
    assert fit.slope_spm_per_m_s == pytest.approx(TRUE_B, abs=0.5)
    assert fit.intercept_spm == pytest.approx(TRUE_A, abs=2.0)
    assert fit.residual_sd_spm == pytest.approx(1.5, abs=0.6)
    assert fit.n_points == 200

    ols_b, ols_a = np.polyfit(speed, cadence, 1)
    robust_err = abs(fit.slope_spm_per_m_s - TRUE_B) + abs(fit.intercept_spm - TRUE_A) / 4
    ols_err = abs(ols_b - TRUE_B) + abs(ols_a - TRUE_A) / 4
    assert robust_err < ols_err / 2
    # predictions over the fitted range: the robust line is closer everywhere
    grid = np.linspace(2.5, 4.5, 5)
    truth = TRUE_A + TRUE_B * grid
    assert np.max(np.abs(fit.predict_spm(grid) - truth)) < np.max(
        np.abs(np.polyval([ols_b, ols_a], grid) - truth)
    )


def test_exact_line_with_gross_outliers_is_recovered_exactly() -> None:
    speed = np.linspace(2.5, 4.5, 50)
    cadence = TRUE_A + TRUE_B * speed
    cadence[-5:] += 30.0  # no noise at all: the MAD scale reaches 0 on the way
    fit = fit_cadence_speed(speed, cadence)
    assert fit.slope_spm_per_m_s == pytest.approx(TRUE_B)
    assert fit.intercept_spm == pytest.approx(TRUE_A)


def test_step_length_fit_matches_definition() -> None:
    speed = np.linspace(2.5, 4.5, 9)
    cadence = 150.0 + 6.0 * speed
    fit = fit_cadence_speed(speed, cadence)
    assert fit.slope_spm_per_m_s == pytest.approx(6.0)
    assert fit.intercept_spm == pytest.approx(150.0)
    step = speed / (cadence / 60.0)
    slope, _intercept = np.polyfit(speed, step, 1)
    # step length is not exactly linear in speed here, but close over this range
    assert fit.step_length_slope_m_per_m_s == pytest.approx(slope, rel=0.05)
    assert fit.predict_step_length_m(3.5) == pytest.approx(3.5 / ((150 + 21) / 60), abs=0.01)


def test_describe_and_prediction_types() -> None:
    fit = fit_cadence_speed(*_noisy_line())
    text = fit.describe()
    assert "200 steady stretches" in text
    assert "steps/min" in text and "/km" in text
    assert isinstance(fit.predict_spm(3.0), float)
    assert np.shape(fit.predict_spm(np.array([3.0, 4.0]))) == (2,)


def _fit(sd: float = 2.0) -> CadenceSpeedFit:
    return CadenceSpeedFit(
        intercept_spm=120.0,
        slope_spm_per_m_s=12.0,
        residual_sd_spm=sd,
        step_length_intercept_m=0.5,
        step_length_slope_m_per_m_s=0.2,
        step_length_residual_sd_m=0.02,
        n_points=50,
        speed_min_m_s=2.5,
        speed_max_m_s=4.5,
    )


@pytest.mark.parametrize(
    ("cadence", "label"),
    [
        (162.0, "on your usual curve"),  # expected 162 at 3.5 m/s
        (163.9, "on your usual curve"),
        (166.0, "quicker steps than usual"),
        (158.0, "longer steps than usual"),
    ],
)
def test_position_on_curve_labels(cadence: float, label: str) -> None:
    pos = position_on_curve(_fit(), 3.5, cadence)
    assert pos.expected_spm == pytest.approx(162.0)
    assert pos.delta_spm == pytest.approx(cadence - 162.0)
    assert pos.delta_pct == pytest.approx(100 * (cadence - 162.0) / 162.0)
    assert pos.z == pytest.approx((cadence - 162.0) / 2.0)
    assert pos.label == label
    assert pos.extrapolated is False


def test_position_outside_range_is_marked_and_zero_sd_is_floored() -> None:
    pos = position_on_curve(_fit(sd=0.0), 5.5, 187.0)
    assert pos.extrapolated is True
    assert np.isfinite(pos.z) and pos.z == pytest.approx(1.0 / 0.5)


def test_too_few_points_raise() -> None:
    with pytest.raises(InputError, match="at least 5"):
        fit_cadence_speed([3.0, 3.5, 4.0, 4.5], [160, 165, 170, 175])


def test_narrow_speed_range_raises() -> None:
    speed = np.linspace(3.0, 3.2, 10)
    with pytest.raises(InputError, match=r"0\.3 m/s"):
        fit_cadence_speed(speed, 120 + 12 * speed)


def test_non_finite_pairs_are_dropped_before_counting() -> None:
    speed = np.array([3.0, 3.5, 4.0, 4.5, np.nan, 5.0])
    with pytest.raises(InputError, match="found 4"):
        fit_cadence_speed(speed, [160, 165, 170, np.nan, 175, 180])


def test_mismatched_lengths_raise() -> None:
    with pytest.raises(InputError, match="one length"):
        fit_cadence_speed([3.0, 3.5], [160.0])


def _synthetic_run() -> tuple[Array, Array, Array]:
    """A 1 Hz run, described block by block (times in s from the start):

    - 0–300: steady 3.0 m/s, 165 spm (10 windows of 30 s)
    - 300–330: a sprint, speed 3 → 6 → 3 m/s (one unsteady window)
    - 330–630: steady 3.5 m/s, 172 spm (10 windows)
    - 630–660: steady 3.5 m/s but the cadence sensor drops out (rejected)
    - 660–720: walking at 1.2 m/s, 110 spm (2 windows, too slow)
    Small noise: speed SD 0.03 m/s, cadence SD 1 spm.
    """
    rng = np.random.default_rng(7)
    t = np.arange(0.0, 720.0) + 1_700_000_000.0
    rel = t - t[0]
    speed = np.where(rel < 300, 3.0, 3.5)
    cadence = np.where(rel < 300, 165.0, 172.0)
    sprint = (rel >= 300) & (rel < 330)
    speed = np.where(sprint, 3.0 + 3.0 * np.sin(np.pi * (rel - 300) / 30), speed)
    cadence = np.where(sprint, 190.0, cadence)
    walk = rel >= 660
    speed = np.where(walk, 1.2, speed)
    cadence = np.where(walk, 110.0, cadence)
    speed = speed + rng.normal(0, 0.03, t.size)
    cadence = cadence + rng.normal(0, 1.0, t.size)
    cadence[(rel >= 630) & (rel < 660)] = np.nan
    return t, speed, cadence


def test_steady_segments_on_synthetic_run() -> None:
    t, speed, cadence = _synthetic_run()
    seg = steady_segments(t, speed, cadence)
    assert len(seg) == 20
    rel_starts = seg.start_s - t[0]
    expected_starts = np.r_[np.arange(0, 300, 30), np.arange(330, 630, 30)]
    np.testing.assert_allclose(rel_starts, expected_starts)
    np.testing.assert_allclose(seg.speed_m_s[:10], 3.0, atol=0.03)
    np.testing.assert_allclose(seg.speed_m_s[10:], 3.5, atol=0.03)
    np.testing.assert_allclose(seg.cadence_spm[:10], 165.0, atol=1.0)
    np.testing.assert_allclose(seg.cadence_spm[10:], 172.0, atol=1.0)
    np.testing.assert_allclose(seg.step_length_m[:10], 3.0 / (165 / 60), rtol=0.02)


def test_steady_segments_reject_pauses_and_feed_the_fit() -> None:
    t, speed, cadence = _synthetic_run()
    keep = ~((t - t[0] >= 40) & (t - t[0] < 55))  # a 15 s pause in the second window
    seg = steady_segments(t[keep], speed[keep], cadence[keep])
    assert len(seg) == 19
    assert 30.0 not in set(seg.start_s - t[0])
    fit = fit_cadence_speed(np.r_[seg.speed_m_s, 4.0, 4.5], np.r_[seg.cadence_spm, 179.0, 186.0])
    assert fit.slope_spm_per_m_s == pytest.approx(14.0, abs=1.0)


def test_steady_segments_empty_and_invalid() -> None:
    empty = steady_segments([], [], [])
    assert len(empty) == 0
    with pytest.raises(InputError, match="one length"):
        steady_segments([0.0, 1.0], [3.0], [170.0, 170.0])
    with pytest.raises(InputError, match="increasing"):
        steady_segments([0.0, 0.0], [3.0, 3.0], [170.0, 170.0])
