"""Synthetic inputs shared by the report tests.

* :func:`write_clip`: a small H.264 clip (grey gradient with a moving bright bar) written
  with PyAV, 64 frames of 320x240 at 30 fps unless told otherwise.
* :func:`make_track`: a stick runner in the middle of that frame, legs swinging in
  anti-phase, every keypoint confident except the left wrist (faded).
* :func:`make_analysis`: a hand-built :class:`GaitAnalysis` with eight alternating steps
  (one excluded, with a reason), a withheld overstride (no scale), a ground line, cycle
  curves for both feet and a note carrying an HTML injection attempt.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from stridelab.gait.result import (
    CycleCurves,
    GaitAnalysis,
    MetricSummary,
    Scale,
    Step,
    VideoQuality,
)
from stridelab.video.keypoints import KEYPOINTS, PoseTrack, make_pose_track

N_FRAMES = 64
WIDTH_PX = 320
HEIGHT_PX = 240
FPS = 30
INJECTION = "<script>alert('x')</script>"


def write_clip(
    path: Path,
    *,
    n_frames: int = N_FRAMES,
    width_px: int = WIDTH_PX,
    height_px: int = HEIGHT_PX,
    fps: int = FPS,
) -> Path:
    import av

    ramp = np.linspace(60, 160, width_px, dtype=np.float64)
    base = np.broadcast_to(ramp[None, :, None], (height_px, width_px, 3)).astype(np.uint8)
    with av.open(str(path), mode="w") as oc:
        stream = oc.add_stream("libx264", rate=fps)
        stream.width = width_px
        stream.height = height_px
        stream.pix_fmt = "yuv420p"
        for i in range(n_frames):
            img = base.copy()
            x = (i * 4) % max(1, width_px - 10)
            img[:10, x : x + 10] = 230
            frame = av.VideoFrame.from_ndarray(img, format="rgb24")
            for packet in stream.encode(frame):
                oc.mux(packet)
        for packet in stream.encode(None):
            oc.mux(packet)
    return path


def make_track(
    *,
    n_frames: int = N_FRAMES,
    width_px: int = WIDTH_PX,
    height_px: int = HEIGHT_PX,
    fps: int = FPS,
) -> PoseTrack:
    """A stick runner centred in the frame; sizes scale with the frame height."""
    s = height_px / 240.0
    cx = width_px / 2.0
    t = np.arange(n_frames) / fps
    phase = 2 * np.pi * 1.5 * t
    xy = np.zeros((n_frames, len(KEYPOINTS), 2))

    def put(name: str, x: np.ndarray | float, y: np.ndarray | float) -> None:
        i = KEYPOINTS.index(name)
        xy[:, i, 0] = x
        xy[:, i, 1] = y

    put("nose", cx + 4 * s, 40 * s)
    for side, sign in (("left", 1.0), ("right", -1.0)):
        swing = sign * np.sin(phase)
        put(f"{side}_shoulder", cx + sign * 3 * s, 60 * s)
        put(f"{side}_elbow", cx - 15 * s * swing, 90 * s)
        put(f"{side}_wrist", cx - 20 * s * swing + 10 * s, 110 * s)
        put(f"{side}_hip", cx + sign * 2 * s, 120 * s)
        put(f"{side}_knee", cx + 25 * s * swing, 160 * s)
        put(f"{side}_ankle", cx + 35 * s * swing, 200 * s)
        put(f"{side}_heel", cx + 35 * s * swing - 6 * s, 206 * s)
        put(f"{side}_toe", cx + 35 * s * swing + 12 * s, 208 * s)
    conf = np.full((n_frames, len(KEYPOINTS)), 0.95)
    conf[:, KEYPOINTS.index("left_wrist")] = 0.3
    return make_pose_track(t, xy, conf, width_px=width_px, height_px=height_px, source="synthetic")


def make_steps(n_frames: int = N_FRAMES, fps: int = FPS) -> tuple[Step, ...]:
    steps = []
    period = n_frames // 8
    for k in range(8):
        ic = 2 + k * period
        to = min(n_frames - 1, ic + period // 2 + 1)
        foot = "left" if k % 2 == 0 else "right"
        excluded = k == 5
        steps.append(
            Step(
                index=k,
                foot=foot,  # type: ignore[arg-type]
                ic_time_s=ic / fps,
                to_time_s=to / fps,
                ic_frame=ic,
                to_frame=to,
                contact_time_ms=(to - ic) * 1000.0 / fps,
                step_time_ms=None if k == 0 else period * 1000.0 / fps,
                flight_time_ms=None if k == 0 else 40.0,
                confidence=0.4 if excluded else 0.9,
                foot_strike_angle_deg=8.0 + k,
                foot_strike="rearfoot",
                shank_angle_deg=5.0,
                overstride_pct_leg=12.0 + k,
                knee_flexion_ic_deg=15.0 + k,
                peak_knee_flexion_deg=44.0,
                hip_extension_to_deg=10.0,
                used=not excluded,
                excluded_reason="foot hidden behind the other leg" if excluded else None,
            )
        )
    return tuple(steps)


def make_analysis(
    n_frames: int = N_FRAMES, fps: int = FPS, height_px: int = HEIGHT_PX
) -> GaitAnalysis:
    steps = make_steps(n_frames, fps)
    pct = tuple(float(p) for p in range(101))
    knee = tuple(20 + 40 * np.sin(np.pi * p / 100) ** 2 for p in pct)
    curves = {
        "knee_flexion_deg": {"left": knee, "right": tuple(v + 2 for v in knee)},
        "hip_flexion_deg": {"left": tuple(30 - 0.4 * p for p in pct), "right": pct},
        "shank_angle_deg": {"left": pct, "right": pct},
        "foot_angle_deg": {"left": pct, "right": pct},
    }
    metrics = {
        "cadence_spm": MetricSummary(
            "cadence_spm", "spm", 172.4, "good", 7, 3.1, 171.0, 173.0, 1.2
        ),
        "contact_time_ms": MetricSummary(
            "contact_time_ms", "ms", 166.7, "good", 7, 10.0, 165.0, 168.0, 1.8
        ),
        "overstride_cm": MetricSummary(
            "overstride_cm",
            "cm",
            None,
            "withheld",
            reason="no scale: the runner's height is unknown",
        ),
        "overstride_pct_leg": MetricSummary(
            "overstride_pct_leg", "% leg", 14.0, "fair", 7, 2.0, reason="2D side view"
        ),
        "foot_strike": MetricSummary("foot_strike", "", "rearfoot", "good", 7),
        "knee_flexion_ic_deg": MetricSummary(
            "knee_flexion_ic_deg", "deg", 18.0, "good", 7, 2.0, 17.0, 19.0
        ),
        "peak_knee_flexion_deg": MetricSummary("peak_knee_flexion_deg", "deg", 44.0, "good", 7),
        "trunk_lean_deg": MetricSummary("trunk_lean_deg", "deg", 6.0, "good", 7),
    }
    return GaitAnalysis(
        video={"file": "clip.mp4", "width_px": 320, "height_px": 240, "stored_fps": 30.0},
        setup={
            "view": "side",
            "facing": "right",
            "surface": "treadmill",
            "ground_line": {"slope": 0.0, "intercept_px": 210.0 * height_px / 240.0},
        },
        scale=Scale(cm_per_px=None, source="none", detail="no height given"),
        quality=VideoQuality(
            frames_total=n_frames,
            frames_with_person=n_frames,
            foot_visible_fraction={"left": 0.9, "right": 0.95},
            swaps_corrected=1,
            n_steps_detected=8,
            n_steps_used=7,
            notes=(f"note with {INJECTION}",),
            warnings=("clip is short: 8 steps",),
        ),
        steps=steps,
        metrics=metrics,
        cycle=CycleCurves(
            percent=pct, curves=curves, toe_off_percent={"left": 38.0, "right": 39.5}
        ),
    )
