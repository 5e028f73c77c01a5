"""A parametric running-gait model with exact truth, seen through a pinhole camera.

The model lives in metres: x forward (the running direction), y up, z to the runner's
right; the ground (treadmill belt or floor) is ``y = 0``. Segment lengths follow
Winter's anthropometric fractions of body height. Everything the gait pipeline measures
is *defined* on this model, so the truth is exact (up to float rounding):

Timing
    Step time ``60 / cadence_spm``; the feet alternate left, right; each stance lasts
    ``contact_time_ms`` (± half ``contact_asymmetry_pct``: left longer for a positive
    value); flight = step time − contact time > 0. At ``t = 0`` the stride phase is
    ``start_phase`` (0 = left initial contact at t = 0).
Foot
    A rigid shoe with a straight sole from the *heel corner* (back, bottom) to the *toe
    corner* (front, bottom). ``*_heel`` is the posterior heel of the shoe
    :data:`HEEL_HEIGHT_M` above the sole bottom (where BlazePose's ``heel`` sits);
    ``*_toe`` is the front tip of the shoe :data:`TOE_HEIGHT_M` above the sole bottom
    (BlazePose ``foot_index``); ``*_ankle`` the ankle joint. IC is the first instant
    the sole touches the ground, with the sole at ``foot_strike_angle_deg`` (+ toes up:
    heel corner lands and the foot rolls flat about it; − toes down: the toe corner
    lands and the heel drops; 0: flat). The foot is flat from 20 % to 55 % of stance,
    then rolls about the toe corner to 60° toes down at TO, the last instant of contact.
    The contacting corner never slips: on a treadmill it moves back at belt speed, over
    ground it stays fixed while the body moves forward.
Body
    At IC the heel keypoint is ``overstride_cm`` ahead of the pelvis centre (hip-joint
    midpoint). The pelvis height is lowest at each midstance and highest halfway
    between, a (phase-warped) cosine with peak-to-peak ``vertical_oscillation_cm``. The
    pelvis tilts in the frontal plane by ``pelvic_drop_deg`` toward the swing side at
    each midstance (the stance hip rises, the swing hip drops). The knee comes from
    two-link inverse kinematics in the sagittal plane (knee forward); the mean pelvis
    height is the highest at which the knee never extends beyond
    :data:`MIN_KNEE_FLEXION_DEG`. Each leg lies in a plane from its hip (z = ± hip
    half width) to its foot (z = ± ``step_width_cm`` / 2); all angles in the truth are
    measured in the sagittal (x, y) projection. Swing is a quintic (minimum-jerk)
    path of ankle and sole angle from TO to IC matching position, velocity and
    acceleration at both ends, plus a smooth lift for toe clearance. The trunk leans
    forward by ``trunk_lean_deg`` (pelvis centre → shoulder centre vs vertical); arms
    swing opposite the legs.
Camera
    A pinhole camera looking horizontally from ``camera_height_m``. Side view: the
    camera is ``distance_m`` from the runner's sagittal plane, on the runner's *right*
    for ``facing="right"`` (runner faces image right, right limbs are near) and on the
    *left* for ``facing="left"`` (left limbs near). Rear view: the camera is
    ``distance_m`` behind the pelvis, image right = the runner's right. Over ground the
    side camera is fixed (the runner passes its axis at mid-clip) and the rear camera
    follows at constant distance. ``px_per_m = focal_px / distance_m``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from stridelab.errors import InputError
from stridelab.video.keypoints import KEYPOINTS, PoseTrack, make_pose_track

__all__ = [
    "HEEL_HEIGHT_M",
    "HEEL_INSET_M",
    "MIN_KNEE_FLEXION_DEG",
    "SIDES",
    "TOE_HEIGHT_M",
    "BodyPose",
    "CameraSpec",
    "RunnerBody",
    "RunnerSpec",
    "RunnerTruth",
    "StepTruth",
    "body_pose",
    "camera_centre_m",
    "project_points",
    "quintic_hermite",
    "runner_body",
    "runner_truth",
    "sagittal_knee",
    "synthetic_keypoints",
]

FloatArray = NDArray[np.float64]
Side = Literal["left", "right"]
#: The two sides, in the order the feet alternate.
SIDES: tuple[Side, Side] = ("left", "right")

#: Posterior-heel keypoint height above the sole bottom (m).
HEEL_HEIGHT_M = 0.045
#: The posterior calcaneus lies this far in front of the back of the shoe (m).
HEEL_INSET_M = 0.008
#: Toe-tip (``foot_index``) keypoint height above the sole bottom (m).
TOE_HEIGHT_M = 0.015
#: The knee is never straighter than this (sets the mean pelvis height), degrees.
MIN_KNEE_FLEXION_DEG = 10.0
_SOLE_THICKNESS_M = 0.025
_FLAT_START = 0.20  # fraction of stance when the sole is flat ...
_HEEL_OFF = 0.55  # ... until heel rise
_TO_SOLE_ANGLE_DEG = -60.0  # sole angle at toe-off (toes down)
_LANDING_BACK_FRACTION = 0.5  # foot speed backward relative to the pelvis at IC / speed
_LANDING_SINK_M_S = 0.5  # ankle's downward speed at IC
_ARM_MEAN_DEG = -6.0  # mean upper-arm angle (+ forward)
_ELBOW_FLEXION_DEG = 85.0
_IK_SAMPLES = 4001
_SPEC_RANGES = {
    "cadence_spm": (100.0, 260.0),
    "contact_time_ms": (80.0, 600.0),
    "foot_strike_angle_deg": (-30.0, 35.0),
    "overstride_cm": (-30.0, 60.0),
    "trunk_lean_deg": (-20.0, 40.0),
    "vertical_oscillation_cm": (0.0, 25.0),
    "speed_m_s": (0.5, 12.0),
    "height_cm": (100.0, 230.0),
    "pelvic_drop_deg": (-15.0, 15.0),
    "step_width_cm": (-10.0, 40.0),
    "arm_swing_deg": (0.0, 120.0),
    "contact_asymmetry_pct": (-50.0, 50.0),
    "duration_s": (1e-3, 3600.0),
}
_CAMERA_RANGES = {
    "fps": (1.0, 2000.0),
    "width_px": (16, 8192),
    "height_px": (16, 8192),
    "distance_m": (1.0, 100.0),
    "camera_height_m": (0.1, 5.0),
    "horizontal_fov_deg": (5.0, 150.0),
    "keypoint_noise_px": (0.0, 1000.0),
    "image_noise": (0.0, 255.0),
    "motion_blur_subframes": (1, 64),
}


@dataclass(frozen=True)
class RunnerSpec:
    """The runner and the gait (all truth derives exactly from these numbers).

    Attributes
    ----------
    cadence_spm : steps per minute.
    contact_time_ms : mean ground-contact time per step.
    foot_strike_angle_deg : sole vs ground at initial contact; + toes up (rearfoot),
        0 flat, − toes down (forefoot).
    overstride_cm : horizontal heel-keypoint − pelvis-centre distance at IC
        (+ = heel ahead of the body).
    trunk_lean_deg : pelvis-centre → shoulder-centre line vs vertical, + forward.
    vertical_oscillation_cm : pelvis-centre height, peak to peak, every step.
    speed_m_s : running (belt) speed.
    height_cm : body height; segment lengths are Winter fractions of it.
    surface : ``"treadmill"`` (body in place, belt moves back) or ``"overground"``.
    pelvic_drop_deg : frontal-plane pelvis tilt toward the swing side at midstance.
    step_width_cm : lateral distance between the foot centres.
    arm_swing_deg : peak-to-peak upper-arm swing in the sagittal plane.
    contact_asymmetry_pct : left − right contact time in % of the mean.
    duration_s : clip length (real time).
    start_phase : stride phase at t = 0 in [0, 1) (0 = left initial contact).
    seed : drives keypoint and image noise.
    """

    cadence_spm: float = 170.0
    contact_time_ms: float = 260.0
    foot_strike_angle_deg: float = 8.0
    overstride_cm: float = 10.0
    trunk_lean_deg: float = 6.0
    vertical_oscillation_cm: float = 8.0
    speed_m_s: float = 3.3
    height_cm: float = 175.0
    surface: Literal["treadmill", "overground"] = "treadmill"
    pelvic_drop_deg: float = 0.0
    step_width_cm: float = 8.0
    arm_swing_deg: float = 35.0
    contact_asymmetry_pct: float = 0.0
    duration_s: float = 4.0
    start_phase: float = 0.0
    seed: int = 0

    def __post_init__(self) -> None:
        for name, (low, high) in _SPEC_RANGES.items():
            _check_range(name, getattr(self, name), low, high)
        if not 0.0 <= self.start_phase < 1.0:
            raise InputError(f"start_phase must be in [0, 1), got {self.start_phase}")
        if self.surface not in ("treadmill", "overground"):
            raise InputError(f"surface must be 'treadmill' or 'overground', got {self.surface!r}")
        step_ms = 60_000.0 / self.cadence_spm
        longest_ms = self.contact_time_ms * (1.0 + abs(self.contact_asymmetry_pct) / 200.0)
        if longest_ms >= step_ms:
            raise InputError(
                f"no flight phase: the longest contact ({longest_ms:.1f} ms) must be shorter "
                f"than the step time ({step_ms:.1f} ms at {self.cadence_spm} spm); "
                "lower contact_time_ms or raise cadence_spm (this model only runs)"
            )


@dataclass(frozen=True)
class CameraSpec:
    """Where the camera is and what it records.

    Attributes
    ----------
    view : ``"side"`` or ``"rear"``.
    fps : capture rate (frames per real second); frame k is at ``k / fps`` s.
    stored_fps : the rate written in the video file (slow-motion phone files), None =
        ``fps``.
    width_px, height_px : frame size.
    distance_m : camera to the runner's sagittal plane (side) or to the pelvis (rear).
    camera_height_m : optical centre above the ground; the axis is horizontal.
    horizontal_fov_deg : horizontal field of view.
    facing : side view only: the direction the runner faces in the image (camera on the
        runner's right for ``"right"``, on the left for ``"left"``).
    keypoint_noise_px : Gaussian noise sigma added by :func:`synthetic_keypoints`.
    image_noise : sensor-noise sigma (0–255 scale) added by the renderer.
    motion_blur_subframes : renderer: sub-frames averaged over half a frame interval.
    treadmill_visible : renderer: draw the treadmill deck and belt.
    """

    view: Literal["side", "rear"] = "side"
    fps: float = 60.0
    stored_fps: float | None = None
    width_px: int = 1280
    height_px: int = 720
    distance_m: float = 4.0
    camera_height_m: float = 1.0
    horizontal_fov_deg: float = 60.0
    facing: Literal["right", "left"] = "right"
    keypoint_noise_px: float = 0.0
    image_noise: float = 0.0
    motion_blur_subframes: int = 1
    treadmill_visible: bool = True

    def __post_init__(self) -> None:
        if self.view not in ("side", "rear"):
            raise InputError(f"view must be 'side' or 'rear', got {self.view!r}")
        if self.facing not in ("right", "left"):
            raise InputError(f"facing must be 'right' or 'left', got {self.facing!r}")
        for name, (low, high) in _CAMERA_RANGES.items():
            _check_range(name, getattr(self, name), low, high)
        if self.stored_fps is not None:
            _check_range("stored_fps", self.stored_fps, 1.0, 2000.0)

    @property
    def focal_px(self) -> float:
        """Focal length in pixels (square pixels, principal point at the centre)."""
        return 0.5 * self.width_px / math.tan(math.radians(self.horizontal_fov_deg) / 2.0)

    @property
    def px_per_m(self) -> float:
        """Image scale at the runner's plane (side) or the pelvis depth (rear)."""
        return self.focal_px / self.distance_m

    @property
    def file_fps(self) -> float:
        """The frame rate written in the file."""
        return self.fps if self.stored_fps is None else self.stored_fps


@dataclass(frozen=True)
class StepTruth:
    """One step (one foot's stance), exact from the model geometry.

    Angles are in the sagittal (x, y) plane, degrees: ``shank_angle_deg`` is knee→ankle
    vs vertical at IC (+ ankle ahead of the knee); knee flexion is 0 for a straight leg;
    ``peak_knee_flexion_deg`` is the maximum over the stance; ``hip_extension_to_deg``
    is hip→knee behind vertical at TO (+ knee behind the hip).
    """

    foot: Side
    ic_time_s: float
    to_time_s: float
    contact_time_ms: float
    foot_strike_angle_deg: float
    overstride_cm: float
    shank_angle_deg: float
    knee_flexion_ic_deg: float
    peak_knee_flexion_deg: float
    hip_extension_to_deg: float


@dataclass(frozen=True)
class RunnerTruth:
    """What the clip shows, exactly.

    ``steps`` holds every step whose whole stance lies within [0, last frame time],
    in time order. ``duty_factor`` = contact time / stride time. ``px_per_m`` is the
    camera's image scale at the runner's plane; ``frame_times_s`` are real capture
    times ``k / fps``.
    """

    spec: RunnerSpec
    camera: CameraSpec
    steps: tuple[StepTruth, ...]
    cadence_spm: float
    step_time_ms: float
    contact_time_ms: float
    flight_time_ms: float
    duty_factor: float
    trunk_lean_deg: float
    vertical_oscillation_cm: float
    px_per_m: float
    n_frames: int
    frame_times_s: FloatArray = field(repr=False)


@dataclass(frozen=True)
class RunnerBody:
    """Segment dimensions (metres) derived from the body height, plus the shoe.

    The shoe sole runs from ``heel_back_m`` behind the ankle to ``toe_front_m`` in front
    of it; the ankle joint is ``ankle_height_m`` above the sole bottom.
    """

    height_m: float
    thigh_m: float
    shank_m: float
    upper_arm_m: float
    forearm_m: float
    hand_m: float
    trunk_m: float
    neck_m: float
    head_radius_m: float
    hip_half_width_m: float
    shoulder_half_width_m: float
    heel_back_m: float
    toe_front_m: float
    ankle_height_m: float
    sole_thickness_m: float
    foot_half_width_m: float


@dataclass(frozen=True)
class BodyPose:
    """3D model points at some times (metres; x forward, y up, z runner's right).

    ``points_m`` maps a name to an (n, 3) array: the 17 canonical keypoints plus
    ``pelvis``, ``neck`` (shoulder centre), ``head``, ``{side}_eye``, ``{side}_ear``,
    ``{side}_hand``, ``{side}_heel_sole`` and ``{side}_toe_sole`` (sole corners).
    ``sole_angle_deg`` maps a side to the (n,) sole angle (+ toes up) and
    ``in_contact`` to the (n,) stance flags.
    """

    time_s: FloatArray
    points_m: Mapping[str, FloatArray]
    sole_angle_deg: Mapping[str, FloatArray]
    in_contact: Mapping[str, NDArray[np.bool_]]


def _check_range(name: str, value: float, low: float, high: float) -> None:
    if not (isinstance(value, int | float) and math.isfinite(value) and low <= value <= high):
        raise InputError(f"{name} must be a number in [{low}, {high}], got {value!r}")


def runner_body(spec: RunnerSpec) -> RunnerBody:
    """Segment lengths (Winter 2009 fractions of height) and the shoe of ``spec``."""
    h = spec.height_cm / 100.0
    foot = 0.152 * h
    heel_back = 0.25 * foot + 0.008  # shoe extends 0.8 cm behind the heel
    shoe = foot + 0.016
    return RunnerBody(
        height_m=h,
        thigh_m=0.245 * h,
        shank_m=0.246 * h,
        upper_arm_m=0.186 * h,
        forearm_m=0.146 * h,
        hand_m=0.108 * h,
        trunk_m=(0.818 - 0.530) * h,
        neck_m=(0.935 - 0.818) * h,
        head_radius_m=0.065 * h,
        hip_half_width_m=0.05 * h,
        shoulder_half_width_m=0.1 * h,
        heel_back_m=heel_back,
        toe_front_m=shoe - heel_back,
        ankle_height_m=0.039 * h + _SOLE_THICKNESS_M,
        sole_thickness_m=_SOLE_THICKNESS_M,
        foot_half_width_m=0.03 * h,
    )


def _smooth(s: FloatArray) -> FloatArray:
    """Quintic smoothstep 0→1 with zero velocity and acceleration at both ends."""
    s = np.clip(s, 0.0, 1.0)
    return s * s * s * (10.0 + s * (-15.0 + 6.0 * s))


def _push(s: FloatArray) -> FloatArray:
    """Heel-rise profile 0→1: starts at rest, ends still rotating (slope 2 at s = 1)."""
    s = np.clip(s, 0.0, 1.0)
    return s * s


_PUSH_END_SLOPE = 2.0


def quintic_hermite(s: FloatArray, p0: float, d0: float, d1: float, p1: float) -> FloatArray:
    """Quintic Hermite on [0, 1]: positions p0, p1, slopes d0, d1, zero curvature at both ends."""
    s2 = s * s
    s3 = s2 * s
    h0 = 1.0 - s3 * (10.0 - 15.0 * s + 6.0 * s2)
    h1 = s - s3 * (6.0 - 8.0 * s + 3.0 * s2)
    h2 = -s3 * (4.0 - 7.0 * s + 3.0 * s2)
    return p0 * h0 + d0 * h1 + d1 * h2 + p1 * (1.0 - h0)


def _lift(s: FloatArray) -> FloatArray:
    """Toe-clearance bump: 0 at both ends, peak 1 at s = 0.4, zero slope at the ends."""
    return s * s * (1.0 - s) ** 3 / (0.4**2 * 0.6**3)


def _rot(u: FloatArray, v: FloatArray, phi: FloatArray) -> tuple[FloatArray, FloatArray]:
    c, s = np.cos(phi), np.sin(phi)
    return u * c - v * s, u * s + v * c


@dataclass(frozen=True)
class _Model:
    spec: RunnerSpec
    body: RunnerBody
    step_s: float
    stride_s: float
    contact_s: Mapping[str, float]
    first_ic_s: Mapping[str, float]
    strike_rad: float
    to_rad: float
    heel_corner_ic_x: float  # flat-foot heel-corner x at IC (body frame)
    lift_m: float
    pelvis_mean_y: float


def _model(spec: RunnerSpec) -> _Model:
    body = runner_body(spec)
    step_s = 60.0 / spec.cadence_spm
    half = spec.contact_asymmetry_pct / 200.0
    contact = {
        "left": spec.contact_time_ms * (1.0 + half) / 1000.0,
        "right": spec.contact_time_ms * (1.0 - half) / 1000.0,
    }
    first = {
        "left": -spec.start_phase * 2.0 * step_s,
        "right": (1.0 - spec.start_phase * 2.0) * step_s,
    }
    phi0 = math.radians(spec.foot_strike_angle_deg)
    sole = body.heel_back_m + body.toe_front_m
    # Heel keypoint x at IC = overstride, with the landing corner at the ground.
    if phi0 >= 0.0:
        heel_x = (
            spec.overstride_cm / 100.0
            - HEEL_INSET_M * math.cos(phi0)
            + HEEL_HEIGHT_M * math.sin(phi0)
        )
    else:
        heel_x = (
            spec.overstride_cm / 100.0
            - sole * (1.0 - math.cos(phi0))
            - HEEL_INSET_M * math.cos(phi0)
            + HEEL_HEIGHT_M * math.sin(phi0)
        )
    model = _Model(
        spec=spec,
        body=body,
        step_s=step_s,
        stride_s=2.0 * step_s,
        contact_s=contact,
        first_ic_s=first,
        strike_rad=phi0,
        to_rad=math.radians(_TO_SOLE_ANGLE_DEG),
        heel_corner_ic_x=heel_x,
        lift_m=float(np.clip(0.12 + 0.06 * spec.speed_m_s, 0.15, 0.45)) * body.height_m / 1.75,
        pelvis_mean_y=0.0,
    )
    return _with_pelvis_height(model)


def _stance(
    m: _Model, tau: FloatArray, contact_s: float
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Ankle (x, y) and sole angle (rad) ``tau`` s after IC for a stance of ``contact_s``."""
    b, v = m.body, m.spec.speed_m_s
    frac = tau / contact_s
    phi0, phi_to = m.strike_rad, m.to_rad
    phi = np.where(
        frac < _FLAT_START,
        phi0 * (1.0 - _smooth(frac / _FLAT_START)),
        np.where(frac < _HEEL_OFF, 0.0, phi_to * _push((frac - _HEEL_OFF) / (1.0 - _HEEL_OFF))),
    )
    heel_x = m.heel_corner_ic_x - v * tau  # flat-foot heel corner moves with the belt
    on_heel = (frac < _FLAT_START) & (phi0 > 0.0)
    pivot_x = np.where(on_heel, heel_x, heel_x + b.heel_back_m + b.toe_front_m)
    pivot_u = np.where(on_heel, -b.heel_back_m, b.toe_front_m)
    dx, dy = _rot(-pivot_u, np.full_like(pivot_u, b.ankle_height_m), phi)
    return pivot_x + dx, dy, phi


def _foot(
    m: _Model, side: Side, t: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray, NDArray[np.bool_]]:
    """Ankle x, y (body frame), sole angle (rad) and contact flag of one foot at ``t``."""
    v = m.spec.speed_m_s
    tc = m.contact_s[side]
    tau = np.mod(t - m.first_ic_s[side], m.stride_s)
    contact = tau < tc
    ax, ay, phi = _stance(m, np.minimum(tau, tc), tc)
    swing_s = m.stride_s - tc
    b = m.body
    x_to, y_to, _ = _stance(m, np.array([tc]), tc)
    x_ic, y_ic, _ = _stance(m, np.array([0.0]), tc)
    # Velocity at TO: the toe corner moves with the ground while the sole keeps rotating.
    rate = m.to_rad * _PUSH_END_SLOPE / ((1.0 - _HEEL_OFF) * tc)  # rad/s
    rel_x, rel_y = _rot(np.array(-b.toe_front_m), np.array(b.ankle_height_m), np.array(m.to_rad))
    vx_to, vy_to = -v - rate * float(rel_y), rate * float(rel_x)
    s = np.clip((tau - tc) / swing_s, 0.0, 1.0)
    # Touch-down: the foot still moves forward relative to the ground and down.
    vx_ic, vy_ic = -_LANDING_BACK_FRACTION * v, -_LANDING_SINK_M_S
    sx = quintic_hermite(s, x_to[0], vx_to * swing_s, vx_ic * swing_s, x_ic[0])
    sy = quintic_hermite(s, y_to[0], vy_to * swing_s, vy_ic * swing_s, y_ic[0])
    sy = sy + m.lift_m * _lift(s)
    sphi = quintic_hermite(s, m.to_rad, rate * swing_s, 0.0, m.strike_rad)
    return (
        np.where(contact, ax, sx),
        np.where(contact, ay, sy),
        np.where(contact, phi, sphi),
        contact,
    )


def _pelvis(m: _Model, t: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Pelvis-centre height above its mean (m) and frontal tilt (rad, + = right side low)."""
    mid_l = m.first_ic_s["left"] + m.contact_s["left"] / 2.0
    mid_r = m.first_ic_s["right"] + m.contact_s["right"] / 2.0
    gap = mid_r - mid_l
    u = np.mod(t - mid_l, m.stride_s)
    psi = np.where(u < gap, np.pi * u / gap, np.pi + np.pi * (u - gap) / (m.stride_s - gap))
    dy = -0.5 * m.spec.vertical_oscillation_cm / 100.0 * np.cos(2.0 * psi)
    tilt = math.radians(m.spec.pelvic_drop_deg) * np.cos(psi)
    return dy, tilt


def _hip_offsets(m: _Model, t: FloatArray) -> dict[str, tuple[FloatArray, FloatArray]]:
    """Per side: hip-joint height relative to the mean pelvis height, and z."""
    dy, tilt = _pelvis(m, t)
    w = m.body.hip_half_width_m
    return {
        "left": (dy + w * np.tan(tilt), np.full_like(t, -w)),
        "right": (dy - w * np.tan(tilt), np.full_like(t, w)),
    }


def _max_leg_m(b: RunnerBody) -> float:
    k = math.radians(MIN_KNEE_FLEXION_DEG)
    return math.sqrt(b.thigh_m**2 + b.shank_m**2 + 2.0 * b.thigh_m * b.shank_m * math.cos(k))


def _with_pelvis_height(m: _Model) -> _Model:
    t = m.first_ic_s["left"] + np.linspace(0.0, m.stride_s, _IK_SAMPLES)
    hips = _hip_offsets(m, t)
    reach = _max_leg_m(m.body)
    best = math.inf
    for side in SIDES:
        ax, ay, _, _ = _foot(m, side, t)
        if np.max(np.abs(ax)) >= reach:
            raise InputError(
                f"the {side} foot travels {np.max(np.abs(ax)) * 100:.0f} cm from the hip, "
                f"beyond the leg's reach ({reach * 100:.0f} cm): lower speed_m_s × "
                "contact_time_ms or overstride_cm, or raise height_cm"
            )
        best = min(best, float(np.min(ay - hips[side][0] + np.sqrt(reach**2 - ax**2))))
    return _Model(**{**m.__dict__, "pelvis_mean_y": best})


def sagittal_knee(
    hx: FloatArray, hy: FloatArray, ax: FloatArray, ay: FloatArray, thigh: float, shank: float
) -> tuple[FloatArray, FloatArray]:
    """Sagittal two-link inverse kinematics, knee in front of the hip–ankle line."""
    dx, dy = ax - hx, ay - hy
    d = np.clip(np.hypot(dx, dy), abs(thigh - shank) + 1e-9, thigh + shank - 1e-12)
    cos_b = np.clip((thigh**2 + d**2 - shank**2) / (2.0 * thigh * d), -1.0, 1.0)
    beta = np.arccos(cos_b)
    ex, ey = dx / d, dy / d
    kx, ky = _rot(ex, ey, beta)
    return hx + thigh * kx, hy + thigh * ky


def body_pose(spec: RunnerSpec, time_s: FloatArray | float) -> BodyPose:
    """The model's 3D points at real times ``time_s`` (seconds, any shape → flattened).

    Over ground the body moves at ``speed_m_s`` and passes x = 0 at ``duration_s / 2``;
    on a treadmill the pelvis stays at x = 0.
    """
    m = _model(spec)
    return _body_pose(m, np.atleast_1d(np.asarray(time_s, dtype=np.float64)).ravel())


def _body_pose(m: _Model, t: FloatArray) -> BodyPose:
    spec, b = m.spec, m.body
    n = t.shape[0]
    shift = (
        spec.speed_m_s * (t - spec.duration_s / 2.0)
        if spec.surface == "overground"
        else np.zeros(n)
    )
    pts: dict[str, FloatArray] = {}
    sole_deg: dict[str, FloatArray] = {}
    contact: dict[str, NDArray[np.bool_]] = {}

    def put(name: str, x: FloatArray, y: FloatArray, z: FloatArray | float) -> None:
        pts[name] = np.stack([x + shift, y, np.broadcast_to(z, x.shape).astype(np.float64)], axis=1)

    dy, _ = _pelvis(m, t)
    pelvis_y = m.pelvis_mean_y + dy
    zero = np.zeros(n)
    put("pelvis", zero, pelvis_y, 0.0)
    hips = _hip_offsets(m, t)
    for side in SIDES:
        sgn = -1.0 if side == "left" else 1.0
        hy = m.pelvis_mean_y + hips[side][0]
        hz = hips[side][1]
        ax, ay, phi, on = _foot(m, side, t)
        kx, ky = sagittal_knee(zero, hy, ax, ay, b.thigh_m, b.shank_m)
        fz = sgn * spec.step_width_cm / 200.0
        kz = hz + (fz - hz) * b.thigh_m / (b.thigh_m + b.shank_m)
        put(f"{side}_hip", zero, hy, hz)
        put(f"{side}_knee", kx, ky, kz)
        put(f"{side}_ankle", ax, ay, fz)
        for name, (u, v) in {
            "heel": (-b.heel_back_m + HEEL_INSET_M, HEEL_HEIGHT_M),
            "toe": (b.toe_front_m, TOE_HEIGHT_M),
            "heel_sole": (-b.heel_back_m, 0.0),
            "toe_sole": (b.toe_front_m, 0.0),
        }.items():
            ox, oy = _rot(np.full(n, u), np.full(n, v - b.ankle_height_m), phi)
            put(f"{side}_{name}", ax + ox, ay + oy, fz)
        sole_deg[side] = np.degrees(phi)
        contact[side] = on

    lean = math.radians(spec.trunk_lean_deg)
    neck_x = b.trunk_m * math.sin(lean)
    neck_y = pelvis_y + b.trunk_m * math.cos(lean)
    put("neck", zero + neck_x, neck_y, 0.0)
    head_tilt = 0.4 * lean
    hx = neck_x + b.neck_m * math.sin(head_tilt)
    hy = neck_y + b.neck_m * math.cos(head_tilt)
    put("head", zero + hx, hy, 0.0)
    h = b.height_m
    for name, (fwd, up, lat) in {
        "nose": (0.072 * h, -0.012 * h, 0.0),
        "left_eye": (0.05 * h, 0.008 * h, -0.018 * h),
        "right_eye": (0.05 * h, 0.008 * h, 0.018 * h),
        "left_ear": (-0.004 * h, 0.0, -0.046 * h),
        "right_ear": (-0.004 * h, 0.0, 0.046 * h),
    }.items():
        rx, ry = _rot(np.array(fwd), np.array(up), np.array(-head_tilt))
        put(name, zero + hx + float(rx), hy + float(ry), lat)

    phase = 2.0 * np.pi * (t - m.first_ic_s["left"]) / m.stride_s
    swing = math.radians(spec.arm_swing_deg) / 2.0
    for side in SIDES:
        sgn = -1.0 if side == "left" else 1.0
        # Left arm is back when the left foot lands (counter-rotation).
        theta = math.radians(_ARM_MEAN_DEG) + sgn * swing * np.cos(phase)
        elbow = math.radians(_ELBOW_FLEXION_DEG) - 0.15 * sgn * swing * np.cos(phase)
        shoulder = np.stack(
            [zero + neck_x, neck_y - 0.03 * h, zero + sgn * b.shoulder_half_width_m]
        )
        elbow_p = shoulder + b.upper_arm_m * _unit(np.sin(theta), -np.cos(theta), zero + sgn * 0.12)
        fore = _unit(np.sin(theta + elbow), -np.cos(theta + elbow), zero - sgn * 0.3)
        wrist = elbow_p + b.forearm_m * fore
        for name, p in (("shoulder", shoulder), ("elbow", elbow_p), ("wrist", wrist)):
            put(f"{side}_{name}", p[0], p[1], p[2])
        hand = wrist + 0.35 * b.hand_m * fore
        put(f"{side}_hand", hand[0], hand[1], hand[2])
    return BodyPose(time_s=t.copy(), points_m=pts, sole_angle_deg=sole_deg, in_contact=contact)


def _unit(x: FloatArray, y: FloatArray, z: FloatArray) -> FloatArray:
    v = np.stack([x, y, z])
    return np.asarray(v / np.linalg.norm(v, axis=0), dtype=np.float64)


def _camera_axes(
    spec: RunnerSpec, camera: CameraSpec, t: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Camera centre (n, 3) and right, up, forward unit vectors (3,)."""
    n = t.shape[0]
    centre = np.zeros((n, 3))
    centre[:, 1] = camera.camera_height_m
    up = np.array([0.0, 1.0, 0.0])
    if camera.view == "rear":
        follow = (
            spec.speed_m_s * (t - spec.duration_s / 2.0) if spec.surface == "overground" else 0.0
        )
        centre[:, 0] = follow - camera.distance_m
        return centre, np.array([0.0, 0.0, 1.0]), up, np.array([1.0, 0.0, 0.0])
    sgn = 1.0 if camera.facing == "right" else -1.0
    centre[:, 2] = sgn * camera.distance_m
    return centre, np.array([sgn, 0.0, 0.0]), up, np.array([0.0, 0.0, -sgn])


def camera_centre_m(spec: RunnerSpec, camera: CameraSpec, time_s: FloatArray) -> FloatArray:
    """(n, 3) optical centre of the camera at real times ``time_s`` (model metres)."""
    t = np.atleast_1d(np.asarray(time_s, dtype=np.float64))
    return _camera_axes(spec, camera, t)[0]


def project_points(
    spec: RunnerSpec, camera: CameraSpec, points_m: FloatArray, time_s: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Pinhole projection of model points into the image.

    Parameters
    ----------
    spec, camera : the scene (the rear camera follows an overground runner).
    points_m : (n, ..., 3) model points (metres), first axis = time.
    time_s : (n,) real times of the rows.

    Returns
    -------
    xy_px : (n, ..., 2) image pixels, x right, y down.
    depth_m : (n, ...) distance along the optical axis (metres).
    """
    pts = np.asarray(points_m, dtype=np.float64)
    t = np.atleast_1d(np.asarray(time_s, dtype=np.float64))
    centre, right, up, fwd = _camera_axes(spec, camera, t)
    shape = (t.shape[0],) + (1,) * (pts.ndim - 2) + (3,)
    d = pts - centre.reshape(shape)
    depth = d @ fwd
    f = camera.focal_px
    xy = np.stack(
        [
            0.5 * camera.width_px + f * (d @ right) / depth,
            0.5 * camera.height_px - f * (d @ up) / depth,
        ],
        axis=-1,
    )
    return xy, depth


def _frame_times(spec: RunnerSpec, camera: CameraSpec) -> FloatArray:
    n = max(1, round(spec.duration_s * camera.fps))
    return np.arange(n, dtype=np.float64) / camera.fps


def _sagittal_angle(ax: FloatArray, ay: FloatArray, bx: FloatArray, by: FloatArray) -> FloatArray:
    """Angle (deg) of the vector a→b from straight down, + when b is ahead of a."""
    return np.degrees(np.arctan2(bx - ax, ay - by))


def _knee_flexion(pose: BodyPose, side: Side) -> FloatArray:
    hip, knee, ankle = (pose.points_m[f"{side}_{j}"] for j in ("hip", "knee", "ankle"))
    thigh = _sagittal_angle(hip[:, 0], hip[:, 1], knee[:, 0], knee[:, 1])
    shank = _sagittal_angle(knee[:, 0], knee[:, 1], ankle[:, 0], ankle[:, 1])
    return np.asarray(thigh - shank, dtype=np.float64)


def _steps(m: _Model, t_last: float) -> tuple[StepTruth, ...]:
    steps: list[StepTruth] = []
    for side in SIDES:
        tc = m.contact_s[side]
        k0 = math.ceil(-m.first_ic_s[side] / m.stride_s - 1e-9)
        ics = [
            m.first_ic_s[side] + k * m.stride_s
            for k in range(k0, k0 + int(t_last / m.stride_s) + 2)
        ]
        ics = [ic for ic in ics if ic >= -1e-9 and ic + tc <= t_last + 1e-9]
        if not ics:
            continue
        ic_t = np.asarray(ics)
        at_ic = _body_pose(m, ic_t)
        at_to = _body_pose(m, ic_t + tc)
        dense = _body_pose(m, ic_t[0] + np.linspace(0.0, tc, 2001))
        peak = float(np.max(_knee_flexion(dense, side)))
        p = at_ic.points_m
        heel_s, toe_s = p[f"{side}_heel_sole"], p[f"{side}_toe_sole"]
        strike = np.degrees(np.arctan2(toe_s[:, 1] - heel_s[:, 1], toe_s[:, 0] - heel_s[:, 0]))
        over = (p[f"{side}_heel"][:, 0] - p["pelvis"][:, 0]) * 100.0
        knee, ankle = p[f"{side}_knee"], p[f"{side}_ankle"]
        shank = _sagittal_angle(knee[:, 0], knee[:, 1], ankle[:, 0], ankle[:, 1])
        flex_ic = _knee_flexion(at_ic, side)
        q = at_to.points_m
        hip_ext = -_sagittal_angle(
            q[f"{side}_hip"][:, 0],
            q[f"{side}_hip"][:, 1],
            q[f"{side}_knee"][:, 0],
            q[f"{side}_knee"][:, 1],
        )
        for i, ic in enumerate(ics):
            steps.append(
                StepTruth(
                    foot=side,
                    ic_time_s=float(ic),
                    to_time_s=float(ic + tc),
                    contact_time_ms=tc * 1000.0,
                    foot_strike_angle_deg=float(strike[i]),
                    overstride_cm=float(over[i]),
                    shank_angle_deg=float(shank[i]),
                    knee_flexion_ic_deg=float(flex_ic[i]),
                    peak_knee_flexion_deg=peak,
                    hip_extension_to_deg=float(hip_ext[i]),
                )
            )
    return tuple(sorted(steps, key=lambda s: s.ic_time_s))


def runner_truth(spec: RunnerSpec, camera: CameraSpec) -> RunnerTruth:
    """The exact truth of the clip ``spec`` seen by ``camera`` (see the module docstring).

    Raises
    ------
    InputError
        The gait cannot be run by these legs (e.g. stance too long for the reach).
    """
    m = _model(spec)
    times = _frame_times(spec, camera)
    step_ms = m.step_s * 1000.0
    contact_ms = spec.contact_time_ms
    return RunnerTruth(
        spec=spec,
        camera=camera,
        steps=_steps(m, float(times[-1])),
        cadence_spm=spec.cadence_spm,
        step_time_ms=step_ms,
        contact_time_ms=contact_ms,
        flight_time_ms=step_ms - contact_ms,
        duty_factor=contact_ms / (2.0 * step_ms),
        trunk_lean_deg=spec.trunk_lean_deg,
        vertical_oscillation_cm=spec.vertical_oscillation_cm,
        px_per_m=camera.px_per_m,
        n_frames=int(times.shape[0]),
        frame_times_s=times,
    )


def synthetic_keypoints(spec: RunnerSpec, camera: CameraSpec) -> tuple[PoseTrack, RunnerTruth]:
    """Exact projected keypoints at every frame time ``k / fps``, and the truth.

    Gaussian noise of ``camera.keypoint_noise_px`` (seeded by ``spec.seed``) is added
    to x and y. Confidence is 1 inside the frame and 0 for points outside it
    (coordinates are kept). ``px_per_m`` is set from the camera.
    """
    truth = runner_truth(spec, camera)
    times = truth.frame_times_s
    pose = body_pose(spec, times)
    pts = np.stack([pose.points_m[name] for name in KEYPOINTS], axis=1)
    xy, _ = project_points(spec, camera, pts, times)
    if camera.keypoint_noise_px > 0.0:
        rng = np.random.default_rng(spec.seed)
        xy = xy + rng.normal(0.0, camera.keypoint_noise_px, size=xy.shape)
    inside = (
        (xy[..., 0] >= 0.0)
        & (xy[..., 0] <= camera.width_px)
        & (xy[..., 1] >= 0.0)
        & (xy[..., 1] <= camera.height_px)
    )
    track = make_pose_track(
        times,
        xy,
        inside.astype(np.float64),
        width_px=camera.width_px,
        height_px=camera.height_px,
        source="synthetic",
        notes=(f"synthetic runner, {camera.view} view, exact keypoints",),
        px_per_m=camera.px_per_m,
    )
    return track, truth
