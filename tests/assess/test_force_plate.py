"""Force-plate jump analysis against exactly simulated recordings.

Every recording comes from :func:`simulate_force_plate_jump` (a point mass driven by a
force built from smooth pieces, 2 N Gaussian noise per plate), is written to CSV and read
back, so loader and analysis are tested together. Tolerances (from the brief): height
±0.5 cm (impulse) and ±1 cm (flight), take-off/landing ±2 ms, peak force ±1 %, RFD ±10 %,
contact time ±3 ms, RSI and mRSI ±3 %.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from stridelab.assess.force_plate import (
    ForcePlateJumpDetector,
    ForcePlateTrace,
    analyze_force_plate,
    load_force_plate_csv,
)
from stridelab.assess.result import G_M_S2
from stridelab.errors import CorruptFileError, InputError, UnsupportedFormatError
from stridelab.synthetic.jumps import (
    SyntheticForcePlate,
    simulate_force_plate_jump,
    write_force_plate_csv,
)

TESTS = ("cmj", "squat", "drop", "pogo", "rj10-5")


def _roundtrip(sim: SyntheticForcePlate, tmp_path: Path, **kwargs: object) -> ForcePlateTrace:
    path = write_force_plate_csv(sim, tmp_path / "plate.csv", **kwargs)  # type: ignore[arg-type]
    return load_force_plate_csv(path)


def _rel(a: float | None, b: float | None) -> float:
    assert a is not None and b is not None
    return abs(a - b) / abs(b)


@pytest.mark.parametrize("sampling_rate_hz", [1000, 500])
@pytest.mark.parametrize("test", TESTS)
def test_recovers_synthetic_truth(tmp_path: Path, test: str, sampling_rate_hz: int) -> None:
    sim = simulate_force_plate_jump(test=test, sampling_rate_hz=sampling_rate_hz, seed=3)  # type: ignore[arg-type]
    trace = _roundtrip(sim, tmp_path)
    assert trace.sampling_rate_hz == pytest.approx(sampling_rate_hz, rel=1e-6)
    result = analyze_force_plate(
        trace,
        test=test,  # type: ignore[arg-type]
        drop_height_cm=30.0 if test == "drop" else None,
    )
    assert result.input_kind == "force_plate"
    assert result.summary["body_weight_n"] == pytest.approx(sim.body_weight_n, abs=1.0)
    assert len(result.jumps) == len(sim.jumps)
    for got, want in zip(result.jumps, sim.jumps, strict=True):
        assert got.takeoff_time_s == pytest.approx(want.takeoff_time_s, abs=0.002)
        assert got.landing_time_s == pytest.approx(want.landing_time_s, abs=0.002)
        assert got.height_flight_cm == pytest.approx(want.height_flight_cm, abs=1.0)
        if test in ("cmj", "squat") or (test == "drop"):
            assert got.height_impulse_cm == pytest.approx(want.height_impulse_cm, abs=0.5)
        if want.contact_time_ms is not None:
            assert got.contact_time_ms == pytest.approx(want.contact_time_ms, abs=3.0)
            assert _rel(got.rsi, want.rsi) < 0.03
            assert got.valid
        if want.mrsi is not None and got.index == want.index and test in ("cmj", "squat"):
            assert _rel(got.mrsi, want.mrsi) < 0.03
        if got.peak_force_n is not None:
            assert _rel(got.peak_force_n, want.peak_force_n) < 0.01
        for name in ("rfd_0_50_n_per_s", "rfd_0_100_n_per_s", "rfd_0_200_n_per_s"):
            w, g = getattr(want, name), getattr(got, name)
            if g is None and w is None:
                continue
            if test in ("pogo", "rj10-5") and want.contact_time_ms is None:
                continue  # the unscored jump from standing is not measured
            assert _rel(g, w) < 0.10, name
    json.dumps(result.to_dict())  # serialisable


def test_summary_keys_and_methods(tmp_path: Path) -> None:
    cmj = analyze_force_plate(
        _roundtrip(simulate_force_plate_jump(test="cmj"), tmp_path), test="cmj"
    )
    s = cmj.summary
    assert s["method"] == "impulse-momentum"
    assert s["best_height_cm"] == pytest.approx(100 * 2.5**2 / (2 * G_M_S2), abs=0.5)
    assert 0 < s["height_uncertainty_cm"] < 0.5
    assert s["mass_kg"] == pytest.approx(70.0, abs=0.2)
    assert s["best_rsi"] is None and s["best_mrsi"] > 0
    assert any("Owen" in src for src in cmj.sources)
    hops = analyze_force_plate(
        _roundtrip(simulate_force_plate_jump(test="rj10-5"), tmp_path), test="rj10-5"
    )
    assert hops.summary["method"] == "flight time"
    assert hops.summary["n_valid"] == 10
    assert not hops.jumps[0].valid  # the jump from standing that starts the series
    assert hops.summary["rsi_10_5"] == pytest.approx(hops.jumps[1].rsi, rel=0.03)


def test_hop_rules_best_five_and_slow_contacts(tmp_path: Path) -> None:
    velocities = [2.0, 2.2, 2.4, 2.6, 2.8, 2.1, 2.3, 2.5, 2.7, 2.9]
    contacts = [180.0] * 9 + [300.0]
    sim = simulate_force_plate_jump(
        test="rj10-5", takeoff_velocity_m_s=velocities, contact_time_ms=contacts
    )
    result = analyze_force_plate(_roundtrip(sim, tmp_path), test="rj10-5")
    hops = result.jumps[1:]
    assert [h.valid for h in hops] == [True] * 9 + [False]
    assert "250 ms" in (hops[-1].note or "")
    rsi_truth = sorted((j.rsi or 0.0 for j in sim.jumps[1:10]), reverse=True)
    assert result.summary["rsi_10_5"] == pytest.approx(np.mean(rsi_truth[:5]), rel=0.03)
    assert result.summary["best_rsi"] == pytest.approx(rsi_truth[0], rel=0.03)
    assert result.summary["mean_rsi"] == pytest.approx(np.mean(rsi_truth), rel=0.03)


def test_two_plates_asymmetry(tmp_path: Path) -> None:
    sim = simulate_force_plate_jump(test="cmj", plates=2, left_share=0.6)
    trace = _roundtrip(sim, tmp_path)
    assert trace.force_left_n is not None and trace.force_right_n is not None
    jump = analyze_force_plate(trace, test="cmj").jumps[0]
    assert jump.asymmetry_pct == pytest.approx(sim.jumps[0].asymmetry_pct, abs=0.5)
    assert jump.asymmetry_pct == pytest.approx(100 / 3, abs=0.5)


def test_two_plates_without_total_column(tmp_path: Path) -> None:
    sim = simulate_force_plate_jump(test="squat", plates=2, left_share=0.45)
    trace = _roundtrip(sim, tmp_path, columns=["t", "Plate1", "Plate2"])
    np.testing.assert_allclose(trace.force_n, sim.force_n, atol=0.01)  # 6 digits
    jump = analyze_force_plate(trace, test="squat").jumps[0]
    assert jump.asymmetry_pct == pytest.approx(100 * (0.45 - 0.55) / 0.55, abs=0.5)


@pytest.mark.parametrize(
    ("columns", "expect_note"),
    [(["time", "force"], "kN"), (["Time (s)", "Fz (kN)"], "from kN")],
)
def test_kilonewtons_detected(tmp_path: Path, columns: list[str], expect_note: str) -> None:
    sim = simulate_force_plate_jump(test="cmj")
    trace = _roundtrip(sim, tmp_path, units="kN", columns=columns)
    assert any(expect_note in n for n in trace.notes)
    result = analyze_force_plate(trace, test="cmj")
    assert result.summary["body_weight_n"] == pytest.approx(sim.body_weight_n, abs=1.0)
    assert result.jumps[0].height_impulse_cm == pytest.approx(
        sim.jumps[0].height_impulse_cm, abs=0.5
    )


def test_millisecond_time_column(tmp_path: Path) -> None:
    sim = simulate_force_plate_jump(test="squat")
    trace = _roundtrip(sim, tmp_path, time_unit="ms", columns=["ms", "Fz_N"])
    assert trace.sampling_rate_hz == pytest.approx(1000.0, rel=1e-6)
    assert trace.time_s[-1] == pytest.approx(sim.time_s[-1])


def test_negative_force_axis_flipped(tmp_path: Path) -> None:
    sim = simulate_force_plate_jump(test="squat")
    text = "time_s,Fz_N\n" + "\n".join(
        f"{t:.6f},{-f:.3f}" for t, f in zip(sim.time_s, sim.force_n, strict=True)
    )
    trace = load_force_plate_csv(_write(tmp_path / "neg.csv", text))
    assert any("sign flipped" in n for n in trace.notes)
    assert analyze_force_plate(trace, test="squat").summary["body_weight_n"] > 600


def test_mass_instead_of_quiet_standing(tmp_path: Path) -> None:
    sim = simulate_force_plate_jump(test="cmj", quiet_s=0.3)
    result = analyze_force_plate(_roundtrip(sim, tmp_path), test="cmj", mass_kg=70.0)
    assert any("no quiet standing" in w for w in result.warnings)
    assert result.summary["body_weight_sd_n"] is None


def test_detector_keeps_parameters() -> None:
    detector = ForcePlateJumpDetector(max_contact_ms=220.0, flight_threshold_n=15.0)
    assert detector.max_contact_ms == 220.0
    assert detector.flight_threshold_n == 15.0
    assert not hasattr(detector, "result_")


# ------------------------------------------------------------------------- bad input


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _csv(time_s: np.ndarray, force_n: np.ndarray, header: str = "time_s,Fz_N") -> str:
    rows = "\n".join(f"{t:.6f},{f:.3f}" for t, f in zip(time_s, force_n, strict=True))
    return f"{header}\n{rows}\n"


def _standing_only(_: Path) -> str:
    """Standing, then a slow 1 Hz sway of ±150 N: never below the flight threshold."""
    rng = np.random.default_rng(1)
    t = np.arange(4000) / 1000.0
    f = 686.0 + 150.0 * np.sin(2 * np.pi * 1.0 * np.clip(t - 1.5, 0, None)) * (t > 1.5)
    return _csv(t, f + rng.normal(0, 2, t.size))


def _sim_text(tmp_path: Path, **kwargs: object) -> str:
    sim = simulate_force_plate_jump(test="cmj", **kwargs)  # type: ignore[arg-type]
    return write_force_plate_csv(sim, tmp_path / "sim.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("make_text", "error", "words"),
    [
        (lambda p: "", InputError, ["empty"]),
        (lambda p: "   \n\n", InputError, ["empty"]),
        (
            lambda p: "this is not a force plate file\njust some words\nand more\n",
            UnsupportedFormatError,
            ["no numeric data"],
        ),
        (
            lambda p: "time,foo,bar\n" + "\n".join(f"{i / 1000},{i},{i}" for i in range(2000)),
            UnsupportedFormatError,
            ["no vertical force column", "time, foo, bar"],
        ),
        (
            lambda p: _csv(np.arange(400) / 100.0, np.full(400, 686.0)),
            InputError,
            ["≥ 500 Hz", "100 Hz"],
        ),
        (
            lambda p: _csv(np.arange(300) / 1000.0, np.full(300, 686.0)),
            InputError,
            ["too few samples"],
        ),
        (
            lambda p: _csv(np.r_[np.arange(1000), np.arange(1000)] / 1000.0, np.full(2000, 686.0)),
            CorruptFileError,
            ["not increasing"],
        ),
        (
            lambda p: (
                "time_s,Fz_N\n" + "\n".join(f"{i / 1000},686" for i in range(10)) + "\n0.01,abc\n"
            ),
            CorruptFileError,
            ["'abc' is not a number"],
        ),
    ],
    ids=["empty", "blank", "text", "wrong-columns", "100Hz", "short", "time-back", "cell"],
)
def test_bad_files(
    tmp_path: Path, make_text: Callable[[Path], str], error: type[Exception], words: list[str]
) -> None:
    path = _write(tmp_path / "bad.csv", make_text(tmp_path))
    with pytest.raises(error) as info:
        load_force_plate_csv(path)
    for word in words:
        assert word in str(info.value)


@pytest.mark.parametrize(
    ("make_text", "words"),
    [
        (_standing_only, ["no flight phase found"]),
        (lambda p: _sim_text(p, quiet_s=0.3), ["no quiet standing", "stand still for 1 s"]),
    ],
    ids=["never-leaves-ground", "no-quiet-standing"],
)
def test_bad_recordings(tmp_path: Path, make_text: Callable[[Path], str], words: list[str]) -> None:
    trace = load_force_plate_csv(_write(tmp_path / "rec.csv", make_text(tmp_path)))
    with pytest.raises(InputError) as info:
        analyze_force_plate(trace, test="cmj")
    for word in words:
        assert word in str(info.value)


def test_missing_file_and_unknown_test(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_force_plate_csv(tmp_path / "nope.csv")
    trace = _roundtrip(simulate_force_plate_jump(test="cmj"), tmp_path)
    with pytest.raises(InputError, match="unknown test"):
        analyze_force_plate(trace, test="broad")  # type: ignore[arg-type]
