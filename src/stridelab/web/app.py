"""The FastAPI app: the JSON API (:mod:`stridelab.web.api`), the pages
(:mod:`stridelab.web.pages`), static files, the guards, and the background jobs.

:func:`create_app` wires the pieces with explicit :class:`WebSettings` (tests pass their
own data folder, database and limits). Errors of the library become one clear message
with a fitting status (400 malformed, 404 not found, 413 too large, 415 wrong type, 422
refused input, 429 queue full): JSON under ``/api/``, an error page elsewhere.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
from collections.abc import AsyncIterator
from importlib import resources

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from stridelab import __version__
from stridelab.errors import InputError, NotFoundError, StridelabError, UnsupportedFormatError
from stridelab.store.db import open_database
from stridelab.web import api, pages
from stridelab.web.jobs import JobQueue, QueueFullError
from stridelab.web.security import (
    LoopbackHostGuard,
    SameOriginGuard,
    SecurityHeaders,
    TokenGuard,
)
from stridelab.web.settings import WebSettings
from stridelab.web.state import AppState
from stridelab.web.uploads import UploadError, UploadTooLargeError

__all__ = ["create_app", "status_for"]

log = logging.getLogger(__name__)


def status_for(exc: StridelabError, /) -> int:
    """The HTTP status of a library error."""
    if isinstance(exc, UploadTooLargeError):
        return 413
    if isinstance(exc, UnsupportedFormatError):
        return 415
    if isinstance(exc, UploadError):
        return 400
    if isinstance(exc, QueueFullError):
        return 429
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, InputError):
        return 422
    return 500


def create_app(settings: WebSettings, /) -> FastAPI:
    """The web app over one data folder and database (opened and migrated here).

    Jobs run on ``settings.workers`` threads; when the app shuts down the running job
    finishes and the waiting ones are marked failed (their uploads removed). What an
    earlier run left half-done (uploads, temporary report folders) is removed at start.
    """
    settings.uploads_dir.mkdir(parents=True, exist_ok=True)
    settings.videos_dir.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(settings)
    db = open_database(settings.db_url)
    queue = JobQueue(
        workers=settings.workers, max_pending=settings.max_pending_jobs, keep=settings.keep_jobs
    )

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        queue.shutdown()
        db.dispose()

    app = FastAPI(
        title="stridelab",
        version=__version__,
        description="The local stridelab app: uploads, jobs, activities, video analyses, "
        "tests, findings and the plan, as JSON. Pages for people are at /.",
        docs_url=None,  # FastAPI's Swagger page loads its JavaScript from a CDN
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.ctx = AppState(settings=settings, db=db, jobs=queue)
    app.state.settings = settings
    app.state.db = db
    app.state.jobs = queue
    app.mount(
        "/static",
        StaticFiles(directory=str(resources.files("stridelab.web") / "static")),
        name="static",
    )
    app.include_router(api.router)
    app.include_router(pages.router)
    app.add_middleware(SameOriginGuard)
    if settings.token:
        app.add_middleware(TokenGuard, token=settings.token)
    else:  # for this computer only: refuse other sites' names (DNS rebinding)
        app.add_middleware(LoopbackHostGuard, extra_hosts=settings.extra_hosts)
    app.add_middleware(SecurityHeaders)  # added last: wraps every response, 401s included

    @app.exception_handler(StridelabError)
    async def library_error(request: Request, exc: StridelabError) -> Response:
        status = status_for(exc)
        if status >= 500:
            log.error("unexpected library error on %s: %s", request.url.path, exc)
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": str(exc)}, status_code=status)
        return pages.render(
            request,
            "error.j2",
            status_code=status,
            title="Not found" if status == 404 else "Error",
            status=status,
            message=str(exc),
        )

    return app


def _remove_leftovers(settings: WebSettings) -> None:
    """Remove what an earlier run of the app left half-done (a crash, a kill).

    Jobs live in memory, so a file in ``uploads/`` (or a ``.part`` being received) from
    before this start has no job that will ever read or remove it; a hidden folder in
    ``videos/`` is the temporary or replaced folder of a report being written
    (:func:`~stridelab.report.outputs.write_analysis_outputs`). Only this app writes
    under its data folder's ``uploads/`` and ``videos/``.
    """
    uploads = settings.uploads_dir
    for folder in (uploads, uploads / ".incoming"):
        for stale in folder.iterdir() if folder.is_dir() else ():
            if stale.is_file() or stale.is_symlink():
                stale.unlink(missing_ok=True)
    for stale in settings.videos_dir.glob(".*"):
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)
