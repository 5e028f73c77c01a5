"""The synthetic run: a real FIT file whose content is known exactly.

Fixture in words: the default spec, a 42 min interval session (10 min warm-up,
4 × (4 min fast, 2 min easy), 8 min cool-down) with one 90 s pause in the second
recovery, encoded by Garmin's encoder and read back with fitdecode (CRC enforced) and
with Garmin's own decoder. The truth holds the values as stored, so record fields must
agree to float rounding, far inside the FIT quantum.
"""

from __future__ import annotations

import io
import itertools
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import fitdecode
import numpy as np
import pytest
from garmin_fit_sdk import Decoder, Stream

from stridelab.errors import InputError
from stridelab.synthetic import SyntheticRun, SyntheticRunSpec, synthetic_run, write_synthetic_run

SEMICIRCLES_PER_DEG = 2**31 / 180
FIT_EPOCH_S = 631_065_600
TINY = 1e-9  # truth is "as stored": only float rounding may differ


def decode(data: bytes) -> dict[str, list[dict[str, Any]]]:
    """fitdecode, CRC enforced: message name -> list of {field: value} (first wins)."""
    out: dict[str, list[dict[str, Any]]] = {}
    with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.RAISE) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage):
                values: dict[str, Any] = {}
                for f in frame.fields:
                    values.setdefault(f.name, f.value)
                out.setdefault(frame.name, []).append(values)
    return out


def garmin_read(data: bytes) -> tuple[dict[str, list[dict[str, Any]]], list[Exception]]:
    # A fresh Decoder per call: after is_fit()/check_integrity() the same decoder's
    # read() returns no messages and no errors.
    return Decoder(Stream.from_byte_array(bytearray(data))).read()


@pytest.fixture(scope="module")
def run() -> SyntheticRun:
    return synthetic_run()


@pytest.fixture(scope="module")
def mesgs(run: SyntheticRun) -> dict[str, list[dict[str, Any]]]:
    return decode(run.fit_bytes)


def column(records: list[dict[str, Any]], name: str) -> np.ndarray:
    return np.array([r[name] for r in records], dtype=np.float64)


