"""Jump and hop tests from a phone accelerometer, against synthetic traces with exact truth.

The synthetic phone (``stridelab.synthetic.accel_jumps``) is worn at the waist and reads
1 g standing, exactly 0 g in flight (free fall) plus 0.05 g of noise per axis, with
straight-line push-off and impact edges, so take-off and landing times are exact.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest

from stridelab.assess.accelerometer import (
    AccelTrace,
    accel_trace,
    analyze_accelerometer,
    load_accelerometer_csv,
)
from stridelab.assess.result import G_M_S2, JumpTestResult
from stridelab.errors import CorruptFileError, InputError, UnsupportedFormatError
from stridelab.synthetic.accel_jumps import (
    SyntheticAccel,
    simulate_accel_jumps,
    write_phyphox_csv,
    write_plain_csv,
)

RATES_HZ = (100, 200, 500)


def _trace(sim: SyntheticAccel) -> AccelTrace:
    return accel_trace(sim.time_s, sim.ax_m_s2, sim.ay_m_s2, sim.az_m_s2)


def _check_against_truth(result: JumpTestResult, sim: SyntheticAccel) -> None:
    """Flight within 1 sample, height within the stated uncertainty, contact within
    2 samples, RSI within 2 samples' worth of contact time (≈ 6 % at 100 Hz)."""
    dt_ms = 1000.0 / sim.sampling_rate_hz
    assert len(result.jumps) == len(sim.jumps)
    uncertainty = result.summary["height_uncertainty_cm"]
    for jump, truth in zip(result.jumps, sim.jumps, strict=True):
        assert jump.takeoff_time_s == pytest.approx(truth.takeoff_time_s, abs=dt_ms / 1000)
        assert jump.landing_time_s == pytest.approx(truth.landing_time_s, abs=dt_ms / 1000)
        assert jump.flight_time_ms == pytest.approx(truth.flight_time_ms, abs=dt_ms)
        assert jump.height_flight_cm == pytest.approx(truth.height_cm, abs=uncertainty)
        if truth.contact_time_ms is None:
            assert jump.contact_time_ms is None
            continue
        assert jump.contact_time_ms == pytest.approx(truth.contact_time_ms, abs=2 * dt_ms)
        assert jump.rsi == pytest.approx(truth.rsi, rel=2 * dt_ms / truth.contact_time_ms + 0.02)


@pytest.mark.parametrize("rate_hz", RATES_HZ)
@pytest.mark.parametrize("test", ["cmj", "squat"])
def test_jumps_recover_truth(test: str, rate_hz: int) -> None:
    sim = simulate_accel_jumps(test=test, sampling_rate_hz=rate_hz)  # type: ignore[arg-type]
    result = analyze_accelerometer(_trace(sim), test=test)  # type: ignore[arg-type]
    _check_against_truth(result, sim)
    heights = [j.height_cm for j in sim.jumps]
    uncertainty = result.summary["height_uncertainty_cm"]
    assert result.summary["best_height_cm"] == pytest.approx(max(heights), abs=uncertainty)
    assert result.summary["mean_height_cm"] == pytest.approx(np.mean(heights), abs=uncertainty)
    assert result.summary["best_rsi"] is None and result.summary["mean_rsi"] is None
    assert result.input_kind == "accelerometer"
    assert result.summary["method"] == "flight time (free fall)"
    assert result.summary["sampling_rate_hz"] == pytest.approx(rate_hz, rel=1e-6)
    assert result.warnings == ()


@pytest.mark.parametrize("rate_hz", RATES_HZ)
def test_height_uncertainty_is_one_sample(rate_hz: int) -> None:
    sim = simulate_accel_jumps(test="cmj", sampling_rate_hz=rate_hz)
    result = analyze_accelerometer(_trace(sim), test="cmj")
    longest_s = max(j.flight_time_ms for j in result.jumps) / 1000
    expected = 100 * G_M_S2 * longest_s * (1 / rate_hz) / 4
    assert result.summary["height_uncertainty_cm"] == pytest.approx(expected)
    assert 0.2 < result.summary["height_uncertainty_cm"] < 1.4


@pytest.mark.parametrize("rate_hz", RATES_HZ)
@pytest.mark.parametrize("test", ["pogo", "rj10-5"])
def test_hops_recover_truth(test: str, rate_hz: int) -> None:
    sim = simulate_accel_jumps(test=test, sampling_rate_hz=rate_hz)  # type: ignore[arg-type]
    result = analyze_accelerometer(_trace(sim), test=test)  # type: ignore[arg-type]
    _check_against_truth(result, sim)
    first = result.jumps[0]
    assert not first.valid and first.contact_time_ms is None  # from standing
    assert all(j.valid for j in result.jumps[1:])
    rsis = sorted((j.rsi for j in sim.jumps if j.rsi is not None), reverse=True)
    expected_mean = np.mean(rsis[:5]) if test == "rj10-5" else np.mean(rsis)
    assert result.summary["best_rsi"] == pytest.approx(rsis[0], rel=0.06)
    assert result.summary["mean_rsi"] == pytest.approx(expected_mean, rel=0.03)
    assert result.summary["mean_contact_time_ms"] == pytest.approx(
        np.mean([j.contact_time_ms or 0.0 for j in sim.jumps[1:]]), abs=1000 / rate_hz
    )


