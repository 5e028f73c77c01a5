"""Read Garmin Training Center XML (TCX) activity files.

In: the raw bytes of a ``.tcx`` file. Out: a list of :class:`~stridelab.watch.model.Activity`,
one per TCX ``<Activity>`` (multisport and multi-activity files hold several), numbered by
``session_index`` in file order.

Elements are matched on their *local* names, because real files use the TCX namespace,
other prefixes (``ns2:Watts``, ``ns3:TPX``) or none at all. TCX has no time zone, so
``timezone_offset_min`` is always ``None``. A ``<Course>`` (a planned route) is not an
activity and raises :class:`~stridelab.errors.EmptyActivityError`.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
from lxml import etree

from stridelab.errors import EmptyActivityError, UnsupportedFormatError
from stridelab.watch.clean import (
    STEPS_ALREADY_WARNING,
    TIME_JUMP_S,
    cadence_to_spm,
    clean_time_axis,
    looks_like_steps,
    merge_same_time,
    out_of_range_to_nan,
)
from stridelab.watch.gpx import _parse_xml, _seconds, haversine_m
from stridelab.watch.model import Activity, DeviceTotals, Lap, Pause, make_records

__all__ = ["read_tcx"]

#: A gap between trackpoints longer than this (s), with hardly any distance gained, is a pause.
PAUSE_GAP_S = 10.0
#: "Hardly any distance": slower than this pace (s/m), as in Runalyze's ``TcxActivity``.
PAUSE_PACE_S_PER_M = 6.0
#: Lap energy above this rate over the whole activity's timer time (kcal/min) is ignored.
MAX_KCAL_PER_MIN = 30.0

_SPORTS = {"running": "running", "biking": "cycling", "other": "generic"}
_POINT_FIELDS = ("t", "lat", "lon", "alt", "dist", "hr", "cad", "run_cad", "speed", "watts")


def read_tcx(data: bytes, /) -> list[Activity]:
    """Read every activity of a TCX file.

    Parameters
    ----------
    data
        The file content, as bytes (any XML encoding; a UTF-8 byte-order mark is fine).

    Returns
    -------
    list of Activity
        One per ``<Activity>``, in file order. Record columns: ``timestamp_s`` (s since the
        epoch, UTC), ``latitude_deg``, ``longitude_deg``, ``altitude_m``, ``distance_m``
        (device cumulative distance; computed from GPS positions when the file has none),
        ``heart_rate_bpm``, ``speed_m_s`` (TPX ``Speed``), ``cadence_spm`` (steps/min, sports
        on foot) or ``cadence_rpm`` (other sports), ``power_w`` (TPX ``Watts``). Laps, pauses
        and lap-summed :class:`DeviceTotals` come with them. An activity with laps but no
        trackpoints has empty records.

    Raises
    ------
    UnsupportedFormatError
        The bytes are not XML, or the XML is not a TCX document.
    CorruptFileError
        The XML is damaged (e.g. truncated); the message gives the line.
    EmptyActivityError
        The file holds no activity (e.g. only a course).
    """
    root = _parse_xml(data, what="TCX", marker=b"TrainingCenterDatabase")
    if _local(root) != "TrainingCenterDatabase":
        raise UnsupportedFormatError(
            f"expected a TCX document (root <TrainingCenterDatabase>), found <{_local(root)}>"
        )
    elements = [el for el in root.iter() if _local(el) == "Activity"]
    if not elements:
        if any(_local(el) == "Course" for el in root.iter()):
            raise EmptyActivityError(
                "this TCX file holds a course (a planned route), not a recorded activity; "
                "export the activity itself from the watch or platform"
            )
        raise EmptyActivityError("this TCX file holds no <Activity>")
    activities: list[Activity] = []
    for element in elements:
        activity = _read_activity(element, len(activities), root.get("creator"))
        if activity is not None:
            activities.append(activity)
    if not activities:
        raise EmptyActivityError("the TCX activities hold neither laps nor trackpoints with a time")
    return activities


# --- XML helpers -----------------------------------------------------------------------


def _local(el: etree._Element) -> str:
    """The local name of an element ('' for comments and processing instructions)."""
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _children(el: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in el if _local(c) == name]


def _child(el: etree._Element | None, *path: str) -> etree._Element | None:
    for name in path:
        if el is None:
            return None
        el = next((c for c in el if _local(c) == name), None)
    return el


def _number(el: etree._Element | None, *path: str) -> float | None:
    """A finite float from the text of ``el/path``, else ``None``."""
    node = _child(el, *path)
    if node is None or node.text is None:
        return None
    try:
        value = float(node.text.strip())
    except ValueError:
        return None
    return value if np.isfinite(value) else None


def _extension_number(el: etree._Element, name: str) -> float | None:
    """The first finite ``name`` value anywhere under ``el/Extensions`` (any namespace)."""
    ext = _child(el, "Extensions")
    for node in ext.iter() if ext is not None else ():
        if _local(node) == name and (value := _number(node)) is not None:
            return value
    return None


# --- one activity ----------------------------------------------------------------------


def _read_activity(
    element: etree._Element, index: int, file_creator: str | None
) -> Activity | None:
    """One ``<Activity>``; ``None`` when it has no time at all (no Id, lap start or point)."""
    raw_sport = (element.get("Sport") or "").strip().lower()
    sport = _SPORTS.get(raw_sport, raw_sport) or None
    lap_elements = _children(element, "Lap")
    cols, warnings = _clean_points(_trackpoints(lap_elements))
    t = cols["t"]

    id_el = _child(element, "Id")
    start = _seconds(id_el.text if id_el is not None else None)
    lap_starts = [_seconds(lap.get("StartTime")) for lap in lap_elements]
    if start is None:
        start = next((s for s in lap_starts if s is not None), None)
    if start is None and len(t):
        start = float(t[0])
    if start is None:
        return None
    if len(t) and abs(t[0] - start) > TIME_JUMP_S:
        warnings.append(
            f"the trackpoints start {(t[0] - start) / 3600:+.1f} h from the activity start time "
            "in the file; the file's start time is kept"
        )

    lap_total_m = sum(_number(lap, "DistanceMeters") or 0.0 for lap in lap_elements)
    columns: dict[str, np.ndarray] = {
        "timestamp_s": t,
        "latitude_deg": cols["lat"],
        "longitude_deg": cols["lon"],
        "altitude_m": cols["alt"],
        "distance_m": _distance_column(cols, lap_total_m, warnings),
        "heart_rate_bpm": cols["hr"],
        "speed_m_s": cols["speed"],
        "power_w": cols["watts"],
    }
    lap_spm = _add_cadence(columns, cols, lap_elements, sport, warnings)
    columns, range_warnings = out_of_range_to_nan(columns)
    warnings += range_warnings
    laps = _laps(lap_elements, lap_starts, lap_spm, start, warnings)
    totals = _totals(laps, t)
    lap_gaps = _lap_gaps(lap_starts, lap_elements, t, cols["lap"])
    if totals.timer_time_s and len(t) > 1 and totals.timer_time_s > 1.05 * (t[-1] - t[0]) + 60:
        warnings.append(
            f"the laps claim {totals.timer_time_s:.0f} s of timer time but the trackpoints span "
            f"only {t[-1] - t[0]:.0f} s; the totals are the laps' values"
        )
    creator = _child(element, "Creator", "Name")
    creator_name = creator.text.strip() if creator is not None and creator.text else file_creator
    return Activity(
        source_format="tcx",
        session_index=index,
        sport=sport,
        start_utc=datetime.fromtimestamp(start, tz=UTC),
        records=make_records(columns),
        timezone_offset_min=None,
        laps=tuple(laps),
        pauses=_pauses(t, columns["distance_m"], cols, lap_gaps),
        totals=totals,
        creator=creator_name or None,
        decoder="lxml",
        warnings=tuple(warnings),
    )


def _trackpoints(lap_elements: list[etree._Element]) -> dict[str, np.ndarray]:
    """All trackpoints as float columns (NaN where absent), with Track and lap numbers."""
    rows: dict[str, list[float]] = {k: [] for k in (*_POINT_FIELDS, "segment", "lap")}
    n_track = 0
    for lap_index, lap in enumerate(lap_elements):
        for track in _children(lap, "Track"):
            for point in _children(track, "Trackpoint"):
                time_el = _child(point, "Time")
                values = {
                    "t": _seconds(time_el.text if time_el is not None else None),
                    "lat": _number(point, "Position", "LatitudeDegrees"),
                    "lon": _number(point, "Position", "LongitudeDegrees"),
                    "alt": _number(point, "AltitudeMeters"),
                    "dist": _number(point, "DistanceMeters"),
                    "hr": _number(point, "HeartRateBpm", "Value"),
                    "cad": _number(point, "Cadence"),
                    "run_cad": _extension_number(point, "RunCadence"),
                    "speed": _extension_number(point, "Speed"),
                    "watts": _extension_number(point, "Watts"),
                    "segment": n_track,
                    "lap": lap_index,
                }
                for key, value in values.items():
                    rows[key].append(np.nan if value is None else value)
            n_track += 1
    return {k: np.asarray(v, dtype=np.float64) for k, v in rows.items()}


def _clean_points(cols: dict[str, np.ndarray]) -> tuple[dict[str, np.ndarray], list[str]]:
    """Drop points without time or going back in time; merge points that share a time.

    A lap split repeats the last trackpoint of the previous lap at the same time; such
    merges are expected and not reported.
    """
    keep, warnings = clean_time_axis(cols["t"])
    cols = {k: v[keep] for k, v in cols.items()}
    t, seg = cols["t"], cols["segment"]
    n_split = int(((seg[1:] != seg[:-1]) & (t[1:] == t[:-1])).sum()) if len(t) else 0
    rest = {k: v for k, v in cols.items() if k != "t"}
    t, merged, n_merged = merge_same_time(t, rest)
    if n_merged > n_split:
        n = n_merged - n_split
        warnings.append(f"{n} trackpoint(s) with the time of the previous one merged")
    return {"t": t, **merged}, warnings


def _distance_column(
    cols: dict[str, np.ndarray], lap_total_m: float, warnings: list[str]
) -> np.ndarray:
    """Trackpoint distances; from GPS when the file has none; rebased if they carry an offset."""
    dist = cols["dist"]
    finite = dist[np.isfinite(dist)]
    located = np.isfinite(cols["lat"]) & np.isfinite(cols["lon"])
    if not finite.size and located.sum() > 1:
        warnings.append("the file has no trackpoint distances; distance was computed from GPS")
        lat, lon = cols["lat"][located], cols["lon"][located]
        dist = np.full(len(dist), np.nan)
        dist[located] = np.concatenate(
            ([0.0], np.cumsum(haversine_m(lat[:-1], lon[:-1], lat[1:], lon[1:])))
        )
        return dist
    if finite.size and lap_total_m > 0 and finite[0] > lap_total_m:
        warnings.append(
            f"trackpoint distances start at {finite[0]:.0f} m (a running total from earlier); "
            "they were rebased to start at 0"
        )
        return dist - finite[0]
    return dist


def _add_cadence(
    columns: dict[str, np.ndarray],
    cols: dict[str, np.ndarray],
    lap_elements: list[etree._Element],
    sport: str | None,
    warnings: list[str],
) -> np.ndarray:
    """Add ``cadence_spm`` (on foot) or ``cadence_rpm`` to ``columns``; return lap cadence (spm).

    Running cadence comes from TPX ``RunCadence``, else ``<Cadence>``, as strides/min
    unless the values can only be steps (a stride rate above 140/min is impossible).
    """
    run_cad = cols["run_cad"] if np.isfinite(cols["run_cad"]).any() else cols["cad"]
    lap_cad = np.array([_lap_cadence(lap) for lap in lap_elements], dtype=np.float64)
    already_steps = looks_like_steps(run_cad if np.isfinite(run_cad).any() else lap_cad)
    spm, cad_warnings = cadence_to_spm(run_cad, sport=sport, unit="strides")
    if spm is None:
        columns["cadence_rpm"] = cols["cad"]
        return np.full(len(lap_elements), np.nan)
    if already_steps and STEPS_ALREADY_WARNING not in cad_warnings:
        cad_warnings.append(STEPS_ALREADY_WARNING)  # only lap cadence present
    warnings += [w for w in cad_warnings if w not in warnings]
    columns["cadence_spm"] = spm
    return lap_cad if already_steps else 2.0 * lap_cad


def _lap_cadence(lap: etree._Element) -> float:
    """Lap cadence as written: ``LX/AvgRunCadence``, else the lap ``<Cadence>`` (NaN if absent)."""
    for value in (_extension_number(lap, "AvgRunCadence"), _number(lap, "Cadence")):
        if value is not None and value > 0:
            return value
    return np.nan


def _laps(
    lap_elements: list[etree._Element],
    lap_starts: list[float | None],
    lap_spm: np.ndarray,
    start: float,
    warnings: list[str],
) -> list[Lap]:
    """Laps as written. Energy of 0 means "not estimated"; energy beyond
    :data:`MAX_KCAL_PER_MIN` over the whole activity's timer time is ignored (some devices
    put the session's energy into the first lap, so the bound is not per lap)."""
    laps = []
    timers = [_number(lap, "TotalTimeSeconds") for lap in lap_elements]
    activity_s = sum(v for v in timers if v is not None)
    for lap, lap_start, spm, timer in zip(lap_elements, lap_starts, lap_spm, timers, strict=True):
        kcal = _number(lap, "Calories")
        if kcal is not None and kcal <= 0:
            kcal = None
        if kcal is not None and activity_s and kcal > MAX_KCAL_PER_MIN * activity_s / 60:
            warnings.append(
                f"lap energy of {kcal:g} kcal in {activity_s:.0f} s of activity is not "
                "credible; ignored"
            )
            kcal = None
        trigger = _child(lap, "TriggerMethod")
        laps.append(
            Lap(
                start_utc=datetime.fromtimestamp(start if lap_start is None else lap_start, UTC),
                timer_time_s=timer,
                distance_m=_number(lap, "DistanceMeters"),
                avg_hr_bpm=_number(lap, "AverageHeartRateBpm", "Value"),
                max_hr_bpm=_number(lap, "MaximumHeartRateBpm", "Value"),
                avg_speed_m_s=_extension_number(lap, "AvgSpeed"),
                avg_cadence_spm=float(spm) if np.isfinite(spm) else None,
                energy_kcal=kcal,
                trigger=trigger.text.strip() if trigger is not None and trigger.text else None,
            )
        )
    return laps


