"""Build an :class:`Overview` of one athlete from the database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone

import numpy as np

from stridelab.analysis import (
    ACWR_LIMITS_NOTE,
    CadenceSpeedFit,
    CurvePosition,
    LoadFlag,
    RotationSummary,
    ShoeInfo,
    ShoeRun,
    ShoeUsage,
    SpringMass,
    WeekLoad,
    daily_series,
    estimate_spring_mass,
    ewma_acwr,
    fit_cadence_speed,
    leg_length_from_height_m,
    load_flags,
    monotony,
    position_on_curve,
    rotation_summary,
    shoe_usage,
    steady_segments,
    weekly_load,
)
from stridelab.errors import InputError
from stridelab.store import Database, ensure_athlete, list_activities, list_shoes, load_records
from stridelab.store.models import ActivityRow
from stridelab.watch.model import RUNNING_SPORTS, Records

__all__ = [
    "ASSUMED_HEIGHT_M",
    "ASSUMED_MASS_KG",
    "Overview",
    "RunDynamics",
    "build_overview",
    "shoe_overview",
]

#: Used when the athlete has not said; every result computed with them says so.
ASSUMED_MASS_KG = 70.0
ASSUMED_HEIGHT_M = 1.75

#: A sample counts as running when faster than this (m/s) with a cadence.
_RUNNING_SPEED_M_S = 1.8


@dataclass(frozen=True)
class RunDynamics:
    """Typical running-dynamics figures of one run (medians over running samples)."""

    activity_id: int
    start_utc: datetime
    distance_km: float | None
    speed_m_s: float | None
    cadence_spm: float | None
    ground_contact_ms: float | None
    vertical_oscillation_mm: float | None
    spring_mass: SpringMass | None
    curve_position: CurvePosition | None
    n_running_samples: int


@dataclass(frozen=True)
class Overview:
    athlete: str
    mass_kg: float
    leg_length_m: float
    assumptions: tuple[str, ...]
    n_runs: int
    cadence_curve: CadenceSpeedFit | None
    cadence_curve_note: str
    runs: tuple[RunDynamics, ...]
    weeks: tuple[WeekLoad, ...]
    acwr_latest: float | None
    monotony_latest: float | None
    flags: tuple[LoadFlag, ...]
    acwr_note: str
    shoes: tuple[ShoeUsage, ...]
    rotation: RotationSummary | None
    notes: tuple[str, ...] = field(default=())


def _median(col: np.ndarray | None, mask: np.ndarray) -> float | None:
    if col is None:
        return None
    vals = col[mask & np.isfinite(col)]
    return float(np.median(vals)) if vals.size else None


def _running_mask(rec: Records) -> np.ndarray:
    speed = rec.columns["speed_m_s"]
    cad = rec.columns["cadence_spm"]
    with np.errstate(invalid="ignore"):
        return np.isfinite(speed) & (speed > _RUNNING_SPEED_M_S) & np.isfinite(cad)


def _body(db: Database, athlete: str) -> tuple[float, float, list[str]]:
    row = ensure_athlete(db, athlete)
    notes = []
    mass = row.mass_kg
    if mass is None:
        mass = ASSUMED_MASS_KG
        notes.append(
            f"body mass not set: {ASSUMED_MASS_KG:g} kg assumed ('stridelab athlete set --mass-kg')"
        )
    if row.leg_length_cm is not None:
        leg = row.leg_length_cm / 100.0
    elif row.height_cm is not None:
        leg = leg_length_from_height_m(row.height_cm / 100.0)
        notes.append("leg length estimated as 0.53 × height (Morin et al. 2005)")
    else:
        leg = leg_length_from_height_m(ASSUMED_HEIGHT_M)
        notes.append(
            f"height and leg length not set: leg length {leg:.2f} m assumed "
            f"(0.53 × {ASSUMED_HEIGHT_M} m)"
        )
    return mass, leg, notes


def build_overview(
    db: Database, /, *, athlete: str = "me", weeks: int = 8, today: date | None = None
) -> Overview:
    """Everything ``stridelab analyze`` shows, as data.

    ``today`` defaults to the date of the latest run, so that an imported history (or
    the demo) is read as of its own end; ``runs`` and ``weeks`` cover the ``weeks``
    weeks up to then, the cadence–speed curve uses all runs.
    """
    mass, leg, assumptions = _body(db, athlete)
    rows = [r for r in list_activities(db, athlete=athlete) if r.sport in RUNNING_SPORTS]
    today = today or (rows[-1].start_utc.date() if rows else datetime.now(tz=UTC).date())
    tz = _athlete_timezone(rows)

    steady_speed: list[np.ndarray] = []
    steady_cad: list[np.ndarray] = []
    per_run: list[tuple[int, Records]] = []
    for r in rows:
        rec = load_records(db, r.id)
        per_run.append((r.id, rec))
        if rec.get("speed_m_s") is None or rec.get("cadence_spm") is None:
            continue
        s = steady_segments(rec.timestamp_s, rec.columns["speed_m_s"], rec.columns["cadence_spm"])
        steady_speed.append(s.speed_m_s)
        steady_cad.append(s.cadence_spm)

    curve: CadenceSpeedFit | None = None
    curve_note = ""
    if steady_speed:
        try:
            curve = fit_cadence_speed(np.concatenate(steady_speed), np.concatenate(steady_cad))
            curve_note = curve.describe()
        except InputError as exc:
            curve_note = f"no cadence–speed curve yet: {exc}"
    else:
        curve_note = "no cadence–speed curve yet: no run with both speed and cadence"

    dynamics = []
    for (aid, rec), r in zip(per_run, rows, strict=True):
        mask = _running_mask(rec)
        speed = _median(rec.columns["speed_m_s"], mask)
        cad = _median(rec.columns["cadence_spm"], mask)
        gct = _median(rec.columns["ground_contact_ms"], mask)
        spring = None
        if speed is not None and cad is not None and gct is not None:
            spring = estimate_spring_mass(
                speed_m_s=speed,
                contact_time_ms=gct,
                cadence_spm=cad,
                mass_kg=mass,
                leg_length_m=leg,
            )
        pos = None
        if curve is not None and speed is not None and cad is not None:
            pos = position_on_curve(curve, speed, cad)
        dynamics.append(
            RunDynamics(
                activity_id=aid,
                start_utc=r.start_utc,
                distance_km=r.distance_km,
                speed_m_s=speed,
                cadence_spm=cad,
                ground_contact_ms=gct,
                vertical_oscillation_mm=_median(rec.columns["vertical_oscillation_mm"], mask),
                spring_mass=spring,
                curve_position=pos,
                n_running_samples=int(mask.sum()),
            )
        )

    starts = [r.start_utc for r in rows]
    dist = np.array([r.distance_km or 0.0 for r in rows], dtype=float)
    moving = np.array([r.moving_time_s or 0.0 for r in rows], dtype=float)
    week_list: list[WeekLoad] = []
    acwr_latest = mono = None
    flags: list[LoadFlag] = []
    if rows:
        week_list = weekly_load(starts, dist, moving, timezone=tz, through_date=today)
        daily = daily_series(starts, dist, end_date=today, timezone=tz)
        ratio = ewma_acwr(daily.values)
        acwr_latest = float(ratio[-1]) if len(ratio) and np.isfinite(ratio[-1]) else None
        mono = monotony(daily.values[-7:]) if len(daily.values) >= 7 else None
        flags = load_flags(week_list, acwr_latest, monotony_latest=mono)

    usages, rotation = _shoes(db, athlete, rows, today=today, tz=tz)
    return Overview(
        athlete=athlete,
        mass_kg=mass,
        leg_length_m=leg,
        assumptions=tuple(assumptions),
        n_runs=len(rows),
        cadence_curve=curve,
        cadence_curve_note=curve_note,
        runs=tuple(
            d
            for d in dynamics
            if d.start_utc.astimezone(tz).date() > today - timedelta(weeks=weeks)
        ),
        weeks=tuple(week_list[-weeks:]),
        acwr_latest=acwr_latest,
        monotony_latest=mono,
        flags=tuple(flags),
        acwr_note=ACWR_LIMITS_NOTE,
        shoes=tuple(usages),
        rotation=rotation,
    )


def shoe_overview(
    db: Database, /, *, athlete: str = "me", today: date | None = None
) -> tuple[list[ShoeUsage], RotationSummary | None]:
    """Shoe mileage and rotation only (no records are read)."""
    rows = [r for r in list_activities(db, athlete=athlete) if r.sport in RUNNING_SPORTS]
    today = today or (rows[-1].start_utc.date() if rows else datetime.now(tz=UTC).date())
    return _shoes(db, athlete, rows, today=today, tz=_athlete_timezone(rows))


def _shoes(
    db: Database,
    athlete: str,
    rows: Sequence[ActivityRow],
    *,
    today: date,
    tz: timezone,
) -> tuple[list[ShoeUsage], RotationSummary | None]:
    shoes = list_shoes(db, athlete=athlete)
    if not shoes:
        return [], None
    infos = [
        ShoeInfo(
            id=s.id,
            name=s.name,
            start_km=s.start_km,
            retire_at_km=s.retire_at_km,
            retired=s.retired_at is not None,
        )
        for s in shoes
    ]
    runs = [
        ShoeRun(start_utc=r.start_utc, distance_km=r.distance_km or 0.0, shoe_id=r.shoe_id)
        for r in rows
    ]
    usages = shoe_usage(runs, infos, today=today, timezone=tz)
    recent = [r for r in runs if r.start_utc.astimezone(tz).date() > today - timedelta(days=30)]
    rotation = rotation_summary(
        usages, runs_without_shoe_last_30d=sum(r.shoe_id is None for r in recent)
    )
    return usages, rotation


def _athlete_timezone(rows: Sequence[ActivityRow]) -> timezone:
    """The most recent stated UTC offset of the athlete's runs (UTC if none)."""
    for r in reversed(rows):
        if r.timezone_offset_min is not None:
            return timezone(timedelta(minutes=r.timezone_offset_min))
    return UTC
