"""Server-rendered pages: dashboard (load flags, cadence curve), tests with the MDC,
activities, findings and the plan (degrading clearly while coaching is missing)."""

from __future__ import annotations

import importlib.util
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from stridelab.ingest import SourceItem, import_one
from stridelab.store import open_database
from stridelab.store.repository import save_assessment
from stridelab.synthetic.fit_run import SyntheticRunSpec, synthetic_run
from stridelab.web import views
from tests.web.conftest import TestClient

needs_coach = pytest.mark.skipif(
    importlib.util.find_spec("stridelab.coach") is None
    or views.coach_unavailable_reason() is not None,
    reason="stridelab.coach (findings and plans) is not importable yet",
)


def _history() -> list[SyntheticRunSpec]:
    """Three weeks, two runs each (warm-up, one 4.0 m/s interval, cool-down), the last
    week 60 % longer: the ramp flag must fire on it (previous week over 10 km)."""
    monday = datetime(2026, 10, 5, 7, 0, tzinfo=UTC)
    specs = []
    for w in range(3):
        scale = 1.6 if w == 2 else 1.0
        for day, seed in ((1, 0), (4, 1)):
            specs.append(
                SyntheticRunSpec(
                    start_utc=monday + timedelta(weeks=w, days=day),
                    seed=10 * w + seed,
                    warmup_s=int(750 * scale),
                    interval_count=1,
                    interval_s=int(300 * scale),
                    recovery_s=60,
                    cooldown_s=int(750 * scale),
                    pause_at_timer_s=100,
                    pause_s=30,
                )
            )
    return specs


@pytest.fixture
def history_db(settings):
    db = open_database(settings.db_url)
    runs = [synthetic_run(spec) for spec in _history()]
    for i, run in enumerate(runs):
        outcome = import_one(db, SourceItem(f"run{i}.fit", lambda b=run.fit_bytes: b))
        assert outcome.status == "imported", outcome.reason
    yield db, runs
    db.dispose()


def test_dashboard_shows_load_flags_and_the_cadence_curve(history_db, client: TestClient) -> None:
    _db, runs = history_db
    overview = client.get("/api/overview", params={"weeks": 8}).json()
    weeks = overview["weeks"]
    assert len(weeks) == 3
    truth_km = [sum(r.truth.distance_m for r in runs[2 * w : 2 * w + 2]) / 1000 for w in range(3)]
    assert truth_km[1] >= 10.0
    assert [w["distance_km"] for w in weeks] == pytest.approx(truth_km, abs=0.05)
    ramp = [f for f in overview["flags"] if f["week_start"] == weeks[-1]["week_start"]]
    assert [f["kind"] for f in ramp] == ["ramp"]
    assert ramp[0]["value"] == pytest.approx(100 * (truth_km[2] / truth_km[1] - 1), abs=0.5)
    # the runner's own line is recovered from the FIT records
    curve = overview["cadence_curve"]
    assert curve["slope_spm_per_m_s"] == pytest.approx(
        runs[0].spec.cadence_slope_spm_per_m_s, abs=1.0
    )
    assert curve["intercept_spm"] == pytest.approx(runs[0].spec.cadence_intercept_spm, abs=4.0)

    plots = {p["id"]: p for p in views.dashboard_plots(overview)}
    bars = plots["plot-weeks"]["data"][0]
    assert bars["y"] == [w["distance_km"] for w in weeks]
    assert bars["marker"]["color"][-1] == "rgb(214,69,65)"  # the flagged week in red
    assert set(bars["marker"]["color"][:-1]) == {"rgb(40,120,200)"}
    line = plots["plot-cadence"]["data"][0]
    assert line["y"][0] == pytest.approx(
        curve["intercept_spm"] + curve["slope_spm_per_m_s"] * curve["speed_min_m_s"]
    )

    page = client.get("/").text
    assert ramp[0]["message"].split(" ")[0] in page
    assert 'id="plot-weeks"' in page and 'id="plot-cadence"' in page
    assert '<script src="/vendor/plotly.min.js">' in page
    assert len(re.findall(r"<tr><td class=\"text\">", page)) == len(runs)  # recent activities
    acts = client.get("/activities").text
    assert acts.count("<tr>") == len(runs) + 1  # header + one row per run


def _mobility(value: float) -> dict:
    return {
        "test": "knee_to_wall",
        "input_kind": "manual",
        "summary": {
            "side": "left",
            "value": value,
            "unit": "cm",
            "mdc": 1.9,
            "higher_is_better": True,
            "norm": ">= 10 cm",
            "quality": "good",
        },
    }


def test_test_history_marks_changes_beyond_the_mdc(settings, client: TestClient) -> None:
    db = open_database(settings.db_url)
    for day, value in ((1, 8.0), (15, 9.0), (29, 11.5)):
        save_assessment(
            db,
            _mobility(value),
            sha256=f"k{day}",
            file_name=f"k{day}.json",
            performed_at=datetime(2026, 10, day, 12, tzinfo=UTC),
        )
    save_assessment(
        db,
        {
            "test": "cmj",
            "input_kind": "force_plate",
            "summary": {"best_height_cm": 31.2, "best_rsi": None},
        },
        sha256="c1",
        file_name="cmj.csv",
        performed_at=datetime(2026, 10, 2, tzinfo=UTC),
    )
    db.dispose()
    rows = client.get("/api/tests").json()
    ktw = [r for r in rows if r["test"] == "knee_to_wall"]
    assert [r["change"] for r in ktw] == [None, pytest.approx(1.0), pytest.approx(2.5)]
    assert [r["beyond_mdc"] for r in ktw] == [None, False, True]
    assert [r["improved"] for r in ktw] == [None, None, True]
    cmj = next(r for r in rows if r["test"] == "cmj")
    assert (cmj["value"], cmj["unit"], cmj["mdc"], cmj["beyond_mdc"]) == (31.2, "cm", None, None)
    page = client.get("/tests").text
    assert page.count('class="beyond-mdc"') == 1
    assert "within measurement noise" in page and "yes, beyond the MDC (better)" in page


