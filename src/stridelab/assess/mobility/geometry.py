"""Pure geometry and signal helpers for the self-tests (image pixels, y down).

Angles are in degrees. Points are (..., 2) arrays of image pixels with x right and y
**down**; functions that need "up" say so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "Rep",
    "angle_from_horizontal_deg",
    "angle_from_vertical_deg",
    "detect_reps",
    "flexion_deg",
    "frontal_projection_angle_deg",
    "runs",
    "sag_angle_deg",
    "three_point_angle_deg",
]

FloatArray = NDArray[np.float64]


def angle_from_vertical_deg(
    top: FloatArray, bottom: FloatArray, /, *, forward: float = 1.0
) -> FloatArray:
    """Angle of the segment top→bottom from the downward vertical; + when ``bottom``
    lies in the ``forward`` image direction (+1 = right, −1 = left) of ``top``."""
    d = np.asarray(bottom, dtype=np.float64) - np.asarray(top, dtype=np.float64)
    return np.asarray(np.degrees(np.arctan2(forward * d[..., 0], d[..., 1])), dtype=np.float64)


def angle_from_horizontal_deg(a: FloatArray, b: FloatArray, /) -> FloatArray:
    """Angle of the line a→b from horizontal, + when ``b`` is *lower* in the image than
    ``a`` (whatever the left/right direction), in [−90, 90]."""
    d = np.asarray(b, dtype=np.float64) - np.asarray(a, dtype=np.float64)
    return np.asarray(np.degrees(np.arctan2(d[..., 1], np.abs(d[..., 0]))), dtype=np.float64)


def flexion_deg(proximal: FloatArray, joint: FloatArray, distal: FloatArray, /) -> FloatArray:
    """180° minus the angle at ``joint`` between the two segments (0 = straight)."""
    u = np.asarray(proximal, dtype=np.float64) - joint
    v = np.asarray(distal, dtype=np.float64) - joint
    cos = (u * v).sum(-1) / (np.linalg.norm(u, axis=-1) * np.linalg.norm(v, axis=-1))
    return np.asarray(180.0 - np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))), dtype=np.float64)


def three_point_angle_deg(p1: FloatArray, p2: FloatArray, p3: FloatArray, /) -> float:
    """Extension angle at ``p2``: 180° minus the angle p1–p2–p3 (0 = in line)."""
    return float(flexion_deg(np.asarray(p1), np.asarray(p2), np.asarray(p3)))


def frontal_projection_angle_deg(
    hip: FloatArray, knee: FloatArray, ankle: FloatArray, medial_x: FloatArray | float, /
) -> FloatArray:
    """Knee frontal-plane projection angle (Willson & Davis 2008): 180° minus the angle
    hip–knee–ankle in the image, + when the knee lies toward ``medial_x`` (+1 = image
    right, −1 = left: the direction of the other hip) of the hip–ankle line (valgus)."""
    hip, knee, ankle = (np.asarray(p, dtype=np.float64) for p in (hip, knee, ankle))
    ang = flexion_deg(hip, knee, ankle)
    # Knee offset from the hip–ankle line, along x at the knee's height.
    dy = ankle[..., 1] - hip[..., 1]
    u = np.where(np.abs(dy) > 1e-9, (knee[..., 1] - hip[..., 1]) / np.where(dy == 0, 1, dy), 0.5)
    line_x = hip[..., 0] + u * (ankle[..., 0] - hip[..., 0])
    sign = np.where((knee[..., 0] - line_x) * medial_x >= 0.0, 1.0, -1.0)
    return np.asarray(ang * sign, dtype=np.float64)


def sag_angle_deg(shoulder: FloatArray, hip: FloatArray, ankle: FloatArray, /) -> FloatArray:
    """Hip sag: 180° minus the shoulder–hip–ankle angle, + when the hip lies below
    (larger image y than) the shoulder–ankle line, − when piked above it."""
    s, h, a = (np.asarray(p, dtype=np.float64) for p in (shoulder, hip, ankle))
    ang = flexion_deg(s, h, a)
    d = a - s
    n = np.stack([-d[..., 1], d[..., 0]], axis=-1)
    n = np.where((n[..., 1] < 0)[..., None], -n, n)  # the normal pointing down the image
    sign = np.where(((h - s) * n).sum(-1) >= 0.0, 1.0, -1.0)
    return np.asarray(ang * sign, dtype=np.float64)


def runs(mask: NDArray[np.bool_], /) -> list[tuple[int, int]]:
    """(start, stop) index pairs of the True runs of ``mask`` (stop exclusive)."""
    m = np.concatenate([[False], np.asarray(mask, dtype=bool), [False]])
    edges = np.flatnonzero(np.diff(m.astype(np.int8)))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


@dataclass(frozen=True)
class Rep:
    """One repetition: indices of start, peak and end (exclusive) of the excursion."""

    start: int
    peak: int
    stop: int


def detect_reps(
    signal: FloatArray,
    time_s: FloatArray,
    /,
    *,
    min_prominence: float,
    min_separation_s: float = 0.5,
) -> list[Rep]:
    """Repetitions as peaks of ``signal`` standing out by at least ``min_prominence``
    from the lower of the two neighbouring troughs (so a slow drift of the baseline does
    not merge or hide reps), at least ``min_separation_s`` apart. ``start``/``stop``
    are the troughs before and after each peak. NaN gaps are interpolated."""
    from scipy.signal import find_peaks

    x = np.asarray(signal, dtype=np.float64)
    ok = np.isfinite(x)
    if ok.sum() < 3:
        return []
    x = np.interp(np.arange(x.shape[0]), np.flatnonzero(ok), x[ok])
    fs = 1.0 / float(np.median(np.diff(time_s))) if time_s.shape[0] > 1 else 1.0
    peaks, props = find_peaks(
        x, prominence=min_prominence, distance=max(1, round(min_separation_s * fs))
    )
    return [
        Rep(int(lb), int(p), int(rb) + 1)
        for p, lb, rb in zip(peaks, props["left_bases"], props["right_bases"], strict=True)
    ]
