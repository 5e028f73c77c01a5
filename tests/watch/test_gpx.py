"""Tests for the GPX reader: every real file in the shared corpus, truths read from the XML
with the standard library (independently of the reader), and tiny synthetic files with
exactly known values."""

from __future__ import annotations

import itertools
import math
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
from stridelab.watch.gpx import haversine_m, read_gpx
from stridelab.watch.model import Activity

ACTIVITIES = Path(__file__).parents[3] / "shared" / "data" / "activities"
GPX_DIR = ACTIVITIES / "runalyze" / "gpx"
GPX_FILES = sorted(GPX_DIR.glob("*.gpx"))
EARTH_RADIUS_M = 6_371_008.8


# --- independent helpers (xml.etree, local names, spherical law of cosines) -----------


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _all(el: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in el.iter() if _local(e.tag) == name]


def _text(el: ET.Element, name: str) -> str | None:
    found = [e for e in el if _local(e.tag) == name]
    return found[0].text if found else None


def _iso(text: str) -> float:
    return datetime.fromisoformat(text.strip().replace("Z", "+00:00")).timestamp()


def _tree(name: str) -> ET.Element:
    return ET.fromstring((GPX_DIR / name).read_bytes())


def _law_of_cosines_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    c = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(
        math.radians(lon2 - lon1)
    )
    return EARTH_RADIUS_M * math.acos(min(1.0, max(-1.0, c)))


# --- the whole corpus -----------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("path", GPX_FILES, ids=[p.name for p in GPX_FILES])
def test_every_shared_gpx_reads_or_raises_a_stridelab_error(path: Path) -> None:
    try:
        activities = read_gpx(path.read_bytes())
    except StridelabError:
        return
    assert activities
    assert [a.session_index for a in activities] == list(range(len(activities)))
    for activity in activities:
        assert isinstance(activity, Activity)
        assert activity.source_format == "gpx"
        ts = activity.records.timestamp_s
        assert (np.diff(ts) > 0).all()
        dist = activity.records.columns["distance_m"]
        assert (np.diff(dist) >= 0).all()
        totals = activity.totals
        assert totals.elapsed_time_s == pytest.approx(ts[-1] - ts[0])
        paused = sum(p.duration_s for p in activity.pauses)
        assert totals.timer_time_s == pytest.approx(totals.elapsed_time_s - paused)


def test_corpus_is_there() -> None:
    assert len(GPX_FILES) >= 11


# --- truths from real files -----------------------------------------------------------


def test_standard_gpx_distance_and_start() -> None:
    root = _tree("standard.gpx")
    located = [p for p in _all(root, "trkpt") if p.get("lat") and p.get("lon")]
    assert len(located) == len(_all(root, "trkpt")) - 1  # the first point has no position
    coords = [(float(p.get("lat", "")), float(p.get("lon", ""))) for p in located]
    expected_m = sum(_law_of_cosines_m(*a, *b) for a, b in itertools.pairwise(coords))
    [activity] = read_gpx((GPX_DIR / "standard.gpx").read_bytes())
    assert activity.totals.distance_m == pytest.approx(expected_m, rel=0.01)
    assert activity.totals.distance_m / 1000 == pytest.approx(5.993, abs=0.1)  # Runalyze
    first_time = _text(located[0], "time") or ""
    assert activity.start_utc.timestamp() == _iso(first_time)
    assert activity.start_utc == datetime(2013, 2, 4, 20, 38, 11, tzinfo=UTC)
    assert activity.totals.elapsed_time_s == _iso(_text(located[-1], "time") or "") - _iso(
        first_time
    )
    assert len(activity.records) == len(located)
    assert activity.creator == root.get("creator") == "eTrex 30"
    assert any("without a position" in w for w in activity.warnings)
    assert activity.records.get("temperature_c") is None


