"""Drawing the synthetic runner and writing it as an H.264 MP4.

A cartoon-realistic figure is drawn with OpenCV (anti-aliased, sub-pixel polygons)
from the 3D model points of :mod:`stridelab.synthetic.runner`: a skin-coloured head
with hair, eye, nose, mouth and ear, a neck, a shirt, shorts, tapered two-tone limbs,
white socks and orange shoes with a white midsole, a dark heel counter and a dark toe
cap. Parts are painted far to near (the far-side limbs of a side view are also darker).
The background is a wall gradient over a floor, with a treadmill (belt moving back at
the running speed) or floor seams over ground. Optional motion blur averages
sub-frames over half a frame interval centred on the frame time (so the blur is
centred on the exact keypoints), and optional Gaussian sensor noise is seeded by
``spec.seed`` and the frame time, so every frame is reproducible.

Frames are RGB ``uint8`` arrays of shape (height, width, 3). :func:`write_runner_video`
streams frames into a ``libx264``/``yuv420p`` MP4 with PyAV whose stream rate is
``camera.stored_fps`` (slow-motion files) while frame k shows real time ``k / fps``.
OpenCV and PyAV are imported only when drawing or writing.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from stridelab.errors import InputError
from stridelab.synthetic.runner import (
    SIDES,
    BodyPose,
    CameraSpec,
    RunnerBody,
    RunnerSpec,
    RunnerTruth,
    body_pose,
    camera_centre_m,
    project_points,
    runner_body,
    runner_truth,
)

__all__ = ["PoseFn", "render_frame", "render_pose_frame", "write_pose_video", "write_runner_video"]

FloatArray = NDArray[np.float64]
Image = NDArray[np.uint8]
Color = tuple[int, int, int]
PoseFn = Callable[[FloatArray], BodyPose]
"""A figure's 3D points at some times: ``(n,)`` seconds → :class:`BodyPose` with ``n`` rows."""

_SHIFT = 4  # OpenCV sub-pixel bits
_SKIN: Color = (222, 172, 138)
_HAIR: Color = (58, 40, 30)
_SHIRT: Color = (30, 96, 200)
_SHORTS: Color = (34, 36, 48)
_SOCK: Color = (238, 238, 238)
_SHOE: Color = (236, 92, 36)
_MIDSOLE: Color = (246, 246, 246)
_SHOE_ACCENT: Color = (255, 214, 40)
_OUTSOLE: Color = (70, 70, 78)
_FAR_SHADE = 0.5  # colour factor of far-side limbs in a side view
_TREADMILL_DECK_M = (-0.85, 0.95, 0.28)  # belt x from, x to, half width (m)
_TREADMILL_HEIGHT_M = 0.18


@dataclass(frozen=True)
class _Scene:
    spec: RunnerSpec
    camera: CameraSpec
    body: RunnerBody
    background: Image
    floor_y_m: float
    pose_fn: PoseFn | None = None  # None: the running model of ``spec``


def render_frame(spec: RunnerSpec, camera: CameraSpec, time_s: float) -> Image:
    """Draw the runner at real time ``time_s`` (seconds).

    Returns
    -------
    (height_px, width_px, 3) ``uint8`` RGB image; identical for identical inputs.
    """
    return _render(_scene(spec, camera), float(time_s))


