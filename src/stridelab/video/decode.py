"""Streaming, frame-accurate video decoding with PyAV.

:func:`probe_video` reads what a file declares (size, rotation, frame rates, duration)
plus a cheap scan of the first packets' timestamps; :func:`iter_frames` yields one
:class:`Frame` at a time (RGB, displayed orientation, real seconds) without ever
holding more than the decoder's own look-ahead in memory.

Time model
----------
A slow-motion phone clip is *stored* at, say, 30 fps but was *captured* at 240 fps:
one stored second is ``stored_fps / capture_fps`` real seconds (``time_scale``). Frame
times come from presentation timestamps (``pts × time_base``), measured from the first
decoded frame, multiplied by ``time_scale``. The capture rate comes from the caller,
else from container/stream metadata (Android ``com.android.capture.fps``, Apple
``com.apple.quicktime.capture-fps`` or any key naming a capture frame rate), else it
equals the stored rate.

Rotation
--------
Phone clips store the sensor image plus a display matrix. PyAV 18 exposes the matrix
per decoded frame (``VideoFrame.rotation``: counter-clockwise degrees in [-180, 180],
from ``av_display_rotation_get``; streams only have setters). :func:`probe_video`
decodes the first frame to read it; :func:`iter_frames` applies it with
:func:`rotate_image` so that images (and sizes in :class:`VideoInfo`) are as displayed.
Mirroring in the matrix is detected and reported in ``notes`` but not applied.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from stridelab.errors import InputError, VideoError

__all__ = [
    "MAX_CAPTURE_FPS",
    "MIN_CAPTURE_FPS",
    "MIN_DURATION_S",
    "MIN_FPS",
    "MIN_FRAMES",
    "MIN_SIZE_PX",
    "Frame",
    "VideoInfo",
    "check_video_usable",
    "iter_frames",
    "probe_video",
    "rotate_image",
]

logger = logging.getLogger(__name__)

#: Bounds of a believable capture rate (frames per real second).
MIN_CAPTURE_FPS = 1.0
MAX_CAPTURE_FPS = 2000.0
#: :func:`check_video_usable` thresholds.
MIN_DURATION_S = 1.5
MIN_FRAMES = 20
MIN_SIZE_PX = 64
MIN_FPS = 20.0

#: Number of packets whose timestamps :func:`probe_video` scans.
_SCAN_PACKETS = 120
#: Demuxers / codecs that FFmpeg happily opens but that are not camera video.
_NOT_VIDEO_FORMATS = frozenset({"tty", "image2", "lavfi", "webp_pipe"})
_NOT_VIDEO_CODECS = frozenset({"ansi", "bintext", "xbin", "idf", "text"})
_STILL_IMAGE_CODECS = frozenset(
    {"png", "mjpeg", "bmp", "tiff", "webp", "gif", "jpeg2000", "jpegls", "qoi", "ppm"}
)
_SUPPORTED_HINT = "a video file such as MP4/MOV (H.264, HEVC), WebM/MKV (VP8, VP9, AV1) or AVI"


@dataclass(frozen=True)
class VideoInfo:
    """What a video file declares, corrected for rotation and slow motion.

    Attributes
    ----------
    path : the file.
    container, codec : FFmpeg demuxer and decoder names (``"mov,mp4,m4a,3gp,3g2,mj2"``,
        ``"h264"``…).
    width_px, height_px : displayed frame size (after the rotation metadata).
    coded_width_px, coded_height_px : size of the stored (decoded) picture.
    rotation_deg : counter-clockwise display rotation applied to frames (0/90/180/270).
    stored_fps : average frame rate the file declares (or measured from timestamps).
    capture_fps : real capture rate (slow motion), see ``capture_fps_source``.
    capture_fps_source : ``"user"`` (given by the caller), ``"metadata"`` (read from a
        capture-rate tag) or ``"file"`` (= ``stored_fps``).
    time_scale : real seconds per stored second, ``stored_fps / capture_fps``.
    n_frames : number of frames the file declares, else estimated from the duration.
    duration_s : duration in real seconds (None if unknown).
    variable_frame_rate : True when the first ~120 frame intervals differ by more than
        10 % (and two timestamp ticks) from their median.
    notes : human-readable remarks (fallbacks used, mirror not applied…).
    """

    path: Path
    container: str
    codec: str
    width_px: int
    height_px: int
    coded_width_px: int
    coded_height_px: int
    rotation_deg: int
    stored_fps: float
    capture_fps: float
    capture_fps_source: Literal["file", "metadata", "user"]
    time_scale: float
    n_frames: int | None
    duration_s: float | None
    variable_frame_rate: bool
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Frame:
    """One decoded frame.

    Attributes
    ----------
    index : 0-based position in the order decoders return frames.
    time_s : real seconds since the first frame (presentation timestamps × time_scale).
    image : (H, W, 3) uint8 RGB in displayed orientation.
    """

    index: int
    time_s: float
    image: NDArray[np.uint8]


# --------------------------------------------------------------------------- helpers


def rotate_image(image: NDArray[np.uint8], rotation_deg: int) -> NDArray[np.uint8]:
    """Rotate an (H, W, C) image counter-clockwise by a multiple of 90 degrees.

    Parameters
    ----------
    image : (H, W, ...) array.
    rotation_deg : counter-clockwise degrees, a multiple of 90 (any sign).

    Returns
    -------
    A C-contiguous array (the input itself when ``rotation_deg % 360 == 0``).
    """
    if rotation_deg % 90 != 0:
        raise InputError(f"rotation must be a multiple of 90 degrees, got {rotation_deg}")
    k = (rotation_deg // 90) % 4
    if k == 0:
        return image
    return np.ascontiguousarray(np.rot90(image, k=k))


def _validate_capture_fps(capture_fps: float | None) -> float | None:
    if capture_fps is None:
        return None
    try:
        value = float(capture_fps)
    except (TypeError, ValueError):
        raise InputError(f"capture fps must be a number, got {capture_fps!r}") from None
    if not math.isfinite(value) or not MIN_CAPTURE_FPS <= value <= MAX_CAPTURE_FPS:
        raise InputError(
            f"capture fps must be between {MIN_CAPTURE_FPS:g} and {MAX_CAPTURE_FPS:g} frames "
            f"per second, got {capture_fps!r}; pass the camera's real recording rate "
            "(e.g. 240 for a 240 fps slow-motion clip)"
        )
    return value


def _check_path(path: str | Path) -> Path:
    p = Path(path)
    if not p.exists():
        raise VideoError(f"video file not found: {p}; check the path")
    if not p.is_file():
        raise VideoError(f"expected a video file, found a directory or special file: {p}")
    if p.stat().st_size == 0:
        raise VideoError(f"video file is empty (0 bytes): {p}; copy the clip again")
    return p


def _open(path: Path) -> Any:
    """Open ``path`` with PyAV, turning FFmpeg errors into :class:`VideoError`."""
    import av  # imported lazily: PyAV is an optional dependency

    try:
        return av.open(str(path), metadata_errors="replace")
    except av.error.FFmpegError as exc:
        raise VideoError(
            f"cannot read {path.name} as a video ({exc.strerror or exc}); expected "
            f"{_SUPPORTED_HINT}. If it is a video, it may be truncated or damaged: "
            "copy it again from the camera"
        ) from None


def _video_stream(container: Any, path: Path) -> Any:
    import av

    fmt = container.format.name
    kinds = sorted({s.type for s in container.streams})
    videos = [
        s
        for s in container.streams.video
        if not (s.disposition & av.stream.Disposition.attached_pic)
    ]
    if not videos:
        found = ", ".join(kinds) if kinds else "no streams at all"
        what = "an audio-only file" if kinds == ["audio"] else f"a file with {found}"
        raise VideoError(
            f"{path.name} holds no video stream (found {what}); expected {_SUPPORTED_HINT}"
        )
    stream = videos[0]
    codec = stream.codec_context.name
    if fmt in _NOT_VIDEO_FORMATS or codec in _NOT_VIDEO_CODECS:
        raise VideoError(
            f"{path.name} is not a video (FFmpeg sees format {fmt!r}, codec {codec!r}); "
            f"expected {_SUPPORTED_HINT}"
        )
    if fmt.endswith("_pipe") or (codec in _STILL_IMAGE_CODECS and stream.frames <= 1):
        raise VideoError(
            f"{path.name} is a still image ({codec}), not a video; record a clip of at "
            "least a few seconds instead"
        )
    return stream


def _positive(rate: Fraction | None) -> float | None:
    if rate is None or rate <= 0:
        return None
    return float(rate)


def _metadata_capture_fps(*dicts: Any) -> tuple[float | None, str | None]:
    """Find a capture-rate tag (e.g. ``com.android.capture.fps``) in metadata dicts."""
    for md in dicts:
        for key, raw in dict(md).items():
            k = key.lower()
            if "capture" in k and ("fps" in k or "framerate" in k or "frame-rate" in k):
                try:
                    value = float(str(raw).strip())
                except ValueError:
                    continue
                if math.isfinite(value) and MIN_CAPTURE_FPS <= value <= MAX_CAPTURE_FPS:
                    return value, key
    return None, None


def _rotation_of(frame: Any) -> tuple[int, list[str]]:
    """Counter-clockwise display rotation (0/90/180/270) of a decoded frame, with notes."""
    notes: list[str] = []
    raw = int(frame.rotation)
    rot = round(raw / 90.0) * 90 % 360
    if abs(((raw - rot) + 180) % 360 - 180) > 1:
        notes.append(f"display rotation of {raw}° is not a multiple of 90°; using {rot}°")
    try:
        sd = frame.side_data.get("DISPLAYMATRIX")
    except (KeyError, ValueError, TypeError):  # pragma: no cover - PyAV API variations
        sd = None
    if sd is not None:
        m = np.frombuffer(bytes(sd), dtype="<i4")
        if m.size >= 5 and int(m[0]) * int(m[4]) - int(m[1]) * int(m[3]) < 0:
            notes.append("the display matrix mirrors the image; mirroring is not applied")
    return rot, notes


def _scan_timestamps(
    container: Any, stream: Any
) -> tuple[list[int], int | None, list[str], Any | None]:
    """Demux the first packets: their pts, the first frame's rotation, notes, first frame.

    Decodes (single-threaded) only until the first frame comes out.
    """
    import av

    pts: list[int] = []
    rotation: int | None = None
    notes: list[str] = []
    first = None
    n = 0
    try:
        for packet in container.demux(stream):
            if packet.pts is not None and packet.size > 0:
                pts.append(int(packet.pts))
            if first is None:
                try:
                    frames = stream.decode(packet)
                except av.error.FFmpegError:
                    frames = []
                if frames:
                    first = frames[0]
                    rotation, notes = _rotation_of(first)
            n += 1
            if n >= _SCAN_PACKETS and first is not None:
                break
    except av.error.FFmpegError:
        pass  # damaged after a few packets: iter_frames will report it
    return pts, rotation, notes, first


def _frame_rate_from_pts(pts: list[int], time_base: Fraction) -> tuple[float | None, bool]:
    """Median rate and a variable-frame-rate flag from (unsorted) packet timestamps."""
    if len(pts) < 3 or time_base is None:
        return None, False
    ordered = np.unique(np.asarray(pts, dtype=np.int64))
    # the last few may have a neighbour beyond the scan window (B-frame reordering)
    if ordered.size > 8:
        ordered = ordered[:-4]
    d = np.diff(ordered).astype(np.float64)
    if d.size == 0:
        return None, False
    med = float(np.median(d))
    if med <= 0:
        return None, False
    tol = max(0.1 * med, 2.0)
    vfr = bool(np.any(np.abs(d - med) > tol))
    return 1.0 / (med * float(time_base)), vfr


# --------------------------------------------------------------------------- public API


def probe_video(path: str | Path, *, capture_fps: float | None = None) -> VideoInfo:
    """Describe a video without decoding more than its first frame.

    Parameters
    ----------
    path : the video file.
    capture_fps : real capture rate in frames per second when the clip is slow motion
        and the file does not say so (e.g. 240); overrides metadata.

    Returns
    -------
    VideoInfo

    Raises
    ------
    InputError
        ``capture_fps`` is outside [1, 2000].
    VideoError
        Missing, empty, not a video (text, FIT, still image, audio only), undecodable,
        or no frame rate and no timestamps to measure one (pass ``capture_fps``).
    """
    user_fps = _validate_capture_fps(capture_fps)
    p = _check_path(path)
    container = _open(p)
    try:
        stream = _video_stream(container, p)
        cc = stream.codec_context
        codec = str(cc.name)
        coded_w, coded_h = int(cc.width), int(cc.height)
        time_base: Fraction | None = stream.time_base
        notes: list[str] = []

        pts, rotation, rot_notes, first = _scan_timestamps(container, stream)
        notes.extend(rot_notes)
        if first is None:
            raise VideoError(
                f"no frame of {p.name} could be decoded (codec {codec}); the file is damaged "
                "or truncated: copy it again from the camera"
            )
        if coded_w <= 0 or coded_h <= 0:
            coded_w, coded_h = int(first.width), int(first.height)
        rotation = rotation or 0

        pts_fps, vfr = _frame_rate_from_pts(pts, time_base) if time_base else (None, False)
        declared = _positive(stream.average_rate) or _positive(stream.guessed_rate)
        if declared is not None:
            stored_fps = declared
        elif pts_fps is not None:
            stored_fps = pts_fps
            notes.append(f"no frame rate declared; measured {pts_fps:.3f} fps from timestamps")
        elif user_fps is not None:
            stored_fps = user_fps
            notes.append("no frame rate and no timestamps; using the given capture fps")
        else:
            raise VideoError(
                f"{p.name} declares no frame rate and its frames carry no timestamps, so "
                "frame times are unknown; pass the recording rate with --capture-fps "
                "(capture_fps=...)"
            )
        if vfr:
            notes.append("variable frame rate: frame times follow the timestamps")

        meta_fps, meta_key = _metadata_capture_fps(container.metadata, stream.metadata)
        source: Literal["file", "metadata", "user"]
        if user_fps is not None:
            cap, source = user_fps, "user"
            if meta_fps is not None and abs(meta_fps - user_fps) > 0.01 * user_fps:
                notes.append(f"capture fps {user_fps:g} given overrides {meta_key}={meta_fps:g}")
        elif meta_fps is not None:
            cap, source = meta_fps, "metadata"
            notes.append(f"capture fps {meta_fps:g} read from metadata key {meta_key!r}")
        else:
            cap, source = stored_fps, "file"
        time_scale = stored_fps / cap

        stored_duration: float | None = None
        if stream.duration is not None and time_base is not None and stream.duration > 0:
            stored_duration = float(stream.duration * time_base)
        elif container.duration is not None and container.duration > 0:
            stored_duration = container.duration / 1_000_000.0  # AV_TIME_BASE
        n_frames: int | None = int(stream.frames) if stream.frames and stream.frames > 0 else None
        if n_frames is None and stored_duration is not None:
            n_frames = round(stored_duration * stored_fps)
            notes.append("frame count estimated from duration × frame rate")
        duration_s = None if stored_duration is None else stored_duration * time_scale

        if rotation in (90, 270):
            width, height = coded_h, coded_w
        else:
            width, height = coded_w, coded_h
        return VideoInfo(
            path=p,
            container=str(container.format.name),
            codec=codec,
            width_px=width,
            height_px=height,
            coded_width_px=coded_w,
            coded_height_px=coded_h,
            rotation_deg=rotation,
            stored_fps=stored_fps,
            capture_fps=cap,
            capture_fps_source=source,
            time_scale=time_scale,
            n_frames=n_frames,
            duration_s=duration_s,
            variable_frame_rate=vfr,
            notes=tuple(notes),
        )
    finally:
        container.close()


def _with_capture_fps(info: VideoInfo, capture_fps: float) -> VideoInfo:
    """``info`` re-timed for a caller-given capture rate."""
    stored_duration = None if info.duration_s is None else info.duration_s * (1 / info.time_scale)
    time_scale = info.stored_fps / capture_fps
    return replace(
        info,
        capture_fps=capture_fps,
        capture_fps_source="user",
        time_scale=time_scale,
        duration_s=None if stored_duration is None else stored_duration * time_scale,
    )


def iter_frames(
    path_or_info: str | Path | VideoInfo,
    *,
    capture_fps: float | None = None,
    max_frames: int | None = None,
    step: int = 1,
    start: int = 0,
) -> Iterator[Frame]:
    """Decode a video frame by frame (streaming; PyAV codec threading on).

    Parameters
    ----------
    path_or_info : a path (probed first) or the :class:`VideoInfo` of a previous probe.
    capture_fps : real capture rate for slow-motion clips (overrides the info's).
    max_frames : stop after yielding this many frames.
    step : yield every ``step``-th decoded frame (indices 0, step, 2·step…); skipped
        frames are decoded (codecs need them) but not converted to RGB.
    start : first frame index to yield (earlier frames are decoded, not converted);
        times stay relative to the file's first frame.

    Yields
    ------
    Frame
        RGB uint8 image in displayed orientation, time in real seconds.

    Raises
    ------
    InputError
        Bad ``step``/``max_frames``/``capture_fps``.
    VideoError
        The file cannot be opened, or is damaged before any frame could be decoded. A
        file damaged later (e.g. truncated) ends the iteration at the damage with a
        logged warning.
    """
    if isinstance(step, bool) or not isinstance(step, int) or step < 1:
        raise InputError(f"step must be a positive integer, got {step!r}")
    if max_frames is not None and (
        isinstance(max_frames, bool) or not isinstance(max_frames, int) or max_frames < 0
    ):
        raise InputError(f"max_frames must be a non-negative integer or None, got {max_frames!r}")
    user_fps = _validate_capture_fps(capture_fps)
    if isinstance(path_or_info, VideoInfo):
        info = path_or_info
        if user_fps is not None:
            info = _with_capture_fps(info, user_fps)
    else:
        info = probe_video(path_or_info, capture_fps=user_fps)
    if isinstance(start, bool) or not isinstance(start, int) or start < 0:
        raise InputError(f"start must be a non-negative integer, got {start!r}")
    _check_path(info.path)
    return _generate(info, max_frames=max_frames, step=step, start=start)


def _generate(
    info: VideoInfo, *, max_frames: int | None, step: int, start: int = 0
) -> Iterator[Frame]:
    import av

    if max_frames == 0:
        return
    container = _open(info.path)
    try:
        stream = _video_stream(container, info.path)
        stream.thread_type = "AUTO"
        tb = float(stream.time_base) if stream.time_base else None
        nominal_dt = 1.0 / info.stored_fps
        declared = int(stream.frames or 0)
        index = 0
        yielded = 0
        first_pts: int | None = None
        last_stored_t = -math.inf

        damage: Exception | None = None
        packets = container.demux(stream)
        while True:
            try:
                packet = next(packets)
                decoded = stream.decode(packet)
            except StopIteration:
                break
            except av.error.FFmpegError as exc:
                damage = exc
                try:
                    decoded = stream.decode(None)  # flush what the decoder still holds
                except av.error.FFmpegError:
                    decoded = []
            for vf in decoded:
                i = index
                index += 1
                # stored seconds from the first frame: pts when usable, else extrapolate
                if vf.pts is not None and tb is not None:
                    if first_pts is None:
                        first_pts = int(vf.pts)
                    stored_t = (int(vf.pts) - first_pts) * tb
                else:
                    stored_t = i * nominal_dt
                if stored_t <= last_stored_t:
                    stored_t = last_stored_t + nominal_dt
                last_stored_t = stored_t
                if i < start or (i - start) % step:
                    continue
                image = vf.to_ndarray(format="rgb24")
                yield Frame(
                    index=i,
                    time_s=stored_t * info.time_scale,
                    image=rotate_image(image, info.rotation_deg),
                )
                yielded += 1
                if max_frames is not None and yielded >= max_frames:
                    return
            if damage is not None:
                break
        if damage is not None:
            if index == 0:
                raise VideoError(
                    f"{info.path.name} is damaged: no frame could be decoded "
                    f"({getattr(damage, 'strerror', None) or damage}); copy it again "
                    "from the camera"
                )
            logger.warning(
                "%s is damaged or truncated: decoding stopped after %d of %s frames (%s)",
                info.path.name,
                index,
                info.n_frames if info.n_frames is not None else "?",
                getattr(damage, "strerror", None) or damage,
            )
        elif index == 0:
            raise VideoError(
                f"{info.path.name} is damaged or truncated: no frame could be decoded; copy "
                "it again from the camera"
            )
        elif max_frames is None and 0 < index < declared:
            logger.warning(
                "%s is truncated or damaged: its header declares %d frames but decoding "
                "ended after %d",
                info.path.name,
                declared,
                index,
            )
    finally:
        container.close()


def check_video_usable(info: VideoInfo) -> None:
    """Raise :class:`VideoError` when a clip is too short, too small or too slow to analyse.

    Checks (module constants): at least :data:`MIN_DURATION_S` real seconds and
    :data:`MIN_FRAMES` frames, both sides at least :data:`MIN_SIZE_PX` pixels, and a
    capture rate of at least :data:`MIN_FPS`. Unknown duration/frame count pass.
    """
    problems: list[str] = []
    if info.duration_s is not None and info.duration_s < MIN_DURATION_S:
        extra = " (slow motion: real time is shorter than playback)" if info.time_scale < 1 else ""
        problems.append(
            f"it lasts {info.duration_s:.2f} s of real time{extra}, at least "
            f"{MIN_DURATION_S:g} s are needed: record a few strides more"
        )
    if info.n_frames is not None and info.n_frames < MIN_FRAMES:
        problems.append(
            f"it has {info.n_frames} frames, at least {MIN_FRAMES} are needed: record a longer clip"
        )
    if min(info.width_px, info.height_px) < MIN_SIZE_PX:
        problems.append(
            f"its frames are {info.width_px}x{info.height_px} px, at least {MIN_SIZE_PX} px "
            "on each side are needed: record at a normal resolution"
        )
    if info.capture_fps < MIN_FPS:
        problems.append(
            f"its capture rate is {info.capture_fps:.3g} fps, at least {MIN_FPS:g} fps are "
            "needed to time foot contacts; if this is slow motion pass --capture-fps"
        )
    if problems:
        raise VideoError(f"{info.path.name} cannot be analysed: " + "; ".join(problems))
