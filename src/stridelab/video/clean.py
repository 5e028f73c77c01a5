"""Cleaning a raw pose track: one runner, one facing direction, legs that do not swap.

In: a raw :class:`PoseTrack` (as the pose model gave it). Out: a :class:`CleanTrack`
with the same keypoints after

1. **left/right swap correction**: BlazePose often swaps the near and far leg (and arm)
   in side views. For each limb group the labelling that is most continuous in time is
   found with a two-state Viterbi pass; the global labelling is the one that agrees with
   the model in most frames;
2. **outlier rejection**: a Hampel filter (running median ± 3 scaled MADs, and at least
   a few percent of the leg length) removes isolated jumps;
3. **gap filling**: gaps up to ``max_gap_s`` are interpolated (marked in the quality);
4. **zero-lag low-pass filtering**: a 2nd-order Butterworth run forwards and backwards
   (4th-order effective, no lag) at ``cutoff_hz`` (12 Hz by default, the value OpenCap
   uses for gait; Pose2Sim advises 6–15 Hz for running), lowered to 0.35 × the frame
   rate for slow clips;
5. the **facing direction**, decided once per clip from where the toes point;
6. a per-keypoint, per-frame **quality** in [0, 1].
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from scipy.signal import butter, sosfiltfilt

from stridelab.video.keypoints import KEYPOINTS, PoseTrack, leg_length_px

__all__ = [
    "CleanTrack",
    "TrackCleaner",
    "butterworth_lowpass",
    "decide_facing",
    "fill_gaps",
    "fix_left_right_swaps",
    "hampel_mask",
]

_IDX = {k: i for i, k in enumerate(KEYPOINTS)}
_FEET = frozenset(KEYPOINTS.index(f"{s}_{p}") for s in ("left", "right") for p in ("heel", "toe"))
LEG_GROUP = ("knee", "ankle", "heel", "toe")
ARM_GROUP = ("elbow", "wrist")


@dataclass(frozen=True)
class CleanTrack:
    """A cleaned pose track and what was done to it."""

    track: PoseTrack
    raw: PoseTrack
    quality: NDArray[np.float64]  # (n, K) in [0, 1]
    facing: Literal["right", "left"]
    swaps_corrected: int
    outliers_removed: int
    filled_points: int
    cutoff_hz: float | None
    notes: tuple[str, ...]


def _pairs(group: tuple[str, ...]) -> tuple[list[int], list[int]]:
    return [_IDX["left_" + g] for g in group], [_IDX["right_" + g] for g in group]


def fix_left_right_swaps(
    xy_px: NDArray[np.float64], group: tuple[str, ...], /
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Undo frame-to-frame left/right label swaps of one limb group.

    Two states per frame (labels as given, or swapped); the transition cost is the
    distance each limb moves between consecutive frames; Viterbi finds the labelling
    with the smallest total movement. Of the two globally equivalent answers, the one
    that keeps the model's labels in most frames is returned.

    Returns
    -------
    xy : corrected copy.
    swapped : (n,) True where the labels were exchanged.
    """
    xy = np.array(xy_px, dtype=np.float64, copy=True)
    n = xy.shape[0]
    li, ri = _pairs(group)
    if n < 2:
        return xy, np.zeros(n, dtype=bool)
    left = xy[:, li, :]
    right = xy[:, ri, :]
    cand = np.stack([np.stack([left, right], 1), np.stack([right, left], 1)], 1)
    # cand[t, state, limb(0=L,1=R), point, xy]
    cost = np.zeros((n, 2))
    back = np.zeros((n, 2), dtype=np.int8)
    last = cand[0].copy()  # last known position per state (carry over NaN frames)
    last_per_state = [last[0], last[1]]
    for t in range(1, n):
        new_cost = np.empty(2)
        new_last = []
        for s in range(2):
            best, arg = np.inf, 0
            for p in range(2):
                d = cand[t, s] - last_per_state[p]
                dist = np.sqrt((d**2).sum(-1))
                step = float(np.nanmean(dist)) if np.isfinite(dist).any() else 0.0
                c = cost[t - 1, p] + step
                if c < best:
                    best, arg = c, p
            new_cost[s] = best
            back[t, s] = arg
            merged = np.where(np.isfinite(cand[t, s]), cand[t, s], last_per_state[arg])
            new_last.append(merged)
        cost[t] = new_cost
        last_per_state = new_last
    states = np.zeros(n, dtype=np.int8)
    states[-1] = int(np.argmin(cost[-1]))
    for t in range(n - 1, 0, -1):
        states[t - 1] = back[t, states[t]]
    if states.mean() > 0.5:
        states = 1 - states  # the equivalent labelling closer to the model's own
    swapped = states.astype(bool)
    xy[np.ix_(swapped, np.array(li))] = right[swapped]
    xy[np.ix_(swapped, np.array(ri))] = left[swapped]
    return xy, swapped