def test_break_between_track_segments_is_a_pause() -> None:
    root = _tree("break-between-trkseg.gpx")
    segments = _all(root, "trkseg")
    assert len(segments) == 3
    last_of_2 = _iso(_text(_all(segments[1], "trkpt")[-1], "time") or "")
    first_of_3 = _iso(_text(_all(segments[2], "trkpt")[0], "time") or "")
    [activity] = read_gpx((GPX_DIR / "break-between-trkseg.gpx").read_bytes())
    [pause] = [p for p in activity.pauses if abs(p.start_utc.timestamp() - last_of_2) < 1e-3]
    assert pause.duration_s == pytest.approx(first_of_3 - last_of_2)
    assert first_of_3 - last_of_2 == pytest.approx(3780, abs=1)  # Runalyze: [13402, 3780]
    assert activity.timezone_offset_min == 120
    # No distance is counted across the break.
    ts = activity.records.timestamp_s
    dist = activity.records.columns["distance_m"]
    [i] = np.flatnonzero(np.abs(ts - last_of_2) < 1e-3)
    assert dist[i + 1] == dist[i]


def test_missing_heart_rate_is_nan() -> None:
    root = _tree("hr-not-always-there.gpx")
    expected = []
    for point in _all(root, "trkpt"):
        values = [e.text for e in point.iter() if _local(e.tag) == "hr"]
        expected.append(float(values[0]) if values else np.nan)
    [activity] = read_gpx((GPX_DIR / "hr-not-always-there.gpx").read_bytes())
    hr = activity.records.columns["heart_rate_bpm"]
    assert np.isnan(expected).sum() == 6
    np.testing.assert_array_equal(hr, expected)
    assert np.nanmean(hr) == pytest.approx(137, abs=3)  # Runalyze fills gaps: 137


def test_heart_rate_kept_beside_the_track_is_used() -> None:
    root = _tree("SpoQ.gpx")
    bpm = {_iso(e.get("time", "")): float(e.get("bpm", "nan")) for e in _all(root, "heartRate")}
    [activity] = read_gpx((GPX_DIR / "SpoQ.gpx").read_bytes())
    ts = activity.records.timestamp_s
    np.testing.assert_array_equal(
        activity.records.columns["heart_rate_bpm"], [bpm[float(t)] for t in ts]
    )
    assert np.max(activity.records.columns["heart_rate_bpm"]) == 132  # Runalyze


@pytest.mark.parametrize(
    ("name", "raw_tag"),
    [
        ("strava-export.gpx", "cad"),
        ("garmin-ns3-extension.gpx", "cad"),
        ("Movescount-mixed-extensions.gpx", "cadence"),
    ],
)
def test_cadence_extensions_become_steps_per_minute(name: str, raw_tag: str) -> None:
    root = _tree(name)
    raw = np.array([float(e.text or "nan") for e in _all(root, raw_tag)])
    [activity] = read_gpx((GPX_DIR / name).read_bytes())
    spm = activity.records.get("cadence_spm")
    assert spm is not None
    assert np.nanmedian(spm) == 2 * np.median(raw[raw > 0])
    assert 140 <= np.nanmedian(spm) <= 220


def test_route_only_gpx_is_not_an_activity() -> None:
    with pytest.raises(EmptyActivityError, match="planned route"):
        read_gpx((GPX_DIR / "Route-only.gpx").read_bytes())


# --- haversine --------------------------------------------------------------------------


def test_haversine_known_distances() -> None:
    one_degree = EARTH_RADIUS_M * math.pi / 180
    assert haversine_m(0.0, 0.0, 1.0, 0.0) == pytest.approx(one_degree)
    assert haversine_m(0.0, 0.0, 0.0, 1.0) == pytest.approx(one_degree)
    assert haversine_m(60.0, 10.0, 60.0, 11.0) == pytest.approx(one_degree * 0.5, rel=1e-3)
    assert haversine_m(47.0, 8.0, 47.0, 8.0) == 0.0
    assert haversine_m(0.0, 0.0, 0.0, 180.0) == pytest.approx(math.pi * EARTH_RADIUS_M)


def test_haversine_is_vectorised_and_propagates_nan() -> None:
    lat = np.array([47.0, 47.001, np.nan])
    out = haversine_m(lat, 8.0, 47.0, 8.0)
    assert out.shape == (3,)
    assert out[0] == 0.0
    assert out[1] == pytest.approx(0.001 * EARTH_RADIUS_M * math.pi / 180)
    assert np.isnan(out[2])


# --- damaged and foreign input --------------------------------------------------------


