"""Which person to analyse, and where they are in each frame.

BlazePose (the legacy MediaPipe solution) follows one person and may jump to another
when two are in view. :func:`choose_person` scans a sample of frames, finds up to
three people per frame (detect, mask the person found, detect again), links them into
tracks and picks the runner: the person chosen by the user (``"N"`` = N-th from the
left, or a box ``x,y,w,h``), or automatically the one who is most present, upright,
and moving their legs like a runner or walker. It returns a ``frame -> Box`` function
for :func:`stridelab.video.pose.estimate_pose` and plain-language notes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from stridelab.errors import InputError, NoPersonError
from stridelab.video.pose import Box, MediaPipePoseBackend, PoseBackend, PoseEstimate

__all__ = ["FollowTrack", "PersonChoice", "PersonTrack", "choose_person", "parse_person_option"]

log = logging.getLogger(__name__)

_HIP = (7, 8)
_ANKLES = (11, 12)
_SHOULDERS = (1, 2)


@dataclass
class PersonTrack:
    """One person seen in the sampled frames."""

    frames: list[int] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)
    poses: list[PoseEstimate] = field(default_factory=list)

    def box_at(self, frame: int) -> Box:
        """The person's box at any frame, interpolated between samples."""
        f = np.asarray(self.frames, dtype=float)
        arr = np.array([[b.x0, b.y0, b.x1, b.y1] for b in self.boxes])
        vals = [float(np.interp(frame, f, arr[:, i])) for i in range(4)]
        return Box(*vals)

    def body_length_px(self) -> float:
        """Median shoulder → hip → ankle length (pixels): how near the camera the person
        is, whatever their posture (standing, lying, squatting)."""
        lengths = []
        for p in self.poses:
            sh = p.xy_px[list(_SHOULDERS)].mean(axis=0)
            hip = p.xy_px[list(_HIP)].mean(axis=0)
            ank = p.xy_px[list(_ANKLES)].mean(axis=0)
            lengths.append(float(np.hypot(*(hip - sh)) + np.hypot(*(ank - hip))))
        return float(np.median(lengths)) if lengths else 0.0

    def gait_score(self) -> float:
        """Upright and legs alternating: spread of the ankle gap over leg length."""
        gaps, upright = [], []
        for p in self.poses:
            hip = p.xy_px[list(_HIP)].mean(axis=0)
            ank = p.xy_px[list(_ANKLES)]
            sh = p.xy_px[list(_SHOULDERS)].mean(axis=0)
            leg = float(np.mean(np.abs(ank[:, 1] - hip[1])))
            trunk = float(hip[1] - sh[1])
            if leg <= 1 or trunk <= 0:
                upright.append(0.0)
                continue
            upright.append(1.0)
            gaps.append(float(ank[0, 0] - ank[1, 0]) / leg)
        if not gaps:
            return 0.0
        return float(np.mean(upright)) * float(np.std(gaps) + 0.1)


@dataclass(frozen=True)
class FollowTrack:
    """``frame -> Box | None``: where the chosen person is expected (picklable, so the
    pose stage can hand it to a worker process)."""

    frames: tuple[int, ...]
    boxes: tuple[Box, ...]
    margin: int = 0

    def __call__(self, frame: int) -> Box | None:
        if frame < self.frames[0] - self.margin or frame > self.frames[-1] + self.margin:
            return None
        f = np.asarray(self.frames, dtype=float)
        arr = np.array([[b.x0, b.y0, b.x1, b.y1] for b in self.boxes])
        return Box(*(float(np.interp(frame, f, arr[:, i])) for i in range(4)))


@dataclass(frozen=True)
class PersonChoice:
    """The outcome of :func:`choose_person`."""

    follow: Callable[[int], Box | None] | None
    n_people: int
    chosen: int | None
    notes: tuple[str, ...]
    tracks: tuple[PersonTrack, ...] = ()
    camera_motion_px_s: float = 0.0


