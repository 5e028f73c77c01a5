"""The synthetic runner's truth is exactly what its definitions say.

Fixture in words: the default runner (170 spm, 260 ms contact, 8° rearfoot strike,
10 cm overstride, 6° lean, 8 cm vertical oscillation, 3.3 m/s on a treadmill) filmed
from the side at 60 fps, plus variants (forefoot and flat strikes, overground, rear
view with pelvic drop, asymmetric contacts). Every check recomputes a quantity from
the model points or the projected keypoints and compares it with the truth.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from stridelab.errors import InputError
from stridelab.synthetic.runner import (
    HEEL_HEIGHT_M,
    HEEL_INSET_M,
    MIN_KNEE_FLEXION_DEG,
    CameraSpec,
    RunnerSpec,
    body_pose,
    project_points,
    runner_body,
    runner_truth,
    synthetic_keypoints,
)

TINY = 1e-9
SPEC = RunnerSpec(duration_s=2.0)
SIDE = CameraSpec()


def test_timing_alternation_and_contact() -> None:
    truth = runner_truth(SPEC, SIDE)
    step_s = 60.0 / SPEC.cadence_spm
    assert len(truth.steps) >= 4
    feet = [s.foot for s in truth.steps]
    assert feet == ["left", "right"] * (len(feet) // 2) + ["left"] * (len(feet) % 2)
    ics = np.array([s.ic_time_s for s in truth.steps])
    assert np.allclose(np.diff(ics), step_s, atol=TINY)
    for s in truth.steps:
        assert s.contact_time_ms == pytest.approx((s.to_time_s - s.ic_time_s) * 1000, abs=1e-9)
        assert s.contact_time_ms == pytest.approx(SPEC.contact_time_ms, abs=1e-9)
        assert s.ic_time_s >= 0.0 and s.to_time_s <= truth.frame_times_s[-1] + TINY
    assert truth.step_time_ms == pytest.approx(1000 * step_s)
    assert truth.flight_time_ms == pytest.approx(truth.step_time_ms - SPEC.contact_time_ms)
    assert truth.duty_factor == pytest.approx(SPEC.contact_time_ms / (2 * truth.step_time_ms))
    assert truth.n_frames == 120
    assert np.allclose(truth.frame_times_s, np.arange(120) / 60.0)


@pytest.mark.parametrize("strike_deg", [14.0, 8.0, 0.0, -6.0])
@pytest.mark.parametrize("surface", ["treadmill", "overground"])
def test_initial_contact_geometry(strike_deg: float, surface: str) -> None:
    spec = replace(SPEC, foot_strike_angle_deg=strike_deg, surface=surface)  # type: ignore[arg-type]
    truth = runner_truth(spec, SIDE)
    for step in truth.steps:
        side = step.foot
        pose = body_pose(spec, np.array([step.ic_time_s - 1e-3, step.ic_time_s]))
        heel, toe = pose.points_m[f"{side}_heel_sole"], pose.points_m[f"{side}_toe_sole"]
        angle = math.degrees(math.atan2(toe[1, 1] - heel[1, 1], toe[1, 0] - heel[1, 0]))
        assert angle == pytest.approx(strike_deg, abs=1e-9)
        assert step.foot_strike_angle_deg == pytest.approx(strike_deg, abs=1e-9)
        assert min(heel[1, 1], toe[1, 1]) == pytest.approx(0.0, abs=1e-9)  # touching
        assert min(heel[0, 1], toe[0, 1]) > 1e-5  # not yet 1 ms before
        over = pose.points_m[f"{side}_heel"][1, 0] - pose.points_m["pelvis"][1, 0]
        assert over * 100 == pytest.approx(spec.overstride_cm, abs=1e-9)
        assert step.overstride_cm == pytest.approx(spec.overstride_cm, abs=1e-9)
        after = body_pose(spec, np.array([step.to_time_s, step.to_time_s + 1e-3]))
        low = np.minimum(after.points_m[f"{side}_heel_sole"], after.points_m[f"{side}_toe_sole"])
        assert low[0, 1] == pytest.approx(0.0, abs=1e-9)
        assert low[1, 1] > 1e-5  # airborne after TO


def test_overstride_and_oscillation_from_keypoints() -> None:
    track, truth = synthetic_keypoints(SPEC, SIDE)
    assert track.px_per_m == pytest.approx(SIDE.focal_px / SIDE.distance_m)
    mid_hip = 0.5 * (track.point("left_hip") + track.point("right_hip"))
    for step in truth.steps:
        pose = body_pose(SPEC, np.array([step.ic_time_s]))
        names = [f"{step.foot}_heel", "left_hip", "right_hip"]
        xy, _ = project_points(SPEC, SIDE, np.stack([pose.points_m[n][0] for n in names])[None],
                               np.array([step.ic_time_s]))  # fmt: skip
        over_cm = (xy[0, 0, 0] - 0.5 * (xy[0, 1, 0] + xy[0, 2, 0])) / track.px_per_m * 100
        assert over_cm == pytest.approx(SPEC.overstride_cm, abs=0.3)  # perspective only
    vo_px = np.ptp(mid_hip[:, 1])
    assert vo_px / track.px_per_m * 100 == pytest.approx(SPEC.vertical_oscillation_cm, rel=5e-3)
    t = np.linspace(0.0, 2.0, 40001)
    pelvis_y = body_pose(SPEC, t).points_m["pelvis"][:, 1]
    assert np.ptp(pelvis_y) * 100 == pytest.approx(SPEC.vertical_oscillation_cm, abs=1e-6)


def test_pelvis_lowest_at_midstance_and_pelvic_drop() -> None:
    spec = replace(SPEC, pelvic_drop_deg=6.0, contact_asymmetry_pct=10.0)
    truth = runner_truth(spec, CameraSpec(view="rear"))
    track, _ = synthetic_keypoints(spec, CameraSpec(view="rear"))
    for step in truth.steps:
        mid = 0.5 * (step.ic_time_s + step.to_time_s)
        t = mid + np.linspace(-0.02, 0.02, 401)
        pose = body_pose(spec, t)
        assert np.argmin(pose.points_m["pelvis"][:, 1]) == 200
        left, right = pose.points_m["left_hip"][200], pose.points_m["right_hip"][200]
        swing_low = right if step.foot == "left" else left
        stance = left if step.foot == "left" else right
        drop = math.degrees(math.atan2(stance[1] - swing_low[1], abs(right[2] - left[2])))
        assert drop == pytest.approx(6.0, abs=1e-9)
    contacts = {s.foot: s.contact_time_ms for s in truth.steps}
    assert contacts["left"] == pytest.approx(260 * 1.05)
    assert contacts["right"] == pytest.approx(260 * 0.95)
    # In the rear view the hips share a depth, so the image line shows the drop exactly.
    k = round(0.5 * (truth.steps[0].ic_time_s + truth.steps[0].to_time_s) * 60)
    assert np.isfinite(track.xy_px[k]).all()


@pytest.mark.parametrize("surface", ["treadmill", "overground"])
@pytest.mark.parametrize("strike_deg", [8.0, -6.0])
def test_no_slip_during_stance(surface: str, strike_deg: float) -> None:
    spec = replace(SPEC, surface=surface, foot_strike_angle_deg=strike_deg)  # type: ignore[arg-type]
    step = runner_truth(spec, SIDE).steps[1]
    t = np.linspace(step.ic_time_s, step.to_time_s, 501)
    pose = body_pose(spec, t)
    belt = spec.speed_m_s * t if surface == "treadmill" else 0.0
    heel = pose.points_m[f"{step.foot}_heel_sole"]
    toe = pose.points_m[f"{step.foot}_toe_sole"]
    assert np.all(np.minimum(heel[:, 1], toe[:, 1]) < 1e-9)  # always touching
    assert np.all(np.minimum(heel[:, 1], toe[:, 1]) > -1e-9)  # never below the ground
    on_heel = heel[:, 1] < 1e-12
    on_toe = toe[:, 1] < 1e-12
    for grounded, corner in ((on_heel, heel), (on_toe, toe)):
        fixed = corner[grounded, 0] + (belt[grounded] if surface == "treadmill" else 0.0)
        if fixed.size:
            assert np.ptp(fixed) < 1e-9
    assert on_toe[-1]  # toe-off rolls over the toe
    if strike_deg > 0:
        assert on_heel[0] and not on_toe[0]
    if surface == "treadmill":
        assert np.ptp(pose.points_m["pelvis"][:, 0]) == 0.0


def test_swing_clears_the_ground_and_segments_are_rigid() -> None:
    t = np.linspace(0.0, 2.0, 8001)
    pose = body_pose(SPEC, t)
    body = runner_body(SPEC)
    p = pose.points_m
    for side in ("left", "right"):
        low = np.minimum(p[f"{side}_heel_sole"][:, 1], p[f"{side}_toe_sole"][:, 1])
        swing = ~pose.in_contact[side]
        inner = swing & np.roll(swing, 2) & np.roll(swing, -2)
        assert np.all(low[inner] > 0.0)
        for a, b, length in (
            ("hip", "knee", body.thigh_m),
            ("knee", "ankle", body.shank_m),
        ):
            d = p[f"{side}_{b}"] - p[f"{side}_{a}"]
            sagittal = np.hypot(d[:, 0], d[:, 1])
            assert np.allclose(sagittal, length, atol=1e-9)
            assert np.ptp(np.linalg.norm(d, axis=1)) < 1e-9
        for a, b, length in (
            ("shoulder", "elbow", body.upper_arm_m),
            ("elbow", "wrist", body.forearm_m),
        ):
            d = p[f"{side}_{b}"] - p[f"{side}_{a}"]
            assert np.allclose(np.linalg.norm(d, axis=1), length, atol=1e-9)
        foot = np.linalg.norm(p[f"{side}_toe_sole"] - p[f"{side}_heel_sole"], axis=1)
        assert np.allclose(foot, body.heel_back_m + body.toe_front_m, atol=1e-9)
        heel_height = p[f"{side}_heel"] - p[f"{side}_heel_sole"]
        assert np.allclose(
            np.linalg.norm(heel_height, axis=1), math.hypot(HEEL_HEIGHT_M, HEEL_INSET_M)
        )
    lean = p["neck"] - p["pelvis"]
    assert np.allclose(np.degrees(np.arctan2(lean[:, 0], lean[:, 1])), SPEC.trunk_lean_deg)


def test_knee_truth_from_geometry() -> None:
    truth = runner_truth(SPEC, SIDE)
    for step in truth.steps:
        assert MIN_KNEE_FLEXION_DEG <= step.knee_flexion_ic_deg < step.peak_knee_flexion_deg
        assert step.peak_knee_flexion_deg < 90.0
        pose = body_pose(SPEC, np.array([step.ic_time_s]))
        knee, ankle = pose.points_m[f"{step.foot}_knee"][0], pose.points_m[f"{step.foot}_ankle"][0]
        shank = math.degrees(math.atan2(ankle[0] - knee[0], knee[1] - ankle[1]))
        assert step.shank_angle_deg == pytest.approx(shank, abs=1e-9)
        assert 0.0 < step.hip_extension_to_deg < 45.0


def test_camera_sides_and_keypoint_noise() -> None:
    right, _ = synthetic_keypoints(SPEC, SIDE)
    left, _ = synthetic_keypoints(SPEC, replace(SIDE, facing="left"))
    cx = SIDE.width_px / 2
    # The runner faces image right / left: the nose is ahead of the neck direction.
    assert np.all(right.point("nose")[:, 0] > cx)
    assert np.all(left.point("nose")[:, 0] < cx)
    pose = body_pose(SPEC, right.time_s)
    pts = pose.points_m["right_ankle"][:, None]
    _, near_depth = project_points(SPEC, SIDE, pts, right.time_s)
    _, far_depth = project_points(SPEC, SIDE, pose.points_m["left_ankle"][:, None], right.time_s)
    assert np.all(near_depth < far_depth)  # right leg is near when facing right
    noisy_cam = replace(SIDE, keypoint_noise_px=2.0)
    a, _ = synthetic_keypoints(SPEC, noisy_cam)
    b, _ = synthetic_keypoints(SPEC, noisy_cam)
    c, _ = synthetic_keypoints(replace(SPEC, seed=1), noisy_cam)
    assert np.array_equal(a.xy_px, b.xy_px)
    assert not np.array_equal(a.xy_px, c.xy_px)
    assert np.std(a.xy_px - right.xy_px) == pytest.approx(2.0, rel=0.05)
    assert a.source == "synthetic" and a.n_frames == 120


def test_overground_translates_and_rear_camera_follows() -> None:
    spec = replace(SPEC, surface="overground")
    t = np.array([0.0, 1.0])
    pelvis = body_pose(spec, t).points_m["pelvis"]
    assert pelvis[1, 0] - pelvis[0, 0] == pytest.approx(spec.speed_m_s)
    rear, _ = synthetic_keypoints(spec, CameraSpec(view="rear"))
    hips = 0.5 * (rear.point("left_hip") + rear.point("right_hip"))
    assert np.allclose(hips[:, 0], 640.0, atol=1e-6)


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"contact_time_ms": 360.0}, "no flight"),
        ({"cadence_spm": 180.0, "contact_time_ms": 340.0}, "no flight"),
        ({"contact_asymmetry_pct": 40.0, "contact_time_ms": 300.0}, "no flight"),
        ({"cadence_spm": -170.0}, "cadence_spm"),
        ({"speed_m_s": float("nan")}, "speed_m_s"),
        ({"start_phase": 1.0}, "start_phase"),
        ({"vertical_oscillation_cm": 40.0}, "vertical_oscillation_cm"),
        ({"surface": "track"}, "surface"),
        ({"speed_m_s": 9.0, "contact_time_ms": 300.0, "cadence_spm": 150.0}, "reach"),
    ],
)
def test_invalid_runner_specs(changes: dict[str, object], match: str) -> None:
    with pytest.raises(InputError, match=match):
        runner_truth(replace(RunnerSpec(), **changes), SIDE)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"fps": 0.0}, "fps"),
        ({"view": "top"}, "view"),
        ({"facing": "up"}, "facing"),
        ({"distance_m": 0.1}, "distance_m"),
        ({"motion_blur_subframes": 0}, "motion_blur_subframes"),
        ({"stored_fps": -30.0}, "stored_fps"),
    ],
)
def test_invalid_camera_specs(changes: dict[str, object], match: str) -> None:
    with pytest.raises(InputError, match=match):
        CameraSpec(**changes)  # type: ignore[arg-type]


def test_start_phase_shifts_the_first_contact() -> None:
    spec = replace(SPEC, start_phase=0.25)
    first = runner_truth(spec, SIDE).steps[0]
    stride = 120.0 / spec.cadence_spm
    assert first.foot == "right"
    assert first.ic_time_s == pytest.approx(0.25 * stride, abs=TINY)
