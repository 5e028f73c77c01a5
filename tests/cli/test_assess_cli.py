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
    assert code == 1 and "video" in err and "Traceback" not in err
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


@pytest.fixture(scope="module")
def slow_motion_cmj(tmp_path_factory: pytest.TempPathFactory):
    """A countermovement jump captured at 60 fps and stored at 30 fps (a slow-motion
    file played at half speed), 640×360."""
    from stridelab.synthetic.jump_video import JumpVideoSpec, default_jump_camera, write_jump_video

    path = tmp_path_factory.mktemp("cli-video") / "cmj-slowmo.mp4"
    spec = JumpVideoSpec(test="cmj", lead_s=0.3, tail_s=0.3)
    cam = default_jump_camera(60, stored_fps=30.0, width_px=640, height_px=360)
    truth = write_jump_video(spec, cam, path)
    return path, truth


def test_video_cmj_through_the_cli_with_capture_fps(
    slow_motion_cmj, tmp_path: Path, capsys
) -> None:
    path, truth = slow_motion_cmj
    db = f"sqlite:///{tmp_path / 'db.sqlite'}"
    args = ["--db", db, "test", "jump", str(path), "--type", "cmj", "--capture-fps", "60"]
    code, out, _ = _run(capsys, *args, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["test"] == "cmj" and data["input_kind"] == "video"
    assert len(data["jumps"]) == 1
    jump = data["jumps"][0]
    want = truth.jumps[0]
    # through BlazePose (benchmarks/validate_jumps.py --video: up to 47 ms, 5.7 cm at
    # 60 fps on a larger figure)
    assert jump["flight_time_ms"] == pytest.approx(want.flight_time_ms, abs=55.0)
    assert jump["height_flight_cm"] == pytest.approx(want.height_cm, abs=7.0)
    for key in ("height_impulse_cm", "peak_force_n", "rfd_0_50_n_per_s", "rfd_0_200_n_per_s"):
        assert jump[key] is None
    s = data["summary"]
    assert s["sampling_rate_hz"] == pytest.approx(60.0, rel=0.01)
    assert s["video"]["capture_fps_source"] == "user"
    assert not any("--capture-fps" in w for w in data["warnings"])
    assert s["height_uncertainty_cm"] == pytest.approx(
        100 * 9.80665 * jump["flight_time_ms"] / 1000 / (4 * 60), rel=1e-6
    )
    # stored like the other inputs; the table form prints and stores once
    code, out, _ = _run(capsys, *args)
    assert code == 0 and "from a video" in out and "replaced" in out
    code, out, _ = _run(capsys, "--db", db, "test", "history", "--json")
    rows = json.loads(out)
    assert len(rows) == 1 and rows[0]["input_kind"] == "video"


def test_video_without_capture_fps_is_played_back_at_30_fps(
    slow_motion_cmj, tmp_path, capsys
) -> None:
    """Without --capture-fps the slow-motion file is taken at its stored 30 fps: the
    flight looks twice as long (1.1 s: not a plausible jump) and the low frame rate is
    warned."""
    path, _ = slow_motion_cmj
    db = f"sqlite:///{tmp_path / 'db.sqlite'}"
    code, out, _ = _run(capsys, "--db", db, "test", "jump", str(path), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["summary"]["sampling_rate_hz"] == pytest.approx(30.0, rel=0.01)
    assert any("30 fps" in w for w in data["warnings"])
    # the feet rise no higher than in the real 0.56 s flight: slow motion is named
    assert any("slow-motion" in w and "--capture-fps" in w for w in data["warnings"])
    assert not data["jumps"][0]["valid"]  # a 1.1 s "flight"
    assert "--capture-fps" in data["jumps"][0]["note"]


def test_bad_capture_fps_is_one_line(slow_motion_cmj, tmp_path: Path, capsys) -> None:
    path, _ = slow_motion_cmj
    db = f"sqlite:///{tmp_path / 'db.sqlite'}"
    code, _, err = _run(capsys, "--db", db, "test", "jump", str(path), "--capture-fps", "0")
    assert code == 1 and "--capture-fps" in err and "Traceback" not in err
