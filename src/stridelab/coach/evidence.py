"""Everything stored for an athlete, read once and turned into plain measurements.

In: the database (video gait analyses, mobility and jump tests, runs with their
cadence–speed curve, load flags and shoes). Out: an :class:`Evidence` object of
:class:`Measurement` values — the only input of the findings rules and of progress, so
both can be tested with exact synthetic values and without a database.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import select

from stridelab.store import Database, list_activities
from stridelab.store.models import AthleteRow
from stridelab.store.repository import list_assessments, list_video_analyses
from stridelab.watch.model import RUNNING_SPORTS

__all__ = [
    "JUMP_SUMMARY_KEY",
    "MOBILITY_TESTS",
    "CadenceEvidence",
    "Evidence",
    "LoadEvidence",
    "Measurement",
    "collect_evidence",
]

#: Mobility and stability tests read (``test`` of the stored assessment).
MOBILITY_TESTS = (
    "ankle_dorsiflexion",
    "big_toe_extension",
    "hip_extension",
    "single_leg_squat",
    "single_leg_balance",
    "calf_raise",
    "plank",
    "side_plank",
)
#: Jump test → (summary key, unit).
JUMP_SUMMARY_KEY: Mapping[str, tuple[str, str]] = {
    "cmj": ("best_height_cm", "cm"),
    "squat": ("best_height_cm", "cm"),
    "rj10-5": ("best_rsi", ""),
    "drop": ("best_rsi", ""),
    "pogo": ("best_rsi", ""),
}


@dataclass(frozen=True)
class Measurement:
    """One stored number with its context (a video metric, a test result…)."""

    key: str  # e.g. "video.overstride_cm", "mobility.ankle_dorsiflexion.left"
    on: date
    value: float
    unit: str
    quality: str = "good"  # good | fair | poor | withheld
    n: int = 0  # steps in a video, trials/jumps in a test
    uncertainty: float | None = None
    mdc: float | None = None
    higher_is_better: bool | None = None
    norm: Mapping[str, Any] | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CadenceEvidence:
    """The runner's own cadence–speed line at their easy pace."""

    easy_speed_m_s: float
    expected_spm: float
    residual_sd_spm: float
    n_points: int
    description: str


@dataclass(frozen=True)
class LoadEvidence:
    """Load flags and shoes, as strings and numbers taken from the overview."""

    flags: tuple[tuple[str, float, float, str, str], ...]  # kind, value, threshold, msg, src
    weeks_with_runs: int
    last_run: date | None
    single_pair: bool = False
    rotation_message: str = ""
    rotation_source: str = ""
    shoe_warnings: tuple[tuple[str, str, float | None], ...] = ()  # name, message, wear %


@dataclass(frozen=True)
class Evidence:
    """Everything the rules read, already out of the database."""

    athlete: str
    video: tuple[Measurement, ...] = ()
    mobility: tuple[Measurement, ...] = ()
    jumps: tuple[Measurement, ...] = ()
    n_runs: int = 0
    cadence: CadenceEvidence | None = None
    load: LoadEvidence | None = None

    @property
    def has_any(self) -> bool:
        return bool(self.video or self.mobility or self.jumps or self.n_runs)


# --------------------------------------------------------------------- collecting


def _athlete_exists(db: Database, athlete: str) -> bool:
    with db.session() as s:
        return s.scalar(select(AthleteRow.id).where(AthleteRow.name == athlete)) is not None


def _video_measurements(rows: Sequence[Any]) -> list[Measurement]:
    out: list[Measurement] = []
    for row in sorted(rows, key=lambda r: (r.analysed_at, r.id)):  # oldest first
        metrics = (row.result or {}).get("metrics") or {}
        summary = row.summary or {}
        on = row.analysed_at.date()
        performed = (row.result or {}).get("video", {}).get("recorded_on")
        if isinstance(performed, str):
            with contextlib.suppress(ValueError):  # keep the analysis date
                on = date.fromisoformat(performed[:10])
        keys = set(summary) | set(metrics)
        for key in sorted(keys):
            m = metrics.get(key) or {}
            value = m.get("value", summary.get(key))
            quality = str(m.get("quality", "good" if value is not None else "withheld"))
            if not isinstance(value, int | float) or isinstance(value, bool):
                continue
            if quality == "withheld":
                continue
            out.append(
                Measurement(
                    key=f"video.{key}",
                    on=on,
                    value=float(value),
                    unit=str(m.get("unit", "")),
                    quality=quality,
                    n=int(m.get("n_steps") or row.n_steps_used or 0),
                    uncertainty=m.get("uncertainty"),
                    extra={
                        "asymmetry_pct": m.get("asymmetry_pct"),
                        "file": row.file_name,
                        "view": row.view,
                    },
                )
            )
    return out


