"""The annotated video: the runner's clip with skeleton, foot contacts and live metrics.

:func:`write_annotated_video` streams the source clip frame by frame (never the whole
clip in memory), draws on each frame with OpenCV and encodes H.264 (``libx264``,
``yuv420p``, even size, long side at most 1280 px, ``+faststart``) so the file plays in
any browser. The drawing helpers (:func:`draw_skeleton`) are reused for the report's
snapshots.

Output frame rate
-----------------
Every decoded frame becomes one output frame, written at the clip's *stored* frame
rate. A normal clip (stored rate = capture rate) therefore plays in real time; a
slow-motion clip (e.g. captured at 240 fps, stored at 30 fps) keeps its stored rate and
plays slowly, as on the phone, so the contacts stay visible. The on-screen clock always
shows real seconds.
"""

from __future__ import annotations

import bisect
import logging
import math
import os
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from stridelab.errors import VideoError
from stridelab.gait.result import GaitAnalysis, Step
from stridelab.video.keypoints import KEYPOINTS, PoseTrack

__all__ = [
    "LEFT_COLOUR_RGB",
    "MAX_LONG_SIDE_PX",
    "RIGHT_COLOUR_RGB",
    "draw_skeleton",
    "output_size",
    "write_annotated_video",
]

logger = logging.getLogger(__name__)

#: Longest side of the annotated video (pixels); larger clips are scaled down.
MAX_LONG_SIDE_PX = 1280
#: Skeleton colours (RGB): left side blue, right side orange, midline light grey.
LEFT_COLOUR_RGB: tuple[int, int, int] = (40, 160, 255)
RIGHT_COLOUR_RGB: tuple[int, int, int] = (255, 120, 30)
MID_COLOUR_RGB: tuple[int, int, int] = (220, 220, 220)
GROUND_COLOUR_RGB: tuple[int, int, int] = (80, 220, 120)
#: Keypoints below this confidence are not drawn.
MIN_CONFIDENCE = 0.15
#: How long (seconds of playback) the "IC"/"TO" label stays on screen.
EVENT_FLASH_S = 0.3
#: Encoder settings: visually clean, fast, small.
X264_OPTIONS = {"crf": "23", "preset": "veryfast"}


def _k(name: str) -> int:
    return KEYPOINTS.index(name)


#: Skeleton segments as (keypoint a, keypoint b, side) with side "left"/"right"/"mid".
SEGMENTS: tuple[tuple[int, int, str], ...] = tuple(
    (_k(a), _k(b), side)
    for a, b, side in (
        ("left_shoulder", "right_shoulder", "mid"),
        ("left_hip", "right_hip", "mid"),
        *(
            (f"{s}_{a}", f"{s}_{b}", s)
            for s in ("left", "right")
            for a, b in (
                ("shoulder", "elbow"),
                ("elbow", "wrist"),
                ("shoulder", "hip"),
                ("hip", "knee"),
                ("knee", "ankle"),
                ("ankle", "heel"),
                ("heel", "toe"),
                ("ankle", "toe"),
            )
        ),
    )
)

_SIDE_COLOUR = {"left": LEFT_COLOUR_RGB, "right": RIGHT_COLOUR_RGB, "mid": MID_COLOUR_RGB}


def _cv2() -> Any:
    import cv2

    return cv2


def output_size(width_px: int, height_px: int) -> tuple[float, int, int]:
    """Scale factor and padded even output size for a frame of the given size.

    Returns
    -------
    (scale, out_width_px, out_height_px)
        The frame is resized by ``scale`` (at most 1, long side at most
        :data:`MAX_LONG_SIDE_PX`) and padded by at most one pixel on the right/bottom to
        even dimensions (``yuv420p`` needs them).
    """
    scale = min(1.0, MAX_LONG_SIDE_PX / max(width_px, height_px))
    w = max(2, round(width_px * scale))
    h = max(2, round(height_px * scale))
    return scale, w + (w % 2), h + (h % 2)


def _ascii(text: str) -> str:
    """OpenCV's Hershey fonts draw ASCII only."""
    return text.replace("°", " deg").encode("ascii", "replace").decode("ascii")


