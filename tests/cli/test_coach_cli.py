"""``stridelab plan`` and ``stridelab progress`` end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from icalendar import Calendar

from stridelab.cli.main import main_entry


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main_entry(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_plan_json_ics_html_for_a_new_athlete(tmp_path: Path, capsys) -> None:
    db = f"sqlite:///{tmp_path / 'db.sqlite'}"
    ics, html = tmp_path / "plan.ics", tmp_path / "plan.html"
    plan_args = ("--db", db, "-a", "ana", "plan", "--start", "2026-12-07", "--weeks", "6")
    plan_args += ("--minutes-per-week", "45", "--equipment", "band,step", "--json")
    code, out, err = _run(
        capsys,
        *plan_args,
        "--ics",
        str(ics),
        "--html",
        str(html),
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["athlete"] == "ana" and data["baseline_first"] is True
    assert len(data["weeks"]) == 6
    assert data["weeks"][0]["sessions"][0]["kind"] == "retest"
    assert data["weeks"][0]["sessions"][0]["date"] == "2026-12-07"
    assert data["request"]["equipment"] == ["band", "step"]
    assert all(w["minutes"] <= 45 for w in data["weeks"])
    events = list(Calendar.from_ical(ics.read_bytes()).walk("VEVENT"))
    assert len(events) == sum(len(w["sessions"]) for w in data["weeks"])
    assert "Week 1" in html.read_text(encoding="utf-8")
    # same inputs, same plan
    code, out2, _ = _run(capsys, *plan_args)
    assert code == 0 and out2 == out


def test_plan_explain_prints_reasons(tmp_path: Path, capsys) -> None:
    db = f"sqlite:///{tmp_path / 'db.sqlite'}"
    code, out, _ = _run(capsys, "--db", db, "plan", "--start", "2026-12-07", "--explain")
    assert code == 0
    assert "Why these choices" in out and "rule general-hip-core" in out
    assert "baseline first" in out and "[info]" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--race-date", "next week"], "--race-date must be YYYY-MM-DD"),
        (["--goal", "3k"], "goal must be one of"),
        (["--equipment", "none,kettlebell"], "unknown equipment"),
        (["--run-days", "9"], "run_days must be 1–7"),
        (["--race-date", "2026-01-01"], "before the plan start"),
    ],
)
def test_bad_plan_options_are_one_line_errors(
    tmp_path: Path, capsys, args: list[str], message: str
) -> None:
    db = f"sqlite:///{tmp_path / 'db.sqlite'}"
    code, _, err = _run(capsys, "--db", db, "plan", "--start", "2026-12-07", *args)
    assert code == 1 and message in err and "Traceback" not in err


def test_progress_json_and_text(tmp_path: Path, capsys) -> None:
    db = f"sqlite:///{tmp_path / 'db.sqlite'}"
    code, out, _ = _run(capsys, "--db", db, "progress", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["metrics"] == [] and data["findings"] == []
    code, out, _ = _run(capsys, "--db", db, "progress")
    assert code == 0 and "Nothing measured yet" in out
