"""``stridelab test jump`` and ``stridelab test history`` end to end (synthetic files)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stridelab.cli.main import main_entry
from stridelab.synthetic.jumps import simulate_force_plate_jump, write_force_plate_csv


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main_entry(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_force_plate_cmj_json_then_history(tmp_path: Path, capsys) -> None:
    sim = simulate_force_plate_jump(test="cmj", takeoff_velocity_m_s=2.4)
    path = tmp_path / "cmj.csv"
    write_force_plate_csv(sim, path)
    db = f"sqlite:///{tmp_path / 'db.sqlite'}"
    code, out, _ = _run(capsys, "--db", db, "test", "jump", str(path), "--type", "cmj", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["test"] == "cmj" and data["input_kind"] == "force_plate"
    truth_cm = 100 * sim.jumps[0].takeoff_velocity_m_s ** 2 / (2 * 9.80665)
    assert data["jumps"][0]["height_impulse_cm"] == pytest.approx(truth_cm, abs=0.5)
    for key in ("flight_time_ms", "height_flight_cm", "rsi", "peak_force_n", "rfd_0_100_n_per_s"):
        assert key in data["jumps"][0]
    # the same file again: one stored result
    assert _run(capsys, "--db", db, "test", "jump", str(path), "--type", "cmj")[0] == 0
    code, out, _ = _run(capsys, "--db", db, "test", "history", "--json")
    assert code == 0 and len(json.loads(out)) == 1


def test_bad_jump_inputs_are_one_line_errors(tmp_path: Path, capsys) -> None:
    db = f"sqlite:///{tmp_path / 'db.sqlite'}"
    garbage = tmp_path / "notes.csv"
    garbage.write_text("hello,world\n1,2\n")
    code, _, err = _run(capsys, "--db", db, "test", "jump", str(garbage))
    assert code == 1 and "force-plate CSV" in err and "Traceback" not in err
    video = tmp_path / "jump.mp4"
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64)
    code, _, err = _run(capsys, "--db", db, "test", "jump", str(video))
    assert code == 1 and "video" in err
    code, _, err = _run(capsys, "--db", db, "test", "jump", str(garbage), "--type", "box")
    assert code == 1 and "--type" in err


@pytest.mark.parametrize("fmt", ["phyphox", "plain-g"])
def test_accelerometer_hops_through_the_cli(tmp_path: Path, capsys, fmt: str) -> None:
    from stridelab.synthetic.accel_jumps import (
        simulate_accel_jumps,
        write_phyphox_csv,
        write_plain_csv,
    )

    sim = simulate_accel_jumps(test="rj10-5", sampling_rate_hz=200)
    path = tmp_path / "hops.csv"
    if fmt == "phyphox":
        write_phyphox_csv(sim, path)
    else:
        write_plain_csv(sim, path, units="g")
    db = f"sqlite:///{tmp_path / 'db.sqlite'}"
    code, out, _ = _run(capsys, "--db", db, "test", "jump", str(path), "--type", "rj10-5", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["input_kind"] == "accelerometer"
    assert data["summary"]["best_rsi"] > 0
    assert all(j["peak_force_n"] is None for j in data["jumps"])  # no force from a phone
