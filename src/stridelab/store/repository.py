"""Read and write stridelab data: activities in and out of the database, athletes, shoes.

Functions take a :class:`~stridelab.store.db.Database` and plain values and return plain
values or ORM rows detached from their session; each write is one transaction.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from stridelab.errors import InputError, NotFoundError
from stridelab.store.columnar import CODEC, decode_records, encode_records
from stridelab.store.db import Database
from stridelab.store.models import (
    ActivityRow,
    AthleteRow,
    LapRow,
    RecordBlobRow,
    ShoeRow,
    SourceFileRow,
)
from stridelab.watch.model import RUNNING_SPORTS, Activity, Records
from stridelab.watch.summary import summarize

__all__ = [
    "DEFAULT_ATHLETE",
    "SaveResult",
    "activities_of_file",
    "add_shoe",
    "assign_shoe",
    "ensure_athlete",
    "get_activity",
    "get_video_analysis",
    "list_activities",
    "list_assessments",
    "list_shoes",
    "list_video_analyses",
    "load_records",
    "retire_shoe",
    "save_assessment",
    "save_file_activities",
    "save_video_analysis",
    "set_default_shoe",
    "update_athlete",
]

#: The athlete used when none is named (a runner using stridelab for themselves).
DEFAULT_ATHLETE = "me"


@dataclass(frozen=True)
class SaveResult:
    """What saving one file did: ``created`` is False when the file was already there."""

    source_file_id: int
    activity_ids: tuple[int, ...]
    created: bool


# ------------------------------------------------------------------------- athletes


def _athlete(session: Session, name: str, *, create: bool) -> AthleteRow:
    row = session.scalar(select(AthleteRow).where(AthleteRow.name == name))
    if row is None:
        if not create:
            raise NotFoundError(f"no athlete named {name!r} (add one with 'stridelab athlete set')")
        row = AthleteRow(name=name)
        session.add(row)
        session.flush()
    return row


def ensure_athlete(db: Database, name: str = DEFAULT_ATHLETE) -> AthleteRow:
    """The athlete named ``name``, created if missing."""
    with db.session() as s:
        return _athlete(s, name, create=True)


_ATHLETE_LIMITS = {
    "height_cm": (50.0, 260.0),
    "mass_kg": (20.0, 300.0),
    "leg_length_cm": (30.0, 150.0),
    "birth_year": (1900, datetime.now(tz=UTC).year),
}


def update_athlete(db: Database, name: str, **fields: float | int | str | None) -> AthleteRow:
    """Set an athlete's fields (created if missing); absurd values raise InputError."""
    allowed = {"height_cm", "mass_kg", "leg_length_cm", "birth_year", "sex"}
    unknown = set(fields) - allowed
    if unknown:
        raise InputError(f"unknown athlete fields: {sorted(unknown)}")
    for key, value in fields.items():
        if value is None or key == "sex":
            continue
        lo, hi = _ATHLETE_LIMITS[key]
        if not lo <= float(value) <= hi:
            raise InputError(f"{key}={value} is outside the plausible range {lo}–{hi}")
    if fields.get("sex") not in (None, "female", "male", "other"):
        raise InputError("sex must be one of: female, male, other")
    with db.session() as s:
        row = _athlete(s, name, create=True)
        for key, value in fields.items():
            if value is not None:
                setattr(row, key, value)
        return row


# ----------------------------------------------------------------------- activities


def save_file_activities(
    db: Database,
    activities: Sequence[Activity],
    *,
    sha256: str,
    path: str,
    size_bytes: int,
    athlete: str = DEFAULT_ATHLETE,
) -> SaveResult:
    """Store all activities of one file in one transaction (all or nothing).

    A file whose content hash is already stored is not stored again: the result points
    at the existing activities with ``created=False``.
    """
    with db.session() as s:
        existing = s.scalar(select(SourceFileRow).where(SourceFileRow.sha256 == sha256))
        if existing is not None:
            ids = tuple(a.id for a in sorted(existing.activities, key=lambda a: a.session_index))
            return SaveResult(existing.id, ids, created=False)
    try:
        return _insert(
            db, activities, sha256=sha256, path=path, size_bytes=size_bytes, athlete=athlete
        )
    except IntegrityError:
        # A concurrent import of the same file won the race: report it as a duplicate.
        with db.session() as s:
            existing = s.scalar(select(SourceFileRow).where(SourceFileRow.sha256 == sha256))
            if existing is None:
                raise
            ids = tuple(a.id for a in existing.activities)
            return SaveResult(existing.id, ids, created=False)


