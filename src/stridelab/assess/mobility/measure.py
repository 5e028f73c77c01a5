"""Measuring the self-tests from a pose track (a photo is a one-frame track): the shared
helpers and the held positions (knee-to-wall, hip extension, big toe); the moving and
one-leg tests are in :mod:`.dynamic`.

Every ``measure_*`` function takes a :class:`~stridelab.video.keypoints.PoseTrack`
positionally and options by keyword, checks that the input shows the test (view,
posture, stillness, movement) and returns a
:class:`~stridelab.assess.mobility.result.MobilityResult`. Wrong input raises an
:class:`~stridelab.errors.InputError` subclass, :class:`WrongTestError`, naming what
was expected and what was found.

BlazePose's left/right labels are not trusted for *which* leg does what: the test leg
is chosen from geometry in every frame (the front foot of a lunge, the lower knee of a
kneeling test, the foot on the floor of a single-leg stance). The side reported is
``side`` when given, else the pose model's label of that leg (with a note).
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from stridelab.assess.mobility.geometry import (
    angle_from_horizontal_deg,
    angle_from_vertical_deg,
    flexion_deg,
    three_point_angle_deg,
)
from stridelab.assess.mobility.result import MobilityResult, Quality
from stridelab.errors import InputError
from stridelab.video.clean import butterworth_lowpass, fill_gaps
from stridelab.video.keypoints import KEYPOINTS, PoseTrack

__all__ = [
    "LEG_FRACTION_OF_HEIGHT",
    "THOMAS_MIN_HUG_DEG",
    "WrongTestError",
    "measure_ankle_dorsiflexion",
    "measure_big_toe",
    "measure_hip_extension",
    "smooth_track",
    "view_ratio",
]

FloatArray = NDArray[np.float64]
InputKind = Literal["photo", "video"]
_I = {k: i for i, k in enumerate(KEYPOINTS)}
#: Thigh + shank (hip–knee–ankle joint centres) as a fraction of body height (Winter 2009:
#: greater trochanter 0.530 H − lateral malleolus 0.039 H).
LEG_FRACTION_OF_HEIGHT = 0.491
_MIN_CONF = 0.2
#: Least hip flexion (deg) of the hugged leg for a Thomas test (*design*: the protocol
#: holds the knee to the chest, about 120°; 60° tells it from lying flat or a plank).
THOMAS_MIN_HUG_DEG = 60.0


class WrongTestError(InputError):
    """The input does not show the test that was asked for."""


# --------------------------------------------------------------------------- helpers


def smooth_track(
    track: PoseTrack, /, *, cutoff_hz: float = 6.0, max_gap_s: float = 0.3
) -> PoseTrack:
    """Low-confidence points dropped, short gaps filled, zero-lag low-pass (a copy).

    The tests are slow movements (≤ 1 Hz), so 6 Hz keeps their shape and removes jitter.
    """
    xy = track.xy_px.copy()
    xy[track.confidence < _MIN_CONF] = np.nan
    if track.n_frames < 8:
        return track.with_(xy_px=xy)
    fs = track.sampling_rate_hz
    for k in range(xy.shape[1]):
        for c in range(2):
            v, _ = fill_gaps(xy[:, k, c], track.time_s, max_gap_s=max_gap_s)
            xy[:, k, c] = butterworth_lowpass(
                v, sampling_rate_hz=fs, cutoff_hz=min(cutoff_hz, 0.3 * fs)
            )
    return track.with_(xy_px=xy)


def _p(track: PoseTrack, name: str) -> FloatArray:
    return track.xy_px[:, _I[name], :]


def _mid(track: PoseTrack, part: str) -> FloatArray:
    a, b = _p(track, f"left_{part}"), _p(track, f"right_{part}")
    return np.where(np.isfinite(a) & np.isfinite(b), 0.5 * (a + b), np.where(np.isfinite(a), a, b))


def _pick(track: PoseTrack, part: str, right_is_chosen: NDArray[np.bool_]) -> FloatArray:
    """Per frame, the ``part`` of the chosen leg (right where True, else left)."""
    return np.where(right_is_chosen[:, None], _p(track, f"right_{part}"), _p(track, f"left_{part}"))


def _leg_px(track: PoseTrack) -> float:
    """Median thigh + shank length (px) over frames, the longer leg per frame (the
    shorter one may be foreshortened)."""
    legs = []
    for s in ("left", "right"):
        h, k, a = (_p(track, f"{s}_{j}") for j in ("hip", "knee", "ankle"))
        legs.append(np.linalg.norm(h - k, axis=1) + np.linalg.norm(k - a, axis=1))
    per_frame = np.fmax(legs[0], legs[1])
    ok = per_frame[np.isfinite(per_frame)]
    if ok.size == 0:
        raise WrongTestError("no complete leg (hip, knee, ankle) is visible: film the whole body")
    return float(np.median(ok))


def view_ratio(track: PoseTrack, /) -> float:
    """Median shoulder separation over trunk length: about 0 in a side view, about 0.7
    in a front or back view."""
    sep = np.linalg.norm(_p(track, "left_shoulder") - _p(track, "right_shoulder"), axis=1)
    trunk = np.linalg.norm(_mid(track, "shoulder") - _mid(track, "hip"), axis=1)
    r = sep / trunk
    r = r[np.isfinite(r)]
    return float(np.median(r)) if r.size else float("nan")


def _check_view(track: PoseTrack, expected: str, test_name: str, warnings: list[str]) -> bool:
    """Raise on a clearly wrong view; warn on an oblique one. True when the view is fine."""
    r = view_ratio(track)
    if not math.isfinite(r):
        warnings.append("the shoulders were not visible: the camera view could not be checked")
        return False
    if expected == "side" and r > 0.5:
        raise WrongTestError(
            f"{test_name} needs a side view, but this looks like a front or back view "
            f"(shoulder width {r:.2f} of trunk length); film from the side"
        )
    if expected == "front" and r < 0.25:
        raise WrongTestError(
            f"{test_name} needs a front (or back) view, but this looks like a side view "
            f"(shoulder width {r:.2f} of trunk length); film facing the person"
        )
    if (expected == "side" and r > 0.3) or (expected == "front" and r < 0.45):
        warnings.append(
            f"the camera is at an angle (shoulder width {r:.2f} of trunk length): "
            "angles are distorted"
        )
        return False
    return True


def _quality(conf: float, frames_ok: float, view_ok: bool) -> Quality:
    level = 2 if conf >= 0.8 else (1 if conf >= 0.5 else 0)
    if frames_ok < 0.7:
        level -= 1
    if not view_ok:
        level -= 1
    names: tuple[Quality, Quality, Quality] = ("poor", "fair", "good")
    return names[max(level, 0)]


def _conf(track: PoseTrack, names: list[str], frames: NDArray[np.bool_] | None = None) -> float:
    c = track.confidence[:, [_I[n] for n in names]]
    if frames is not None:
        c = c[frames]
    return float(np.mean(c)) if c.size else 0.0


def _side_of(labels_right: NDArray[np.bool_], side: str | None, notes: list[str]) -> str:
    if side is not None:
        if side not in ("left", "right"):
            raise InputError(f"side must be 'left' or 'right', got {side!r}")
        return side
    notes.append(
        "the side comes from the pose model's left/right labels, which can be mirrored; "
        "pass --side to be sure"
    )
    return "right" if np.mean(labels_right) >= 0.5 else "left"


def _px_per_cm(track: PoseTrack, height_cm: float | None) -> float | None:
    """Image scale from the body height: thigh + shank = 0.491 × height (Winter 2009)."""
    if height_cm is None:
        return None
    if not 100.0 <= height_cm <= 230.0:
        raise InputError(f"--height-cm must be in [100, 230], got {height_cm:g}")
    return _leg_px(track) / (LEG_FRACTION_OF_HEIGHT * height_cm)


def _require_still(points: FloatArray, leg_px: float, what: str, test_name: str) -> None:
    ok = np.isfinite(points).all(axis=1)
    if ok.sum() < 2:
        return
    p = points[ok]
    spread = float(np.max(np.percentile(p, 95, axis=0) - np.percentile(p, 5, axis=0)))
    if spread > 0.25 * leg_px:
        raise WrongTestError(
            f"{test_name}: the {what} moves {spread / leg_px:.0%} of a leg length during the "
            "clip (walking or running?); this test is a held position with the foot still"
        )


# --------------------------------------------------------------------------- ankle


def measure_ankle_dorsiflexion(
    track: PoseTrack, /, *, input_kind: InputKind, side: str | None = None
) -> MobilityResult:
    """Knee-to-wall lunge: shank angle from vertical of the front leg (knee ahead +).

    The front leg is the one whose ankle is further in the facing direction (from the
    toes); in a video the frame with the largest angle while that foot stays flat.
    """
    name = "knee-to-wall"
    warnings: list[str] = []
    notes: list[str] = []
    view_ok = _check_view(track, "side", name, warnings)
    leg = _leg_px(track)
    toes = np.concatenate(
        [_p(track, f"{s}_toe")[:, 0] - _p(track, f"{s}_heel")[:, 0] for s in ("left", "right")]
    )
    toes = toes[np.isfinite(toes)]
    if toes.size == 0:
        raise WrongTestError(
            f"{name}: the feet are not visible; film the whole body down to the shoes"
        )
    forward = 1.0 if np.median(toes) >= 0 else -1.0
    la, ra = _p(track, "left_ankle"), _p(track, "right_ankle")
    right_front = np.nan_to_num(forward * (ra[:, 0] - la[:, 0]), nan=0.0) > 0
    ankle, knee = _pick(track, "ankle", right_front), _pick(track, "knee", right_front)
    heel, toe = _pick(track, "heel", right_front), _pick(track, "toe", right_front)
    if input_kind == "video":
        _require_still(ankle, leg, "front ankle", name)
    split = np.abs(ra[:, 0] - la[:, 0]) / leg
    if not np.nanmax(np.append(split, 0.0)) > 0.25:
        raise WrongTestError(
            f"{name}: no lunge found (the feet are {np.nanmax(np.append(split, 0.0)):.0%} of a leg "
            "length apart); step one foot forward toward the wall, the other back"
        )
    back_up = np.abs(ra[:, 1] - la[:, 1]) / leg > 0.2
    if np.all(back_up | ~np.isfinite(split)):
        raise WrongTestError(
            f"{name}: one foot is off the floor; the lunge needs both feet down (front heel flat)"
        )
    shank = angle_from_vertical_deg(knee, ankle, forward=-forward)  # + = knee ahead of ankle
    foot = angle_from_horizontal_deg(toe, heel)  # + = heel higher than toe… in image terms
    foot = -foot  # + = heel above the toe
    flat = np.isfinite(foot) & (foot < 22.0) & ~back_up
    usable = np.isfinite(shank) & flat
    if not usable.any():
        if np.isfinite(shank).any():
            raise WrongTestError(
                f"{name}: the front heel is off the floor in every frame; keep it down"
            )
        raise WrongTestError(f"{name}: the front leg is not visible")
    best = int(np.nanargmax(np.where(usable, shank, -np.inf)))
    # The held end position: the median of the usable frames within 2° of the largest
    # angle (the maximum alone would pick up keypoint noise).
    plateau = usable & (shank >= shank[best] - 2.0)
    value = float(np.median(shank[plateau]))
    if value < -5.0 or value > 75.0:
        raise WrongTestError(f"{name}: a shank angle of {value:.0f}° is not a lunge")
    frames = np.zeros(track.n_frames, dtype=bool)
    frames[best] = True
    conf = _conf(track, [f"{s}_{p}" for s in ("left", "right") for p in ("knee", "ankle")], frames)
    side_out = _side_of(right_front[[best]], side, notes)
    return MobilityResult(
        test="ankle_dorsiflexion",
        input_kind=input_kind,
        side=side_out,
        value=value,
        quality=_quality(conf, float(usable.mean()), view_ok),
        detail={
            "shank_angle_deg": value,
            "time_s": float(track.time_s[best]),
            "end_range_frames": int(plateau.sum()),
            "front_foot_angle_deg": float(foot[best]),
            "frames_used": int(usable.sum()),
        },
        warnings=tuple(warnings),
        notes=tuple(notes),
        method=(
            "shank (knee→ankle joint centres) angle from the image vertical, front leg, heel down"
        ),
    )


# --------------------------------------------------------------------------- hip


def measure_hip_extension(
    track: PoseTrack,
    /,
    *,
    input_kind: InputKind,
    side: str | None = None,
    variant: str | None = None,
) -> MobilityResult:
    """Kneeling hip-flexor test (trunk upright) or modified Thomas test (lying); the
    variant is found from the trunk when not given."""
    warnings: list[str] = []
    notes: list[str] = []
    view_ok = _check_view(track, "side", "hip extension", warnings)
    leg = _leg_px(track)
    trunk = np.abs(angle_from_vertical_deg(_mid(track, "hip"), _mid(track, "shoulder")))
    trunk = 180.0 - trunk  # 0 = shoulders straight above the hips
    trunk_med = float(np.nanmedian(trunk)) if np.isfinite(trunk).any() else float("nan")
    found = "kneeling" if trunk_med < 45.0 else ("thomas" if trunk_med > 60.0 else None)
    if found is None:
        raise WrongTestError(
            f"hip extension: the trunk is {trunk_med:.0f}° from vertical, neither upright "
            "(kneeling "
            "test) nor lying (Thomas test)"
        )
    if variant is not None and variant != found:
        raise WrongTestError(
            f"hip extension: asked for the {variant} test but the person is "
            + ("upright (kneeling test?)" if found == "kneeling" else "lying (Thomas test?)")
        )
    lk, rk = _p(track, "left_knee"), _p(track, "right_knee")
    right_low = np.nan_to_num(rk[:, 1] - lk[:, 1], nan=0.0) > 0
    hip, knee = _pick(track, "hip", right_low), _pick(track, "knee", right_low)
    ankle = _pick(track, "ankle", right_low)
    other_knee = np.where(right_low[:, None], lk, rk)
    detail: dict[str, object] = {"variant": found}
    if found == "kneeling":
        floor = np.fmax(_p(track, "left_ankle")[:, 1], _p(track, "right_ankle")[:, 1])
        near_floor = (floor - knee[:, 1]) < 0.2 * leg
        if not np.any(near_floor):
            raise WrongTestError(
                "kneeling hip-flexor test: neither knee is on the floor (standing or running?); "
                "kneel on the test leg"
            )
        if input_kind == "video":
            _require_still(knee, leg, "kneeling knee", "kneeling hip-flexor test")
        forward = np.sign(np.nanmedian(other_knee[:, 0] - knee[:, 0]))
        values = angle_from_vertical_deg(hip, knee, forward=-forward)  # + = knee behind hip
        values = np.where(near_floor, values, np.nan)
        method = "thigh (hip→knee) of the kneeling leg from the image vertical, + knee behind hip"
    else:
        if input_kind == "video":
            _require_still(hip, leg, "hip", "Thomas test")
        values = angle_from_horizontal_deg(hip, knee)  # + = knee below the hip
        flex = flexion_deg(hip, knee, ankle)
        detail["knee_flexion_deg"] = float(np.nanmedian(flex)) if np.isfinite(flex).any() else None
        detail["knee_flexion_note"] = "< 67° suggests a short rectus femoris (BMC SSMR 2021)"
        # The other thigh against the trunk (hip flexion = 180° − the shoulder–hip–knee
        # angle): hugged to the chest it is about 120°; lying flat (or in a plank) ~0°.
        other_hip = _pick(track, "hip", ~right_low)
        other_flex = flexion_deg(_mid(track, "shoulder"), other_hip, other_knee)
        other_flex_med = float(np.nanmedian(other_flex)) if np.isfinite(other_flex).any() else 0.0
        if other_flex_med < THOMAS_MIN_HUG_DEG:
            raise WrongTestError(
                f"Thomas test: the other knee is not pulled to the chest (hip flexed "
                f"{other_flex_med:.0f}°, lying flat or a plank?); hug it to the chest with "
                "the low back flat, the test leg hanging off the table"
            )
        detail["other_hip_flexion_deg"] = other_flex_med
        hugged = np.nanmedian(hip[:, 1] - other_knee[:, 1]) > 0.1 * leg
        if not hugged:
            warnings.append(
                "the other knee is not pulled to the chest: the pelvis may tilt, which makes the "
                "Thomas test unreliable (Vigotsky 2016)"
            )
        method = "thigh (hip→knee) of the hanging leg below the image horizontal"
    ok = np.isfinite(values)
    if not ok.any():
        raise WrongTestError("hip extension: the test leg is not visible")
    value = float(np.median(values[ok]))
    if input_kind == "video" and ok.sum() > 2:
        detail["spread_deg"] = float(np.percentile(values[ok], 90) - np.percentile(values[ok], 10))
    detail["thigh_angle_deg"] = value
    conf = _conf(track, [f"{s}_{p}" for s in ("left", "right") for p in ("hip", "knee")], ok)
    return MobilityResult(
        test="hip_extension",
        input_kind=input_kind,
        side=_side_of(right_low[ok], side, notes),
        value=value,
        quality=_quality(conf, float(ok.mean()), view_ok),
        detail=detail,
        warnings=tuple(warnings),
        notes=tuple(notes),
        method=method,
        variant=found,
    )


# --------------------------------------------------------------------------- big toe


def measure_big_toe(
    points_px: FloatArray, /, *, width_px: int, height_px: int, side: str | None = None
) -> MobilityResult:
    """First-MTP extension from three marked points (metatarsal/heel, MTP joint, toe tip):
    180° minus the angle at the joint."""
    pts = np.asarray(points_px, dtype=np.float64)
    if pts.shape != (3, 2) or not np.isfinite(pts).all():
        raise InputError("--points needs three points 'x1,y1;x2,y2;x3,y3' (pixels)")
    inside = (
        (pts[:, 0] >= 0) & (pts[:, 0] <= width_px) & (pts[:, 1] >= 0) & (pts[:, 1] <= height_px)
    )
    if not inside.all():
        raise InputError(f"--points must lie inside the {width_px}×{height_px} photo")
    if min(np.linalg.norm(pts[0] - pts[1]), np.linalg.norm(pts[2] - pts[1])) < 5.0:
        raise InputError("--points: the three points must be at least 5 px apart")
    value = three_point_angle_deg(pts[0], pts[1], pts[2])
    warnings = []
    if value > 110.0:
        warnings.append(f"{value:.0f}° is beyond the usual range: check the order of the points")
    return MobilityResult(
        test="big_toe_extension",
        input_kind="photo",
        side=side,
        value=value,
        quality="fair",
        detail={"points_px": pts.tolist(), "angle_deg": value},
        warnings=tuple(warnings),
        notes=("angle from three points marked by hand (the pose model has no toe joint)",),
        method="180° minus the angle metatarsal–MTP–toe tip at the marked joint",
    )