def _fix_swaps_by_segment(
    xy: NDArray[np.float64], group: tuple[str, ...], time_s: NDArray[np.float64], max_gap_s: float
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """:func:`fix_left_right_swaps` on each stretch between gaps longer than
    ``max_gap_s`` (across a long gap, continuity says nothing about the labels)."""
    li, ri = _pairs(group)
    seen = np.isfinite(xy[:, li + ri, :]).any(axis=(1, 2))
    out = xy.copy()
    swapped = np.zeros(xy.shape[0], dtype=bool)
    idx = np.flatnonzero(seen)
    if idx.size == 0:
        return out, swapped
    breaks = np.flatnonzero(np.diff(time_s[idx]) > max_gap_s)
    starts = np.concatenate([[0], breaks + 1])
    stops = np.concatenate([breaks + 1, [idx.size]])
    for a, b in zip(starts, stops, strict=True):
        lo, hi = int(idx[a]), int(idx[b - 1]) + 1
        seg, sw = fix_left_right_swaps(xy[lo:hi], group)
        out[lo:hi] = seg
        swapped[lo:hi] = sw
    return out, swapped


def hampel_mask(
    values: NDArray[np.float64],
    /,
    *,
    window: int,
    n_sigma: float = 3.0,
    min_dev: float = 0.0,
    max_dev: float = np.inf,
) -> NDArray[np.bool_]:
    """True where a sample deviates from its running median by more than
    ``clip(n_sigma × 1.4826 × MAD, min_dev, max_dev)`` (NaN-aware; NaN never flagged).

    ``max_dev`` caps the limit so that dense bursts of wrong detections, which inflate
    the MAD, are still caught (the running median itself stays robust up to half the
    window)."""
    v = np.asarray(values, dtype=np.float64)
    n = v.shape[0]
    half = max(1, window // 2)
    out = np.zeros(n, dtype=bool)
    if n < 3:
        return out
    padded = np.pad(v, half, mode="edge")
    from numpy.lib.stride_tricks import sliding_window_view

    win = sliding_window_view(padded, 2 * half + 1)[:n]
    finite = np.isfinite(win).sum(axis=1) >= 3
    med = np.full(n, np.nan)
    mad = np.full(n, np.nan)
    if finite.any():
        med[finite] = np.nanmedian(win[finite], axis=1)
        mad[finite] = np.nanmedian(np.abs(win[finite] - med[finite, None]), axis=1)
    limit = np.clip(n_sigma * 1.4826 * mad, min_dev, max_dev)
    with np.errstate(invalid="ignore"):
        out = np.abs(v - med) > limit
    return out & np.isfinite(v)


def fill_gaps(
    values: NDArray[np.float64], time_s: NDArray[np.float64], /, *, max_gap_s: float
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Linear interpolation over interior NaN gaps no longer than ``max_gap_s``."""
    v = np.array(values, dtype=np.float64, copy=True)
    ok = np.isfinite(v)
    filled = np.zeros(v.shape[0], dtype=bool)
    if ok.sum() < 2:
        return v, filled
    idx = np.flatnonzero(ok)
    for a, b in itertools.pairwise(idx):
        if b - a > 1 and time_s[b] - time_s[a] <= max_gap_s + 1e-9:
            seg = slice(a + 1, b)
            v[seg] = np.interp(time_s[seg], [time_s[a], time_s[b]], [v[a], v[b]])
            filled[seg] = True
    return v, filled


def butterworth_lowpass(
    values: NDArray[np.float64], /, *, sampling_rate_hz: float, cutoff_hz: float, order: int = 2
) -> NDArray[np.float64]:
    """Zero-lag Butterworth low-pass (forward–backward) over each finite run.

    Runs shorter than the filter's padding are left as they are.
    """
    v = np.array(values, dtype=np.float64, copy=True)
    if cutoff_hz >= 0.5 * sampling_rate_hz:
        return v
    sos = butter(order, cutoff_hz, btype="low", fs=sampling_rate_hz, output="sos")
    ok = np.isfinite(v)
    edges = np.flatnonzero(np.diff(np.concatenate([[0], ok.astype(int), [0]])))
    for start, stop in zip(edges[::2], edges[1::2], strict=True):
        if stop - start > 3 * (2 * sos.shape[0] + 1):
            v[start:stop] = sosfiltfilt(sos, v[start:stop])
    return v


def decide_facing(track: PoseTrack, /) -> tuple[Literal["right", "left"], float]:
    """Facing direction for the whole clip, and the share of frames that agree.

    From the sign of (toe − heel) along x over both feet (the feet point forward) in the
    frames where that foot is low (in swing the toe−heel direction flips), with the
    nose ahead of the shoulders as a tie-breaker.
    """
    votes = []
    for side in ("left", "right"):
        toe, heel = track.point(f"{side}_toe"), track.point(f"{side}_heel")
        d = toe[:, 0] - heel[:, 0]
        y = np.fmax(toe[:, 1], heel[:, 1])  # image y grows downwards: large = low
        ok = np.isfinite(d) & np.isfinite(y)
        if ok.sum() >= 10:
            ok &= y >= np.quantile(y[ok], 0.6)
        votes.append(d[ok])
    d = np.concatenate(votes)
    if d.size == 0 or np.all(d == 0):
        nose = track.point("nose")[:, 0]
        sh = (track.point("left_shoulder")[:, 0] + track.point("right_shoulder")[:, 0]) / 2
        d = (nose - sh)[np.isfinite(nose - sh)]
    if d.size == 0:
        return "right", 0.0
    right = float(np.mean(d > 0))
    return ("right", right) if right >= 0.5 else ("left", 1 - right)


class TrackCleaner:
    """Clean a raw pose track (see the module docstring for the steps).

    Parameters
    ----------
    cutoff_hz : low-pass cutoff; None chooses 12 Hz (or 0.35 × frame rate if lower).
    max_gap_s : longest gap interpolated.
    min_confidence : points below this model confidence are treated as missing.
    fix_swaps : run the left/right swap correction.
    foot_cutoff_factor : heel and toe are filtered at this multiple of the cutoff (21 Hz
        by default): the foot stops abruptly at contact, and a lower cutoff rounds that
        corner and moves the detected contact earlier.
    """

    def __init__(
        self,
        *,
        cutoff_hz: float | None = None,
        max_gap_s: float = 0.1,
        min_confidence: float = 0.05,
        fix_swaps: bool = True,
        foot_cutoff_factor: float = 1.75,
    ) -> None:
        self.foot_cutoff_factor = foot_cutoff_factor
        self.cutoff_hz = cutoff_hz
        self.max_gap_s = max_gap_s
        self.min_confidence = min_confidence
        self.fix_swaps = fix_swaps

    def clean(self, track: PoseTrack, /) -> CleanTrack:
        xy = track.xy_px.copy()
        conf = track.confidence.copy()
        xy[conf < self.min_confidence] = np.nan
        n, k = conf.shape
        notes: list[str] = []
        fs = track.sampling_rate_hz if n > 1 else 30.0
        leg_px = leg_length_px(xy)
        if not np.isfinite(leg_px) or leg_px < 1.0:
            leg_px = 1.0  # no complete leg: body-scaled limits collapse to a pixel
        window = max(5, round(0.1 * fs) | 1)
        # at high frame rates a 0.1 s running median follows even the swinging foot
        # closely, so a fixed body-scaled cap is safe; at low rates it is not
        max_dev = 0.12 * leg_px if fs >= 100 else (0.25 * leg_px if fs >= 50 else np.inf)
        outliers = 0
        filled_mask = np.zeros((n, k), dtype=bool)
        for j in range(k):
            for c in range(2):
                m = hampel_mask(xy[:, j, c], window=window, min_dev=0.08 * leg_px, max_dev=max_dev)
                outliers += int(m.sum())
                xy[m, j, :] = np.nan
        outliers += _drop_jumps(xy, fs, leg_px)
        merged = _split_merged_legs(xy, leg_px)
        if merged:
            notes.append(
                f"in {merged} frames the pose model put both legs on one; the misplaced leg "
                "was dropped and filled in from its neighbours"
            )
        swaps = 0
        if self.fix_swaps:
            # Legs only: the arms cross twice per stride, and a movement cost cannot tell
            # a crossing from a swap (it "fixed" correct arms on exact keypoints).
            for group in (LEG_GROUP,):
                xy, swapped = _fix_swaps_by_segment(xy, group, track.time_s, self.max_gap_s)
                li, ri = _pairs(group)
                conf[np.ix_(swapped, np.array(li + ri))] = conf[np.ix_(swapped, np.array(ri + li))]
                runs = int(np.sum(np.diff(np.concatenate([[0], swapped.astype(int)])) == 1))
                swaps += runs
        if swaps:
            notes.append(f"left/right labels were swapped by the pose model {swaps} times; fixed")
        for j in range(k):
            for c in range(2):
                xy[:, j, c], f = fill_gaps(xy[:, j, c], track.time_s, max_gap_s=self.max_gap_s)
                filled_mask[:, j] |= f
        cutoff = self.cutoff_hz if self.cutoff_hz is not None else min(12.0, 0.35 * fs)
        applied: float | None = None
        if n > 12 and np.isfinite(fs):
            for j in range(k):
                for c in range(2):
                    fc = cutoff * self.foot_cutoff_factor if j in _FEET else cutoff
                    xy[:, j, c] = butterworth_lowpass(
                        xy[:, j, c], sampling_rate_hz=fs, cutoff_hz=min(fc, 0.45 * fs)
                    )
            applied = cutoff if cutoff < 0.5 * fs else None
        quality = np.where(np.isfinite(xy).all(axis=2), conf, 0.0)
        quality[filled_mask] *= 0.5
        quality = np.clip(quality, 0.0, 1.0)
        cleaned = track.with_(xy_px=xy, confidence=quality, notes=track.notes + tuple(notes))
        facing, agree = decide_facing(cleaned)
        if agree < 0.8:
            notes.append(
                f"facing direction unclear ({agree:.0%} of frames agree); taken as {facing}"
            )
        return CleanTrack(
            track=cleaned.with_(notes=track.notes + tuple(notes)),
            raw=track,
            quality=quality,
            facing=facing,
            swaps_corrected=swaps,
            outliers_removed=outliers,
            filled_points=int(filled_mask.sum()),
            cutoff_hz=applied,
            notes=tuple(notes),
        )


def _drop_jumps(xy: NDArray[np.float64], fs: float, leg_px: float) -> int:
    """Drop points that jump faster than a body part can move (in place).

    A point further than ``max_speed × dt`` from both its neighbours is an isolated
    mis-detection (typical of the hidden far foot). The speed limit, 15 leg lengths per
    second, is about twice the peak foot speed of fast running.
    """
    limit = 15.0 * leg_px / fs
    d_prev = np.full(xy.shape[:2], np.inf)
    d_next = np.full(xy.shape[:2], np.inf)
    step = np.linalg.norm(np.diff(xy, axis=0), axis=2)
    d_prev[1:] = np.where(np.isfinite(step), step, np.inf)
    d_next[:-1] = np.where(np.isfinite(step), step, np.inf)
    bad = (d_prev > limit) & (d_next > limit) & np.isfinite(xy).all(axis=2)
    xy[bad] = np.nan
    return int(bad.sum())


def _split_merged_legs(xy: NDArray[np.float64], leg_px: float) -> int:
    """Undo frames where both legs' keypoints sit on one leg (in place).

    In side views BlazePose often puts the hidden leg's foot on the visible one for a
    few frames, typically as the swing leg passes the stance leg. In running the two
    feet never come closer than about half a leg length, so feet closer than
    0.12 leg lengths are merged: the leg whose foot jumped further from its own last
    position is the misplaced one and is set to NaN (gap filling restores it).
    """
    li, ri = _pairs(LEG_GROUP)
    feet_l = [_IDX[f"left_{p}"] for p in ("ankle", "heel", "toe")]
    feet_r = [_IDX[f"right_{p}"] for p in ("ankle", "heel", "toe")]
    n = xy.shape[0]
    count = 0
    last_l: NDArray[np.float64] | None = None
    last_r: NDArray[np.float64] | None = None
    with np.errstate(invalid="ignore"):
        for t in range(n):
            fl = np.nanmean(xy[t, feet_l, :], axis=0) if np.isfinite(xy[t, feet_l]).any() else None
            fr = np.nanmean(xy[t, feet_r, :], axis=0) if np.isfinite(xy[t, feet_r]).any() else None
            if fl is not None and fr is not None and np.linalg.norm(fl - fr) < 0.12 * leg_px:
                jl = np.linalg.norm(fl - last_l) if last_l is not None else 0.0
                jr = np.linalg.norm(fr - last_r) if last_r is not None else 0.0
                if last_l is None and last_r is None:
                    continue
                bad = li if jl >= jr else ri
                xy[t, bad, :] = np.nan
                count += 1
                if jl >= jr:
                    fl = None
                else:
                    fr = None
            if fl is not None:
                last_l = fl
            if fr is not None:
                last_r = fr
    return count
