"""Forward kinematics of the mobility and stability test poses, with exact truth.

Each ``*_pose`` function returns a :data:`~stridelab.synthetic.render.PoseFn` (times →
:class:`~stridelab.synthetic.runner.BodyPose`) for a body of ``height_cm`` (segment
lengths from :func:`~stridelab.synthetic.runner.runner_body`) and, where the truth
varies over time, a truth object. The model frame is the runner model's: metres, x
forward, y up, z the figure's right, floor at ``y = 0``. Feet always point +x (the
renderer draws the shoe in the x–y plane).

The measured quantities are *defined* on these points, so the truth is exact:

ankle dorsiflexion (:func:`lunge_pose`)
    Knee-to-wall lunge, side view: the front foot flat, the shank (knee→ankle) at
    ``shank_angle_deg`` from vertical, the knee ahead of the ankle.
hip extension (:func:`kneeling_hip_flexor_pose`, :func:`thomas_pose`)
    Kneeling: the kneeling leg's thigh (hip→knee) ``thigh_angle_deg`` from vertical, the
    knee behind the hip. Modified Thomas: lying supine at a (not drawn) table edge, the
    test thigh ``thigh_angle_deg`` below horizontal (+ = knee below the hip), the knee
    flexed ``knee_flexion_deg``.
single-leg squat (:func:`single_leg_squat_pose`)
    Rear view (or a front view with ``facing_camera=True``, the figure turned to face
    −x): per rep the hip sinks and the knee flexes; at the bottom of rep k the
    frontal-plane projection angle (orthographic y–z projection of hip→knee and
    knee→ankle, 0 straight, + knee medial) is ``fppa_deg[k]`` and the pelvis drops
    ``pelvic_drop_deg[k]`` toward the lifted leg.
single-leg balance (:func:`single_leg_balance_pose`)
    Rear view: one foot lifted from ``lift_s``; the pelvis sways sideways with a known
    amplitude; the lifted foot touches down during the given windows.
calf raises (:func:`calf_raise_pose`)
    Side view, one leg: the foot rolls about the toe corner; rep k lifts the posterior
    heel keypoint by ``heel_rise_cm[k]``.
plank and side plank (:func:`plank_pose`)
    Side view (prone plank: shoulders over elbows; side plank: the body's frontal plane
    faces the camera): the hips sag from ``sag_onset_s`` at ``sag_rate_deg_s``; the sag
    angle is 180° minus the shoulder–hip–ankle angle, + with the hip below the line.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from stridelab.errors import InputError
from stridelab.synthetic.runner import (
    HEEL_HEIGHT_M,
    HEEL_INSET_M,
    SIDES,
    TOE_HEIGHT_M,
    BodyPose,
    CameraSpec,
    RunnerBody,
    RunnerSpec,
    project_points,
    runner_body,
)
from stridelab.video.keypoints import KEYPOINTS, PoseTrack, make_pose_track

__all__ = [
    "BalanceTruth",
    "CalfRaiseTruth",
    "PlankTruth",
    "SquatTruth",
    "calf_raise_pose",
    "kneeling_hip_flexor_pose",
    "lunge_pose",
    "plank_pose",
    "pose_keypoints",
    "single_leg_balance_pose",
    "single_leg_squat_pose",
    "thomas_pose",
]

FloatArray = NDArray[np.float64]
PoseFn = Callable[[FloatArray], BodyPose]
_UP = np.array([0.0, 1.0, 0.0])


def _body(height_cm: float) -> RunnerBody:
    return runner_body(RunnerSpec(height_cm=height_cm))


def _other(side: str) -> str:
    if side not in SIDES:
        raise InputError(f"side must be 'left' or 'right', got {side!r}")
    return "right" if side == "left" else "left"


def _unit(v: FloatArray) -> FloatArray:
    return np.asarray(v / np.linalg.norm(v, axis=-1, keepdims=True), dtype=np.float64)


def _rot_xy(u: FloatArray, v: FloatArray, phi: FloatArray) -> tuple[FloatArray, FloatArray]:
    c, s = np.cos(phi), np.sin(phi)
    return u * c - v * s, u * s + v * c


def _ik_knee(
    hip: FloatArray, ankle: FloatArray, thigh: float, shank: float, bend: FloatArray
) -> FloatArray:
    """Two-link IK: the knee on the circle of solutions, in the direction ``bend`` (n, 3)
    (projected perpendicular to the hip–ankle line)."""
    d = ankle - hip
    dist = np.clip(np.linalg.norm(d, axis=1), abs(thigh - shank) + 1e-9, thigh + shank - 1e-9)
    e = d / np.linalg.norm(d, axis=1, keepdims=True)
    a = (thigh**2 - shank**2 + dist**2) / (2.0 * dist)
    r = np.sqrt(np.maximum(thigh**2 - a**2, 0.0))
    perp = bend - (bend * e).sum(axis=1, keepdims=True) * e
    perp = _unit(perp)
    return np.asarray(hip + a[:, None] * e + r[:, None] * perp, dtype=np.float64)


@dataclass
class _Builder:
    """Collects the points of one :class:`BodyPose` (all (n, 3) arrays)."""

    body: RunnerBody
    t: FloatArray

    def __post_init__(self) -> None:
        self.pts: dict[str, FloatArray] = {}
        self.sole: dict[str, FloatArray] = {}
        self.contact: dict[str, NDArray[np.bool_]] = {}

    @property
    def n(self) -> int:
        return int(self.t.shape[0])

    def put(self, name: str, p: FloatArray) -> None:
        self.pts[name] = np.broadcast_to(np.asarray(p, dtype=np.float64), (self.n, 3)).copy()

    def foot(
        self,
        side: str,
        ankle: FloatArray,
        sole_deg: FloatArray | float,
        contact: NDArray[np.bool_] | bool,
    ) -> None:
        """Heel, toe and sole corners from the ankle and the sole angle (+ toes up)."""
        b = self.body
        ankle = np.broadcast_to(ankle, (self.n, 3))
        phi = np.radians(np.broadcast_to(np.asarray(sole_deg, dtype=np.float64), (self.n,)))
        self.put(f"{side}_ankle", ankle)
        for name, (u, v) in {
            "heel": (-b.heel_back_m + HEEL_INSET_M, HEEL_HEIGHT_M),
            "toe": (b.toe_front_m, TOE_HEIGHT_M),
            "heel_sole": (-b.heel_back_m, 0.0),
            "toe_sole": (b.toe_front_m, 0.0),
        }.items():
            ox, oy = _rot_xy(np.full(self.n, u), np.full(self.n, v - b.ankle_height_m), phi)
            self.put(f"{side}_{name}", ankle + np.stack([ox, oy, np.zeros(self.n)], axis=1))
        self.sole[side] = np.degrees(phi)
        self.contact[side] = np.broadcast_to(np.asarray(contact, dtype=bool), (self.n,)).copy()

    def leg(
        self,
        side: str,
        hip: FloatArray,
        knee: FloatArray,
        ankle: FloatArray,
        sole_deg: FloatArray | float,
        contact: NDArray[np.bool_] | bool,
    ) -> None:
        self.put(f"{side}_hip", hip)
        self.put(f"{side}_knee", knee)
        self.foot(side, ankle, sole_deg, contact)

    def trunk(
        self, pelvis: FloatArray, axis: FloatArray, forward: FloatArray, right: FloatArray
    ) -> None:
        """Neck, head and face from the pelvis centre, the trunk axis (pelvis→neck), the
        direction the chest faces and the figure's right (all (n, 3) or (3,))."""
        b, h = self.body, self.body.height_m
        axis = _unit(np.broadcast_to(axis, (self.n, 3)))
        fwd = _unit(np.broadcast_to(forward, (self.n, 3)))
        rgt = _unit(np.broadcast_to(right, (self.n, 3)))
        pelvis = np.broadcast_to(pelvis, (self.n, 3))
        neck = pelvis + b.trunk_m * axis
        head = neck + b.neck_m * axis
        self.put("pelvis", pelvis)
        self.put("neck", neck)
        self.put("head", head)
        self.put("nose", head + 0.072 * h * fwd - 0.012 * h * axis)
        for side, sgn in (("left", -1.0), ("right", 1.0)):
            self.put(
                f"{side}_eye", head + 0.05 * h * fwd + 0.008 * h * axis + sgn * 0.018 * h * rgt
            )
            self.put(f"{side}_ear", head - 0.004 * h * fwd + sgn * 0.046 * h * rgt)
            self.put(
                f"{side}_shoulder", neck - 0.03 * h * axis + sgn * b.shoulder_half_width_m * rgt
            )

    def arm(self, side: str, upper_dir: FloatArray, fore_dir: FloatArray) -> None:
        b = self.body
        sh = self.pts[f"{side}_shoulder"]
        el = sh + b.upper_arm_m * _unit(np.broadcast_to(upper_dir, (self.n, 3)))
        fore = _unit(np.broadcast_to(fore_dir, (self.n, 3)))
        wr = el + b.forearm_m * fore
        self.put(f"{side}_elbow", el)
        self.put(f"{side}_wrist", wr)
        self.put(f"{side}_hand", wr + 0.35 * b.hand_m * fore)

    def build(self) -> BodyPose:
        missing = [k for k in KEYPOINTS if k not in self.pts]
        if missing:  # pragma: no cover - a programming error in this module
            raise RuntimeError(f"pose lacks {missing}")
        return BodyPose(
            time_s=self.t.copy(),
            points_m=dict(self.pts),
            sole_angle_deg=dict(self.sole),
            in_contact=dict(self.contact),
        )