def _insert(
    db: Database,
    activities: Sequence[Activity],
    *,
    sha256: str,
    path: str,
    size_bytes: int,
    athlete: str,
) -> SaveResult:
    with db.session() as s:
        athlete_row = _athlete(s, athlete, create=True)
        default_shoe = s.scalar(
            select(ShoeRow).where(
                ShoeRow.athlete_id == athlete_row.id,
                ShoeRow.is_default.is_(True),
                ShoeRow.retired_at.is_(None),
            )
        )
        fmt = activities[0].source_format if activities else "?"
        decoder = activities[0].decoder if activities else None
        src = SourceFileRow(
            sha256=sha256, path=path, format=fmt, size_bytes=size_bytes, decoder=decoder
        )
        s.add(src)
        s.flush()
        ids = []
        for act in activities:
            row = _activity_row(act, src, athlete_row.id, path)
            if default_shoe is not None and act.sport in RUNNING_SPORTS:
                row.shoe_id = default_shoe.id
            s.add(row)
            s.flush()
            ids.append(row.id)
        return SaveResult(src.id, tuple(ids), created=True)


def _activity_row(act: Activity, src: SourceFileRow, athlete_id: int, path: str) -> ActivityRow:
    summary = summarize(act, source_file=path)
    blob, columns = encode_records(act.records)
    row = ActivityRow(
        source_file_id=src.id,
        session_index=act.session_index,
        athlete_id=athlete_id,
        sport=act.sport,
        sub_sport=act.sub_sport,
        start_utc=act.start_utc,
        timezone_offset_min=act.timezone_offset_min,
        distance_km=summary.distance_km,
        moving_time_s=summary.moving_time_s,
        elapsed_time_s=summary.elapsed_time_s,
        creator=act.creator,
        decoder=act.decoder,
        summary=summary.to_dict(),
        pauses=[
            {"start_utc": p.start_utc.isoformat(), "duration_s": p.duration_s} for p in act.pauses
        ],
        warnings=list(act.warnings),
    )
    row.record_blob = RecordBlobRow(
        n_samples=len(act.records), columns=columns, codec=CODEC, data=blob
    )
    row.laps = [LapRow(lap_index=i, **dataclasses.asdict(lap)) for i, lap in enumerate(act.laps)]
    return row


def get_activity(db: Database, activity_id: int, /) -> ActivityRow:
    """One stored activity with its laps (records are loaded by :func:`load_records`)."""
    with db.session() as s:
        row = s.scalar(
            select(ActivityRow)
            .where(ActivityRow.id == activity_id)
            .options(selectinload(ActivityRow.laps), selectinload(ActivityRow.source_file))
        )
        if row is None:
            raise NotFoundError(f"no activity with id {activity_id}")
        return row


def activities_of_file(db: Database, sha256: str, /) -> list[ActivityRow]:
    """The stored activities of a file, by content hash ([] when not imported)."""
    with db.session() as s:
        src = s.scalar(select(SourceFileRow).where(SourceFileRow.sha256 == sha256))
        if src is None:
            return []
        return sorted(src.activities, key=lambda a: a.session_index)


def list_activities(
    db: Database, /, *, athlete: str | None = None, sport: str | None = None
) -> list[ActivityRow]:
    """Stored activities in time order, optionally of one athlete and one sport."""
    with db.session() as s:
        q = select(ActivityRow).order_by(ActivityRow.start_utc, ActivityRow.id)
        if athlete is not None:
            q = q.join(AthleteRow).where(AthleteRow.name == athlete)
        if sport is not None:
            q = q.where(ActivityRow.sport == sport)
        return list(s.scalars(q))