@pytest.mark.parametrize("rate_hz", RATES_HZ)
def test_drop_jump_reports_rebounds_and_box(rate_hz: int) -> None:
    sim = simulate_accel_jumps(test="drop", sampling_rate_hz=rate_hz, box_height_cm=30)
    result = analyze_accelerometer(_trace(sim), test="drop")
    _check_against_truth(result, sim)
    box_notes = [n for n in result.notes if n.startswith("drop from the box")]
    assert len(box_notes) == 3
    boxes_cm = [float(re.search(r"≈ (\d+) cm box", n).group(1)) for n in box_notes]  # type: ignore[union-attr]
    assert boxes_cm == pytest.approx([30, 30, 30], abs=4)  # a slow step-off edge


def test_slow_contacts_are_not_valid_rj_hops() -> None:
    sim = simulate_accel_jumps(test="rj10-5", contact_time_ms=300, variation=0.0)
    result = analyze_accelerometer(_trace(sim), test="rj10-5")
    assert not any(j.valid for j in result.jumps)
    assert "250 ms" in (result.jumps[1].note or "")
    assert result.summary["mean_rsi"] is None
    assert any("valid hops" in w for w in result.warnings)


def test_units_in_g_detected(tmp_path: Path) -> None:
    sim = simulate_accel_jumps(test="cmj", sampling_rate_hz=200)
    trace = load_accelerometer_csv(write_plain_csv(sim, tmp_path / "g.csv", units="g"))
    assert any("in g" in n for n in trace.notes)
    np.testing.assert_allclose(trace.ay_m_s2, sim.ay_m_s2, atol=1e-5 * G_M_S2)
    result = analyze_accelerometer(trace, test="cmj")
    assert any("in g" in n for n in result.notes)
    _check_against_truth(result, sim)


@pytest.mark.parametrize("time_column", ["time", "t", "timestamp"])
def test_plain_csv_in_m_s2(tmp_path: Path, time_column: str) -> None:
    sim = simulate_accel_jumps(test="pogo", sampling_rate_hz=100)
    path = write_plain_csv(sim, tmp_path / "a.csv", time_column=time_column)  # type: ignore[arg-type]
    trace = load_accelerometer_csv(path)
    assert trace.source == "plain"
    assert any("m/s²" in n for n in trace.notes)
    assert trace.sampling_rate_hz == pytest.approx(100, rel=1e-3)
    np.testing.assert_allclose(trace.time_s, sim.time_s, atol=1e-6)
    _check_against_truth(analyze_accelerometer(trace, test="pogo"), sim)


@pytest.mark.parametrize("absolute", [True, False])
def test_phyphox_csv(tmp_path: Path, absolute: bool) -> None:
    sim = simulate_accel_jumps(test="cmj", sampling_rate_hz=500, gravity_axis="-z")
    path = write_phyphox_csv(sim, tmp_path / "Accelerometer.csv", absolute=absolute)
    header = path.read_text().splitlines()[0]
    assert header.startswith('"Time (s)","Acceleration x (m/s^2)"')
    trace = load_accelerometer_csv(path)
    assert trace.source == "phyphox"
    np.testing.assert_allclose(trace.az_m_s2, sim.az_m_s2, rtol=1e-8)
    _check_against_truth(analyze_accelerometer(trace, test="cmj"), sim)


def test_phyphox_semicolon_and_decimal_comma(tmp_path: Path) -> None:
    sim = simulate_accel_jumps(test="squat", sampling_rate_hz=100)
    text = write_phyphox_csv(sim, tmp_path / "p.csv").read_text()
    european = tmp_path / "eu.csv"
    european.write_text(text.replace(",", ";").replace(".", ","))
    _check_against_truth(analyze_accelerometer(load_accelerometer_csv(european), test="squat"), sim)


def test_warns_below_100_hz() -> None:
    sim = simulate_accel_jumps(test="cmj", sampling_rate_hz=60)
    result = analyze_accelerometer(_trace(sim), test="cmj")
    assert any("60 Hz" in w and "100 Hz" in w for w in result.warnings)


def test_warns_hand_held() -> None:
    sim = simulate_accel_jumps(test="cmj", orientation_jitter_deg=60, seed=1)
    result = analyze_accelerometer(_trace(sim), test="cmj")
    assert any("hand-held" in w for w in result.warnings)
    _check_against_truth(result, sim)  # the magnitude does not care


def test_result_serialises() -> None:
    sim = simulate_accel_jumps(test="rj10-5")
    data = analyze_accelerometer(_trace(sim), test="rj10-5").to_dict()
    assert data["input_kind"] == "accelerometer" and len(data["jumps"]) == 10
    assert any("PMC9947475" in s for s in data["sources"])
    assert all(
        data["summary"][k] is not None
        for k in ("best_height_cm", "mean_height_cm", "best_rsi", "mean_rsi")
    )