def _facing_camera(fn: PoseFn) -> PoseFn:
    """The same motion turned 180° about the vertical axis (x → −x, z → −z), so that a
    rear camera sees the figure's front. Angles and frontal-plane projections are
    unchanged; the renderer still draws the shoes pointing +x."""

    def turned(time_s: FloatArray) -> BodyPose:
        pose = fn(time_s)
        flip = np.array([-1.0, 1.0, -1.0])
        return BodyPose(
            time_s=pose.time_s,
            points_m={k: v * flip for k, v in pose.points_m.items()},
            sole_angle_deg=pose.sole_angle_deg,
            in_contact=pose.in_contact,
        )

    return turned


def _times(time_s: FloatArray | float) -> FloatArray:
    return np.atleast_1d(np.asarray(time_s, dtype=np.float64)).ravel()


def _ramp(t: FloatArray, t0: float, t1: float) -> FloatArray:
    """Smooth 0→1 between t0 and t1 (quintic smoothstep)."""
    s = np.clip((t - t0) / max(t1 - t0, 1e-9), 0.0, 1.0)
    return s * s * s * (10.0 + s * (-15.0 + 6.0 * s))


def _zsign(side: str) -> float:
    return -1.0 if side == "left" else 1.0


# --------------------------------------------------------------------------- static poses


