"""Awkward inputs on the way from a file or a track to a result: slow-motion clips,
clips too short or too sparse to time, holds cut off by the clip, a person too small
in the frame.

Fixture in words: the exact keypoints of the synthetic plank, balance and lunge poses
(175 cm body, the level phones of ``conftest``). For the slow-motion case a tiny
blank H.264 file stands in for the video and a stand-in pose backend returns, frame
by frame, the exact keypoints of a plank filmed 4× slowed down (80 fps capture stored
at 20 fps), so the decoder's frame times are the only thing under test.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from stridelab.assess.mobility import measure_track, run_test
from stridelab.errors import InputError, UnsupportedFormatError, VideoError
from stridelab.synthetic import poses as P
from stridelab.video.keypoints import PoseTrack
from stridelab.video.pose import PoseEstimate
from tests.assess.mobility.conftest import REAR, SIDE


class _Replay:
    """A pose backend that returns the frames of a known track in order."""

    name = "replay"

    def __init__(self, track: PoseTrack) -> None:
        self.track = track
        self.calls = 0

    def process(self, image_rgb: Any) -> PoseEstimate | None:
        k = min(self.calls, self.track.n_frames - 1)
        self.calls += 1
        return PoseEstimate(self.track.xy_px[k].copy(), self.track.confidence[k].copy())

    def reset(self) -> None:
        self.calls = 0

    def close(self) -> None:
        pass


def _blank_video(path: Path, n_frames: int, fps: int) -> None:
    import av

    rate = Fraction(fps)
    with av.open(str(path), mode="w") as container:
        stream: Any = container.add_stream("libx264", rate=rate)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        stream.time_base = 1 / rate
        for k in range(n_frames):
            frame = av.VideoFrame.from_ndarray(np.zeros((48, 64, 3), np.uint8), format="rgb24")
            frame.pts = k
            frame.time_base = 1 / rate
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)


def test_slow_motion_plank_is_timed_in_real_seconds(tmp_path: Path) -> None:
    fn, truth = P.plank_pose(sag_onset_s=2.0, sag_rate_deg_s=10.0, duration_s=4.0)
    capture_fps, file_fps = 80, 20
    real_times = np.arange(4 * capture_fps) / capture_fps  # 4 s of real time
    track = P.pose_keypoints(fn, replace(SIDE, fps=capture_fps), times_s=real_times)
    path = tmp_path / "slowmo.mp4"
    _blank_video(path, track.n_frames, file_fps)  # 16 s of file time
    r = run_test("plank", path, capture_fps=capture_fps, backend=_Replay(track))
    assert r.detail["ended_by"] == "hip_sag"
    assert r.value == pytest.approx(truth.hold_time_s(10.0), abs=0.1)  # 3 s
    naive = run_test("plank", path, backend=_Replay(track))  # file time: 4× too long
    assert naive.value == pytest.approx(4 * truth.hold_time_s(10.0), abs=0.4)
    photo = tmp_path / "p.png"
    Image.new("RGB", (64, 48)).save(photo)
    with pytest.raises(InputError, match="--capture-fps"):
        run_test("knee-to-wall", photo, capture_fps=240.0, backend=_Replay(track))


@pytest.mark.parametrize("test", ["plank", "side-plank", "balance", "squat", "calf-raise"])
@pytest.mark.parametrize(("n_frames", "fps"), [(1, 20), (9, 20), (12, 4)])
def test_too_short_or_too_sparse_clips(test: str, n_frames: int, fps: int) -> None:
    fn = P.plank_pose()[0] if "plank" in test else P.single_leg_balance_pose(lift_s=0.1)[0]
    cam = REAR if test in ("balance", "squat") else SIDE
    track = P.pose_keypoints(fn, cam, times_s=1.0 + np.arange(n_frames) / fps)
    with pytest.raises(VideoError, match=r"at least"):
        measure_track(test, track, input_kind="video")


def test_a_held_position_needs_no_long_clip() -> None:
    track = P.pose_keypoints(P.lunge_pose(shank_angle_deg=30.0), SIDE, times_s=np.arange(3) / 20)
    r = measure_track("knee-to-wall", track, input_kind="video", side="right")
    assert r.value == pytest.approx(30.0, abs=0.01)


@pytest.mark.parametrize("kind", ["plank", "balance"])
def test_a_hold_cut_off_by_the_clip_is_not_below_the_norm(kind: str) -> None:
    if kind == "plank":
        fn = P.plank_pose(sag_onset_s=60.0, duration_s=20.0)[0]
        track = P.pose_keypoints(fn, SIDE, duration_s=20.0)
    else:
        fn = P.single_leg_balance_pose(lift_s=1.0, end_s=12.0)[0]
        track = P.pose_keypoints(fn, REAR, duration_s=12.0)
    r = measure_track(kind, track, input_kind="video", sex="female")
    s = r.summary()
    assert s["lower_bound"] is True
    assert s["value"] < s["norm"]["cutoff"]  # 20 s < 83 s; 11 s < 30 s …
    assert s["norm"]["status"] == "unknown"  # … but the person was still holding


def test_a_finished_hold_keeps_its_norm_status() -> None:
    fn, _ = P.single_leg_balance_pose(lift_s=1.0, touchdowns=[(6.0, 7.0)], end_s=9.0)
    r = measure_track("balance", P.pose_keypoints(fn, REAR, duration_s=9.0), input_kind="video")
    assert r.summary()["lower_bound"] is False and r.summary()["norm"]["status"] == "below"


@pytest.mark.parametrize(("scale", "quality"), [(1.0, "good"), (0.6, "fair"), (0.2, "poor")])
def test_a_small_person_lowers_the_quality(scale: float, quality: str) -> None:
    track = P.pose_keypoints(P.lunge_pose(shank_angle_deg=30.0), SIDE, times_s=np.array([0.0]))
    small = track.with_(xy_px=track.xy_px * scale)  # leg 153 px → 92 px → 31 px
    r = measure_track("knee-to-wall", small, input_kind="photo", side="right")
    assert r.value == pytest.approx(30.0, abs=0.01) and r.quality == quality
    assert any("small in the frame" in w for w in r.warnings) == (scale < 1.0)


@pytest.mark.parametrize(
    ("brand", "kind"), [(b"heic", "HEIC"), (b"mif1", "HEIC"), (b"avif", "AVIF")]
)
def test_a_phone_heic_photo_gets_a_clear_message(tmp_path: Path, brand: bytes, kind: str) -> None:
    path = tmp_path / "IMG_0001.HEIC"
    path.write_bytes(b"\x00\x00\x00\x18ftyp" + brand + bytes(2000))
    with pytest.raises(UnsupportedFormatError, match=rf"{kind}.*JPEG"):
        run_test("knee-to-wall", path)
