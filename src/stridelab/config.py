"""Typed settings, read from the environment (``STRIDELAB_*``) or given explicitly."""

from __future__ import annotations

from pathlib import Path

import platformdirs
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "default_data_dir"]


def default_data_dir() -> Path:
    """The user's data directory for stridelab (not created here)."""
    return Path(platformdirs.user_data_dir("stridelab", appauthor=False))


class Settings(BaseSettings):
    """Where stridelab keeps its data, and the few knobs a user may want to turn.

    ``STRIDELAB_DB`` takes any SQLAlchemy URL (``sqlite:///...``, ``postgresql+psycopg://...``).
    """

    model_config = SettingsConfigDict(env_prefix="STRIDELAB_", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir)
    db: str | None = None
    shoe_retire_km: float = 700.0

    @property
    def db_url(self) -> str:
        """The database URL: ``db`` if set, else a SQLite file in ``data_dir``."""
        if self.db:
            return self.db
        return f"sqlite:///{self.data_dir / 'stridelab.db'}"
