"""What every command shares: settings, the database (opened on first use), consoles."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from functools import cache
from pathlib import Path
from typing import Any

from rich.console import Console

from stridelab.config import Settings
from stridelab.store.db import Database, open_database

__all__ = ["State", "err_console", "out_console", "print_json"]


@cache
def out_console() -> Console:
    console = Console(highlight=False)
    if not console.is_terminal:  # piped or captured: wide enough for the tables
        console = Console(highlight=False, width=120)
    return console


@cache
def err_console() -> Console:
    return Console(stderr=True, highlight=False)


def print_json(data: Any) -> None:
    """Plain JSON on stdout (no colour codes, so it pipes into jq)."""
    import sys

    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


@dataclass
class State:
    db_url: str | None = None
    athlete: str = "me"
    verbose: bool = False
    _db: Database | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        return Settings(db=self.db_url) if self.db_url else Settings()

    @property
    def db(self) -> Database:
        if self._db is None:
            self._db = open_database(self.settings.db_url)
        return self._db


def fmt_number(value: Any, unit: str = "", digits: int = 1) -> str:
    """A value for a table cell: fixed decimals and its unit, "–" when missing."""
    if value is None:
        return "–"
    return f"{value:.{digits}f}{(' ' + unit) if unit else ''}"


def performed_at(source: Path, on: str | None) -> datetime:
    """When a test was done: ``--date YYYY-MM-DD`` (noon UTC), else the file's date."""
    from stridelab.errors import InputError

    if on is None:
        return datetime.fromtimestamp(source.stat().st_mtime, tz=UTC)
    try:
        return datetime.combine(date.fromisoformat(on), time(12), tzinfo=UTC)
    except ValueError:
        raise InputError(f"--date must be YYYY-MM-DD, got {on!r}") from None
