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
from dataclasses import dataclass, field
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
from stridelab.store import Database

__all__ = [
    "GOALS",
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

#: Longest skill session, min (Saunders 2006: 3 × 30 min; the method's 2 × 20 min).
MAX_SESSION_MIN = 40
#: Most exercises in one session: a few done with attention beat many done in a hurry.
MAX_SESSION_ITEMS = 5
_PHASE_KIND = {"control": "stability", "strength": "strength", "power": "power"}
_SEVERITY_WEIGHT = {"act": 3.0, "watch": 2.0, "info": 1.0}
_CONFIDENCE_WEIGHT = {"high": 1.0, "medium": 0.8, "low": 0.5}
_GENERAL = {  # pattern → (rule, weight) for items that answer no finding
    "core_control": ("general-hip-core", 1.0),
    "hip_extension": ("general-hip-core", 1.0),
    "capacity": ("general-calf-capacity", 0.8),
    "foot_ankle": ("general-foot-ankle", 0.3),
    "reactivity": ("power-after-capacity", 0.6),
    "landing": ("general-hip-core", 0.2),
    "counter_rotation": ("general-hip-core", 0.1),
    "cadence": ("drills-before-workout", 0.1),
}
_CUE_PRIORITY = (  # finding pattern/id prefix → cue exercise
    ("cadence-step-rate", "step_rate_cue"),
    ("landing-", "step_rate_cue"),
    ("core_control-upright-trunk", "forward_lean_cue"),
    ("hip_extension-", "push_back_cue"),
    ("counter_rotation-", "arm_swing_cue"),
)


# ------------------------------------------------------------------------ helpers


@dataclass
class _Ctx:
    request: PlanRequest
    findings: tuple[Finding, ...]
    library: tuple[Exercise, ...]
    available: frozenset[str]
    explain: list[dict[str, str]]
    cue_sessions_done: int = 0
    final_week: int = 0
    baseline_tests: frozenset[str] = frozenset()
    tested: set[str] = field(default_factory=set)


def _explain(ctx: _Ctx, choice: str, why: str, source: str = "") -> None:
    ctx.explain.append({"choice": choice, "why": why, "source": source})


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


def _finding_links(ex: Exercise, findings: Sequence[Finding]) -> tuple[float, tuple[str, ...]]:
    """How strongly an exercise answers the findings: pattern matches weighted by severity
    and confidence, doubled when the method's rule names the exercise for the finding."""
    score, ids = 0.0, []
    for f in findings:
        named = prescribed_for(f.id)
        is_named = named is not None and ex.id in named[1] and f.severity != "info"
        if f.pattern in ex.patterns or is_named:
            weight = _SEVERITY_WEIGHT[f.severity] * _CONFIDENCE_WEIGHT[f.confidence]
            score += weight * (2.0 if is_named else 1.0)
            ids.append(f.id)
    return score, tuple(ids)


def _general(ex: Exercise) -> tuple[float, str]:
    best = max((_GENERAL[p] for p in ex.patterns), key=lambda rw: rw[1])
    return best[1], best[0]


def _item(
    ex: Exercise,
    level: str,
    ctx: _Ctx,
    *,
    minutes: int | None = None,
    rule: str | None = None,
    finding_ids: tuple[str, ...] | None = None,
    feedback: tuple[int, str] | None = None,
) -> PlanItem:
    if finding_ids is None:
        _, finding_ids = _finding_links(ex, [f for f in ctx.findings if f.pattern != "baseline"])
    if finding_ids:
        titles = {f.id: f.title for f in ctx.findings}
        reason = "answers: " + "; ".join(f"{titles[i]} ({i})" for i in finding_ids)
        rule = None
    else:
        rule = rule or _general(ex)[1]
        reason = f"rule {rule}: {RULES[rule].text}"
    dose = ex.dosage.get(level)
    return PlanItem(
        id=ex.id,
        name=ex.name,
        minutes=minutes if minutes is not None else ex.minutes,
        equipment=ex.equipment,
        reason=reason,
        category=ex.category,
        finding_ids=finding_ids,
        rule=rule,
        dosage=dose.describe() if dose is not None else None,
        cues=ex.cues,
        feedback=feedback[1] if feedback else None,
        feedback_pct=feedback[0] if feedback else None,
    )


def _pick_items(
    ctx: _Ctx,
    level: str,
    minutes: int,
    *,
    used_this_week: dict[str, int],
    allow_power: bool,
    categories: Sequence[str],
    rule: str | None = None,
) -> list[PlanItem]:
    """Fill ``minutes`` with the best-scoring eligible exercises (deterministic)."""
    live = [f for f in ctx.findings if f.pattern != "baseline"]
    ranked: list[tuple[float, str, Exercise]] = []
    for ex in ctx.library:
        if ex.category not in categories or level not in ex.dosage or not ex.fits(ctx.available):
            continue
        if ex.category == "power" and not allow_power:
            continue
        f_score, _ = _finding_links(ex, live)
        g_score, _ = _general(ex)
        bonus = {
            "control": {"stability": 0.6, "mobility": 0.2},
            "strength": {"strength": 1.0, "stability": 0.2},
            "power": {"power": 1.2, "strength": 0.6},
        }[level].get(ex.category, 0.0)
        score = f_score + g_score + bonus - 1.5 * used_this_week.get(ex.id, 0)
        ranked.append((-score, ex.id, ex))
    ranked.sort(key=lambda t: (t[0], t[1]))
    chosen: list[Exercise] = []
    left, contacts = minutes, 0
    counts = {"mobility": 0, "foot": 0, "power": 0}
    for _, _, ex in ranked:
        if ex.minutes > left or len(chosen) >= MAX_SESSION_ITEMS:
            continue
        dose = ex.dosage[level]
        if ex.category == "mobility" and counts["mobility"] >= 1:
            continue
        if set(ex.patterns) <= {"foot_ankle"} and counts["foot"] >= 1:
            continue  # cap foot-only work (Leppänen 2024)
        if ex.category == "power" and counts["power"] >= 2:
            continue
        if dose.contacts and contacts + dose.contacts > MAX_CONTACTS_PER_SESSION:
            continue
        chosen.append(ex)
        left -= ex.minutes
        contacts += dose.contacts or 0
        counts["mobility"] += ex.category == "mobility"
        counts["foot"] += set(ex.patterns) <= {"foot_ankle"}
        counts["power"] += ex.category == "power"
    for ex in chosen:
        used_this_week[ex.id] = used_this_week.get(ex.id, 0) + 1
    return [_item(ex, level, ctx, rule=rule) for ex in chosen]


def _session_kind(items: Sequence[PlanItem], level: str) -> str:
    """The week's level names the session (control → stability, strength, power); a
    power-week session without jumps (taper) is strength; mobility alone is mobility."""
    if all(i.category == "mobility" for i in items):
        return "mobility"
    if level == "power" and not any(i.category == "power" for i in items):
        return "strength"
    return _PHASE_KIND[level]


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
    ev: Evidence, findings: Sequence[Finding], weeks: int
) -> tuple[dict[int, list[str]], frozenset[str]]:
    """Week → tests wanted that week (before packing into the budget), and the tests that
    are baselines (nothing of their kind stored)."""
    stored = {m.key.split(".")[1] for m in (*ev.mobility, *ev.jumps)}
    flagged = sorted(
        {
            f.metric.split(".")[1]
            for f in findings
            if f.severity in ("act", "watch") and f.metric.startswith(("mobility.", "jump."))
        }
    )
    baseline: list[str] = []
    if not ev.video:
        baseline.append("video")
    if not ev.mobility:
        baseline += list(BASELINE_MOBILITY)
    if not ev.jumps:
        baseline += list(BASELINE_JUMPS)
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


