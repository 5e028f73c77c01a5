"""The BlazePose backend on a rendered figure: it finds the person and keeps MediaPipe's
native start-up chatter out of the runner's terminal."""

from __future__ import annotations

import numpy as np
import pytest

from stridelab.synthetic import poses
from stridelab.synthetic.render import render_pose_frame
from stridelab.synthetic.runner import CameraSpec
from stridelab.video.pose import MediaPipePoseBackend


@pytest.fixture(scope="module")
def image() -> np.ndarray:
    camera = CameraSpec(width_px=640, height_px=480, distance_m=3.2, camera_height_m=0.6)
    return render_pose_frame(poses.lunge_pose(shank_angle_deg=35.0), camera, 0.0)


def test_first_image_finds_the_figure_without_native_logs(image, capfd, monkeypatch) -> None:
    monkeypatch.delenv("STRIDELAB_NATIVE_LOGS", raising=False)
    backend = MediaPipePoseBackend(static_image_mode=True)
    try:
        est = backend.process(image)
    finally:
        backend.close()
    assert est is not None and np.all(np.isfinite(est.xy_px))
    assert 100 < float(np.median(est.xy_px[:, 0])) < 540  # the figure is mid-frame
    err = capfd.readouterr().err
    assert "W0000" not in err and "TensorFlow Lite" not in err, err


def test_native_logs_can_be_kept_for_debugging(image, capfd, monkeypatch) -> None:
    monkeypatch.setenv("STRIDELAB_NATIVE_LOGS", "1")
    backend = MediaPipePoseBackend(static_image_mode=True)
    try:
        assert backend.process(image) is not None
    finally:
        backend.close()
    err = capfd.readouterr().err
    assert "inference_feedback_manager" in err, err
