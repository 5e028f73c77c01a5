"""The findings engine: what was measured, how sure we are, why it matters.

In: everything stored for an athlete — video gait analyses, runs (cadence–speed curve,
load flags, shoes), jump tests and mobility/stability tests. Out: a list of
:class:`Finding`, each tied to one movement pattern, with the numbers seen, a
confidence and its reason, one sentence on why it matters and its source.

:func:`collect_evidence` reads the database; :func:`findings_from_evidence` is pure, so
every rule can be tested against exact synthetic values.

Thresholds marked *design* are stridelab's choices where the literature gives no
cut-off (see ``docs/coaching.md``); the finding's ``source`` says so.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args

from stridelab.coach.evidence import (
    CadenceEvidence,
    Evidence,
    LoadEvidence,
    Measurement,
    collect_evidence,
)
from stridelab.store import Database

__all__ = [
    "CADENCE_STEP_RATE_PCT",
    "FINDING_PATTERNS",
    "JUMP_TESTS_METRIC",
    "MOBILITY_PATTERN",
    "OVERSTRIDE_CM",
    "OVERSTRIDE_PCT_LEG",
    "PELVIC_DROP_DEG",
    "SHANK_ANGLE_DEG",
    "TRUNK_UPRIGHT_DEG",
    "CadenceEvidence",
    "Evidence",
    "Finding",
    "LoadEvidence",
    "Measurement",
    "collect_evidence",
    "find_findings",
    "findings_from_evidence",
]

log = logging.getLogger(__name__)

Pattern = Literal[
    "landing",
    "hip_extension",
    "core_control",
    "counter_rotation",
    "foot_ankle",
    "reactivity",
    "capacity",
    "load",
    "shoes",
    "cadence",
    "baseline",
]
FINDING_PATTERNS: tuple[str, ...] = get_args(Pattern)
Confidence = Literal["high", "medium", "low"]
Severity = Literal["info", "watch", "act"]

#: Overstride (heel ahead of the pelvis at contact) that raises a finding, cm. *Design*:
#: no published cm cut-off exists (Wille 2014 gives a sliding scale).
OVERSTRIDE_CM = 10.0
#: The same without a scale, % of leg length. *Design*.
OVERSTRIDE_PCT_LEG = 12.0
#: Shank angle at contact (ankle ahead of the knee) that raises a finding, deg. *Design*:
#: Souza 2016 gives no numeric norm; hobby tools call 0–5° "good" (unsourced).
SHANK_ANGLE_DEG = 6.0
#: Trunk lean below which the runner counts as upright, deg. *Design*, between the
#: low-lean (3.6 ± 2.8°) and high-lean (10.8 ± 2.2°) groups of Teng & Powers 2015.
TRUNK_UPRIGHT_DEG = 5.0
#: Contralateral pelvic drop that raises a finding, deg. *Design*: no healthy norm;
#: +1° went with 80% higher odds of being in the injured group (Bramah 2018).
PELVIC_DROP_DEG = 5.0
#: Arm-swing left/right asymmetry that raises a counter-rotation finding, %. *Design*.
ARM_ASYMMETRY_PCT = 20.0
#: Step-rate change supported by evidence, % (Heiderscheit 2011: +5% and +10%;
#: Willy 2016: +7.5% cue, +8.6% achieved).
CADENCE_STEP_RATE_PCT = (5.0, 10.0)
#: Steps to average in a video for a high-confidence metric (Dingenen 2018: ≥ 7).
MIN_STEPS_HIGH = 7
#: Mobility/stability test → pattern.
MOBILITY_PATTERN: Mapping[str, Pattern] = {
    "ankle_dorsiflexion": "foot_ankle",
    "big_toe_extension": "foot_ankle",
    "hip_extension": "hip_extension",
    "single_leg_squat": "core_control",
    "single_leg_balance": "core_control",
    "calf_raise": "capacity",
    "plank": "core_control",
    "side_plank": "core_control",
}
#: Jump test → (summary key, unit, pattern).
JUMP_TESTS_METRIC: Mapping[str, tuple[str, str, Pattern]] = {
    "cmj": ("best_height_cm", "cm", "capacity"),
    "squat": ("best_height_cm", "cm", "capacity"),
    "rj10-5": ("best_rsi", "", "reactivity"),
    "drop": ("best_rsi", "", "reactivity"),
    "pogo": ("best_rsi", "", "reactivity"),
}
#: Relative change in a jump result that counts as real, %. *Design*: no MDC for runners;
#: the method counts change ≥ 10% where no MDC is known (method_spec §7 retesting).
JUMP_CHANGE_PCT = 10.0

_HEIDERSCHEIT = (
    "Heiderscheit et al. 2011, Med Sci Sports Exerc 43:296 (+5% and +10% step rate cut knee "
    "energy absorption); Willy et al. 2016, Scand J Med Sci Sports (+7.5% cue, retained)"
)


@dataclass(frozen=True)
class Finding:
    """One finding: what was seen, how sure, why it matters, which pattern."""

    id: str
    pattern: Pattern
    title: str
    seen: str
    confidence: Confidence
    confidence_reason: str
    why: str
    source: str
    severity: Severity
    metric: str
    value: float | None
    unit: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "pattern": self.pattern,
            "title": self.title,
            "seen": self.seen,
            "confidence": self.confidence,
            "confidence_reason": self.confidence_reason,
            "why": self.why,
            "source": self.source,
            "severity": self.severity,
            "metric": self.metric,
            "value": None if self.value is None else round(float(self.value), 3),
            "unit": self.unit,
        }


# ------------------------------------------------------------------------- rules


def _latest(ms: Sequence[Measurement]) -> dict[str, Measurement]:
    """The newest measurement per key (ties: the later one in the sequence)."""
    out: dict[str, Measurement] = {}
    for m in ms:
        if m.key not in out or m.on >= out[m.key].on:
            out[m.key] = m
    return out


def _video_confidence(m: Measurement) -> tuple[Confidence, str]:
    unc = f"; method uncertainty ±{m.uncertainty:.1f} {m.unit}" if m.uncertainty else ""
    if m.quality == "good" and m.n >= MIN_STEPS_HIGH:
        return "high", f"good-quality video metric over {m.n} steps (≥ {MIN_STEPS_HIGH}){unc}"
    if m.quality in ("good", "fair") and m.n >= 4:
        return (
            "medium",
            f"{m.quality} video metric over {m.n} steps (≥ {MIN_STEPS_HIGH} recommended, "
            f"Dingenen 2018){unc}",
        )
    return "low", f"{m.quality} video metric over only {m.n} steps{unc}"


def _landing(v: Mapping[str, Measurement]) -> list[Finding]:
    over = v.get("video.overstride_cm")
    over_pct = v.get("video.overstride_pct_leg")
    shank = v.get("video.shank_angle_deg")
    over_hit = (over is not None and over.value >= OVERSTRIDE_CM) or (
        over is None and over_pct is not None and over_pct.value >= OVERSTRIDE_PCT_LEG
    )
    shank_hit = shank is not None and shank.value >= SHANK_ANGLE_DEG
    if not (over_hit or shank_hit):
        return []
    main = over if over is not None and over_hit else (over_pct if over_hit else shank)
    assert main is not None
    parts = []
    if over is not None:
        parts.append(f"overstride {over.value:.1f} cm (heel ahead of the pelvis at contact)")
    elif over_pct is not None:
        parts.append(f"overstride {over_pct.value:.1f}% of leg length")
    if shank is not None:
        parts.append(f"shank angle at contact {shank.value:.1f}°")
    conf, reason = _video_confidence(main)
    metric_key = main.key.removeprefix("video.")
    return [
        Finding(
            id="landing-overstride",
            pattern="landing",
            title="Foot lands ahead of the body",
            seen=f"{'; '.join(parts)} in the video of {main.on.isoformat()} "
            f"(stridelab flags ≥ {OVERSTRIDE_CM:g} cm or ≥ {SHANK_ANGLE_DEG:g}°)",
            confidence=conf,
            confidence_reason=reason,
            why="Landing far ahead of the centre of mass brakes each step and loads the knee; "
            "a 5–10% higher step rate brings the foot closer under the body.",
            source="Wille 2014 (overstride, sliding scale); "
            + _HEIDERSCHEIT
            + "; thresholds are stridelab design choices (no published cut-off)",
            severity="act" if over_hit and shank_hit else "watch",
            metric=main.key,
            value=main.value,
            unit=main.unit or ("cm" if metric_key == "overstride_cm" else ""),
        )
    ]


def _trunk_pelvis_arms(v: Mapping[str, Measurement]) -> list[Finding]:
    out: list[Finding] = []
    trunk = v.get("video.trunk_lean_deg")
    if trunk is not None and trunk.value < TRUNK_UPRIGHT_DEG:
        conf, reason = _video_confidence(trunk)
        out.append(
            Finding(
                id="core_control-upright-trunk",
                pattern="core_control",
                title="Very upright trunk",
                seen=f"trunk lean {trunk.value:.1f}° forward (video {trunk.on.isoformat()}; "
                f"below {TRUNK_UPRIGHT_DEG:g}°)",
                confidence=conf,
                confidence_reason=reason,
                why="A slight forward lean shifts work from the knee to the hip extensors and "
                "lowered patellofemoral stress.",
                source="Teng & Powers 2014, JOSPT (14.1° vs 7.3°: 20.2 vs 21.5 MPa); Teng & "
                "Powers 2015, MSSE; threshold is a stridelab design choice",
                severity="watch",
                metric=trunk.key,
                value=trunk.value,
                unit="deg",
            )
        )
    drop = v.get("video.pelvic_drop_deg")
    if drop is not None and drop.value >= PELVIC_DROP_DEG:
        conf, reason = _video_confidence(drop)
        out.append(
            Finding(
                id="core_control-pelvic-drop",
                pattern="core_control",
                title="Pelvis drops on the swing side",
                seen=f"contralateral pelvic drop {drop.value:.1f}° at midstance (rear video "
                f"{drop.on.isoformat()}; stridelab flags ≥ {PELVIC_DROP_DEG:g}°)",
                confidence=conf,
                confidence_reason=reason + "; 2D pelvic drop SDD 2.7–2.8° (Dingenen 2018)",
                why="More pelvic drop went with being in the injured group; hip-and-core "
                "training reduced overuse injuries in novice runners.",
                source="Bramah et al. 2018, AJSM (+1° → 80% higher odds); Leppänen et al. "
                "2024, BJSM (hip-and-core HR 0.66); threshold is a design choice",
                severity="act" if drop.value >= PELVIC_DROP_DEG + 3 else "watch",
                metric=drop.key,
                value=drop.value,
                unit="deg",
            )
        )
    hip = v.get("video.hip_extension_to_deg")
    if hip is not None and hip.value < 10.0:
        conf, reason = _video_confidence(hip)
        out.append(
            Finding(
                id="hip_extension-video",
                pattern="hip_extension",
                title="Little hip extension at toe-off",
                seen=f"hip extension at toe-off {hip.value:.1f}° (video {hip.on.isoformat()})",
                confidence="low" if conf != "high" else "medium",
                confidence_reason=reason + "; no peer-reviewed norm, compared with 10° (design)",
                why="Propulsion comes from the hip extending behind the body; a stiff hip "
                "makes the runner push with the knee and lower back instead.",
                source="Dicharry via Beckham, The Biomechanics of Good Running; no "
                "peer-reviewed norm (video_anchors §5)",
                severity="info",
                metric=hip.key,
                value=hip.value,
                unit="deg",
            )
        )
    arms = v.get("video.arm_swing_deg")
    asym = arms.extra.get("asymmetry_pct") if arms is not None else None
    if arms is not None and isinstance(asym, int | float) and abs(asym) > ARM_ASYMMETRY_PCT:
        conf, reason = _video_confidence(arms)
        out.append(
            Finding(
                id="counter_rotation-arm-asymmetry",
                pattern="counter_rotation",
                title="Arm swing differs left and right",
                seen=f"arm swing {arms.value:.0f}° with {abs(asym):.0f}% left/right "
                f"difference (video {arms.on.isoformat()})",
                confidence="medium" if conf == "high" else "low",
                confidence_reason=reason + "; the far arm is partly hidden in a side view",
                why="Arms counter the rotation of the pelvis; keeping a relaxed, even swing "
                "is advised, not suppressing it.",
                source="Moore 2016, Sports Med (keep arm swing); threshold is a design choice",
                severity="watch",
                metric=arms.key,
                value=float(asym),
                unit="%",
            )
        )
    return out


def _cadence(ev: Evidence, landing: bool, v: Mapping[str, Measurement]) -> list[Finding]:
    lo, hi = CADENCE_STEP_RATE_PCT
    if ev.cadence is not None:
        c = ev.cadence
        pace_s = round(1000.0 / c.easy_speed_m_s)
        target = (c.expected_spm * (1 + lo / 100), c.expected_spm * (1 + 7.5 / 100))
        seen = (
            f"your own cadence–speed curve ({c.n_points} steady stretches) gives "
            f"{c.expected_spm:.0f} steps/min at your easy pace {pace_s // 60}:{pace_s % 60:02d}"
            f" /km (±{c.residual_sd_spm:.1f})"
        )
        if landing:
            seen += (
                f"; a +{lo:g}% then +7.5% cue means {target[0]:.0f} then {target[1]:.0f} "
                "steps/min at that same pace"
            )
        conf: Confidence = "high" if c.n_points >= 20 else "medium" if c.n_points >= 8 else "low"
        reason = f"curve fitted on {c.n_points} steady stretches of your runs"
        value, metric = c.expected_spm, "cadence.easy_spm"
    else:
        vc = v.get("video.cadence_spm")
        if vc is None:
            return []
        seen = f"{vc.value:.0f} steps/min in the video of {vc.on.isoformat()} (speed unknown)"
        if landing:
            seen += (
                f"; a +{lo:g}% then +7.5% cue means about {vc.value * 1.05:.0f} then "
                f"{vc.value * 1.075:.0f} steps/min at that pace"
            )
        conf = "medium" if vc.quality == "good" else "low"
        reason = "one video clip; without speed it cannot be placed on your own curve"
        value, metric = vc.value, "video.cadence_spm"
    if landing:
        return [
            Finding(
                id="cadence-step-rate",
                pattern="cadence",
                title=f"Raise step rate {lo:g}–{hi:g}% against your own curve",
                seen=seen,
                confidence=conf,
                confidence_reason=reason,
                why="At the same pace, a 5–10% higher step rate shortens the step, brings the "
                "foot under the body and cuts knee loading; it is a load lever, not a "
                "universal target.",
                source=_HEIDERSCHEIT + "; Willson 2014 (10% shorter steps: −22% PF stress)",
                severity="act",
                metric=metric,
                value=value,
                unit="steps/min",
            )
        ]
    return [
        Finding(
            id="cadence-own-curve",
            pattern="cadence",
            title="Step rate on your own curve",
            seen=seen,
            confidence=conf,
            confidence_reason=reason,
            why="Step rate rises with speed in every runner; without a landing problem there "
            "is no reason to change yours.",
            source="stridelab cadence–speed curve; " + _HEIDERSCHEIT,
            severity="info",
            metric=metric,
            value=value,
            unit="steps/min",
        )
    ]


def _digits(unit: str) -> int:
    """Decimals a test value is shown with (reps are counts; the rest to a tenth)."""
    return 0 if unit == "reps" else 1


def _mobility_confidence(m: Measurement) -> tuple[Confidence, str]:
    level: Confidence = {"good": "high", "fair": "medium"}.get(m.quality, "low")  # type: ignore[assignment]
    mdc = f"; MDC {m.mdc:g} {m.unit}" if m.mdc else ""
    return level, f"{m.quality} test quality, one test on {m.on.isoformat()}{mdc}"


def _mobility(ms: Sequence[Measurement]) -> list[Finding]:
    latest = _latest(ms)
    out: list[Finding] = []
    for key in sorted(latest):
        m = latest[key]
        test = key.split(".")[1]
        side = key.split(".")[2] if key.count(".") == 2 else None
        pattern = MOBILITY_PATTERN[test]
        norm = m.norm or {}
        status = norm.get("status")
        hib = m.higher_is_better
        bad = (status == "below" and hib is not False) or (status == "above" and hib is False)
        if not bad:
            continue
        label = test.replace("_", " ") + (f" ({side})" if side else "")
        conf, reason = _mobility_confidence(m)
        out.append(
            Finding(
                id=f"{pattern}-{test}" + (f"-{side}" if side else ""),
                pattern=pattern,
                title=f"{label.capitalize()} below the reference",
                seen=f"{label}: {m.value:.{_digits(m.unit)}f} {m.unit} on {m.on.isoformat()}, "
                f"{status} the cut-off {norm.get('cutoff')} {m.unit}"
                + (f" ({norm.get('population')})" if norm.get("population") else ""),
                confidence=conf,
                confidence_reason=reason,
                why=_MOBILITY_WHY[test],
                source=str(norm.get("source") or "stridelab mobility tests"),
                severity="act" if conf != "low" else "watch",
                metric=key,
                value=m.value,
                unit=m.unit,
            )
        )
    # Left/right differences beyond the MDC.
    tests = sorted({k.split(".")[1] for k in latest if k.count(".") == 2})
    for test in tests:
        left, right = latest.get(f"mobility.{test}.left"), latest.get(f"mobility.{test}.right")
        if left is None or right is None or not left.mdc:
            continue
        diff = left.value - right.value
        if abs(diff) <= left.mdc:
            continue
        weaker = "left" if (diff < 0) == (left.higher_is_better is not False) else "right"
        d = _digits(left.unit)
        out.append(
            Finding(
                id=f"{MOBILITY_PATTERN[test]}-{test}-asymmetry",
                pattern=MOBILITY_PATTERN[test],
                title=f"{test.replace('_', ' ').capitalize()}: {weaker} side weaker",
                seen=f"left {left.value:.{d}f} vs right {right.value:.{d}f} {left.unit}, a "
                f"difference of {abs(diff):.{d}f} {left.unit} (MDC {left.mdc:g})",
                confidence="medium",
                confidence_reason="difference larger than the test's minimal detectable change",
                why="A side difference beyond the measurement error shows where single-leg "
                "work should start.",
                source="minimal detectable change of the test (see the test's source)",
                severity="watch",
                metric=f"mobility.{test}.{weaker}",
                value=abs(diff),
                unit=left.unit,
            )
        )
    return out


_MOBILITY_WHY = {
    "ankle_dorsiflexion": "Limited ankle dorsiflexion makes the foot land and roll off "
    "stiffly; change counts only beyond the test's MDC (knee-to-wall 1.9 cm / 4.7°).",
    "big_toe_extension": "The big toe forms the push-off tripod; about 30–35° is a common "
    "practitioner minimum and more is assumed for running.",
    "hip_extension": "Without hip extension behind the body the runner pushes with the "
    "knee and back instead of the hip.",
    "single_leg_squat": "Single-leg control is the base for landing on one leg thousands "
    "of times a run; hip-and-core work reduced overuse injuries.",
    "single_leg_balance": "Balance on one leg is the stability base Dicharry builds "
    "first (stability from the bottom up).",
    "calf_raise": "Calf capacity carries the spring of running; plyometrics come only "
    "after it passes.",
    "plank": "Trunk endurance keeps posture from collapsing late in a run.",
    "side_plank": "Lateral trunk endurance controls pelvic drop; McGill's side/extensor "
    "ratio is the target.",
}


def _jumps(ms: Sequence[Measurement]) -> list[Finding]:
    out: list[Finding] = []
    by_test: dict[str, list[Measurement]] = {}
    for m in sorted(ms, key=lambda m: m.on):
        by_test.setdefault(m.key, []).append(m)
    for key in sorted(by_test):
        series = by_test[key]
        last = series[-1]
        test = key.split(".")[1]
        _, unit, pattern = JUMP_TESTS_METRIC[test]
        kind = str(last.extra.get("input_kind", "?"))
        conf: Confidence = {"force_plate": "high", "video": "medium"}.get(kind, "low")  # type: ignore[assignment]
        reason = f"{kind.replace('_', ' ')} test with {last.n} valid jumps"
        if kind == "accelerometer":
            reason += "; a phone accelerometer errs by several cm (method_spec §3)"
        label = "RSI" if unit == "" else "jump height"
        shown = f"{last.value:.2f}" if unit == "" else f"{last.value:.1f} {unit}"
        severity: Severity = "info"
        seen = f"{test} {label} {shown} on {last.on.isoformat()}"
        why = (
            "Reactive strength was related to running economy in trained runners; with no "
            "runner norm, your own baseline is the reference."
            if pattern == "reactivity"
            else "Jump height tracks lower-limb power; with no runner norm, your own "
            "baseline is the reference."
        )
        if len(series) >= 2:
            prev = series[-2]
            change = 100.0 * (last.value - prev.value) / prev.value if prev.value else 0.0
            seen += f" ({change:+.0f}% vs {prev.on.isoformat()})"
            if change <= -JUMP_CHANGE_PCT:
                severity = "watch"
        out.append(
            Finding(
                id=f"{pattern}-{test}",
                pattern=pattern,
                title=f"{test.upper() if test == 'cmj' else test} {label}: "
                + ("fell since the last test" if severity == "watch" else "your baseline"),
                seen=seen,
                confidence=conf,
                confidence_reason=reason,
                why=why,
                source="Li 2021, JSCR (RSI vs running economy r −0.42 to −0.57); Comyns 2019 "
                "(10/5 test reliability); change counted only beyond 10% (design)",
                severity=severity,
                metric=key,
                value=last.value,
                unit=unit,
            )
        )
    return out


def _load(load: LoadEvidence) -> list[Finding]:
    out: list[Finding] = []
    n = load.weeks_with_runs
    conf: Confidence = "high" if n >= 4 else "medium" if n >= 2 else "low"
    reason = f"{n} week{'s' if n != 1 else ''} of runs in the window (4 give a chronic load)"
    severities: dict[str, Severity] = {
        "ramp": "act",
        "acwr": "watch",
        "monotony": "watch",
        "long_run_share": "info",
    }
    units = {"ramp": "%", "acwr": "", "monotony": "", "long_run_share": ""}
    for kind, value, threshold, message, source in load.flags:
        out.append(
            Finding(
                id=f"load-{kind}",
                pattern="load",
                title={
                    "ramp": "Weekly volume ramped up",
                    "acwr": "Acute load high against the chronic",
                    "monotony": "Every day looks the same",
                    "long_run_share": "Long run is a big share of the week",
                }[kind],
                seen=f"{message} (threshold {threshold:g})",
                confidence=conf,
                confidence_reason=reason,
                why="Sharp rises in running volume went with more distance-related injuries; "
                "hold volume while skill work is added."
                if kind in ("ramp", "acwr")
                else "Days of similar load without easy days raise strain (Foster 1998).",
                source=source,
                severity=severities[kind],
                metric=f"load.{kind}",
                value=value,
                unit=units[kind],
            )
        )
    if load.single_pair:
        out.append(
            Finding(
                id="shoes-single-pair",
                pattern="shoes",
                title="One pair for everything",
                seen=load.rotation_message,
                confidence="medium",
                confidence_reason="shoes as tagged on your runs in the last 30 days",
                why="Runners who used more than one pair in parallel had fewer injuries in "
                "one observational study.",
                source=load.rotation_source,
                severity="watch",
                metric="shoes.single_pair",
                value=None,
                unit="",
            )
        )
    for name, message, wear in load.shoe_warnings:
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "pair"
        out.append(
            Finding(
                id=f"shoes-wear-{slug}",
                pattern="shoes",
                title=f"{name}: worn",
                seen=message,
                confidence="medium",
                confidence_reason="distance logged with the pair plus its starting km",
                why="A retirement mark is a rule of thumb; worn pairs are worth replacing or "
                "rotating rather than a proven injury cause.",
                source="Runalyze equipment model; retirement mark set by the runner",
                severity="watch",
                metric="shoes.wear_pct",
                value=wear,
                unit="%",
            )
        )
    return out


def _baseline(ev: Evidence) -> list[Finding]:
    out: list[Finding] = []
    missing = []
    if not ev.video:
        missing.append(("video", "No run video yet", "record a side-view video of an easy run"))
    if not ev.mobility:
        missing.append(
            ("mobility", "No mobility or stability tests yet", "record the key mobility tests")
        )
    if not ev.jumps:
        missing.append(
            ("jumps", "No jump tests yet", "record a countermovement and a 10/5 jump test")
        )
    if not ev.n_runs:
        missing.append(("runs", "No runs imported yet", "import your watch files"))
    for key, title, what in missing:
        out.append(
            Finding(
                id=f"baseline-{key}",
                pattern="baseline",
                title=title,
                seen=f"nothing stored for {ev.athlete!r} yet: {what} so progress shows as numbers",
                confidence="high",
                confidence_reason="nothing of this kind is stored",
                why="Without a baseline the plan can only prescribe general, safe work and "
                "cannot show change.",
                source="method_spec §7 (retest every 4–6 weeks; count change beyond the MDC)",
                severity="info",
                metric=f"baseline.{key}",
                value=None,
                unit="",
            )
        )
    return out


_SEVERITY_ORDER = {"act": 0, "watch": 1, "info": 2}


def findings_from_evidence(ev: Evidence, /) -> list[Finding]:
    """All findings for the evidence, most important first (act, watch, info; then id)."""
    v = _latest(ev.video)
    landing = _landing(v)
    found = [
        *landing,
        *_cadence(ev, bool(landing), v),
        *_trunk_pelvis_arms(v),
        *_mobility(ev.mobility),
        *_jumps(ev.jumps),
        *(_load(ev.load) if ev.load is not None else []),
        *_baseline(ev),
    ]
    return sorted(found, key=lambda f: (_SEVERITY_ORDER[f.severity], f.id))


def find_findings(db: Database, athlete: str) -> list[Finding]:
    """The findings for ``athlete`` from everything stored (see the module docstring)."""
    return findings_from_evidence(collect_evidence(db, athlete))