def _pauses(
    t: np.ndarray, distance_m: np.ndarray, cols: dict[str, np.ndarray], lap_gaps: list[Pause]
) -> tuple[Pause, ...]:
    """Pauses: gaps between laps, stops, and new ``<Track>`` elements within a lap after a gap.

    A stop is a gap of more than :data:`PAUSE_GAP_S` between trackpoints with hardly any
    distance gained (slower than :data:`PAUSE_PACE_S_PER_M`); it needs distances that
    change at all (an indoor ride with distance 0 throughout has none). Garmin starts a
    new ``<Track>`` inside a lap when the timer was stopped; that gap is a pause when it is
    longer than the usual (median) sampling interval.
    """
    if len(t) < 2:
        return tuple(lap_gaps)
    segment, lap = cols["segment"], cols["lap"]
    dt = np.diff(t)
    dd = np.diff(distance_m)
    finite_dd = dd[np.isfinite(dd)]
    moves = bool(finite_dd.size and np.abs(finite_dd).max() > 0)
    with np.errstate(invalid="ignore"):
        stopped = moves & (dt > PAUSE_GAP_S) & np.isfinite(dd) & (dd * PAUSE_PACE_S_PER_M < dt)
    new_track = (segment[1:] != segment[:-1]) & (lap[1:] == lap[:-1])
    resumed = new_track & (dt > max(float(np.median(dt)), 1.0))
    covered = [(p.start_utc.timestamp(), p.start_utc.timestamp() + p.duration_s) for p in lap_gaps]
    pauses = list(lap_gaps) + [
        Pause(datetime.fromtimestamp(float(t[i]), tz=UTC), float(dt[i]))
        for i in np.flatnonzero(stopped | resumed)
        if not any(t[i] <= lo and hi <= t[i + 1] for lo, hi in covered)
    ]
    return tuple(sorted(pauses, key=lambda p: p.start_utc))


