"""Read FIT activity files into :class:`~stridelab.watch.model.Activity` objects.

In: FIT bytes. Out: one activity per FIT session (multisport and multisession files give
several), with records split at session starts (records after the last lap stay with
their session), timer pauses from stop/start events, device totals from the session
message, developer fields (Stryd, RunScribe, Connect IQ) kept under their names, and
cadence in steps per minute.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from stridelab.errors import EmptyActivityError, UnsupportedFormatError
from stridelab.watch.clean import (
    TIME_JUMP_S,
    cadence_to_spm,
    clean_time_axis,
    merge_same_time,
    out_of_range_to_nan,
)
from stridelab.watch.fit_decode import Backend, FitContent, decode_fit
from stridelab.watch.model import (
    RUNNING_SPORTS,
    Activity,
    DeviceTotals,
    Lap,
    Pause,
    Records,
    make_records,
    utc_from_timestamp,
)

__all__ = ["DEVELOPER_FALLBACKS", "activities_from_fit", "read_fit"]

# Canonical column <- FIT record fields, first present wins.
_NATIVE: dict[str, tuple[str, ...]] = {
    "distance_m": ("distance",),
    # The plain 16-bit field first: fitfast 0.1 re-derives enhanced_speed from it with a
    # float truncation (4.015 -> 4.014); the enhanced field fills in beyond 16 bits.
    "speed_m_s": ("speed", "enhanced_speed"),
    "altitude_m": ("altitude", "enhanced_altitude"),
    "heart_rate_bpm": ("heart_rate",),
    "latitude_deg": ("position_lat",),
    "longitude_deg": ("position_long",),
    "power_w": ("power",),
    "ground_contact_ms": ("stance_time",),
    "vertical_oscillation_mm": ("vertical_oscillation",),
    "vertical_ratio_pct": ("vertical_ratio",),
    "stance_balance_left_pct": ("stance_time_balance",),
    "step_length_mm": ("step_length",),
    "temperature_c": ("temperature",),
}

#: Developer fields used for a canonical column when the device has no native value:
#: (developer field name, factor to the canonical unit). The developer column is kept too.
DEVELOPER_FALLBACKS: dict[str, tuple[tuple[str, float], ...]] = {
    "power_w": (("Power", 1.0), ("RP_Power", 1.0), ("RS_Power_AVG", 1.0)),
    "ground_contact_ms": (("Ground Time", 1.0), ("ContactTime", 1.0)),
    "vertical_oscillation_mm": (("Vertical Oscillation", 10.0),),  # Stryd: centimetres
}

# Running-dynamics fields in which 0 means "no value" (standing, sensor off).
_ZERO_MEANS_NONE = (
    "ground_contact_ms",
    "vertical_oscillation_mm",
    "vertical_ratio_pct",
    "stance_balance_left_pct",
    "step_length_mm",
)

_TIMER_STOPS = frozenset({"stop", "stop_all", "stop_disable", "stop_disable_all"})
_NOT_ACTIVITY_TYPES = frozenset(
    {
        "settings",
        "workout",
        "weight",
        "monitoring_a",
        "monitoring_b",
        "monitoring_daily",
        "course",
        "schedules",
        "device",
        "totals",
        "goals",
        "blood_pressure",
        "sport",
        "segment",
        "segment_list",
        "exd_configuration",
        "mfg_range_min",
        "mfg_range_max",
    }
)


def read_fit(data: bytes, /, *, backend: Backend = "auto") -> list[Activity]:
    """Decode FIT bytes and build its activities (see :func:`activities_from_fit`)."""
    return activities_from_fit(decode_fit(data, backend=backend))


def activities_from_fit(content: FitContent, /) -> list[Activity]:
    """Build activities from decoded FIT content.

    Raises
    ------
    UnsupportedFormatError
        The FIT file is not an activity (settings, workout, weight scale, monitoring...).
    EmptyActivityError
        An activity file without any record or session.
    """
    file_type = _file_type(content)
    sessions = sorted(
        (s for s in content.messages["session"] if _num(s.get("start_time")) is not None),
        key=lambda s: float(s["start_time"]),
    )
    if file_type in _NOT_ACTIVITY_TYPES:
        raise UnsupportedFormatError(
            f"this FIT file is a '{file_type}' file, not an activity: nothing to import"
        )
    ts_raw = content.records.get("timestamp", np.empty(0))
    if not sessions and not np.isfinite(ts_raw).any():
        raise EmptyActivityError("the FIT file holds no records and no session: no activity")

    keep, time_warnings = clean_time_axis(ts_raw)
    raw = {k: v[keep] for k, v in content.records.items() if k != "timestamp"}
    ts, raw, n_merged = merge_same_time(ts_raw[keep], raw)
    raw["timestamp"] = ts
    if n_merged:
        time_warnings.append(f"{n_merged} records sharing a second with another were merged")
    warnings = [*content.warnings, *time_warnings]
    creator = _creator(content)
    offset_min = _timezone_offset_min(content)
    fallback_sport = _fallback_sport(content)

    if not sessions:
        start = float(ts[0]) if len(ts) else 0.0
        sessions = [{"start_time": start, "sport": fallback_sport}]
        warnings.append("no session message (file cut short?): totals computed from records")

    starts = [float(s["start_time"]) for s in sessions]
    bounds = [-np.inf, *starts[1:], np.inf]
    events = sorted(
        (e for e in content.messages["event"] if _num(e.get("timestamp")) is not None),
        key=lambda e: float(e["timestamp"]),
    )
    activities = []
    for i, session in enumerate(sessions):
        lo, hi = bounds[i], bounds[i + 1]
        mask = (ts >= lo) & (ts < hi)
        sport = _text(session.get("sport")) or fallback_sport
        sub_sport = _text(session.get("sub_sport"))
        records, rec_warnings = _records(raw, mask, content.developer_fields, sport)
        laps = tuple(
            _lap(m, sport)
            for m in sorted(content.messages["lap"], key=lambda m: _num(m.get("start_time")) or 0)
            if (t := _num(m.get("start_time"))) is not None and lo <= t < hi
        )
        pauses = _pauses(events, lo, hi)
        jumps = tuple(j for j in _time_jumps(records.timestamp_s) if not _overlaps_any(j, pauses))
        session_start = _num(session.get("start_time"))
        if session_start is None:
            session_start = float(records.timestamp_s[0]) if len(records) else 0.0
        activities.append(
            Activity(
                source_format="fit",
                session_index=i,
                sport=sport,
                sub_sport=sub_sport,
                start_utc=utc_from_timestamp(session_start),
                records=records,
                timezone_offset_min=offset_min,
                laps=laps,
                pauses=pauses + jumps,
                totals=_totals(session, sport),
                creator=creator,
                decoder=content.decoder,
                warnings=tuple(warnings + rec_warnings),
            )
        )
    return activities


# ------------------------------------------------------------------------- helpers


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    v = float(value)
    return v if np.isfinite(v) else None


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value:
        return value
    return None


def _file_type(content: FitContent) -> str | None:
    for fid in content.messages["file_id"]:
        t = fid.get("type")
        if isinstance(t, str):
            return t
    return None


def _fallback_sport(content: FitContent) -> str | None:
    for m in content.messages["sport"]:
        if s := _text(m.get("sport")):
            return s
    return None


def _creator(content: FitContent) -> str | None:
    for fid in content.messages["file_id"]:
        manufacturer = fid.get("manufacturer")
        product = fid.get("product")
        if manufacturer is None and product is None:
            continue
        parts = [str(manufacturer) if manufacturer is not None else "unknown"]
        if product is not None:
            parts.append(_product_name(manufacturer, product))
        return " ".join(parts)
    return None


def _product_name(manufacturer: Any, product: Any) -> str:
    if manufacturer in ("garmin", "dynastream", "dynastream_oem") and isinstance(product, int):
        from garmin_fit_sdk import Profile

        name = Profile["types"].get("garmin_product", {}).get(product)
        if name:
            return str(name)
    return str(product)


def _timezone_offset_min(content: FitContent) -> int | None:
    for act in content.messages["activity"]:
        ts, local = _num(act.get("timestamp")), _num(act.get("local_timestamp"))
        if ts is None or local is None:
            continue
        offset = (local - ts) / 60.0
        if abs(offset) <= 14 * 60:
            return int(round(offset / 15.0) * 15)
    return None


def _records(
    raw: Mapping[str, np.ndarray], mask: np.ndarray, dev_units: Mapping[str, str], sport: str | None
) -> tuple[Records, list[str]]:
    n = int(mask.sum())
    cols: dict[str, np.ndarray] = {"timestamp_s": raw["timestamp"][mask]}
    for name, sources in _NATIVE.items():
        merged: np.ndarray | None = None
        for src in sources:  # first source wins; later ones fill its gaps
            col = raw.get(src)
            if col is None or not np.isfinite(col[mask]).any():
                continue
            merged = (
                col[mask] if merged is None else np.where(np.isfinite(merged), merged, col[mask])
            )
        if merged is not None:
            cols[name] = merged
    developer = {k: raw[k][mask] for k in dev_units if k in raw}
    for name, fallbacks in DEVELOPER_FALLBACKS.items():
        if name in cols:
            continue
        for dev_name, factor in fallbacks:
            col = developer.get(dev_name)
            if col is not None and np.isfinite(col).any():
                cols[name] = col * factor
                break
    warnings: list[str] = []
    for name in _ZERO_MEANS_NONE:
        if name in cols:
            cols[name] = np.where(cols[name] == 0, np.nan, cols[name])
    cad = raw.get("cadence")
    if cad is not None and n:
        cadence = cad[mask] + np.nan_to_num(raw.get("fractional_cadence", np.zeros(len(cad)))[mask])
        if _cadence_counts_steps(sport, cols):
            spm, cad_warn = cadence_to_spm(cadence, sport=sport, unit="rpm")
            warnings += cad_warn
            if spm is not None:
                cols["cadence_spm"] = spm
        else:
            cols["cadence_rpm"] = cadence
            if sport in (None, "generic") and np.isfinite(cadence).any():
                warnings.append(
                    "sport not stated and no running dynamics: cadence kept as revolutions "
                    "per minute, not converted to steps"
                )
    cols, range_warn = out_of_range_to_nan(cols)
    warnings += range_warn
    return make_records(cols, developer, dev_units), warnings


def _cadence_counts_steps(sport: str | None, cols: Mapping[str, np.ndarray]) -> bool:
    """Whether FIT cadence is strides (on foot): by sport, or by running dynamics if unknown."""
    if sport in RUNNING_SPORTS:
        return True
    if sport in (None, "generic"):
        gct = cols.get("ground_contact_ms")
        return gct is not None and bool(np.isfinite(gct).any())
    return False


def _cadence_spm_from(value: Any, fractional: Any, sport: str | None) -> float | None:
    v = _num(value)
    if v is None or v <= 0 or sport not in RUNNING_SPORTS:
        return None
    v += _num(fractional) or 0.0
    spm, _ = cadence_to_spm(np.array([v]), sport=sport, unit="rpm")
    return None if spm is None else float(spm[0])


def _lap(m: Mapping[str, Any], sport: str | None) -> Lap:
    return Lap(
        start_utc=utc_from_timestamp(float(m["start_time"])),
        elapsed_time_s=_num(m.get("total_elapsed_time")),
        timer_time_s=_num(m.get("total_timer_time")),
        distance_m=_num(m.get("total_distance")),
        avg_hr_bpm=_num(m.get("avg_heart_rate")),
        max_hr_bpm=_num(m.get("max_heart_rate")),
        avg_speed_m_s=_num(m.get("avg_speed")) or _num(m.get("enhanced_avg_speed")),
        avg_cadence_spm=_cadence_spm_from(
            m.get("avg_running_cadence", m.get("avg_cadence")),
            m.get("avg_fractional_cadence"),
            sport,
        ),
        energy_kcal=_num(m.get("total_calories")),
        trigger=_text(m.get("lap_trigger")),
    )


def _totals(s: Mapping[str, Any], sport: str | None) -> DeviceTotals:
    def positive(key: str) -> float | None:
        v = _num(s.get(key))
        return v if v is not None and v > 0 else None

    return DeviceTotals(
        distance_m=_num(s.get("total_distance")),
        timer_time_s=_num(s.get("total_timer_time")),
        elapsed_time_s=_num(s.get("total_elapsed_time")),
        avg_speed_m_s=_num(s.get("avg_speed")) or _num(s.get("enhanced_avg_speed")),
        avg_hr_bpm=positive("avg_heart_rate"),
        max_hr_bpm=positive("max_heart_rate"),
        energy_kcal=_num(s.get("total_calories")),
        avg_cadence_spm=_cadence_spm_from(
            s.get("avg_running_cadence", s.get("avg_cadence")),
            s.get("avg_fractional_cadence"),
            sport,
        ),
        avg_power_w=positive("avg_power"),
        avg_ground_contact_ms=positive("avg_stance_time"),
        avg_vertical_oscillation_mm=positive("avg_vertical_oscillation"),
        avg_vertical_ratio_pct=positive("avg_vertical_ratio"),
        avg_stance_balance_left_pct=positive("avg_stance_time_balance"),
        avg_step_length_mm=positive("avg_step_length"),
    )


def _pauses(events: Sequence[Mapping[str, Any]], lo: float, hi: float) -> tuple[Pause, ...]:
    """Timer stop → start pairs whose stop falls in [lo, hi)."""
    pauses = []
    stopped_at: float | None = None
    for e in events:
        if e.get("event") != "timer":
            continue
        t = float(e["timestamp"])
        kind = e.get("event_type")
        if kind in _TIMER_STOPS:
            if stopped_at is None:
                stopped_at = t
        elif kind == "start" and stopped_at is not None:
            if lo <= stopped_at < hi and t > stopped_at:
                pauses.append(
                    Pause(start_utc=utc_from_timestamp(stopped_at), duration_s=t - stopped_at)
                )
            stopped_at = None
    return tuple(pauses)


def _overlaps_any(pause: Pause, others: tuple[Pause, ...]) -> bool:
    """True if ``pause`` overlaps one of ``others`` (a gap the timer already explains)."""
    start = pause.start_utc.timestamp()
    end = start + pause.duration_s
    return any(
        o.start_utc.timestamp() < end and start < o.start_utc.timestamp() + o.duration_s
        for o in others
    )


def _time_jumps(ts: np.ndarray) -> tuple[Pause, ...]:
    if len(ts) < 2:
        return ()
    gaps = np.diff(ts)
    idx = np.flatnonzero(gaps > TIME_JUMP_S)
    return tuple(Pause(start_utc=utc_from_timestamp(ts[i]), duration_s=float(gaps[i])) for i in idx)