def _assessment_measurements(rows: Sequence[Any]) -> tuple[list[Measurement], list[Measurement]]:
    mobility: list[Measurement] = []
    jumps: list[Measurement] = []
    for row in rows:
        s = row.summary or {}
        on = row.performed_at.date()
        if row.test in MOBILITY_TESTS:
            value = s.get("value")
            if not isinstance(value, int | float) or isinstance(value, bool):
                continue
            side = s.get("side")
            key = f"mobility.{row.test}" + (f".{side}" if side in ("left", "right") else "")
            mobility.append(
                Measurement(
                    key=key,
                    on=on,
                    value=float(value),
                    unit=str(s.get("unit", "")),
                    quality=str(s.get("quality", "fair")),
                    n=1,
                    mdc=s.get("mdc"),
                    higher_is_better=s.get("higher_is_better"),
                    norm=s.get("norm"),
                    extra={"warnings": s.get("warnings") or []},
                )
            )
        elif row.test in JUMP_SUMMARY_KEY:
            skey, unit = JUMP_SUMMARY_KEY[row.test]
            value = s.get(skey)
            if not isinstance(value, int | float) or isinstance(value, bool):
                continue
            n_valid = sum(1 for j in (row.result or {}).get("jumps", []) if j.get("valid", True))
            jumps.append(
                Measurement(
                    key=f"jump.{row.test}.{skey}",
                    on=on,
                    value=float(value),
                    unit=unit,
                    quality={"force_plate": "good", "video": "good"}.get(row.input_kind, "fair"),
                    n=n_valid,
                    uncertainty=s.get("height_uncertainty_cm"),
                    higher_is_better=True,
                    extra={"input_kind": row.input_kind},
                )
            )
    return mobility, jumps


def _watch_evidence(db: Database, athlete: str) -> tuple[CadenceEvidence | None, LoadEvidence]:
    from stridelab.insights import build_overview

    ov = build_overview(db, athlete=athlete)
    cadence = None
    curve = ov.cadence_curve
    if curve is not None:
        speeds = sorted(r.speed_m_s for r in ov.runs if r.speed_m_s is not None)
        # Easy pace: the lower quartile of the runs' typical speeds (inside the fitted range).
        easy = speeds[len(speeds) // 4] if speeds else curve.speed_min_m_s
        easy = min(max(easy, curve.speed_min_m_s), curve.speed_max_m_s)
        cadence = CadenceEvidence(
            easy_speed_m_s=float(easy),
            expected_spm=float(curve.predict_spm(easy)),
            residual_sd_spm=curve.residual_sd_spm,
            n_points=curve.n_points,
            description=curve.describe(),
        )
    flags = tuple((f.kind, f.value, f.threshold, f.message, f.source) for f in ov.flags)
    shoe_warnings = tuple((u.name, w, u.wear_pct) for u in ov.shoes for w in u.warnings)
    rot = ov.rotation
    load = LoadEvidence(
        flags=flags,
        weeks_with_runs=sum(1 for w in ov.weeks if w.n_runs > 0),
        last_run=None,
        single_pair=bool(rot and rot.single_pair),
        rotation_message=rot.message if rot else "",
        rotation_source=rot.source if rot else "",
        shoe_warnings=shoe_warnings,
    )
    return cadence, load


def collect_evidence(db: Database, athlete: str) -> Evidence:
    """Read everything stored for ``athlete`` (an unknown athlete has no evidence; nothing
    is written)."""
    if not _athlete_exists(db, athlete):
        return Evidence(athlete=athlete)
    video = _video_measurements(list_video_analyses(db, athlete=athlete))
    mobility, jumps = _assessment_measurements(list_assessments(db, athlete=athlete))
    runs = [r for r in list_activities(db, athlete=athlete) if r.sport in RUNNING_SPORTS]
    cadence = load = None
    if runs:
        cadence, load = _watch_evidence(db, athlete)
        load = replace(load, last_run=runs[-1].start_utc.date())
    return Evidence(
        athlete=athlete,
        video=tuple(video),
        mobility=tuple(mobility),
        jumps=tuple(jumps),
        n_runs=len(runs),
        cadence=cadence,
        load=load,
    )