def load_records(db: Database, activity_id: int, /) -> Records:
    """The per-second records of a stored activity."""
    with db.session() as s:
        blob = s.get(RecordBlobRow, activity_id)
        if blob is None:
            raise NotFoundError(f"no records stored for activity {activity_id}")
        return decode_records(blob.data)


# ---------------------------------------------------------------------------- shoes


def add_shoe(
    db: Database,
    name: str,
    *,
    athlete: str = DEFAULT_ATHLETE,
    start_km: float = 0.0,
    retire_at_km: float = 700.0,
    default: bool = False,
) -> ShoeRow:
    """Add a pair of shoes; ``default`` makes it the pair new runs are assigned to."""
    if not name.strip():
        raise InputError("a shoe needs a name")
    if start_km < 0 or not 50 <= retire_at_km <= 5000:
        raise InputError("start_km must be ≥ 0 and retire_at_km between 50 and 5000 km")
    with db.session() as s:
        ath = _athlete(s, athlete, create=True)
        if s.scalar(select(ShoeRow).where(ShoeRow.athlete_id == ath.id, ShoeRow.name == name)):
            raise InputError(f"{athlete!r} already has shoes named {name!r}")
        if default:
            _clear_default(s, ath.id)
        row = ShoeRow(
            athlete_id=ath.id,
            name=name,
            start_km=start_km,
            retire_at_km=retire_at_km,
            is_default=default,
        )
        s.add(row)
        s.flush()
        return row


def _clear_default(s: Session, athlete_id: int) -> None:
    for shoe in s.scalars(select(ShoeRow).where(ShoeRow.athlete_id == athlete_id)):
        shoe.is_default = False


def _shoe(s: Session, name: str, athlete: str) -> ShoeRow:
    ath = _athlete(s, athlete, create=False)
    row = s.scalar(select(ShoeRow).where(ShoeRow.athlete_id == ath.id, ShoeRow.name == name))
    if row is None:
        raise NotFoundError(f"{athlete!r} has no shoes named {name!r} ('stridelab shoes list')")
    return row


def list_shoes(db: Database, /, *, athlete: str = DEFAULT_ATHLETE) -> list[ShoeRow]:
    with db.session() as s:
        ath = _athlete(s, athlete, create=True)
        return list(
            s.scalars(select(ShoeRow).where(ShoeRow.athlete_id == ath.id).order_by(ShoeRow.id))
        )


def retire_shoe(db: Database, name: str, /, *, athlete: str = DEFAULT_ATHLETE) -> ShoeRow:
    with db.session() as s:
        row = _shoe(s, name, athlete)
        row.retired_at = datetime.now(tz=UTC)
        row.is_default = False
        return row


def set_default_shoe(db: Database, name: str, /, *, athlete: str = DEFAULT_ATHLETE) -> ShoeRow:
    with db.session() as s:
        row = _shoe(s, name, athlete)
        if row.retired_at is not None:
            raise InputError(f"{name!r} is retired and cannot be the default pair")
        _clear_default(s, row.athlete_id)
        row.is_default = True
        return row


def assign_shoe(
    db: Database, name: str, activity_ids: Sequence[int], /, *, athlete: str = DEFAULT_ATHLETE
) -> int:
    """Assign a pair to activities; returns how many were changed."""
    with db.session() as s:
        shoe = _shoe(s, name, athlete)
        n = 0
        for aid in activity_ids:
            act = s.get(ActivityRow, aid)
            if act is None:
                raise NotFoundError(f"no activity with id {aid}")
            act.shoe_id = shoe.id
            n += 1
        return n