def _blend_draw(
    image: NDArray[np.uint8], alpha: float, draw: Callable[[NDArray[np.uint8]], None]
) -> None:
    """Draw onto ``image`` with opacity ``alpha`` (in place)."""
    if alpha >= 0.99:
        draw(image)
        return
    overlay = image.copy()
    draw(overlay)
    cv2 = _cv2()
    cv2.addWeighted(overlay, alpha, image, 1.0 - alpha, 0.0, dst=image)


def draw_skeleton(
    image: NDArray[np.uint8],
    xy_px: NDArray[np.floating],
    confidence: NDArray[np.floating],
    *,
    scale: float = 1.0,
    thickness_px: int | None = None,
) -> None:
    """Draw one pose on an RGB image, in place.

    Left side in :data:`LEFT_COLOUR_RGB`, right side in :data:`RIGHT_COLOUR_RGB`; each
    segment is faded by the lower confidence of its two ends (three opacity levels) and
    segments below :data:`MIN_CONFIDENCE` are left out.

    Parameters
    ----------
    image : (H, W, 3) uint8 RGB, modified in place.
    xy_px : (K, 2) keypoints in source-image pixels (NaN where missing).
    confidence : (K,) in [0, 1].
    scale : factor from source-image pixels to ``image`` pixels.
    thickness_px : line width; default from the image size.
    """
    cv2 = _cv2()
    h, w = image.shape[:2]
    lw = thickness_px or max(2, round(max(h, w) / 320))
    pts = np.rint(np.asarray(xy_px, dtype=np.float64) * scale)
    conf = np.nan_to_num(np.asarray(confidence, dtype=np.float64), nan=0.0)
    ok = np.isfinite(pts).all(axis=1) & (conf >= MIN_CONFIDENCE)
    levels: dict[float, list[tuple[tuple[int, int], tuple[int, int], tuple[int, int, int]]]] = {
        1.0: [],
        0.65: [],
        0.35: [],
    }
    for a, b, side in SEGMENTS:
        if not (ok[a] and ok[b]):
            continue
        c = min(conf[a], conf[b])
        alpha = 1.0 if c >= 0.7 else (0.65 if c >= 0.4 else 0.35)
        pa = (int(pts[a, 0]), int(pts[a, 1]))
        pb = (int(pts[b, 0]), int(pts[b, 1]))
        levels[alpha].append((pa, pb, _SIDE_COLOUR[side]))
    joints = [
        (
            (int(pts[i, 0]), int(pts[i, 1])),
            _SIDE_COLOUR[
                "left"
                if name.startswith("left")
                else "right"
                if name.startswith("right")
                else "mid"
            ],
            1.0 if conf[i] >= 0.7 else (0.65 if conf[i] >= 0.4 else 0.35),
        )
        for i, name in enumerate(KEYPOINTS)
        if ok[i]
    ]
    for alpha, segs in levels.items():
        dots = [(p, col) for p, col, a in joints if a == alpha]
        if not segs and not dots:
            continue

        def _draw(
            img: NDArray[np.uint8],
            segs: Sequence[Any] = segs,
            dots: Sequence[Any] = dots,
        ) -> None:
            for pa, pb, col in segs:
                cv2.line(img, pa, pb, col, lw, cv2.LINE_AA)
            for p, col in dots:
                cv2.circle(img, p, lw + 1, col, -1, cv2.LINE_AA)

        _blend_draw(image, alpha, _draw)


@dataclass(frozen=True)
class _Overlay:
    """What the annotator knows about the analysis, indexed for per-frame look-ups."""

    steps: tuple[Step, ...]  # sorted by ic_frame
    ic_frames: tuple[int, ...]
    ground_line: tuple[float, float] | None  # slope, intercept_px
    flash_frames: int
    overstride_unit: str