def test_file_crc_is_valid_and_checked(run: SyntheticRun) -> None:
    decode(run.fit_bytes)  # raises on a bad CRC
    damaged = bytearray(run.fit_bytes)
    damaged[len(damaged) // 2] ^= 0x01
    with pytest.raises(fitdecode.FitCRCError):
        decode(bytes(damaged))


def test_garmin_decoder_reports_no_errors(run: SyntheticRun) -> None:
    assert Decoder(Stream.from_byte_array(bytearray(run.fit_bytes))).check_integrity()
    messages, errors = garmin_read(run.fit_bytes)
    assert errors == []
    assert len(messages["record_mesgs"]) == run.truth.n_records
    assert len(messages["lap_mesgs"]) == run.truth.n_laps
    assert messages["session_mesgs"][0]["total_distance"] == pytest.approx(run.truth.distance_m)


def test_file_identity_and_sport(mesgs: dict[str, list[dict[str, Any]]]) -> None:
    (file_id,) = mesgs["file_id"]
    assert file_id["type"] == "activity"
    assert file_id["manufacturer"] == "development"
    (session,) = mesgs["session"]
    assert (session["sport"], session["sub_sport"]) == ("running", "road")
    assert len(mesgs["device_info"]) == 1


def test_every_record_field_equals_truth(
    run: SyntheticRun, mesgs: dict[str, list[dict[str, Any]]]
) -> None:
    t, recs = run.truth, mesgs["record"]
    assert len(recs) == t.n_records
    ts = np.array([r["timestamp"].timestamp() for r in recs])
    np.testing.assert_array_equal(ts, t.timestamp_s)
    pairs = {
        "distance": t.distance_m_series,
        "speed": t.speed_m_s,
        "enhanced_speed": t.speed_m_s,
        "heart_rate": t.heart_rate_bpm,
        "stance_time": t.ground_contact_ms,
        "vertical_oscillation": t.vertical_oscillation_mm,
        "stance_time_balance": t.stance_balance_left_pct,
        "step_length": t.step_length_mm,
        "vertical_ratio": t.vertical_ratio_pct,
        "enhanced_altitude": t.altitude_m,
    }
    for name, expected in pairs.items():
        np.testing.assert_allclose(column(recs, name), expected, rtol=0, atol=TINY, err_msg=name)
    # FIT stores strides/min + 1/128 fraction; the truth is steps/min.
    spm = 2 * (column(recs, "cadence") + column(recs, "fractional_cadence"))
    np.testing.assert_allclose(spm, t.cadence_spm, rtol=0, atol=TINY)
    for name, deg in (("position_lat", t.latitude_deg), ("position_long", t.longitude_deg)):
        np.testing.assert_array_equal(column(recs, name), np.round(deg * SEMICIRCLES_PER_DEG))


def test_truth_is_self_consistent(run: SyntheticRun) -> None:
    t = run.truth
    dt = np.diff(t.timer_s)
    integral = np.concatenate([[0.0], np.cumsum(dt * (t.speed_m_s[1:] + t.speed_m_s[:-1]) / 2)])
    np.testing.assert_allclose(t.distance_m_series, integral, rtol=0, atol=0.005 + TINY)
    step_mm = 1000 * t.speed_m_s / (t.cadence_spm / 60)
    np.testing.assert_allclose(t.step_length_mm, step_mm, rtol=0, atol=0.05 + TINY)
    ratio = 100 * t.vertical_oscillation_mm / t.step_length_mm
    np.testing.assert_allclose(t.vertical_ratio_pct, ratio, rtol=0, atol=0.005 + TINY)
    assert not t.speed_m_s.flags.writeable


def test_session_totals_equal_records_and_truth(
    run: SyntheticRun, mesgs: dict[str, list[dict[str, Any]]]
) -> None:
    t = run.truth
    (s,) = mesgs["session"]
    # The truth's totals are what the record arrays say ...
    assert t.distance_m == t.distance_m_series[-1]
    assert t.timer_time_s == np.diff(t.timer_s).sum()
    assert t.elapsed_time_s == t.timestamp_s[-1] - t.timestamp_s[0]
    assert t.max_hr_bpm == t.heart_rate_bpm.max()
    assert t.avg_hr_bpm == np.floor(t.heart_rate_bpm.mean() + 0.5)
    assert t.avg_speed_m_s == pytest.approx(t.distance_m / t.timer_time_s, abs=0.0005)
    assert t.avg_cadence_spm == pytest.approx(t.cadence_spm.mean(), abs=1 / 128)
    for avg, col in (
        (t.avg_ground_contact_ms, t.ground_contact_ms),
        (t.avg_vertical_oscillation_mm, t.vertical_oscillation_mm),
        (t.avg_step_length_mm, t.step_length_mm),
    ):
        assert avg == pytest.approx(col.mean(), abs=0.05 + TINY)
    # ... and the session message says the same.
    expected = {
        "total_distance": t.distance_m,
        "total_timer_time": t.timer_time_s,
        "total_elapsed_time": t.elapsed_time_s,
        "avg_heart_rate": t.avg_hr_bpm,
        "max_heart_rate": t.max_hr_bpm,
        "enhanced_avg_speed": t.avg_speed_m_s,
        "enhanced_max_speed": t.max_speed_m_s,
        "avg_stance_time": t.avg_ground_contact_ms,
        "avg_vertical_oscillation": t.avg_vertical_oscillation_mm,
        "avg_step_length": t.avg_step_length_mm,
        "avg_vertical_ratio": t.avg_vertical_ratio_pct,
        "avg_stance_time_balance": t.avg_stance_balance_left_pct,
        "total_calories": t.energy_kcal,
        "num_laps": t.n_laps,
        "first_lap_index": 0,
    }
    for name, value in expected.items():
        assert s[name] == pytest.approx(value, abs=TINY), name
    assert 2 * (s["avg_running_cadence"] + s["avg_fractional_cadence"]) == t.avg_cadence_spm
    assert s["start_time"].timestamp() == t.timestamp_s[0]
    assert t.elapsed_time_s - t.timer_time_s == t.pause_s == 90


def test_laps(run: SyntheticRun, mesgs: dict[str, list[dict[str, Any]]]) -> None:
    t, laps = run.truth, mesgs["lap"]
    assert len(laps) == t.n_laps == len(t.laps) == 2 + 2 * run.spec.interval_count
    assert [lap["intensity"] for lap in laps] == [lap.intensity for lap in t.laps]
    for name, attr in (
        ("total_timer_time", "timer_time_s"),
        ("total_elapsed_time", "elapsed_time_s"),
        ("total_distance", "distance_m"),
        ("total_calories", "energy_kcal"),
    ):
        assert sum(lap[name] for lap in laps) == pytest.approx(getattr(t, attr), abs=1e-6), name
    for lap, truth in zip(laps, t.laps, strict=True):
        first, n = truth.first_record, truth.n_records
        hr = t.heart_rate_bpm[first : first + n]
        assert lap["start_time"].timestamp() == t.timestamp_s[first]
        assert lap["total_distance"] == pytest.approx(truth.distance_m, abs=TINY)
        assert lap["avg_heart_rate"] == truth.avg_hr_bpm == np.floor(hr.mean() + 0.5)
        assert lap["max_heart_rate"] == truth.max_hr_bpm == hr.max()
        assert lap["enhanced_avg_speed"] == pytest.approx(truth.avg_speed_m_s, abs=TINY)
        spm = 2 * (lap["avg_running_cadence"] + lap["avg_fractional_cadence"])
        assert spm == truth.avg_cadence_spm
        assert lap["timestamp"] - lap["start_time"] == timedelta(seconds=truth.elapsed_time_s)
    assert laps[-1]["lap_trigger"] == "session_end"


def test_one_pause_with_no_records_inside(
    run: SyntheticRun, mesgs: dict[str, list[dict[str, Any]]]
) -> None:
    timer = [e for e in mesgs["event"] if e["event"] == "timer"]
    kinds = [e["event_type"] for e in timer]
    assert kinds == ["start", "stop_all", "start", "stop_all"]
    pairs = [
        (a, b)
        for a, b in itertools.pairwise(timer)
        if (a["event_type"], b["event_type"]) == ("stop_all", "start")
    ]
    assert len(pairs) == run.truth.pause_count == 1
    stop, start = pairs[0]
    assert (start["timestamp"] - stop["timestamp"]).total_seconds() == run.truth.pause_s
    assert stop["timestamp"] == run.truth.pause_start_utc
    inside = [r for r in mesgs["record"] if stop["timestamp"] < r["timestamp"] < start["timestamp"]]
    assert inside == []


def test_local_timestamp_is_timestamp_plus_offset(
    run: SyntheticRun, mesgs: dict[str, list[dict[str, Any]]]
) -> None:
    (act,) = mesgs["activity"]
    offset = timedelta(minutes=run.truth.timezone_offset_min)
    assert act["local_timestamp"] - act["timestamp"] == offset
    assert (act["num_sessions"], act["type"], act["event"], act["event_type"]) == (
        1,
        "manual",
        "activity",
        "stop",
    )
    # Garmin's decoder leaves local_date_time as FIT seconds (an int).
    (g_act,) = garmin_read(run.fit_bytes)[0]["activity_mesgs"]
    fit_s = int(g_act["timestamp"].timestamp()) - FIT_EPOCH_S
    assert g_act["local_timestamp"] - fit_s == offset.total_seconds()


def test_deterministic_for_a_seed() -> None:
    a, b = synthetic_run(SyntheticRunSpec(seed=7)), synthetic_run(SyntheticRunSpec(seed=7))
    assert a.fit_bytes == b.fit_bytes
    assert synthetic_run(SyntheticRunSpec(seed=8)).fit_bytes != a.fit_bytes
    quiet = [synthetic_run(SyntheticRunSpec(seed=s, noise=False)).fit_bytes for s in (1, 2)]
    assert quiet[0] == quiet[1]


@pytest.mark.parametrize(("intercept", "slope"), [(128.0, 10.0), (140.0, 6.5)])
def test_cadence_speed_line_recoverable(intercept: float, slope: float) -> None:
    run = synthetic_run(
        SyntheticRunSpec(cadence_intercept_spm=intercept, cadence_slope_spm_per_m_s=slope, seed=3)
    )
    recs = decode(run.fit_bytes)["record"]
    speed = column(recs, "enhanced_speed")
    spm = 2 * (column(recs, "cadence") + column(recs, "fractional_cadence"))
    a, b = np.linalg.lstsq(np.c_[np.ones_like(speed), speed], spm, rcond=None)[0]
    assert a == pytest.approx(run.truth.cadence_intercept_spm, abs=1.0)
    assert b == pytest.approx(run.truth.cadence_slope_spm_per_m_s, abs=0.5)


def test_heart_rate_lags_speed() -> None:
    t = synthetic_run(SyntheticRunSpec(noise=False)).truth
    before = t.timer_s < SyntheticRunSpec().pause_at_timer_s  # one clock-continuous stretch
    v, hr = t.speed_m_s[before] - t.speed_m_s[before].mean(), t.heart_rate_bpm[before]
    hr = hr - hr.mean()
    lags = np.arange(0, 90)
    corr = [np.dot(v[: len(v) - k], hr[k:]) for k in lags]
    assert 10 <= lags[int(np.argmax(corr))] <= 60


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"start_utc": datetime(2026, 11, 1, 7, 30)}, "timezone-aware"),
        ({"pause_at_timer_s": 600}, "strictly inside a lap"),
        ({"pause_at_timer_s": 99_999}, "strictly inside a lap"),
        ({"pause_s": 0}, "positive whole number"),
        ({"interval_speed_m_s": -1.0}, "speeds"),
    ],
)
def test_invalid_spec_is_refused(changes: dict[str, Any], match: str) -> None:
    with pytest.raises(InputError, match=match):
        replace(SyntheticRunSpec(), **changes)


