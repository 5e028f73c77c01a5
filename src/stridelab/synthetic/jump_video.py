"""A jumping figure with exact flight and contact times, as keypoints or as a video.

In: a :class:`JumpVideoSpec` (test, flight and contact times, body height, box height)
and a :class:`~stridelab.synthetic.runner.CameraSpec`. Out: the figure's 3D points at
any time (:func:`jump_pose`, a ``pose_fn`` for
:func:`~stridelab.synthetic.render.write_pose_video`), exact projected keypoints
(:func:`synthetic_jump_keypoints`), an H.264 clip through the renderer
(:func:`write_jump_video`) and the :class:`JumpVideoTruth`.

Model (metres; x forward, y up, z the figure's right; the floor is ``y = 0``). Both
legs move together, feet side by side, jumping in place.

- **Feet.** On the ground the *toe corner* of each sole (front, bottom) stays fixed;
  the sole rotates about it between flat (0°) and the take-off angle (35° toes down),
  so the heel rises in push-off and drops again after landing.
- **Pelvis.** On the ground the pelvis height is a quintic Hermite between key states
  (height and vertical velocity), so the knees and ankles flex and extend (two-link
  inverse kinematics, knee forward). Take-off is the instant the toe corners leave the
  ground with the pelvis rising at ``v0 = g·T/2``; in flight the pelvis is **exactly
  ballistic** and the leg posture (ankle relative to pelvis) is the take-off posture
  plus a tuck that is zero, with zero rate, at both ends. The landing posture is
  therefore the take-off posture, the toe corners touch the floor again exactly at
  ``take-off + T``, and the jump height of the pelvis (and of the centre of mass) is
  exactly ``g·T²/8``.
- **Tests.** ``cmj``: countermovement then one jump; ``squat``: a held squat (1 s) then
  one jump; ``drop``: standing on the toes on a box of ``box_height_cm`` (the renderer
  cannot draw the box: the figure stands on nothing), a fall of ``√(2H/g)``, a rebound
  contact and one jump; ``pogo`` and ``rj10-5``: repeated hops with the given contact
  times between them (the first hop starts from a small dip when standing).

Hop contacts are spring-like: the pelvis leaves at the landing speed downwards, sinks
about ``v·C/π`` and returns to the take-off height at the next take-off speed.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from stridelab.errors import InputError
from stridelab.synthetic.runner import (
    HEEL_HEIGHT_M,
    HEEL_INSET_M,
    MIN_KNEE_FLEXION_DEG,
    TOE_HEIGHT_M,
    BodyPose,
    CameraSpec,
    RunnerBody,
    RunnerSpec,
    project_points,
    quintic_hermite,
    runner_body,
    sagittal_knee,
)
from stridelab.video.keypoints import KEYPOINTS, PoseTrack, make_pose_track

__all__ = [
    "JumpTruthEvent",
    "JumpVideoSpec",
    "JumpVideoTruth",
    "default_jump_camera",
    "jump_pose",
    "jump_truth",
    "synthetic_jump_keypoints",
    "write_jump_video",
]

FloatArray = NDArray[np.float64]
G = 9.80665
JumpKind = Literal["cmj", "squat", "drop", "pogo", "rj10-5"]

_TAKEOFF_SOLE_DEG = -35.0  # sole angle at take-off and landing (toes down)
_HOP_MID_SOLE_DEG = -12.0  # sole angle at mid-contact of a hop (heel not down)
_STAND_KNEE_DEG = 6.0
_HIP_BACK_M = 0.12  # pelvis behind the ankle in the deepest crouch
_SIDE_Z_M = 0.09  # feet and knees half apart

_DEFAULTS: dict[str, tuple[tuple[float, ...], tuple[float, ...]]] = {
    # test: (flight times ms, contact times ms between consecutive flights)
    "cmj": ((560.0,), ()),
    "squat": ((520.0,), ()),
    "drop": ((500.0,), (230.0,)),
    "pogo": ((380.0, 400.0, 390.0, 410.0, 395.0, 385.0), (170.0, 160.0, 175.0, 165.0, 180.0)),
    "rj10-5": (
        (380.0, 450.0, 470.0, 480.0, 440.0, 500.0, 460.0, 470.0, 430.0, 455.0),
        (200.0, 190.0, 185.0, 290.0, 180.0, 195.0, 185.0, 205.0, 210.0),
    ),
}


@dataclass(frozen=True)
class JumpVideoSpec:
    """A jump or hop test performed by the figure (all truth derives from these).

    Attributes
    ----------
    test : ``cmj``, ``squat``, ``drop``, ``pogo`` or ``rj10-5``.
    flight_times_ms : flight time of each jump (ms); None = the test's default.
    contact_times_ms : ground contact between consecutive flights (ms), one fewer than
        the flights (hops); for ``drop`` one value: the rebound contact after the fall.
        None = the test's default.
    height_cm : body height (segment lengths by Winter's fractions).
    box_height_cm : ``drop`` only: the fall height.
    lead_s, tail_s : quiet standing before the movement and after the last landing.
    """

    test: JumpKind = "cmj"
    flight_times_ms: tuple[float, ...] | None = None
    contact_times_ms: tuple[float, ...] | None = None
    height_cm: float = 175.0
    box_height_cm: float = 30.0
    lead_s: float = 0.8
    tail_s: float = 0.8

    def __post_init__(self) -> None:
        if self.test not in _DEFAULTS:
            raise InputError(f"test must be one of {', '.join(_DEFAULTS)}, got {self.test!r}")
        flights, contacts = self.flights_ms, self.contacts_ms
        if not flights or any(not 150.0 <= f <= 900.0 for f in flights):
            raise InputError(f"flight times must be 150–900 ms, got {flights}")
        if any(not 100.0 <= c <= 800.0 for c in contacts):
            raise InputError(f"contact times must be 100–800 ms, got {contacts}")
        want = 1 if self.test == "drop" else len(flights) - 1
        if self.test in ("cmj", "squat") and len(flights) != 1:
            raise InputError(f"{self.test}: one flight, got {len(flights)}")
        if len(contacts) != want:
            raise InputError(f"{self.test}: {want} contact times needed, got {len(contacts)}")
        if not 10.0 <= self.box_height_cm <= 80.0:
            raise InputError(f"box_height_cm must be 10–80, got {self.box_height_cm}")
        if not 150.0 <= self.height_cm <= 210.0:
            raise InputError(f"height_cm must be 150–210, got {self.height_cm}")
        for name in ("lead_s", "tail_s"):
            value = getattr(self, name)
            if not 0.0 <= value <= 60.0:
                raise InputError(f"{name} must be 0–60 s, got {value}")

    @property
    def flights_ms(self) -> tuple[float, ...]:
        if self.flight_times_ms is not None:
            return self.flight_times_ms
        return _DEFAULTS[self.test][0]

    @property
    def contacts_ms(self) -> tuple[float, ...]:
        if self.contact_times_ms is not None:
            return self.contact_times_ms
        return _DEFAULTS[self.test][1]


@dataclass(frozen=True)
class JumpTruthEvent:
    """One flight, exactly: take-off and landing (s), flight (ms), the ground contact
    before it (ms, hops and the drop rebound), height g·T²/8 (cm) and RSI."""

    takeoff_time_s: float
    landing_time_s: float
    flight_time_ms: float
    contact_time_ms: float | None
    height_cm: float
    rsi: float | None


@dataclass(frozen=True)
class JumpVideoTruth:
    """What the clip shows: every jump (``jumps``), the drop landing (``drop``), and
    the clip length ``duration_s`` (real seconds)."""

    spec: JumpVideoSpec
    jumps: tuple[JumpTruthEvent, ...]
    duration_s: float
    drop_landing_time_s: float | None = None
    frame_times_s: FloatArray = field(default_factory=lambda: np.zeros(0), repr=False)


# ------------------------------------------------------------------------ timeline


@dataclass(frozen=True)
class _Key:
    """A state the figure passes through: pelvis height above the (current) ground of
    the feet (m), its vertical velocity (m/s), sole angle (rad), ground height (m)."""

    pelvis_m: float
    velocity_m_s: float
    sole_rad: float
    ground_m: float


@dataclass(frozen=True)
class _Phase:
    kind: Literal["ground", "flight"]
    start_s: float
    end_s: float
    a: _Key
    b: _Key


def _leg_reach(body: RunnerBody, knee_deg: float) -> float:
    k = math.radians(knee_deg)
    return math.sqrt(
        body.thigh_m**2 + body.shank_m**2 + 2 * body.thigh_m * body.shank_m * math.cos(k)
    )


def _ankle_rel(body: RunnerBody, sole: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Ankle (x, y) relative to the fixed toe corner for a sole angle (rad)."""
    u, v = -body.toe_front_m, body.ankle_height_m
    return u * np.cos(sole) - v * np.sin(sole), u * np.sin(sole) + v * np.cos(sole)


def _pelvis_for(body: RunnerBody, sole: float, knee_deg: float) -> float:
    """Pelvis height over the ground with the ankle at sole angle ``sole`` and the hip
    straight above the ankle at knee flexion ``knee_deg``."""
    _, ay = _ankle_rel(body, np.array(sole))
    return float(ay) + _leg_reach(body, knee_deg)


def _timeline(spec: JumpVideoSpec, body: RunnerBody) -> tuple[list[_Phase], float | None]:
    phi_to = math.radians(_TAKEOFF_SOLE_DEG)
    stand = _Key(_pelvis_for(body, 0.0, _STAND_KNEE_DEG), 0.0, 0.0, 0.0)
    p_to = _pelvis_for(body, phi_to, MIN_KNEE_FLEXION_DEG)
    leg = body.thigh_m + body.shank_m
    bottom = _Key(_pelvis_for(body, 0.0, 95.0), 0.0, 0.0, 0.0)
    landing_low = _Key(_pelvis_for(body, 0.0, 60.0), 0.0, 0.0, 0.0)
    flights = [f / 1000.0 for f in spec.flights_ms]
    contacts = [c / 1000.0 for c in spec.contacts_ms]
    phases: list[_Phase] = []
    t = 0.0
    state = stand
    drop_landing: float | None = None

    def ground(dur: float, key: _Key) -> None:
        nonlocal t, state
        phases.append(_Phase("ground", t, t + dur, state, key))
        t += dur
        state = key

    def fly(dur: float, key: _Key) -> None:
        nonlocal t, state
        phases.append(_Phase("flight", t, t + dur, state, key))
        t += dur
        state = key

    if spec.test == "drop":
        box = spec.box_height_cm / 100.0
        state = replace(stand, ground_m=box)
        ground(spec.lead_s, state)
        ground(0.35, _Key(p_to, 0.0, phi_to, box))
        fall = math.sqrt(2.0 * box / G)
        fly(fall, _Key(p_to, -G * fall, phi_to, 0.0))
        drop_landing = t
        v0 = G * flights[0] / 2.0
        c = contacts[0]
        mid = _Key(
            p_to - (G * fall + v0) / 2.0 * c / math.pi, 0.0, math.radians(_HOP_MID_SOLE_DEG), 0.0
        )
        ground(c / 2.0, mid)
        ground(c / 2.0, _Key(p_to, v0, phi_to, 0.0))
        fly(flights[0], _Key(p_to, -v0, phi_to, 0.0))
    else:
        ground(spec.lead_s, stand)
        v0 = G * flights[0] / 2.0
        if spec.test == "cmj":
            ground(0.5, bottom)
            ground(0.32, _Key(p_to, v0, phi_to, 0.0))
        elif spec.test == "squat":
            ground(0.9, bottom)
            ground(1.0, bottom)
            ground(0.34, _Key(p_to, v0, phi_to, 0.0))
        else:  # hops: a small dip, then the first hop
            ground(0.3, _Key(stand.pelvis_m - 0.06 * leg, 0.0, 0.0, 0.0))
            ground(0.22, _Key(p_to, v0, phi_to, 0.0))
        fly(flights[0], _Key(p_to, -v0, phi_to, 0.0))
        for c, f in zip(contacts, flights[1:], strict=True):
            v_in, v_out = state.velocity_m_s, G * f / 2.0
            sink = (abs(v_in) + v_out) / 2.0 * c / math.pi
            ground(c / 2.0, _Key(p_to - sink, 0.0, math.radians(_HOP_MID_SOLE_DEG), 0.0))
            ground(c / 2.0, _Key(p_to, v_out, phi_to, 0.0))
            fly(f, _Key(p_to, -v_out, phi_to, 0.0))
    ground(0.38, landing_low)
    ground(0.6, stand)
    ground(spec.tail_s, stand)
    return phases, drop_landing


def _bump(s: FloatArray) -> FloatArray:
    """0 → 1 → 0 on [0, 1] with zero slope at both ends."""
    return 16.0 * s * s * (1.0 - s) ** 2


# -------------------------------------------------------------------------- truth


def jump_truth(spec: JumpVideoSpec, *, fps: float | None = None) -> JumpVideoTruth:
    """The exact events of ``spec`` (and the frame times ``k / fps`` if given)."""
    phases, drop = _timeline(spec, runner_body(RunnerSpec(height_cm=spec.height_cm)))
    events: list[JumpTruthEvent] = []
    last_landing = drop
    for ph in phases:
        if ph.kind != "flight" or ph.a.ground_m != ph.b.ground_m:
            continue
        ft = ph.end_s - ph.start_s
        contact = None if last_landing is None else (ph.start_s - last_landing) * 1000.0
        height = 100.0 * G * ft * ft / 8.0
        events.append(
            JumpTruthEvent(
                takeoff_time_s=ph.start_s,
                landing_time_s=ph.end_s,
                flight_time_ms=ft * 1000.0,
                contact_time_ms=contact,
                height_cm=height,
                rsi=None if contact is None else height / 100.0 / (contact / 1000.0),
            )
        )
        last_landing = ph.end_s
    duration = phases[-1].end_s
    times = np.zeros(0)
    if fps is not None:
        times = np.arange(max(1, round(duration * fps)), dtype=np.float64) / fps
    return JumpVideoTruth(spec, tuple(events), duration, drop, times)


# -------------------------------------------------------------------------- poses


def jump_pose(spec: JumpVideoSpec) -> Callable[[FloatArray], BodyPose]:
    """A ``pose_fn`` for the renderer: times (s) → the figure's :class:`BodyPose`."""
    body = runner_body(RunnerSpec(height_cm=spec.height_cm))
    phases, _ = _timeline(spec, body)
    starts = np.array([p.start_s for p in phases])

    def pose_fn(times: FloatArray) -> BodyPose:
        return _pose(body, phases, starts, np.atleast_1d(np.asarray(times, dtype=np.float64)))

    return pose_fn


def _pose(body: RunnerBody, phases: list[_Phase], starts: FloatArray, t: FloatArray) -> BodyPose:
    n = t.shape[0]
    idx = np.clip(np.searchsorted(starts, t, side="right") - 1, 0, len(phases) - 1)
    py = np.zeros(n)  # pelvis height (absolute)
    sole = np.zeros(n)
    toe_y = np.zeros(n)  # toe-corner height (absolute)
    airborne = np.zeros(n, dtype=bool)
    tuck = np.zeros(n)
    ax0, _ = _ankle_rel(body, np.array(0.0))
    toe_x = -float(ax0)  # toe-corner x: the flat ankle sits at x = 0
    stand_p = _pelvis_for(body, 0.0, _STAND_KNEE_DEG)
    deep_p = _pelvis_for(body, 0.0, 95.0)
    for k, ph in enumerate(phases):
        sel = idx == k
        if not sel.any():
            continue
        dur = ph.end_s - ph.start_s
        s = np.clip((t[sel] - ph.start_s) / dur, 0.0, 1.0)
        if ph.kind == "ground":
            py[sel] = ph.a.ground_m + quintic_hermite(
                s, ph.a.pelvis_m, ph.a.velocity_m_s * dur, ph.b.velocity_m_s * dur, ph.b.pelvis_m
            )
            q = s * s * s * (10.0 + s * (-15.0 + 6.0 * s))
            sole[sel] = ph.a.sole_rad + (ph.b.sole_rad - ph.a.sole_rad) * q
            toe_y[sel] = ph.a.ground_m
        else:
            tau = t[sel] - ph.start_s
            p0 = ph.a.ground_m + ph.a.pelvis_m
            py[sel] = p0 + ph.a.velocity_m_s * tau - 0.5 * G * tau * tau
            b = _bump(s)
            sole[sel] = ph.a.sole_rad + math.radians(18.0) * b
            tuck[sel] = b * min(1.0, dur / 0.45)
            airborne[sel] = True
            # the toe corner follows the pelvis in the take-off posture (plus the tuck)
            toe_y[sel] = py[sel] - ph.a.pelvis_m
    ax_rel, ay_rel = _ankle_rel(body, sole)
    ankle_x = toe_x + ax_rel
    ankle_y = toe_y + ay_rel
    leg = body.thigh_m + body.shank_m
    # flight: in the take-off posture the toe corner is the ground contact point; the
    # tuck lifts the ankles towards the pelvis and a little back
    ankle_y = ankle_y + 0.16 * leg * tuck
    ankle_x = ankle_x - 0.04 * tuck
    crouch = np.clip((stand_p - (py - toe_y * (~airborne))) / (stand_p - deep_p), 0.0, 1.0)
    pelvis_x = ankle_x - _HIP_BACK_M * crouch
    # keep the pelvis x continuous through flight: the take-off value
    for k, ph in enumerate(phases):
        if ph.kind == "flight":
            sel = idx == k
            if sel.any():
                a_x, _ = _ankle_rel(body, np.array(ph.a.sole_rad))
                pelvis_x[sel] = toe_x + float(a_x)
    pts: dict[str, FloatArray] = {}

    def put(name: str, x: FloatArray, y: FloatArray, z: float) -> None:
        pts[name] = np.stack([x, y, np.full(n, z)], axis=1)

    zero = np.zeros(n)
    put("pelvis", pelvis_x, py, 0.0)
    lean = np.radians(8.0 + 32.0 * crouch)
    sole_deg: dict[str, FloatArray] = {}
    contact: dict[str, NDArray[np.bool_]] = {}
    hx = pelvis_x
    for side, z in (("left", -_SIDE_Z_M), ("right", _SIDE_Z_M)):
        hz = -body.hip_half_width_m if side == "left" else body.hip_half_width_m
        kx, ky = sagittal_knee(hx, py, ankle_x, ankle_y, body.thigh_m, body.shank_m)
        put(f"{side}_hip", hx, py, hz)
        put(f"{side}_knee", kx, ky, (hz + z) / 2.0)
        put(f"{side}_ankle", ankle_x, ankle_y, z)
        for name, (u, v) in {
            "heel": (-body.heel_back_m + HEEL_INSET_M, HEEL_HEIGHT_M),
            "toe": (body.toe_front_m, TOE_HEIGHT_M),
            "heel_sole": (-body.heel_back_m, 0.0),
            "toe_sole": (body.toe_front_m, 0.0),
        }.items():
            vv = v - body.ankle_height_m
            ox = u * np.cos(sole) - vv * np.sin(sole)
            oy = u * np.sin(sole) + vv * np.cos(sole)
            put(f"{side}_{name}", ankle_x + ox, ankle_y + oy, z)
        sole_deg[side] = np.degrees(sole)
        contact[side] = ~airborne
    neck_x = pelvis_x + body.trunk_m * np.sin(lean)
    neck_y = py + body.trunk_m * np.cos(lean)
    put("neck", neck_x, neck_y, 0.0)
    tilt = 0.3 * lean
    head_x = neck_x + body.neck_m * np.sin(tilt)
    head_y = neck_y + body.neck_m * np.cos(tilt)
    put("head", head_x, head_y, 0.0)
    h = body.height_m
    for name, (fwd, up, lat) in {
        "nose": (0.072 * h, -0.012 * h, 0.0),
        "left_eye": (0.05 * h, 0.008 * h, -0.018 * h),
        "right_eye": (0.05 * h, 0.008 * h, 0.018 * h),
        "left_ear": (-0.004 * h, 0.0, -0.046 * h),
        "right_ear": (-0.004 * h, 0.0, 0.046 * h),
    }.items():
        c, s_ = np.cos(-tilt), np.sin(-tilt)
        put(name, head_x + fwd * c - up * s_, head_y + fwd * s_ + up * c, lat)
    # arms: back in the crouch, forward and up through take-off and flight
    vy = np.gradient(py, t) if n > 1 else zero
    swing = np.clip(vy / 2.5, -1.0, 1.0)
    theta = np.radians(-10.0 - 45.0 * crouch + 35.0 * np.maximum(swing, 0.0) + 30.0 * tuck)
    for side in ("left", "right"):
        sgn = -1.0 if side == "left" else 1.0
        sx, sy = neck_x, neck_y - 0.03 * h
        sz = sgn * body.shoulder_half_width_m
        ex = sx + body.upper_arm_m * np.sin(theta)
        ey = sy - body.upper_arm_m * np.cos(theta)
        elbow = theta + np.radians(30.0)
        wx = ex + body.forearm_m * np.sin(elbow)
        wy = ey - body.forearm_m * np.cos(elbow)
        put(f"{side}_shoulder", sx, sy, sz)
        put(f"{side}_elbow", ex, ey, sz + sgn * 0.03)
        put(f"{side}_wrist", wx, wy, sz + sgn * 0.02)
        put(
            f"{side}_hand",
            wx + 0.35 * body.hand_m * np.sin(elbow),
            wy - 0.35 * body.hand_m * np.cos(elbow),
            sz + sgn * 0.02,
        )
    return BodyPose(time_s=t.copy(), points_m=pts, sole_angle_deg=sole_deg, in_contact=contact)


# ---------------------------------------------------------------- keypoints, video


def _scene_spec(spec: JumpVideoSpec) -> RunnerSpec:
    return RunnerSpec(surface="treadmill", height_cm=spec.height_cm)


def default_jump_camera(fps: float = 60.0, **changes: object) -> CameraSpec:
    """A side camera framing a jumping figure (4 m away, 1.1 m high, 960×540)."""
    base = CameraSpec(
        view="side", fps=fps, width_px=960, height_px=540, distance_m=4.0, camera_height_m=1.1
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def synthetic_jump_keypoints(
    spec: JumpVideoSpec, camera: CameraSpec, *, noise_px: float = 0.0, seed: int = 0
) -> tuple[PoseTrack, JumpVideoTruth]:
    """Exact projected keypoints at ``k / camera.fps`` (plus Gaussian noise of
    ``noise_px``), and the truth. ``px_per_m`` is set from the camera."""
    truth = jump_truth(spec, fps=camera.fps)
    times = truth.frame_times_s
    pose = jump_pose(spec)(times)
    pts = np.stack([pose.points_m[name] for name in KEYPOINTS], axis=1)
    xy, _ = project_points(_scene_spec(spec), camera, pts, times)
    if noise_px > 0.0:
        xy = xy + np.random.default_rng(seed).normal(0.0, noise_px, size=xy.shape)
    track = make_pose_track(
        times,
        xy,
        width_px=camera.width_px,
        height_px=camera.height_px,
        source="synthetic",
        notes=(f"synthetic {spec.test} jumper, exact keypoints",),
        px_per_m=camera.px_per_m,
    )
    return track, truth


def write_jump_video(
    spec: JumpVideoSpec,
    camera: CameraSpec,
    path: str | Path,
    *,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> JumpVideoTruth:
    """Render the jumping figure into an H.264 MP4 (frame k shows real time k / fps;
    ``camera.stored_fps`` makes a slow-motion file) and return the truth."""
    from stridelab.synthetic.render import write_pose_video

    truth = jump_truth(spec, fps=camera.fps)
    write_pose_video(
        jump_pose(spec),
        camera,
        path,
        duration_s=truth.duration_s,
        height_cm=spec.height_cm,
        seed=seed,
        progress=progress,
    )
    return truth