def test_simulation_is_reproducible_and_physical() -> None:
    a = simulate_accel_jumps(test="cmj", seed=3)
    b = simulate_accel_jumps(test="cmj", seed=3)
    np.testing.assert_array_equal(a.ax_m_s2, b.ax_m_s2)
    magnitude = np.sqrt(a.ax_m_s2**2 + a.ay_m_s2**2 + a.az_m_s2**2)
    assert np.median(magnitude[:100]) == pytest.approx(G_M_S2, rel=0.02)
    truth = a.jumps[0]
    in_flight = (a.time_s > truth.takeoff_time_s + 0.05) & (a.time_s < truth.landing_time_s - 0.05)
    assert np.max(magnitude[in_flight]) < 0.3 * G_M_S2
    assert np.max(magnitude) > 4 * G_M_S2  # landing impact
    assert truth.height_cm == pytest.approx(G_M_S2 * (truth.flight_time_ms / 1000) ** 2 / 8 * 100)


# ---------------------------------------------------------------------------- bad input


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    return path


def _plain(rate_hz: float, seconds: float = 3.0) -> str:
    t = np.arange(0, seconds, 1 / rate_hz)
    return "time,ax,ay,az\n" + "".join(f"{x:.4f},0.1,9.81,0.2\n" for x in t)


@pytest.mark.parametrize(
    ("content", "error", "match"),
    [
        ("", InputError, "empty"),
        ("   \n\n", InputError, "empty"),
        ("time,ax,ay,az\n", InputError, "no data rows"),
        (
            "time,foo,bar\n0,1,2\n0.01,1,2\n",
            UnsupportedFormatError,
            r"found columns: 'time', 'foo'",
        ),
        ("a,b,c,d\n0,1,2,3\n", UnsupportedFormatError, "time column"),
        ("hello world\nthis is not data\n", UnsupportedFormatError, "no columns"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", UnsupportedFormatError, "binary"),
        (b"\xff\xfe\xfatime,ax", UnsupportedFormatError, "UTF-8"),
        ("time,ax,ay,az\n0,1,2,x\n", CorruptFileError, "row 2.*'x'"),
        ("time,ax,ay,az\n0,1,2\n", CorruptFileError, "row 2 has 3 fields"),
        (
            _plain(20),
            InputError,
            r"too slow for flight times: 20 Hz .* 50 ms per sample.*±6\.1 cm",
        ),
        (
            "time,ax,ay,az\n" + "".join(f"{t},0,9.8,0\n" for t in [0, 0.01, 0.02, 0.015, 0.03] * 3),
            InputError,
            "not strictly increasing",
        ),
        (
            '"Time (s)","Linear Acceleration x (m/s^2)","Linear Acceleration y (m/s^2)",'
            '"Linear Acceleration z (m/s^2)"\n0,0,0,0\n',
            InputError,
            "Acceleration with g",
        ),
        (
            "time,ax,ay,az\n" + "".join(f"{i / 100},0,0.01,0\n" for i in range(300)),
            InputError,
            "gravity",
        ),
        (
            "time,ax,ay,az\n" + "".join(f"{i / 100},0,4.0,0\n" for i in range(300)),
            InputError,
            "units",
        ),
    ],
    ids=[
        "empty",
        "blank",
        "header-only",
        "wrong-columns",
        "no-time",
        "garbage-text",
        "binary",
        "not-utf8",
        "not-a-number",
        "short-row",
        "20-hz",
        "time-backwards",
        "linear-acceleration",
        "no-gravity",
        "unknown-units",
    ],
)
def test_bad_files(
    tmp_path: Path, content: str | bytes, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        load_accelerometer_csv(_write(tmp_path, "bad.csv", content))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_accelerometer_csv(tmp_path / "nope.csv")


def test_no_flight_is_a_clear_error(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    t = np.arange(0, 5, 0.01)
    path = _write(
        tmp_path,
        "standing.csv",
        "time,ax,ay,az\n" + "".join(f"{x:.2f},{rng.normal(0, 0.3):.4f},9.81,0\n" for x in t),
    )
    trace = load_accelerometer_csv(path)
    with pytest.raises(InputError, match=r"no flight found.*never left the ground"):
        analyze_accelerometer(trace, test="cmj")


def test_unknown_test() -> None:
    sim = simulate_accel_jumps(test="cmj")
    with pytest.raises(InputError, match="test must be one of"):
        analyze_accelerometer(_trace(sim), test="broad")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"test": "hop"}, "test must be one of"),
        ({"gravity_axis": "w"}, "gravity_axis"),
        ({"flight_time_ms": 20}, "flight_time_ms"),
        ({"n_jumps": 0}, "at least one"),
    ],
)
def test_simulator_rejects_bad_arguments(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(InputError, match=match):
        simulate_accel_jumps(**kwargs)  # type: ignore[arg-type]


def test_height_formula_matches_bosco() -> None:
    sim = simulate_accel_jumps(test="cmj", flight_time_ms=500, variation=0.0)
    assert sim.jumps[0].height_cm == pytest.approx(G_M_S2 * 0.25 / 8 * 100)
    assert math.isclose(sim.jumps[0].flight_time_ms, 500.0)
