"""Gait events: initial contact (IC) and toe-off (TO) of each foot from 2D keypoints.

In: a cleaned :class:`~stridelab.video.keypoints.PoseTrack` (side view) and its facing
direction. Out: a :class:`GroundLine` and a list of :class:`Contact` (foot, IC and TO
in real seconds with sub-frame resolution, the frames, a confidence).

Method (treadmill and overground alike; the foot kinematics are taken relative to a
ground line fitted to the image, so a tilted camera does not matter):

1. **Ground line**: a robust line through the lowest foot points (heel and toe of
   both feet), refitted on the points that lie on it.
2. **Foot heights**: heel and toe heights above the line, in pixels, per foot.
3. **Stance runs**: a foot is on the ground while its heel or toe is within
   ``threshold_leg_fraction`` × leg length of that point's own stance level (a low
   percentile of its height, so the few centimetres between the heel landmark and the
   sole cancel out).
4. **Sub-frame timing**: at each run edge the approach (or lift-off) of the point that
   touches first (or leaves last) is fitted with a line over the frames between one and
   three thresholds above its stance level, and IC/TO is where that line reaches the
   stance level. This two-line (approach/plateau) intersection is not biased by the
   zero-lag filter, which smooths the corner symmetrically (kinematic methods after
   Fellin 2010 and Handsaker 2016, which use foot height and velocity).

Confidence per event combines the keypoint quality around the event with how well the
approach line fits.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from stridelab.gait.constants import Foot
from stridelab.video.keypoints import KEYPOINTS, PoseTrack

__all__ = [
    "Contact",
    "ContactDetector",
    "GroundLine",
    "fit_ground_line",
    "ground_frame",
    "leg_length_px",
]

_IDX = {k: i for i, k in enumerate(KEYPOINTS)}


@dataclass(frozen=True)
class GroundLine:
    """The ground in the image: ``y = slope · x + intercept_px`` (pixels, y down)."""

    slope: float
    intercept_px: float
    residual_px: float
    n_points: int

    @property
    def angle_deg(self) -> float:
        """Tilt of the ground in the image (positive: falls to the right)."""
        return float(np.degrees(np.arctan(self.slope)))


@dataclass(frozen=True)
class Contact:
    """One foot on the ground, IC to TO (times in real seconds)."""

    foot: Foot
    ic_time_s: float
    to_time_s: float
    ic_frame: int  # first frame in contact (track row)
    to_frame: int  # last frame in contact (track row)
    confidence: float
    ic_point: str  # "heel" or "toe": which part touched first
    foot_visible_fraction: float

    @property
    def contact_time_ms(self) -> float:
        return 1000.0 * (self.to_time_s - self.ic_time_s)


def leg_length_px(track: PoseTrack, /) -> float:
    """Median hip–knee–ankle path length in pixels over frames and both legs."""
    out = []
    for side in ("left", "right"):
        h, k, a = (track.point(f"{side}_{p}") for p in ("hip", "knee", "ankle"))
        out.append(np.linalg.norm(h - k, axis=1) + np.linalg.norm(k - a, axis=1))
    v = np.concatenate(out)
    v = v[np.isfinite(v)]
    return float(np.median(v)) if v.size else float("nan")


def fit_ground_line(track: PoseTrack, /, *, leg_px: float | None = None) -> GroundLine:
    """Fit the ground line through the lowest heel and toe points.

    The foot points are binned along x (bins of a fifth of a leg length); the lowest
    points of each bin (largest y) form the lower envelope, and a Theil–Sen line through
    the envelope is the ground (robust to the heel rising in late stance and to stray
    keypoints). With the feet spread over less than a leg length the line is level.
    """
    from scipy.stats import theilslopes

    pts = np.concatenate(
        [track.point(f"{s}_{p}") for s in ("left", "right") for p in ("heel", "toe")]
    )
    pts = pts[np.isfinite(pts).all(axis=1)]
    leg = leg_length_px(track) if leg_px is None else leg_px
    if pts.shape[0] < 4 or not np.isfinite(leg):
        y = float(np.nanmax(pts[:, 1])) if pts.size else float(track.height_px)
        return GroundLine(0.0, y, float("nan"), int(pts.shape[0]))
    width = max(leg / 5, 1.0)
    bins = np.floor(pts[:, 0] / width).astype(int)
    env_x, env_y = [], []
    for b in np.unique(bins):
        sel = pts[bins == b]
        if sel.shape[0] >= 5:
            env_x.append(float(np.median(sel[:, 0])))
            env_y.append(float(np.percentile(sel[:, 1], 95)))
    slope, icpt = 0.0, float(np.percentile(pts[:, 1], 95))
    if len(env_x) >= 3 and np.ptp(env_x) > leg:
        res = theilslopes(env_y, env_x)
        slope, icpt = float(res[0]), float(res[1])
        if abs(slope) > 0.35:  # > 19°: not a floor a runner is filmed on
            slope, icpt = 0.0, float(np.percentile(pts[:, 1], 95))
    h = (slope * pts[:, 0] + icpt) - pts[:, 1]
    near = np.abs(h) < 0.06 * leg
    resid = float(np.median(np.abs(h[near]))) if near.any() else float("nan")
    return GroundLine(float(slope), float(icpt), resid, int(pts.shape[0]))


def ground_frame(
    xy_px: NDArray[np.float64], ground: GroundLine, facing: str, /
) -> NDArray[np.float64]:
    """Image pixels → (u, v): u along the ground in the running direction, v up from it.

    Distances are kept (a rotation); v = 0 on the ground line.
    """
    theta = np.arctan(ground.slope)
    c, s = np.cos(theta), np.sin(theta)
    x = xy_px[..., 0]
    y = xy_px[..., 1] - ground.intercept_px
    # rotate so the ground line becomes horizontal, then flip y (up) and x (facing)
    along = c * x + s * y
    across = -s * x + c * y
    u = along if facing == "right" else -along
    return np.stack([u, -across], axis=-1)


def _stride_period_s(rel: NDArray[np.float64], fs: float) -> float:
    """Stride period from the autocorrelation of a foot's fore–aft signal (0.5–2 s)."""
    x = rel - np.mean(rel)
    n = x.shape[0]
    ac = np.correlate(x, x, mode="full")[n - 1 :]
    lo, hi = int(0.45 * fs), min(n - 1, int(2.0 * fs))
    if hi <= lo + 2:
        return 0.7
    lag = lo + int(np.argmax(ac[lo:hi]))
    return lag / fs