def lunge_pose(
    *,
    shank_angle_deg: float | Callable[[FloatArray], FloatArray],
    side: str = "right",
    height_cm: float = 175.0,
) -> PoseFn:
    """Knee-to-wall lunge: the ``side`` foot in front, flat; its shank at
    ``shank_angle_deg`` from vertical (knee ahead), constant or a function of time."""
    other = _other(side)
    b = _body(height_cm)

    def fn(time_s: FloatArray) -> BodyPose:
        t = _times(time_s)
        n = t.shape[0]
        theta = np.radians(
            shank_angle_deg(t) if callable(shank_angle_deg) else np.full(n, shank_angle_deg)
        )
        bld = _Builder(b, t)
        zf, zb = _zsign(side) * b.hip_half_width_m, _zsign(other) * b.hip_half_width_m
        ankle_f = np.stack([np.full(n, 0.35), np.full(n, b.ankle_height_m), np.full(n, zf)], axis=1)
        knee_f = ankle_f + b.shank_m * np.stack([np.sin(theta), np.cos(theta), np.zeros(n)], axis=1)
        thigh_tilt = np.radians(55.0)  # front thigh: hip behind and above the knee
        hip_f = knee_f + b.thigh_m * np.array([-math.sin(thigh_tilt), math.cos(thigh_tilt), 0.0])
        bld.leg(side, hip_f, knee_f, ankle_f, 0.0, True)
        hip_b = hip_f.copy()
        hip_b[:, 2] = zb
        # Back foot: heel raised 25°, toe corner on the floor, 0.95 of leg length away.
        reach = 0.93 * (b.thigh_m + b.shank_m)
        sole_b = -25.0
        phi = math.radians(sole_b)
        _ax_rel, ay_rel = _rot_xy(
            np.array(-b.toe_front_m), np.array(b.ankle_height_m), np.array(phi)
        )
        ankle_y = float(ay_rel)
        dx = np.sqrt(np.maximum(reach**2 - (hip_b[:, 1] - ankle_y) ** 2, 0.0))
        ankle_b = np.stack([hip_b[:, 0] - dx, np.full(n, ankle_y), np.full(n, zb)], axis=1)
        knee_b = _ik_knee(hip_b, ankle_b, b.thigh_m, b.shank_m, np.tile([1.0, 0.0, 0.0], (n, 1)))
        bld.leg(other, hip_b, knee_b, ankle_b, sole_b, True)
        pelvis = 0.5 * (hip_f + hip_b)
        lean = math.radians(12.0)
        axis = np.array([math.sin(lean), math.cos(lean), 0.0])
        bld.trunk(
            pelvis,
            axis,
            np.array([math.cos(lean), -math.sin(lean), 0.0]),
            np.array([0.0, 0.0, 1.0]),
        )
        for s in SIDES:  # hands reach to the wall in front
            bld.arm(s, np.array([0.8, -0.3, 0.0]), np.array([1.0, 0.35, 0.0]))
        return bld.build()

    return fn


def kneeling_hip_flexor_pose(
    *, thigh_angle_deg: float, side: str = "right", height_cm: float = 175.0
) -> PoseFn:
    """Half-kneeling hip-flexor test: the ``side`` knee on the floor, its thigh
    ``thigh_angle_deg`` from vertical with the knee behind the hip; trunk upright."""
    other = _other(side)
    b = _body(height_cm)

    def fn(time_s: FloatArray) -> BodyPose:
        t = _times(time_s)
        n = t.shape[0]
        beta = math.radians(thigh_angle_deg)
        bld = _Builder(b, t)
        zk, zf = _zsign(side) * b.hip_half_width_m, _zsign(other) * b.hip_half_width_m
        knee_k = np.array([0.0, 0.05, zk])
        hip_k = knee_k + b.thigh_m * np.array([math.sin(beta), math.cos(beta), 0.0])
        # Shank on the floor, foot plantarflexed (sole up, toes back).
        ankle_k = knee_k + np.array([-b.shank_m, 0.01, 0.0])
        bld.leg(side, hip_k, knee_k, ankle_k, -170.0, True)
        hip_f = hip_k.copy()
        hip_f[2] = zf
        ankle_f = np.array([hip_f[0] + 0.55 * b.thigh_m + 0.08, b.ankle_height_m, zf])
        knee_f = _ik_knee(
            np.tile(hip_f, (n, 1)),
            np.tile(ankle_f, (n, 1)),
            b.thigh_m,
            b.shank_m,
            np.tile([1.0, 0.3, 0.0], (n, 1)),
        )
        bld.leg(other, hip_f, knee_f, ankle_f, 0.0, True)
        pelvis = 0.5 * (hip_k + hip_f)
        bld.trunk(pelvis, _UP, np.array([1.0, 0.0, 0.0]), np.array([0.0, 0.0, 1.0]))
        for s in SIDES:  # hands on the hips
            bld.arm(
                s, np.array([-0.25, -1.0, 0.25 * _zsign(s)]), np.array([0.9, 0.1, -0.4 * _zsign(s)])
            )
        return bld.build()

    return fn