def _guardrail(ctx: _Ctx, ev: Evidence) -> tuple[bool, list[str]]:
    if ev.load is None:
        return False, []
    active = [f for f in ev.load.flags if f[0] in ("ramp", "acwr")]
    if not active:
        return False, []
    last = ev.load.last_run
    age = (ctx.request.start - last).days if last is not None else None
    msgs = [f[3] for f in active]
    if age is not None and age > GUARDRAIL_FRESH_DAYS:
        note = (
            f"Your last runs raised a load flag ({'; '.join(msgs)}), but the latest run is "
            f"{age} days before the plan starts: import recent runs so the flag can be "
            "checked again."
        )
        _explain(ctx, "load flag not applied", note, RULES["load-hold"].source)
        return False, [note]
    note = (
        f"Load guardrail: {'; '.join(msgs)}. Hold your running volume at last week's "
        f"level for weeks 1–{GUARDRAIL_WEEKS} (no extra runs or distance); this plan stays "
        "at the control level and adds no plyometrics while the flag is active."
    )
    _explain(ctx, f"hold volume for {GUARDRAIL_WEEKS} weeks", note, RULES["load-hold"].source)
    return True, [note]


def _power_allowed(ctx: _Ctx, ev: Evidence) -> bool:
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
        _explain(ctx, "no plyometric block", why, RULES["power-after-capacity"].source)
    return ok


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
    ctx = _Ctx(request, findings, load_library(), available_equipment(request.equipment), [])
    req = request
    baseline_first = not ev.has_any
    notes: list[str] = []
    if baseline_first:
        notes.append(
            "No data stored yet: the plan starts with baseline tests (video and the "
            "key tests) and general, safe work (hip and core, calf capacity, mobility)."
        )
        _explain(ctx, "baseline first", notes[-1], RULES["baseline-tests"].source)
    guard, guard_notes = _guardrail(ctx, ev)
    phases = block_phases(
        req.weeks,
        min_control=GUARDRAIL_WEEKS if guard else 1,
        power_allowed=_power_allowed(ctx, ev),
    )
    for f in findings:
        named = prescribed_for(f.id)
        if named is not None and f.severity != "info":
            _explain(
                ctx, f"{f.title} → " + ", ".join(named[1]), f"method_spec {named[0]}", f.source
            )
    _explain(
        ctx,
        "block: " + " → ".join(dict.fromkeys(phases)),
        "Dicharry's order: 4–6 weeks of neuromuscular control, then strength, then "
        "power; levels never go back.",
        "Optimize Your Stride (method_spec §1, §7)",
    )
    runs = run_day_offsets(req.run_days)
    _explain(
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
    wanted, ctx.baseline_tests = _retest_plan(ev, findings, ctx.final_week)
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
        _explain(
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


def _choose_cue(ctx: _Ctx) -> tuple[Exercise, tuple[str, ...]] | None:
    """One cue at a time: the highest-priority cue and every finding it answers."""
    lib = {e.id: e for e in ctx.library}
    live = [f for f in ctx.findings if f.severity in ("act", "watch")]
    for prefix, cue_id in _CUE_PRIORITY:
        if not any(f.id.startswith(prefix) for f in live):
            continue
        prefixes = [p for p, c in _CUE_PRIORITY if c == cue_id]
        answered = [f for f in live if f.id.startswith(tuple(prefixes))]
        _explain(
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
    ctx: _Ctx,
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
                        if f.metric.split(".")[1:2] == [t]
                        or (t == "video" and f.metric.startswith("video."))
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
                            reason=("re-test of: " + ", ".join(flagged))
                            if flagged
                            else f"rule {rule}: {RULES[rule].text}",
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
            minutes = min(ex.minutes, left)
            if minutes < 3:
                break
            fb = cue_feedback(ctx.cue_sessions_done, step_rate=ex.id == "step_rate_cue")
            item = _item(ex, level, ctx, minutes=minutes, finding_ids=cue_findings, feedback=fb)
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

    # 3. drills before the workout (or the long run)
    drill_day = next((o for o, r in sorted(runs.items()) if r == "workout"), None)
    if drill_day is None:
        drill_day = next((o for o, r in sorted(runs.items()) if r == "long run"), None)
    reserve_drills = drill_day is not None and left >= 25 and mode[drill_day] == "normal"
    main_left = left - (5 if reserve_drills else 0)

    # 4. skill sessions before easy runs (or on free days), never on the long-run day
    n = 3 if main_left >= 75 else 2 if main_left >= 20 else 1 if main_left >= 8 else 0
    candidates = [o for o, r in sorted(runs.items()) if r == "easy run"]
    candidates += [o for o in range(7) if o not in runs]
    candidates += [o for o, r in sorted(runs.items()) if r == "workout"]
    candidates = [o for o in candidates if mode[o] != "rest"]
    used_week: dict[str, int] = {}
    for o in _spread_days(candidates, n):
        per = min(MAX_SESSION_MIN, main_left // n)
        taper = mode[o] == "taper"
        if taper:
            per //= 2
        allow_power = (
            level == "power"
            and not guard
            and not (req.race_date is not None and (req.race_date - day[o]).days <= 7)
        )
        cats = ["mobility", "stability", "strength"] + (["power"] if allow_power else [])
        items = _pick_items(
            ctx, level, per, used_this_week=used_week, allow_power=allow_power, categories=cats
        )
        if not items:
            continue
        spent = sum(i.minutes for i in items)
        left -= spent
        sessions.append(
            PlanSession(
                day[o],
                _session_kind(items, level),
                tuple(items),
                when=f"before your {runs[o]}" if o in runs else "on a day without a run",
                run=runs.get(o),
                note="taper: half the usual minutes" if taper else None,
            )
        )

    # 5. drills
    if reserve_drills and drill_day is not None:
        items = _pick_items(
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

    # 6. mobility after the long run for flagged mobility patterns
    mob = [
        f
        for f in ctx.findings
        if f.pattern in ("hip_extension", "foot_ankle") and f.severity in ("act", "watch")
    ]
    long_day = next((o for o, r in runs.items() if r == "long run"), None)
    if mob and long_day is not None and left >= 3 and day[long_day] != req.race_date:
        items = _pick_items(
            ctx,
            level,
            min(8, left),
            used_this_week=used_week,
            allow_power=False,
            categories=["mobility"],
            rule="mobility-maintenance",
        )
        if items:
            left -= sum(i.minutes for i in items)
            sessions.append(
                PlanSession(
                    day[long_day],
                    "mobility",
                    tuple(items),
                    when=f"after your {runs[long_day]}",
                    run=runs[long_day],
                )
            )
    if in_block:
        notes.append(
            "race taper: strength halved in the last 10 days, no plyometrics in the "
            "last 7, rest 2 days before to 3 days after the race"
        )
    order = {k: i for i, k in enumerate(SESSION_KINDS)}
    sessions.sort(key=lambda s: (s.date, order[s.kind] if s.kind != "retest" else -1))
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
