"""SQLAlchemy 2 ORM models: athletes, source files, activities, columnar records, laps, shoes.

Per-second records are stored columnar, one compressed blob per activity
(:mod:`stridelab.store.columnar`), not one row per second. Every schema change goes
through an Alembic migration in ``store/migrations/versions``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

__all__ = [
    "ActivityRow",
    "AssessmentRow",
    "AthleteRow",
    "Base",
    "LapRow",
    "RecordBlobRow",
    "ShoeRow",
    "SourceFileRow",
    "VideoAnalysisRow",
]


def _now() -> datetime:
    return datetime.now(tz=UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend (SQLite stores no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy's documented class attribute
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class AthleteRow(Base):
    __tablename__ = "athletes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    height_cm: Mapped[float | None] = mapped_column(Float)
    mass_kg: Mapped[float | None] = mapped_column(Float)
    leg_length_cm: Mapped[float | None] = mapped_column(Float)
    birth_year: Mapped[int | None] = mapped_column(Integer)
    sex: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)


class SourceFileRow(Base):
    """One imported file, identified by the SHA-256 of its content (idempotent imports)."""

    __tablename__ = "source_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    path: Mapped[str] = mapped_column(String(2000))
    format: Mapped[str] = mapped_column(String(8))
    size_bytes: Mapped[int] = mapped_column(Integer)
    decoder: Mapped[str | None] = mapped_column(String(32))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)

    activities: Mapped[list[ActivityRow]] = relationship(back_populates="source_file")


class ShoeRow(Base):
    __tablename__ = "shoes"

    id: Mapped[int] = mapped_column(primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athletes.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    start_km: Mapped[float] = mapped_column(Float, default=0.0)
    retire_at_km: Mapped[float] = mapped_column(Float, default=700.0)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)

    __table_args__ = (UniqueConstraint("athlete_id", "name", name="uq_shoe_athlete_name"),)


class ActivityRow(Base):
    """One activity: identity, the summary figures, quality notes."""

    __tablename__ = "activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_file_id: Mapped[int] = mapped_column(
        ForeignKey("source_files.id", ondelete="CASCADE"), index=True
    )
    session_index: Mapped[int] = mapped_column(Integer)
    athlete_id: Mapped[int | None] = mapped_column(
        ForeignKey("athletes.id", ondelete="SET NULL"), index=True
    )
    shoe_id: Mapped[int | None] = mapped_column(ForeignKey("shoes.id", ondelete="SET NULL"))
    sport: Mapped[str | None] = mapped_column(String(64))
    sub_sport: Mapped[str | None] = mapped_column(String(64))
    start_utc: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    timezone_offset_min: Mapped[int | None] = mapped_column(Integer)
    distance_km: Mapped[float | None] = mapped_column(Float)
    moving_time_s: Mapped[float | None] = mapped_column(Float)
    elapsed_time_s: Mapped[float | None] = mapped_column(Float)
    creator: Mapped[str | None] = mapped_column(String(200))
    decoder: Mapped[str | None] = mapped_column(String(32))
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)
    pauses: Mapped[list[Any]] = mapped_column(JSON, default=list)
    warnings: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)

    source_file: Mapped[SourceFileRow] = relationship(back_populates="activities")
    laps: Mapped[list[LapRow]] = relationship(
        cascade="all, delete-orphan", order_by="LapRow.lap_index"
    )
    record_blob: Mapped[RecordBlobRow | None] = relationship(cascade="all, delete-orphan")

    __table_args__ = (
        UniqueConstraint("source_file_id", "session_index", name="uq_activity_file_session"),
    )


class RecordBlobRow(Base):
    """The per-second records of one activity, columnar and compressed."""

    __tablename__ = "activity_records"

    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True
    )
    n_samples: Mapped[int] = mapped_column(Integer)
    columns: Mapped[list[Any]] = mapped_column(JSON)
    codec: Mapped[str] = mapped_column(String(32))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class LapRow(Base):
    __tablename__ = "laps"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), index=True
    )
    lap_index: Mapped[int] = mapped_column(Integer)
    start_utc: Mapped[datetime] = mapped_column(UTCDateTime())
    elapsed_time_s: Mapped[float | None] = mapped_column(Float)
    timer_time_s: Mapped[float | None] = mapped_column(Float)
    distance_m: Mapped[float | None] = mapped_column(Float)
    avg_hr_bpm: Mapped[float | None] = mapped_column(Float)
    max_hr_bpm: Mapped[float | None] = mapped_column(Float)
    avg_speed_m_s: Mapped[float | None] = mapped_column(Float)
    avg_cadence_spm: Mapped[float | None] = mapped_column(Float)
    energy_kcal: Mapped[float | None] = mapped_column(Float)
    trigger: Mapped[str | None] = mapped_column(String(32))


class VideoAnalysisRow(Base):
    """One video gait analysis (the JSON result), once per athlete and video file."""

    __tablename__ = "video_analyses"
    __table_args__ = (UniqueConstraint("athlete_id", "sha256", name="uq_video_athlete_sha"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athletes.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(500))
    analysed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)
    view: Mapped[str] = mapped_column(String(16))
    n_steps_used: Mapped[int] = mapped_column(Integer)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)


class AssessmentRow(Base):
    """One test result (jump, hop, mobility…) with its date, once per athlete, input
    file and test."""

    __tablename__ = "assessments"
    __table_args__ = (
        UniqueConstraint("athlete_id", "sha256", "test", name="uq_assessment_athlete_sha_test"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athletes.id"), index=True)
    test: Mapped[str] = mapped_column(String(32))
    input_kind: Mapped[str] = mapped_column(String(32))
    sha256: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(500))
    performed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    analysed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
