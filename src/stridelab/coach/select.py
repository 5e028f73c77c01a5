"""Choosing a session's exercises: scores, packing rules and the session's name.

In: the findings, the library and the week's level (control, strength, power). Out:
:class:`~stridelab.coach.model.PlanItem` lists that fit the minutes, the equipment and
the packing rules below, each naming the finding or rule it answers. Deterministic:
ties break on the exercise id. Used by :mod:`stridelab.coach.plan`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from stridelab.coach.findings import Finding
from stridelab.coach.library import MAX_CONTACTS_PER_SESSION, Exercise
from stridelab.coach.model import PlanItem, PlanRequest
from stridelab.coach.rules import RULES, prescribed_for

__all__ = [
    "FAMILY",
    "MAX_SESSION_ITEMS",
    "MAX_SESSION_MIN",
    "NO_NEW_POWER_DAYS",
    "POWER_INTRO",
    "POWER_INTRO_MAX_CONTACTS",
    "POWER_INTRO_SESSIONS",
    "POWER_SESSIONS_PER_WEEK",
    "RACE_WEEK_DAYS",
    "SESSION_CATEGORIES",
    "PlanContext",
    "explain",
    "finding_links",
    "foot_without_hip",
    "general_rule",
    "make_item",
    "mobility_for",
    "pick_items",
    "session_kind",
]

#: Longest skill session, min (Saunders 2006: 3 × 30 min; the method's 2 × 20 min).
MAX_SESSION_MIN = 40
#: Most exercises in one session: a few done with attention beat many done in a hurry.
MAX_SESSION_ITEMS = 5
#: The category that leads a skill session at each level (at least half its minutes when
#: the library allows): control is stability work, then strength, then power.
_PHASE_KIND = {"control": "stability", "strength": "strength", "power": "power"}
#: Variants of one movement: one per session (a runner below the heel-raise norm gets one
#: heel-raise exercise, progressed, not three in a row — method_spec rule 6).
FAMILY = {
    "single_leg_heel_raise": "heel_raise",
    "step_heel_raise": "heel_raise",
    "weighted_heel_raise": "heel_raise",
    "split_squat": "split_squat",
    "rear_foot_elevated_split_squat": "split_squat",
    "single_leg_rdl": "single_leg_rdl",
    "dumbbell_single_leg_rdl": "single_leg_rdl",
    "chair_squat": "squat",
    "goblet_squat": "squat",
    "clamshell": "clamshell",
    "banded_clamshell": "clamshell",
    "step_down": "step_down",
    "floor_step_down": "step_down",
    "glute_bridge": "bridge",
    "single_leg_bridge": "bridge",
}
#: Findings whose pattern is broader than what answers them: the exercise needs these
#: patterns too (a squat does not answer a failed heel-raise test; a clamshell does not
#: answer an upright trunk — rule 9 asks for hip-extensor work).
_FINDING_NEEDS = {
    "capacity-calf_raise": frozenset({"foot_ankle"}),
    "core_control-upright-trunk": frozenset({"hip_extension"}),
}
_SIDE_SUFFIX = re.compile(r"-(left|right|asymmetry)$")
#: Order of work inside a session: mobility to prepare, jumps while fresh, then strength,
#: then trunk and single-leg control.
SESSION_CATEGORIES = ("mobility", "power", "strength", "stability", "drill", "cue")
#: The low-intensity jumps a plyometric block starts with, and for how many sessions.
POWER_INTRO = frozenset({"pogo_hops", "skipping_rope", "line_hops"})
POWER_INTRO_SESSIONS = 3
#: Jump contacts a session while the block is new to jumps (trial protocols go up to
#: 200; a first exposure starts well below that). *Design*.
POWER_INTRO_MAX_CONTACTS = 100
#: Plyometric sessions a week (the trials: 2–3 a week; two leave room for the runs).
POWER_SESSIONS_PER_WEEK = 2
#: Days before a race that count as race week: at most one short skill session there.
RACE_WEEK_DAYS = 7
#: No first plyometric session this close to a race (no new stimulus in the taper), days.
NO_NEW_POWER_DAYS = 14
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


@dataclass
class PlanContext:
    """What the planner carries from week to week (mutable on purpose, one per plan)."""

    request: PlanRequest
    findings: tuple[Finding, ...]
    library: tuple[Exercise, ...]
    available: frozenset[str]
    explain: list[dict[str, str]]
    cue_sessions_done: int = 0
    final_week: int = 0
    baseline_tests: frozenset[str] = frozenset()
    tested: set[str] = field(default_factory=set)
    practised: set[str] = field(default_factory=set)
    power_sessions: int = 0
    race_week_sessions: int = 0


def explain(ctx: PlanContext, choice: str, why: str, source: str = "") -> None:
    ctx.explain.append({"choice": choice, "why": why, "source": source})


def finding_links(ex: Exercise, findings: Sequence[Finding]) -> tuple[float, tuple[str, ...]]:
    """How strongly an exercise answers the findings: pattern matches weighted by severity
    and confidence, doubled when the method's rule names the exercise for the finding.
    One test seen on both sides (and their difference) counts once, at its strongest."""
    best: dict[str, float] = {}
    ids = []
    for f in findings:
        if f.severity == "info" or f.pattern == "baseline":
            continue  # a baseline or an "all is well" finding is not something to answer
        named = prescribed_for(f.id)
        is_named = named is not None and ex.id in named[1]
        needs = next((n for p, n in _FINDING_NEEDS.items() if f.id.startswith(p)), frozenset())
        if (f.pattern in ex.patterns and needs <= set(ex.patterns)) or is_named:
            weight = _SEVERITY_WEIGHT[f.severity] * _CONFIDENCE_WEIGHT[f.confidence]
            group = _SIDE_SUFFIX.sub("", f.id)
            best[group] = max(best.get(group, 0.0), weight * (2.0 if is_named else 1.0))
            ids.append(f.id)
    return sum(best.values()), tuple(ids)


def general_rule(ex: Exercise) -> tuple[float, str]:
    best = max((_GENERAL[p] for p in ex.patterns), key=lambda rw: rw[1])
    return best[1], best[0]


def make_item(
    ex: Exercise,
    level: str,
    ctx: PlanContext,
    *,
    minutes: int | None = None,
    rule: str | None = None,
    finding_ids: tuple[str, ...] | None = None,
    feedback: tuple[int, str] | None = None,
    taper: bool = False,
) -> PlanItem:
    if finding_ids is None:
        _, finding_ids = finding_links(ex, [f for f in ctx.findings if f.pattern != "baseline"])
    if finding_ids:
        titles = {f.id: f.title for f in ctx.findings}
        reason = "answers: " + "; ".join(dict.fromkeys(titles[i] for i in finding_ids))
        rule = None
    else:
        rule = rule or general_rule(ex)[1]
        reason = RULES[rule].text  # the rule id is in `rule`
    dose = ex.dosage.get(level)
    if dose is not None and taper and dose.sets > 1:
        # taper: one set fewer (and the contacts with it), the same movement
        contacts = dose.contacts * (dose.sets - 1) // dose.sets if dose.contacts else None
        dose = replace(dose, sets=dose.sets - 1, contacts=contacts)
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


def pick_items(
    ctx: PlanContext,
    level: str,
    minutes: int,
    *,
    used_this_week: dict[str, int],
    allow_power: bool,
    categories: Sequence[str],
    rule: str | None = None,
    taper: bool = False,
    max_contacts: int = MAX_CONTACTS_PER_SESSION,
) -> list[PlanItem]:
    """Fill ``minutes`` with the best-scoring eligible exercises (deterministic).

    The level's leading category (stability, strength, power) is packed first until it
    holds at least half the minutes, then one hip or trunk exercise if none is in yet,
    then the rest by score. Per session: one mobility
    item, one variant of each movement (:data:`FAMILY`), at most two power items within
    the contact cap, and at most one foot/ankle item without hip, trunk or calf work
    (foot work is paired with hip work: Leppänen 2024, ankle-and-foot alone brought more
    acute injuries). In a taper only
    exercises already practised in the block are used (nothing new before a race).
    """
    live = [f for f in ctx.findings if f.pattern != "baseline"]
    ranked: list[tuple[float, str, Exercise]] = []
    for ex in ctx.library:
        if ex.category not in categories or level not in ex.dosage or not ex.fits(ctx.available):
            continue
        if ex.category == "power" and not allow_power:
            continue
        intro = ctx.power_sessions < POWER_INTRO_SESSIONS
        if ex.category == "power" and intro and ex.id not in POWER_INTRO:
            continue  # low, quick hops first: pogo → skips → hops (method_spec §7)
        if taper and ctx.practised and ex.id not in ctx.practised:
            continue
        f_score, _ = finding_links(ex, live)
        g_score, _ = general_rule(ex)
        bonus = {
            "control": {"stability": 0.6, "mobility": 0.2},
            "strength": {"strength": 1.0, "stability": 0.2},
            "power": {"power": 1.2, "strength": 0.6},
        }[level].get(ex.category, 0.0)
        score = f_score + g_score + bonus - 1.5 * used_this_week.get(ex.id, 0)
        ranked.append((-score, ex.id, ex))
    ranked.sort(key=lambda t: (t[0], t[1]))
    chosen: list[Exercise] = []
    state = {"left": minutes, "contacts": 0}

    def fits(ex: Exercise) -> bool:
        if ex in chosen or ex.minutes > state["left"] or len(chosen) >= MAX_SESSION_ITEMS:
            return False
        dose = ex.dosage[level]
        family = FAMILY.get(ex.id, ex.id)
        if any(FAMILY.get(c.id, c.id) == family for c in chosen):
            return False
        if ex.category == "mobility" and any(c.category == "mobility" for c in chosen):
            return False
        if foot_without_hip(ex) and any(foot_without_hip(c) for c in chosen):
            return False  # one foot/ankle drill a session, the rest hip and trunk work
        if ex.category == "power" and sum(c.category == "power" for c in chosen) >= 2:
            return False
        return not (dose.contacts and state["contacts"] + dose.contacts > max_contacts)

    def take(ex: Exercise) -> None:
        chosen.append(ex)
        state["left"] -= ex.minutes
        state["contacts"] += ex.dosage[level].contacts or 0

    lead = _PHASE_KIND[level]
    for _, _, ex in ranked:  # 1. the level's leading category, up to half the minutes
        lead_min = sum(c.minutes for c in chosen if c.category == lead)
        if 2 * lead_min >= minutes:
            break
        if ex.category == lead and fits(ex):
            take(ex)
    hip_core = {"hip_extension", "core_control"}
    for _, _, ex in ranked:  # 2. hip and trunk work in every session (Leppänen 2024)
        if any(hip_core & set(c.patterns) for c in chosen):
            break
        if hip_core & set(ex.patterns) and fits(ex):
            take(ex)
    for _, _, ex in ranked:  # 3. the rest by score
        if fits(ex):
            take(ex)
    for ex in chosen:
        used_this_week[ex.id] = used_this_week.get(ex.id, 0) + 1
        ctx.practised.add(ex.id)
    rank = {ex.id: n for n, (_, _, ex) in enumerate(ranked)}
    chosen.sort(key=lambda ex: (SESSION_CATEGORIES.index(ex.category), rank[ex.id]))
    return [make_item(ex, level, ctx, rule=rule, taper=taper) for ex in chosen]


def mobility_for(ctx: PlanContext, level: str, max_minutes: int) -> Exercise | None:
    """The mobility exercise that best answers the flagged hip-extension and ankle/foot
    findings (the method's named stretch first), within ``max_minutes``; ``None`` when
    no such finding is open or nothing fits."""
    mob = [
        f
        for f in ctx.findings
        if f.pattern in ("hip_extension", "foot_ankle") and f.severity in ("act", "watch")
    ]
    best: tuple[float, int, str, Exercise] | None = None
    for ex in ctx.library:
        if ex.category != "mobility" or level not in ex.dosage or not ex.fits(ctx.available):
            continue
        score, _ = finding_links(ex, mob)
        if score <= 0 or ex.minutes > max_minutes:
            continue
        key = (-score, ex.minutes, ex.id, ex)
        if best is None or key[:3] < best[:3]:
            best = key
    return None if best is None else best[3]


def foot_without_hip(ex: Exercise) -> bool:
    """Foot/ankle work that trains neither the hip, the trunk nor calf capacity."""
    return "foot_ankle" in ex.patterns and not {
        "hip_extension",
        "core_control",
        "capacity",
    } & set(ex.patterns)


def session_kind(items: Sequence[PlanItem], level: str) -> str:
    """What the session holds: power when it has jumps, else the category with the most
    minutes of stability and strength (a tie goes to the week's level), mobility when it
    holds only mobility. A session's name never claims work it does not contain."""
    mins = {c: sum(i.minutes for i in items if i.category == c) for c in SESSION_CATEGORIES}
    if mins["power"]:
        return "power"
    if not mins["strength"] and not mins["stability"]:
        return "mobility"
    if mins["strength"] == mins["stability"]:
        return "stability" if level == "control" else "strength"
    return "strength" if mins["strength"] > mins["stability"] else "stability"
