"""The self-tests through the real pose model (MediaPipe BlazePose full) on rendered
photos and videos of the synthetic test poses.

Fixture in words: the poses of :mod:`stridelab.synthetic.poses` drawn by the renderer
(a 175 cm figure, a level phone 3.2 m away, 640×480 landscape for side views, 480×640
portrait for rear views; the squat also from the front, the figure turned to the
camera) and saved as PNG/JPEG photos or 15 fps H.264 clips; each file
goes through :func:`stridelab.assess.mobility.run_test` exactly as the CLI does. The
tolerances are the errors measured on these renders (see docs/mobility.md), rounded up.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from stridelab.assess.mobility import run_test
from stridelab.errors import InputError, NoPersonError
from stridelab.synthetic import poses as P
from stridelab.synthetic.render import render_pose_frame, write_pose_video
from stridelab.video.pose import MediaPipePoseBackend
from tests.assess.mobility.conftest import REAR, SIDE

VSIDE = replace(SIDE, fps=15.0)
VREAR = replace(REAR, fps=15.0)


@pytest.fixture(scope="module")
def backend():
    model = MediaPipePoseBackend(static_image_mode=True)
    yield model
    model.close()


def _photo(tmp_path: Path, pose_fn, cam, name: str) -> Path:
    path = tmp_path / name
    Image.fromarray(render_pose_frame(pose_fn, cam, 0.0)).save(path)
    return path


@pytest.mark.parametrize(
    ("name", "make", "truth", "facing"),
    [
        ("knee-to-wall", lambda a: P.lunge_pose(shank_angle_deg=a), 25.0, "right"),
        ("knee-to-wall", lambda a: P.lunge_pose(shank_angle_deg=a), 45.0, "left"),
        (
            "kneeling-hip-flexor",
            lambda a: P.kneeling_hip_flexor_pose(thigh_angle_deg=a),
            10.0,
            "right",
        ),
        ("thomas", lambda a: P.thomas_pose(thigh_angle_deg=a), -12.0, "right"),
        ("thomas", lambda a: P.thomas_pose(thigh_angle_deg=a), 12.0, "left"),
    ],
)
def test_photo_angles(tmp_path: Path, backend, name, make, truth, facing) -> None:
    suffix = "jpg" if facing == "left" else "png"
    path = _photo(tmp_path, make(truth), replace(SIDE, facing=facing), f"pose.{suffix}")
    r = run_test(name, path, backend=backend, side="right")
    assert r.input_kind == "photo" and r.quality == "good"
    assert r.value == pytest.approx(truth, abs=5.0)  # measured on these five: ≤ 3.6°


def test_photo_without_a_person(tmp_path: Path, backend) -> None:
    path = tmp_path / "wall.png"
    Image.new("RGB", (320, 240), (200, 190, 180)).save(path)
    with pytest.raises(NoPersonError):
        run_test("knee-to-wall", path, backend=backend)
    text = tmp_path / "notes.jpg"
    text.write_text("not a photo")
    with pytest.raises(InputError):
        run_test("knee-to-wall", text, backend=backend)


@pytest.mark.parametrize("front", [False, True])
def test_single_leg_squat_video(tmp_path: Path, front: bool) -> None:
    fn, truth = P.single_leg_squat_pose(
        fppa_deg=[4.0, 14.0],
        pelvic_drop_deg=[0.0, 6.0],
        rep_s=1.8,
        rest_s=0.4,
        lead_s=0.6,
        side="left" if front else "right",
        facing_camera=front,
    )
    path = tmp_path / "squat.mp4"
    write_pose_video(fn, VREAR, path, duration_s=truth.duration_s)
    r = run_test("single-leg-squat", path)
    assert r.side == truth.side  # from BlazePose's labels of the stance leg
    assert r.detail["reps"] == 2
    for row, t, fppa in zip(r.detail["per_rep"], truth.bottom_times_s, truth.fppa_deg, strict=True):
        assert row["bottom_time_s"] == pytest.approx(t, abs=0.2)
        assert row["fppa_deg"] == pytest.approx(fppa, abs=4.0)  # measured: |error| ≤ 3.2°


def test_calf_raise_video(tmp_path: Path) -> None:
    fn, truth = P.calf_raise_pose(
        heel_rise_cm=[9.0, 8.0, 6.5, 2.5], rep_s=1.2, rest_s=0.3, lead_s=0.8
    )
    path = tmp_path / "calf.mp4"
    write_pose_video(fn, SIDE, path, duration_s=truth.duration_s)  # 20 fps
    r = run_test("calf-raise", path, height_cm=175.0, side="right")
    assert r.value == 3  # the 2.5 cm rep is partial or missed
    got = [row["heel_rise_cm"] for row in r.detail["per_rep"] if row["full"]]
    assert got == pytest.approx([9.0, 8.0, 6.5], abs=2.0)  # measured: |error| ≤ 1.5 cm


def test_balance_video(tmp_path: Path) -> None:
    fn, truth = P.single_leg_balance_pose(
        lift_s=0.8, touchdowns=[(4.5, 5.3)], end_s=6.5, sway_amplitude_cm=2.0
    )
    path = tmp_path / "balance.mp4"
    write_pose_video(fn, VREAR, path, duration_s=6.5)
    r = run_test("balance", path, height_cm=175.0)
    assert r.value == pytest.approx(truth.time_held_s, abs=0.4)  # measured: −0.25 s
    assert r.detail["touchdowns"] == 1
    assert r.detail["sway_sd_cm"] == pytest.approx(2.0 / 2**0.5, abs=0.5)


def test_plank_video(tmp_path: Path) -> None:
    fn, truth = P.plank_pose(sag_onset_s=2.5, sag_rate_deg_s=5.0, duration_s=6.0)
    path = tmp_path / "plank.mp4"
    write_pose_video(fn, VSIDE, path, duration_s=6.0)
    r = run_test("plank", path)
    assert r.detail["ended_by"] == "hip_sag"
    assert r.value == pytest.approx(truth.hold_time_s(10.0), abs=0.6)  # measured: +0.05 s
    with pytest.raises(InputError, match=r"front|squat|single"):
        run_test("single-leg-squat", path)


def test_photo_with_two_people_measures_the_taller_and_says_so(tmp_path: Path, backend) -> None:
    near = render_pose_frame(P.lunge_pose(shank_angle_deg=40.0), SIDE, 0.0)
    far = render_pose_frame(P.lunge_pose(shank_angle_deg=15.0), replace(SIDE, distance_m=5.5), 0.0)
    for name, image in (("near_left.png", (near, far)), ("near_right.png", (far, near))):
        path = tmp_path / name
        Image.fromarray(np.concatenate(image, axis=1)).save(path)
        r = run_test("knee-to-wall", path, backend=backend, side="right")
        assert r.value == pytest.approx(40.0, abs=5.0)  # the near (taller) person
        assert any("more than one person" in n for n in r.notes)
    alone = _photo(tmp_path, P.lunge_pose(shank_angle_deg=40.0), SIDE, "alone.png")
    assert not any("more than one" in n for n in run_test("ankle", alone, backend=backend).notes)


def test_a_bystander_in_the_video_is_found_and_can_be_chosen(tmp_path: Path) -> None:
    """A single-leg balance filmed from behind with someone standing farther back beside
    it: the person scan sees two people, follows the one nearest the camera (body length
    in pixels) and says so; ``person="1"`` (the left one) follows the bystander instead."""
    import av

    fn, truth = P.single_leg_balance_pose(
        lift_s=0.8, touchdowns=[(4.5, 5.3)], end_s=6.5, sway_amplitude_cm=2.0
    )
    standing = P.lunge_pose(shank_angle_deg=20.0)
    far = replace(VREAR, distance_m=VREAR.distance_m + 2.0)
    path = tmp_path / "balance_with_bystander.mp4"
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=15)
        stream.width, stream.height, stream.pix_fmt = 2 * VREAR.width_px, VREAR.height_px, "yuv420p"
        for k in range(97):
            t = k / 15.0
            image = np.concatenate(
                [render_pose_frame(standing, far, t), render_pose_frame(fn, VREAR, t)], axis=1
            )
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    r = run_test("balance", path, height_cm=175.0)
    assert r.value == pytest.approx(truth.time_held_s, abs=0.4)  # measured: −0.3 s
    assert r.detail["touchdowns"] == 1
    (note,) = [n for n in r.notes if "people were seen" in n]
    assert "nearest the camera" in note and "75%" in note
    other = run_test("balance", path, height_cm=175.0, person="1")
    assert any("person 1 from the left" in n and "25%" in n for n in other.notes)
