"""Tests for the TCX reader: every real file in the shared corpus, truths read from the XML
with the standard library (independently of the reader), and tiny synthetic files with
exactly known values."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from stridelab.errors import (
    CorruptFileError,
    EmptyActivityError,
    StridelabError,
    UnsupportedFormatError,
)
from stridelab.watch.model import Activity
from stridelab.watch.tcx import read_tcx

ACTIVITIES = Path(__file__).parents[3] / "shared" / "data" / "activities"
TCX_DIR = ACTIVITIES / "runalyze" / "tcx"
TCX_FILES = sorted(TCX_DIR.glob("*.tcx"))


# --- independent helpers (xml.etree, local names) -------------------------------------


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _all(el: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in el.iter() if _local(e.tag) == name]


def _kids(el: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in el if _local(e.tag) == name]


def _kid_float(el: ET.Element, *path: str) -> float | None:
    for name in path:
        found = _kids(el, name)
        if not found:
            return None
        el = found[0]
    return float(el.text) if el.text else None


def _iso(text: str) -> float:
    return datetime.fromisoformat(text.strip().replace("Z", "+00:00")).timestamp()


def _tree(name: str) -> ET.Element:
    return ET.fromstring((TCX_DIR / name).read_bytes())


def _trackpoint_times(activity: ET.Element) -> list[float]:
    times = []
    for tp in _all(activity, "Trackpoint"):
        t = _kids(tp, "Time")
        if t and t[0].text:
            times.append(_iso(t[0].text))
    return times


# --- the whole corpus -----------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("path", TCX_FILES, ids=[p.name for p in TCX_FILES])
def test_every_shared_tcx_reads_or_raises_a_stridelab_error(path: Path) -> None:
    try:
        activities = read_tcx(path.read_bytes())
    except StridelabError:
        return
    assert activities
    assert [a.session_index for a in activities] == list(range(len(activities)))
    for activity in activities:
        assert isinstance(activity, Activity)
        assert activity.source_format == "tcx"
        assert activity.start_utc.tzinfo is not None
        assert activity.timezone_offset_min is None
        ts = activity.records.timestamp_s
        assert (np.diff(ts) > 0).all()
        assert all(p.duration_s > 0 for p in activity.pauses)


def test_corpus_is_there() -> None:
    assert len(TCX_FILES) >= 17


# --- truths from real files -----------------------------------------------------------


def test_standard_tcx_matches_the_xml() -> None:
    root = _tree("Standard.tcx")
    laps_xml = _all(root, "Lap")
    [activity] = read_tcx((TCX_DIR / "Standard.tcx").read_bytes())

    assert activity.sport == "running"
    assert len(activity.laps) == len(laps_xml) == 23
    distances = [_kid_float(lap, "DistanceMeters") for lap in laps_xml]
    timers = [_kid_float(lap, "TotalTimeSeconds") for lap in laps_xml]
    avg_hr = [_kid_float(lap, "AverageHeartRateBpm", "Value") for lap in laps_xml]
    max_hr = [_kid_float(lap, "MaximumHeartRateBpm", "Value") for lap in laps_xml]
    kcal = [_kid_float(lap, "Calories") for lap in laps_xml]
    totals = activity.totals
    assert totals.distance_m == pytest.approx(sum(distances))
    assert totals.timer_time_s == pytest.approx(sum(timers))
    assert totals.max_hr_bpm == max(max_hr)
    weighted = sum(h * t for h, t in zip(avg_hr, timers, strict=True)) / sum(timers)
    assert totals.avg_hr_bpm == pytest.approx(weighted)
    assert totals.energy_kcal == pytest.approx(sum(kcal))
    # Runalyze's expectations for the same file (TcxTest::testStandardFile).
    assert totals.distance_m / 1000 == pytest.approx(22.224, abs=0.1)
    assert totals.timer_time_s == pytest.approx(6523, abs=30)
    assert totals.avg_hr_bpm == pytest.approx(145, abs=2)
    assert totals.max_hr_bpm == pytest.approx(172, abs=2)

    times = _trackpoint_times(root)
    ts = activity.records.timestamp_s
    assert len(ts) == len(set(times))  # lap splits repeat a time: merged into one record
    assert ts[0] == min(times) and ts[-1] == max(times)
    assert totals.elapsed_time_s == pytest.approx(max(times) - min(times))
    assert totals.elapsed_time_s == pytest.approx(7200 - 8 * 60 - 21, abs=5)
    # The pauses found account for the timer stops (elapsed − timer = 175 s).
    paused = sum(p.duration_s for p in activity.pauses)
    assert paused == pytest.approx(totals.elapsed_time_s - totals.timer_time_s, rel=0.1)
    assert activity.laps[0].trigger == "Distance"
    assert activity.laps[0].distance_m == 1000.0
    assert activity.creator is not None and activity.creator.startswith("Forerunner305")
    hr = activity.records.get("heart_rate_bpm")
    assert hr is not None and np.nanmax(hr) == max(
        _kid_float(tp, "HeartRateBpm", "Value") or 0 for tp in _all(root, "Trackpoint")
    )


def test_multiple_trainings_gives_one_activity_each() -> None:
    root = _tree("Multiple-Trainings.tcx")
    activities_xml = _all(root, "Activity")
    activities = read_tcx((TCX_DIR / "Multiple-Trainings.tcx").read_bytes())
    assert len(activities) == len(activities_xml) == 3
    assert [a.session_index for a in activities] == [0, 1, 2]
    for activity, element in zip(activities, activities_xml, strict=True):
        assert activity.start_utc.timestamp() == _iso(_kids(element, "Id")[0].text or "")
        assert len(activity.laps) == len(_kids(element, "Lap"))
        assert len(activity.records) == len(set(_trackpoint_times(element)))


def test_multisport_keeps_the_sports_apart() -> None:
    activities = read_tcx((TCX_DIR / "Multisport.tcx").read_bytes())
    assert [a.sport for a in activities] == ["cycling", "running", "cycling"]
    assert activities[1].totals.distance_m / 1000 == pytest.approx(11.46, abs=0.1)


def test_treadmill_cadence_is_not_doubled_again() -> None:
    root = _tree("Treadmill-doubled-cadence.tcx")
    raw = np.array([float(e.text or "nan") for e in _all(root, "RunCadence")])
    [activity] = read_tcx((TCX_DIR / "Treadmill-doubled-cadence.tcx").read_bytes())
    spm = activity.records.get("cadence_spm")
    speed = activity.records.get("speed_m_s")
    assert spm is not None and speed is not None
    running = speed > 2.2
    assert 140 <= np.nanmedian(spm[running]) <= 220
    assert np.nanmax(spm) == raw.max() <= 220  # the file already holds steps per minute
    assert np.nanmedian(spm) == np.median(raw[raw > 0])
    assert any("not doubled" in w for w in activity.warnings)


def test_negative_pause_drops_points_that_go_back_in_time() -> None:
    root = _tree("negative-pause.tcx")
    times = _trackpoint_times(root)
    kept: list[float] = []
    for t in times:
        if not kept or t >= max(kept):
            kept.append(t)
    [activity] = read_tcx((TCX_DIR / "negative-pause.tcx").read_bytes())
    ts = activity.records.timestamp_s
    assert len(ts) == len(set(kept)) < len(times)
    assert (np.diff(ts) > 0).all()
    assert ts[-1] == max(times)
    assert any("back in time" in w for w in activity.warnings)
    assert all(p.duration_s > 0 for p in activity.pauses)
    laps_xml = _all(root, "Lap")
    assert activity.totals.distance_m == pytest.approx(
        sum(_kid_float(lap, "DistanceMeters") or 0 for lap in laps_xml)
    )


def test_first_point_without_position_is_kept_as_time_only() -> None:
    [activity] = read_tcx((TCX_DIR / "First-point-empty.tcx").read_bytes())
    lat = activity.records.columns["latitude_deg"]
    assert np.isnan(lat[0]) and np.isfinite(lat[1:]).all()
    assert activity.totals.elapsed_time_s == 142  # Runalyze: duration 142 s


def test_power_in_any_namespace() -> None:
    for name in ("Power-ns2-extension.tcx", "watt-extension-without-namespace.tcx"):
        root = _tree(name)
        n_watts = len(_all(root, "Watts"))
        [activity] = read_tcx((TCX_DIR / name).read_bytes())
        power = activity.records.get("power_w")
        assert power is not None and np.isfinite(power).sum() >= n_watts - 2
    [ns2] = read_tcx((TCX_DIR / "Power-ns2-extension.tcx").read_bytes())
    assert round(float(np.nanmean(ns2.records.columns["power_w"]))) == 210  # Runalyze


def test_route_only_tcx_is_not_an_activity() -> None:
    with pytest.raises(EmptyActivityError, match="course"):
        read_tcx((TCX_DIR / "Route-only.tcx").read_bytes())


# --- damaged and foreign input --------------------------------------------------------


def test_truncated_tcx_raises_corrupt_with_the_line() -> None:
    data = (TCX_DIR / "Standard.tcx").read_bytes()
    with pytest.raises(CorruptFileError, match=r"line \d+"):
        read_tcx(data[: len(data) // 2])


@pytest.mark.parametrize(
    "data",
    [
        np.random.default_rng(0).bytes(4096),
        b"",
        b"   ",
        b"<html><body>hello</body></html>",
        b"<?xml version='1.0'?><gpx version='1.1'></gpx>",
    ],
    ids=["random", "empty", "blank", "html", "gpx"],
)
def test_foreign_input_is_unsupported(data: bytes) -> None:
    with pytest.raises(UnsupportedFormatError):
        read_tcx(data)


def test_external_entities_are_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    xml = _tcx(_SIMPLE_LAP).replace(
        "<?xml version='1.0' encoding='UTF-8'?>",
        f"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY s SYSTEM '{secret.as_uri()}'>]>",
    )
    xml = xml.replace("<Name>Test Watch</Name>", "<Name>&s;</Name>")
    try:
        activities = read_tcx(xml.encode())
    except StridelabError:
        return
    assert all("TOP-SECRET" not in (a.creator or "") for a in activities)


# --- synthetic files with exact truth -------------------------------------------------


def _tcx(body: str, sport: str = "Running") -> str:
    return f"""<?xml version='1.0' encoding='UTF-8'?>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
  xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2">
 <Activities><Activity Sport="{sport}"><Id>2024-05-01T06:00:00Z</Id>{body}
  <Creator><Name>Test Watch</Name></Creator></Activity></Activities>