def thomas_pose(
    *,
    thigh_angle_deg: float,
    knee_flexion_deg: float = 80.0,
    side: str = "right",
    height_cm: float = 175.0,
    table_height_m: float = 0.75,
) -> PoseFn:
    """Modified Thomas test: supine at a table edge (x = 0, head toward −x), the other
    knee hugged to the chest; the ``side`` thigh ``thigh_angle_deg`` below horizontal
    (+ knee below the hip), its knee flexed ``knee_flexion_deg`` (0 = straight)."""
    other = _other(side)
    b = _body(height_cm)

    def fn(time_s: FloatArray) -> BodyPose:
        t = _times(time_s)
        t.shape[0]
        bld = _Builder(b, t)
        y0 = table_height_m + 0.11  # hip-joint height lying on the table
        zt, zo = _zsign(side) * b.hip_half_width_m, _zsign(other) * b.hip_half_width_m
        hip_t = np.array([0.0, y0, zt])
        g = math.radians(thigh_angle_deg)
        thigh_dir = np.array([math.cos(g), -math.sin(g), 0.0])
        knee_t = hip_t + b.thigh_m * thigh_dir
        # Shank: rotate the thigh direction further down by the knee flexion.
        k = math.radians(knee_flexion_deg)
        sd = np.array([math.cos(g + k), -math.sin(g + k), 0.0])
        ankle_t = knee_t + b.shank_m * sd
        bld.leg(side, hip_t, knee_t, ankle_t, -math.degrees(g + k) + 30.0, False)
        hip_o = np.array([0.0, y0, zo])
        knee_o = hip_o + b.thigh_m * _unit(
            np.array([-0.55, 0.83, 0.0])
        )  # hugged: ~125° hip flexion
        ankle_o = knee_o + b.shank_m * _unit(np.array([0.6, -0.25, 0.0]))
        bld.leg(other, hip_o, knee_o, ankle_o, 20.0, False)
        pelvis = 0.5 * (hip_t + hip_o)
        bld.trunk(pelvis, np.array([-1.0, 0.0, 0.0]), _UP, np.array([0.0, 0.0, 1.0]))
        for s in SIDES:  # hands hold the hugged knee
            bld.arm(s, np.array([0.55, 0.75, -0.1 * _zsign(s)]), np.array([0.9, 0.0, 0.0]))
        return bld.build()

    return fn


# --------------------------------------------------------------------------- squat


@dataclass(frozen=True)
class SquatTruth:
    """Single-leg squat truth: rep k bottoms out at ``bottom_times_s[k]`` with
    ``fppa_deg[k]`` (orthographic frontal plane) and ``pelvic_drop_deg[k]``."""

    side: str
    bottom_times_s: tuple[float, ...]
    fppa_deg: tuple[float, ...]
    pelvic_drop_deg: tuple[float, ...]
    depth_cm: float
    duration_s: float


def _frontal_fppa(
    hip: FloatArray, knee: FloatArray, ankle: FloatArray, medial: float
) -> FloatArray:
    """Signed frontal-plane (z, y) projection angle, + with the knee toward ``medial`` (±1 in z)."""
    th = knee[:, [2, 1]] - hip[:, [2, 1]]
    sh = ankle[:, [2, 1]] - knee[:, [2, 1]]
    cross = th[:, 0] * sh[:, 1] - th[:, 1] * sh[:, 0]
    dot = (th * sh).sum(axis=1)
    ang = np.degrees(np.arctan2(np.abs(cross), dot))
    mid = 0.5 * (hip[:, 2] + ankle[:, 2])
    sign = np.where((knee[:, 2] - mid) * medial >= 0.0, 1.0, -1.0)
    return np.asarray(ang * sign, dtype=np.float64)


