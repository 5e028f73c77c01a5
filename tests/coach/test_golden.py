"""Golden plans for four typical runners, reviewed for common sense.

The JSON files under ``golden/`` are the reviewed plans; a change in the planner that
changes a plan fails here until the new plan is reviewed and written with
``STRIDELAB_UPDATE_GOLDEN=1 pytest tests/coach/test_golden.py``.
"""

from __future__ import annotations

import json
import os
from datetime import date, timedelta
from pathlib import Path

import pytest

from stridelab.coach.plan import Plan, PlanRequest, build_plan_from
from tests.coach import profiles as P

GOLDEN = Path(__file__).with_name("golden")
START = date(2026, 12, 7)  # a Monday

CASES: dict[str, PlanRequest] = {
    "newcomer": PlanRequest(start=START),
    "overstrider": PlanRequest(
        goal="10k",
        race_date=date(2027, 1, 30),
        run_days=4,
        minutes_per_week=90,
        equipment=frozenset({"band"}),
        start=START,
    ),
    "ramping_novice": PlanRequest(goal="5k", run_days=3, minutes_per_week=45, weeks=6, start=START),
    "masters_marathoner": PlanRequest(
        goal="marathon",
        race_date=date(2027, 1, 31),
        run_days=5,
        minutes_per_week=75,
        equipment=frozenset({"band", "dumbbell"}),
        start=START,
    ),
}


def _plan(name: str) -> Plan:
    return build_plan_from(P.TYPICAL[name](), CASES[name])


@pytest.mark.parametrize("name", sorted(CASES))
def test_plan_matches_the_reviewed_golden_file(name: str) -> None:
    data = _plan(name).to_dict()
    path = GOLDEN / f"{name}.json"
    text = json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    if os.environ.get("STRIDELAB_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"missing {path}; write it with STRIDELAB_UPDATE_GOLDEN=1"
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(text)


def _items(plan: Plan, kind: str | None = None) -> list[str]:
    return [i.id for w in plan.weeks for s in w.sessions if kind in (None, s.kind) for i in s.items]


def _sessions(plan: Plan, *kinds: str) -> list:
    return [s for w in plan.weeks for s in w.sessions if not kinds or s.kind in kinds]


def test_newcomer_tests_first_and_gets_general_safe_work() -> None:
    plan = _plan("newcomer")
    first = plan.weeks[0].sessions[0]
    assert first.kind == "retest" and first.date == START
    assert first.items[0].id == "test:video"
    assert not _items(plan, "power") and not _items(plan, "run-cue")  # nothing to cue yet
    rules = {i.rule for w in plan.weeks for s in w.sessions for i in s.items}
    assert "general-hip-core" in rules and "baseline-tests" in rules
    # no reactive jump test before the heel-raise and single-leg squat tests are known
    assert "test:rj10-5" not in _items(plan) and "test:cmj" in _items(plan)
    assert "make the plan again" in plan.notes[0]
    # a baseline is not a problem an exercise answers
    assert not any(i.finding_ids for s in _sessions(plan) for i in s.items)


def test_overstrider_practises_step_rate_on_easy_runs_and_tapers() -> None:
    plan = _plan("overstrider")
    cues = [s for w in plan.weeks for s in w.sessions if s.kind == "run-cue"]
    assert cues and all(s.run in ("easy run", "long run") for s in cues)
    assert cues[0].items[0].feedback_pct == 100 and cues[-1].items[0].feedback_pct == 0
    # the 8 acquisition sessions fall within the first 4 weeks (Willy 2016: 2–4 weeks)
    assert cues[7].date < START + timedelta(weeks=4)
    race = date(2027, 1, 30)
    late = [s for w in plan.weeks for s in w.sessions if 0 <= (race - s.date).days <= 7]
    assert not any(i.category == "power" for s in late for i in s.items)
    assert plan.weeks[-1].taper
    # the first jumps come more than two weeks before the race, and start small
    jumps = _sessions(plan, "power")
    assert jumps and (race - jumps[0].date).days > 14
    assert {i.id for i in jumps[0].items if i.category == "power"} <= {
        "pogo_hops",
        "skipping_rope",
        "line_hops",
    }
    # race week: one short session, familiar exercises, one set fewer
    race_week = [s for s in _sessions(plan, "strength", "power", "stability")]
    race_week = [s for s in race_week if 0 <= (race - s.date).days <= 7]
    assert len(race_week) == 1 and race_week[0].minutes <= 20
    assert all(i.dosage and i.dosage.startswith("1 ×") for i in race_week[0].items)
    # strength on the workout day comes after the workout, drills before it
    workout_day = [s for s in _sessions(plan) if s.run == "workout"]
    assert {s.when for s in workout_day} <= {"before your workout", "after your workout"}
    assert all(s.kind == "drills" for s in workout_day if s.when == "before your workout")
    # an info finding (a first RSI) is not "answered"
    assert not any("reactivity-rj10-5" in i.finding_ids for s in _sessions(plan) for i in s.items)


def test_ramping_novice_holds_volume_and_works_the_ankle() -> None:
    plan = _plan("ramping_novice")
    assert plan.weeks[0].guardrail and plan.weeks[1].guardrail and not plan.weeks[2].guardrail
    assert "volume up 70%" in plan.guardrails[0]
    assert "knee_to_wall_rocks" in _items(plan)
    assert not _items(plan, "power")
    # the capacity tests that gate plyometrics are missing: tested first; no 10/5 test
    week1 = [i.id for s in plan.weeks[0].sessions if s.kind == "retest" for i in s.items]
    assert {"test:calf_raise", "test:single_leg_squat"} <= set(week1)
    assert "test:rj10-5" not in _items(plan)
    # ankle work is paired with hip and trunk work in every session (Leppänen 2024)
    for s in _sessions(plan, "stability", "strength"):
        assert any(
            i.finding_ids and "core_control-pelvic-drop" in i.finding_ids for i in s.items
        ) or any(i.rule == "general-hip-core" for i in s.items), s


def test_masters_marathoner_builds_calves_and_hip_before_any_jumps() -> None:
    plan = _plan("masters_marathoner")
    assert not _items(plan, "power")  # calf raise below the norm: no plyometrics
    ids = _items(plan)
    assert {"single_leg_heel_raise", "kneeling_hip_flexor_stretch"} & set(ids)
    assert any(e["choice"] == "no plyometric block" for e in plan.explanations)
    cue = {s.items[0].id for w in plan.weeks for s in w.sessions if s.kind == "run-cue"}
    assert cue == {"forward_lean_cue"}
    # the book's stretch for the failed hip test from the first week, after the long run
    first_week = [i.id for s in plan.weeks[0].sessions if s.kind == "mobility" for i in s.items]
    assert first_week == ["kneeling_hip_flexor_stretch"]
    # a squat does not answer a failed heel-raise test; only calf work does
    for s in _sessions(plan):
        for i in s.items:
            if "capacity-calf_raise-left" in i.finding_ids:
                assert "heel_raise" in i.id or i.id == "test:calf_raise", i.id
    # control weeks are mostly stability work; strength weeks mostly strength
    for w in plan.weeks:
        for s in w.sessions:
            if s.kind in ("stability", "strength"):
                assert s.kind == {"control": "stability"}.get(w.phase, "strength"), (w.week, s)