def save_video_analysis(
    db: Database,
    result: dict[str, Any],
    /,
    *,
    sha256: str,
    file_name: str,
    athlete: str = DEFAULT_ATHLETE,
) -> tuple[int, bool]:
    """Store a video analysis (``GaitAnalysis.to_dict()``); the same file analysed again
    for the same athlete replaces the earlier result. Returns (id, replaced)."""
    from stridelab.store.models import VideoAnalysisRow

    with db.session() as s:
        ath = _athlete(s, athlete, create=True)
        row = s.scalar(
            select(VideoAnalysisRow).where(
                VideoAnalysisRow.athlete_id == ath.id, VideoAnalysisRow.sha256 == sha256
            )
        )
        replaced = row is not None
        if row is None:
            row = VideoAnalysisRow(athlete_id=ath.id, sha256=sha256)
            s.add(row)
        row.file_name = file_name[-500:]
        row.view = str(result.get("setup", {}).get("view", "side"))
        row.n_steps_used = int(result.get("quality", {}).get("n_steps_used", 0))
        row.summary = dict(result.get("summary", {}))
        row.result = result
        row.analysed_at = datetime.now(tz=UTC)
        s.flush()
        return int(row.id), replaced


def list_video_analyses(db: Database, /, *, athlete: str = DEFAULT_ATHLETE) -> list[Any]:
    """The athlete's video analyses, newest first (rows detached from the session)."""
    from stridelab.store.models import VideoAnalysisRow

    with db.session() as s:
        ath = s.scalar(select(AthleteRow).where(AthleteRow.name == athlete))
        if ath is None:  # a read does not create the athlete
            return []
        rows = s.scalars(
            select(VideoAnalysisRow)
            .where(VideoAnalysisRow.athlete_id == ath.id)
            .order_by(VideoAnalysisRow.analysed_at.desc())
        ).all()
        return list(rows)


def get_video_analysis(db: Database, analysis_id: int, /, *, athlete: str = DEFAULT_ATHLETE) -> Any:
    """One of the athlete's video analyses by id (detached row).

    Raises
    ------
    NotFoundError
        No analysis with that id belongs to the athlete.
    """
    from stridelab.store.models import VideoAnalysisRow

    with db.session() as s:
        row = s.scalar(
            select(VideoAnalysisRow)
            .join(AthleteRow, AthleteRow.id == VideoAnalysisRow.athlete_id)
            .where(VideoAnalysisRow.id == analysis_id, AthleteRow.name == athlete)
        )
        if row is None:
            raise NotFoundError(f"no video analysis with id {analysis_id}")
        return row


def save_assessment(
    db: Database,
    result: dict[str, Any],
    /,
    *,
    sha256: str,
    file_name: str,
    performed_at: datetime,
    athlete: str = DEFAULT_ATHLETE,
) -> tuple[int, bool]:
    """Store a test result (``JumpTestResult.to_dict()``); the same file and test for the
    same athlete replaces the earlier result. Returns (id, replaced)."""
    from stridelab.store.models import AssessmentRow

    test = str(result.get("test", "unknown"))
    with db.session() as s:
        ath = _athlete(s, athlete, create=True)
        row = s.scalar(
            select(AssessmentRow).where(
                AssessmentRow.athlete_id == ath.id,
                AssessmentRow.sha256 == sha256,
                AssessmentRow.test == test,
            )
        )
        replaced = row is not None
        if row is None:
            row = AssessmentRow(athlete_id=ath.id, sha256=sha256, test=test)
            s.add(row)
        row.input_kind = str(result.get("input_kind", ""))
        row.file_name = file_name[-500:]
        row.performed_at = performed_at
        row.summary = dict(result.get("summary", {}))
        row.result = result
        row.analysed_at = datetime.now(tz=UTC)
        s.flush()
        return int(row.id), replaced


def list_assessments(
    db: Database, /, *, athlete: str = DEFAULT_ATHLETE, test: str | None = None
) -> list[Any]:
    """The athlete's test results, oldest first (for trends)."""
    from stridelab.store.models import AssessmentRow

    with db.session() as s:
        ath = s.scalar(select(AthleteRow).where(AthleteRow.name == athlete))
        if ath is None:
            return []
        q = select(AssessmentRow).where(AssessmentRow.athlete_id == ath.id)
        if test is not None:
            q = q.where(AssessmentRow.test == test)
        return list(s.scalars(q.order_by(AssessmentRow.performed_at)).all())
