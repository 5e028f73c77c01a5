"""The test poses of :mod:`stridelab.synthetic.poses` hold the truth they claim.

Fixture in words: each pose is built for a 175 cm body and its 3D model points are
checked against the defining quantity (shank angle, thigh angle, frontal-plane
projection angle, pelvic drop, heel rise, hip sag, foot lift) computed independently
here from the points; segment lengths stay constant; one small frame of each pose is
drawn by the renderer.
"""

from __future__ import annotations

import numpy as np
import pytest

from stridelab.errors import InputError
from stridelab.synthetic import poses as P
from stridelab.synthetic.render import render_pose_frame
from stridelab.synthetic.runner import CameraSpec, RunnerSpec, runner_body

BODY = runner_body(RunnerSpec(height_cm=175.0))


def _pt(pose, name):
    return pose.points_m[name]


def _inner_deg(u, v):
    cos = (u * v).sum(-1) / np.linalg.norm(u, axis=-1) / np.linalg.norm(v, axis=-1)
    return np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))


def _lengths_ok(pose, side):
    thigh = np.linalg.norm(_pt(pose, f"{side}_hip") - _pt(pose, f"{side}_knee"), axis=1)
    shank = np.linalg.norm(_pt(pose, f"{side}_knee") - _pt(pose, f"{side}_ankle"), axis=1)
    np.testing.assert_allclose(thigh, BODY.thigh_m, atol=1e-3)
    np.testing.assert_allclose(shank, BODY.shank_m, atol=1e-3)


@pytest.mark.parametrize("angle", [10.0, 35.0, 55.0])
def test_lunge_shank_angle(angle: float) -> None:
    pose = P.lunge_pose(shank_angle_deg=angle, side="left")(np.array([0.0, 1.0]))
    d = _pt(pose, "left_knee") - _pt(pose, "left_ankle")
    got = np.degrees(np.arctan2(d[:, 0], d[:, 1]))
    np.testing.assert_allclose(got, angle, atol=1e-9)
    np.testing.assert_allclose(pose.sole_angle_deg["left"], 0.0)
    _lengths_ok(pose, "left")
    _lengths_ok(pose, "right")


def test_kneeling_and_thomas_thigh_angles() -> None:
    pose = P.kneeling_hip_flexor_pose(thigh_angle_deg=12.0)(np.array([0.0]))
    d = _pt(pose, "right_hip") - _pt(pose, "right_knee")
    assert np.degrees(np.arctan2(d[0, 0], d[0, 1])) == pytest.approx(12.0)
    assert _pt(pose, "right_knee")[0, 1] < 0.1  # on the floor
    pose = P.thomas_pose(thigh_angle_deg=-8.0, knee_flexion_deg=70.0)(np.array([0.0]))
    d = _pt(pose, "right_knee") - _pt(pose, "right_hip")
    assert np.degrees(np.arctan2(-d[0, 1], d[0, 0])) == pytest.approx(-8.0)
    u = _pt(pose, "right_hip") - _pt(pose, "right_knee")
    v = _pt(pose, "right_ankle") - _pt(pose, "right_knee")
    assert 180.0 - _inner_deg(u[0], v[0]) == pytest.approx(70.0)


def test_squat_fppa_and_pelvic_drop_at_the_bottom() -> None:
    fn, truth = P.single_leg_squat_pose(fppa_deg=[4.0, 12.0], pelvic_drop_deg=[2.0, 7.0])
    pose = fn(np.asarray(truth.bottom_times_s))
    hip, knee, ankle = (_pt(pose, f"right_{j}")[:, [2, 1]] for j in ("hip", "knee", "ankle"))
    u, v = hip - knee, ankle - knee
    inner = _inner_deg(u, v)
    np.testing.assert_allclose(180.0 - inner, truth.fppa_deg, atol=1e-6)
    assert np.all(knee[:, 0] < hip[:, 0])  # right leg: medial is −z
    lh, rh = _pt(pose, "left_hip"), _pt(pose, "right_hip")
    drop = np.degrees(np.arctan2(rh[:, 1] - lh[:, 1], rh[:, 2] - lh[:, 2]))
    np.testing.assert_allclose(drop, truth.pelvic_drop_deg, atol=1e-9)
    _lengths_ok(pose, "right")
    assert np.all(_pt(pose, "left_ankle")[:, 1] > BODY.ankle_height_m + 0.05)  # foot lifted


def test_calf_raise_heel_rise_and_plank_sag() -> None:
    fn, truth = P.calf_raise_pose(heel_rise_cm=[8.0, 5.0])
    pose = fn(np.array([0.0, *truth.peak_times_s]))
    heel_y = _pt(pose, "right_heel")[:, 1]
    np.testing.assert_allclose((heel_y[1:] - heel_y[0]) * 100.0, truth.heel_rise_cm, atol=1e-3)
    toe = _pt(pose, "right_toe_sole")
    np.testing.assert_allclose(toe[:, 1], 0.0, atol=1e-9)  # the toes stay down
    for kind in ("plank", "side_plank"):
        fn, pt = P.plank_pose(kind=kind, sag_onset_s=2.0, sag_rate_deg_s=4.0)
        times = np.array([1.0, 4.5])
        pose = fn(times)
        s = (_pt(pose, "left_shoulder") + _pt(pose, "right_shoulder")) / 2
        h = (_pt(pose, "left_hip") + _pt(pose, "right_hip")) / 2
        a = (_pt(pose, "left_ankle") + _pt(pose, "right_ankle")) / 2
        u, v = s - h, a - h
        inner = _inner_deg(u, v)
        np.testing.assert_allclose(180.0 - inner, [0.0, 10.0], atol=1e-6)
        assert pt.hold_time_s(10.0) == pytest.approx(4.5)


def test_balance_foot_is_down_exactly_in_the_windows() -> None:
    fn, truth = P.single_leg_balance_pose(lift_s=1.0, touchdowns=[(4.0, 5.0)], end_s=8.0)
    t = np.array([0.5, 0.99, 2.0, 4.0, 4.5, 5.0, 6.0])
    pose = fn(t)
    lifted = _pt(pose, "left_ankle")[:, 1] - BODY.ankle_height_m > 1e-9
    assert lifted.tolist() == [False, False, True, False, False, False, True]
    assert truth.time_held_s == pytest.approx(3.0)


def test_bad_arguments() -> None:
    with pytest.raises(InputError):
        P.lunge_pose(shank_angle_deg=30.0, side="middle")
    with pytest.raises(InputError):
        P.single_leg_squat_pose(fppa_deg=[])
    with pytest.raises(InputError):
        P.plank_pose(kind="bridge")


@pytest.mark.parametrize(
    "make",
    [
        lambda: P.lunge_pose(shank_angle_deg=30.0),
        lambda: P.thomas_pose(thigh_angle_deg=5.0),
        lambda: P.plank_pose(kind="side_plank")[0],
    ],
)
def test_poses_render(make) -> None:
    cam = CameraSpec(view="side", width_px=160, height_px=120, distance_m=3.2)
    img = render_pose_frame(make(), cam, 0.5)
    assert img.shape == (120, 160, 3)
    assert (np.abs(img.astype(int) - img[2, 2].astype(int)).sum(axis=2) > 60).sum() > 100
