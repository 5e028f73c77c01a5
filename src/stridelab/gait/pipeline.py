"""The whole video job: clip (or keypoints) in, :class:`GaitAnalysis` out.

``analyze_video`` = decode → choose the person → pose → clean → events → metrics.
``analyze_track`` starts from keypoints (imported from another tool, or synthetic).
Each stage is its own module and can be used alone; this module only wires them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from stridelab.errors import InputError, NoPersonError
from stridelab.gait.events import (
    ContactDetector,
    GroundLine,
    fit_ground_line,
    ground_frame,
    leg_length_px,
)
from stridelab.gait.metrics import compute_steps, cycle_curves, summarise_steps
from stridelab.gait.result import GaitAnalysis, Scale, VideoQuality
from stridelab.video.clean import CleanTrack, TrackCleaner
from stridelab.video.keypoints import KEYPOINTS, PoseTrack

__all__ = [
    "LEG_FRACTION_OF_HEIGHT",
    "TrackAnalysis",
    "VideoOptions",
    "analyze_track",
    "analyze_video",
]

log = logging.getLogger(__name__)

#: Thigh + shank length as a fraction of standing height (Winter's anthropometric
#: table: 0.245 + 0.246).
LEG_FRACTION_OF_HEIGHT = 0.491

_IDX = {k: i for i, k in enumerate(KEYPOINTS)}


@dataclass(frozen=True)
class VideoOptions:
    """What the runner tells us about the clip (all optional)."""

    view: str = "auto"  # side | rear | front | auto
    height_cm: float | None = None
    capture_fps: float | None = None
    surface: str = "auto"  # treadmill | overground | auto
    person: str = "auto"  # auto | N | x,y,w,h
    cutoff_hz: float | None = None

    def validate(self) -> None:
        if self.view not in {"side", "rear", "front", "auto"}:
            raise InputError(f"--view must be side, rear, front or auto, not {self.view!r}")
        if self.surface not in {"treadmill", "overground", "auto"}:
            raise InputError(
                f"--surface must be treadmill, overground or auto, not {self.surface!r}"
            )
        if self.height_cm is not None and not 100 <= self.height_cm <= 230:
            raise InputError(
                f"--height-cm {self.height_cm:g} is not a plausible height (100–230 cm)"
            )
        if self.capture_fps is not None and not 1 <= self.capture_fps <= 2000:
            raise InputError(f"--capture-fps {self.capture_fps:g} is not a plausible frame rate")
        if self.cutoff_hz is not None and not 0 < self.cutoff_hz <= 100:
            raise InputError(f"cutoff_hz must be in (0, 100] Hz, got {self.cutoff_hz:g}")


@dataclass(frozen=True)
class TrackAnalysis:
    """An analysis with the intermediate data the outputs need."""

    analysis: GaitAnalysis
    clean: CleanTrack
    ground: GroundLine
    uv: np.ndarray

    @property
    def track(self) -> PoseTrack:
        return self.clean.track


def _hip_separation(track: PoseTrack, leg_px: float) -> float:
    d = np.abs(track.point("left_hip")[:, 0] - track.point("right_hip")[:, 0])
    d = d[np.isfinite(d)]
    return float(np.median(d) / leg_px) if d.size and leg_px > 0 else float("nan")


def analyze_track(
    track: PoseTrack,
    /,
    *,
    options: VideoOptions | None = None,
    video_meta: dict[str, Any] | None = None,
    notes: tuple[str, ...] = (),
    extra_warnings: tuple[str, ...] = (),
) -> TrackAnalysis:
    """Clean a pose track, detect contacts and compute the metrics.

    Raises
    ------
    NoPersonError
        Too few frames with a person to analyse.
    """
    opts = options or VideoOptions()
    opts.validate()
    present = np.isfinite(track.xy_px).all(axis=2).any(axis=1)
    if present.sum() < 10:
        raise NoPersonError(
            f"a person was found in only {int(present.sum())} of {track.n_frames} frames; "
            "nothing to analyse. Film the whole body (head to shoes), side on."
        )
    warnings: list[str] = list(extra_warnings)
    cleaner = TrackCleaner(cutoff_hz=opts.cutoff_hz)
    clean = cleaner.clean(track)
    ct = clean.track
    leg_px = leg_length_px(ct)
    if not np.isfinite(leg_px):
        raise NoPersonError("the legs are not visible: film the whole body, head to shoes")
    sep = _hip_separation(ct, leg_px)
    if opts.view == "auto":
        view = "side" if not np.isfinite(sep) or sep < 0.1 else "rear"
        view_note = f"view taken as {view} (hip separation {sep:.2f} leg lengths)"
    else:
        view = opts.view
        view_note = f"view {view} (given)"
    oblique = view == "side" and np.isfinite(sep) and sep > 0.07
    if oblique:
        warnings.append(
            "the camera looks oblique to the running direction (hips apart in the image): "
            "angles and distances are projected; film square to the runner"
        )
    facing = clean.facing if view == "side" else "right"
    ground = fit_ground_line(ct, leg_px=leg_px)
    uv = ground_frame(ct.xy_px, ground, facing)
    # scale
    if ct.px_per_m is not None:
        scale = Scale(100.0 / ct.px_per_m, "keypoints", "the keypoints carry their own scale")
    elif opts.height_cm is not None:
        scale = Scale(
            opts.height_cm * LEG_FRACTION_OF_HEIGHT / leg_px,
            "height",
            f"runner height {opts.height_cm:g} cm; leg (thigh + shank) = "
            f"{LEG_FRACTION_OF_HEIGHT} × height (Winter); leg = {leg_px:.0f} px",
        )
    else:
        scale = Scale(None, "none", "no scale: lengths are given relative to leg length")
    # surface
    pelvis_u = (uv[:, _IDX["left_hip"], 0] + uv[:, _IDX["right_hip"], 0]) / 2
    finite_pelvis = pelvis_u[np.isfinite(pelvis_u)]
    surface = opts.surface
    if surface == "auto":
        if finite_pelvis.size >= 10:
            travel = float(np.percentile(finite_pelvis, 95) - np.percentile(finite_pelvis, 5))
            surface = "overground" if travel / leg_px > 1.0 else "treadmill"
        else:
            surface = "treadmill"
            warnings.append("the hips are rarely visible: surface taken as treadmill")
    fs = ct.sampling_rate_hz
    feet = [_IDX[f"{s}_{p}"] for s in ("left", "right") for p in ("heel", "toe")]
    jitter = (clean.raw.xy_px[:, feet, 1] - ct.xy_px[:, feet, 1]).ravel()
    jitter = jitter[np.isfinite(jitter)]
    noise_px = float(1.4826 * np.median(np.abs(jitter - np.median(jitter)))) if jitter.size else 0.0
    detector = ContactDetector().detect(
        uv, ct.time_s, clean.quality, leg_px=leg_px, fore_aft=view == "side", noise_px=noise_px
    )
    contacts = detector.contacts_
    conf_raw = track.confidence
    vis = {}
    for foot in ("left", "right"):
        cols = [_IDX[f"{foot}_{p}"] for p in ("heel", "toe", "ankle")]
        vis[foot] = float(np.mean(conf_raw[present][:, cols] > 0.5))
    near = "right" if vis["right"] >= vis["left"] else "left"
    far = "left" if near == "right" else "right"
    if view == "side" and vis[far] < 0.6:
        warnings.append(
            f"the far ({far}) foot is hidden or unsure in {1 - vis[far]:.0%} of frames; "
            "its steps count less"
        )
    if leg_px < 60:
        warnings.append(
            f"the runner is small in the frame (leg {leg_px:.0f} px): keypoints are coarse; "
            "film closer or zoom in so the runner fills most of the frame height"
        )
    raw_feet = track.xy_px[present][
        :, [_IDX[f"{s}_{p}"] for s in ("left", "right") for p in ("heel", "toe")], :
    ]
    with np.errstate(invalid="ignore"):
        outside = (
            (raw_feet[..., 1] > track.height_px)
            | (raw_feet[..., 0] < 0)
            | (raw_feet[..., 0] > track.width_px)
        ).any(axis=1)
    if outside.mean() > 0.2:
        warnings.append(
            f"the feet are cut off by the frame edge in {outside.mean():.0%} of frames: "
            "contacts there are guessed by the pose model; keep the shoes in view"
        )
    steps = compute_steps(
        contacts,
        uv,
        ct.time_s,
        view=view,
        cm_per_px=scale.cm_per_px,
        leg_px=leg_px,
        frame_index=ct.frame_index,
    )
    metrics = summarise_steps(
        steps,
        uv,
        ct.time_s,
        view=view,
        cm_per_px=scale.cm_per_px,
        leg_px=leg_px,
        sampling_rate_hz=fs,
        near_foot=near,
        oblique=bool(oblique),
    )
    drop = metrics.get("pelvic_drop_deg")
    if drop is not None and track.source.startswith("mediapipe") and drop.value is not None:
        # Measured on the synthetic runner seen from behind: a 6° drop read as about
        # -1° (BlazePose's hip points barely follow the pelvis tilt). Withheld, not guessed.
        metrics["pelvic_drop_deg"] = replace(
            drop,
            value=None,
            quality="withheld",
            reason=(
                "BlazePose's hip points do not follow pelvic tilt (on synthetic truth a 6° "
                "drop read as about -1°); use markers on the pelvis or another pose model"
            ),
        )
    ft = metrics.get("flight_time_ms")
    if ft is not None and ft.value is not None and float(ft.value) < 0:
        warnings.append(
            "both feet are on the ground together (no flight phase): this looks like walking, "
            "not running; running metrics describe walking here"
        )
    used = [s for s in steps if s.used]
    if len(used) < 6:
        warnings.append(
            f"only {len(used)} usable steps; film at least 10 s of steady running "
            "(average of at least 7 steps, Dingenen 2018)"
        )
    if fs < 50:
        warnings.append(
            f"{fs:.0f} fps: one frame is {1000 / fs:.0f} ms; contact times are coarse — "
            "film at 60 fps or more (slow motion 120–240 fps is best)"
        )
    quality = VideoQuality(
        frames_total=track.n_frames,
        frames_with_person=int(present.sum()),
        foot_visible_fraction=vis,
        swaps_corrected=clean.swaps_corrected,
        n_steps_detected=len(steps),
        n_steps_used=len(used),
        notes=tuple(dict.fromkeys((*notes, *track.notes, *clean.notes, view_note))),
        warnings=tuple(warnings),
    )
    setup = {
        "view": view,
        "facing": facing,
        "surface": surface,
        "near_foot": near if view == "side" else None,
        "sampling_rate_hz": fs,
        "leg_length_px": leg_px,
        "keypoint_noise_px": noise_px,
        "filter_cutoff_hz": clean.cutoff_hz,
        "ground_line": {
            "slope": ground.slope,
            "intercept_px": ground.intercept_px,
            "angle_deg": ground.angle_deg,
            "residual_px": ground.residual_px,
        },
        "pose_source": track.source,
    }
    analysis = GaitAnalysis(
        video=dict(video_meta or {"source": track.source, "frames": track.n_frames}),
        setup=setup,
        scale=scale,
        quality=quality,
        steps=tuple(steps),
        metrics=metrics,
        cycle=cycle_curves(steps, uv, ct.time_s) if view == "side" else None,
    )
    return TrackAnalysis(analysis, clean, ground, uv)


def analyze_video(
    path: Path | str,
    /,
    *,
    options: VideoOptions | None = None,
    backend: Any = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> tuple[TrackAnalysis, PoseTrack, Any]:
    """Decode, find the runner, estimate pose and analyse a clip.

    Returns (analysis with intermediates, raw pose track, :class:`VideoInfo`).
    """
    from stridelab.video.decode import check_video_usable, probe_video
    from stridelab.video.person import choose_person, parse_person_option
    from stridelab.video.pose import estimate_pose

    opts = options or VideoOptions()
    opts.validate()
    info = probe_video(path, capture_fps=opts.capture_fps)
    check_video_usable(info)
    choice = choose_person(path, parse_person_option(opts.person), capture_fps=opts.capture_fps)

    def pose_progress(done: int, total: int) -> None:
        if progress is not None:
            progress("pose", done, total)

    raw = estimate_pose(
        path,
        backend=backend,
        capture_fps=opts.capture_fps,
        follow=choice.follow,
        progress=pose_progress,
    )
    meta = {
        "file": Path(path).name,
        "width_px": info.width_px,
        "height_px": info.height_px,
        "rotation_deg": info.rotation_deg,
        "stored_fps": info.stored_fps,
        "capture_fps": info.capture_fps,
        "capture_fps_source": info.capture_fps_source,
        "frames": raw.n_frames,
        "duration_s": float(raw.time_s[-1]) if raw.n_frames else 0.0,
        "codec": info.codec,
    }
    notes = tuple(choice.notes) + tuple(info.notes)
    moving: tuple[str, ...] = ()
    # a tripod reads 0–20 px/s here (belt texture, noise); a slow pan is 100+ px/s
    if choice.camera_motion_px_s > 0.08 * max(info.width_px, info.height_px):
        moving = (
            f"the camera seems to move (the background shifts about "
            f"{choice.camera_motion_px_s:.0f} px/s): distances and the surface are unreliable;"
            " film from a tripod",
        )
    result = analyze_track(raw, options=opts, video_meta=meta, notes=notes, extra_warnings=moving)
    return result, raw, info