def _lap_gaps(
    lap_starts: list[float | None],
    lap_elements: list[etree._Element],
    t: np.ndarray,
    lap: np.ndarray,
) -> list[Pause]:
    """Gaps between laps: from the end of a lap (start + timer time, or its last trackpoint
    if later) to the start of the next, when longer than :data:`PAUSE_GAP_S` and free of
    trackpoints."""
    gaps = []
    for k in range(len(lap_starts) - 1):
        start, next_start = lap_starts[k], lap_starts[k + 1]
        if start is None or next_start is None:
            continue
        end = start + (_number(lap_elements[k], "TotalTimeSeconds") or 0.0)
        in_lap = t[lap == k]
        end = max(end, float(in_lap.max())) if in_lap.size else end
        recording = ((t > end) & (t < next_start)).any()  # then the laps contradict the track
        if next_start - end > PAUSE_GAP_S and not recording:
            gaps.append(Pause(datetime.fromtimestamp(end, tz=UTC), next_start - end))
    return gaps


def _totals(laps: list[Lap], t: np.ndarray) -> DeviceTotals:
    """Sums over laps; time-weighted average heart rate and cadence; elapsed from trackpoints."""

    def total(values: list[float | None]) -> float | None:
        present = [v for v in values if v is not None]
        return float(sum(present)) if present else None

    def weighted(values: list[float | None]) -> float | None:
        pairs: list[tuple[float, float]] = [
            (v, lap.timer_time_s)
            for v, lap in zip(values, laps, strict=True)
            if v is not None and lap.timer_time_s
        ]
        weight = sum(w for _, w in pairs)
        return float(sum(v * w for v, w in pairs) / weight) if weight else None

    distance = total([lap.distance_m for lap in laps])
    timer = total([lap.timer_time_s for lap in laps])
    max_hrs = [lap.max_hr_bpm for lap in laps if lap.max_hr_bpm is not None]
    return DeviceTotals(
        distance_m=distance,
        timer_time_s=timer,
        elapsed_time_s=float(t[-1] - t[0]) if len(t) > 1 else timer,
        avg_speed_m_s=distance / timer if distance is not None and timer else None,
        avg_hr_bpm=weighted([lap.avg_hr_bpm for lap in laps]),
        max_hr_bpm=max(max_hrs) if max_hrs else None,
        energy_kcal=total([lap.energy_kcal for lap in laps]),
        avg_cadence_spm=weighted([lap.avg_cadence_spm for lap in laps]),
    )
