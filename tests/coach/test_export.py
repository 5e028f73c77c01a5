"""Exports: iCalendar round trip, Markdown and offline HTML (autoescaped)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from icalendar import Calendar

from stridelab.coach import plan_to_html, plan_to_ics, plan_to_markdown
from stridelab.coach.plan import PlanRequest, build_plan_from
from tests.coach import profiles as P

REQ = PlanRequest(
    goal="10k",
    race_date=date(2027, 1, 30),
    run_days=4,
    minutes_per_week=90,
    start=date(2026, 12, 7),
)


def test_ics_has_one_all_day_event_per_session_and_is_deterministic() -> None:
    plan = build_plan_from(P.overstrider(), REQ)
    data = plan_to_ics(plan)
    assert data == plan_to_ics(build_plan_from(P.overstrider(), REQ))
    cal = Calendar.from_ical(data)
    events = list(cal.walk("VEVENT"))
    sessions = [s for w in plan.weeks for s in w.sessions]
    assert len(events) == len(sessions)
    assert len({str(e["UID"]) for e in events}) == len(events)
    for ev, s in zip(events, sessions, strict=True):
        assert ev.decoded("DTSTART") == s.date
        assert f"{s.minutes} min" in str(ev["SUMMARY"])
        for item in s.items:
            assert item.name in str(ev["DESCRIPTION"])


def test_markdown_lists_every_session_and_the_reasons() -> None:
    plan = build_plan_from(P.overstrider(), REQ)
    md = plan_to_markdown(plan)
    n_sessions = sum(len(w.sessions) for w in plan.weeks)
    assert md.count("\n### ") == n_sessions
    assert "why: answers: " in md and "## Why these choices" in md
    assert "Foot lands ahead of the body" in md


def test_html_is_offline_and_escapes_names() -> None:
    ev = replace(P.nothing(), athlete="<script>alert(1)</script>")
    html = plan_to_html(build_plan_from(ev, REQ))
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "http://" not in html and "https://" not in html and "<script" not in html
    assert html.startswith("<!doctype html>")
