"""Quality flags and awkward input for the gait pipeline (synthetic keypoints)."""

from __future__ import annotations

import numpy as np
import pytest

from stridelab.errors import InputError, NoPersonError
from stridelab.gait.pipeline import VideoOptions, analyze_track
from stridelab.synthetic.runner import CameraSpec, RunnerSpec, synthetic_keypoints
from stridelab.video.keypoints import KEYPOINTS, make_pose_track, with_capture_fps

IDX = {k: i for i, k in enumerate(KEYPOINTS)}


@pytest.fixture(scope="module")
def base():
    track, truth = synthetic_keypoints(RunnerSpec(duration_s=5.0), CameraSpec(fps=60))
    return track, truth


def test_feet_cut_off_by_the_frame_are_flagged(base) -> None:
    track, _ = base
    # crop the frame just above the soles: the feet are outside it
    ys = track.xy_px[:, [IDX["left_toe"], IDX["right_toe"]], 1]
    cut = track.with_(height_px=int(np.nanmin(ys) - 5))
    a = analyze_track(cut).analysis
    assert any("cut off" in w for w in a.quality.warnings)


def test_small_runner_is_flagged(base) -> None:
    track, _ = base
    small = track.with_(xy_px=track.xy_px * 0.2, px_per_m=track.px_per_m * 0.2)
    a = analyze_track(small).analysis
    assert any("small in the frame" in w for w in a.quality.warnings)


def test_one_hip_never_seen_is_not_a_crash(base) -> None:
    track, _ = base
    xy = track.xy_px.copy()
    xy[:, IDX["right_hip"]] = np.nan
    a = analyze_track(track.with_(xy_px=xy)).analysis
    assert a.setup["surface"] == "treadmill"


def test_runner_leaving_the_frame_keeps_the_labels(base) -> None:
    track, truth = base
    xy = track.xy_px.copy()
    xy[100:250] = np.nan  # gone for 2.5 s
    a = analyze_track(track.with_(xy_px=xy)).analysis
    assert a.summary["contact_time_ms"] == pytest.approx(truth.contact_time_ms, abs=30)
    assert a.summary["foot_strike"] == "rearfoot"


def test_exact_keypoints_report_no_swaps(base) -> None:
    track, _ = base
    a = analyze_track(track).analysis
    assert a.quality.swaps_corrected == 0
    assert not any("facing direction unclear" in n for n in a.quality.notes)


def test_no_person_at_all() -> None:
    xy = np.full((50, len(KEYPOINTS), 2), np.nan)
    track = make_pose_track(np.arange(50) / 30, xy, width_px=640, height_px=480, source="x")
    with pytest.raises(NoPersonError):
        analyze_track(track)


@pytest.mark.parametrize(
    "options",
    [
        VideoOptions(view="diagonal"),
        VideoOptions(height_cm=20),
        VideoOptions(capture_fps=0.5),
        VideoOptions(cutoff_hz=0.0),
        VideoOptions(surface="ice"),
    ],
)
def test_absurd_options_are_clear_errors(base, options) -> None:
    track, _ = base
    with pytest.raises(InputError):
        analyze_track(track, options=options)


def test_slow_motion_keypoints_rescaled_to_real_time() -> None:
    spec = RunnerSpec(duration_s=4.0)
    track, truth = synthetic_keypoints(spec, CameraSpec(fps=240))
    stored = track.with_(time_s=track.time_s * 8)  # a 240 fps capture stored at 30 fps
    real = with_capture_fps(stored, 240)
    assert real.time_s == pytest.approx(track.time_s)
    a = analyze_track(real).analysis
    assert a.summary["cadence_spm"] == pytest.approx(truth.cadence_spm, abs=1.0)
