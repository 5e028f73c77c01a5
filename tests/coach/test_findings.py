"""Findings against exact synthetic truth: rules on evidence, and the stored runner."""

from __future__ import annotations

from dataclasses import replace

import pytest

from stridelab.coach import find_findings
from stridelab.coach.findings import (
    FINDING_PATTERNS,
    OVERSTRIDE_CM,
    PELVIC_DROP_DEG,
    Evidence,
    Finding,
    findings_from_evidence,
)
from stridelab.synthetic import SyntheticRunSpec
from tests.coach import profiles as P
from tests.coach.conftest import ATHLETE

KEYS = {
    "id",
    "pattern",
    "title",
    "seen",
    "confidence",
    "confidence_reason",
    "why",
    "source",
    "severity",
    "metric",
    "value",
    "unit",
}


def _by_id(fs: list[Finding]) -> dict[str, Finding]:
    return {f.id: f for f in fs}


def test_contract_shape_of_every_finding() -> None:
    for make in P.TYPICAL.values():
        for f in findings_from_evidence(make()):
            d = f.to_dict()
            assert set(d) == KEYS
            assert d["pattern"] in FINDING_PATTERNS
            assert d["confidence"] in ("high", "medium", "low")
            assert d["severity"] in ("info", "watch", "act")
            assert d["seen"] and d["why"] and d["source"] and d["confidence_reason"]


def test_overstride_and_cadence_against_the_runners_own_curve() -> None:
    ev = P.overstrider()
    fs = _by_id(findings_from_evidence(ev))
    land = fs["landing-overstride"]
    assert land.severity == "act" and land.value == 14.0 and land.confidence == "high"
    assert "14.0 cm" in land.seen and "9.0°" in land.seen
    cad = fs["cadence-step-rate"]
    expected = 128.0 + 10.0 * 2.8  # the synthetic runner's line at 2.8 m/s
    assert cad.value == pytest.approx(expected)
    assert f"{expected:.0f} steps/min" in cad.seen
    assert f"{expected * 1.05:.0f} then {expected * 1.075:.0f}" in cad.seen
    assert "180" not in cad.seen + cad.title + cad.why


def test_no_landing_problem_means_no_change_of_step_rate() -> None:
    ev = replace(P.overstrider(), video=(P.video("overstride_cm", OVERSTRIDE_CM - 0.1),))
    fs = _by_id(findings_from_evidence(ev))
    assert "landing-overstride" not in fs
    assert fs["cadence-own-curve"].severity == "info"


@pytest.mark.parametrize(
    ("quality", "n", "confidence"),
    [
        ("good", 12, "high"),
        ("good", 7, "high"),
        ("good", 6, "medium"),
        ("fair", 10, "medium"),
        ("fair", 3, "low"),
    ],
)
def test_video_confidence_follows_quality_and_steps(quality: str, n: int, confidence: str) -> None:
    ev = Evidence(
        "x", video=(P.video("pelvic_drop_deg", PELVIC_DROP_DEG + 1, quality=quality, n=n),)
    )
    (f,) = [f for f in findings_from_evidence(ev) if f.pattern == "core_control"]
    assert f.confidence == confidence and f"{n} steps" in f.confidence_reason


def test_mobility_below_norm_and_asymmetry_beyond_mdc() -> None:
    fs = _by_id(findings_from_evidence(P.ramping_novice()))
    left = fs["foot_ankle-ankle_dorsiflexion-left"]
    assert left.severity == "act" and left.value == 7.0 and "below the cut-off 10.0" in left.seen
    asym = fs["foot_ankle-ankle_dorsiflexion-asymmetry"]
    assert asym.value == pytest.approx(2.5) and asym.metric.endswith(".left")
    # a difference within the MDC is not a finding
    ev = replace(
        P.ramping_novice(),
        mobility=(
            P.mobility("ankle_dorsiflexion", 8.0, side="left", status="below"),
            P.mobility("ankle_dorsiflexion", 9.5, side="right", status="below"),
        ),
    )
    assert "foot_ankle-ankle_dorsiflexion-asymmetry" not in _by_id(findings_from_evidence(ev))


def test_load_shoes_and_jump_decline() -> None:
    fs = _by_id(findings_from_evidence(P.ramping_novice()))
    assert fs["load-ramp"].severity == "act" and fs["load-ramp"].value == 70.0
    assert "shoes-single-pair" in fs and fs["shoes-wear-trainer"].value == pytest.approx(102.9)
    cmj = _by_id(findings_from_evidence(P.masters_marathoner()))["capacity-cmj"]
    assert cmj.severity == "watch" and "-14%" in cmj.seen and cmj.value == 24.0
    assert cmj.title == "CMJ jump height: fell since the last test"


@pytest.mark.parametrize("spm", [150.0, 165.0, 180.0, 195.0])
def test_step_rate_alone_is_never_judged_against_a_universal_target(spm: float) -> None:
    """Without a landing problem any step rate, far from 180 or not, is only information."""
    ev = Evidence("x", video=(P.video("cadence_spm", spm),))
    (cad,) = [f for f in findings_from_evidence(ev) if f.pattern == "cadence"]
    assert cad.id == "cadence-own-curve" and cad.severity == "info"
    assert cad.value == spm and "180" not in cad.why + cad.title


def test_nothing_stored_gives_only_baseline_findings() -> None:
    fs = findings_from_evidence(P.nothing())
    assert {f.id for f in fs} == {
        "baseline-video",
        "baseline-mobility",
        "baseline-jumps",
        "baseline-runs",
    }
    assert all(f.pattern == "baseline" and f.severity == "info" for f in fs)


def test_findings_from_the_database(runner_db) -> None:
    fs = _by_id(find_findings(runner_db, ATHLETE))
    # the latest video (7 cm, shank 7°) still has the shank above 6°: watch
    assert fs["landing-overstride"].severity == "watch"
    assert fs["landing-overstride"].value == 7.0
    base = SyntheticRunSpec()
    cad = fs["cadence-step-rate"]
    speed_pace = cad.seen.split("easy pace ")[1].split(" /km")[0]
    m, s = speed_pace.split(":")
    easy = 1000.0 / (int(m) * 60 + int(s))
    truth = base.cadence_intercept_spm + base.cadence_slope_spm_per_m_s * easy
    assert cad.value == pytest.approx(truth, abs=1.0)  # pace is rounded to the second
    assert fs["foot_ankle-ankle_dorsiflexion-left"].value == 9.5  # the latest test
    assert "foot_ankle-ankle_dorsiflexion-right" not in fs  # 10.0 cm is within the norm
    assert fs["load-ramp"].severity == "act" and fs["load-ramp"].value > 30
    assert "shoes-single-pair" in fs and any(k.startswith("shoes-wear-") for k in fs)
    assert fs["capacity-cmj"].severity == "watch"
    assert not any(f.pattern == "baseline" for f in fs.values())  # every kind is stored


def test_an_unknown_athlete_is_not_created(db) -> None:
    from stridelab.store.repository import list_video_analyses

    fs = find_findings(db, "ghost")
    assert {f.pattern for f in fs} == {"baseline"}
    with db.session() as s:
        from sqlalchemy import select

        from stridelab.store.models import AthleteRow

        assert s.scalar(select(AthleteRow).where(AthleteRow.name == "ghost")) is None
    assert list_video_analyses(db, athlete="ghost") == []
