"""Pose estimation: frames in, one person's keypoints out.

A :class:`PoseBackend` turns one RGB image into the canonical 17 keypoints (or
nothing). :class:`MediaPipePoseBackend` wraps BlazePose full from ``mediapipe==0.10.21``
(``mp.solutions.pose``; the model ships inside the wheel, nothing is downloaded).
Other models plug in by implementing the protocol; keypoints made by other tools come
in through :mod:`stridelab.video.formats` instead.

:func:`estimate_pose` runs a backend over a video on a region of interest that follows
the chosen person (see :mod:`stridelab.video.person`), with decoding in a second
thread so that decode and inference use both cores.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import queue
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from stridelab.errors import NoPersonError, VideoError
from stridelab.video.keypoints import KEYPOINTS, PoseTrack, make_pose_track

__all__ = [
    "BLAZEPOSE_INDEX",
    "Box",
    "MediaPipePoseBackend",
    "PoseBackend",
    "PoseEstimate",
    "estimate_pose",
    "threaded_frames",
]

log = logging.getLogger(__name__)

#: BlazePose landmark index of each canonical keypoint.
BLAZEPOSE_INDEX: dict[str, int] = {
    "nose": 0,
    "left_shoulder": 11,
    "right_shoulder": 12,
    "left_elbow": 13,
    "right_elbow": 14,
    "left_wrist": 15,
    "right_wrist": 16,
    "left_hip": 23,
    "right_hip": 24,
    "left_knee": 25,
    "right_knee": 26,
    "left_ankle": 27,
    "right_ankle": 28,
    "left_heel": 29,
    "right_heel": 30,
    "left_toe": 31,
    "right_toe": 32,
}
_BP = np.array([BLAZEPOSE_INDEX[k] for k in KEYPOINTS])


@dataclass(frozen=True)
class Box:
    """An axis-aligned box in image pixels."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def centre(self) -> tuple[float, float]:
        return ((self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2)

    def expanded(self, factor: float, width_px: int, height_px: int) -> Box:
        """Grown about its centre by ``factor`` (at least square-ish), clipped to the frame."""
        cx, cy = self.centre
        half = max(self.width, self.height) * factor / 2
        half_w = max(self.width * factor / 2, half * 0.6)
        return Box(
            max(0.0, cx - half_w),
            max(0.0, cy - half),
            min(float(width_px), cx + half_w),
            min(float(height_px), cy + half),
        )

    @staticmethod
    def around(xy: NDArray[np.float64]) -> Box | None:
        ok = np.isfinite(xy).all(axis=1)
        if ok.sum() < 3:
            return None
        p = xy[ok]
        return Box(
            float(p[:, 0].min()), float(p[:, 1].min()), float(p[:, 0].max()), float(p[:, 1].max())
        )


@dataclass(frozen=True)
class PoseEstimate:
    """One image's canonical keypoints: (17, 2) pixels and (17,) confidence."""

    xy_px: NDArray[np.float64]
    confidence: NDArray[np.float64]


class PoseBackend(Protocol):
    """What a pose model must offer to be used by :func:`estimate_pose`."""

    name: str

    def process(self, image_rgb: NDArray[np.uint8]) -> PoseEstimate | None:
        """Keypoints of the most prominent person in ``image_rgb`` (pixels of that image)."""
        ...

    def reset(self) -> None:
        """Forget any tracking state (next image is unrelated to the last)."""
        ...

    def close(self) -> None: ...


@contextlib.contextmanager
def _native_stderr_silenced() -> Iterator[None]:
    """Point file descriptor 2 at /dev/null for the duration (set STRIDELAB_NATIVE_LOGS=1
    to keep native logs when debugging)."""
    if os.environ.get("STRIDELAB_NATIVE_LOGS"):
        yield
        return
    sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:  # no usable stderr at all: nothing to silence
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)


