"""Build a time-boxed, equipment-aware block of deliberate practice from the findings.

In: the athlete's findings (:mod:`stridelab.coach.findings`), the library
(:mod:`stridelab.coach.library`) and a :class:`PlanRequest` (goal, race date, run days,
minutes per week, equipment, weeks, start date). Out: a :class:`Plan` of weeks and
dated sessions whose items each name the finding or the rule they answer.

Guarantees (tested over generated profiles): a week's sessions never exceed
``minutes_per_week``; every item uses only available equipment; the block's levels never
go back (control → strength → power); re-tests are scheduled; run-form cues sit on named
runs with feedback faded; an active ramp flag holds volume; strength is tapered before a
race; the same inputs give the same plan (no clock is read: ``start`` is an input).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from stridelab.coach.findings import Evidence, Finding, collect_evidence, findings_from_evidence
from stridelab.coach.library import (
    MAX_CONTACTS_PER_SESSION,
    Exercise,
    available_equipment,
    load_library,
)
from stridelab.coach.model import (
    GOALS,
    SESSION_KINDS,
    Plan,
    PlanItem,
    PlanRequest,
    PlanSession,
    PlanWeek,
)
from stridelab.coach.rules import (
    BASELINE_JUMPS,
    BASELINE_MOBILITY,
    CUE_ACQUISITION_SESSIONS,
    GUARDRAIL_FRESH_DAYS,
    GUARDRAIL_WEEKS,
    RETEST_EVERY_WEEKS,
    RULES,
    TESTS,
    block_phases,
    cue_feedback,
    prescribed_for,
    run_day_offsets,
)
from stridelab.coach.select import (
    FAMILY,
    MAX_SESSION_ITEMS,
    MAX_SESSION_MIN,
    NO_NEW_POWER_DAYS,
    POWER_INTRO,
    POWER_INTRO_MAX_CONTACTS,
    POWER_INTRO_SESSIONS,
    POWER_SESSIONS_PER_WEEK,
    RACE_WEEK_DAYS,
    PlanContext,
    explain,
    make_item,
    mobility_for,
    pick_items,
    session_kind,
)
from stridelab.store import Database

__all__ = [
    "FAMILY",
    "GOALS",
    "MAX_SESSION_ITEMS",
    "MAX_SESSION_MIN",
    "NO_NEW_POWER_DAYS",
    "POWER_INTRO",
    "POWER_INTRO_MAX_CONTACTS",
    "POWER_INTRO_SESSIONS",
    "POWER_SESSIONS_PER_WEEK",
    "RACE_WEEK_DAYS",
    "SESSION_KINDS",
    "Plan",
    "PlanItem",
    "PlanRequest",
    "PlanSession",
    "PlanWeek",
    "build_plan",
    "build_plan_from",
    "final_retest_week",
]

_CUE_PRIORITY = (  # finding pattern/id prefix → cue exercise
    ("cadence-step-rate", "step_rate_cue"),
    ("landing-", "step_rate_cue"),
    ("core_control-upright-trunk", "forward_lean_cue"),
    ("hip_extension-", "push_back_cue"),
    ("counter_rotation-", "arm_swing_cue"),
)


# ------------------------------------------------------------------------ helpers


def _day_mode(d: date, race: date | None) -> str:
    """normal | taper (race−9…race−3) | rest (race−2…race+3)."""
    if race is None:
        return "normal"
    delta = (race - d).days
    if -3 <= delta <= 2:
        return "rest"
    if 3 <= delta <= 9:
        return "taper"
    return "normal"


def _spread_days(candidates: Sequence[int], n: int) -> list[int]:
    chosen: list[int] = []
    for d in candidates:
        if len(chosen) == n:
            break
        if all(abs(d - c) >= 2 for c in chosen):
            chosen.append(d)
    for d in candidates:
        if len(chosen) == n:
            break
        if d not in chosen:
            chosen.append(d)
    return sorted(chosen)


# ------------------------------------------------------------------- the planner


def _retest_plan(
    ev: Evidence, findings: Sequence[Finding], weeks: int, *, power_allowed: bool
) -> tuple[dict[int, list[str]], frozenset[str]]:
    """Week → tests wanted that week (before packing into the budget), and the tests that
    are baselines (nothing of their kind stored). The heel-raise and single-leg squat
    tests gate the plyometrics, so they are baselines whenever they are missing; the
    reactive 10/5 jump test waits until those have passed (method_spec rule 7)."""
    stored = {m.key.split(".")[1] for m in (*ev.mobility, *ev.jumps)}
    flagged = sorted(
        {
            f.metric.split(".")[1]
            for f in findings
            if f.severity in ("act", "watch")
            and f.metric.startswith(("mobility.", "jump."))
            and f.pattern != "baseline"
        }
    )
    baseline: list[str] = []
    if not ev.video:
        baseline.append("video")
    if not ev.mobility:
        baseline += list(BASELINE_MOBILITY)
    else:
        baseline += [t for t in ("calf_raise", "single_leg_squat") if t not in stored]
    if not ev.jumps:
        baseline += [t for t in BASELINE_JUMPS if power_allowed or t != "rj10-5"]
    everything = ["video", *sorted(stored | set(baseline) - {"video"})]
    wanted: dict[int, list[str]] = {}
    if baseline:
        wanted[1] = baseline
    for w in range(1, weeks + 1):
        if w == weeks:  # the final re-test: everything measured so far
            wanted.setdefault(w, [])
            wanted[w] = wanted[w] + [t for t in everything if t not in wanted[w]]
        elif w % RETEST_EVERY_WEEKS == 0:
            wanted.setdefault(w, [])
            wanted[w] = wanted[w] + [t for t in ["video", *flagged] if t not in wanted[w]]
    order = list(TESTS)
    planned = {w: sorted(dict.fromkeys(ts), key=order.index) for w, ts in wanted.items()}
    return planned, frozenset(baseline)


def _guardrail(ctx: PlanContext, ev: Evidence) -> tuple[bool, list[str]]:
    if ev.load is None:
        return False, []
    active = [f for f in ev.load.flags if f[0] in ("ramp", "acwr")]
    if not active:
        return False, []
    last = ev.load.last_run
    age = (ctx.request.start - last).days if last is not None else None
    msgs = [f[3].rstrip(". ") for f in active]  # joined into one sentence below
    if age is not None and age > GUARDRAIL_FRESH_DAYS:
        note = (
            f"Your last runs raised a load flag ({'; '.join(msgs)}), but the latest run is "
            f"{age} days before the plan starts: import recent runs so the flag can be "
            "checked again."
        )
        explain(ctx, "load flag not applied", note, RULES["load-hold"].source)
        return False, [note]
    note = (
        f"Load guardrail: {'; '.join(msgs)}. Hold your running volume at last week's "
        f"level for weeks 1–{GUARDRAIL_WEEKS} (no extra runs or distance); this plan stays "
        "at the control level and adds no plyometrics while the flag is active."
    )
    explain(ctx, f"hold volume for {GUARDRAIL_WEEKS} weeks", note, RULES["load-hold"].source)
    return True, [note]


def _power_allowed(ctx: PlanContext, ev: Evidence) -> bool:
    tested = {m.key.split(".")[1] for m in ev.mobility}
    failing = [
        f
        for f in ctx.findings
        if f.metric.startswith(("mobility.calf_raise", "mobility.single_leg_squat"))
        and f.severity in ("act", "watch")
    ]
    ok = {"calf_raise", "single_leg_squat"} <= tested and not failing
    if not ok:
        why = (
            "the heel-raise and single-leg squat tests "
            + ("have not passed yet" if failing else "are not both stored yet")
            + ": the power weeks stay at the strength level; re-plan after the re-test"
        )
        explain(ctx, "no plyometric block", why, RULES["power-after-capacity"].source)
    return ok


def _weeks_before_taper(request: PlanRequest, /) -> int:
    """Leading weeks that lie wholly before the race taper (all of them without a race)."""
    race = request.race_date
    if race is None:
        return request.weeks
    n = 0
    for w in range(request.weeks):
        last_day = request.start + timedelta(weeks=w, days=6)
        if _day_mode(last_day, race) != "normal" or last_day >= race:
            break
        n += 1
    return n


def _phases(ctx: PlanContext, *, guard: bool, power_allowed: bool) -> list[str]:
    """The block's levels, fitted to the weeks before the taper: the taper and any weeks
    after the race keep the last level (at taper doses), so nothing new starts in the
    last two weeks before a race."""
    req = ctx.request
    # fitted only when a power phase could otherwise begin inside the taper
    pre = _weeks_before_taper(req) if power_allowed else req.weeks
    min_control = GUARDRAIL_WEEKS if guard else 1
    phases = block_phases(pre, min_control=min_control, power_allowed=power_allowed) if pre else []
    last = phases[-1] if phases else "control"
    phases += [last] * (req.weeks - pre)
    if pre < req.weeks:
        explain(
            ctx,
            f"levels fitted to the {pre} week{'s' if pre != 1 else ''} before the taper",
            "a new kind of work (e.g. the first plyometrics) in the last two weeks before a "
            "race brings soreness, not fitness; the taper keeps the last level at lower "
            "doses and only exercises already practised.",
            RULES["strength-taper"].source,
        )
    return phases


def final_retest_week(request: PlanRequest, /) -> int:
    """The week of the final re-test: the last week with a day outside the race taper
    and rest (tests to fatigue do not belong in the last 10 days before a race)."""
    for w in range(request.weeks, 0, -1):
        start = request.start + timedelta(weeks=w - 1)
        if any(
            _day_mode(start + timedelta(days=o), request.race_date) == "normal" for o in range(7)
        ):
            return w
    return 0


def build_plan_from(ev: Evidence, request: PlanRequest, /) -> Plan:
    """The plan for already collected evidence (pure: no database, no clock)."""
    findings = tuple(findings_from_evidence(ev))
    ctx = PlanContext(request, findings, load_library(), available_equipment(request.equipment), [])
    req = request
    baseline_first = not ev.has_any
    notes: list[str] = []
    if baseline_first:
        notes.append(
            "No data stored yet: the plan starts with baseline tests (video and the "
            "key tests) and general, safe work (hip and core, calf capacity, mobility). "
            "Once the tests are stored, make the plan again so it can aim at what they show."
        )
        explain(ctx, "baseline first", notes[-1], RULES["baseline-tests"].source)
    guard, guard_notes = _guardrail(ctx, ev)
    power_allowed = _power_allowed(ctx, ev)
    phases = _phases(ctx, guard=guard, power_allowed=power_allowed)
    for f in findings:
        named = prescribed_for(f.id)
        if named is not None and f.severity != "info":
            explain(ctx, f"{f.title} → " + ", ".join(named[1]), f"method_spec {named[0]}", f.source)
    explain(
        ctx,
        "block: " + " → ".join(dict.fromkeys(phases)),
        "Dicharry's order: 4–6 weeks of neuromuscular control, then strength, then "
        "power; levels never go back.",
        "Optimize Your Stride (method_spec §1, §7)",
    )
    runs = run_day_offsets(req.run_days)
    explain(
        ctx,
        "sessions before easy runs",
        f"{req.run_days} run days: "
        + ", ".join(f"day {o + 1} {r}" for o, r in sorted(runs.items()))
        + f". Up to 2–3 skill sessions a week of at most {MAX_SESSION_MIN} min within "
        f"{req.minutes_per_week} min, placed before easy runs as in the Run RCT; "
        "unsupervised 10-minute programmes done twice a week did not protect, so fewer, "
        "focused sessions are preferred.",
        "Leppänen 2024; Toresdahl 2020; Blagrove & Hooper (twice a week)",
    )
    cue = _choose_cue(ctx)
    ctx.final_week = final_retest_week(req) or req.weeks
    wanted, ctx.baseline_tests = _retest_plan(
        ev, findings, ctx.final_week, power_allowed=power_allowed
    )
    pending: list[str] = []
    weeks = []
    for w in range(1, req.weeks + 1):
        pending += [t for t in wanted.get(w, []) if t not in pending]
        week = _build_week(
            ctx,
            w,
            phases[w - 1],
            runs,
            cue,
            pending,
            guard=guard and w <= GUARDRAIL_WEEKS,
            baseline=baseline_first,
        )
        weeks.append(week)
    if final_retest_week(req) == 0:
        notes.append(
            "The whole block lies in the race taper: do the re-tests from the fourth "
            "day after the race."
        )
    if pending:
        notes.append(
            "Not enough time for these re-tests inside the block: "
            + ", ".join(TESTS[t].name for t in pending)
            + "."
        )
    if req.race_date is not None:
        explain(
            ctx,
            f"taper before {req.race_date.isoformat()}",
            RULES["strength-taper"].text,
            RULES["strength-taper"].source,
        )
    return Plan(
        athlete=ev.athlete,
        request=req,
        weeks=tuple(weeks),
        findings=findings,
        guardrails=tuple(guard_notes),
        explanations=tuple(ctx.explain),
        baseline_first=baseline_first,
        notes=tuple(notes),
    )


def _choose_cue(ctx: PlanContext) -> tuple[Exercise, tuple[str, ...]] | None:
    """One cue at a time: the highest-priority cue and every finding it answers."""
    lib = {e.id: e for e in ctx.library}
    live = [f for f in ctx.findings if f.severity in ("act", "watch")]
    for prefix, cue_id in _CUE_PRIORITY:
        if not any(f.id.startswith(prefix) for f in live):
            continue
        prefixes = [p for p, c in _CUE_PRIORITY if c == cue_id]
        answered = [f for f in live if f.id.startswith(tuple(prefixes))]
        explain(
            ctx,
            f"run-form cue: {lib[cue_id].name}",
            "answers "
            + "; ".join(f"{f.title} ({f.id})" for f in answered)
            + f"; one cue at a time, practised on easy runs, feedback faded over "
            f"{CUE_ACQUISITION_SESSIONS} sessions then self-checks.",
            "Willy 2016; Davis 2020 review (faded feedback)",
        )
        return lib[cue_id], tuple(f.id for f in answered)
    return None


def _build_week(
    ctx: PlanContext,
    w: int,
    level: str,
    runs: dict[int, str],
    cue: tuple[Exercise, tuple[str, ...]] | None,
    pending: list[str],
    *,
    guard: bool,
    baseline: bool,
) -> PlanWeek:
    req = ctx.request
    week_start = req.start + timedelta(weeks=w - 1)
    budget = req.minutes_per_week
    left = budget
    sessions: list[PlanSession] = []
    notes: list[str] = []
    day = {o: week_start + timedelta(days=o) for o in range(7)}
    mode = {o: _day_mode(d, req.race_date) for o, d in day.items()}
    in_block = any(m != "normal" for m in mode.values())
    if guard:
        notes.append("hold running volume at last week's level (load guardrail)")

    # 1. re-tests (first day that is not a run day and not around the race)
    if pending:
        last = w == ctx.final_week
        cap = budget if budget < 30 or last else int(0.6 * budget)
        # baseline tests may fall in a taper week; re-tests wait for a normal day
        ok = ("normal", "taper") if baseline and w == 1 else ("normal",)
        days = [o for o in range(7) if mode[o] in ok]
        if not days:
            test_day = None
        elif baseline and w == 1:  # baseline tests come first
            test_day = days[0]
        else:
            test_day = next((o for o in days if o not in runs), days[0])
        if test_day is not None:
            items, used = [], 0
            for t in list(pending):
                spec = TESTS[t]
                if used + spec.minutes <= min(cap, left):
                    flagged = [
                        f.id
                        for f in ctx.findings
                        if f.severity in ("act", "watch")
                        and f.pattern != "baseline"
                        and (
                            f.metric.split(".")[:2] in (["mobility", t], ["jump", t])
                            or (t == "video" and f.metric.startswith("video."))
                        )
                    ]
                    first_time = t in ctx.baseline_tests and t not in ctx.tested
                    rule = "baseline-tests" if first_time else "retest"
                    ctx.tested.add(t)
                    items.append(
                        PlanItem(
                            id=f"test:{t}",
                            name=spec.name,
                            minutes=spec.minutes,
                            equipment=("none",),
                            reason=(
                                "re-test of: "
                                + "; ".join(
                                    dict.fromkeys(f.title for f in ctx.findings if f.id in flagged)
                                )
                            )
                            if flagged
                            else RULES[rule].text,
                            category="test",
                            finding_ids=tuple(flagged),
                            rule=None if flagged else rule,
                            dosage=spec.source,
                        )
                    )
                    used += spec.minutes
                    pending.remove(t)
            if items:
                sessions.append(
                    PlanSession(
                        day[test_day],
                        "retest",
                        tuple(items),
                        when="before any run that day"
                        if test_day in runs
                        else "on a day without a run",
                        run=runs.get(test_day),
                    )
                )
                left -= used

    # 2. run-form cue on named runs, feedback faded
    easy = [o for o, r in sorted(runs.items()) if r == "easy run"]
    easy += [o for o, r in sorted(runs.items()) if r == "long run"]
    if cue is not None and easy:
        ex, cue_findings = cue
        per_week = min(len(easy), 3) if ctx.cue_sessions_done < CUE_ACQUISITION_SESSIONS else 1
        for o in easy[:per_week]:
            if mode[o] == "rest":
                continue
            dose = ex.dosage[level]
            dose_min = dose.sets * dose.duration_s // 60 if dose.duration_s else ex.minutes
            minutes = min(dose_min, left)
            if minutes < 3:
                break
            fb = cue_feedback(ctx.cue_sessions_done, step_rate=ex.id == "step_rate_cue")
            item = make_item(ex, level, ctx, minutes=minutes, finding_ids=cue_findings, feedback=fb)
            if dose.duration_s and minutes != dose_min:  # the dose says what is scheduled
                short = replace(dose, sets=1, duration_s=60 * minutes)
                item = replace(item, dosage=short.describe())
            sessions.append(
                PlanSession(
                    day[o],
                    "run-cue",
                    (item,),
                    when=f"during your {runs[o]}",
                    run=runs[o],
                    note=f"{minutes} min of the run with the cue; {fb[1]}",
                )
            )
            ctx.cue_sessions_done += 1
            left -= minutes

    # 3. reserve time for drills before the workout (or the long run) and for the
    #    mobility the tests asked for, after the long run (rule 1/2's stretch)
    drill_day = next((o for o, r in sorted(runs.items()) if r == "workout"), None)
    if drill_day is None:
        drill_day = next((o for o, r in sorted(runs.items()) if r == "long run"), None)
    reserve_drills = drill_day is not None and left >= 25 and mode[drill_day] == "normal"
    long_day = next((o for o, r in runs.items() if r == "long run"), None)
    mob_ok = long_day is not None and mode[long_day] != "rest"
    mob_ex = mobility_for(ctx, level, left) if mob_ok else None
    reserve_mob = 0
    if mob_ex is not None and left - (5 if reserve_drills else 0) - mob_ex.minutes >= 16:
        reserve_mob = mob_ex.minutes
    main_left = left - (5 if reserve_drills else 0) - reserve_mob

    # 4. skill sessions before easy runs (or on free days, or after the workout), never
    #    on the long-run day; in race week at most one, short and familiar
    n = 3 if main_left >= 75 else 2 if main_left >= 20 else 1 if main_left >= 8 else 0
    candidates = [o for o, r in sorted(runs.items()) if r == "easy run"]
    candidates += [o for o in range(7) if o not in runs]
    candidates += [o for o, r in sorted(runs.items()) if r == "workout"]
    candidates = [o for o in candidates if mode[o] != "rest"]
    tests_on = {s.date for s in sessions if s.kind == "retest"}
    candidates.sort(key=lambda o: day[o] in tests_on)  # not on a test day if avoidable
    used_week: dict[str, int] = {}
    week_power = 0
    for o in _spread_days(candidates, n):
        to_race = (req.race_date - day[o]).days if req.race_date is not None else None
        race_week = to_race is not None and 0 <= to_race <= RACE_WEEK_DAYS
        if race_week and ctx.race_week_sessions >= 1:
            continue
        per = min(MAX_SESSION_MIN, main_left // n)
        taper = mode[o] == "taper"
        if taper:
            per //= 2
        first_power_too_late = (
            ctx.power_sessions == 0 and to_race is not None and to_race <= NO_NEW_POWER_DAYS
        )
        allow_power = (
            level == "power"
            and not guard
            and week_power < POWER_SESSIONS_PER_WEEK
            and not (to_race is not None and to_race <= RACE_WEEK_DAYS)
            and not first_power_too_late
        )
        cats = ["mobility", "stability", "strength"] + (["power"] if allow_power else [])
        items = pick_items(
            ctx,
            level,
            per,
            used_this_week=used_week,
            allow_power=allow_power,
            categories=cats,
            taper=taper,
            max_contacts=POWER_INTRO_MAX_CONTACTS
            if ctx.power_sessions < POWER_INTRO_SESSIONS
            else MAX_CONTACTS_PER_SESSION,
        )
        if not items:
            continue
        ctx.race_week_sessions += race_week
        jumped = any(i.category == "power" for i in items)
        ctx.power_sessions += jumped
        week_power += jumped
        spent = sum(i.minutes for i in items)
        left -= spent
        run = runs.get(o)
        sessions.append(
            PlanSession(
                day[o],
                session_kind(items, level),
                tuple(items),
                when="on a day without a run"
                if run is None
                else "after your workout"
                if run == "workout"
                else f"before your {run}",
                run=run,
                note="taper: half the usual minutes, one set fewer, only exercises you already know"
                if taper
                else None,
            )
        )

    # 5. drills
    if reserve_drills and drill_day is not None:
        items = pick_items(
            ctx,
            level,
            min(5, left),
            used_this_week={},
            allow_power=False,
            categories=["drill"],
            rule="drills-before-workout",
        )
        if items:
            left -= sum(i.minutes for i in items)
            sessions.append(
                PlanSession(
                    day[drill_day],
                    "drills",
                    tuple(items),
                    when=f"before your {runs[drill_day]}",
                    run=runs[drill_day],
                )
            )

    # 6. mobility after the long run for the flagged mobility tests
    if mob_ok and long_day is not None:
        stretch = mobility_for(ctx, level, left)
        if stretch is not None:
            item = make_item(stretch, level, ctx, rule="mobility-maintenance")
            left -= item.minutes
            sessions.append(
                PlanSession(
                    day[long_day],
                    "mobility",
                    (item,),
                    when=f"after your {runs[long_day]}",
                    run=runs[long_day],
                )
            )
    if in_block:
        notes.append(
            "race taper: strength halved in the last 10 days (one set fewer, nothing "
            "new), one short session at most in race week, no plyometrics in the last 7 "
            "days, rest 2 days before to 3 days after the race"
        )
    order = {k: i for i, k in enumerate(SESSION_KINDS)}
    when_order = {"before": 0, "on": 0, "during": 1, "after": 2}
    sessions.sort(
        key=lambda s: (
            s.date,
            s.kind != "retest",
            when_order.get(s.when.split(" ")[0], 1),
            order[s.kind],
        )
    )
    assert sum(s.minutes for s in sessions) <= budget
    return PlanWeek(
        w,
        week_start,
        level,
        tuple(sessions),
        budget,
        taper=in_block,
        guardrail=guard,
        notes=tuple(notes),
    )


def build_plan(db: Database, athlete: str, request: PlanRequest) -> Plan:
    """The plan for ``athlete`` from everything stored (see the module docstring)."""
    return build_plan_from(collect_evidence(db, athlete), request)
