"""The synthetic jumper: exact flight and contact times, ballistic flight, real legs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from stridelab.errors import InputError
from stridelab.synthetic.jump_video import (
    JumpVideoSpec,
    default_jump_camera,
    jump_pose,
    jump_truth,
    synthetic_jump_keypoints,
    write_jump_video,
)
from stridelab.synthetic.runner import RunnerSpec, runner_body

G = 9.80665
TESTS = ("cmj", "squat", "drop", "pogo", "rj10-5")


@pytest.mark.parametrize("test", TESTS)
def test_truth_follows_the_spec(test: str) -> None:
    spec = JumpVideoSpec(test=test)  # type: ignore[arg-type]
    truth = jump_truth(spec)
    assert [j.flight_time_ms for j in truth.jumps] == pytest.approx(list(spec.flights_ms))
    for j in truth.jumps:
        assert j.height_cm == pytest.approx(100 * G * (j.flight_time_ms / 1000) ** 2 / 8)
        assert j.landing_time_s - j.takeoff_time_s == pytest.approx(j.flight_time_ms / 1000)
    contacts = [j.contact_time_ms for j in truth.jumps if j.contact_time_ms is not None]
    assert contacts == pytest.approx(list(spec.contacts_ms))
    assert (truth.drop_landing_time_s is not None) == (test == "drop")


@pytest.mark.parametrize("test", TESTS)
def test_feet_leave_and_touch_the_floor_exactly_at_the_events(test: str) -> None:
    spec = JumpVideoSpec(test=test)  # type: ignore[arg-type]
    truth = jump_truth(spec)
    pose_fn = jump_pose(spec)
    for j in truth.jumps:
        at = pose_fn(np.array([j.takeoff_time_s, j.landing_time_s]))
        for side in ("left", "right"):
            assert at.points_m[f"{side}_toe_sole"][:, 1] == pytest.approx(0.0, abs=1e-9)
        inside = np.linspace(j.takeoff_time_s, j.landing_time_s, 50)[1:-1]
        p = pose_fn(inside)
        assert np.all(p.points_m["right_toe_sole"][:, 1] > 0)
        assert not p.in_contact["right"].any()
        # the pelvis is ballistic in flight: constant second difference = -g
        y = p.points_m["pelvis"][:, 1]
        dt = inside[1] - inside[0]
        assert np.diff(y, 2) / dt**2 == pytest.approx(-G, rel=1e-6)
        # and back at the take-off height on landing (same posture)
        assert at.points_m["pelvis"][0, 1] == pytest.approx(at.points_m["pelvis"][1, 1], abs=1e-9)


@pytest.mark.parametrize("test", TESTS)
def test_segments_keep_their_lengths_and_the_knees_bend(test: str) -> None:
    spec = JumpVideoSpec(test=test)  # type: ignore[arg-type]
    truth = jump_truth(spec)
    body = runner_body(RunnerSpec(height_cm=spec.height_cm))
    p = jump_pose(spec)(np.linspace(0, truth.duration_s, 3000)).points_m
    for side in ("left", "right"):
        hip, knee, ankle = (p[f"{side}_{j}"][:, :2] for j in ("hip", "knee", "ankle"))
        thigh = np.linalg.norm(hip - knee, axis=1)
        shank = np.linalg.norm(knee - ankle, axis=1)
        assert thigh == pytest.approx(body.thigh_m, rel=1e-6)
        assert shank == pytest.approx(body.shank_m, rel=1e-6)
        # knee flexion (deg): nearly straight at take-off, deep in the countermovement
        a = np.degrees(np.arctan2(knee[:, 0] - hip[:, 0], hip[:, 1] - knee[:, 1]))
        b = np.degrees(np.arctan2(ankle[:, 0] - knee[:, 0], knee[:, 1] - ankle[:, 1]))
        flex = a - b
        assert flex.min() > 4.0
        assert flex.max() > (80.0 if test in ("cmj", "squat") else 40.0)


def test_keypoints_project_into_the_frame() -> None:
    track, truth = synthetic_jump_keypoints(JumpVideoSpec(test="cmj"), default_jump_camera(30))
    assert track.n_frames == len(truth.frame_times_s) == round(truth.duration_s * 30)
    xy = track.xy_px
    assert np.all((xy[..., 0] > 0) & (xy[..., 0] < 960) & (xy[..., 1] > 0) & (xy[..., 1] < 540))
    assert track.px_per_m == pytest.approx(default_jump_camera(30).px_per_m)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"test": "box"}, "test must be"),
        ({"test": "cmj", "flight_times_ms": (100.0,)}, "flight times"),
        ({"test": "cmj", "flight_times_ms": (500.0, 500.0)}, "one flight"),
        ({"test": "pogo", "flight_times_ms": (400.0, 400.0), "contact_times_ms": ()}, "contact"),
        ({"test": "drop", "box_height_cm": 200.0}, "box_height_cm"),
        ({"test": "cmj", "flight_times_ms": ()}, "flight times"),  # not the defaults
        ({"test": "cmj", "lead_s": -1.0}, "lead_s"),
        ({"test": "pogo", "tail_s": float("nan")}, "tail_s"),
    ],
)
def test_bad_specs_are_refused(kwargs: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        JumpVideoSpec(**kwargs)


def test_write_jump_video_reads_back(tmp_path: Path) -> None:
    import av

    spec = JumpVideoSpec(test="cmj", lead_s=0.2, tail_s=0.2)
    cam = default_jump_camera(30, width_px=320, height_px=180)
    path = tmp_path / "cmj.mp4"
    truth = write_jump_video(spec, cam, path)
    with av.open(str(path)) as c:
        n = sum(1 for _ in c.decode(video=0))
    assert n == len(truth.frame_times_s) == round(truth.duration_s * 30)
