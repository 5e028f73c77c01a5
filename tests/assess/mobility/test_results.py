"""The stored contract, the catalogue, symmetry and baseline comparison, the geometry.

Fixture in words: hand-made results with known values (left 38°, right 31° knee-to-wall;
calf raises; a kneeling test without a norm), and small point sets whose angles are
known by construction.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from stridelab.assess.mobility import (
    SCHEMA,
    TESTS,
    MobilityResult,
    compare_with_baseline,
    measure_big_toe,
    mobility_symmetry,
    norm_status,
    parse_points,
    resolve_test,
)
from stridelab.assess.mobility.geometry import (
    detect_reps,
    frontal_projection_angle_deg,
    sag_angle_deg,
    three_point_angle_deg,
)
from stridelab.errors import InputError

CONTRACT_TESTS = {
    "ankle_dorsiflexion",
    "hip_extension",
    "big_toe_extension",
    "single_leg_squat",
    "single_leg_balance",
    "calf_raise",
    "plank",
    "side_plank",
}


def _result(test: str, value: float | None, side: str | None, **kw) -> MobilityResult:
    return MobilityResult(
        test=test, input_kind="photo", side=side, value=value, quality="good", **kw
    )


def test_catalogue_covers_the_contract() -> None:
    assert set(TESTS) == CONTRACT_TESTS
    for info in TESTS.values():
        text = info.guide()
        assert info.name in text and "Camera:" in text and "What counts:" in text
        assert info.sources and info.mdc_source
        assert resolve_test(info.id)[0] is info
    assert resolve_test("Knee-To-Wall")[0].id == "ankle_dorsiflexion"
    assert resolve_test("thomas") == (TESTS["hip_extension"], "thomas")
    with pytest.raises(InputError, match="unknown test"):
        resolve_test("burpees")


@pytest.mark.parametrize("test", sorted(CONTRACT_TESTS))
def test_to_dict_has_the_contract_keys(test: str) -> None:
    data = json.loads(json.dumps(_result(test, 12.5, "left", variant="thomas").to_dict()))
    assert data["schema"] == SCHEMA and data["test"] == test and data["input_kind"] == "photo"
    s = data["summary"]
    assert set(s) >= {
        "side",
        "value",
        "unit",
        "higher_is_better",
        "mdc",
        "norm",
        "quality",
        "warnings",
    }
    assert s["unit"] in ("deg", "s", "reps", "cm") and isinstance(s["higher_is_better"], bool)
    if s["norm"] is not None:
        assert set(s["norm"]) == {"cutoff", "status", "population", "source"}
        assert s["norm"]["status"] in ("below", "within", "above", "unknown")
    else:
        assert any("baseline" in w for w in s["warnings"])
    nan = _result(test, float("nan"), None).to_dict()
    assert nan["summary"]["value"] is None and nan["summary"]["norm"] is None


def test_norm_status_uses_the_mdc() -> None:
    assert norm_status(33.0, 36.0, 4.7) == "within"
    assert norm_status(31.0, 36.0, 4.7) == "below"
    assert norm_status(41.0, 36.0, 4.7) == "above"
    assert norm_status(0.1, 0.0, None) == "above"
    calf = _result("calf_raise", 20.0, "left", sex="female").summary()["norm"]
    assert calf["cutoff"] == 21.0 and calf["status"] == "within"
    unknown = _result("calf_raise", 20.0, "left").summary()["norm"]
    assert unknown["cutoff"] == 21.0 and "sex not given" in unknown["population"]
    kneeling = _result("hip_extension", 5.0, "left", variant="kneeling").summary()
    assert kneeling["norm"] is None


def test_symmetry_of_the_latest_results_per_side() -> None:
    rows = [
        {**_result("ankle_dorsiflexion", 30.0, "left").to_dict(), "performed_at": "2026-01-01"},
        {**_result("ankle_dorsiflexion", 38.0, "left").to_dict(), "performed_at": "2026-02-01"},
        {**_result("ankle_dorsiflexion", 31.0, "right").to_dict(), "performed_at": "2026-02-01"},
        {**_result("calf_raise", 20.0, "left").to_dict()},
        {**_result("calf_raise", 18.0, "right").to_dict()},
        {**_result("plank", 90.0, None).to_dict()},
        {"test": "cmj", "summary": {"best_height_cm": 30.0}},  # a jump result: ignored
    ]
    sym = mobility_symmetry(rows)
    assert set(sym) == {"ankle_dorsiflexion", "calf_raise"}
    a = sym["ankle_dorsiflexion"]
    assert (a["left"], a["right"], a["difference"]) == (38.0, 31.0, -7.0)
    assert a["worse_side"] == "right" and a["real"] is True
    assert a["lsi_pct"] == pytest.approx(100 * 31 / 38)
    c = sym["calf_raise"]
    assert c["real"] is False and c["lsi_pct"] == pytest.approx(90.0)
    squat = mobility_symmetry(
        [
            _result("single_leg_squat", 4.0, "left").to_dict(),
            _result("single_leg_squat", 14.0, "right").to_dict(),
        ]
    )["single_leg_squat"]
    assert squat["worse_side"] == "right" and squat["lsi_pct"] is None and squat["real"] is True


def test_baseline_comparison() -> None:
    hist = [
        {**_result("ankle_dorsiflexion", 30.0, "left").to_dict(), "performed_at": "2026-01-01"},
        {**_result("ankle_dorsiflexion", 33.0, "left").to_dict(), "performed_at": "2026-01-15"},
        {**_result("ankle_dorsiflexion", 20.0, "right").to_dict(), "performed_at": "2026-01-02"},
    ]
    now = _result("ankle_dorsiflexion", 36.0, "left").to_dict()
    b = compare_with_baseline(now, hist)
    assert b["baseline_value"] == 30.0 and b["change"] == 6.0 and b["real"] is True
    assert b["previous_value"] == 33.0 and b["better"] is True
    assert compare_with_baseline(now, []) is None
    k = _result("hip_extension", 8.0, "left", variant="kneeling").to_dict()
    b = compare_with_baseline(
        k, [_result("hip_extension", 5.0, "left", variant="kneeling").to_dict()]
    )
    assert b["real"] is None and "no published MDC" in b["note"]


def test_geometry_by_construction() -> None:
    hip, ankle = np.array([100.0, 100.0]), np.array([100.0, 300.0])
    knee_in = np.array([100.0 + 100.0 * np.tan(np.radians(10.0)), 200.0])
    # The knee is 10° off the hip–ankle line at mid-height: FPPA 20°, + toward medial.
    assert frontal_projection_angle_deg(hip, knee_in, ankle, 1.0) == pytest.approx(20.0)
    assert frontal_projection_angle_deg(hip, knee_in, ankle, -1.0) == pytest.approx(-20.0)
    s, a = np.array([0.0, 0.0]), np.array([200.0, 0.0])
    low_hip = np.array([100.0, 100.0 * np.tan(np.radians(5.0))])
    assert sag_angle_deg(s, low_hip, a) == pytest.approx(10.0)
    assert sag_angle_deg(s, low_hip * [1, -1], a) == pytest.approx(-10.0)
    assert three_point_angle_deg(
        np.array([0.0, 0.0]), np.array([1.0, 0.0]), np.array([2.0, -1.0])
    ) == pytest.approx(45.0)
    t = np.arange(200) / 20.0
    sig = np.clip(np.sin(2 * np.pi * 0.5 * t), 0, None) + 0.05 * t  # 5 reps on a drift
    reps = detect_reps(sig, t, min_prominence=0.5)
    assert len(reps) == 5 and all(r.start < r.peak < r.stop for r in reps)


def test_big_toe_points() -> None:
    pts = parse_points("100,400; 200,400; 250,350")
    r = measure_big_toe(pts, width_px=640, height_px=480, side="right")
    assert r.value == pytest.approx(45.0) and r.summary()["norm"]["status"] == "above"
    for bad in ("1,2;3,4", "a,b;c,d;e,f", ""):
        with pytest.raises(InputError, match="--points"):
            parse_points(bad)
    with pytest.raises(InputError, match="inside"):
        measure_big_toe(parse_points("1,2;3,4;900,5"), width_px=640, height_px=480)


@pytest.mark.parametrize("height_cm", [160.0, 175.0, 190.0])
def test_ankle_cutoff_is_the_geometry_of_a_10_cm_knee_to_wall(height_cm: float) -> None:
    # Heel down, the knee's front (4–6 cm ahead of the joint centre) on a wall 10 cm
    # beyond the toe tip: sin(shank angle) = (10 cm + ankle→toe − knee radius) / shank.
    from stridelab.synthetic.runner import RunnerSpec, runner_body

    body = runner_body(RunnerSpec(height_cm=height_cm))
    angles = [
        np.degrees(np.arcsin((0.10 + body.toe_front_m - r) / body.shank_m)) for r in (0.04, 0.06)
    ]
    norm = TESTS["ankle_dorsiflexion"].norm
    assert norm is not None
    assert min(angles) - 1.5 <= norm.cutoff <= max(angles) + 1.5
    # 3.6°/cm (Bennell 1998) is a slope; 10 cm × 3.6 is not an angle.
    assert "3.6" not in norm.population + norm.source