def _runs(mask: NDArray[np.bool_]) -> list[tuple[int, int]]:
    """(start, stop) index pairs of True runs (stop exclusive)."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(int), [0]])))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def _contact_start(
    t: NDArray[np.float64], h: NDArray[np.float64], level: float, eps: float, edge: int
) -> tuple[float, float] | None:
    """IC of one point: the sub-frame time it first comes within ``eps`` of its stance
    level, searched from just before ``edge`` (the first in-contact frame) onwards.

    The approach flattens before contact, so the crossing close to the level (rather
    than a line through the approach) is the least biased event. None if the point
    does not land within 0.12 s (e.g. the heel of a forefoot strike).
    Returns (time, quality in [0, 1]).
    """
    n = t.shape[0]
    target = level + eps
    dt = float(np.median(np.diff(t))) if n > 1 else 0.0
    horizon = edge + (max(2, round(0.12 / dt)) if dt > 0 else 2)
    first = max(edge - 1, 0)
    for i0 in range(first, min(horizon, n - 1)):
        h0, h1 = h[i0], h[i0 + 1]
        if not (np.isfinite(h0) and np.isfinite(h1)):
            continue
        if i0 == first and h0 <= target:
            return float(t[i0]), 0.5  # already down a frame before: resolution-limited
        if h0 > target >= h1:
            frac = (h0 - target) / (h0 - h1)
            return float(t[i0] + frac * (t[i0 + 1] - t[i0])), 1.0
    return None


def _lift_off(
    t: NDArray[np.float64],
    h: NDArray[np.float64],
    level: float,
    leg_px: float,
    edge: int,
    eps: float,
) -> tuple[float, float] | None:
    """TO of one point: the corner between the slow late-stance line and the fast lift.

    Late in stance the toe landmark creeps up as the foot pivots (BlazePose's toe sits
    behind the shoe tip); at toe-off it shoots up. A two-line fit over the frames
    around ``edge`` (the last in-contact frame), with the breakpoint searched over the
    frames, puts TO where the two lines cross, whatever the creep. Returns
    (time, quality in [0, 1]) or None.
    """
    n = t.shape[0]
    dt = float(np.median(np.diff(t))) if n > 1 else 0.0
    if dt <= 0:
        return None
    lo = max(0, edge - max(4, round(0.15 / dt)))
    hi = edge + 1
    limit = level + 0.15 * leg_px
    while hi < n - 1 and hi - edge < max(4, round(0.1 / dt)) and np.isfinite(h[hi]):
        if h[hi] > limit:
            break
        hi += 1
    idx = np.arange(lo, min(hi + 1, n))
    idx = idx[np.isfinite(h[idx])]
    if idx.size < 4:
        return None
    tt, hh = t[idx], h[idx]
    best: tuple[float, int, NDArray[np.float64], NDArray[np.float64]] | None = None
    for k in range(3, idx.size - 1):
        p1 = np.polyfit(tt[: k + 1], hh[: k + 1], 1)
        p2 = np.polyfit(tt[k:], hh[k:], 1)
        sse = float(np.sum((np.polyval(p1, tt[: k + 1]) - hh[: k + 1]) ** 2)) + float(
            np.sum((np.polyval(p2, tt[k:]) - hh[k:]) ** 2)
        )
        if best is None or sse < best[0]:
            best = (sse, k, p1, p2)
    if best is None:
        return None
    _, k, p1, p2 = best
    if p2[0] <= max(p1[0], 0.0):
        return None
    t_cross = (p1[1] - p2[1]) / (p2[0] - p1[0])
    t_cross = float(np.clip(t_cross, tt[max(k - 1, 0)], tt[min(k + 1, tt.size - 1)]))
    quality = float(np.clip(1.0 - max(p1[0], 0.0) / p2[0], 0.0, 1.0))
    # The lift starts smoothly (the toe peels off), so the corner of the two lines is a
    # little late: take the moment the point leaves the stance line by ``eps`` instead.
    resid = hh - np.polyval(p1, tt)
    for i in range(max(k - 2, 0), tt.size - 1):
        if resid[i] <= eps < resid[i + 1]:
            frac = (eps - resid[i]) / (resid[i + 1] - resid[i])
            return float(tt[i] + frac * (tt[i + 1] - tt[i])), quality
    return t_cross, quality


class ContactDetector:
    """Detect foot contacts in a side-view track.

    Parameters
    ----------
    threshold_leg_fraction : height above a point's stance level, as a fraction of leg
        length, below which the point counts as on the ground.
    stance_percentile : percentile of a point's height taken as its stance level.
    min_contact_s, min_swing_s : shorter runs are noise (merged or dropped).
    min_visible : a contact whose foot keypoints have mean quality below this gets a low
        confidence (kept, flagged).
    """

    def __init__(
        self,
        *,
        threshold_leg_fraction: float = 0.02,
        stance_percentile: float = 8.0,
        min_contact_s: float = 0.08,
        min_swing_s: float = 0.12,
        min_visible: float = 0.5,
        toe_band_factor: float = 3.5,
    ) -> None:
        self.toe_band_factor = toe_band_factor
        self.threshold_leg_fraction = threshold_leg_fraction
        self.stance_percentile = stance_percentile
        self.min_contact_s = min_contact_s
        self.min_swing_s = min_swing_s
        self.min_visible = min_visible

    def detect(
        self,
        uv: NDArray[np.float64],
        time_s: NDArray[np.float64],
        quality: NDArray[np.float64],
        *,
        leg_px: float,
        fore_aft: bool = True,
    ) -> ContactDetector:
        """Find contacts; results in ``contacts_`` (sorted by IC) and ``heights_``.

        ``fore_aft=False`` (rear/front views, where the image shows no fore–aft motion)
        uses the foot heights alone.
        """
        thr = self.threshold_leg_fraction * leg_px
        contacts: list[Contact] = []
        heights: dict[str, NDArray[np.float64]] = {}
        levels: dict[str, float] = {}
        for foot in ("left", "right"):
            hs = {}
            for part in ("heel", "toe"):
                j = _IDX[f"{foot}_{part}"]
                h = uv[:, j, 1].copy()
                heights[f"{foot}_{part}"] = h
                finite = h[np.isfinite(h)]
                level = (
                    float(np.percentile(finite, self.stance_percentile)) if finite.size else np.nan
                )
                levels[f"{foot}_{part}"] = level
                hs[part] = (h, level)
            low = np.zeros(time_s.shape[0], dtype=bool)
            for part, (h, level) in hs.items():
                # the toe landmark sits behind the shoe tip and rises as the foot pivots
                # in late stance: it gets a wider band than the heel
                band = self.toe_band_factor * thr if part == "toe" else thr
                with np.errstate(invalid="ignore"):
                    low |= (h - level) < band
            fq = quality[:, [_IDX[f"{foot}_{p}"] for p in ("heel", "toe", "ankle")]]
            windows = (
                self._stance_windows(uv, time_s, foot, low, leg_px)
                if fore_aft
                else [
                    (a, b)
                    for a, b in self._merge(_runs(low), time_s)
                    if a > 0 and b < time_s.shape[0]
                ]
            )
            for a, b in windows:
                if time_s[b - 1] - time_s[a] < self.min_contact_s:
                    continue
                ic = self._edge(time_s, hs, a, thr, rising=False)
                to = self._edge(time_s, hs, b - 1, thr, rising=True, leg_px=leg_px)
                fit_ic = fit_to = 0.3
                part_ic = "heel"
                if ic is not None:
                    t_ic, fit_ic, part_ic = ic
                else:
                    t_ic = float(time_s[a])
                if to is not None:
                    t_to, fit_to, _ = to
                else:
                    t_to = float(time_s[b - 1])
                if t_to <= t_ic:
                    continue
                lo, hi = max(0, a - 3), min(time_s.shape[0], b + 3)
                visible = float(np.mean(fq[lo:hi] > 0.3))
                q = float(np.nanmean(fq[lo:hi]))
                conf = float(np.clip(q * (0.5 + 0.25 * (fit_ic + fit_to)), 0.0, 1.0))
                contacts.append(
                    Contact(
                        foot=foot,
                        ic_time_s=t_ic,
                        to_time_s=t_to,
                        ic_frame=int(np.searchsorted(time_s, t_ic - 1e-9)),
                        to_frame=int(np.searchsorted(time_s, t_to + 1e-9) - 1),
                        confidence=conf,
                        ic_point=part_ic,
                        foot_visible_fraction=visible,
                    )
                )
        contacts.sort(key=lambda c: c.ic_time_s)
        self.contacts_ = contacts
        self.heights_ = heights
        self.levels_ = levels
        self.threshold_px_ = thr
        return self

    def _stance_windows(
        self,
        uv: NDArray[np.float64],
        t: NDArray[np.float64],
        foot: str,
        low: NDArray[np.bool_],
        leg_px: float,
    ) -> list[tuple[int, int]]:
        """Stance windows (first, last + 1 frame) of one foot.

        The foot's position along the ground relative to the pelvis is largest near IC
        and smallest near TO (Zeni et al. 2008; in running the swing leg retracts just
        before contact). Those extrema split the clip into strides robustly, even when
        the foot's height is noisy; within each stride the stance is the run of frames
        where the foot is down (height test), or the extrema themselves if the height
        never settles.
        """
        from scipy.signal import find_peaks

        n = t.shape[0]
        parts = [uv[:, _IDX[f"{foot}_{p}"], 0] for p in ("heel", "toe", "ankle")]
        pelvis = (uv[:, _IDX["left_hip"], 0] + uv[:, _IDX["right_hip"], 0]) / 2
        with np.errstate(invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            rel = np.nanmean(np.stack(parts), axis=0) - pelvis
        ok = np.isfinite(rel)
        if ok.sum() < 10:
            return []
        rel = np.interp(t, t[ok], rel[ok])
        fs = 1.0 / float(np.median(np.diff(t)))
        period = _stride_period_s(rel, fs)
        dist = max(1, int(0.6 * period * fs))
        prom = 0.15 * leg_px
        maxima, _ = find_peaks(rel, distance=dist, prominence=prom)
        minima, _ = find_peaks(-rel, distance=dist, prominence=prom)
        out: list[tuple[int, int]] = []
        for m in maxima:
            after = minima[(minima > m) & (minima < m + int(0.8 * period * fs))]
            if after.size == 0:
                continue
            k = int(after[0])
            stride_frames = max(2, int(period * fs))
            lo = max(0, m - int(0.1 * stride_frames))
            hi = min(n, k + int(0.1 * stride_frames) + 1)
            down = np.flatnonzero(low[lo:hi]) + lo
            if down.size:
                a, b = int(down[0]), int(down[-1]) + 1
                # the run must overlap the retraction between the extrema
                if b <= m or a >= k:
                    a, b = int(m), int(k) + 1
            else:
                a, b = int(m), int(k) + 1
            if a == 0 or b >= n:
                continue  # cut by the clip edge: IC or TO unknown
            out.append((a, b))
        return out

    def _merge(self, runs: list[tuple[int, int]], t: NDArray[np.float64]) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        for a, b in runs:
            if out and t[a] - t[out[-1][1] - 1] < self.min_swing_s:
                out[-1] = (out[-1][0], b)
            else:
                out.append((a, b))
        return out

    def _edge(
        self,
        t: NDArray[np.float64],
        hs: dict[str, tuple[NDArray[np.float64], float]],
        edge: int,
        thr: float,
        *,
        rising: bool,
        leg_px: float = 0.0,
    ) -> tuple[float, float, str] | None:
        """IC (earliest landing of heel or toe) or TO (latest lift-off)."""
        best: tuple[float, float, str] | None = None
        for part, (h, level) in hs.items():
            if not np.isfinite(level):
                continue
            if rising:
                r = _lift_off(t, h, level, leg_px, edge, 0.25 * thr)
            else:
                r = _contact_start(t, h, level, 0.25 * thr, edge)
            if r is None:
                continue
            cand = (r[0], r[1], part)
            if best is None or (cand[0] > best[0] if rising else cand[0] < best[0]):
                best = cand
        return best
