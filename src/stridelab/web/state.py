"""What every route needs: the settings, the open database and the job queue.

:func:`~stridelab.web.app.create_app` builds one :class:`AppState` and keeps it on
``app.state.ctx``; routes receive it as a FastAPI dependency (:data:`Ctx`), so the
routers in :mod:`stridelab.web.api` and :mod:`stridelab.web.pages` hold no globals.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from stridelab.store.db import Database
from stridelab.web.jobs import JobQueue
from stridelab.web.settings import WebSettings

__all__ = ["AppState", "Ctx", "app_state"]


@dataclass(frozen=True)
class AppState:
    """The app's settings, database and job queue."""

    settings: WebSettings
    db: Database
    jobs: JobQueue

    @property
    def athlete(self) -> str:
        return self.settings.athlete


def app_state(request: Request) -> AppState:
    """The :class:`AppState` of the app serving ``request`` (a FastAPI dependency)."""
    ctx: AppState = request.app.state.ctx
    return ctx


Ctx = Annotated[AppState, Depends(app_state)]
