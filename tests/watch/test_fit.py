"""FIT activities against independent truth.

Truth comes from (a) Garmin's own FIT SDK decoder (a third decoder, not used by the
importer) reading the session messages, (b) values published in Runalyze's test suite
for the same files, and (c) synthetic runs written by Garmin's encoder with exact values.
"""

from __future__ import annotations

import numpy as np
import pytest
from garmin_fit_sdk import Decoder, Stream

from stridelab.errors import EmptyActivityError, StridelabError, UnsupportedFormatError
from stridelab.synthetic import synthetic_run
from stridelab.watch import load, load_bytes, summarize
from tests.conftest import ACTIVITIES, shared_files, shared_id

RUNALYZE = ACTIVITIES / "runalyze" / "fit"
FITPARSE = ACTIVITIES / "fitparse"


@pytest.mark.parametrize("path", shared_files(".fit"), ids=shared_id)
def test_every_shared_fit_file_imports_or_is_refused_with_a_reason(path):
    try:
        activities = load(path)
    except StridelabError as exc:
        assert str(exc), "a refusal must say why"
        return
    assert activities
    for a in activities:
        s = summarize(a)
        assert s.start_utc.endswith("Z")
        ts = a.records.timestamp_s
        assert (np.diff(ts) > 0).all()


def _garmin_sessions(path):
    stream = Stream.from_file(str(path))
    messages, errors = Decoder(stream).read(convert_datetimes_to_dates=False)
    assert not errors, errors
    return messages["session_mesgs"]


# Files with running dynamics, Garmin-SDK-decodable (no compressed timestamps).
SESSION_TRUTH_FILES = [
    FITPARSE / "activity-small-fenix2-run.fit",
    FITPARSE / "garmin-fenix-5-run.fit",
    FITPARSE / "sample_mulitple_header.fit",
    RUNALYZE / "Fenix-2-pauses.fit",
    RUNALYZE / "FR920xt-with-runscribe-plus.fit",
    RUNALYZE / "FR735XT-with-performance-condition.fit",
    RUNALYZE / "Multisession.fit",
    RUNALYZE / "multisport-triathlon-fenix3.fit",
    RUNALYZE / "garmin-runPower.fit",
    RUNALYZE / "with-new-dynamics.fit",
]


@pytest.mark.parametrize("path", SESSION_TRUTH_FILES, ids=shared_id)
def test_summary_matches_garmin_sdk_session_messages(path):
    sessions = sorted(_garmin_sessions(path), key=lambda s: s["start_time"])
    activities = load(path)
    assert len(activities) == len(sessions)
    for act, ses in zip(activities, sessions, strict=True):
        s = summarize(act)
        assert s.distance_km == pytest.approx(ses["total_distance"] / 1000, abs=1e-3)
        assert s.moving_time_s == pytest.approx(ses["total_timer_time"], abs=0.1)
        assert s.elapsed_time_s == pytest.approx(ses["total_elapsed_time"], abs=0.1)
        if ses.get("avg_heart_rate"):
            assert s.avg_hr_bpm == ses["avg_heart_rate"]
            assert s.max_hr_bpm == ses["max_heart_rate"]
        if ses.get("sport") == "running" and ses.get("avg_cadence"):
            strides = ses["avg_cadence"] + (ses.get("avg_fractional_cadence") or 0)
            assert s.avg_cadence_spm == pytest.approx(2 * strides, abs=0.05)
        if ses.get("sport") == "running" and ses.get("avg_stance_time"):
            assert s.avg_ground_contact_ms == pytest.approx(ses["avg_stance_time"], abs=0.05)
            assert s.avg_vertical_oscillation_mm == pytest.approx(
                ses["avg_vertical_oscillation"], abs=0.05
            )


def test_runalyze_pauses_file():
    # Runalyze FitTest: duration 2810 s vs elapsed 3046 s, 6 pauses, the first at 267 s for 14 s.
    (a,) = load(RUNALYZE / "Fenix-2-pauses.fit")
    s = summarize(a)
    assert (s.moving_time_s, s.elapsed_time_s, s.pause_count) == (2810.0, 3046.0, 6)
    first = a.pauses[0]
    assert (first.start_utc - a.start_utc).total_seconds() == pytest.approx(267, abs=1)
    assert first.duration_s == pytest.approx(14, abs=1)


def test_runalyze_time_jump_file():
    # Runalyze FitTest: duration and elapsed time both 3389 s; the hour-long jump is a gap.
    (a,) = load(RUNALYZE / "time-jump.fit")
    s = summarize(a)
    assert s.moving_time_s == pytest.approx(3389, abs=1)
    assert s.elapsed_time_s == pytest.approx(3389, abs=1)
    assert s.pause_count == 1 and a.pauses[0].duration_s > 3600