def parse_person_option(value: str | None) -> str | int | Box:
    """``auto`` | ``N`` (1-based from the left) | ``x,y,w,h`` in pixels."""
    if value is None or value.strip().lower() in {"", "auto"}:
        return "auto"
    text = value.strip()
    if text.isdigit():
        n = int(text)
        if n < 1:
            raise InputError("--person N counts from 1 (the left-most person)")
        return n
    parts = text.split(",")
    if len(parts) == 4:
        try:
            x, y, w, h = (float(p) for p in parts)
        except ValueError:
            pass
        else:
            if w > 0 and h > 0:
                return Box(x, y, x + w, y + h)
    raise InputError(
        f"--person must be 'auto', a number (1 = left-most person) or a box 'x,y,w,h' "
        f"in pixels; got {value!r}"
    )


def _detect_people(
    backend: PoseBackend, image: NDArray[np.uint8], max_people: int
) -> list[PoseEstimate]:
    """Detect, mask the person found, detect again (static images)."""
    found: list[PoseEstimate] = []
    work = image.copy()
    fill = np.median(image[::8, ::8].reshape(-1, 3), axis=0).astype(np.uint8)
    h, w = image.shape[:2]
    for _ in range(max_people):
        backend.reset()
        est = backend.process(work)
        if est is None:
            break
        box = Box.around(est.xy_px[est.confidence > 0.3])
        if box is None or box.height < 0.05 * h:
            break
        if any(_iou(box, Box.around(f.xy_px[f.confidence > 0.3])) > 0.3 for f in found):
            break
        found.append(est)
        m = box.expanded(1.15, w, h)
        work[int(m.y0) : int(np.ceil(m.y1)), int(m.x0) : int(np.ceil(m.x1))] = fill
    return found


def _background(image: NDArray[np.uint8], people: list[PoseEstimate]) -> NDArray[np.float32]:
    """Grey, 4× smaller image with the people blanked (their motion is not the camera's)."""
    small = image[::4, ::4].mean(axis=2).astype(np.float32)
    fill = float(np.median(small))
    for est in people:
        box = Box.around(est.xy_px[est.confidence > 0.3])
        if box is not None:
            m = box.expanded(1.2, image.shape[1], image.shape[0])
            small[
                int(m.y0) // 4 : int(np.ceil(m.y1)) // 4 + 1,
                int(m.x0) // 4 : int(np.ceil(m.x1)) // 4 + 1,
            ] = fill
    return small


def _shift_px(a: NDArray[np.float32], b: NDArray[np.float32]) -> float:
    """Global shift between two background images, in full-size pixels (phase correlation)."""
    import cv2

    if a.shape != b.shape:
        return 0.0
    window = cv2.createHanningWindow((a.shape[1], a.shape[0]), cv2.CV_32F)
    (dx, dy), _ = cv2.phaseCorrelate(a, b, window)
    return 4.0 * float(np.hypot(dx, dy))


def _iou(a: Box | None, b: Box | None) -> float:
    if a is None or b is None:
        return 0.0
    ix = max(0.0, min(a.x1, b.x1) - max(a.x0, b.x0))
    iy = max(0.0, min(a.y1, b.y1) - max(a.y0, b.y0))
    inter = ix * iy
    union = a.width * a.height + b.width * b.height - inter
    return inter / union if union > 0 else 0.0


def _link(samples: list[tuple[int, list[PoseEstimate]]]) -> list[PersonTrack]:
    """Greedy nearest-centre linking of per-frame detections into tracks."""
    tracks: list[PersonTrack] = []
    for frame, people in samples:
        taken: set[int] = set()
        for est in people:
            box = Box.around(est.xy_px[est.confidence > 0.3])
            if box is None:
                continue
            best, best_d = None, np.inf
            for i, tr in enumerate(tracks):
                if i in taken:
                    continue
                last = tr.boxes[-1]
                d = np.hypot(box.centre[0] - last.centre[0], box.centre[1] - last.centre[1])
                gap = frame - tr.frames[-1]
                if d < max(last.height, box.height) * (0.6 + 0.02 * gap) and d < best_d:
                    best, best_d = i, d
            if best is None:
                tracks.append(PersonTrack([frame], [box], [est]))
                taken.add(len(tracks) - 1)
            else:
                tracks[best].frames.append(frame)
                tracks[best].boxes.append(box)
                tracks[best].poses.append(est)
                taken.add(best)
    return tracks


