"""Accuracy of the jump and hop tests against synthetic truth (figures in docs/jumps.md).

Worst-case errors over seeds, test types and sampling rates, for the force-plate
analysis (exact jump physics) and the accelerometer analysis (gravity, tilt, noise);
with ``--video``, median and max errors of the video analysis on rendered jumpers
(``synthetic/jump_video.py``) through the real pose model (BlazePose full) at 30, 60
and 240 fps (the 240 fps clips are slow-motion files stored at 30 fps, analysed with
``capture_fps=240``), and on exact synthetic keypoints.

``--held-out`` checks the BlazePose toe-contact offset, which was chosen on the
default clips, on rendered clips with other frame rates, bodies, cameras and seeds.

Usage: ``python benchmarks/validate_jumps.py [--seeds N] [--video] [--video-only]
[--held-out]``.
"""

from __future__ import annotations

import argparse
import math
import statistics
import tempfile
from pathlib import Path
from typing import Any

from stridelab.assess.accelerometer import analyze_accelerometer, load_accelerometer_csv
from stridelab.assess.force_plate import analyze_force_plate, load_force_plate_csv
from stridelab.errors import StridelabError
from stridelab.synthetic.accel_jumps import simulate_accel_jumps, write_plain_csv
from stridelab.synthetic.jumps import simulate_force_plate_jump, write_force_plate_csv

TESTS = ("cmj", "squat", "drop", "pogo", "rj10-5")


def _rel(got: float | None, want: float | None) -> float | None:
    if got is None or want is None or want == 0:
        return None
    return abs(got - want) / abs(want)


def _worst(acc: dict[str, float], key: str, value: float | None) -> None:
    if value is not None and math.isfinite(value):
        acc[key] = max(acc.get(key, 0.0), value)


def force_plate(seeds: int, tmp: Path) -> dict[int, dict[str, float]]:
    out: dict[int, dict[str, float]] = {}
    for rate in (1000, 500):
        w: dict[str, float] = {}
        for test in TESTS:
            for seed in range(seeds):
                sim = simulate_force_plate_jump(test=test, sampling_rate_hz=rate, seed=seed)  # type: ignore[arg-type]
                path = tmp / f"fp-{rate}-{test}-{seed}.csv"
                write_force_plate_csv(sim, path)
                res = analyze_force_plate(
                    load_force_plate_csv(path),
                    test=test,  # type: ignore[arg-type]
                    drop_height_cm=30.0 if test == "drop" else None,
                )
                for got, want in zip(res.jumps, sim.jumps, strict=True):
                    _worst(w, "takeoff_ms", 1000 * abs(got.takeoff_time_s - want.takeoff_time_s))
                    _worst(w, "landing_ms", 1000 * abs(got.landing_time_s - want.landing_time_s))
                    _worst(w, "height_flight_cm", abs(got.height_flight_cm - want.height_flight_cm))
                    if got.height_impulse_cm is not None and test in ("cmj", "squat", "drop"):
                        _worst(
                            w,
                            "height_impulse_cm",
                            abs(got.height_impulse_cm - want.height_impulse_cm),
                        )
                    _worst(
                        w, "peak_force_pct", 100 * (_rel(got.peak_force_n, want.peak_force_n) or 0)
                    )
                    if want.contact_time_ms is not None and got.contact_time_ms is not None:
                        _worst(w, "contact_ms", abs(got.contact_time_ms - want.contact_time_ms))
                        _worst(w, "rsi_pct", 100 * (_rel(got.rsi, want.rsi) or 0))
                    for name in ("rfd_0_50_n_per_s", "rfd_0_100_n_per_s", "rfd_0_200_n_per_s"):
                        r = _rel(getattr(got, name), getattr(want, name))
                        if r is not None and not (
                            test in ("pogo", "rj10-5") and want.contact_time_ms is None
                        ):
                            _worst(w, "rfd_pct", 100 * r)
        out[rate] = w
    return out


def accelerometer(seeds: int, tmp: Path) -> dict[int, dict[str, float]]:
    out: dict[int, dict[str, float]] = {}
    for rate in (100, 200, 500):
        w: dict[str, float] = {}
        for test in ("cmj", "drop", "pogo", "rj10-5"):
            for seed in range(seeds):
                sim = simulate_accel_jumps(test=test, sampling_rate_hz=rate, seed=seed)  # type: ignore[arg-type]
                path = tmp / f"acc-{rate}-{test}-{seed}.csv"
                write_plain_csv(sim, path)
                res = analyze_accelerometer(load_accelerometer_csv(path), test=test)  # type: ignore[arg-type]
                for got, want in zip(res.jumps, sim.jumps, strict=False):
                    _worst(w, "flight_ms", abs(got.flight_time_ms - want.flight_time_ms))
                    _worst(w, "height_cm", abs(got.height_flight_cm - want.height_cm))
                    if want.contact_time_ms is not None and got.contact_time_ms is not None:
                        _worst(w, "contact_ms", abs(got.contact_time_ms - want.contact_time_ms))
                        _worst(w, "rsi_pct", 100 * (_rel(got.rsi, want.rsi) or 0))
        out[rate] = w
    return out