def test_out_of_range_field_is_refused_not_wrapped() -> None:
    with pytest.raises(InputError, match="cadence"):
        synthetic_run(SyntheticRunSpec(cadence_intercept_spm=600.0))


@pytest.mark.parametrize(
    "changes",
    [
        {"interval_count": 0, "pause_at_timer_s": 300, "noise": False},
        {"interval_count": 6, "pause_at_timer_s": 100, "pause_s": 300, "timezone_offset_min": -300},
    ],
)
def test_other_session_shapes_decode_consistently(changes: dict[str, Any]) -> None:
    spec = replace(SyntheticRunSpec(), **changes)
    run = synthetic_run(spec)
    m = decode(run.fit_bytes)
    assert garmin_read(run.fit_bytes)[1] == []
    assert len(m["record"]) == run.truth.n_records
    assert len(m["lap"]) == run.truth.n_laps == 2 + 2 * spec.interval_count
    (s,) = m["session"]
    assert s["total_distance"] == pytest.approx(run.truth.distance_m, abs=TINY)
    assert s["total_elapsed_time"] - s["total_timer_time"] == spec.pause_s
    (act,) = m["activity"]
    offset = act["local_timestamp"] - act["timestamp"]
    assert offset == timedelta(minutes=spec.timezone_offset_min)


def test_write_synthetic_run(tmp_path: Path) -> None:
    path = tmp_path / "run.fit"
    run = write_synthetic_run(path)
    assert path.read_bytes() == run.fit_bytes
    # ~42 min at 1 Hz: ~2500 records of ~40 bytes each.
    assert 2500 <= run.truth.n_records <= 2600
    assert 60_000 < path.stat().st_size < 200_000