def test_truncated_gpx_raises_corrupt_with_the_line() -> None:
    data = (GPX_DIR / "standard.gpx").read_bytes()
    with pytest.raises(CorruptFileError, match=r"line \d+"):
        read_gpx(data[: len(data) // 2])


@pytest.mark.parametrize(
    "data",
    [
        np.random.default_rng(1).bytes(4096),
        b"",
        b"<html><body>hello</body></html>",
        b"<?xml version='1.0'?><TrainingCenterDatabase/>",
    ],
    ids=["random", "empty", "html", "tcx"],
)
def test_foreign_input_is_unsupported(data: bytes) -> None:
    with pytest.raises(UnsupportedFormatError):
        read_gpx(data)


def test_routes_and_untimed_tracks_are_not_activities() -> None:
    route = _gpx("", extra='<rte><rtept lat="47" lon="8"/><rtept lat="47.1" lon="8"/></rte>')
    with pytest.raises(EmptyActivityError):
        read_gpx(route.encode())
    untimed = _gpx('<trkpt lat="47" lon="8"/><trkpt lat="47.1" lon="8"/>')
    with pytest.raises(EmptyActivityError):
        read_gpx(untimed.encode())


# --- synthetic files with exact truth -------------------------------------------------


def _gpx(points: str, *, sport: str = "running", extra: str = "") -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="Synthetic" xmlns="http://www.topografix.com/GPX/1/1"
  xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">
 {extra}<trk><type>{sport}</type><trkseg>{points}</trkseg></trk></gpx>"""


def _pt(lat: float, sec: int, hr: int, cad: int) -> str:
    return f"""<trkpt lat="{lat}" lon="8.0"><ele>400</ele>
  <time>2024-05-01T06:{sec // 60:02d}:{sec % 60:02d}Z</time>
  <extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{hr}</gpxtpx:hr>
  <gpxtpx:cad>{cad}</gpxtpx:cad><gpxtpx:atemp>21.5</gpxtpx:atemp></gpxtpx:TrackPointExtension>
  <power>250</power></extensions></trkpt>"""


def test_synthetic_gpx_exact_values() -> None:
    # Three points due north, 0.001° (≈ 111.2 m) and 40 s apart.
    points = _pt(47.0, 0, 120, 85) + _pt(47.001, 40, 130, 86) + _pt(47.002, 80, 140, 87)
    [activity] = read_gpx(_gpx(points).encode())
    step = 0.001 * math.pi / 180 * EARTH_RADIUS_M
    t0 = datetime(2024, 5, 1, 6, 0, tzinfo=UTC).timestamp()
    cols = activity.records.columns
    np.testing.assert_array_equal(cols["timestamp_s"], [t0, t0 + 40, t0 + 80])
    np.testing.assert_allclose(cols["distance_m"], [0.0, step, 2 * step], rtol=1e-9)
    np.testing.assert_allclose(cols["speed_m_s"], [np.nan, step / 40, step / 40], rtol=1e-9)
    np.testing.assert_array_equal(cols["heart_rate_bpm"], [120, 130, 140])
    np.testing.assert_array_equal(cols["cadence_spm"], [170, 172, 174])
    np.testing.assert_array_equal(cols["temperature_c"], [21.5] * 3)
    np.testing.assert_array_equal(cols["power_w"], [250] * 3)
    np.testing.assert_array_equal(cols["altitude_m"], [400] * 3)
    assert activity.sport == "running"
    assert activity.creator == "Synthetic"
    assert activity.pauses == ()
    assert activity.warnings == ()
    assert activity.timezone_offset_min is None
    totals = activity.totals
    assert totals.distance_m == pytest.approx(2 * step)
    assert (totals.elapsed_time_s, totals.timer_time_s) == (80.0, 80.0)


def test_synthetic_gap_pause_and_sport_codes() -> None:
    # Ten points 5 s apart, then a 300 s gap: a pause of 300 s (> max(10 s, 10 × 5 s)).
    points = "".join(_pt(47.0 + i * 1e-4, 5 * i, 120, 85) for i in range(10))
    points += _pt(47.0011, 45 + 300, 120, 85)
    [activity] = read_gpx(_gpx(points, sport="9").encode())
    assert activity.sport == "running"
    assert [(p.start_utc.second, p.duration_s) for p in activity.pauses] == [(45, 300.0)]
    assert activity.totals.timer_time_s == 45.0
    [cycling] = read_gpx(_gpx(points, sport="Biking").encode())
    assert cycling.sport == "cycling"
    np.testing.assert_array_equal(cycling.records.columns["cadence_rpm"], [85] * 11)
    assert cycling.records.get("cadence_spm") is None
