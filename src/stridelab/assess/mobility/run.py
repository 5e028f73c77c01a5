"""From a file (photo or video) and a test name to a result.

:func:`run_test` decides the input kind from the file's content, runs the pose model
(BlazePose via :mod:`stridelab.video`; offline) and calls the test's measuring
function. :func:`measure_track` does the same from keypoints already at hand (e.g. the
exact synthetic keypoints of :mod:`stridelab.synthetic.poses`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import numpy as np

from stridelab.assess.mobility.catalogue import resolve_test
from stridelab.assess.mobility.dynamic import (
    measure_balance,
    measure_calf_raise,
    measure_plank,
    measure_single_leg_squat,
)
from stridelab.assess.mobility.measure import (
    _leg_px,
    measure_ankle_dorsiflexion,
    measure_big_toe,
    measure_hip_extension,
    smooth_track,
)
from stridelab.assess.mobility.result import MobilityResult, Quality
from stridelab.errors import InputError, VideoError
from stridelab.video.keypoints import PoseTrack
from stridelab.video.pose import PoseBackend

__all__ = ["MIN_CLIP_S", "MIN_FRAME_RATE_HZ", "measure_track", "parse_points", "run_test"]

#: Shortest clip (s) and lowest frame rate (Hz) accepted for the moving and hold tests
#: (single-leg squat, balance, calf raises, planks). *Design*: a rep or a hold cannot
#: be timed from less, and the 6 Hz smoothing needs more than 10 frames a second.
MIN_CLIP_S = 2.0
MIN_FRAME_RATE_HZ = 10.0
#: Leg (thigh + shank) length in pixels below which the quality is at most ``fair`` /
#: ``poor``. *Design*: 3 px of keypoint error at both ends of a segment half this long
#: tilts it by about 5° at 120 px and 10° at 60 px.
FAIR_LEG_PX = 120.0
POOR_LEG_PX = 60.0


def _size_checked(result: MobilityResult, leg_px: float) -> MobilityResult:
    """Lower the quality (with a warning) when the person is small in the frame."""
    from dataclasses import replace

    if leg_px >= FAIR_LEG_PX:
        return result
    cap: Quality = "poor" if leg_px < POOR_LEG_PX else "fair"
    order = ("poor", "fair", "good")
    quality = result.quality if order.index(result.quality) <= order.index(cap) else cap
    warning = (
        f"the person is small in the frame (a leg is {leg_px:.0f} px long): angles and "
        "heights are imprecise; move the phone closer or film at a higher resolution"
    )
    return replace(result, quality=quality, warnings=(*result.warnings, warning))


def _require_clip(track: PoseTrack, test_name: str) -> None:
    """VideoError when a clip is too short or too sparse to time a movement or hold."""
    duration = float(track.time_s[-1] - track.time_s[0]) if track.n_frames > 1 else 0.0
    if track.n_frames < 2 or duration < MIN_CLIP_S:
        raise VideoError(
            f"{test_name} needs a clip of at least {MIN_CLIP_S:g} s, got {track.n_frames} "
            f"frame(s) over {duration:.2f} s; film the whole test"
        )
    fps = track.sampling_rate_hz
    if fps < MIN_FRAME_RATE_HZ:
        raise VideoError(
            f"{test_name}: {fps:.1f} frames per second is too few (at least "
            f"{MIN_FRAME_RATE_HZ:g}); film at a normal video frame rate (25–60 fps)"
        )


def parse_points(text: str, /) -> np.ndarray:
    """``"x1,y1;x2,y2;x3,y3"`` → (3, 2) pixels (``InputError`` when malformed)."""
    try:
        pts = [
            [float(v) for v in pair.split(",")] for pair in text.strip().split(";") if pair.strip()
        ]
        arr = np.asarray(pts, dtype=np.float64)
    except ValueError:
        raise InputError(f"--points must look like 'x1,y1;x2,y2;x3,y3', got {text!r}") from None
    if arr.shape != (3, 2):
        raise InputError(f"--points needs exactly three x,y pairs, got {text!r}")
    return arr


def measure_track(
    name: str,
    track: PoseTrack,
    /,
    *,
    input_kind: Literal["photo", "video"],
    side: str | None = None,
    height_cm: float | None = None,
    sex: str | None = None,
) -> MobilityResult:
    """Measure test ``name`` (id or alias) on a pose track (one frame for a photo)."""
    from dataclasses import replace

    info, variant = resolve_test(name)
    if input_kind not in info.inputs:
        raise InputError(f"{info.name} needs a {' or '.join(info.inputs)}, not a {input_kind}")
    if side is not None and side not in ("left", "right"):
        raise InputError(f"--side must be left or right, got {side!r}")
    if info.id == "big_toe_extension":
        raise InputError(
            "big-toe extension is measured from three points marked on the photo: pass --points "
            "'x1,y1;x2,y2;x3,y3' (metatarsal, big-toe joint, toe tip); the pose model has no "
            "toe joint"
        )
    if "photo" not in info.inputs:
        _require_clip(track, info.name)
    tr = smooth_track(track) if input_kind == "video" else track
    if info.id == "ankle_dorsiflexion":
        result = measure_ankle_dorsiflexion(tr, input_kind=input_kind, side=side)
    elif info.id == "hip_extension":
        result = measure_hip_extension(tr, input_kind=input_kind, side=side, variant=variant)
    elif info.id == "single_leg_squat":
        result = measure_single_leg_squat(tr, side=side)
    elif info.id == "single_leg_balance":
        result = measure_balance(tr, side=side, height_cm=height_cm)
    elif info.id == "calf_raise":
        result = measure_calf_raise(tr, side=side, height_cm=height_cm)
    else:
        result = measure_plank(tr, kind="plank" if info.id == "plank" else "side_plank", side=side)
    result = _size_checked(result, _leg_px(tr))
    return replace(result, sex=sex, notes=(*track.notes, *result.notes))


def run_test(
    name: str,
    path: str | Path,
    /,
    *,
    side: str | None = None,
    height_cm: float | None = None,
    sex: str | None = None,
    points: str | None = None,
    capture_fps: float | None = None,
    person: str = "auto",
    backend: PoseBackend | None = None,
) -> MobilityResult:
    """Measure test ``name`` from a photo (JPEG/PNG) or a video file.

    In a video the people are found first (:func:`~stridelab.video.person.choose_person`):
    with a bystander in view, ``person="auto"`` follows the one most in view and nearest
    the camera; ``"N"`` (N-th from the left) or ``"x,y,w,h"`` choose another. An
    injected ``backend`` (tests replaying known keypoints) skips that scan.

    ``capture_fps`` is the real recording rate of a slow-motion video whose file does
    not say so (e.g. 240): frame times, and so hold times, become real seconds. It is
    refused for a photo.

    Raises
    ------
    InputError
        Missing file, wrong input kind for the test, wrong test, no person, …
    """
    from dataclasses import replace

    from stridelab.errors import UnsupportedFormatError
    from stridelab.video.image import (
        estimate_image_pose,
        is_image,
        read_image,
        unsupported_photo_format,
    )

    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such file")
    info, _ = resolve_test(name)
    unreadable = unsupported_photo_format(p)
    if unreadable is not None:
        raise UnsupportedFormatError(
            f"{p.name} is a {unreadable} photo, which stridelab cannot read; save or export "
            "it as JPEG (iPhone: Settings > Camera > Formats > Most Compatible)"
        )
    photo = is_image(p)
    kind: Literal["photo", "video"] = "photo" if photo else "video"
    if kind not in info.inputs:
        raise InputError(
            f"{info.name} needs a {' or '.join(info.inputs)}, but {p.name} is a {kind}"
        )
    if photo and capture_fps is not None:
        raise InputError(f"--capture-fps is for a video, but {p.name} is a photo")
    if info.id == "big_toe_extension":
        if points is None:
            raise InputError(
                "big-toe extension: pass --points 'x1,y1;x2,y2;x3,y3' (metatarsal or heel, big-toe "
                "joint, toe tip, in photo pixels); the pose model has no toe joint to find them"
            )
        image = read_image(p)
        result = measure_big_toe(
            parse_points(points), width_px=image.shape[1], height_px=image.shape[0], side=side
        )
        return replace(result, sex=sex)
    if photo:
        track = estimate_image_pose(p, backend=backend)
    else:
        from stridelab.video.person import choose_person, parse_person_option
        from stridelab.video.pose import estimate_pose

        follow = None
        notes: tuple[str, ...] = ()
        if backend is None:
            choice = choose_person(
                p, parse_person_option(person), capture_fps=capture_fps, prefer="nearest"
            )
            follow, notes = choice.follow, choice.notes
        track = estimate_pose(p, backend=backend, capture_fps=capture_fps, follow=follow)
        track = replace(track, notes=(*notes, *track.notes))
    return measure_track(name, track, input_kind=kind, side=side, height_cm=height_cm, sex=sex)
