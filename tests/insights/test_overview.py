"""The overview over a synthetic history whose runner is known exactly."""

from __future__ import annotations

import hashlib

import pytest

from stridelab.insights import build_overview, shoe_overview
from stridelab.store import add_shoe, save_file_activities, update_athlete
from stridelab.synthetic import SyntheticRunSpec, synthetic_run
from stridelab.synthetic.history import synthetic_history
from stridelab.watch import load_bytes


@pytest.fixture
def history_db(db):
    update_athlete(db, "me", height_cm=180, mass_kg=72)
    add_shoe(db, "Trainer", default=True, start_km=680)
    for spec in synthetic_history(weeks=4, base=SyntheticRunSpec(noise=False)):
        data = synthetic_run(spec).fit_bytes
        save_file_activities(
            db,
            load_bytes(data),
            sha256=hashlib.sha256(data).hexdigest(),
            path="x",
            size_bytes=len(data),
        )
    return db


def test_cadence_speed_curve_recovers_the_runner(history_db):
    ov = build_overview(history_db)
    base = SyntheticRunSpec()
    assert ov.n_runs == 12
    assert ov.cadence_curve is not None
    # Cadence is quantised to 1/128 stride/min in FIT; speed is smoothed within windows.
    assert ov.cadence_curve.slope_spm_per_m_s == pytest.approx(
        base.cadence_slope_spm_per_m_s, abs=0.3
    )
    assert ov.cadence_curve.intercept_spm == pytest.approx(base.cadence_intercept_spm, abs=1.0)
    assert all(
        r.curve_position is not None and abs(r.curve_position.delta_spm) < 2 for r in ov.runs
    )


def test_spring_mass_uses_the_athletes_body_and_says_nothing_is_assumed(history_db):
    ov = build_overview(history_db)
    assert ov.mass_kg == 72
    assert ov.leg_length_m == pytest.approx(0.53 * 1.80)
    assert ov.assumptions == ("leg length estimated as 0.53 × height (Morin et al. 2005)",)
    for run in ov.runs:
        sm = run.spring_mass
        assert sm is not None and 1.5 < sm.peak_force_bw < 3.5


def test_last_week_jump_is_flagged_and_shoes_warn(history_db):
    ov = build_overview(history_db)
    assert any(f.kind == "ramp" for f in ov.flags), [f.message for f in ov.flags]
    usages, rotation = shoe_overview(history_db)
    (trainer,) = usages
    assert trainer.total_km > 700 and any("retirement" in w for w in trainer.warnings)
    assert rotation is not None and rotation.single_pair


def test_empty_database_gives_an_honest_empty_overview(db):
    ov = build_overview(db)
    assert ov.n_runs == 0 and ov.cadence_curve is None
    assert "no cadence–speed curve yet" in ov.cadence_curve_note
    assert len(ov.assumptions) == 2  # mass and height both unknown, both said
