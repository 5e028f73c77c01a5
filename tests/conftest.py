"""Shared fixtures: the shared real-data corpus and a fresh database per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from stridelab.store import Database, open_database

#: ../shared/data beside the checkout (real files from public projects; not copied here).
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
ACTIVITIES = SHARED_DATA / "activities"


def shared_files(*suffixes: str) -> list[Path]:
    """Every shared activity file with one of ``suffixes`` (case-insensitive), sorted."""
    return sorted(p for p in ACTIVITIES.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)


def shared_id(path: Path) -> str:
    return str(path.relative_to(ACTIVITIES))


@pytest.fixture
def db(tmp_path: Path) -> Database:
    database = open_database(f"sqlite:///{tmp_path / 'test.db'}")
    yield database
    database.dispose()