def _video_errors(res: Any, truth: Any, errs: dict[str, list[float]]) -> None:
    if len(res.jumps) != len(truth.jumps):
        errs.setdefault("count_mismatch", []).append(1.0)
        return
    for got, want in zip(res.jumps, truth.jumps, strict=True):
        errs.setdefault("flight_ms", []).append(abs(got.flight_time_ms - want.flight_time_ms))
        errs.setdefault("flight_signed_ms", []).append(got.flight_time_ms - want.flight_time_ms)
        errs.setdefault("takeoff_ms", []).append(
            1000 * abs(got.takeoff_time_s - want.takeoff_time_s)
        )
        errs.setdefault("landing_ms", []).append(
            1000 * abs(got.landing_time_s - want.landing_time_s)
        )
        errs.setdefault("height_cm", []).append(abs(got.height_flight_cm - want.height_cm))
        if want.contact_time_ms is not None and got.contact_time_ms is not None:
            errs.setdefault("contact_ms", []).append(
                abs(got.contact_time_ms - want.contact_time_ms)
            )
            errs.setdefault("rsi_pct", []).append(100 * (_rel(got.rsi, want.rsi) or 0))


def video(
    tmp: Path, rates: tuple[int, ...], *, rendered: bool
) -> dict[int, dict[str, list[float]]]:
    """Errors per frame rate over the five tests: rendered clips through BlazePose
    (``rendered``) or exact keypoints with 1 px noise."""
    from stridelab.assess.video_jumps import analyze_jump_track, analyze_jump_video
    from stridelab.synthetic.jump_video import (
        JumpVideoSpec,
        default_jump_camera,
        synthetic_jump_keypoints,
        write_jump_video,
    )

    out: dict[int, dict[str, list[float]]] = {}
    for fps in rates:
        errs: dict[str, list[float]] = {}
        for test in TESTS:
            spec = JumpVideoSpec(test=test)  # type: ignore[arg-type]
            if rendered:
                cam = default_jump_camera(fps, stored_fps=30.0 if fps > 60 else None)
                path = tmp / f"{test}-{fps}.mp4"
                truth = write_jump_video(spec, cam, path)
                res = analyze_jump_video(
                    path,
                    test=test,
                    capture_fps=float(fps) if fps > 60 else None,  # type: ignore[arg-type]
                )
            else:
                track, truth = synthetic_jump_keypoints(
                    spec, default_jump_camera(fps), noise_px=1.0
                )
                res = analyze_jump_track(track, test=test)  # type: ignore[arg-type]
            _video_errors(res, truth, errs)
            print(f"  video {fps} fps {test}: {len(res.jumps)} jumps", flush=True)
        out[fps] = errs
    return out


