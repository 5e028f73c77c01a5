"""``stridelab test list|guide|run`` end to end on rendered photos (real BlazePose).

Fixture in words: two side-view photos of the synthetic knee-to-wall lunge (right leg
35°, left leg 45°) and one of a 28° lunge taken later, rendered at 640×480; a fresh
database per test.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from stridelab.cli.main import main_entry
from stridelab.synthetic import poses as P
from stridelab.synthetic.render import render_pose_frame
from stridelab.synthetic.runner import CameraSpec

CAM = CameraSpec(view="side", width_px=640, height_px=480, distance_m=3.2, camera_height_m=0.6)


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main_entry(list(args))
    out, err = capsys.readouterr()
    return code, out, " ".join(err.split())  # the error console wraps long lines


def _lunge(tmp_path: Path, angle: float, side: str, name: str) -> Path:
    path = tmp_path / name
    cam = CAM if side == "right" else CameraSpec(**{**CAM.__dict__, "facing": "left"})
    Image.fromarray(
        render_pose_frame(P.lunge_pose(shank_angle_deg=angle, side=side), cam, 0.0)
    ).save(path)
    return path


def test_list_and_guide(capsys) -> None:
    code, out, _ = _run(capsys, "test", "list", "--json")
    assert code == 0
    ids = {t["id"] for t in json.loads(out)}
    assert {"ankle_dorsiflexion", "single_leg_squat", "side_plank"} <= ids
    code, out, _ = _run(capsys, "test", "list")
    assert code == 0 and "calf_raise" in out
    code, out, _ = _run(capsys, "test", "guide", "thomas")
    assert code == 0 and "Thomas" in out and "Camera:" in out and "BMC" in out
    code, _, err = _run(capsys, "test", "guide", "burpees")
    assert code == 1 and "unknown test" in err


def test_run_store_baseline_and_symmetry(tmp_path: Path, capsys) -> None:
    db = f"sqlite:///{tmp_path / 'db.sqlite'}"
    right = _lunge(tmp_path, 35.0, "right", "right.png")
    left = _lunge(tmp_path, 45.0, "left", "left.png")
    later = _lunge(tmp_path, 28.0, "right", "later.jpg")
    code, out, _ = _run(
        capsys, "--db", db, "test", "run", "knee-to-wall", str(right), "--side", "right",
        "--date", "2026-01-05", "--json",
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert data["test"] == "ankle_dorsiflexion" and data["schema"] == "stridelab.mobility/1"
    s = data["summary"]
    assert s["side"] == "right" and s["unit"] == "deg" and s["mdc"] == 4.7
    assert s["value"] == pytest.approx(35.0, abs=5.0)
    assert data["baseline"] is None and data["symmetry"] is None
    code, out, _ = _run(
        capsys, "--db", db, "test", "run", "ankle_dorsiflexion", str(left), "--side", "left",
        "--date", "2026-01-05", "--json",
    )  # fmt: skip
    sym = json.loads(out)["symmetry"]
    assert sym["left"] == pytest.approx(45.0, abs=5.0) and sym["worse_side"] == "right"
    code, out, _ = _run(
        capsys, "--db", db, "test", "run", "knee-to-wall", str(later), "--side", "right",
        "--date", "2026-02-05",
    )  # fmt: skip
    assert code == 0 and "since your baseline" in out and "symmetry" in out
    code, out, _ = _run(
        capsys, "--db", db, "test", "history", "--type", "ankle_dorsiflexion", "--json"
    )
    rows = json.loads(out)
    assert len(rows) == 3 and rows[-1]["performed_at"].startswith("2026-02-05")
    assert rows[-1]["summary"]["norm"]["status"] == "below"


def test_bad_runs_are_one_line_errors(tmp_path: Path, capsys) -> None:
    db = f"sqlite:///{tmp_path / 'db.sqlite'}"
    photo = _lunge(tmp_path, 30.0, "right", "p.png")
    cases = [
        (["knee-to-wall", str(tmp_path / "missing.png")], "no such file"),
        (["knee-to-wall", str(photo), "--side", "up"], "--side"),
        (["knee-to-wall", str(photo), "--date", "05/01/2026"], "--date"),
        (["single-leg-squat", str(photo)], "needs a video"),
        (["big-toe", str(photo)], "--points"),
        (["calf-raise", str(photo)], "needs a video"),
    ]
    for args, needle in cases:
        code, _, err = _run(capsys, "--db", db, "test", "run", *args)
        assert code == 1 and needle in err and "Traceback" not in err, (args, err)
    code, out, _ = _run(
        capsys, "--db", db, "test", "run", "big-toe", str(photo),
        "--points", "100,400;200,400;250,350", "--side", "left", "--json",
    )  # fmt: skip
    assert code == 0 and json.loads(out)["summary"]["value"] == pytest.approx(45.0)


def test_one_photo_measured_for_both_sides_stores_both(tmp_path: Path, capsys) -> None:
    db = f"sqlite:///{tmp_path / 'db.sqlite'}"
    photo = _lunge(tmp_path, 30.0, "right", "feet.png")
    for side, pts in (("left", "100,400;200,400;250,350"), ("right", "100,400;200,400;300,400")):
        code, _, err = _run(
            capsys, "--db", db, "test", "run", "big-toe", str(photo),
            "--points", pts, "--side", side, "--json",
        )  # fmt: skip
        assert code == 0, err
    code, out, _ = _run(capsys, "--db", db, "test", "history", "--json")
    assert code == 0
    sides = sorted(
        r["summary"]["side"] for r in json.loads(out) if r["test"] == "big_toe_extension"
    )
    assert sides == ["left", "right"]
