"""video analyses

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from stridelab.store.models import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "video_analyses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("athlete_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("file_name", sa.String(length=500), nullable=False),
        sa.Column("analysed_at", UTCDateTime(), nullable=False),
        sa.Column("view", sa.String(length=16), nullable=False),
        sa.Column("n_steps_used", sa.Integer(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["athlete_id"], ["athletes.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("athlete_id", "sha256", name="uq_video_athlete_sha"),
    )
    op.create_index("ix_video_analyses_athlete_id", "video_analyses", ["athlete_id"])


def downgrade() -> None:
    op.drop_index("ix_video_analyses_athlete_id", table_name="video_analyses")
    op.drop_table("video_analyses")