def _overlay(analysis: GaitAnalysis, flash_frames: int) -> _Overlay:
    steps = tuple(sorted(analysis.steps, key=lambda s: (s.ic_frame, s.foot)))
    gl = analysis.setup.get("ground_line") if isinstance(analysis.setup, dict) else None
    ground: tuple[float, float] | None = None
    if isinstance(gl, dict):
        try:
            slope, intercept = float(gl["slope"]), float(gl["intercept_px"])
        except (KeyError, TypeError, ValueError):
            logger.warning("ignoring malformed ground_line %r", gl)
        else:
            if math.isfinite(slope) and math.isfinite(intercept):
                ground = (slope, intercept)
    unit = "cm" if any(s.overstride_cm is not None for s in steps) else "% leg"
    return _Overlay(
        steps=steps,
        ic_frames=tuple(s.ic_frame for s in steps),
        ground_line=ground,
        flash_frames=flash_frames,
        overstride_unit=unit,
    )


def _fmt(value: float | None, spec: str, unit: str = "") -> str:
    if value is None or not math.isfinite(value):
        return "-"
    return f"{value:{spec}}{unit}"


def _running_cadence_spm(steps: Sequence[Step]) -> float | None:
    """Steps per minute from the initial contacts seen so far (last 10 at most)."""
    times = sorted(s.ic_time_s for s in steps)[-10:]
    if len(times) < 3 or times[-1] <= times[0]:
        return None
    return 60.0 * (len(times) - 1) / (times[-1] - times[0])


def _foot_point(
    xy: NDArray[np.float64], conf: NDArray[np.float64], foot: str
) -> tuple[float, float] | None:
    """Point just under the foot: mean x of heel/toe/ankle, lowest y (y-down)."""
    idx = [_k(f"{foot}_{p}") for p in ("heel", "toe", "ankle")]
    pts = xy[idx]
    good = np.isfinite(pts).all(axis=1) & (conf[idx] >= MIN_CONFIDENCE)
    if not good.any():
        return None
    return float(pts[good, 0].mean()), float(pts[good, 1].max())


