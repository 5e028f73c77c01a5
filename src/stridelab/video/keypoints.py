"""The canonical pose track: time × keypoint × (x, y) in image pixels, with confidence.

Every pose source (MediaPipe, imported TRC or OpenPose files, the synthetic runner)
produces a :class:`PoseTrack` through :func:`make_pose_track`, the only validator.
Coordinates are image pixels of the *displayed* (rotation-corrected) frame, x to the
right and y **down**; missing points are NaN. Times are real seconds (slow motion
already rescaled).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from numpy.typing import NDArray

from stridelab.errors import InputError

__all__ = [
    "KEYPOINTS",
    "LEFT_RIGHT_PAIRS",
    "PoseTrack",
    "keypoint_index",
    "leg_length_px",
    "make_pose_track",
    "with_capture_fps",
]

#: The canonical keypoints, a subset shared by BlazePose (33), OpenPose BODY_25,
#: HALPE_26 and the synthetic runner. ``*_toe`` is the tip of the shoe (BlazePose
#: ``foot_index``, OpenPose/HALPE ``BigToe``).
KEYPOINTS: tuple[str, ...] = (
    "nose",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
    "left_heel",
    "right_heel",
    "left_toe",
    "right_toe",
)

#: Index pairs (left, right) of the bilateral keypoints.
LEFT_RIGHT_PAIRS: tuple[tuple[int, int], ...] = tuple(
    (KEYPOINTS.index(name), KEYPOINTS.index("right_" + name[5:]))
    for name in KEYPOINTS
    if name.startswith("left_")
)


def keypoint_index(name: str) -> int:
    """Index of a canonical keypoint name (``InputError`` if unknown)."""
    try:
        return KEYPOINTS.index(name)
    except ValueError:
        raise InputError(f"unknown keypoint {name!r}; expected one of {KEYPOINTS}") from None


@dataclass(frozen=True)
class PoseTrack:
    """One person's 2D keypoints over time (build with :func:`make_pose_track`).

    Attributes
    ----------
    time_s : (n,) real seconds from the first frame, strictly increasing.
    xy_px : (n, K, 2) image pixels (x right, y down), NaN where missing.
    confidence : (n, K) in [0, 1] (MediaPipe's visibility; 0 where missing).
    width_px, height_px : size of the displayed frame.
    source : where the keypoints came from (``"mediapipe"``, ``"trc"``, ``"openpose"``,
        ``"synthetic"``…).
    frame_index : (n,) decoder frame numbers (0-based) the rows come from.
    notes : human-readable remarks gathered on the way (person choice, swaps fixed…).
    px_per_m : image scale at the runner when the source knows it (imported metric
        coordinates, synthetic truth), else None.
    """

    time_s: NDArray[np.float64]
    xy_px: NDArray[np.float64]
    confidence: NDArray[np.float64]
    width_px: int
    height_px: int
    source: str
    frame_index: NDArray[np.int64]
    notes: tuple[str, ...] = field(default=())
    px_per_m: float | None = None

    @property
    def n_frames(self) -> int:
        return int(self.time_s.shape[0])

    @property
    def sampling_rate_hz(self) -> float:
        """Median frame rate in real time (NaN for fewer than two frames)."""
        if self.n_frames < 2:
            return float("nan")
        return float(1.0 / np.median(np.diff(self.time_s)))

    def point(self, name: str) -> NDArray[np.float64]:
        """(n, 2) trajectory of one keypoint."""
        return self.xy_px[:, keypoint_index(name), :]

    def with_(self, **changes: object) -> PoseTrack:
        """A validated copy with some fields replaced."""
        merged = {
            "time_s": self.time_s,
            "xy_px": self.xy_px,
            "confidence": self.confidence,
            "width_px": self.width_px,
            "height_px": self.height_px,
            "source": self.source,
            "frame_index": self.frame_index,
            "notes": self.notes,
            "px_per_m": self.px_per_m,
        }
        merged.update(changes)
        return make_pose_track(**merged)  # type: ignore[arg-type]

    def slice(self, start: int, stop: int) -> PoseTrack:
        return replace(
            self,
            time_s=self.time_s[start:stop],
            xy_px=self.xy_px[start:stop],
            confidence=self.confidence[start:stop],
            frame_index=self.frame_index[start:stop],
        )


def make_pose_track(
    time_s: Sequence[float] | NDArray[np.floating],
    xy_px: NDArray[np.floating],
    confidence: NDArray[np.floating] | None = None,
    *,
    width_px: int,
    height_px: int,
    source: str,
    frame_index: Sequence[int] | NDArray[np.integer] | None = None,
    notes: Sequence[str] = (),
    px_per_m: float | None = None,
) -> PoseTrack:
    """Validate and build a :class:`PoseTrack` (copies its inputs).

    Raises
    ------
    InputError
        Shapes disagree, times are not strictly increasing, or the frame size is not
        positive.
    """
    t = np.asarray(time_s, dtype=np.float64).copy()
    xy = np.asarray(xy_px, dtype=np.float64).copy()
    k = len(KEYPOINTS)
    if t.ndim != 1:
        raise InputError(f"time_s must be 1-D, got shape {t.shape}")
    if xy.shape != (t.shape[0], k, 2):
        raise InputError(f"xy_px must have shape ({t.shape[0]}, {k}, 2), got {xy.shape}")
    if t.shape[0] > 1 and not np.all(np.diff(t) > 0):
        raise InputError("frame times must be strictly increasing")
    if not np.all(np.isfinite(t)):
        raise InputError("frame times must be finite")
    if width_px <= 0 or height_px <= 0:
        raise InputError(f"frame size must be positive, got {width_px}x{height_px}")
    if px_per_m is not None and not (np.isfinite(px_per_m) and px_per_m > 0):
        raise InputError(f"px_per_m must be a positive number, got {px_per_m}")
    if confidence is None:
        conf = np.where(np.isfinite(xy).all(axis=2), 1.0, 0.0)
    else:
        conf = np.asarray(confidence, dtype=np.float64).copy()
        if conf.shape != (t.shape[0], k):
            raise InputError(f"confidence must have shape ({t.shape[0]}, {k}), got {conf.shape}")
        conf = np.clip(np.nan_to_num(conf, nan=0.0), 0.0, 1.0)
    missing = ~np.isfinite(xy).all(axis=2)
    xy[missing] = np.nan
    conf[missing] = 0.0
    if frame_index is None:
        fi = np.arange(t.shape[0], dtype=np.int64)
    else:
        fi = np.asarray(frame_index, dtype=np.int64).copy()
        if fi.shape != t.shape:
            raise InputError("frame_index must have one entry per frame")
    return PoseTrack(
        time_s=t,
        xy_px=xy,
        confidence=conf,
        width_px=int(width_px),
        height_px=int(height_px),
        source=str(source),
        frame_index=fi,
        notes=tuple(notes),
        px_per_m=None if px_per_m is None else float(px_per_m),
    )


def with_capture_fps(track: PoseTrack, capture_fps: float, /) -> PoseTrack:
    """A slow-motion track on real time: frames were stored at the track's rate but
    captured at ``capture_fps`` (times are scaled by stored / capture rate)."""
    if not (np.isfinite(capture_fps) and 1 <= capture_fps <= 2000):
        raise InputError(f"capture fps {capture_fps:g} is not a plausible frame rate")
    stored = track.sampling_rate_hz
    if not np.isfinite(stored):
        raise InputError("the keypoints have fewer than two frames: no frame rate to rescale")
    note = f"time rescaled from {stored:.3g} fps stored to {capture_fps:g} fps captured"
    return track.with_(time_s=track.time_s * (stored / capture_fps), notes=(*track.notes, note))


def leg_length_px(xy_px: NDArray[np.float64], /) -> float:
    """Median hip–knee–ankle path length (thigh + shank, px) over frames and both legs
    of an (n, K, 2) keypoint array; NaN when no leg is ever complete."""
    lengths = []
    for side in ("left", "right"):
        h, k, a = (xy_px[:, KEYPOINTS.index(f"{side}_{p}"), :] for p in ("hip", "knee", "ankle"))
        lengths.append(np.linalg.norm(h - k, axis=1) + np.linalg.norm(k - a, axis=1))
    v = np.concatenate(lengths)
    v = v[np.isfinite(v)]
    return float(np.median(v)) if v.size else float("nan")