class MediaPipePoseBackend:
    """BlazePose full (33 landmarks, heel and toe included) from ``mediapipe==0.10.21``.

    Parameters
    ----------
    model_complexity : 1 is BlazePose *full*, the model bundled in the wheel.
    static_image_mode : run the detector on every image (slower, no tracking).
    min_detection_confidence, min_tracking_confidence : MediaPipe's thresholds.

    MediaPipe's own landmark smoothing is off: it lags, and stridelab filters with a
    zero-lag filter later (:mod:`stridelab.video.clean`).
    """

    name = "mediapipe-blazepose-full"

    def __init__(
        self,
        *,
        model_complexity: int = 1,
        static_image_mode: bool = False,
        min_detection_confidence: float = 0.5,
        min_tracking_confidence: float = 0.5,
    ) -> None:
        self.model_complexity = model_complexity
        self.static_image_mode = static_image_mode
        self.min_detection_confidence = min_detection_confidence
        self.min_tracking_confidence = min_tracking_confidence
        self._pose: Any = None

    def _make(self) -> Any:
        try:
            import mediapipe as mp
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise VideoError(
                "video analysis needs the 'video' extra: pip install 'stridelab[video]'"
            ) from exc
        return mp.solutions.pose.Pose(
            static_image_mode=self.static_image_mode,
            model_complexity=self.model_complexity,
            smooth_landmarks=False,
            enable_segmentation=False,
            min_detection_confidence=self.min_detection_confidence,
            min_tracking_confidence=self.min_tracking_confidence,
        )

    def process(self, image_rgb: NDArray[np.uint8]) -> PoseEstimate | None:
        h, w = image_rgb.shape[:2]
        if self._pose is None:
            # MediaPipe's C++ start-up chatter (TFLite delegate, absl warnings) would
            # land in the runner's terminal: silence the native stderr while the graph
            # is built and runs its first image.
            with _native_stderr_silenced():
                self._pose = self._make()
                result = self._pose.process(np.ascontiguousarray(image_rgb))
        else:
            result = self._pose.process(np.ascontiguousarray(image_rgb))
        if result.pose_landmarks is None:
            return None
        lm = result.pose_landmarks.landmark
        xy = np.array([[lm[i].x * w, lm[i].y * h] for i in _BP], dtype=np.float64)
        conf = np.array([lm[i].visibility for i in _BP], dtype=np.float64)
        return PoseEstimate(xy, np.clip(conf, 0.0, 1.0))

    def reset(self) -> None:
        # static-image mode keeps no tracking state: rebuilding the graph would only
        # cost ~60 ms per call
        if not self.static_image_mode:
            self.close()

    def close(self) -> None:
        if self._pose is not None:
            self._pose.close()
            self._pose = None