</TrainingCenterDatabase>"""


def _point(sec: int, dist: float, hr: int, cad: int, extra: str = "") -> str:
    return f"""<Trackpoint><Time>2024-05-01T06:00:{sec:02d}Z</Time>
  <Position><LatitudeDegrees>47.0</LatitudeDegrees><LongitudeDegrees>8.0</LongitudeDegrees>
  </Position><AltitudeMeters>400.5</AltitudeMeters><DistanceMeters>{dist}</DistanceMeters>
  <HeartRateBpm><Value>{hr}</Value></HeartRateBpm>
  <Extensions><ns3:TPX><ns3:Speed>3.0</ns3:Speed><ns3:RunCadence>{cad}</ns3:RunCadence>
  {extra}</ns3:TPX></Extensions></Trackpoint>"""


# Three trackpoints, 1 s apart, 3 m apart; HR 120/130/140; 85/86/87 strides per minute;
# power once as ns3:Watts, once without a namespace prefix.
_SIMPLE_LAP = f"""<Lap StartTime="2024-05-01T06:00:00Z"><TotalTimeSeconds>2.0</TotalTimeSeconds>
  <DistanceMeters>6.0</DistanceMeters><Calories>1</Calories>
  <AverageHeartRateBpm><Value>130</Value></AverageHeartRateBpm>
  <MaximumHeartRateBpm><Value>140</Value></MaximumHeartRateBpm>
  <Intensity>Active</Intensity><TriggerMethod>Manual</TriggerMethod>
  <Track>{_point(0, 0.0, 120, 85, "<ns3:Watts>250</ns3:Watts>")}
  {_point(1, 3.0, 130, 86, '<Watts xmlns="urn:x">260</Watts>')}{_point(2, 6.0, 140, 87)}</Track>
  <Extensions><ns3:LX><ns3:AvgRunCadence>86</ns3:AvgRunCadence></ns3:LX></Extensions></Lap>"""


def test_synthetic_tcx_exact_values() -> None:
    [activity] = read_tcx(_tcx(_SIMPLE_LAP).encode())
    t0 = datetime(2024, 5, 1, 6, 0, 0, tzinfo=UTC).timestamp()
    cols = activity.records.columns
    np.testing.assert_array_equal(cols["timestamp_s"], [t0, t0 + 1, t0 + 2])
    np.testing.assert_array_equal(cols["distance_m"], [0.0, 3.0, 6.0])
    np.testing.assert_array_equal(cols["heart_rate_bpm"], [120, 130, 140])
    np.testing.assert_array_equal(cols["cadence_spm"], [170, 172, 174])
    np.testing.assert_array_equal(cols["speed_m_s"], [3.0, 3.0, 3.0])
    np.testing.assert_array_equal(cols["altitude_m"], [400.5] * 3)
    np.testing.assert_array_equal(cols["latitude_deg"], [47.0] * 3)
    np.testing.assert_array_equal(cols["power_w"], [250, 260, np.nan])
    assert np.isnan(cols["cadence_rpm"]).all()
    assert activity.sport == "running"
    assert activity.creator == "Test Watch"
    assert activity.start_utc == datetime(2024, 5, 1, 6, 0, 0, tzinfo=UTC)
    assert activity.pauses == ()
    assert activity.warnings == ()
    [lap] = activity.laps
    assert (lap.timer_time_s, lap.distance_m, lap.energy_kcal) == (2.0, 6.0, 1.0)
    assert (lap.avg_hr_bpm, lap.max_hr_bpm, lap.trigger) == (130.0, 140.0, "Manual")
    assert lap.avg_cadence_spm == 172.0
    totals = activity.totals
    assert (totals.distance_m, totals.timer_time_s, totals.elapsed_time_s) == (6.0, 2.0, 2.0)
    assert (totals.avg_hr_bpm, totals.max_hr_bpm, totals.energy_kcal) == (130.0, 140.0, 1.0)
    assert totals.avg_cadence_spm == 172.0


def test_synthetic_cycling_cadence_stays_rpm() -> None:
    lap = _SIMPLE_LAP.replace("ns3:RunCadence>", "ns3:Other>")
    lap = lap.replace("<HeartRateBpm>", "<Cadence>90</Cadence><HeartRateBpm>")
    [activity] = read_tcx(_tcx(lap, sport="Biking").encode())
    assert activity.sport == "cycling"
    np.testing.assert_array_equal(activity.records.columns["cadence_rpm"], [90, 90, 90])
    assert activity.records.get("cadence_spm") is None
    assert activity.laps[0].avg_cadence_spm is None


def test_synthetic_pauses() -> None:
    # A 30 s stop without distance, then a new Track in the same lap after a 60 s gap.
    body = f"""<Lap StartTime="2024-05-01T06:00:00Z"><TotalTimeSeconds>5</TotalTimeSeconds>
      <Track>{_point(0, 0.0, 120, 85)}{_point(1, 3.0, 121, 85)}{_point(31, 3.0, 122, 85)}
      {_point(32, 6.0, 123, 85)}</Track>
      <Track>{_point(52, 6.0, 124, 85).replace("06:00:52", "06:01:32")}</Track></Lap>"""
    [activity] = read_tcx(_tcx(body).encode())
    t0 = datetime(2024, 5, 1, 6, 0, 0, tzinfo=UTC)
    assert [(p.start_utc, p.duration_s) for p in activity.pauses] == [
        (t0.replace(second=1), 30.0),
        (t0.replace(second=32), 60.0),
    ]
    assert activity.totals.elapsed_time_s == 92.0


def test_laps_without_trackpoints_still_make_an_activity() -> None:
    body = """<Lap StartTime="2024-05-01T06:00:00Z"><TotalTimeSeconds>60</TotalTimeSeconds>
      <DistanceMeters>50</DistanceMeters><Calories>10</Calories></Lap>
      <Lap StartTime="2024-05-01T06:01:30Z"><TotalTimeSeconds>65</TotalTimeSeconds>
      <DistanceMeters>50</DistanceMeters><Calories>11</Calories></Lap>"""
    [activity] = read_tcx(_tcx(body, sport="Other").encode())
    assert activity.sport == "generic"
    assert len(activity.records) == 0
    assert len(activity.laps) == 2
    assert activity.laps[1].start_utc == datetime(2024, 5, 1, 6, 1, 30, tzinfo=UTC)
    assert (activity.totals.distance_m, activity.totals.timer_time_s) == (100.0, 125.0)
    assert activity.totals.elapsed_time_s == 125.0
    assert activity.totals.energy_kcal == 21.0


def test_implausible_lap_energy_is_ignored() -> None:
    lap = _SIMPLE_LAP.replace("<Calories>1</Calories>", "<Calories>547469</Calories>")
    [activity] = read_tcx(_tcx(lap).encode())
    assert activity.laps[0].energy_kcal is None
    assert activity.totals.energy_kcal is None
    assert any("not credible" in w for w in activity.warnings)


def test_synthetic_gap_between_laps_is_a_pause() -> None:
    # Lap 1: 0–2 s (timer 2 s); lap 2 starts at 60 s: a 58 s pause from the end of lap 1.
    lap2 = f"""<Lap StartTime="2024-05-01T06:01:00Z"><TotalTimeSeconds>2</TotalTimeSeconds>
      <Track>{_point(0, 9.0, 120, 85).replace("06:00:00", "06:01:00")}
      {_point(2, 15.0, 121, 85).replace("06:00:02", "06:01:02")}</Track></Lap>"""
    [activity] = read_tcx(_tcx(_SIMPLE_LAP + lap2).encode())
    t0 = datetime(2024, 5, 1, 6, 0, 0, tzinfo=UTC)
    assert [(p.start_utc, p.duration_s) for p in activity.pauses] == [(t0.replace(second=2), 58.0)]
    assert activity.totals.timer_time_s == 4.0
    assert activity.totals.elapsed_time_s == 62.0
    assert len(activity.laps) == 2