def single_leg_squat_pose(
    *,
    fppa_deg: Sequence[float],
    pelvic_drop_deg: Sequence[float] | float = 0.0,
    side: str = "right",
    depth_cm: float = 18.0,
    rep_s: float = 2.0,
    rest_s: float = 0.8,
    lead_s: float = 1.0,
    height_cm: float = 175.0,
    facing_camera: bool = False,
) -> tuple[PoseFn, SquatTruth]:
    """Single-leg squats on the ``side`` leg, one per entry of ``fppa_deg``.

    Each rep lasts ``rep_s`` (down and up, smooth), reps are ``rest_s`` apart after a
    ``lead_s`` quiet stance. The hip sinks ``depth_cm``; the knee swings medially so
    that the frontal-plane projection angle grows with depth to ``fppa_deg[k]`` at the
    bottom; the pelvis drops toward the lifted leg by ``pelvic_drop_deg[k]`` at the bottom.
    ``facing_camera`` turns the figure to face −x (a front view for a rear camera).
    """
    other = _other(side)
    b = _body(height_cm)
    reps = len(fppa_deg)
    if reps == 0:
        raise InputError("fppa_deg needs at least one rep")
    drops = (
        [float(pelvic_drop_deg)] * reps
        if isinstance(pelvic_drop_deg, int | float)
        else [float(d) for d in pelvic_drop_deg]
    )
    if len(drops) != reps:
        raise InputError("pelvic_drop_deg needs one value per rep")
    starts = [lead_s + k * (rep_s + rest_s) for k in range(reps)]
    bottoms = tuple(s + rep_s / 2.0 for s in starts)
    duration = starts[-1] + rep_s + lead_s
    zs = _zsign(side) * b.hip_half_width_m
    medial = -_zsign(side)  # toward the midline
    leg = b.thigh_m + b.shank_m
    stand_y = b.ankle_height_m + 0.985 * leg  # nearly straight standing leg
    ankle_xyz = np.array([0.0, b.ankle_height_m, zs])

    def depth(t: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Depth fraction 0..1 and the rep's target FPPA and drop at each time."""
        frac = np.zeros_like(t)
        fppa = np.zeros_like(t)
        drop = np.zeros_like(t)
        for k, s in enumerate(starts):
            inside = (t >= s) & (t <= s + rep_s)
            u = (t[inside] - s) / rep_s
            frac[inside] = 0.5 * (1.0 - np.cos(2.0 * np.pi * u))
            fppa[inside] = fppa_deg[k]
            drop[inside] = drops[k]
        return frac, fppa, drop

    def knee_for(hip: FloatArray, target: FloatArray) -> FloatArray:
        """Knee on the IK circle at the swing angle giving the target FPPA (bisection)."""
        n = hip.shape[0]
        ankle = np.tile(ankle_xyz, (n, 1))
        lo, hi = np.full(n, -1.2), np.full(n, 1.2)
        for _ in range(50):
            mid = 0.5 * (lo + hi)
            bend = np.stack([np.cos(mid), np.zeros(n), medial * np.sin(mid)], axis=1)
            got = _frontal_fppa(
                hip, _ik_knee(hip, ankle, b.thigh_m, b.shank_m, bend), ankle, medial
            )
            lo = np.where(got < target, mid, lo)
            hi = np.where(got < target, hi, mid)
        mid = 0.5 * (lo + hi)
        bend = np.stack([np.cos(mid), np.zeros(n), medial * np.sin(mid)], axis=1)
        return _ik_knee(hip, ankle, b.thigh_m, b.shank_m, bend)

    def fn(time_s: FloatArray) -> BodyPose:
        t = _times(time_s)
        n = t.shape[0]
        frac, fppa, drop = depth(t)
        bld = _Builder(b, t)
        hip_s = np.stack([np.zeros(n), stand_y - depth_cm / 100.0 * frac, np.full(n, zs)], axis=1)
        knee_s = knee_for(hip_s, fppa * frac)
        bld.leg(side, hip_s, knee_s, ankle_xyz, 0.0, True)
        d = np.radians(drop * frac)
        width = 2.0 * b.hip_half_width_m
        hip_o = hip_s + np.stack(
            [np.zeros(n), -width * np.sin(d), -_zsign(side) * width * np.cos(d)], axis=1
        )
        # The lifted leg: thigh 45° forward, knee flexed 100°, foot well off the floor.
        th = np.array([math.sin(math.radians(45.0)), -math.cos(math.radians(45.0)), 0.0])
        knee_o = hip_o + b.thigh_m * th
        sh = np.array([math.sin(math.radians(-55.0)), -math.cos(math.radians(-55.0)), 0.0])
        ankle_o = knee_o + b.shank_m * sh
        bld.leg(other, hip_o, knee_o, ankle_o, -20.0, False)
        pelvis = 0.5 * (hip_s + hip_o)
        lean = np.radians(10.0 + 20.0 * frac)  # trunk leans forward with depth
        axis = np.stack([np.sin(lean), np.cos(lean), np.zeros(n)], axis=1)
        fwd = np.stack([np.cos(lean), -np.sin(lean), np.zeros(n)], axis=1)
        bld.trunk(pelvis, axis, fwd, np.array([0.0, 0.0, 1.0]))
        for s in SIDES:  # hands on the hips
            bld.arm(
                s, np.array([-0.2, -1.0, 0.3 * _zsign(s)]), np.array([0.8, 0.2, -0.5 * _zsign(s)])
            )
        return bld.build()

    truth = SquatTruth(
        side=side,
        bottom_times_s=bottoms,
        fppa_deg=tuple(float(f) for f in fppa_deg),
        pelvic_drop_deg=tuple(drops),
        depth_cm=depth_cm,
        duration_s=duration,
    )
    return (_facing_camera(fn) if facing_camera else fn), truth


# --------------------------------------------------------------------------- balance


@dataclass(frozen=True)
class BalanceTruth:
    """Single-leg balance: the foot is lifted over [lift_s, end_s] except during the
    touch-down windows; ``sway_amplitude_cm`` is the pelvis's lateral sine amplitude."""

    side: str
    lift_s: float
    touchdowns: tuple[tuple[float, float], ...]
    end_s: float
    sway_amplitude_cm: float

    @property
    def time_held_s(self) -> float:
        """Lift-off to the first touch-down (or to the end)."""
        first = self.touchdowns[0][0] if self.touchdowns else self.end_s
        return first - self.lift_s


def single_leg_balance_pose(
    *,
    side: str = "right",
    lift_s: float = 1.0,
    end_s: float = 10.0,
    touchdowns: Sequence[tuple[float, float]] = (),
    sway_amplitude_cm: float = 1.5,
    sway_hz: float = 0.4,
    lower_s: float = 0.35,
    height_cm: float = 175.0,
) -> tuple[PoseFn, BalanceTruth]:
    """Stand on ``side``; lift the other foot in front (thigh 45° forward, knee bent
    100°) at ``lift_s`` (it takes ``lower_s`` to move); put it down for each
    ``(start, stop)`` touch-down window (on the floor from ``start`` to ``stop``); the
    pelvis sways sideways."""
    other = _other(side)
    b = _body(height_cm)
    leg = b.thigh_m + b.shank_m
    stand_y = b.ankle_height_m + 0.985 * leg

    def lifted(t: FloatArray) -> FloatArray:
        """0 = foot on the floor, 1 = fully lifted; on the floor exactly outside windows."""
        up = _ramp(t, lift_s, lift_s + lower_s)
        for a, c in touchdowns:
            up = up * (1.0 - _ramp(t, a - lower_s, a)) + up * _ramp(t, c, c + lower_s)
        return up

    def fn(time_s: FloatArray) -> BodyPose:
        t = _times(time_s)
        n = t.shape[0]
        bld = _Builder(b, t)
        zs = _zsign(side) * b.hip_half_width_m
        sway = sway_amplitude_cm / 100.0 * np.sin(2.0 * np.pi * sway_hz * t) * (t > lift_s)
        hip_s = np.stack([np.zeros(n), np.full(n, stand_y), zs + sway], axis=1)
        ankle_s = np.array([0.0, b.ankle_height_m, zs])
        knee_s = _ik_knee(
            hip_s, np.tile(ankle_s, (n, 1)), b.thigh_m, b.shank_m, np.tile([1.0, 0.0, 0.0], (n, 1))
        )
        bld.leg(side, hip_s, knee_s, ankle_s, 0.0, True)
        hip_o = hip_s.copy()
        hip_o[:, 2] -= 2.0 * _zsign(side) * b.hip_half_width_m
        u = lifted(t)
        # Lifted: the thigh 45° forward and the knee flexed 100° (the foot in front, off
        # the floor), blended from the standing foot beside the stance foot.
        floor_ankle = np.stack([np.zeros(n), np.full(n, b.ankle_height_m), hip_o[:, 2]], axis=1)
        a1, k1 = math.radians(45.0), math.radians(100.0)
        up_knee = hip_o + b.thigh_m * np.array([math.sin(a1), -math.cos(a1), 0.0])
        up_ankle = up_knee + b.shank_m * np.array([math.sin(a1 - k1), -math.cos(a1 - k1), 0.0])
        ankle_o = floor_ankle + u[:, None] * (up_ankle - floor_ankle)
        knee_o = _ik_knee(hip_o, ankle_o, b.thigh_m, b.shank_m, np.tile([1.0, 0.0, 0.0], (n, 1)))
        bld.leg(other, hip_o, knee_o, ankle_o, -20.0 * u, u < 1e-6)
        pelvis = 0.5 * (hip_s + hip_o)
        bld.trunk(pelvis, _UP, np.array([1.0, 0.0, 0.0]), np.array([0.0, 0.0, 1.0]))
        for s in SIDES:
            bld.arm(
                s, np.array([0.0, -1.0, 0.45 * _zsign(s)]), np.array([0.2, -1.0, 0.3 * _zsign(s)])
            )
        return bld.build()

    return fn, BalanceTruth(side, lift_s, tuple(touchdowns), end_s, sway_amplitude_cm)


# --------------------------------------------------------------------------- calf raises


@dataclass(frozen=True)
class CalfRaiseTruth:
    """Calf raises: rep k peaks at ``peak_times_s[k]`` with the posterior heel keypoint
    ``heel_rise_cm[k]`` above its standing height."""

    side: str
    peak_times_s: tuple[float, ...]
    heel_rise_cm: tuple[float, ...]
    duration_s: float

    @property
    def reps(self) -> int:
        return len(self.heel_rise_cm)


def calf_raise_pose(
    *,
    heel_rise_cm: Sequence[float],
    side: str = "right",
    rep_s: float = 1.2,
    rest_s: float = 0.3,
    lead_s: float = 1.0,
    height_cm: float = 175.0,
) -> tuple[PoseFn, CalfRaiseTruth]:
    """Single-leg calf raises on ``side`` (the other foot hooked behind the ankle), one
    per entry of ``heel_rise_cm`` (rise of the posterior-heel keypoint)."""
    other = _other(side)
    b = _body(height_cm)
    rises = [float(r) for r in heel_rise_cm]
    if not rises:
        raise InputError("heel_rise_cm needs at least one rep")
    starts = [lead_s + k * (rep_s + rest_s) for k in range(len(rises))]
    peaks = tuple(s + rep_s / 2.0 for s in starts)
    duration = starts[-1] + rep_s + lead_s
    # Heel keypoint relative to the toe-sole corner (the pivot), flat foot.
    rx = -(b.heel_back_m - HEEL_INSET_M) - b.toe_front_m
    ry = HEEL_HEIGHT_M

    def rise_of(phi: FloatArray) -> FloatArray:
        return np.asarray(rx * np.sin(phi) + ry * np.cos(phi) - ry, dtype=np.float64)

    grid = -np.radians(np.linspace(0.0, 60.0, 6001))
    grid_rise = rise_of(grid)

    def sole_angle(target_m: FloatArray) -> FloatArray:
        return np.asarray(np.interp(target_m, grid_rise, grid), dtype=np.float64)

    leg = b.thigh_m + b.shank_m
    zs = _zsign(side) * b.hip_half_width_m
    toe_corner = np.array([b.toe_front_m, 0.0, zs])

    def fn(time_s: FloatArray) -> BodyPose:
        t = _times(time_s)
        n = t.shape[0]
        target = np.zeros(n)
        for k, s in enumerate(starts):
            inside = (t >= s) & (t <= s + rep_s)
            target[inside] = (
                rises[k] / 100.0 * 0.5 * (1.0 - np.cos(2.0 * np.pi * (t[inside] - s) / rep_s))
            )
        phi = sole_angle(target)
        bld = _Builder(b, t)
        dx, dy = _rot_xy(np.full(n, -b.toe_front_m), np.full(n, b.ankle_height_m), phi)
        ankle_s = toe_corner + np.stack([dx, dy, np.zeros(n)], axis=1)
        hip_s = np.stack([ankle_s[:, 0] - 0.02, ankle_s[:, 1] + 0.99 * leg, np.full(n, zs)], axis=1)
        knee_s = _ik_knee(hip_s, ankle_s, b.thigh_m, b.shank_m, np.tile([1.0, 0.0, 0.0], (n, 1)))
        bld.leg(side, hip_s, knee_s, ankle_s, np.degrees(phi), True)
        hip_o = hip_s.copy()
        hip_o[:, 2] = -zs
        knee_o = hip_o + b.thigh_m * np.array([0.1, -1.0, 0.0]) / math.hypot(0.1, 1.0)
        flex = math.radians(75.0)
        ankle_o = knee_o + b.shank_m * np.array([-math.sin(flex - 0.1), -math.cos(flex - 0.1), 0.0])
        bld.leg(other, hip_o, knee_o, ankle_o, -30.0, False)
        pelvis = 0.5 * (hip_s + hip_o)
        bld.trunk(pelvis, _UP, np.array([1.0, 0.0, 0.0]), np.array([0.0, 0.0, 1.0]))
        for sd in SIDES:  # fingertips on a wall in front for balance
            bld.arm(sd, np.array([0.5, -0.85, 0.1 * _zsign(sd)]), np.array([1.0, 0.2, 0.0]))
        return bld.build()

    return fn, CalfRaiseTruth(side, peaks, tuple(rises), duration)


# --------------------------------------------------------------------------- plank


@dataclass(frozen=True)
class PlankTruth:
    """Plank hold: straight until ``sag_onset_s``, then the hips sag at ``sag_rate_deg_s``
    (up to ``max_sag_deg``). ``hold_time_s(threshold)`` is when the sag reaches it."""

    kind: str
    sag_onset_s: float
    sag_rate_deg_s: float
    max_sag_deg: float
    duration_s: float

    def hold_time_s(self, threshold_deg: float) -> float:
        if threshold_deg > self.max_sag_deg:
            return self.duration_s
        return self.sag_onset_s + threshold_deg / self.sag_rate_deg_s


def plank_pose(
    *,
    kind: str = "plank",
    side: str = "right",
    sag_onset_s: float = 6.0,
    sag_rate_deg_s: float = 5.0,
    max_sag_deg: float = 25.0,
    duration_s: float = 12.0,
    height_cm: float = 175.0,
) -> tuple[PoseFn, PlankTruth]:
    """A forearm plank (``kind="plank"``, prone) or side plank (``"side_plank"``, on
    the ``side`` forearm, the body's front toward +z). The sag angle (180° minus the
    shoulder–hip–ankle angle, hip below the line) is 0 until ``sag_onset_s``, then grows
    linearly at ``sag_rate_deg_s`` to ``max_sag_deg``."""
    if kind not in ("plank", "side_plank"):
        raise InputError(f"kind must be 'plank' or 'side_plank', got {kind!r}")
    other = _other(side)
    b = _body(height_cm)
    leg = b.thigh_m + b.shank_m

    def sag(t: FloatArray) -> FloatArray:
        return np.asarray(
            np.clip((t - sag_onset_s) * sag_rate_deg_s, 0.0, max_sag_deg), dtype=np.float64
        )

    def fn(time_s: FloatArray) -> BodyPose:
        t = _times(time_s)
        n = t.shape[0]
        bld = _Builder(b, t)
        s = np.radians(sag(t))
        shoulder_y = b.upper_arm_m + 0.04
        if kind == "side_plank":  # the centre line: the support shoulder is lower
            shoulder_y += b.shoulder_half_width_m
        ankle_y = 0.09
        trunk_len = b.trunk_m - 0.03 * b.height_m
        # The body line from the shoulders (x = 0) back to the ankles; the hip drops
        # below it by the sag; the two halves keep their lengths.
        base = math.atan2(shoulder_y - ankle_y, trunk_len + leg)
        sh = np.stack([np.zeros(n), np.full(n, shoulder_y), np.zeros(n)], axis=1)
        # Direction from shoulders to hip: base line rotated down by the share of the sag.
        a1 = base + s * leg / (trunk_len + leg)
        hip_c = sh + trunk_len * np.stack([-np.cos(a1), -np.sin(a1), np.zeros(n)], axis=1)
        # Ankle: from the hip so that the shoulder–hip–ankle angle is 180 − sag.
        a2 = a1 - s
        ankle_c = hip_c + leg * np.stack([-np.cos(a2), -np.sin(a2), np.zeros(n)], axis=1)
        axis = _unit(sh - hip_c)
        if kind == "plank":
            right, fwd = np.array([0.0, 0.0, 1.0]), np.array([0.0, -1.0, 0.0])
            lat = {"left": np.array([0.0, 0.0, -1.0]), "right": np.array([0.0, 0.0, 1.0])}
        else:
            # Lying on ``side``: that side down (−y), the chest toward +z.
            down = np.array([0.0, -1.0, 0.0])
            right = down if side == "right" else -down
            fwd = np.array([0.0, 0.0, 1.0])
            lat = {side: down, other: -down}
        w = b.hip_half_width_m
        bld.trunk(hip_c, axis, fwd, right)
        bend = np.tile(fwd, (n, 1))
        for sd in SIDES:
            hip = hip_c + w * lat[sd]
            ankle = ankle_c + 0.6 * w * lat[sd]
            knee = _ik_knee(hip, ankle, b.thigh_m, b.shank_m * 1.0005, bend)
            bld.leg(sd, hip, knee, ankle, -80.0 if kind == "plank" else -10.0, True)
        if kind == "plank":
            for sd in SIDES:  # upper arm vertical, forearm on the floor forward
                bld.arm(sd, np.array([0.0, -1.0, 0.0]), np.array([1.0, -0.02, -0.15 * _zsign(sd)]))
        else:
            bld.arm(side, np.array([0.0, -1.0, 0.0]), np.array([0.3, -0.02, 1.0]))
            bld.arm(other, np.array([0.0, -1.0, 0.25]), np.array([0.6, -0.5, 0.0]))
        return bld.build()

    return fn, PlankTruth(kind, sag_onset_s, sag_rate_deg_s, max_sag_deg, duration_s)


# --------------------------------------------------------------------------- keypoints


def pose_keypoints(
    pose_fn: PoseFn,
    camera: CameraSpec,
    *,
    duration_s: float | None = None,
    times_s: FloatArray | None = None,
    height_cm: float = 175.0,
    noise_px: float = 0.0,
    seed: int = 0,
) -> PoseTrack:
    """Exact projected keypoints of a test pose (frames ``k / fps`` over ``duration_s``,
    or at ``times_s``), with optional Gaussian pixel noise; ``px_per_m`` from the camera."""
    if times_s is None:
        if duration_s is None:
            raise InputError("give duration_s or times_s")
        times_s = np.arange(max(1, round(duration_s * camera.fps)), dtype=np.float64) / camera.fps
    t = _times(times_s)
    pose = pose_fn(t)
    pts = np.stack([pose.points_m[k] for k in KEYPOINTS], axis=1)
    xy, _ = project_points(RunnerSpec(height_cm=height_cm), camera, pts, t)
    if noise_px > 0.0:
        xy = xy + np.random.default_rng(seed).normal(0.0, noise_px, size=xy.shape)
    return make_pose_track(
        t,
        xy,
        width_px=camera.width_px,
        height_px=camera.height_px,
        source="synthetic",
        notes=("synthetic test pose, exact keypoints",),
        px_per_m=camera.px_per_m,
    )
