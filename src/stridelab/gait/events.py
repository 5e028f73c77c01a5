"""Gait events: initial contact (IC) and toe-off (TO) of each foot from 2D keypoints.

In: a cleaned :class:`~stridelab.video.keypoints.PoseTrack` (side view) and its facing
direction. Out: a :class:`GroundLine` and a list of :class:`Contact` (foot, IC and TO
in real seconds with sub-frame resolution, the frames, a confidence).

Method (treadmill and overground alike; the foot kinematics are taken relative to a
ground line fitted to the image, so a tilted camera does not matter):

1. **Ground line**: a Theil–Sen line through the lower envelope of the heel and toe
   points (binned along the image).
2. **Foot heights**: heel and toe heights above the line, per foot, each against its
   own stance level (a low percentile of its height), so the few centimetres between a
   landmark and the sole cancel out.
3. **On the ground**: the heel within a band of its level (2 % of leg length, or
   2.5 × the keypoint jitter for small, noisy figures) or the toe within a wider band
   (BlazePose's toe sits behind the shoe tip and creeps up as the foot pivots).
   In a side view a foot must also **move with the ground** when its stance starts:
   with the belt on a treadmill, not at all overground. The ground speed is the median
   foot speed in mid-stance; a foot hovering low while the swing leg retracts is not
   yet on the ground. A stance must carry the foot backwards relative to the pelvis.
4. **Initial contact**: the sub-frame time the heel or the toe first comes within a
   quarter band of its level (the approach flattens before contact, so a line through
   the approach would come early).
5. **Toe-off**: a two-line fit of the toe height (slow late-stance creep, fast lift),
   and the moment the toe leaves the stance line by a quarter band.

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
from stridelab.video.keypoints import leg_length_px as keypoints_leg_length_px

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
    return keypoints_leg_length_px(track.xy_px)


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


def _trim_run_starts(low: NDArray[np.bool_], ok: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Start each True run of ``low`` at its first frame where ``ok`` holds too.

    Only the start is trimmed: before contact a foot can hover low while still moving
    relative to the ground; late in stance the pivoting foot's landmarks move in odd
    ways, but it is still on the ground.
    """
    out = low.copy()
    for a, b in _runs(low):
        good = np.flatnonzero(ok[a:b])
        if good.size == 0:
            out[a:b] = False
        else:
            out[a : a + int(good[0])] = False
    return out


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
        noise_factor: float = 2.5,
    ) -> None:
        self.noise_factor = noise_factor
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
        noise_px: float = 0.0,
    ) -> ContactDetector:
        """Find contacts; results in ``contacts_`` (sorted by IC) and ``heights_``.

        ``fore_aft=False`` (rear/front views, where the image shows no fore–aft motion)
        uses the foot heights alone. ``noise_px`` (the keypoints' jitter) widens the
        ground band to ``noise_factor`` × noise where that is larger than the leg-based
        band, so that small, noisy figures still settle on the ground.
        """
        thr = max(self.threshold_leg_fraction * leg_px, self.noise_factor * noise_px)
        toe_band = max(
            self.toe_band_factor * self.threshold_leg_fraction * leg_px,
            self.noise_factor * noise_px,
        )
        contacts: list[Contact] = []
        heights: dict[str, NDArray[np.float64]] = {}
        levels: dict[str, float] = {}
        lows: dict[str, NDArray[np.bool_]] = {}
        his: dict[str, dict[str, tuple[NDArray[np.float64], float]]] = {}
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
                band = toe_band if part == "toe" else thr
                with np.errstate(invalid="ignore"):
                    low |= (h - level) < band
            lows[foot], his[foot] = low, hs
        ground_v = self._ground_speed(uv, time_s, lows) if fore_aft else None
        self.ground_speed_px_s_ = ground_v
        for foot in ("left", "right"):
            low, hs = lows[foot], his[foot]
            if ground_v is not None:
                low = _trim_run_starts(
                    low, self._moves_with_ground(uv, time_s, foot, ground_v, leg_px)
                )
            fq = quality[:, [_IDX[f"{foot}_{p}"] for p in ("heel", "toe", "ankle")]]
            windows = [
                (a, b) for a, b in self._merge(_runs(low), time_s) if a > 0 and b < time_s.shape[0]
            ]
            if fore_aft:
                windows = self._moving_back(uv, foot, windows, leg_px)
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
                        foot=foot,  # type: ignore[arg-type]
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

    @staticmethod
    def _foot_speed(
        uv: NDArray[np.float64], t: NDArray[np.float64], foot: str
    ) -> NDArray[np.float64]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            u = np.nanmean(
                np.stack([uv[:, _IDX[f"{foot}_{p}"], 0] for p in ("heel", "toe", "ankle")]),
                axis=0,
            )
        if np.isfinite(u).sum() < 3:
            return np.full(t.shape, np.nan)
        return np.gradient(u, t)

    def _ground_speed(
        self,
        uv: NDArray[np.float64],
        t: NDArray[np.float64],
        lows: dict[str, NDArray[np.bool_]],
    ) -> float | None:
        """Speed of the ground along u in px/s: the belt on a treadmill (negative), zero
        overground — the median foot speed in the middle half of the low runs."""
        samples = []
        for foot, low in lows.items():
            v = self._foot_speed(uv, t, foot)
            for a, b in _runs(low):
                if b - a >= 4:
                    q = (b - a) // 4
                    seg = v[a + q : b - q]
                    samples.extend(seg[np.isfinite(seg)].tolist())
        return float(np.median(samples)) if len(samples) >= 5 else None

    def _moves_with_ground(
        self,
        uv: NDArray[np.float64],
        t: NDArray[np.float64],
        foot: str,
        ground_v: float,
        leg_px: float,
    ) -> NDArray[np.bool_]:
        """True where the foot moves with the ground (a foot on the belt moves with the
        belt; a foot hovering low before contact is still swinging or retracting)."""
        v = self._foot_speed(uv, t, foot)
        tol = max(0.4 * abs(ground_v), 1.0 * leg_px)
        with np.errstate(invalid="ignore"):
            return ~(np.abs(v - ground_v) > tol)

    @staticmethod
    def _moving_back(
        uv: NDArray[np.float64], foot: str, windows: list[tuple[int, int]], leg_px: float
    ) -> list[tuple[int, int]]:
        """Keep the runs in which the foot travels backwards relative to the pelvis.

        In stance the foot moves back under the body (on a treadmill with the belt,
        overground the body passes over it), by about half a leg length or more; a foot
        that only hovers low in swing does not.
        """
        pelvis = (uv[:, _IDX["left_hip"], 0] + uv[:, _IDX["right_hip"], 0]) / 2
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            foot_u = np.nanmean(
                np.stack([uv[:, _IDX[f"{foot}_{p}"], 0] for p in ("heel", "toe", "ankle")]),
                axis=0,
            )
        rel = foot_u - pelvis
        out = []
        for a, b in windows:
            seg = rel[a:b]
            seg = seg[np.isfinite(seg)]
            if seg.size >= 2 and seg[0] - seg[-1] > 0.2 * leg_px:
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