def test_runalyze_triathlon_is_five_activities():
    acts = load(RUNALYZE / "multisport-triathlon-fenix3.fit")
    assert [a.sport for a in acts] == ["swimming", "transition", "cycling", "transition", "running"]
    run = summarize(acts[-1])
    assert run.distance_km == pytest.approx(9.317, abs=1e-3)
    assert run.moving_time_s == pytest.approx(2381, abs=1)


def test_runalyze_multisession_gives_two_runs():
    assert len(load(RUNALYZE / "Multisession.fit")) == 2


def test_stryd_developer_fields_kept_and_used():
    (a,) = load(RUNALYZE / "FR920xt-with-Stryd.fit")
    assert {"Power", "Ground Time", "Vertical Oscillation"} <= set(a.records.developer)
    assert a.records.developer_units["Vertical Oscillation"] == "Centimeters"
    # Native running dynamics are absent: the Stryd values fill the canonical columns.
    gct = a.records.get("ground_contact_ms")
    assert gct is not None
    np.testing.assert_allclose(
        gct,
        np.where(
            a.records.developer["Ground Time"] > 0, a.records.developer["Ground Time"], np.nan
        ),
        equal_nan=True,
    )
    # Runalyze's test: Stryd average GCT 214 ms.
    assert np.nanmean(gct) == pytest.approx(214, abs=1.5)
    assert np.nanmean(a.records.get("power_w")) > 150


def test_runscribe_developer_fields_kept():
    (a,) = load(RUNALYZE / "FR920xt-with-runscribe-plus.fit")
    names = set(a.records.developer)
    assert any("Pronation" in n or "pronation" in n for n in names), names
    assert any("Strike" in n or "strike" in n.lower() for n in names), names


def test_records_after_last_lap_stay_with_the_session():
    (a,) = load(RUNALYZE / "Suunto-Ambit-3-Peak-without-final-lap.fit")
    last_lap_start = max(lap.start_utc for lap in a.laps).timestamp()
    assert a.records.timestamp_s[-1] > last_lap_start


def test_negative_time_steps_are_dropped_with_a_warning():
    (a,) = load(RUNALYZE / "One-second-jump-to-past.fit")
    assert (np.diff(a.records.timestamp_s) > 0).all()
    assert any("back in time" in w for w in a.warnings)


def test_truncated_file_keeps_what_was_readable():
    (a,) = load(FITPARSE / "nick.fit")
    assert len(a.records) > 14000
    assert any("truncated" in w for w in a.warnings)


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("Settings.fit", UnsupportedFormatError),
        ("WorkoutRepeatSteps.fit", UnsupportedFormatError),
        ("MonitoringFile.fit", UnsupportedFormatError),
        ("DeveloperData.fit", EmptyActivityError),
    ],
)
def test_non_activity_fit_files_are_refused_clearly(name, error):
    with pytest.raises(error, match=r"not an activity|no activity"):
        load(FITPARSE / name)


def test_synthetic_run_round_trip_is_exact():
    run = synthetic_run()
    truth = run.truth
    (a,) = load_bytes(run.fit_bytes)
    s = summarize(a)
    assert s.distance_km == pytest.approx(truth.distance_m / 1000, abs=5e-4)
    assert s.moving_time_s == truth.timer_time_s
    assert s.elapsed_time_s == truth.elapsed_time_s
    assert s.pause_count == truth.pause_count == 1
    assert s.timezone_offset_min == truth.timezone_offset_min
    assert s.avg_hr_bpm == truth.avg_hr_bpm
    assert len(a.laps) == truth.n_laps
    np.testing.assert_allclose(a.records.timestamp_s, truth.timestamp_s)
    np.testing.assert_allclose(a.records.columns["cadence_spm"], truth.cadence_spm, atol=1e-9)
    np.testing.assert_allclose(a.records.columns["speed_m_s"], truth.speed_m_s, atol=1e-9)
    np.testing.assert_allclose(
        a.records.columns["ground_contact_ms"], truth.ground_contact_ms, atol=1e-9
    )
    np.testing.assert_allclose(
        a.records.columns["vertical_oscillation_mm"], truth.vertical_oscillation_mm, atol=1e-9
    )


def test_a_long_timer_pause_is_one_pause_not_also_a_time_jump():
    from stridelab.synthetic import SyntheticRunSpec

    run = synthetic_run(SyntheticRunSpec(pause_s=4000))  # > 1 h: also looks like a time jump
    (a,) = load_bytes(run.fit_bytes)
    assert len(a.pauses) == 1
    assert a.pauses[0].duration_s == pytest.approx(4000, abs=1)
    assert summarize(a).elapsed_time_s == run.truth.elapsed_time_s
