"""Accuracy of the video gait stage against known truth (the figures in docs/video.md).

Three kinds of truth, in one run:

1. the synthetic runner's exact keypoints (events and metrics alone, no pose model);
2. the synthetic runner rendered to video and seen by BlazePose (the whole pipeline);
3. the hand-labelled slow-motion treadmill clip in ``../shared/data/video``.

Usage: ``python benchmarks/validate_video.py [--quick] [--out results.json]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import tempfile
import time
from pathlib import Path

import numpy as np

from stridelab.gait.pipeline import VideoOptions, analyze_track, analyze_video
from stridelab.synthetic.render import write_runner_video
from stridelab.synthetic.runner import CameraSpec, RunnerSpec, synthetic_keypoints

ROOT = Path(__file__).resolve().parents[1]
VIDEO = ROOT.parent / "shared" / "data" / "video"


def _events(analysis, truth, fps: float) -> tuple[list[float], list[float], int]:
    ic, to = [], []
    for st in analysis.steps:
        b = min(truth.steps, key=lambda x: abs(x.ic_time_s - st.ic_time_s))
        if b.foot == st.foot and abs(b.ic_time_s - st.ic_time_s) < 0.1:
            ic.append(1000 * (st.ic_time_s - b.ic_time_s))
            to.append(1000 * (st.to_time_s - b.to_time_s))
    return ic, to, len(truth.steps)


def _row(kind: str, view: str, fps: float, analysis, truth, spec) -> dict:
    ic, to, n_truth = _events(analysis, truth, fps)
    s = analysis.summary

    def err(key: str, true: float) -> float | None:
        v = s.get(key)
        return None if v is None else round(float(v) - true, 2)

    row = {
        "kind": kind,
        "view": view,
        "fps": fps,
        "steps_found": f"{len(ic)}/{n_truth}",
        "ic_abs_ms": round(float(np.median(np.abs(ic))), 1) if ic else None,
        "to_abs_ms": round(float(np.median(np.abs(to))), 1) if to else None,
        "cadence_err_spm": err("cadence_spm", truth.cadence_spm),
    }
    if view == "side":
        row |= {
            "contact_err_ms": err("contact_time_ms", truth.contact_time_ms),
            "fsa_err_deg": err("foot_strike_angle_deg", spec.foot_strike_angle_deg),
            "overstride_err_cm": err("overstride_cm", spec.overstride_cm),
            "trunk_lean_err_deg": err("trunk_lean_deg", spec.trunk_lean_deg),
            "vo_err_cm": err("vertical_oscillation_cm", spec.vertical_oscillation_cm),
        }
        for key in (
            "shank_angle_deg",
            "knee_flexion_ic_deg",
            "peak_knee_flexion_deg",
            "hip_extension_to_deg",
        ):
            true = float(np.median([getattr(t, key) for t in truth.steps]))
            row[key.replace("_deg", "_err_deg")] = err(key, true)
    else:
        row |= {
            "pelvic_drop_err_deg": err("pelvic_drop_deg", spec.pelvic_drop_deg),
            "step_width_err_cm": err("step_width_cm", spec.step_width_cm),
        }
    return row


def exact_rows(rates: list[float]) -> list[dict]:
    rows = []
    for view in ("side", "rear"):
        spec = RunnerSpec(duration_s=5.0, pelvic_drop_deg=6.0, step_width_cm=10.0)
        for fps in rates:
            track, truth = synthetic_keypoints(spec, CameraSpec(fps=fps, view=view))
            a = analyze_track(track, options=VideoOptions(view=view)).analysis
            rows.append(_row("exact keypoints", view, fps, a, truth, spec))
    return rows


def rendered_rows(rates: list[float], seconds: float, tmp: Path) -> list[dict]:
    rows = []
    for view, fps_list in (("side", rates), ("rear", [60.0])):
        spec = RunnerSpec(duration_s=seconds, pelvic_drop_deg=6.0, step_width_cm=10.0)
        for fps in fps_list:
            stored = 30.0 if fps > 60 else None  # phones store slow motion at 30 fps
            cam = CameraSpec(fps=fps, view=view, width_px=960, height_px=540, stored_fps=stored)
            path = tmp / f"{view}-{fps:g}.mp4"
            truth = write_runner_video(spec, cam, path)
            opts = VideoOptions(
                view=view, height_cm=spec.height_cm, capture_fps=fps if stored else None
            )
            result, _raw, _info = analyze_video(path, options=opts)
            rows.append(_row("rendered + BlazePose", view, fps, result.analysis, truth, spec))
    return rows


def labelled_row() -> dict | None:
    clip = VIDEO / "treadmill-side-slowmo.mp4"
    if not clip.exists():
        return None
    with (VIDEO / "labels" / "treadmill-side-slowmo.csv").open() as fh:
        labels = list(csv.DictReader(fh))
    result, _raw, _info = analyze_video(clip, options=VideoOptions(capture_fps=240))
    a = result.analysis
    ic_err, to_err, ct_err, feet = [], [], [], []
    for lab in labels:
        li, lt = int(lab["ic"]), int(lab["to"])
        near = [s for s in a.steps if abs(s.ic_frame - li) < 40]
        if near:
            s = near[0]
            ic_err.append(s.ic_frame - li)
            to_err.append(s.to_frame - lt)
            ct_err.append(s.contact_time_ms - 1000 * (lt - li + 1) / 240)
            feet.append(s.foot == lab["side"])
    ics = sorted(int(lab["ic"]) for lab in labels)
    label_cadence = 60 * 240 * (len(ics) - 1) / (ics[-1] - ics[0])  # over the whole span
    label_ct = float(np.median([1000 * (int(r["to"]) - int(r["ic"]) + 1) / 240 for r in labels]))
    s = a.summary
    return {
        "kind": "hand labels (slow motion, 240 fps)",
        "steps_found": f"{len(ic_err)}/{len(labels)}",
        "ic_abs_frames": float(np.median(np.abs(ic_err))) if ic_err else None,
        "to_abs_frames": float(np.median(np.abs(to_err))) if to_err else None,
        "contact_median_ms": s.get("contact_time_ms"),
        "contact_label_median_ms": round(label_ct, 1),
        "cadence_spm": s.get("cadence_spm"),
        "cadence_label_spm": round(label_cadence, 1),
        "foot_label_agreement": float(np.mean(feet)) if feet else None,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="60 fps only, 3 s clips")
    ap.add_argument("--out", type=Path, help="write the rows as JSON")
    args = ap.parse_args()
    rates = [60.0] if args.quick else [30.0, 60.0, 120.0, 240.0]
    t0 = time.perf_counter()
    rows = exact_rows(rates)
    with tempfile.TemporaryDirectory() as tmp:
        rows += rendered_rows(rates, 3.0 if args.quick else 4.0, Path(tmp))
    lab = labelled_row()
    for r in rows:
        print(json.dumps(r))
    if lab:
        print(json.dumps(lab))
    print(f"# {time.perf_counter() - t0:.0f} s")
    if args.out:
        args.out.write_text(json.dumps({"synthetic": rows, "labelled": lab}, indent=2))


if __name__ == "__main__":
    main()