def threaded_frames(frames: Iterator[Any], *, buffer: int = 2) -> Iterator[Any]:
    """Yield from ``frames`` decoded in a background thread (bounded queue).

    PyAV releases the GIL while decoding, so decode and inference overlap on two
    cores; the bounded queue keeps memory flat whatever the clip length.
    """
    q: queue.Queue[Any] = queue.Queue(maxsize=buffer)
    done = object()
    stop = threading.Event()
    failure: list[BaseException] = []

    def work() -> None:
        try:
            for item in frames:
                while not stop.is_set():
                    try:
                        q.put(item, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer and re-raised there
            failure.append(exc)
        finally:
            while not stop.is_set():
                try:
                    q.put(done, timeout=0.1)
                    break
                except queue.Full:
                    continue

    thread = threading.Thread(target=work, name="stridelab-decode", daemon=True)
    thread.start()
    try:
        while True:
            item = q.get()
            if item is done:
                break
            yield item
    finally:
        stop.set()
        thread.join(timeout=5)
    if failure:
        raise failure[0]


def _crop(image: NDArray[np.uint8], box: Box) -> tuple[NDArray[np.uint8], float, float]:
    x0, y0 = int(box.x0), int(box.y0)
    x1, y1 = int(np.ceil(box.x1)), int(np.ceil(box.y1))
    return image[y0:y1, x0:x1], float(x0), float(y0)


def estimate_pose(
    video: Path | str,
    *,
    backend: PoseBackend | None = None,
    capture_fps: float | None = None,
    follow: Callable[[int], Box | None] | None = None,
    max_frames: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
) -> PoseTrack:
    """Run a pose backend over every frame of a video.

    Parameters
    ----------
    video : path to the clip.
    backend : defaults to :class:`MediaPipePoseBackend`.
    capture_fps : real capture rate for slow-motion files (times become real seconds).
    follow : optional ``frame_index -> Box`` giving where the chosen person is expected
        (from :func:`stridelab.video.person.choose_person`). Each frame is then analysed
        on a crop around the person (the previous frame's keypoints, or this box), and a
        pose found far from the box is rejected, so the analysis stays on that person.
    progress : called as ``progress(done, total)``.
    workers : 1 or 2 processes; by default 2 for the bundled model on clips of 240
        frames or more when two cores are free, else 1.

    Returns
    -------
    PoseTrack
        Keypoints in displayed-frame pixels over real seconds; frames without the person
        are NaN with confidence 0.

    Raises
    ------
    NoPersonError
        No person was found in any frame.
    """
    from stridelab.video.decode import probe_video

    info = probe_video(video, capture_fps=capture_fps)
    total = info.n_frames or 0
    if max_frames is not None:
        total = min(total, max_frames) if total else max_frames
    n_workers = _workers(workers, backend, total)
    if n_workers > 1:
        # Two halves of the clip in parallel: this process does the first, a worker
        # process the second (each its own MediaPipe graph; MediaPipe's inference runs
        # on one core, so this is what uses the second). The second half starts
        # with a fresh detection, as any pose model does after losing track.
        mid = total // 2
        rest = (total - mid) if max_frames is not None else None  # None: to the real end
        worker = _start_worker(Path(video), capture_fps, mid, rest, follow)

        def first_progress(done: int, _total: int) -> None:
            if progress is not None:
                progress(2 * done, total)  # the other half runs at about the same pace

        first = _pose_chunk(Path(video), capture_fps, 0, mid, follow, first_progress)
        second = _finish_worker(worker)
        if second is None:  # the worker failed: do the second half here
            log.warning("pose worker process failed; finishing in this process")
            second = _pose_chunk(Path(video), capture_fps, mid, rest, follow, None)
        chunks = [first, second]
    else:
        chunks = [_pose_chunk(Path(video), capture_fps, 0, max_frames, follow, progress, backend)]
    if progress is not None and total:
        progress(total, total)
    times = [t for c in chunks for t in c.times]
    if not times:
        raise VideoError(f"{Path(video).name}: no frames could be decoded")
    indices = [i for c in chunks for i in c.indices]
    xy = np.concatenate([c.xy for c in chunks if c.times])
    conf = np.concatenate([c.conf for c in chunks if c.times])
    rejected = sum(c.rejected for c in chunks)
    found = np.isfinite(xy).all(axis=2).any(axis=1)
    if not found.any():
        raise NoPersonError(
            f"{Path(video).name}: no person found in any of {len(times)} frames. Film the "
            "runner from the side, whole body in view (head to shoes), in good light."
        )
    notes = []
    if info.n_frames and max_frames is None and len(times) < 0.95 * info.n_frames:
        notes.append(
            f"the file ended after {len(times)} of {info.n_frames} frames (damaged or "
            "truncated); what was there is analysed"
        )
    if rejected:
        notes.append(
            f"{rejected} frames where the pose model jumped to another person were dropped"
        )
    return make_pose_track(
        np.asarray(times) - times[0],
        xy,
        conf,
        width_px=info.width_px,
        height_px=info.height_px,
        source=chunks[0].source,
        frame_index=indices,
        notes=notes,
    )


def _start_worker(
    video: Path,
    capture_fps: float | None,
    start: int,
    count: int | None,
    follow: Callable[[int], Box | None] | None,
) -> subprocess.Popen[bytes] | None:
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "stridelab.video._pose_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert proc.stdin is not None
        proc.stdin.write(pickle.dumps((video, capture_fps, start, count, follow)))
        proc.stdin.close()
    except (OSError, pickle.PicklingError) as exc:
        log.warning("could not start a pose worker process: %s", exc)
        return None
    return proc


def _finish_worker(proc: subprocess.Popen[bytes] | None) -> _Chunk | None:
    if proc is None:
        return None
    assert proc.stdout is not None
    with proc.stdout:
        data = proc.stdout.read()
    if proc.wait() != 0 or not data:
        return None
    chunk = pickle.loads(data)
    return chunk if isinstance(chunk, _Chunk) else None


@dataclass
class _Chunk:
    times: list[float]
    indices: list[int]
    xy: NDArray[np.float64]
    conf: NDArray[np.float64]
    rejected: int
    source: str


def _workers(workers: int | None, backend: PoseBackend | None, total: int) -> int:
    """Processes to use: 2 for the bundled model on clips long enough to pay the
    worker's start-up (about 2 s), 1 for a custom backend (it may not be picklable)."""
    if backend is not None:
        return 1
    if workers is not None:
        return max(1, min(int(workers), 2))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return 2 if (cores or 1) >= 2 and total >= 240 else 1


def _pose_chunk(
    video: Path,
    capture_fps: float | None,
    start: int,
    count: int | None,
    follow: Callable[[int], Box | None] | None,
    progress: Callable[[int, int], None] | None,
    backend: PoseBackend | None = None,
) -> _Chunk:
    """Pose on frames ``start`` … ``start + count - 1`` (all to the end if None)."""
    from stridelab.video.decode import iter_frames, probe_video

    info = probe_video(video, capture_fps=capture_fps)
    own_backend = backend is None
    model: PoseBackend = backend if backend is not None else MediaPipePoseBackend()
    k = len(KEYPOINTS)
    times: list[float] = []
    indices: list[int] = []
    xys: list[NDArray[np.float64]] = []
    confs: list[NDArray[np.float64]] = []
    rejected = 0
    total = count if count is not None else max(0, (info.n_frames or 0) - start)
    try:
        frames = iter_frames(video, capture_fps=capture_fps, max_frames=count, start=start)
        for n, frame in enumerate(threaded_frames(frames)):
            expected = follow(frame.index) if follow is not None else None
            if follow is not None and expected is None:
                estimate = None  # the chosen person is not in view in this frame
            else:
                estimate = _estimate_frame(
                    model, frame.image, expected, info.width_px, info.height_px
                )
            if estimate is not None and expected is not None:
                ex, ey = expected.centre
                hip = estimate.xy_px[7:9].mean(axis=0)
                if np.hypot(hip[0] - ex, hip[1] - ey) > 0.6 * max(expected.height, 1.0):
                    estimate = None
                    rejected += 1
            if estimate is None:
                xys.append(np.full((k, 2), np.nan))
                confs.append(np.zeros(k))
            else:
                xys.append(estimate.xy_px)
                confs.append(estimate.confidence)
            times.append(frame.time_s)
            indices.append(frame.index)
            if progress is not None:
                progress(n + 1, max(total, n + 1))
    finally:
        if own_backend:
            model.close()
    empty = np.zeros((0, k, 2))
    return _Chunk(
        times,
        indices,
        np.stack(xys) if xys else empty,
        np.stack(confs) if confs else np.zeros((0, k)),
        rejected,
        model.name,
    )


def _estimate_frame(
    model: PoseBackend,
    image: NDArray[np.uint8],
    expected: Box | None,
    width_px: int,
    height_px: int,
) -> PoseEstimate | None:
    """Pose on the whole frame, or on a crop around the followed person."""
    if expected is None:
        return model.process(image)
    # A crop that moves smoothly with the followed person (not with this frame's
    # keypoints) keeps MediaPipe's own frame-to-frame tracking consistent.
    region = expected.expanded(1.5, width_px, height_px)
    if region.width < 16 or region.height < 16:
        return None
    crop, dx, dy = _crop(image, region)
    estimate = model.process(crop)
    if estimate is None:
        return None
    xy = estimate.xy_px + np.array([dx, dy])
    return PoseEstimate(xy, estimate.confidence)
