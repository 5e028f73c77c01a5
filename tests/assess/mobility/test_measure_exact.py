"""Every self-test measured on exact projected keypoints of the synthetic test poses.

Fixture in words: the poses of :mod:`stridelab.synthetic.poses` (175 cm body) seen by a
level phone 3.2 m away (side view for the lunge, kneeling, Thomas, calf raises and
planks; rear view for the single-leg squat and balance), projected exactly (no pose
model) at 20 fps, optionally with 1 px Gaussian keypoint noise. The measured values
must match the truth of the pose within the stated tolerances; the only systematic
error is perspective (the knee of a squat lies in front of the hip–ankle plane, which
adds about 1–2° of apparent valgus at 3.2 m; at 40 m it is under 0.2°).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from stridelab.assess.mobility import WrongTestError, measure_track
from stridelab.errors import InputError
from stridelab.synthetic import poses as P
from stridelab.synthetic.runner import RunnerSpec, synthetic_keypoints
from tests.assess.mobility.conftest import REAR, SIDE

ONE = np.array([0.0])


@pytest.mark.parametrize("angle", [15.0, 30.0, 45.0])
@pytest.mark.parametrize("facing", ["right", "left"])
def test_ankle_dorsiflexion_photo(angle: float, facing: str) -> None:
    cam = replace(SIDE, facing=facing)
    track = P.pose_keypoints(P.lunge_pose(shank_angle_deg=angle, side="left"), cam, times_s=ONE)
    r = measure_track("knee-to-wall", track, input_kind="photo", side="left")
    assert r.value == pytest.approx(angle, abs=0.01)
    assert r.side == "left" and r.quality == "good"
    s = r.summary()
    assert s["norm"]["cutoff"] == 36.0 and s["mdc"] == 4.7
    assert s["norm"]["status"] == (
        "below" if angle < 31.3 else ("above" if angle > 40.7 else "within")
    )


def test_ankle_dorsiflexion_video_takes_the_end_range() -> None:
    def ramp(t: np.ndarray) -> np.ndarray:
        return 15.0 + 25.0 * np.clip(t / 2.0, 0.0, 1.0) - 25.0 * np.clip((t - 3.0) / 2.0, 0.0, 1.0)

    track = P.pose_keypoints(P.lunge_pose(shank_angle_deg=ramp), SIDE, duration_s=5.0, noise_px=1.0)
    r = measure_track("ankle_dorsiflexion", track, input_kind="video")
    assert r.value == pytest.approx(40.0, abs=1.5)
    assert r.side == "right"  # from the labels; a note says so
    assert any("--side" in n for n in r.notes)


@pytest.mark.parametrize("angle", [-5.0, 8.0, 20.0])
def test_kneeling_hip_flexor(angle: float) -> None:
    track = P.pose_keypoints(P.kneeling_hip_flexor_pose(thigh_angle_deg=angle), SIDE, times_s=ONE)
    r = measure_track("hip_extension", track, input_kind="photo", side="right")
    assert r.variant == "kneeling" and r.value == pytest.approx(angle, abs=0.01)
    assert r.summary()["norm"] is None  # no published norm: baseline
    assert any("baseline" in w for w in r.summary()["warnings"])


@pytest.mark.parametrize(("angle", "status"), [(-12.0, "below"), (2.0, "above"), (10.0, "above")])
def test_thomas(angle: float, status: str) -> None:
    track = P.pose_keypoints(
        P.thomas_pose(thigh_angle_deg=angle, knee_flexion_deg=60.0), SIDE, times_s=ONE
    )
    r = measure_track("thomas", track, input_kind="photo")
    assert r.variant == "thomas" and r.value == pytest.approx(angle, abs=0.01)
    assert r.detail["knee_flexion_deg"] == pytest.approx(60.0, abs=0.01)
    norm = r.summary()["norm"]
    assert norm["cutoff"] == 0.0 and norm["status"] == status
    with pytest.raises(WrongTestError, match="kneeling"):
        measure_track("kneeling-hip-flexor", track, input_kind="photo")


def test_single_leg_squat_reps_fppa_and_pelvic_drop() -> None:
    fn, truth = P.single_leg_squat_pose(
        fppa_deg=[3.0, 9.0, 15.0, 6.0], pelvic_drop_deg=[0.0, 3.0, 6.0, 2.0], side="left"
    )
    track = P.pose_keypoints(fn, REAR, duration_s=truth.duration_s)
    r = measure_track("single-leg-squat", track, input_kind="video", side="left")
    rows = r.detail["per_rep"]
    assert r.detail["reps"] == 4
    for row, t_bottom, fppa, drop in zip(
        rows, truth.bottom_times_s, truth.fppa_deg, truth.pelvic_drop_deg, strict=True
    ):
        assert row["bottom_time_s"] == pytest.approx(t_bottom, abs=0.06)
        assert row["fppa_deg"] == pytest.approx(fppa, abs=2.5)  # perspective at 3.2 m
        assert row["pelvic_drop_deg"] == pytest.approx(drop, abs=0.3)
    assert r.value == pytest.approx(np.median(truth.fppa_deg), abs=2.5)
    assert r.summary()["mdc"] == 8.9 and r.summary()["norm"] is None
    far = replace(REAR, distance_m=40.0, horizontal_fov_deg=5.0)
    r_far = measure_track(
        "squat", P.pose_keypoints(fn, far, duration_s=truth.duration_s), input_kind="video"
    )
    for row, fppa in zip(r_far.detail["per_rep"], truth.fppa_deg, strict=True):
        assert row["fppa_deg"] == pytest.approx(fppa, abs=0.3)
    assert r_far.side == "left"  # the lifted foot is the right one


def test_single_leg_squat_front_view() -> None:
    fn, truth = P.single_leg_squat_pose(
        fppa_deg=[4.0, 14.0], pelvic_drop_deg=[1.0, 6.0], side="left", facing_camera=True
    )
    r = measure_track(
        "squat", P.pose_keypoints(fn, REAR, duration_s=truth.duration_s), input_kind="video"
    )
    assert r.side == "left" and r.detail["reps"] == 2
    for row, fppa, drop in zip(
        r.detail["per_rep"], truth.fppa_deg, truth.pelvic_drop_deg, strict=True
    ):
        assert row["fppa_deg"] == pytest.approx(fppa, abs=2.5)  # knee nearer: reads low
        assert row["pelvic_drop_deg"] == pytest.approx(drop, abs=0.3)


def test_single_leg_balance() -> None:
    fn, truth = P.single_leg_balance_pose(
        lift_s=1.0, touchdowns=[(5.0, 5.8), (7.0, 7.5)], end_s=9.0, sway_amplitude_cm=2.0
    )
    track = P.pose_keypoints(fn, REAR, duration_s=9.0, noise_px=0.5)
    r = measure_track("balance", track, input_kind="video", height_cm=175.0)
    assert r.value == pytest.approx(truth.time_held_s, abs=0.2)
    assert r.detail["touchdowns"] == 2
    assert r.detail["touchdown_times_s"] == pytest.approx([5.0, 7.0], abs=0.2)
    sd_truth = truth.sway_amplitude_cm / np.sqrt(2.0)
    assert r.detail["sway_sd_cm"] == pytest.approx(sd_truth, rel=0.15)
    assert r.summary()["norm"]["cutoff"] == 30.0
    held_to_end = measure_track(
        "balance",
        P.pose_keypoints(P.single_leg_balance_pose()[0], REAR, duration_s=4.0),
        input_kind="video",
    )
    assert held_to_end.detail["touchdowns"] == 0
    assert any("at least" in w for w in held_to_end.warnings)


def test_calf_raises_count_and_heel_height() -> None:
    rises = [9.0, 8.5, 8.0, 7.0, 6.0, 5.0, 2.5]
    fn, truth = P.calf_raise_pose(heel_rise_cm=rises)
    track = P.pose_keypoints(fn, SIDE, duration_s=truth.duration_s, noise_px=0.5)
    r = measure_track("calf-raise", track, input_kind="video", height_cm=175.0, sex="male")
    assert r.value == 6  # the last (2.5 cm) is partial
    assert r.detail["partial_reps"] == 1
    got = [row["heel_rise_cm"] for row in r.detail["per_rep"]]
    np.testing.assert_allclose(got, rises, rtol=0.08, atol=0.3)
    norm = r.summary()["norm"]
    assert norm["cutoff"] == 24.0 and "male" in norm["population"]
    assert norm["status"] == "below"  # 6 reps is more than one MDC (6) below 24
    no_height = measure_track("calf-raise", track, input_kind="video")
    assert no_height.detail["per_rep"][0]["heel_rise_cm"] is None
    assert any("--height-cm" in w for w in no_height.warnings)


@pytest.mark.parametrize("kind", ["plank", "side_plank"])
def test_plank_hold_until_sag(kind: str) -> None:
    fn, truth = P.plank_pose(kind=kind, sag_onset_s=5.0, sag_rate_deg_s=4.0, duration_s=11.0)
    track = P.pose_keypoints(fn, SIDE, duration_s=11.0, noise_px=0.5)
    r = measure_track(kind, track, input_kind="video", side="left")
    assert r.value == pytest.approx(truth.hold_time_s(10.0), abs=0.25)
    assert r.detail["ended_by"] == "hip_sag"
    fn, truth = P.plank_pose(kind=kind, sag_onset_s=20.0, duration_s=6.0)
    r = measure_track(kind, P.pose_keypoints(fn, SIDE, duration_s=6.0), input_kind="video")
    assert r.detail["ended_by"] == "clip_end" and r.value == pytest.approx(5.95, abs=0.06)


# --------------------------------------------------------------------------- wrong input


def _running(view: str):
    cam = SIDE if view == "side" else REAR
    track, _ = synthetic_keypoints(
        RunnerSpec(duration_s=3.0), replace(cam, treadmill_visible=False)
    )
    return track


@pytest.mark.parametrize(
    "test",
    ["knee-to-wall", "hip_extension", "squat", "balance", "calf-raise", "plank", "side-plank"],
)
@pytest.mark.parametrize("view", ["side", "rear"])
def test_a_running_clip_is_not_a_self_test(test: str, view: str) -> None:
    with pytest.raises(WrongTestError):
        measure_track(test, _running(view), input_kind="video")


def test_a_person_who_never_moves() -> None:
    still_squat = P.single_leg_squat_pose(fppa_deg=[0.0], depth_cm=0.0)[0]
    with pytest.raises(WrongTestError, match="no squat"):
        measure_track(
            "squat", P.pose_keypoints(still_squat, REAR, duration_s=4.0), input_kind="video"
        )
    still_calf = P.calf_raise_pose(heel_rise_cm=[0.0])[0]
    with pytest.raises(WrongTestError, match="never rose"):
        measure_track(
            "calf-raise", P.pose_keypoints(still_calf, SIDE, duration_s=4.0), input_kind="video"
        )
    with pytest.raises(WrongTestError, match=r"lunge|off the floor"):
        measure_track(
            "knee-to-wall", P.pose_keypoints(still_calf, SIDE, times_s=ONE), input_kind="photo"
        )


def test_wrong_view_and_wrong_input_kind() -> None:
    fn, truth = P.single_leg_squat_pose(fppa_deg=[10.0])
    side_squat = P.pose_keypoints(fn, SIDE, duration_s=truth.duration_s)
    with pytest.raises(WrongTestError, match="front"):
        measure_track("squat", side_squat, input_kind="video")
    lunge_rear = P.pose_keypoints(P.lunge_pose(shank_angle_deg=30.0), REAR, times_s=ONE)
    with pytest.raises(WrongTestError, match="side view"):
        measure_track("knee-to-wall", lunge_rear, input_kind="photo")
    with pytest.raises(InputError, match="video"):
        measure_track("squat", lunge_rear, input_kind="photo")
    with pytest.raises(InputError, match="--points"):
        measure_track("big-toe", lunge_rear, input_kind="photo")
    with pytest.raises(InputError, match="unknown test"):
        measure_track("sit-and-reach", lunge_rear, input_kind="photo")
    with pytest.raises(InputError, match="side"):
        measure_track("knee-to-wall", lunge_rear, input_kind="photo", side="up")


@pytest.mark.parametrize(
    ("rises", "ended_by"),
    [
        ([8.0, 8.0, 8.0, 2.5, 8.0, 8.0], "partial_rep"),  # fatigue, then a rest and 2 more
        ([8.0, 8.0, 8.0, 0.0, 0.0, 0.0, 8.0, 8.0], "pause"),  # pace lost for 3 beats
    ],
)
def test_calf_raises_are_counted_to_fatigue_only(rises: list[float], ended_by: str) -> None:
    fn, truth = P.calf_raise_pose(heel_rise_cm=rises)
    track = P.pose_keypoints(fn, SIDE, duration_s=truth.duration_s, noise_px=0.5)
    r = measure_track("calf-raise", track, input_kind="video", height_cm=175.0)
    assert r.value == 3 and r.detail["ended_by"] == ended_by
    assert [row["counted"] for row in r.detail["per_rep"]][:3] == [True] * 3
    assert not any(row["counted"] for row in r.detail["per_rep"][3:])
    assert any("not counted" in w for w in r.warnings)


def test_one_rep_missed_by_the_pose_model_does_not_end_the_calf_raises() -> None:
    fn, truth = P.calf_raise_pose(heel_rise_cm=[8.0, 8.0, 8.0, 0.0, 8.0, 8.0])
    track = P.pose_keypoints(fn, SIDE, duration_s=truth.duration_s)
    r = measure_track("calf-raise", track, input_kind="video")
    assert r.value == 5 and r.detail["ended_by"] == "clip_end"


def test_other_held_positions_are_not_taken_for_the_test_asked() -> None:
    plank = P.plank_pose()[0]
    with pytest.raises(WrongTestError, match="not pulled to the chest"):
        measure_track("thomas", P.pose_keypoints(plank, SIDE, times_s=ONE), input_kind="photo")
    thomas = P.thomas_pose(thigh_angle_deg=5.0)
    with pytest.raises(WrongTestError, match="knees are bent"):
        measure_track("plank", P.pose_keypoints(thomas, SIDE, duration_s=6.0), input_kind="video")
    lunge = P.lunge_pose(shank_angle_deg=30.0)  # back heel raised, back toes down
    with pytest.raises(WrongTestError, match="toes stay on the floor"):
        measure_track("balance", P.pose_keypoints(lunge, SIDE, duration_s=6.0), input_kind="video")