#: Rendered clips with parameters the BlazePose toe-contact offset was *not* chosen on
#: (it was chosen on the default figure, 175 cm, 4 m, facing right, seed 0, at 30, 60
#: and 240 fps): other frame rates, body heights, distances, camera heights, facing,
#: image noise, seeds and flight/contact times. (name, spec, camera changes, fps,
#: capture_fps for a slow-motion file, seed).
HELD_OUT: tuple[tuple[str, dict[str, Any], dict[str, Any], int, float | None, int], ...] = (
    (
        "cmj 120 fps, 160 cm, 3.5 m, camera 1.0 m",
        {"test": "cmj", "flight_times_ms": (470.0,), "height_cm": 160.0},
        {"distance_m": 3.5, "camera_height_m": 1.0},
        120,
        None,
        3,
    ),
    (
        "pogo 120 fps, 190 cm, 5 m",
        {
            "test": "pogo",
            "flight_times_ms": (330.0, 350.0, 340.0, 360.0),
            "contact_times_ms": (150.0, 140.0, 160.0),
            "height_cm": 190.0,
        },
        {"distance_m": 5.0},
        120,
        None,
        4,
    ),
    (
        "rj10-5 50 fps, 168 cm, facing left, camera 0.8 m",
        {"test": "rj10-5", "height_cm": 168.0},
        {"facing": "left", "camera_height_m": 0.8},
        50,
        None,
        5,
    ),
    (
        "drop 90 fps, 182 cm, 4.5 m, 40 cm box",
        {
            "test": "drop",
            "flight_times_ms": (450.0,),
            "contact_times_ms": (260.0,),
            "height_cm": 182.0,
            "box_height_cm": 40.0,
        },
        {"distance_m": 4.5},
        90,
        None,
        6,
    ),
    (
        "squat 240 fps slow motion, 200 cm, 4.2 m",
        {"test": "squat", "flight_times_ms": (600.0,), "height_cm": 200.0},
        {"distance_m": 4.2, "stored_fps": 30.0},
        240,
        240.0,
        7,
    ),
    (
        "pogo 50 fps, 158 cm, 3.6 m",
        {
            "test": "pogo",
            "flight_times_ms": (300.0, 320.0, 310.0, 330.0, 315.0),
            "contact_times_ms": (190.0, 170.0, 210.0, 180.0),
            "height_cm": 158.0,
        },
        {"distance_m": 3.6},
        50,
        None,
        9,
    ),
    (
        "rj10-5 90 fps, 185 cm, 4.8 m",
        {
            "test": "rj10-5",
            "flight_times_ms": (
                400.0,
                420.0,
                410.0,
                430.0,
                440.0,
                415.0,
                425.0,
                435.0,
                405.0,
                420.0,
            ),
            "contact_times_ms": (170.0, 180.0, 240.0, 160.0, 175.0, 270.0, 185.0, 165.0, 195.0),
            "height_cm": 185.0,
        },
        {"distance_m": 4.8},
        90,
        None,
        10,
    ),
    (
        "cmj 60 fps, 172 cm, 3.6 m, facing left, camera 0.9 m, image noise",
        {"test": "cmj", "flight_times_ms": (510.0,), "height_cm": 172.0},
        {"distance_m": 3.6, "facing": "left", "camera_height_m": 0.9, "image_noise": 4.0},
        60,
        None,
        11,
    ),
    (
        "cmj 30 fps, 155 cm, image noise",
        {"test": "cmj", "flight_times_ms": (420.0,), "height_cm": 155.0},
        {"image_noise": 6.0},
        30,
        None,
        8,
    ),
)


def video_held_out(tmp: Path) -> dict[str, dict[str, list[float]]]:
    """Errors through BlazePose on the :data:`HELD_OUT` clips, one row per clip (a lead
    of 0.513 s keeps the events off the frame grid, so the edges are timed sub-frame)."""
    from stridelab.assess.video_jumps import analyze_jump_video
    from stridelab.synthetic.jump_video import JumpVideoSpec, default_jump_camera, write_jump_video

    out: dict[str, dict[str, list[float]]] = {}
    for i, (name, spec_kw, cam_kw, fps, capture_fps, seed) in enumerate(HELD_OUT):
        spec = JumpVideoSpec(lead_s=0.513, tail_s=0.5, **spec_kw)
        path = tmp / f"held-out-{i}.mp4"
        truth = write_jump_video(spec, default_jump_camera(fps, **cam_kw), path, seed=seed)
        try:
            res = analyze_jump_video(path, test=spec.test, capture_fps=capture_fps)
        except StridelabError as exc:  # a refusal is a result too
            print(f"  held out {name}: refused: {exc}", flush=True)
            out[name] = {"refused": [1.0]}
            continue
        errs: dict[str, list[float]] = {}
        _video_errors(res, truth, errs)
        out[name] = errs
        print(f"  held out {name}: {len(res.jumps)} jumps; warnings {res.warnings}", flush=True)
    return out


def _print_video(name: str, table: dict[Any, dict[str, list[float]]]) -> None:
    for key, errs in table.items():
        cells = ", ".join(
            f"{k} {statistics.median(v):.2f}/{max(v, key=abs):.2f}" for k, v in sorted(errs.items())
        )
        where = f"{key} fps" if isinstance(key, int) else key
        print(f"{name} {where}, median/max over its jumps: {cells}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=8)
    ap.add_argument("--video", action="store_true", help="also the video analysis (slow)")
    ap.add_argument("--video-only", action="store_true", help="only the video analysis")
    ap.add_argument(
        "--held-out",
        action="store_true",
        help="only the BlazePose check on rendered clips the toe offset was not chosen on",
    )
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.held_out:
            _print_video("video BlazePose held out", video_held_out(Path(tmp)))
            return
        if args.video or args.video_only:
            _print_video(
                "video keypoints (1 px noise)", video(Path(tmp), (30, 60, 240), rendered=False)
            )
            _print_video("video BlazePose", video(Path(tmp), (30, 60, 240), rendered=True))
        if args.video_only:
            return
        for name, table in (
            ("force plate", force_plate(args.seeds, Path(tmp))),
            ("accelerometer", accelerometer(args.seeds, Path(tmp))),
        ):
            for rate, worst in table.items():
                cells = ", ".join(f"{k} {v:.2f}" for k, v in sorted(worst.items()))
                print(f"{name} {rate} Hz, worst of {args.seeds} seeds: {cells}")


if __name__ == "__main__":
    main()
