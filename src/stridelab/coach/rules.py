"""The named rules a plan follows, the re-test catalogue and the block shape.

Every plan item that does not answer a finding answers one of :data:`RULES`; each rule
names its source (method_spec.md, analytics_anchors.md). Pure data and pure functions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = [
    "CUE_ACQUISITION_SESSIONS",
    "CUE_FEEDBACK_PCT",
    "GUARDRAIL_FRESH_DAYS",
    "GUARDRAIL_WEEKS",
    "PRESCRIBED",
    "RETEST_EVERY_WEEKS",
    "RULES",
    "TESTS",
    "Rule",
    "TestSpec",
    "block_phases",
    "cue_feedback",
    "prescribed_for",
    "run_day_offsets",
]


@dataclass(frozen=True)
class Rule:
    id: str
    text: str
    source: str


_RULES = (
    Rule(
        "baseline-tests",
        "Nothing of this kind is stored: test first so the plan can aim and progress shows.",
        "method_spec §7 (retesting); Dicharry's self-tests before the workouts",
    ),
    Rule(
        "retest",
        "Re-test every 4 weeks and at the end of the block; count change only beyond the "
        "test's minimal detectable change (else 10%).",
        "method_spec §7 (retest every 4–6 weeks; WBLT 1.9 cm, FPPA ~8°, heel raise ±6 reps)",
    ),
    Rule(
        "general-hip-core",
        "General safe work: hip and core first.",
        "Leppänen et al. 2024, BJSM (hip-and-core training before runs: overuse HR 0.66)",
    ),
    Rule(
        "general-calf-capacity",
        "Build calf and leg capacity before plyometrics.",
        "method_spec rules 6–7 (design); Lauersen 2018 (strength training RR 0.34)",
    ),
    Rule(
        "general-foot-ankle",
        "Small doses of foot work, always paired with hip work.",
        "Taddei 2020 (foot-core training helped); Leppänen 2024 (ankle-and-foot alone: more "
        "acute injuries)",
    ),
    Rule(
        "strength-for-running",
        "Strength twice a week for running economy and injury risk.",
        "Blagrove 2018 (RE +2–8%); Eihara 2022 (heavy resistance g −0.32); Lauersen 2018",
    ),
    Rule(
        "power-after-capacity",
        "Plyometrics only after the heel-raise and single-leg squat tests pass, combined "
        "with strength work, at most 200 contacts a session.",
        "method_spec rule 7; Dudagoitia Barrio 2023 (plyometrics alone ES 0.19, with "
        "resistance 1.34); Balsalobre-Fernández 2016 (≤ 200 jumps)",
    ),
    Rule(
        "drills-before-workout",
        "Drills before a workout as motor-skill practice (no trial shows an effect of drills "
        "on economy or injury).",
        "method_spec §5 (drills: RCT evidence not found)",
    ),
    Rule(
        "mobility-maintenance",
        "Short mobility after a run for the patterns the tests flagged.",
        "Dicharry (hip-flexor stretch 3 min as weekly maintenance; calf stretch 2–3 min)",
    ),
    Rule(
        "load-hold",
        "A ramp or acute:chronic flag is active: hold running volume for two weeks and add "
        "no plyometrics.",
        "Nielsen 2014, JOSPT (>30% over 2 weeks: HR 1.59); Gabbett 2016; Impellizzeri 2020",
    ),
    Rule(
        "strength-taper",
        "Taper strength work before the race: in the last 10 days half the minutes, one "
        "set fewer and only exercises already practised; at most one short session in the "
        "last 7 days and no plyometrics there (none started in the last 14); nothing in "
        "the last 2 days or the 3 days after.",
        "design from common practice (no trial of strength tapers in recreational runners "
        "was found)",
    ),
)
RULES: Mapping[str, Rule] = {r.id: r for r in _RULES}


@dataclass(frozen=True)
class TestSpec:
    id: str
    name: str
    minutes: int
    source: str


_TESTS = (
    TestSpec("video", "Run video: side view at easy pace (and rear view)", 8, "stridelab video"),
    TestSpec("ankle_dorsiflexion", "Knee-to-wall ankle test", 3, "Powden 2015 (MDC 1.9 cm)"),
    TestSpec("hip_extension", "Kneeling doorway hip-extension test", 4, "Running Rewired"),
    TestSpec("single_leg_squat", "Single-leg squat (front video)", 3, "Munro 2012 (SDD ~8°)"),
    TestSpec("calf_raise", "Single-leg heel raise to fatigue", 4, "Hébert-Losier 2017"),
    TestSpec("side_plank", "Side plank hold, each side", 6, "McGill 1999"),
    TestSpec("single_leg_balance", "Single-leg balance, eyes open/closed", 3, "Springer 2007"),
    TestSpec("big_toe_extension", "Big-toe extension (phone level)", 2, "podiapaedia"),
    TestSpec("plank", "Prone plank hold", 3, "Strand 2014"),
    TestSpec("cmj", "Countermovement jump (best of 3)", 3, "Balsalobre-Fernández 2015"),
    TestSpec("rj10-5", "10/5 repeated jump test", 3, "Comyns 2019; Stratford 2020"),
    TestSpec("drop", "Drop jump from 20–30 cm", 4, "Li 2021"),
    TestSpec("pogo", "Pogo hops", 2, "baseline only"),
    TestSpec("squat", "Squat jump", 3, "Balsalobre-Fernández 2015"),
)
#: Re-tests in priority order (the order they are packed into a week).
TESTS: Mapping[str, TestSpec] = {t.id: t for t in _TESTS}
BASELINE_MOBILITY = (
    "ankle_dorsiflexion",
    "hip_extension",
    "single_leg_squat",
    "calf_raise",
    "side_plank",
    "single_leg_balance",
    "big_toe_extension",
    "plank",
)
BASELINE_JUMPS = ("cmj", "rj10-5")

RETEST_EVERY_WEEKS = 4
#: Weeks volume is held after an active ramp/ACWR flag (Nielsen 2014: 2-week window).
GUARDRAIL_WEEKS = 2
#: A flag counts as active when the last run is at most this many days before the start.
GUARDRAIL_FRESH_DAYS = 14
#: Cue sessions with (then faded) feedback: 8 sessions over 2–4 weeks, feedback faded over
#: the second half (Willy 2016; Davis 2020 review: 8–18 sessions, 3–4 a week).
CUE_ACQUISITION_SESSIONS = 8
CUE_FEEDBACK_PCT = (100, 100, 100, 100, 75, 50, 25, 0)


def cue_feedback(session_index: int, /, *, step_rate: bool = True) -> tuple[int, str]:
    """Feedback share (%) and instruction for the n-th cue session (0-based). The step-rate
    cue uses a metronome; other cues a reminder (a watch alert every minute)."""
    tool, check = (
        ("metronome", "check the step rate on the watch afterwards")
        if step_rate
        else ("reminder (watch alert every minute)", "check yourself at the end of the run")
    )
    acquiring = session_index < CUE_ACQUISITION_SESSIONS
    pct = CUE_FEEDBACK_PCT[session_index] if acquiring else 0
    if pct == 100:
        text = f"{tool} on for the whole cue time"
    elif pct > 0:
        text = f"{tool} on for the first {pct}% of the cue time, then hold the cue without it"
    elif acquiring:
        text = f"no {tool.split(' (')[0]}: run by feel, {check}"
    else:
        text = f"self-check only: no feedback during the run, {check}"
    return pct, text


def block_phases(weeks: int, /, *, min_control: int = 1, power_allowed: bool = True) -> list[str]:
    """Phase per week, never going back: control (about 40%, at most 6 weeks — Dicharry's
    4–6 week neuromuscular level), then strength, then power (the last quarter)."""
    control = min(weeks, max(min_control, 1, min(6, round(0.4 * weeks))))
    power = weeks // 4 if weeks >= 4 else 0
    power = min(power, weeks - control)
    strength = weeks - control - power
    if not power_allowed:
        strength, power = strength + power, 0
    return ["control"] * control + ["strength"] * strength + ["power"] * power


_RUN_OFFSETS = {
    1: (6,),
    2: (2, 6),
    3: (1, 3, 6),
    4: (0, 2, 4, 6),
    5: (0, 1, 3, 4, 6),
    6: (0, 1, 2, 3, 4, 6),
    7: (0, 1, 2, 3, 4, 5, 6),
}


def run_day_offsets(run_days: int, /) -> dict[int, str]:
    """Day offset in the week (0 = the week's first day) → run name: the last is the long
    run, with 3+ runs the middle one is the workout, the others are easy runs."""
    offsets = _RUN_OFFSETS[run_days]
    roles = {d: "easy run" for d in offsets}
    roles[offsets[-1]] = "long run"
    if run_days >= 3:
        roles[offsets[len(offsets) // 2 - (1 if run_days % 2 == 0 else 0)]] = "workout"
    return roles


#: The method's prescription rules (method_spec §7): a finding (by id prefix) → library
#: exercises it names first. Items chosen this way cite the finding; the rule number is
#: in the explanation.
PRESCRIBED: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "hip_extension-hip_extension": (
        "rule 1 (book): kneeling hip-flexor stretch 3 min a side, plus bridges, split squats, "
        "single-leg RDL",
        ("kneeling_hip_flexor_stretch", "single_leg_bridge", "split_squat", "single_leg_rdl"),
    ),
    "foot_ankle-ankle_dorsiflexion": (
        "rule 2 (book): calf stretch on a slant board 2–3 min, plus knee-to-wall rocks",
        ("slant_board_calf_stretch", "knee_to_wall_rocks"),
    ),
    "foot_ankle-big_toe_extension": (
        "rule 3: toe-extension mobility and tripod drills, paired with hip work",
        ("big_toe_extension_mobilisation", "short_foot_tripod"),
    ),
    "core_control-single_leg": (
        "rule 4 (book + Leppänen 2024): clamshell → side plank → step-down → single-leg RDL",
        ("clamshell", "side_plank", "step_down", "floor_step_down", "single_leg_rdl"),
    ),
    "core_control-pelvic-drop": (
        "rule 4 (book + Leppänen 2024): clamshell → side plank → step-down → single-leg RDL",
        ("clamshell", "side_plank", "step_down", "floor_step_down", "single_leg_rdl"),
    ),
    "core_control-plank": (
        "rule 5: plank and side-plank progressions toward the norm time",
        ("front_plank", "side_plank"),
    ),
    "core_control-side_plank": (
        "rule 5: plank and side-plank progressions toward the McGill ratios",
        ("side_plank", "front_plank"),
    ),
    "capacity-calf_raise": (
        "rule 6: single-leg heel raises, slow eccentric → weighted → pogo",
        ("single_leg_heel_raise", "step_heel_raise", "weighted_heel_raise"),
    ),
    "reactivity-": (
        "rule 7: plyometric block (pogos, skips, hops) with resistance work",
        ("pogo_hops", "skipping_rope", "single_leg_hops"),
    ),
    "core_control-upright-trunk": (
        "rule 9: slight forward lean cue plus hip-extensor strengthening (Teng & Powers)",
        ("single_leg_bridge", "single_leg_rdl", "split_squat", "dumbbell_single_leg_rdl"),
    ),
}


def prescribed_for(finding_id: str, /) -> tuple[str, tuple[str, ...]] | None:
    """The method's named exercises for a finding (``None`` when no rule names any)."""
    for prefix, value in PRESCRIBED.items():
        if finding_id.startswith(prefix):
            return value
    return None
