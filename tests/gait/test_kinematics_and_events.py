"""Pure functions of the gait stage against hand-computed answers."""

from __future__ import annotations

import numpy as np
import pytest

from stridelab.gait.events import GroundLine, fit_ground_line, ground_frame
from stridelab.gait.kinematics import (
    foot_angle_deg,
    joint_flexion_deg,
    segment_angle_from_vertical_deg,
)
from stridelab.gait.metrics import _train_step_ms, classify_foot_strike
from stridelab.synthetic.runner import CameraSpec, RunnerSpec, synthetic_keypoints


def test_angles_by_hand() -> None:
    heel, toe = np.array([0.0, 0.0]), np.array([10.0, 10.0])
    assert foot_angle_deg(heel, toe) == pytest.approx(45.0)  # toes up
    knee, ankle = np.array([0.0, 10.0]), np.array([10.0, 0.0])
    assert segment_angle_from_vertical_deg(knee, ankle) == pytest.approx(45.0)  # ahead
    assert segment_angle_from_vertical_deg(knee, np.array([-10.0, 0.0])) == pytest.approx(-45.0)
    hip = np.array([0.0, 20.0])
    assert joint_flexion_deg(hip, knee, np.array([0.0, 0.0])) == pytest.approx(0.0)
    assert joint_flexion_deg(hip, knee, np.array([10.0, 10.0])) == pytest.approx(90.0)


@pytest.mark.parametrize(
    ("angle", "cls"),
    [(7.5, "rearfoot"), (7.4, "midfoot"), (0.0, "midfoot"), (-0.8, "midfoot"), (-0.9, "forefoot")],
)
def test_foot_strike_cut_offs_of_mo_2023(angle: float, cls: str) -> None:
    assert classify_foot_strike(angle) == cls


@pytest.mark.parametrize("tilt_deg", [0.0, 4.0, -6.0])
def test_ground_line_follows_a_tilted_camera(tilt_deg: float) -> None:
    track, _ = synthetic_keypoints(RunnerSpec(duration_s=3.0), CameraSpec(fps=60))
    theta = np.radians(tilt_deg)
    c, s = np.cos(theta), np.sin(theta)
    xy = track.xy_px.copy()
    cx, cy = track.width_px / 2, track.height_px / 2
    x, y = xy[..., 0] - cx, xy[..., 1] - cy
    xy[..., 0], xy[..., 1] = c * x - s * y + cx, s * x + c * y + cy
    ground = fit_ground_line(track.with_(xy_px=xy))
    assert ground.angle_deg == pytest.approx(tilt_deg, abs=1.0)


def test_ground_frame_keeps_distances_and_flips_for_facing() -> None:
    line = GroundLine(slope=0.1, intercept_px=100.0, residual_px=0.0, n_points=10)
    pts = np.array([[0.0, 100.0], [50.0, 20.0]])
    uv_r = ground_frame(pts, line, "right")
    uv_l = ground_frame(pts, line, "left")
    d = np.linalg.norm(pts[0] - pts[1])
    assert np.linalg.norm(uv_r[0] - uv_r[1]) == pytest.approx(d)
    assert uv_r[0, 1] == pytest.approx(0.0, abs=1e-9)  # on the line
    assert uv_r[1, 1] > 0  # above the ground (image y is down)
    assert uv_l[:, 0] == pytest.approx(-uv_r[:, 0])


def test_step_time_from_a_train_with_a_missed_contact_and_jitter() -> None:
    rng = np.random.default_rng(1)
    step = 0.35
    ic = np.arange(20) * step + rng.normal(0, 0.01, 20)
    ic = np.delete(ic, [7])  # one contact missed
    to = ic + 0.25 + rng.normal(0, 0.01, ic.size)
    assert _train_step_ms(ic, to) == pytest.approx(350.0, abs=2.0)
    late = ic.copy()
    late[3] += 0.08  # one contact badly late
    assert _train_step_ms(late, to) == pytest.approx(350.0, abs=2.0)
