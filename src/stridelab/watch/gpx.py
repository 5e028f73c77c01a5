"""Read GPS Exchange Format (GPX) tracks as activities.

In: the raw bytes of a ``.gpx`` file. Out: a list of :class:`~stridelab.watch.model.Activity`,
one per ``<trk>`` with timed points, numbered by ``session_index`` in file order.

The XML is first parsed with a hardened lxml parser (no entities, no network), points
without a position are dropped, and the document is handed to ``gpxpy``. Extension values
(heart rate, cadence, power, air temperature) are matched by local name, so Garmin
``TrackPointExtension`` (any prefix), Cluetrust ``gpxdata:*`` and Movescount's mixture all
work. Distance and speed are computed from the positions (GPX stores neither reliably).
Routes, waypoints, and tracks whose times were synthesised by a route planner are not
activities.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import gpxpy
import gpxpy.gpx
import numpy as np
from lxml import etree

from stridelab.errors import (
    CorruptFileError,
    EmptyActivityError,
    InputError,
    UnsupportedFormatError,
)
from stridelab.watch.clean import (
    cadence_to_spm,
    clean_time_axis,
    merge_same_time,
    out_of_range_to_nan,
)
from stridelab.watch.model import Activity, DeviceTotals, Pause, make_records

__all__ = ["haversine_m", "read_gpx"]

#: Mean Earth radius (IUGG), m.
EARTH_RADIUS_M = 6_371_008.8
#: A gap between points longer than max(this, 10 × the median interval) (s) is a pause.
PAUSE_GAP_S = 10.0
PAUSE_GAP_FACTOR = 10.0
#: A stride rate above this (strides/min) is impossible when running, so the values are steps.

_SPORTS = {
    "9": "running", "running": "running", "run": "running",
    "biking": "cycling", "cycling": "cycling", "ride": "cycling",
    "walking": "walking", "walk": "walking", "hiking": "hiking",
}  # fmt: skip
# Extension element local names (lowercased) for each value.
_EXTENSIONS = {
    "hr": "hr", "heartrate": "hr",
    "cad": "cad", "cadence": "cad",
    "power": "power", "powerinwatts": "power",
    "atemp": "temp", "temp": "temp",
}  # fmt: skip


def haversine_m(
    lat1: np.ndarray | float,
    lon1: np.ndarray | float,
    lat2: np.ndarray | float,
    lon2: np.ndarray | float,
) -> np.ndarray:
    """Great-circle distance on a sphere of radius :data:`EARTH_RADIUS_M`.

    Parameters
    ----------
    lat1, lon1, lat2, lon2
        Coordinates in degrees; arrays broadcast against each other.

    Returns
    -------
    numpy.ndarray
        Distance in metres (NaN where any coordinate is NaN).
    """
    p1 = np.radians(np.asarray(lat1, dtype=np.float64))
    p2 = np.radians(np.asarray(lat2, dtype=np.float64))
    dlat = p2 - p1
    dlon = np.radians(np.asarray(lon2, dtype=np.float64) - np.asarray(lon1, dtype=np.float64))
    a = np.sin(dlat / 2.0) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2.0) ** 2
    return 2.0 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def read_gpx(data: bytes, /) -> list[Activity]:
    """Read every timed track of a GPX file.

    Parameters
    ----------
    data
        The file content, as bytes.

    Returns
    -------
    list of Activity
        One per ``<trk>`` with timed points. Record columns: ``timestamp_s`` (s since the
        epoch, UTC), ``latitude_deg``, ``longitude_deg``, ``altitude_m``, ``distance_m``
        (cumulative great-circle distance), ``speed_m_s`` (distance over time between
        points), ``heart_rate_bpm``, ``cadence_spm`` (steps/min; ``cadence_rpm`` for
        cycling), ``power_w``, ``temperature_c``. No distance is counted across a pause
        between track segments. Totals hold only what the track supports: distance,
        elapsed time and timer time (elapsed minus pauses). ``timezone_offset_min`` is the
        offset written in the first time, if it is not UTC.

    Raises
    ------
    UnsupportedFormatError
        The bytes are not XML, or the XML is not GPX.
    CorruptFileError
        The XML or the GPX structure is damaged (e.g. truncated); the message says where.
    EmptyActivityError
        No track has timed points (a route, waypoints, or a planned route).
    """
    root = _parse_xml(data)
    if etree.QName(root).localname != "gpx":
        raise UnsupportedFormatError(
            f"expected a GPX document (root <gpx>), found <{etree.QName(root).localname}>"
        )
    n_dropped = _drop_points_without_position(root)
    try:
        gpx = gpxpy.parse(etree.tostring(root, encoding="unicode"), version="1.1")
    except gpxpy.gpx.GPXXMLSyntaxException as exc:
        raise CorruptFileError(f"the GPX file cannot be parsed: {exc}") from None
    except (gpxpy.gpx.GPXException, ValueError) as exc:
        raise CorruptFileError(f"the GPX file is not valid GPX: {exc}") from None
    side_hr = _side_heart_rate(root)
    activities: list[Activity] = []
    planned: EmptyActivityError | None = None
    for track in gpx.tracks:
        try:
            activity = _read_track(track, len(activities), gpx.creator, side_hr)
        except EmptyActivityError as exc:  # a planned route among the tracks
            planned = exc
            continue
        if activity is not None:
            if n_dropped:
                note = f"{n_dropped} track points without a position were dropped"
                activity = replace(activity, warnings=(note, *activity.warnings))
            activities.append(activity)
    if not activities:
        if planned is not None:
            raise planned
        raise EmptyActivityError(
            "this GPX file holds no track with times (only routes or waypoints); "
            "export the recorded activity instead"
        )
    return activities


# --- XML --------------------------------------------------------------------------------


def _parse_xml(data: bytes, *, what: str = "GPX", marker: bytes = b"<gpx") -> etree._Element:
    """Parse XML safely (no entities, no network); map every lxml failure to a stridelab error.

    ``what`` names the format in messages; a syntax error in a document whose first bytes
    hold ``marker`` is a damaged file of that format, otherwise the file is not one.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise InputError(f"expected the {what} file content as bytes, got {type(data).__name__}")
    raw = bytes(data)
    head = raw[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not (head.startswith(b"<") or head[:2] in (b"\xff\xfe", b"\xfe\xff")):
        raise UnsupportedFormatError(f"not a {what} file: the content is not XML")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as exc:
        if marker in raw[:8192]:
            raise CorruptFileError(
                f"the {what} file is damaged or truncated at line {exc.lineno}: {exc.msg}; "
                "export it again"
            ) from None
        raise UnsupportedFormatError(
            f"not a {what} file: XML error at line {exc.lineno}: {exc.msg}"
        ) from None
    except (etree.LxmlError, ValueError) as exc:
        raise CorruptFileError(f"the {what} file cannot be parsed: {exc}") from None
    if root is None:
        raise UnsupportedFormatError(f"not a {what} file: the XML document is empty")
    return root


def _drop_points_without_position(root: etree._Element) -> int:
    """Remove ``trkpt``/``rtept``/``wpt`` lacking ``lat`` or ``lon``; return the trkpt count."""
    n_trkpt = 0
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        name = etree.QName(el).localname
        if name in ("trkpt", "rtept", "wpt") and (el.get("lat") is None or el.get("lon") is None):
            n_trkpt += name == "trkpt"
            el.getparent().remove(el)
    return n_trkpt


def _number(text: str | None) -> float:
    try:
        value = float((text or "").strip())
    except ValueError:
        return np.nan
    return value if np.isfinite(value) else np.nan


def _extension_values(point: gpxpy.gpx.GPXTrackPoint) -> dict[str, float]:
    """Values of known extension elements (by local name) anywhere under the point's extensions."""
    out: dict[str, float] = {}
    for ext in point.extensions:
        for el in ext.iter():
            if not isinstance(el.tag, str):
                continue
            key = _EXTENSIONS.get(etree.QName(el).localname.lower())
            if key is not None and key not in out:
                out[key] = _number(el.text)
    return out


def _side_heart_rate(root: etree._Element) -> dict[float, float]:
    """Heart rate kept outside the track (a-rival SpoQ ``heartRate time=… bpm=…``), by time."""
    out: dict[float, float] = {}
    for el in root.iter():
        if isinstance(el.tag, str) and etree.QName(el).localname == "heartRate":
            when, bpm = _seconds(el.get("time")), _number(el.get("bpm"))
            if when is not None and np.isfinite(bpm):
                out[when] = bpm
    return out


def _seconds(text: str | None) -> float | None:
    """ISO 8601 time to seconds since the epoch (a time without zone is taken as UTC)."""
    if not text:
        return None
    try:
        return _point_seconds(datetime.fromisoformat(text.strip()))
    except ValueError:
        return None


# --- one track --------------------------------------------------------------------------


def _read_track(
    track: gpxpy.gpx.GPXTrack,
    index: int,
    creator: str | None,
    side_hr: dict[float, float],
) -> Activity | None:
    """One activity, or ``None`` without timed points; a planned route raises EmptyActivityError."""
    points = [(seg, p) for seg, s in enumerate(track.segments) for p in s.points]
    first_time = next((p.time for _, p in points if p.time is not None), None)
    if first_time is None:
        return None
    cols, warnings = _clean_points(_point_columns(points, side_hr))
    t, segment, lat, lon = cols["t"], cols["segment"], cols["lat"], cols["lon"]
    step = haversine_m(lat[:-1], lon[:-1], lat[1:], lon[1:]) if len(t) > 1 else np.zeros(0)
    if _is_planned_route(t, step):
        raise EmptyActivityError(
            "this GPX file holds a planned route: its times were made up at a constant "
            "speed by a route planner; export the recorded activity instead"
        )
    pause_steps = _pause_steps(t, segment)
    # Moving to another place during a break between segments is not part of the activity.
    step = np.where(pause_steps & (segment[1:] != segment[:-1]), 0.0, step)
    distance = np.concatenate(([0.0], np.cumsum(step)))
    speed = np.full(len(t), np.nan)
    speed[1:] = np.where(pause_steps, np.nan, step / np.diff(t))

    sport = _sport(track.type)
    spm, cad_warnings = cadence_to_spm(cols["cad"], sport=sport, unit="strides")
    warnings += [w for w in cad_warnings if w not in warnings]
    columns: dict[str, np.ndarray] = {
        "timestamp_s": t,
        "latitude_deg": lat,
        "longitude_deg": lon,
        "altitude_m": cols["ele"],
        "distance_m": distance,
        "speed_m_s": speed,
        "heart_rate_bpm": cols["hr"],
        "power_w": cols["power"],
        "temperature_c": cols["temp"],
        **({"cadence_rpm": cols["cad"]} if spm is None else {"cadence_spm": spm}),
    }
    columns, range_warnings = out_of_range_to_nan(columns)
    warnings += range_warnings

    pauses = tuple(
        Pause(datetime.fromtimestamp(float(t[i]), tz=UTC), float(t[i + 1] - t[i]))
        for i in np.flatnonzero(pause_steps)
    )
    elapsed = float(t[-1] - t[0])
    timer = elapsed - sum(p.duration_s for p in pauses)
    offset = first_time.utcoffset()
    return Activity(
        source_format="gpx",
        session_index=index,
        sport=sport,
        start_utc=datetime.fromtimestamp(float(t[0]), tz=UTC),
        records=make_records(columns),
        timezone_offset_min=int(offset.total_seconds() // 60) if offset else None,
        pauses=pauses,
        totals=DeviceTotals(
            distance_m=float(distance[-1]),
            timer_time_s=timer,
            elapsed_time_s=elapsed,
            avg_speed_m_s=float(distance[-1]) / timer if timer > 0 else None,
        ),
        creator=creator or None,
        decoder="gpxpy",
        warnings=tuple(warnings),
    )


def _point_columns(
    points: list[tuple[int, gpxpy.gpx.GPXTrackPoint]], side_hr: dict[float, float]
) -> dict[str, np.ndarray]:
    """Float columns (NaN where absent) for the points of one track, with segment numbers."""
    ext = [_extension_values(p) for _, p in points]
    cols = {
        "t": np.array([_point_seconds(p.time) for _, p in points], dtype=np.float64),
        "segment": np.array([s for s, _ in points], dtype=np.float64),
        "lat": np.array([p.latitude for _, p in points], dtype=np.float64),
        "lon": np.array([p.longitude for _, p in points], dtype=np.float64),
        "ele": np.array([np.nan if p.elevation is None else p.elevation for _, p in points]),
        **{k: np.array([e.get(k, np.nan) for e in ext]) for k in ("hr", "cad", "power", "temp")},
    }
    if side_hr:
        from_side = np.array([side_hr.get(float(x), np.nan) for x in cols["t"]])
        cols["hr"] = np.where(np.isfinite(cols["hr"]), cols["hr"], from_side)
    return {k: v.astype(np.float64) for k, v in cols.items()}


def _clean_points(cols: dict[str, np.ndarray]) -> tuple[dict[str, np.ndarray], list[str]]:
    """Drop points without time or going back in time; merge points that share a time."""
    keep, warnings = clean_time_axis(cols["t"])
    cols = {k: v[keep] for k, v in cols.items()}
    t, merged, n_merged = merge_same_time(cols["t"], {k: v for k, v in cols.items() if k != "t"})
    if n_merged:
        warnings.append(f"{n_merged} track point(s) with the time of the previous one merged")
    return {"t": t, **merged}, warnings


def _point_seconds(moment: datetime | None) -> float:
    """Seconds since the epoch (NaN for no time; a time without zone is taken as UTC)."""
    if moment is None:
        return np.nan
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def _pause_steps(t: np.ndarray, segment: np.ndarray) -> np.ndarray:
    """Per step between points: is it a pause?

    A new track segment after more than twice the median sampling interval, or any gap
    longer than max(10 s, 10 × the median interval).
    """
    if len(t) < 2:
        return np.zeros(0, dtype=bool)
    dt = np.diff(t)
    median = float(np.median(dt))
    new_segment = (segment[1:] != segment[:-1]) & (dt > 2.0 * median)
    return new_segment | (dt > max(PAUSE_GAP_S, PAUSE_GAP_FACTOR * median))


def _is_planned_route(t: np.ndarray, step_m: np.ndarray) -> bool:
    """True when every time is the distance so far at one constant speed (±1 s rounding).

    Route planners (GPSies and others) export routes as tracks with such made-up times;
    a recorded track never keeps one speed to the second over ten or more points.
    """
    if len(t) < 10 or not np.isfinite(step_m).all():
        return False
    dist = np.concatenate(([0.0], np.cumsum(step_m)))
    elapsed = t - t[0]
    if elapsed[-1] <= 0 or dist[-1] <= 0:
        return False
    predicted = dist * elapsed[-1] / dist[-1]
    return bool(np.all(np.abs(elapsed - predicted) <= 1.0))


def _sport(raw: str | None) -> str | None:
    if not raw or not raw.strip():
        return None
    key = raw.strip().lower()
    return _SPORTS.get(key, key)
