"""The gait stage against exact synthetic truth (keypoints straight from the model).

These tests isolate events and metrics from the pose model: the keypoints are the
synthetic runner's exact joint positions projected by its camera. The end-to-end tests
through MediaPipe on rendered video are in ``test_video_end_to_end.py``.
"""

from __future__ import annotations

import numpy as np
import pytest

from stridelab.gait.pipeline import VideoOptions, analyze_track
from stridelab.synthetic.runner import CameraSpec, RunnerSpec, synthetic_keypoints


def _match(analysis, truth, fps):
    ic, to = [], []
    for s in analysis.steps:
        best = min(truth.steps, key=lambda t: abs(t.ic_time_s - s.ic_time_s))
        if best.foot == s.foot and abs(best.ic_time_s - s.ic_time_s) < 0.1:
            ic.append((s.ic_time_s - best.ic_time_s) * fps)
            to.append((s.to_time_s - best.to_time_s) * fps)
    return np.array(ic), np.array(to)


@pytest.mark.parametrize("fps", [30, 60, 120, 240])
@pytest.mark.parametrize("facing", ["right", "left"])
def test_side_view_events_and_metrics(fps: int, facing: str) -> None:
    spec = RunnerSpec(duration_s=5.0)
    track, truth = synthetic_keypoints(spec, CameraSpec(fps=fps, facing=facing))
    a = analyze_track(track, options=VideoOptions(view="side")).analysis
    assert a.setup["view"] == "side"
    assert a.setup["facing"] == facing
    ic, to = _match(a, truth, fps)
    # every step inside the clip is found (contacts cut by the clip edges are not)
    assert len(ic) >= len(truth.steps) - 3
    frame_ms = 1000 / fps
    # timing: within one frame at 30/60 fps; within 25 ms at 120/240 fps
    tol_frames = max(1.0, 25.0 / frame_ms)
    assert np.median(np.abs(ic)) <= tol_frames
    assert np.median(np.abs(to)) <= tol_frames
    s = a.summary
    assert s["cadence_spm"] == pytest.approx(truth.cadence_spm, abs=1.0)
    # measured bias: IC a little early, TO a little late (+10 to +26 ms in all)
    assert s["contact_time_ms"] == pytest.approx(truth.contact_time_ms, abs=max(frame_ms, 30.0))
    assert s["foot_strike_angle_deg"] == pytest.approx(spec.foot_strike_angle_deg, abs=5.0)
    assert s["overstride_cm"] == pytest.approx(spec.overstride_cm, abs=3.0)
    assert s["vertical_oscillation_cm"] == pytest.approx(spec.vertical_oscillation_cm, abs=1.0)
    assert s["trunk_lean_deg"] == pytest.approx(spec.trunk_lean_deg, abs=2.5)


@pytest.mark.parametrize(
    ("strike_deg", "expected"), [(14.0, "rearfoot"), (3.0, "midfoot"), (-6.0, "forefoot")]
)
def test_foot_strike_classes(strike_deg: float, expected: str) -> None:
    spec = RunnerSpec(duration_s=4.0, foot_strike_angle_deg=strike_deg)
    track, _ = synthetic_keypoints(spec, CameraSpec(fps=120))
    a = analyze_track(track).analysis
    assert a.summary["foot_strike_angle_deg"] == pytest.approx(strike_deg, abs=3.0)
    assert a.summary["foot_strike"] == expected


@pytest.mark.parametrize("overstride_cm", [0.0, 10.0, 20.0])
def test_overstride_follows_the_truth(overstride_cm: float) -> None:
    spec = RunnerSpec(duration_s=4.0, overstride_cm=overstride_cm)
    track, _ = synthetic_keypoints(spec, CameraSpec(fps=60))
    a = analyze_track(track).analysis
    assert a.summary["overstride_cm"] == pytest.approx(overstride_cm, abs=3.0)


def test_cadence_over_a_range() -> None:
    for cadence in (150.0, 180.0, 195.0):
        spec = RunnerSpec(duration_s=4.0, cadence_spm=cadence, contact_time_ms=230.0)
        track, truth = synthetic_keypoints(spec, CameraSpec(fps=60))
        a = analyze_track(track).analysis
        assert a.summary["cadence_spm"] == pytest.approx(truth.cadence_spm, abs=1.0)


@pytest.mark.parametrize("fps", [30, 60, 240])
def test_rear_view_pelvic_drop_step_width_and_cadence(fps: int) -> None:
    spec = RunnerSpec(duration_s=5.0, pelvic_drop_deg=6.0, step_width_cm=10.0)
    track, truth = synthetic_keypoints(spec, CameraSpec(view="rear", fps=fps))
    a = analyze_track(track, options=VideoOptions(height_cm=spec.height_cm)).analysis
    assert a.setup["view"] == "rear"
    assert a.summary["cadence_spm"] == pytest.approx(truth.cadence_spm, abs=1.0)
    assert a.summary["pelvic_drop_deg"] == pytest.approx(6.0, abs=2.0)
    assert a.summary["step_width_cm"] == pytest.approx(10.0, abs=2.5)
    # contact time is not measurable from behind: withheld with the reason
    ct = a.metrics["contact_time_ms"]
    assert ct.quality == "withheld" and "side view" in (ct.reason or "")


def test_no_scale_withholds_centimetres_but_keeps_relative_overstride() -> None:
    spec = RunnerSpec(duration_s=4.0)
    track, _ = synthetic_keypoints(spec, CameraSpec(fps=60))
    track = track.with_(px_per_m=None)
    a = analyze_track(track).analysis
    assert a.summary["overstride_cm"] is None
    assert "height" in (a.metrics["overstride_cm"].reason or "")
    assert a.summary["overstride_pct_leg"] is not None
    a2 = analyze_track(track, options=VideoOptions(height_cm=spec.height_cm)).analysis
    assert a2.scale.source == "height"
    assert a2.summary["overstride_cm"] == pytest.approx(spec.overstride_cm, abs=4.0)


def test_low_frame_rate_marks_timing_fair_with_reason() -> None:
    track, _ = synthetic_keypoints(RunnerSpec(duration_s=5.0), CameraSpec(fps=30))
    a = analyze_track(track).analysis
    ct = a.metrics["contact_time_ms"]
    assert ct.quality == "fair" and "33 ms" in (ct.reason or "")


def test_json_result_has_the_documented_keys() -> None:
    track, _ = synthetic_keypoints(RunnerSpec(duration_s=4.0), CameraSpec(fps=60))
    d = analyze_track(track).analysis.to_dict()
    assert d["schema"] == "stridelab.gait/1"
    for key in (
        "cadence_spm",
        "contact_time_ms",
        "flight_time_ms",
        "duty_factor",
        "foot_strike",
        "overstride_cm",
    ):
        assert key in d["summary"]
    step = d["steps"][0]
    for key in ("foot", "ic_time_s", "to_time_s", "contact_time_ms"):
        assert key in step
    assert step["foot"] in {"left", "right"}
    assert d["quality"]["n_steps_used"] > 0
