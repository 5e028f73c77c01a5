"""Accuracy of the jump and hop tests against synthetic truth (figures in docs/jumps.md).

Worst-case errors over seeds, test types and sampling rates, for the force-plate
analysis (exact jump physics) and the accelerometer analysis (gravity, tilt, noise).

Usage: ``python benchmarks/validate_jumps.py [--seeds N]``.
"""

from __future__ import annotations

import argparse
import math
import tempfile
from pathlib import Path

from stridelab.assess.accelerometer import analyze_accelerometer, load_accelerometer_csv
from stridelab.assess.force_plate import analyze_force_plate, load_force_plate_csv
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=8)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for name, table in (
            ("force plate", force_plate(args.seeds, Path(tmp))),
            ("accelerometer", accelerometer(args.seeds, Path(tmp))),
        ):
            for rate, worst in table.items():
                cells = ", ".join(f"{k} {v:.2f}" for k, v in sorted(worst.items()))
                print(f"{name} {rate} Hz, worst of {args.seeds} seeds: {cells}")


if __name__ == "__main__":
    main()
