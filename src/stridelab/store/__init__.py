"""Storage: activities, athletes and shoes in a SQL database (SQLite by default).

In: :class:`~stridelab.watch.model.Activity` objects and plain values. Out: ORM rows
(:mod:`stridelab.store.models`) and decoded records. The schema is managed by Alembic
migrations from the first version on; :func:`open_database` migrates to ``head``.
"""

from stridelab.store.db import Database, open_database
from stridelab.store.repository import (
    DEFAULT_ATHLETE,
    SaveResult,
    activities_of_file,
    add_shoe,
    assign_shoe,
    ensure_athlete,
    get_activity,
    list_activities,
    list_shoes,
    load_records,
    retire_shoe,
    save_file_activities,
    set_default_shoe,
    update_athlete,
)

__all__ = [
    "DEFAULT_ATHLETE",
    "Database",
    "SaveResult",
    "activities_of_file",
    "add_shoe",
    "assign_shoe",
    "ensure_athlete",
    "get_activity",
    "list_activities",
    "list_shoes",
    "load_records",
    "open_database",
    "retire_shoe",
    "save_file_activities",
    "set_default_shoe",
    "update_athlete",
]
