"""The runner's own cadence–speed relation.

There is no single "right" cadence: step rate rises with speed in every runner, and the
often-quoted 180 steps/min (Daniels' observation of elite runners at race pace) is not a
target for easy running. This module fits the relation a runner actually uses, so a run
can be compared with that runner's own curve instead of a universal number.

Steps:

1. :func:`steady_segments` cuts a run (per-second records) into non-overlapping windows
   and keeps those where speed is steady and cadence is present, giving one median
   (speed, cadence, step length) point per window.
2. :func:`fit_cadence_speed` fits cadence = a + b · speed (and step length = c + d · speed)
   robustly, so stops, GPS glitches and strides on a hill do not pull the line.
3. :func:`position_on_curve` says where a run or segment sits relative to the curve.

Related evidence: raising step rate by 5–10% at the same speed reduces knee energy
absorption and CoM vertical excursion (Heiderscheit et al. 2011, *Med Sci Sports Exerc*
43:296–302); it is a load-reduction lever, not a universal target.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from stridelab.analysis.robust import BISQUARE_C, HUBER_K, MAD_TO_SD, robust_line, robust_sd
from stridelab.errors import InputError

__all__ = [
    "BISQUARE_C",
    "HUBER_K",
    "MAD_TO_SD",
    "MIN_FIT_POINTS",
    "MIN_SPEED_RANGE_M_S",
    "CadenceSpeedFit",
    "CurvePosition",
    "SteadySamples",
    "fit_cadence_speed",
    "position_on_curve",
    "steady_segments",
]

FloatArray = npt.NDArray[np.float64]

#: Fewest points accepted by :func:`fit_cadence_speed`.
MIN_FIT_POINTS = 5
#: Smallest speed range (max − min) accepted by :func:`fit_cadence_speed`, m/s.
MIN_SPEED_RANGE_M_S = 0.3
#: Lower bound on the residual SD used for z-scores: watches report cadence in whole
#: steps/min, so a perfect synthetic fit must not turn a 1-spm difference into z = ∞.
MIN_RESIDUAL_SD_SPM = 0.5
#: Largest gap between samples allowed inside a steady window, s (a pause breaks it).
_MAX_GAP_IN_WINDOW_S = 10.0
#: Share of the window's duration the samples must span.
_MIN_WINDOW_COVERAGE = 0.8
#: Share of samples in a window that must have a cadence value.
_MIN_CADENCE_SHARE = 0.8


@dataclass(frozen=True)
class SteadySamples:
    """One point per steady window (arrays of equal length, in time order).

    ``start_s`` is the timestamp of the window's first sample (same clock as the
    input); the others are medians over the window's samples.
    """

    start_s: FloatArray
    speed_m_s: FloatArray
    cadence_spm: FloatArray
    step_length_m: FloatArray

    def __len__(self) -> int:
        return len(self.start_s)


@dataclass(frozen=True)
class CadenceSpeedFit:
    """Robust straight lines cadence = a + b · speed and step length = c + d · speed.

    Residual SDs are robust (MAD × 1.4826 of the residuals). ``n_points`` and the speed
    range say what data the line rests on; predictions outside that range are
    extrapolations.
    """

    intercept_spm: float
    slope_spm_per_m_s: float
    residual_sd_spm: float
    step_length_intercept_m: float
    step_length_slope_m_per_m_s: float
    step_length_residual_sd_m: float
    n_points: int
    speed_min_m_s: float
    speed_max_m_s: float

    def predict_spm(self, speed_m_s: npt.ArrayLike) -> float | FloatArray:
        """Cadence on the curve at ``speed_m_s`` (float for a scalar, else an array)."""
        v = np.asarray(speed_m_s, dtype=np.float64)
        pred = self.intercept_spm + self.slope_spm_per_m_s * v
        return float(pred) if v.ndim == 0 else pred

    def predict_step_length_m(self, speed_m_s: npt.ArrayLike) -> float | FloatArray:
        """Step length on the curve at ``speed_m_s``, m."""
        v = np.asarray(speed_m_s, dtype=np.float64)
        pred = self.step_length_intercept_m + self.step_length_slope_m_per_m_s * v
        return float(pred) if v.ndim == 0 else pred

    def describe(self) -> str:
        """One plain sentence about the curve."""
        lo, hi = self.speed_min_m_s, self.speed_max_m_s
        c_lo, c_hi = self.predict_spm(lo), self.predict_spm(hi)
        per_km_h = self.slope_spm_per_m_s / 3.6
        return (
            f"Across {self.n_points} steady stretches from {_pace(lo)} to {_pace(hi)} "
            f"({lo:.1f}–{hi:.1f} m/s), your cadence goes from about {c_lo:.0f} to "
            f"{c_hi:.0f} steps/min, {per_km_h:+.1f} steps/min per km/h faster, "
            f"typically within ±{self.residual_sd_spm:.1f} steps/min of that line."
        )


@dataclass(frozen=True)
class CurvePosition:
    """Where one (speed, cadence) point sits relative to a :class:`CadenceSpeedFit`.

    ``z`` is the difference in robust residual SDs (floored at 0.5 spm). ``label`` is
    "on your usual curve" (|z| ≤ 1), "quicker steps than usual" (z > 1) or "longer
    steps than usual" (z < −1). ``extrapolated`` is true when the speed lies outside
    the range the curve was fitted on.
    """

    speed_m_s: float
    cadence_spm: float
    expected_spm: float
    delta_spm: float
    delta_pct: float
    z: float
    label: str
    extrapolated: bool


def _pace(speed_m_s: float) -> str:
    """Pace as m:ss /km."""
    if speed_m_s <= 0:
        return "standing"
    total_s = round(1000.0 / speed_m_s)
    return f"{total_s // 60}:{total_s % 60:02d} /km"


def steady_segments(
    timestamp_s: npt.ArrayLike,
    speed_m_s: npt.ArrayLike,
    cadence_spm: npt.ArrayLike,
    *,
    window_s: float = 30.0,
    max_speed_cv: float = 0.05,
    min_speed_m_s: float = 1.5,
) -> SteadySamples:
    """Median speed, cadence and step length over steady, non-overlapping windows.

    Windows of ``window_s`` seconds are laid from the first timestamp. A window is kept
    when its samples span at least 80% of it with no gap over 10 s (a pause), every
    speed is finite, the speed coefficient of variation (population SD / mean) is at
    most ``max_speed_cv``, the median speed is at least ``min_speed_m_s``, and at least
    80% of samples have a positive cadence.

    Parameters
    ----------
    timestamp_s
        Sample times, s, strictly increasing.
    speed_m_s
        Speed per sample, m/s (``NaN`` where absent).
    cadence_spm
        Steps per minute per sample (``NaN`` or 0 where absent).
    window_s
        Window length, s.
    max_speed_cv
        Largest accepted coefficient of variation of speed within a window.
    min_speed_m_s
        Slowest accepted median speed (1.5 m/s = 11:07 /km excludes walking breaks).

    Returns
    -------
    SteadySamples
        Step length per sample is speed / (cadence / 60) in metres; the median of
        those is reported.

    Raises
    ------
    InputError
        Arrays of different lengths, timestamps not increasing, non-positive options.
    """
    t = np.asarray(timestamp_s, dtype=np.float64)
    v = np.asarray(speed_m_s, dtype=np.float64)
    c = np.asarray(cadence_spm, dtype=np.float64)
    if t.ndim != 1 or v.shape != t.shape or c.shape != t.shape:
        raise InputError(
            "timestamp_s, speed_m_s and cadence_spm must be 1-D arrays of one length, "
            f"found shapes {t.shape}, {v.shape}, {c.shape}"
        )
    if window_s <= 0 or max_speed_cv <= 0 or min_speed_m_s < 0:
        raise InputError(
            "window_s and max_speed_cv must be positive and min_speed_m_s not negative, "
            f"found {window_s}, {max_speed_cv}, {min_speed_m_s}"
        )
    empty = np.empty(0, dtype=np.float64)
    if t.size == 0:
        return SteadySamples(empty, empty, empty, empty)
    if not np.isfinite(t).all() or (t.size > 1 and not (np.diff(t) > 0).all()):
        raise InputError("timestamp_s must be finite and strictly increasing")

    window_index = np.floor((t - t[0]) / window_s).astype(np.int64)
    boundaries = np.flatnonzero(np.diff(window_index)) + 1
    starts, speeds, cadences, steps = [], [], [], []
    for idx in np.split(np.arange(t.size), boundaries):
        tw, vw, cw = t[idx], v[idx], c[idx]
        if tw.size < 2 or (tw[-1] - tw[0]) < _MIN_WINDOW_COVERAGE * window_s - 1.0:
            continue
        if float(np.max(np.diff(tw))) > _MAX_GAP_IN_WINDOW_S:
            continue
        if not np.isfinite(vw).all():
            continue
        mean_v = float(np.mean(vw))
        if mean_v <= 0 or float(np.std(vw)) / mean_v > max_speed_cv:
            continue
        if float(np.median(vw)) < min_speed_m_s:
            continue
        has_cadence = np.isfinite(cw) & (cw > 0)
        if has_cadence.mean() < _MIN_CADENCE_SHARE:
            continue
        starts.append(float(tw[0]))
        speeds.append(float(np.median(vw)))
        cadences.append(float(np.median(cw[has_cadence])))
        steps.append(float(np.median(vw[has_cadence] / (cw[has_cadence] / 60.0))))
    return SteadySamples(
        start_s=np.asarray(starts, dtype=np.float64),
        speed_m_s=np.asarray(speeds, dtype=np.float64),
        cadence_spm=np.asarray(cadences, dtype=np.float64),
        step_length_m=np.asarray(steps, dtype=np.float64),
    )


def fit_cadence_speed(speed_m_s: npt.ArrayLike, cadence_spm: npt.ArrayLike) -> CadenceSpeedFit:
    """Fit cadence = a + b · speed (and step length vs speed) robustly.

    Parameters
    ----------
    speed_m_s
        Speeds, m/s, e.g. :attr:`SteadySamples.speed_m_s` pooled over many runs.
    cadence_spm
        Cadences at those speeds, steps/min. Pairs with a non-finite or non-positive
        value are dropped.

    Returns
    -------
    CadenceSpeedFit
        Step length per point is speed / (cadence/60), m, fitted the same way.

    Raises
    ------
    InputError
        Arrays of different lengths; fewer than 5 usable points; speeds spanning less
        than 0.3 m/s (a line through one speed says nothing about the relation).

    Notes
    -----
    Huber loss (k = 1.345) by iteratively reweighted least squares, then a Tukey
    bisquare refinement (c = 4.685) from the Huber line; the scale is re-estimated as
    MAD × 1.4826 each iteration (Huber 1964, *Ann Math Stat* 35:73; Holland & Welsch
    1977). Unlike ordinary least squares, strides on a hill or a mis-read cadence
    barely move the line; with bisquare, gross outliers do not move it at all.
    """
    v = np.asarray(speed_m_s, dtype=np.float64).ravel()
    c = np.asarray(cadence_spm, dtype=np.float64).ravel()
    if v.shape != c.shape:
        raise InputError(
            f"speed_m_s and cadence_spm must have one length, found {v.size} and {c.size}"
        )
    keep = np.isfinite(v) & np.isfinite(c) & (v > 0) & (c > 0)
    v, c = v[keep], c[keep]
    if v.size < MIN_FIT_POINTS:
        raise InputError(
            f"a cadence–speed curve needs at least {MIN_FIT_POINTS} steady points with "
            f"speed and cadence, found {v.size}; add more runs"
        )
    span = float(v.max() - v.min())
    if span < MIN_SPEED_RANGE_M_S:
        raise InputError(
            f"the steady points span only {span:.2f} m/s of speed (from {v.min():.2f} to "
            f"{v.max():.2f} m/s); at least {MIN_SPEED_RANGE_M_S} m/s is needed to see how "
            "cadence changes with speed. Add runs at other paces (easy and faster)."
        )
    a, b = robust_line(v, c)
    step = v / (c / 60.0)
    sa, sb = robust_line(v, step)
    return CadenceSpeedFit(
        intercept_spm=a,
        slope_spm_per_m_s=b,
        residual_sd_spm=robust_sd(c - (a + b * v)),
        step_length_intercept_m=sa,
        step_length_slope_m_per_m_s=sb,
        step_length_residual_sd_m=robust_sd(step - (sa + sb * v)),
        n_points=int(v.size),
        speed_min_m_s=float(v.min()),
        speed_max_m_s=float(v.max()),
    )


def position_on_curve(fit: CadenceSpeedFit, speed_m_s: float, cadence_spm: float) -> CurvePosition:
    """Compare one (speed, cadence) point, e.g. a run's median, with the runner's curve.

    Parameters
    ----------
    fit
        The runner's curve from :func:`fit_cadence_speed`.
    speed_m_s
        Speed of the run or segment, m/s (positive).
    cadence_spm
        Its cadence, steps/min (positive).

    Returns
    -------
    CurvePosition
        ``delta_spm`` = cadence − curve; ``delta_pct`` relative to the curve value;
        ``z`` in robust residual SDs. At a fixed speed, a higher cadence means
        shorter, quicker steps and a lower one longer steps.

    Raises
    ------
    InputError
        Speed or cadence not positive and finite.
    """
    v, c = float(speed_m_s), float(cadence_spm)
    if not (np.isfinite(v) and v > 0 and np.isfinite(c) and c > 0):
        raise InputError(
            f"speed_m_s and cadence_spm must be positive numbers, found {speed_m_s}, {cadence_spm}"
        )
    expected = float(fit.predict_spm(v))
    delta = c - expected
    sd = max(fit.residual_sd_spm, MIN_RESIDUAL_SD_SPM)
    z = delta / sd
    if z > 1.0:
        label = "quicker steps than usual"
    elif z < -1.0:
        label = "longer steps than usual"
    else:
        label = "on your usual curve"
    return CurvePosition(
        speed_m_s=v,
        cadence_spm=c,
        expected_spm=expected,
        delta_spm=delta,
        delta_pct=100.0 * delta / expected if expected > 0 else float("nan"),
        z=z,
        label=label,
        extrapolated=not (fit.speed_min_m_s <= v <= fit.speed_max_m_s),
    )
