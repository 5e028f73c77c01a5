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
    measure_ankle_dorsiflexion,
    measure_big_toe,
    measure_hip_extension,
    smooth_track,
)
from stridelab.assess.mobility.result import MobilityResult
from stridelab.errors import InputError
from stridelab.video.keypoints import PoseTrack
from stridelab.video.pose import PoseBackend

__all__ = ["measure_track", "parse_points", "run_test"]


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
    backend: PoseBackend | None = None,
) -> MobilityResult:
    """Measure test ``name`` from a photo (JPEG/PNG) or a video file.

    Raises
    ------
    InputError
        Missing file, wrong input kind for the test, wrong test, no person, …
    """
    from dataclasses import replace

    from stridelab.video.image import estimate_image_pose, is_image, read_image

    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such file")
    info, _ = resolve_test(name)
    photo = is_image(p)
    kind: Literal["photo", "video"] = "photo" if photo else "video"
    if kind not in info.inputs:
        raise InputError(
            f"{info.name} needs a {' or '.join(info.inputs)}, but {p.name} is a {kind}"
        )
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
        from stridelab.video.pose import estimate_pose

        track = estimate_pose(p, backend=backend)
    return measure_track(name, track, input_kind=kind, side=side, height_cm=height_cm, sex=sex)