def _draw_frame(
    image: NDArray[np.uint8],
    *,
    frame_index: int,
    time_s: float,
    pose: tuple[NDArray[np.float64], NDArray[np.float64]] | None,
    overlay: _Overlay,
    scale: float,
    src_width_px: int,
) -> None:
    """All annotations for one frame, drawn in place on the scaled RGB image."""
    cv2 = _cv2()
    h, w = image.shape[:2]
    unit = max(h, w) / 720.0
    lw = max(1, round(2 * unit))
    font = cv2.FONT_HERSHEY_SIMPLEX
    fs = max(0.35, 0.55 * unit)
    th = max(1, round(1.4 * unit))
    line_h = round(24 * unit) + 2

    if overlay.ground_line is not None:
        slope, intercept = overlay.ground_line
        x0, x1 = 0.0, float(src_width_px)
        p0 = (0, round((slope * x0 + intercept) * scale))
        p1 = (round(x1 * scale), round((slope * x1 + intercept) * scale))
        cv2.line(image, p0, p1, GROUND_COLOUR_RGB, lw, cv2.LINE_AA)

    # Steps started so far and those in stance now.
    n_started = bisect.bisect_right(overlay.ic_frames, frame_index)
    started = overlay.steps[:n_started]
    in_stance = [s for s in started if s.to_frame >= frame_index]

    if pose is not None:
        xy, conf = pose
        draw_skeleton(image, xy, conf, scale=scale)
        for s in in_stance:
            p = _foot_point(xy, conf, s.foot)
            if p is None:
                continue
            col = LEFT_COLOUR_RGB if s.foot == "left" else RIGHT_COLOUR_RGB
            centre = (round(p[0] * scale), round(p[1] * scale + 6 * unit))
            radius = max(4, round(9 * unit))
            cv2.circle(image, centre, radius, col, -1, cv2.LINE_AA)
            cv2.circle(image, centre, radius, (255, 255, 255), max(1, lw // 2), cv2.LINE_AA)
    # Event flashes (IC at contact, TO at toe-off), placed by the foot when visible.
    n_flash = 0
    for s in started[-6:]:
        for label, event_frame in (("IC", s.ic_frame), ("TO", s.to_frame)):
            if not (0 <= frame_index - event_frame < overlay.flash_frames):
                continue
            p = _foot_point(*pose, s.foot) if pose is not None else None
            lift = round(n_flash * 1.4 * line_h)  # stack labels that flash together
            n_flash += 1
            if p is None:
                org = (w // 2, h - line_h - lift)
            else:
                org = (round(p[0] * scale + 14 * unit), round(p[1] * scale - 14 * unit) - lift)
            col = LEFT_COLOUR_RGB if s.foot == "left" else RIGHT_COLOUR_RGB
            text = f"{label} {s.foot[0].upper()}"
            cv2.putText(image, text, org, font, fs * 1.3, (0, 0, 0), th + 3, cv2.LINE_AA)
            cv2.putText(image, text, org, font, fs * 1.3, col, th + 1, cv2.LINE_AA)

    # Live metrics panel (top left).
    last = started[-1] if started else None
    current = in_stance[-1] if in_stance else None
    cadence = _running_cadence_spm(started)
    if overlay.overstride_unit == "cm":
        over = _fmt(last.overstride_cm if last else None, ".1f", " cm")
    else:
        over = _fmt(last.overstride_pct_leg if last else None, ".0f", " % leg")
    lines = [
        f"t {time_s:7.3f} s   frame {frame_index}",
        (
            f"contact ({current.foot}) {_fmt(current.contact_time_ms, '.0f', ' ms')}"
            if current
            else f"last contact {_fmt(last.contact_time_ms if last else None, '.0f', ' ms')}"
        ),
        f"cadence {_fmt(cadence, '.0f', ' spm')}",
        f"overstride {over}",
        f"foot strike {_ascii(last.foot_strike) if last and last.foot_strike else '-'}",
        f"knee at IC {_fmt(last.knee_flexion_ic_deg if last else None, '.0f', ' deg')}",
    ]
    pad = round(8 * unit)
    panel_w = max(cv2.getTextSize(text, font, fs, th)[0][0] for text in lines) + 2 * pad
    panel_h = line_h * len(lines) + pad
    x2, y2 = min(w - 1, pad + panel_w), min(h - 1, pad + panel_h)
    roi = image[pad:y2, pad:x2]
    roi[:] = (roi.astype(np.uint16) * 2 // 5).astype(np.uint8)  # darken to 40 %
    for i, text in enumerate(lines):
        org = (2 * pad, pad + line_h * (i + 1) - round(6 * unit))
        cv2.putText(image, text, org, font, fs, (255, 255, 255), th, cv2.LINE_AA)
    # Legend (bottom left).
    y = h - pad - round(4 * unit)
    for name, col in (("right", RIGHT_COLOUR_RGB), ("left", LEFT_COLOUR_RGB)):
        cv2.line(image, (pad, y - line_h // 3), (pad + round(22 * unit), y - line_h // 3), col, lw)
        cv2.putText(image, name, (pad + round(28 * unit), y), font, fs, (0, 0, 0), th + 2)
        cv2.putText(image, name, (pad + round(28 * unit), y), font, fs, col, th, cv2.LINE_AA)
        y -= line_h


def _pose_lookup(track: PoseTrack) -> Callable[[int], int | None]:
    """Row of the track for a decoder frame number (nearest row within half a stride)."""
    fi = np.asarray(track.frame_index, dtype=np.int64)
    order = np.argsort(fi, kind="stable")
    sorted_fi = fi[order]
    stride = int(np.median(np.diff(sorted_fi))) if sorted_fi.size > 1 else 1
    tolerance = max(0, stride // 2)

    def lookup(frame_index: int) -> int | None:
        if sorted_fi.size == 0:
            return None
        j = int(np.searchsorted(sorted_fi, frame_index))
        best: int | None = None
        for cand in (j - 1, j):
            if 0 <= cand < sorted_fi.size:
                d = abs(int(sorted_fi[cand]) - frame_index)
                if d <= tolerance and (best is None or d < abs(int(sorted_fi[best]) - frame_index)):
                    best = cand
        return None if best is None else int(order[best])

    return lookup


def write_annotated_video(
    video_path: str | os.PathLike[str],
    track: PoseTrack,
    analysis: GaitAnalysis,
    out_path: str | os.PathLike[str],
    *,
    capture_fps: float | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Write the clip with skeleton, foot contacts and live metrics as a browser-ready MP4.

    Parameters
    ----------
    video_path : the source clip (any format the decoder reads).
    track : the runner's pose in displayed-frame pixels; rows are matched to frames by
        ``track.frame_index`` (nearest row within half the track's frame stride).
    analysis : the gait analysis whose steps, metrics and ``setup["ground_line"]``
        (``slope``, ``intercept_px``: y = slope·x + intercept in image pixels, optional)
        are drawn.
    out_path : the MP4 to write. It is written to a temporary file in the same folder
        and renamed at the end, so a half-written file never appears under this name.
    capture_fps : the real capture rate of a slow-motion clip when the file does not
        say it (passed to the decoder; only affects the real-seconds clock).
    progress : called as ``progress(frames_done, frames_total)`` after each frame
        (``frames_total`` is the decoder's estimate and may be off by a few frames).

    Returns
    -------
    Path
        ``out_path``.

    Notes
    -----
    H.264 (``libx264``, CRF 23, ``veryfast``), ``yuv420p``, even size, long side at most
    :data:`MAX_LONG_SIDE_PX` px, ``movflags=faststart``. One output frame per decoded
    frame at the clip's *stored* frame rate: real-time playback for normal clips; a
    slow-motion clip keeps its stored rate and plays slowly.

    Raises
    ------
    VideoError
        The clip cannot be decoded or holds no frames.
    """
    import av

    from stridelab.video.decode import iter_frames, probe_video

    out = Path(out_path)
    info = probe_video(Path(video_path), capture_fps=capture_fps)
    stored_fps = float(info.stored_fps)
    if not (math.isfinite(stored_fps) and stored_fps > 0):
        stored_fps = 30.0
    rate = Fraction(stored_fps).limit_denominator(1001)
    total = int(getattr(info, "n_frames", 0) or 0)
    scale, out_w, out_h = output_size(int(info.width_px), int(info.height_px))
    flash = max(1, round(EVENT_FLASH_S * stored_fps))
    overlay = _overlay(analysis, flash)
    lookup = _pose_lookup(track)
    cv2 = _cv2()

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.stem}.{os.getpid()}.{uuid.uuid4().hex[:8]}.part.mp4")
    n_done = 0
    try:
        with av.open(str(tmp), mode="w", format="mp4", options={"movflags": "faststart"}) as oc:
            stream = oc.add_stream("libx264", rate=rate, options=dict(X264_OPTIONS))
            stream.width = out_w
            stream.height = out_h
            stream.pix_fmt = "yuv420p"
            time_base = Fraction(1, 1) / rate
            canvas = np.zeros((out_h, out_w, 3), dtype=np.uint8)
            for frame in iter_frames(info):
                src = frame.image
                sh, sw = src.shape[:2]
                if (sw, sh) != (int(info.width_px), int(info.height_px)):
                    # Size changed mid-stream (rare): fit this frame on its own.
                    fscale = min(out_w / sw, out_h / sh)
                else:
                    fscale = scale
                rw, rh = min(out_w, round(sw * fscale)), min(out_h, round(sh * fscale))
                if (rw, rh) != (sw, sh):
                    img = cv2.resize(src, (rw, rh), interpolation=cv2.INTER_LINEAR)
                else:
                    img = np.ascontiguousarray(src)
                if (rw, rh) != (out_w, out_h):
                    canvas[:] = 0
                    canvas[:rh, :rw] = img
                    img = canvas
                elif img is src:
                    img = img.copy()  # never draw on the decoder's buffer
                row = lookup(frame.index)
                pose = None if row is None else (track.xy_px[row], track.confidence[row])
                _draw_frame(
                    img,
                    frame_index=frame.index,
                    time_s=float(frame.time_s),
                    pose=pose,
                    overlay=overlay,
                    scale=fscale,
                    src_width_px=sw,
                )
                vf = av.VideoFrame.from_ndarray(img, format="rgb24").reformat(format="yuv420p")
                vf.pts = n_done
                vf.time_base = time_base
                for packet in stream.encode(vf):
                    oc.mux(packet)
                n_done += 1
                if progress is not None:
                    progress(n_done, max(total, n_done))
            for packet in stream.encode(None):
                oc.mux(packet)
        if n_done == 0:
            raise VideoError(f"{video_path}: no frames could be decoded")
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    logger.info("annotated video written: %s (%d frames, %dx%d)", out, n_done, out_w, out_h)
    return out