def write_runner_video(
    spec: RunnerSpec,
    camera: CameraSpec,
    path: str | Path,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> RunnerTruth:
    """Render every frame ``k / fps`` and stream them into an H.264 MP4 at ``path``.

    The file's frame rate is ``camera.stored_fps`` (or ``fps``); one frame at a time is
    held in memory. ``progress(done, total)`` is called after each frame.

    Raises
    ------
    InputError
        The frame size is odd (``yuv420p`` needs even width and height).
    """
    truth = runner_truth(spec, camera)
    _write_frames(_scene(spec, camera), truth.frame_times_s, path, progress)
    return truth


def _pose_scene(pose_fn: PoseFn, camera: CameraSpec, height_cm: float, seed: int) -> _Scene:
    # A static scene: no treadmill, no moving camera, floor seams fixed to the ground.
    spec = RunnerSpec(surface="treadmill", height_cm=height_cm, seed=seed)
    camera = replace(camera, treadmill_visible=False)
    base = _scene(spec, camera)
    return replace(base, pose_fn=pose_fn)


def render_pose_frame(
    pose_fn: PoseFn,
    camera: CameraSpec,
    time_s: float,
    *,
    height_cm: float = 175.0,
    seed: int = 0,
) -> Image:
    """Draw any figure motion (a jump, a squat, a held test pose) at real time ``time_s``.

    ``pose_fn`` gives the model points (see :class:`BodyPose`) for a body of
    ``height_cm`` (use :func:`~stridelab.synthetic.runner.runner_body` for its segment
    lengths). The camera stands still and no treadmill is drawn; ``view="side"`` or
    ``"rear"`` as for the runner (for a front view, turn the figure to face -x).
    """
    return _render(_pose_scene(pose_fn, camera, height_cm, seed), float(time_s))


def write_pose_video(
    pose_fn: PoseFn,
    camera: CameraSpec,
    path: str | Path,
    *,
    duration_s: float,
    height_cm: float = 175.0,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> FloatArray:
    """Render any figure motion at ``k / camera.fps`` for ``duration_s`` into an H.264 MP4.

    Returns the (n,) real frame times (s), frame k of the file showing time k.
    """
    if not (math.isfinite(duration_s) and 0.0 < duration_s <= 3600.0):
        raise InputError(f"duration_s must be in (0, 3600] s, got {duration_s!r}")
    times = np.arange(max(1, round(duration_s * camera.fps)), dtype=np.float64) / camera.fps
    _write_frames(_pose_scene(pose_fn, camera, height_cm, seed), times, path, progress)
    return times


def _write_frames(
    scene: _Scene,
    times_s: FloatArray,
    path: str | Path,
    progress: Callable[[int, int], None] | None,
) -> None:
    import av

    camera = scene.camera
    if camera.width_px % 2 or camera.height_px % 2:
        raise InputError(
            f"H.264 yuv420p needs an even frame size, got {camera.width_px}x{camera.height_px}"
        )
    rate = Fraction(camera.file_fps).limit_denominator(1001)
    total = len(times_s)
    with av.open(str(path), mode="w") as container:
        stream: Any = container.add_stream("libx264", rate=rate)
        stream.width = camera.width_px
        stream.height = camera.height_px
        stream.pix_fmt = "yuv420p"
        stream.time_base = 1 / rate
        stream.options = {"crf": "17", "preset": "veryfast"}
        for k, t in enumerate(times_s):
            frame = av.VideoFrame.from_ndarray(_render(scene, float(t)), format="rgb24")
            frame.pts = k
            frame.time_base = 1 / rate
            for packet in stream.encode(frame):
                container.mux(packet)
            if progress is not None:
                progress(k + 1, total)
        for packet in stream.encode():
            container.mux(packet)


# --------------------------------------------------------------------------- scene


def _scene(spec: RunnerSpec, camera: CameraSpec) -> _Scene:
    body = runner_body(spec)  # validates the spec as a side effect of building the model
    floor_y = (
        -_TREADMILL_HEIGHT_M if (spec.surface == "treadmill" and camera.treadmill_visible) else 0.0
    )
    return _Scene(spec, camera, body, _background(camera, floor_y), floor_y)


def _background(camera: CameraSpec, floor_y_m: float) -> Image:
    """Wall gradient above the floor line, floor gradient below (static)."""
    w, h = camera.width_px, camera.height_px
    wall_depth = camera.distance_m + (3.0 if camera.view == "side" else 6.0)
    horizon = 0.5 * h + camera.focal_px * (camera.camera_height_m - floor_y_m) / wall_depth
    rows = np.arange(h, dtype=np.float64)[:, None]
    top = np.array([214.0, 208.0, 196.0])
    low = np.array([176.0, 170.0, 160.0])
    wall = top + (low - top) * np.clip(rows / max(horizon, 1.0), 0.0, 1.0)
    frac = np.clip((rows - horizon) / max(h - horizon, 1.0), 0.0, 1.0)
    floor = np.array([150.0, 138.0, 120.0]) + np.array([-40.0, -38.0, -34.0]) * frac
    img = np.where(rows < horizon, wall, floor)
    img = np.broadcast_to(img[:, None, :], (h, w, 3)).astype(np.uint8).copy()
    band = slice(max(0, int(horizon) - max(2, h // 120)), max(0, int(horizon)))
    img[band] = (120, 114, 104)  # skirting board
    return img


# --------------------------------------------------------------------------- drawing


def _render(scene: _Scene, time_s: float) -> Image:
    cam = scene.camera
    n = cam.motion_blur_subframes
    if n == 1:
        img = _draw(scene, time_s)
    else:
        exposure = 0.5 / cam.fps
        acc = np.zeros((cam.height_px, cam.width_px, 3), dtype=np.float32)
        for i in range(n):
            acc += _draw(scene, time_s + ((i + 0.5) / n - 0.5) * exposure)
        img = np.clip(np.rint(acc / n), 0, 255).astype(np.uint8)
    if cam.image_noise > 0.0:
        key = round(time_s * 1e6) & 0xFFFF_FFFF_FFFF
        rng = np.random.default_rng([scene.spec.seed, key])
        noise = rng.standard_normal(img.shape, dtype=np.float32) * np.float32(cam.image_noise)
        img = np.clip(img.astype(np.float32) + noise, 0, 255).astype(np.uint8)
    return img


def _draw(scene: _Scene, t: float) -> Image:
    img = scene.background.copy()
    times = np.array([t])
    pose = body_pose(scene.spec, times) if scene.pose_fn is None else scene.pose_fn(times)
    _draw_ground(img, scene, t, pose)
    figure = _Figure(img, scene, pose, t)
    figure.paint()
    return img


def _poly(img: Image, pts: FloatArray, color: Color) -> None:
    import cv2

    p = np.round(np.asarray(pts, dtype=np.float64) * (1 << _SHIFT)).astype(np.int32)
    cv2.fillPoly(img, [p.reshape(-1, 1, 2)], color, lineType=cv2.LINE_AA, shift=_SHIFT)


def _hull(img: Image, pts: FloatArray, color: Color) -> None:
    import cv2

    hull = cv2.convexHull(np.asarray(pts, dtype=np.float32).reshape(-1, 1, 2))
    _poly(img, hull.reshape(-1, 2).astype(np.float64), color)


def _capsule_pts(p0: FloatArray, p1: FloatArray, r0: float, r1: float, k: int = 10) -> FloatArray:
    d = p1 - p0
    ang = math.atan2(float(d[1]), float(d[0]))
    a0 = ang + np.linspace(0.5 * np.pi, 1.5 * np.pi, k)
    a1 = ang + np.linspace(-0.5 * np.pi, 0.5 * np.pi, k)
    return np.concatenate(
        [
            p0 + r0 * np.stack([np.cos(a0), np.sin(a0)], axis=1),
            p1 + r1 * np.stack([np.cos(a1), np.sin(a1)], axis=1),
        ]
    )


def _shade(color: Color, factor: float) -> Color:
    return (
        int(min(255, color[0] * factor)),
        int(min(255, color[1] * factor)),
        int(min(255, color[2] * factor)),
    )


def _lighter(color: Color, amount: float) -> Color:
    return (
        int(color[0] + (255 - color[0]) * amount),
        int(color[1] + (255 - color[1]) * amount),
        int(color[2] + (255 - color[2]) * amount),
    )


def _capsule(
    img: Image, p0: FloatArray, p1: FloatArray, r0: float, r1: float, color: Color
) -> None:
    """A tapered two-tone capsule: base colour and a lighter core toward the light."""
    _poly(img, _capsule_pts(p0, p1, r0, r1), _shade(color, 0.82))
    d = p1 - p0
    norm = float(np.hypot(d[0], d[1])) or 1.0
    perp = np.array([-d[1], d[0]]) / norm
    if perp[1] > 0:  # light from above
        perp = -perp
    _poly(
        img,
        _capsule_pts(p0 + perp * 0.18 * r0, p1 + perp * 0.18 * r1, 0.72 * r0, 0.72 * r1),
        color,
    )


def _draw_ground(img: Image, scene: _Scene, t: float, pose: BodyPose) -> None:
    spec, cam = scene.spec, scene.camera
    if spec.surface == "treadmill" and cam.treadmill_visible:
        x0, x1, half = _TREADMILL_DECK_M
        y0 = scene.floor_y_m
        _box(
            img,
            scene,
            t,
            (x0 - 0.08, x1 + 0.35),
            (y0, -0.004),
            (-half - 0.1, half + 0.1),
            (92, 94, 100),
        )
        _box(img, scene, t, (x0, x1), (-0.004, 0.0), (-half, half), (44, 44, 48))
        _box(
            img, scene, t, (x1, x1 + 0.35), (-0.004, 0.06), (-half - 0.1, half + 0.1), (70, 72, 78)
        )
        for zs in (-half - 0.1, half):
            _box(img, scene, t, (x0 - 0.08, x1), (-0.004, 0.012), (zs, zs + 0.1), (170, 172, 178))
        spacing = 0.3
        first = x0 + math.fmod(-spec.speed_m_s * t, spacing) % spacing
        for x in np.arange(first, x1 - 0.02, spacing):
            _quad_on_ground(img, scene, t, (x, x + 0.02), (-half, half), 0.0, (64, 64, 70))
    else:
        base = math.floor(float(pose.points_m["pelvis"][0, 0]) - 8.0)
        for x in range(base, base + 17):
            _quad_on_ground(img, scene, t, (x - 0.01, x + 0.01), (-3.0, 3.0), 0.0, (112, 102, 90))
    # Soft contact shadow under the pelvis.
    pel = pose.points_m["pelvis"][0]
    ang = np.linspace(0.0, 2.0 * np.pi, 24, endpoint=False)
    ring = np.stack(
        [pel[0] + 0.45 * np.cos(ang), np.full_like(ang, 0.001), pel[2] + 0.18 * np.sin(ang)], axis=1
    )
    xy, depth = project_points(scene.spec, cam, ring[None], np.array([t]))
    if np.all(depth > 0.05):
        import cv2

        overlay = img.copy()
        _poly(overlay, xy[0], (20, 20, 24))
        cv2.addWeighted(overlay, 0.25, img, 0.75, 0.0, dst=img)


def _project(scene: _Scene, t: float, pts: FloatArray) -> tuple[FloatArray, FloatArray]:
    xy, depth = project_points(scene.spec, scene.camera, np.asarray(pts)[None], np.array([t]))
    return xy[0], depth[0]


def _quad_on_ground(
    img: Image,
    scene: _Scene,
    t: float,
    xs: tuple[float, float],
    zs: tuple[float, float],
    y: float,
    color: Color,
) -> None:
    corners = np.array([[xs[0], y, zs[0]], [xs[1], y, zs[0]], [xs[1], y, zs[1]], [xs[0], y, zs[1]]])
    _clipped_poly(img, scene, t, corners, color)


def _clipped_poly(img: Image, scene: _Scene, t: float, corners: FloatArray, color: Color) -> None:
    """Project a planar 3D polygon, clipping it at a near plane in front of the camera."""
    near = 0.2
    _, depth = _project(scene, t, corners)
    pts: list[FloatArray] = []
    k = corners.shape[0]
    for i in range(k):
        a, b = corners[i], corners[(i + 1) % k]
        da, db = depth[i], depth[(i + 1) % k]
        if da >= near:
            pts.append(a)
        if (da >= near) != (db >= near):
            pts.append(a + (b - a) * (near - da) / (db - da))
    if len(pts) >= 3:
        xy, _ = _project(scene, t, np.array(pts))
        _poly(img, xy, color)


def _box(
    img: Image,
    scene: _Scene,
    t: float,
    xs: tuple[float, float],
    ys: tuple[float, float],
    zs: tuple[float, float],
    color: Color,
) -> None:
    """An axis-aligned box, visible faces only, shaded by orientation."""
    cpos = camera_centre_m(scene.spec, scene.camera, np.array([t]))[0]
    mid = np.array([sum(xs) / 2, sum(ys) / 2, sum(zs) / 2])
    faces: list[tuple[FloatArray, float]] = []
    for axis, (lo, hi) in enumerate((xs, ys, zs)):
        for value, sign in ((lo, -1.0), (hi, 1.0)):
            face_centre = mid.copy()
            face_centre[axis] = value
            if sign * (cpos[axis] - value) <= 0:
                continue  # facing away
            others = [a for a in range(3) if a != axis]
            rng = ((xs, ys, zs)[others[0]], (xs, ys, zs)[others[1]])
            quad = np.zeros((4, 3))
            for i, (u, v) in enumerate(((0, 0), (1, 0), (1, 1), (0, 1))):
                quad[i, axis] = value
                quad[i, others[0]] = rng[0][u]
                quad[i, others[1]] = rng[1][v]
            shade = 1.15 if axis == 1 else (0.85 if axis == 2 else 0.75)
            faces.append((quad, shade))
    for quad, shade in faces:
        _clipped_poly(img, scene, t, quad, _shade(color, shade))


class _Figure:
    """Paints one pose: limbs, torso, neck and head, far to near."""

    def __init__(self, img: Image, scene: _Scene, pose: BodyPose, t: float) -> None:
        self.img, self.scene, self.pose, self.t = img, scene, pose, t
        names = list(pose.points_m)
        xy, depth = _project(scene, t, np.stack([pose.points_m[k][0] for k in names]))
        self.xy = dict(zip(names, xy, strict=True))
        self.depth = dict(zip(names, depth, strict=True))
        self.h = scene.body.height_m
        self.side_view = scene.camera.view == "side"

    def px(self, radius_m: float, name: str) -> float:
        """A length (m) at the depth of point ``name`` in pixels."""
        return radius_m * self.scene.camera.focal_px / max(float(self.depth[name]), 1e-3)

    def p3(self, name: str) -> FloatArray:
        return self.pose.points_m[name][0]

    def paint(self) -> None:
        parts: list[tuple[float, int, Callable[[], None]]] = []
        for side in SIDES:
            leg = np.mean([self.depth[f"{side}_{j}"] for j in ("hip", "knee", "ankle")])
            arm = np.mean([self.depth[f"{side}_{j}"] for j in ("shoulder", "elbow", "wrist")])
            parts.append((float(leg), 0, lambda s=side: self.leg(s)))  # type: ignore[misc]
            parts.append((float(arm), 0, lambda s=side: self.arm(s)))  # type: ignore[misc]
        parts.append((float(self.depth["pelvis"]), 1, self.torso))
        parts.append((float(self.depth["neck"]), 2, self.neck))
        parts.append((float(self.depth["head"]), 3, self.head))
        for _, _, draw in sorted(parts, key=lambda p: (-p[0], p[1])):
            draw()

    def tone(self, color: Color, name: str) -> Color:
        far = self.side_view and self.depth[name] > self.depth["pelvis"] + 0.03
        return _shade(color, _FAR_SHADE) if far else color

    def leg(self, side: str) -> None:
        h, xy, img = self.h, self.xy, self.img
        hip, knee, ankle = xy[f"{side}_hip"], xy[f"{side}_knee"], xy[f"{side}_ankle"]
        tag = f"{side}_knee"
        skin, shorts = self.tone(_SKIN, tag), self.tone(_SHORTS, tag)
        _capsule(img, hip, knee, self.px(0.05 * h, f"{side}_hip"), self.px(0.031 * h, tag), skin)
        top = hip + 0.4 * (knee - hip)
        _capsule(img, hip, top, self.px(0.056 * h, f"{side}_hip"), self.px(0.049 * h, tag), shorts)
        if self.depth[tag] < self.depth[f"{side}_hip"] - 0.05:  # knee toward the camera
            mid = hip + 0.5 * (knee - hip)
            _capsule(img, mid, knee, self.px(0.04 * h, tag), self.px(0.031 * h, tag), skin)
        _capsule(img, knee, ankle, self.px(0.031 * h, tag), self.px(0.02 * h, tag), skin)
        sock = ankle + 0.2 * (knee - ankle)
        _capsule(
            img,
            ankle,
            sock,
            self.px(0.022 * h, tag),
            self.px(0.022 * h, tag),
            self.tone(_SOCK, tag),
        )
        self.shoe(side)

    def shoe(self, side: str) -> None:
        b = self.scene.body
        hb, tf = b.heel_back_m, b.toe_front_m
        outline = [
            (-hb, 0.0), (-hb - 0.004, 0.025), (-hb, 0.055), (-hb + 0.012, 0.082),
            (-hb + 0.035, 0.092), (0.005, 0.088), (0.05, 0.09), (0.45 * tf, 0.07),
            (0.8 * tf, 0.05), (tf - 0.012, 0.034), (tf, 0.015), (tf - 0.004, 0.0),
        ]  # fmt: skip
        midsole = [(-hb, 0.0), (-hb - 0.004, 0.025), (-hb, 0.032), (tf - 0.01, 0.022),
                   (tf, 0.012), (tf - 0.004, 0.0)]  # fmt: skip
        heel = [(-hb - 0.003, 0.03), (-hb, 0.055), (-hb + 0.012, 0.082), (-hb + 0.035, 0.092),
                (-hb + 0.06, 0.085), (-hb + 0.06, 0.03)]  # fmt: skip
        toe = [(0.8 * tf, 0.05), (tf - 0.012, 0.035), (tf, 0.016), (tf - 0.002, 0.01),
               (0.8 * tf, 0.018)]  # fmt: skip
        tag = f"{side}_ankle"
        for pts, color in (
            (outline, _SHOE), (midsole, _MIDSOLE), (heel, _SHOE_ACCENT), (toe, _SHOE_ACCENT),
        ):  # fmt: skip
            _hull(self.img, self.foot_px(side, pts), self.tone(color, tag))
        # The outsole, when the sole faces the camera (a kicked-up foot seen from behind).
        phi = math.radians(float(self.pose.sole_angle_deg[side][0]))
        down = np.array([math.sin(phi), -math.cos(phi), 0.0])
        ankle = self.p3(f"{side}_ankle")
        eye = camera_centre_m(self.scene.spec, self.scene.camera, np.array([self.t]))[0]
        if float(np.dot(down, eye - ankle)) > 0.0:
            outsole = [(-hb + 0.01, 0.0), (tf - 0.02, 0.0)]
            _hull(self.img, self.foot_px(side, outsole, 0.85), self.tone(_OUTSOLE, tag))
            heel_pad = [(-hb + 0.01, 0.0), (-hb + 0.07, 0.0)]
            _hull(self.img, self.foot_px(side, heel_pad, 0.7), self.tone(_SHOE_ACCENT, tag))

    def foot_px(self, side: str, uv: list[tuple[float, float]], width: float = 1.0) -> FloatArray:
        """Foot-frame (u forward of the ankle, v above the sole) points, both shoe edges."""
        b = self.scene.body
        phi = math.radians(float(self.pose.sole_angle_deg[side][0]))
        ankle = self.p3(f"{side}_ankle")
        arr = np.asarray(uv, dtype=np.float64)
        u, v = arr[:, 0], arr[:, 1] - b.ankle_height_m
        x = ankle[0] + u * math.cos(phi) - v * math.sin(phi)
        y = ankle[1] + u * math.sin(phi) + v * math.cos(phi)
        w = width * b.foot_half_width_m * (0.75 + 0.25 * np.clip((u + 0.03) / 0.1, 0.0, 1.0))
        pts = np.concatenate([np.stack([x, y, ankle[2] + sgn * w], axis=1) for sgn in (-1.0, 1.0)])
        xy, _ = _project(self.scene, self.t, pts)
        return xy

    def arm(self, side: str) -> None:
        h, xy, img = self.h, self.xy, self.img
        sh, el, wr = xy[f"{side}_shoulder"], xy[f"{side}_elbow"], xy[f"{side}_wrist"]
        tag = f"{side}_elbow"
        skin = self.tone(_SKIN, tag)
        _capsule(img, sh, el, self.px(0.026 * h, tag), self.px(0.021 * h, tag), skin)
        _capsule(img, el, wr, self.px(0.021 * h, tag), self.px(0.016 * h, tag), skin)
        sleeve = sh + 0.4 * (el - sh)
        shirt = self.tone(_SHIRT, tag)
        _capsule(img, sh, sleeve, self.px(0.033 * h, tag), self.px(0.03 * h, tag), shirt)
        hand = xy[f"{side}_hand"]
        _capsule(img, wr, hand, self.px(0.018 * h, tag), self.px(0.024 * h, tag), skin)

    def trunk_px(self, profile: list[tuple[float, float]]) -> FloatArray:
        """Trunk-frame (across, along) points: across is forward (side) or right (rear)."""
        pel, neck = self.p3("pelvis"), self.p3("neck")
        axis = (neck - pel) / np.linalg.norm(neck - pel)
        if self.side_view:
            across = np.array([axis[1], -axis[0], 0.0])
            tilt = 0.0
        else:
            across = np.array([0.0, 0.0, 1.0])
            left, right = self.p3("left_hip"), self.p3("right_hip")
            tilt = (right[1] - left[1]) / (right[2] - left[2])
        arr = np.asarray(profile, dtype=np.float64) * (self.h / 1.75)
        c, a = arr[:, :1], arr[:, 1:]
        pts = pel + a * axis + c * across
        low = np.clip((0.2 - a[:, 0]) / 0.2, 0.0, 1.0)
        pts[:, 1] += tilt * c[:, 0] * low
        xy, _ = _project(self.scene, self.t, pts)
        return xy

    def torso(self) -> None:
        if self.side_view:
            shirt = [(-0.095, -0.02), (-0.105, 0.06), (-0.085, 0.16), (-0.09, 0.28),
                     (-0.1, 0.38), (-0.085, 0.46), (-0.045, 0.515), (0.045, 0.515),
                     (0.09, 0.46), (0.115, 0.38), (0.11, 0.28), (0.09, 0.16), (0.095, 0.06),
                     (0.09, -0.02)]  # fmt: skip
            shorts = [(-0.1, -0.1), (-0.115, -0.02), (-0.108, 0.05), (-0.1, 0.1), (0.095, 0.1),
                      (0.095, 0.05), (0.09, -0.03), (0.06, -0.1)]  # fmt: skip
        else:
            half = [(0.165, -0.02), (0.15, 0.12), (0.14, 0.2), (0.16, 0.32), (0.185, 0.42),
                    (0.19, 0.47), (0.07, 0.525)]  # fmt: skip
            shirt = half + [(-c, a) for c, a in reversed(half)]
            shorts_half = [(0.0, -0.06), (0.05, -0.12), (0.17, -0.1), (0.172, 0.0), (0.155, 0.1)]
            shorts = shorts_half + [(-c, a) for c, a in reversed(shorts_half)]
        _poly(self.img, self.trunk_px(shirt), _SHIRT)
        _poly(self.img, self.trunk_px(shorts), _SHORTS)

    def neck(self) -> None:
        h = self.h
        neck, head = self.p3("neck"), self.p3("head")
        base = neck + (head - neck) * 0.05
        top = neck + (head - neck) * 0.75
        xy, _ = _project(self.scene, self.t, np.stack([base, top]))
        r = self.px(0.032 * h, "neck")
        _capsule(self.img, xy[0], xy[1], r, r, _SKIN)

    def head(self) -> None:
        h = self.h
        head, neck = self.p3("head"), self.p3("neck")
        up = (head - neck) / np.linalg.norm(head - neck)
        if self.side_view:
            across = np.array([up[1], -up[0], 0.0])  # forward
            r_across = 0.058 * h
        else:
            across = np.array([0.0, 0.0, 1.0])
            r_across = 0.046 * h
        r_up = 0.066 * h
        ang = np.linspace(0.0, 2.0 * np.pi, 40, endpoint=False)
        ring = head + np.outer(np.cos(ang) * r_across, across) + np.outer(np.sin(ang) * r_up, up)
        face, _ = _project(self.scene, self.t, ring)
        _poly(self.img, face, _SKIN)
        if self.side_view:
            hair_ang = np.linspace(math.radians(70), math.radians(235), 24)
            scale = 1.05
        else:
            hair_ang = np.linspace(math.radians(-25), math.radians(205), 30)
            scale = 1.04
        hair = head + np.outer(np.cos(hair_ang) * r_across * scale, across)
        hair = hair + np.outer(np.sin(hair_ang) * r_up * scale, up)
        inner = head + (0.25 * r_up) * up - (0.25 * r_across if self.side_view else 0.0) * across
        pts, _ = _project(self.scene, self.t, np.vstack([hair, inner[None]]))
        _poly(self.img, pts, _HAIR)
        if not self.side_view:
            for side in SIDES:
                ear = self.xy[f"{side}_ear"]
                _ellipse(
                    self.img,
                    ear,
                    self.px(0.012 * h, "head"),
                    self.px(0.022 * h, "head"),
                    _shade(_SKIN, 0.85),
                )
            return
        near = "right" if self.scene.camera.facing == "right" else "left"
        ear = self.xy[f"{near}_ear"]
        _ellipse(
            self.img,
            ear,
            self.px(0.013 * h, "head"),
            self.px(0.022 * h, "head"),
            _shade(_SKIN, 0.82),
        )
        eye = self.xy[f"{near}_eye"]
        _ellipse(
            self.img, eye, self.px(0.007 * h, "head"), self.px(0.006 * h, "head"), (245, 245, 245)
        )
        pupil = eye + (self.xy["nose"] - self.xy["head"]) * 0.04
        _ellipse(self.img, pupil, self.px(0.004 * h, "head"), self.px(0.0045 * h, "head"), _HAIR)
        brow = [
            head + across * 0.05 * h + up * 0.022 * h,
            head + across * 0.03 * h + up * 0.024 * h,
        ]
        bxy, _ = _project(self.scene, self.t, np.stack(brow))
        _capsule(
            self.img, bxy[0], bxy[1], self.px(0.003 * h, "head"), self.px(0.003 * h, "head"), _HAIR
        )
        bridge = head + across * 0.055 * h + up * 0.006 * h
        base = head + across * 0.056 * h - up * 0.018 * h
        nose3 = self.p3("nose")
        nxy, _ = _project(self.scene, self.t, np.stack([bridge, nose3, base]))
        _poly(self.img, nxy, _shade(_SKIN, 0.93))
        mouth = [
            head + across * 0.05 * h - up * 0.034 * h,
            head + across * 0.036 * h - up * 0.034 * h,
        ]
        mxy, _ = _project(self.scene, self.t, np.stack(mouth))
        _capsule(
            self.img,
            mxy[0],
            mxy[1],
            self.px(0.0025 * h, "head"),
            self.px(0.0025 * h, "head"),
            (150, 80, 70),
        )


def _ellipse(img: Image, centre: FloatArray, rx: float, ry: float, color: Color) -> None:
    ang = np.linspace(0.0, 2.0 * np.pi, 20, endpoint=False)
    _poly(img, centre + np.stack([rx * np.cos(ang), ry * np.sin(ang)], axis=1), color)