def choose_person(
    video: Path | str,
    person: str | int | Box = "auto",
    *,
    capture_fps: float | None = None,
    n_samples: int = 24,
    max_people: int = 3,
    backend: PoseBackend | None = None,
    prefer: Literal["runner", "nearest"] = "runner",
) -> PersonChoice:
    """Find the people in a clip and decide whom to analyse.

    ``prefer`` is the automatic choice: ``"runner"`` the person most in view who moves
    their legs like a runner; ``"nearest"`` the person most in view and nearest the
    camera by body length in pixels, whatever the posture (a self-test: the runner lies,
    squats or stands near the camera, a bystander walks past behind).

    With one person in view and ``person="auto"``, ``follow`` is None (the pose model
    runs on the whole frame). Otherwise ``follow(frame)`` gives the chosen person's
    expected box in every frame.

    Raises
    ------
    NoPersonError
        Nobody found in the sampled frames, or the requested person does not exist.
    """
    from stridelab.video.decode import iter_frames, probe_video

    info = probe_video(video, capture_fps=capture_fps)
    total = info.n_frames or 300
    step = max(1, total // n_samples)
    model = backend or MediaPipePoseBackend(static_image_mode=True)
    samples: list[tuple[int, list[PoseEstimate]]] = []
    shifts: list[float] = []
    previous: tuple[float, NDArray[np.float32]] | None = None
    try:
        for frame in iter_frames(video, capture_fps=capture_fps, step=step):
            people = _detect_people(model, frame.image, max_people)
            samples.append((frame.index, people))
            background = _background(frame.image, people)
            if previous is not None and frame.time_s > previous[0]:
                shifts.append(_shift_px(previous[1], background) / (frame.time_s - previous[0]))
            previous = (frame.time_s, background)
    finally:
        if backend is None:
            model.close()
    motion = float(np.median(shifts)) if shifts else 0.0
    tracks = [t for t in _link(samples) if len(t.frames) >= 2 or len(samples) < 4]
    name = Path(video).name
    if not tracks:
        raise NoPersonError(
            f"{name}: no person found in {len(samples)} sampled frames. Film the runner "
            "whole (head to shoes), from the side, in good light."
        )
    n_people = len(tracks)
    max_simultaneous = max((len(p) for _, p in samples), default=0)
    if isinstance(person, Box):
        cx, cy = person.centre
        dists = []
        for tr in tracks:
            b = tr.box_at(samples[0][0])
            dists.append(np.hypot(b.centre[0] - cx, b.centre[1] - cy))
        chosen = int(np.argmin(dists))
        why = f"the person at the box you gave ({cx:.0f}, {cy:.0f})"
    elif isinstance(person, int):
        order = sorted(
            range(n_people), key=lambda i: np.mean([b.centre[0] for b in tracks[i].boxes])
        )
        if person > n_people:
            raise NoPersonError(
                f"{name}: --person {person} asked for, but only {n_people} people were found"
            )
        chosen = order[person - 1]
        why = f"person {person} from the left, as asked"
    elif prefer == "nearest":
        scores = [len(t.frames) / len(samples) * t.body_length_px() for t in tracks]
        chosen = int(np.argmax(scores))
        why = "the person who is in view most and nearest the camera"
    else:
        scores = [len(t.frames) / len(samples) * t.gait_score() for t in tracks]
        chosen = int(np.argmax(scores))
        why = "the person who is in view most and moves their legs like a runner"
    notes: list[str] = []
    if max_simultaneous < 2 and n_people == 1 and not isinstance(person, Box):
        return PersonChoice(None, 1, 0, (), tuple(tracks), motion)
    tr = tracks[chosen]
    c = np.mean([b.centre[0] for b in tr.boxes]) / info.width_px
    notes.append(
        f"{max(n_people, max_simultaneous)} people were seen; analysing {why} "
        f"(mostly at {c:.0%} of the frame width). Use --person to choose another."
    )
    follow = FollowTrack(tuple(tr.frames), tuple(tr.boxes), margin=step)
    return PersonChoice(follow, n_people, chosen, tuple(notes), tuple(tracks), motion)
