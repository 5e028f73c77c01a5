"""assessments (jump, hop and mobility test results)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 13:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from stridelab.store.models import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("athlete_id", sa.Integer(), nullable=False),
        sa.Column("test", sa.String(length=32), nullable=False),
        sa.Column("input_kind", sa.String(length=32), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("file_name", sa.String(length=500), nullable=False),
        sa.Column("performed_at", UTCDateTime(), nullable=False),
        sa.Column("analysed_at", UTCDateTime(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["athlete_id"], ["athletes.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("athlete_id", "sha256", "test", name="uq_assessment_athlete_sha_test"),
    )
    op.create_index("ix_assessments_athlete_id", "assessments", ["athlete_id"])


def downgrade() -> None:
    op.drop_index("ix_assessments_athlete_id", table_name="assessments")
    op.drop_table("assessments")