def test_without_the_coach_the_pages_say_so(client: TestClient, monkeypatch) -> None:
    def missing():
        raise ImportError("No module named 'stridelab.coach'")

    monkeypatch.setattr(views, "_coach", missing)
    body = client.get("/api/findings").json()
    assert body == {"available": False, "message": body["message"], "findings": []}
    assert "coaching is not available" in body["message"]
    assert client.get("/api/plan").json()["available"] is False
    r = client.get("/api/plan.ics")
    assert r.status_code == 404 and "coaching is not available" in r.json()["detail"]
    assert "coaching is not available" in client.get("/plan").text
    assert "coaching is not available" in client.get("/").text
    assert client.get("/api/health").json()["coach_available"] is False


@needs_coach
def test_plan_page_lists_this_weeks_sessions_with_reasons(client: TestClient) -> None:
    params = {"start": "2026-11-30", "equipment": ["band"], "minutes_per_week": 45, "weeks": 6}
    data = client.get("/api/plan", params=params).json()
    assert data["available"] is True
    weeks = data["plan"]["weeks"]
    assert len(weeks) == 6
    first = weeks[0]["sessions"]
    for s in first:
        for item in s["items"]:
            assert item["reason"]
            assert set(item["equipment"]) <= {"none", "band"}
    page = client.get("/plan", params=params).text
    assert page.count("why: ") == sum(len(s["items"]) for s in first)
    link = re.search(r'id="ics-link" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert link == (
        "/api/plan.ics?goal=general&run_days=3&minutes_per_week=45&weeks=6&start=2026-11-30"
        "&equipment=band"
    )
    ics = client.get("/api/plan.ics", params=params)
    assert ics.headers["content-type"].startswith("text/calendar")
    assert "attachment" in ics.headers["content-disposition"]
    text = ics.text
    assert text.startswith("BEGIN:VCALENDAR")
    n_sessions = sum(len(w["sessions"]) for w in weeks)
    assert text.count("BEGIN:VEVENT") == n_sessions


@needs_coach
def test_plan_refusals_are_shown_not_crashed(client: TestClient) -> None:
    r = client.get("/api/plan", params={"start": "2026-11-30", "race_date": "2026-01-01"})
    assert r.status_code == 422 and "before the plan start" in r.json()["detail"]
    page = client.get("/plan", params={"start": "2026-11-30", "race_date": "2026-01-01"})
    assert page.status_code == 200 and "before the plan start" in page.text
    # what a person may type into the form comes back as a message, never a crash
    for params, words in (
        ({"race_date": "", "start": ""}, None),
        ({"race_date": "next friday"}, "race date must be a date"),
        ({"weeks": "many"}, "weeks must be a whole number"),
        ({"minutes_per_week": "5"}, "minutes_per_week must be"),
        ({"goal": "ultra"}, "goal must be one of"),
    ):
        r = client.get("/plan", params=params)
        assert r.status_code == 200
        if words is None:
            assert 'id="this-week"' in r.text
        else:
            assert words in r.text, params
    r = client.get("/api/plan", params={"equipment": ["rocket"]})
    assert r.status_code == 422 and "unknown equipment" in r.json()["detail"]


@needs_coach
def test_dashboard_lists_open_findings(history_db, client: TestClient) -> None:
    """The last week's 60 % ramp is an open load finding, shown on the dashboard."""
    from markupsafe import escape

    findings = client.get("/api/findings").json()["findings"]
    assert "load" in {f["pattern"] for f in findings}
    page = client.get("/").text
    assert page.count('class="finding ') == len(findings)
    for f in findings:
        assert str(escape(f["title"])) in page


def test_a_video_analysed_by_the_cli_shows_its_report_folder(
    settings, client: TestClient, tmp_path: Path
) -> None:
    """``stridelab video analyze`` records its output folder in the stored result: the
    video page plays that folder's annotated video, and serves nothing else from disk."""
    from stridelab.gait.pipeline import analyze_track
    from stridelab.store.repository import save_video_analysis
    from stridelab.synthetic.runner import CameraSpec, RunnerSpec, synthetic_keypoints

    track, _ = synthetic_keypoints(RunnerSpec(duration_s=2.0), CameraSpec(fps=60))
    folder = tmp_path / "cli-output"
    folder.mkdir()
    (folder / "annotated.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42 not really a video")
    (tmp_path / "secret.txt").write_text("private")
    data = {**analyze_track(track).analysis.to_dict(), "report_folder": str(folder)}
    video_id, _ = save_video_analysis(
        open_database(settings.db_url), data, sha256="c" * 64, file_name="cli.mp4"
    )
    page = client.get(f"/videos/{video_id}")
    assert page.status_code == 200
    assert "missing from this app" not in page.text
    assert f"/videos/{video_id}/files/annotated.mp4" in page.text
    video = client.get(f"/videos/{video_id}/files/annotated.mp4")
    assert video.status_code == 200 and video.content.startswith(b"\x00\x00\x00\x18ftyp")
    for name in ("..%2Fsecret.txt", "secret.txt", "result.json"):
        assert client.get(f"/videos/{video_id}/files/{name}").status_code == 404
