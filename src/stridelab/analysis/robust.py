"""Robust straight-line fits in NumPy: Huber then Tukey bisquare M-estimation.

Used by :mod:`stridelab.analysis.cadence_speed`. Input: two 1-D float arrays x and y
(finite, checked by the caller); output: intercept and slope, and a robust SD.

References
----------
Huber PJ (1964) Robust estimation of a location parameter. *Ann Math Stat* 35:73–101.
Holland PW, Welsch RE (1977) Robust regression using iteratively reweighted
least-squares. *Commun Stat Theory Methods* 6:813–827.
Beaton AE, Tukey JW (1974) The fitting of power series, meaning polynomials,
illustrated on band-spectroscopic data. *Technometrics* 16:147–185.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

__all__ = ["BISQUARE_C", "HUBER_K", "MAD_TO_SD", "robust_line", "robust_sd"]

FloatArray = npt.NDArray[np.float64]

#: Huber tuning constant (95% efficiency under normal errors; Huber 1964).
HUBER_K = 1.345
#: Tukey bisquare tuning constant (95% efficiency under normal errors).
BISQUARE_C = 4.685
#: Converts a median absolute deviation into a normal-consistent SD.
MAD_TO_SD = 1.4826


def robust_sd(residuals: FloatArray) -> float:
    """Normal-consistent robust SD: MAD × 1.4826 (MAD about the median)."""
    return float(MAD_TO_SD * np.median(np.abs(residuals - np.median(residuals))))


def _irls_line(
    design: FloatArray,
    y: FloatArray,
    beta: FloatArray,
    weight_fn: Callable[[FloatArray], FloatArray],
    *,
    max_iter: int,
) -> FloatArray:
    """Iteratively reweighted least squares from ``beta``; weights from scaled residuals.

    The scale is re-estimated each iteration as MAD × 1.4826 of the residuals.
    """
    for _ in range(max_iter):
        resid = y - design @ beta
        scale = robust_sd(resid)
        if scale <= 1e-12 * max(1.0, float(np.max(np.abs(y)))):
            break  # (almost) all points on the line: nothing left to down-weight
        sw = np.sqrt(weight_fn(resid / scale))
        new_beta, _, rank, _ = np.linalg.lstsq(design * sw[:, None], y * sw, rcond=None)
        if rank < design.shape[1]:
            break  # the points left with weight do not pin down a line: keep the last one
        converged = np.allclose(new_beta, beta, rtol=1e-10, atol=1e-10)
        beta = new_beta
        if converged:
            break
    return beta


def _huber_weights(u: FloatArray) -> FloatArray:
    return np.minimum(1.0, HUBER_K / np.maximum(np.abs(u), 1e-300))


def _bisquare_weights(u: FloatArray) -> FloatArray:
    return np.where(np.abs(u) < BISQUARE_C, (1.0 - (u / BISQUARE_C) ** 2) ** 2, 0.0)


def robust_line(x: FloatArray, y: FloatArray, *, max_iter: int = 100) -> tuple[float, float]:
    """Robust fit of y = a + b x.

    Huber M-estimate by IRLS from the least-squares line (a convex loss for a given
    scale, so the start hardly matters), then Tukey bisquare IRLS started from the
    Huber line, which gives gross outliers zero weight instead of a bounded one
    (Huber 1964, *Ann Math Stat* 35:73; Holland & Welsch 1977, *Commun Stat* 6:813;
    Beaton & Tukey 1974, *Technometrics* 16:147).
    """
    design = np.column_stack([np.ones_like(x), x])
    beta, *_ = np.linalg.lstsq(design, y, rcond=None)
    beta = _irls_line(design, y, beta, _huber_weights, max_iter=max_iter)
    beta = _irls_line(design, y, beta, _bisquare_weights, max_iter=max_iter)
    return float(beta[0]), float(beta[1])
