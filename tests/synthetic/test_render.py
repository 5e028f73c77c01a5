"""Drawing the synthetic runner and writing it as an MP4.

Fixture in words: tiny frames (160×96 or 96×64) of the default runner, short clips
(a quarter of a second), side and rear views, treadmill and over ground. The video is
read back with PyAV: frame count, size and the stored frame rate must match, also for
a slow-motion file whose stored rate differs from the capture rate.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from stridelab.errors import InputError
from stridelab.synthetic.render import render_frame, write_runner_video
from stridelab.synthetic.runner import CameraSpec, RunnerSpec, synthetic_keypoints

SPEC = RunnerSpec(duration_s=0.25)
TINY_CAM = CameraSpec(width_px=160, height_px=96)


@pytest.mark.parametrize(
    "camera",
    [
        TINY_CAM,
        replace(TINY_CAM, facing="left", treadmill_visible=False),
        replace(TINY_CAM, view="rear"),
    ],
)
@pytest.mark.parametrize("surface", ["treadmill", "overground"])
def test_render_frame_shape_and_determinism(camera: CameraSpec, surface: str) -> None:
    spec = replace(SPEC, surface=surface)  # type: ignore[arg-type]
    a = render_frame(spec, camera, 0.1)
    b = render_frame(spec, camera, 0.1)
    assert a.shape == (96, 160, 3) and a.dtype == np.uint8
    assert np.array_equal(a, b)
    assert not np.array_equal(a, render_frame(spec, camera, 0.2))  # the runner moves


def test_runner_is_drawn_where_the_keypoints_are() -> None:
    cam = CameraSpec(width_px=320, height_px=180)
    track, _ = synthetic_keypoints(SPEC, cam)
    image = render_frame(SPEC, cam, 0.0)
    chest = 0.5 * (track.xy_px[0, 1] + track.xy_px[0, 2]) * 0.6 + 0.4 * track.xy_px[0, 7]
    r, _, b = image[round(chest[1]), round(chest[0])].astype(int)
    assert b > 150 and r < 80  # the blue shirt
    heel = track.point("right_heel")[0]
    assert not np.array_equal(image[round(heel[1]), round(heel[0])], image[5, 5])


def test_noise_and_motion_blur_are_seeded() -> None:
    cam = replace(TINY_CAM, image_noise=6.0, motion_blur_subframes=3)
    a = render_frame(SPEC, cam, 0.05)
    assert np.array_equal(a, render_frame(SPEC, cam, 0.05))
    assert not np.array_equal(a, render_frame(replace(SPEC, seed=3), cam, 0.05))
    clean = render_frame(SPEC, TINY_CAM, 0.05)
    diff = a.astype(np.int16) - clean
    assert 3.0 < float(np.std(diff)) < 20.0


@pytest.mark.parametrize(("fps", "stored_fps"), [(60.0, None), (120.0, 30.0), (30.0, 29.97)])
def test_write_runner_video_reads_back(
    tmp_path: Path, fps: float, stored_fps: float | None
) -> None:
    cam = CameraSpec(width_px=96, height_px=64, fps=fps, stored_fps=stored_fps)
    path = tmp_path / "runner.mp4"
    calls: list[tuple[int, int]] = []
    truth = write_runner_video(SPEC, cam, path, progress=lambda k, n: calls.append((k, n)))
    assert truth.n_frames == round(0.25 * fps)
    assert calls[-1] == (truth.n_frames, truth.n_frames) and len(calls) == truth.n_frames
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264"
        frames = [f.to_ndarray(format="rgb24") for f in container.decode(stream)]
        rate = stream.average_rate
    assert len(frames) == truth.n_frames
    assert frames[0].shape == (64, 96, 3)
    expected = Fraction(stored_fps or fps).limit_denominator(1001)
    assert rate is not None and float(rate) == pytest.approx(float(expected), rel=1e-6)


def test_write_runner_video_rejects_odd_sizes(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="even"):
        write_runner_video(SPEC, CameraSpec(width_px=95, height_px=64), tmp_path / "x.mp4")
