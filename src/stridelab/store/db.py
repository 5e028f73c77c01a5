"""Open a database by URL and bring its schema up to date with Alembic.

SQLite (a file under the user's data directory) is the default; any SQLAlchemy URL works
(``postgresql+psycopg://...``) because the models use only portable types.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from stridelab.errors import StoreError

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = ["Database", "open_database"]

log = logging.getLogger(__name__)
_MIGRATIONS = Path(__file__).with_name("migrations")


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cur = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


class Database:
    """An engine and a session factory over a migrated schema."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error."""
        with self._sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def _alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine) -> None:
    """Apply every Alembic migration up to ``head``."""
    from alembic import command

    command.upgrade(_alembic_config(engine), "head")


def open_database(url: str, /, *, migrate: bool = True) -> Database:
    """Open (and create, for SQLite) the database at ``url`` and migrate it to ``head``.

    Raises
    ------
    StoreError
        The URL is malformed, the file cannot be created, or migration fails.
    """
    try:
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            Path(url.removeprefix("sqlite:///")).expanduser().parent.mkdir(
                parents=True, exist_ok=True
            )
        engine = create_engine(url)
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        if migrate:
            upgrade(engine)
    except (SQLAlchemyError, OSError, ValueError) as exc:
        raise StoreError(f"cannot open database {url!r}: {exc}") from exc
    except ImportError as exc:
        raise StoreError(f"no database driver for {url!r}: {exc}") from exc
    return Database(engine)
