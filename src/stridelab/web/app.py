"""The FastAPI app: pages, the JSON API under ``/api/``, uploads and background jobs.

:func:`create_app` wires the pieces with explicit :class:`WebSettings` (tests pass their
own data folder, database and limits). Routes parse input, call the library (through
:mod:`stridelab.web.views`, :mod:`stridelab.web.tasks`) and present the result; errors
of the library become one clear message with a fitting status (400 malformed, 404 not
found, 413 too large, 415 wrong type, 422 refused input, 429 queue full).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import date, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel

from stridelab import __version__
from stridelab._util import json_safe
from stridelab.errors import InputError, NotFoundError, StridelabError, UnsupportedFormatError
from stridelab.store.db import open_database
from stridelab.web import views
from stridelab.web.jobs import JobQueue, QueueFullError
from stridelab.web.security import SameOriginGuard, SecurityHeaders, TokenGuard
from stridelab.web.settings import WebSettings
from stridelab.web.uploads import (
    UploadError,
    UploadTooLargeError,
    receive_upload,
)
from stridelab.web.video_view import REPORT_FILE, video_page_context

__all__ = ["create_app"]

log = logging.getLogger(__name__)

_MAX_ID = 2**62
VideoId = Annotated[int, PathParam(ge=1, le=_MAX_ID, description="Stored video analysis id.")]
ActivityId = Annotated[int, PathParam(ge=1, le=_MAX_ID, description="Stored activity id.")]

Goal = Annotated[
    Literal["general", "5k", "10k", "half", "marathon"], Query(description="Plan goal.")
]
RunDays = Annotated[int, Query(ge=1, le=7, description="Runs per week.")]
Minutes = Annotated[int, Query(ge=15, le=600, description="Minutes per week for the practice.")]
Kit = Annotated[list[str] | None, Query(max_length=5, description="Equipment at hand.")]
Weeks = Annotated[int, Query(ge=1, le=24, description="Length of the block in weeks.")]
RaceDate = Annotated[date | None, Query(description="Race day (YYYY-MM-DD), if any.")]
Start = Annotated[date | None, Query(description="First day of the plan (default: today).")]


_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "A FIT/TCX/GPX file (optionally .gz), a zip "
                            "export, or an MP4/MOV/WebM/MKV running video. The type is "
                            "read from the content, not the name.",
                        }
                    },
                }
            }
        },
    }
}


class UploadAccepted(BaseModel):
    job_id: str
    kind: str
    status: str
    url: str


class JobOut(BaseModel):
    job_id: str
    kind: str
    name: str
    status: Literal["queued", "running", "done", "failed"]
    progress: float
    stage: str
    error: str | None
    result: dict[str, Any] | None
    created_at: str
    finished_at: str | None


class Health(BaseModel):
    status: str
    version: str
    jobs: dict[str, int]
    coach_available: bool


@cache
def _templates() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("stridelab.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _plotly_js_path() -> Path:
    """The plotly.js shipped inside the installed ``plotly`` package (no CDN)."""
    path = Path(str(resources.files("plotly") / "package_data" / "plotly.min.js"))
    if not path.is_file():
        raise NotFoundError("the plotly package has no package_data/plotly.min.js")
    return path


def _status_for(exc: StridelabError) -> int:
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

    Jobs run on ``settings.workers`` threads; they stop (after the running job) when the
    app shuts down.
    """
    settings.uploads_dir.mkdir(parents=True, exist_ok=True)
    settings.videos_dir.mkdir(parents=True, exist_ok=True)
    db = open_database(settings.db_url)
    queue = JobQueue(
        workers=settings.workers, max_pending=settings.max_pending_jobs, keep=settings.keep_jobs
    )
    # uploads interrupted by an earlier crash: never reused, so removed
    for stale in (settings.uploads_dir / ".incoming").glob("*.part"):
        stale.unlink(missing_ok=True)

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
    app.state.settings = settings
    app.state.db = db
    app.state.jobs = queue
    app.mount(
        "/static",
        StaticFiles(directory=str(resources.files("stridelab.web") / "static")),
        name="static",
    )
    app.add_middleware(SameOriginGuard)
    if settings.token:
        app.add_middleware(TokenGuard, token=settings.token)
    app.add_middleware(SecurityHeaders)  # added last: wraps every response, 401s included

    def page(request: Request, template: str, status_code: int = 200, **ctx: Any) -> HTMLResponse:
        html = (
            _templates()
            .get_template(template)
            .render(
                path=request.url.path,
                athlete=settings.athlete,
                version=__version__,
                **ctx,
            )
        )
        return HTMLResponse(html, status_code=status_code)

    @app.exception_handler(StridelabError)
    async def library_error(request: Request, exc: StridelabError) -> Response:
        status = _status_for(exc)
        if status >= 500:
            log.error("unexpected library error on %s: %s", request.url.path, exc)
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": str(exc)}, status_code=status)
        return page(
            request,
            "error.j2",
            status_code=status,
            title="Not found" if status == 404 else "Error",
            status=status,
            message=str(exc),
        )

    # ------------------------------------------------------------------ API

    @app.get("/api/health", response_model=Health, tags=["app"])
    def health() -> dict[str, Any]:
        """Liveness, version and the job counts (open even when a token is required)."""
        return {
            "status": "ok",
            "version": __version__,
            "jobs": queue.counts(),
            "coach_available": views.coach_unavailable_reason() is None,
        }

    @app.post(
        "/api/uploads",
        status_code=202,
        response_model=UploadAccepted,
        openapi_extra=_UPLOAD_BODY,
        tags=["uploads"],
        responses={
            400: {"description": "Malformed, cut off or empty upload"},
            413: {"description": "Larger than the app accepts"},
            415: {"description": "Not a supported type (by content)"},
            422: {"description": "Refused options"},
            429: {"description": "Too many uploads waiting"},
        },
    )
    async def upload(
        request: Request,
        view: Annotated[
            Literal["auto", "side", "rear", "front"], Query(description="Video: camera view.")
        ] = "auto",
        surface: Annotated[
            Literal["auto", "treadmill", "overground"], Query(description="Video: surface.")
        ] = "auto",
        height_cm: Annotated[
            float | None,
            Query(ge=100, le=230, description="Video: runner height, gives lengths in cm."),
        ] = None,
    ) -> dict[str, Any]:
        """Upload one file (multipart field ``file``); returns the job that processes it.

        Activity files and zip exports are imported; videos are analysed (annotated
        video, report, stored result). Poll ``GET /api/jobs/{job_id}``.
        """
        from stridelab.gait.pipeline import VideoOptions
        from stridelab.web.tasks import activity_import_work, video_analysis_work

        options = VideoOptions(view=view, surface=surface, height_cm=height_cm)
        options.validate()
        counts = queue.counts()
        if counts["queued"] + counts["running"] >= settings.max_pending_jobs:
            raise QueueFullError(
                "too many uploads are waiting or being processed; try again when one has finished"
            )
        length = request.headers.get("content-length")
        stored = await receive_upload(
            request.stream(),
            content_type=request.headers.get("content-type", ""),
            content_length=int(length) if length and length.isdigit() else None,
            uploads_dir=settings.uploads_dir,
            max_bytes=settings.max_upload_bytes,
        )
        if stored.kind == "video":
            work = video_analysis_work(
                db,
                stored,
                videos_dir=settings.videos_dir,
                athlete=settings.athlete,
                options=options,
            )
        else:
            work = activity_import_work(db, stored, athlete=settings.athlete)
        kind = "video" if stored.kind == "video" else "activities"
        try:
            job = queue.submit(
                kind, stored.name, work, always=lambda: stored.path.unlink(missing_ok=True)
            )
        except QueueFullError:
            stored.path.unlink(missing_ok=True)
            raise
        return {"job_id": job.id, "kind": kind, "status": job.status, "url": f"/api/jobs/{job.id}"}

    @app.get("/api/jobs", response_model=list[JobOut], tags=["uploads"])
    def list_jobs() -> list[dict[str, Any]]:
        """Jobs of this app run, newest first (forgotten when the app stops)."""
        return [j.to_dict() for j in queue.list()]

    @app.get(
        "/api/jobs/{job_id}",
        response_model=JobOut,
        tags=["uploads"],
        responses={404: {"description": "No such job"}},
    )
    def get_job(job_id: Annotated[str, PathParam(max_length=64)]) -> dict[str, Any]:
        """One job: status ``queued|running|done|failed``, progress 0..1, error, result."""
        job = queue.get(job_id)
        if job is None:
            raise NotFoundError(f"no job {job_id!r} (jobs are forgotten when the app restarts)")
        return job.to_dict()

    @app.get("/api/activities", tags=["data"])
    def api_activities(
        sport: Annotated[str | None, Query(max_length=64)] = None,
    ) -> list[dict[str, Any]]:
        """Stored activities, oldest first, with the keys of ``stridelab activity show
        --json`` (plus ``id``)."""
        from stridelab.insights.activity_summary import activity_summaries

        return activity_summaries(db, athlete=settings.athlete, sport=sport)

    @app.get(
        "/api/activities/{activity_id}",
        tags=["data"],
        responses={404: {"description": "No such activity"}},
    )
    def api_activity(activity_id: ActivityId) -> dict[str, Any]:
        """One stored activity's summary (as ``stridelab activity show ID --json``)."""
        from stridelab.insights.activity_summary import activity_summary
        from stridelab.store import get_activity

        return activity_summary(get_activity(db, activity_id))

    @app.get("/api/overview", tags=["data"])
    def api_overview(
        weeks: Annotated[int, Query(ge=1, le=104, description="Weeks of load shown.")] = 8,
    ) -> dict[str, Any]:
        """Cadence–speed curve, running dynamics, weekly load with flags, shoes (as
        ``stridelab analyze --json``)."""
        return views.overview_data(db, athlete=settings.athlete, weeks=weeks)

    @app.get("/api/videos", tags=["data"])
    def api_videos() -> list[dict[str, Any]]:
        """Stored video analyses of the athlete, newest first."""
        return [_video_summary(r) for r in _video_rows()]

    @app.get(
        "/api/videos/{video_id}",
        tags=["data"],
        responses={404: {"description": "No such video analysis"}},
    )
    def api_video(video_id: VideoId) -> dict[str, Any]:
        """One stored video analysis: the full result (``GaitAnalysis.to_dict()``)."""
        row = _video_row(video_id)
        return {**_video_summary(row), "result": row.result}

    @app.get("/api/tests", tags=["data"])
    def api_tests() -> list[dict[str, Any]]:
        """Stored test results, oldest first, with the change since the previous result of
        the same test and side and whether it reaches the minimal detectable change."""
        return views.test_history(db, athlete=settings.athlete)

    @app.get("/api/findings", tags=["coach"])
    def api_findings() -> dict[str, Any]:
        """Open findings of the coach (``available`` is false while coaching is missing)."""
        found, reason = views.coach_findings(db, athlete=settings.athlete)
        return {
            "available": views.coach_unavailable_reason() is None,
            "message": reason,
            "findings": found,
        }

    def _plan_query(
        goal: str,
        race_date: date | None,
        run_days: int,
        minutes_per_week: int,
        equipment: list[str] | None,
        weeks: int,
        start: date | None,
    ) -> Any:
        kit = frozenset(equipment or ["none"])
        unknown = sorted(kit - set(views.COACH_EQUIPMENT))
        if unknown:
            raise InputError(
                f"unknown equipment {', '.join(unknown)}; choose from "
                f"{', '.join(views.COACH_EQUIPMENT)}"
            )
        return views.coach_plan(
            db,
            athlete=settings.athlete,
            goal=goal,
            race_date=race_date,
            run_days=run_days,
            minutes_per_week=minutes_per_week,
            equipment=kit,
            weeks=weeks,
            start=start or date.today(),
        )

    @app.get("/api/plan", tags=["coach"])
    def api_plan(
        goal: Goal = "general",
        race_date: RaceDate = None,
        run_days: RunDays = 3,
        minutes_per_week: Minutes = 60,
        equipment: Kit = None,
        weeks: Weeks = 8,
        start: Start = None,
    ) -> dict[str, Any]:
        """The coach's plan for these choices (``available`` false while coaching is
        missing)."""
        reason = views.coach_unavailable_reason()
        if reason is not None:
            return {"available": False, "message": reason, "plan": None}
        plan = _plan_query(goal, race_date, run_days, minutes_per_week, equipment, weeks, start)
        return {"available": True, "message": None, "plan": json_safe(plan.to_dict())}

    @app.get(
        "/api/plan.ics",
        tags=["coach"],
        response_class=Response,
        responses={
            200: {"content": {"text/calendar": {}}, "description": "iCalendar file"},
            404: {"description": "Coaching is not available"},
        },
    )
    def api_plan_ics(
        goal: Goal = "general",
        race_date: RaceDate = None,
        run_days: RunDays = 3,
        minutes_per_week: Minutes = 60,
        equipment: Kit = None,
        weeks: Weeks = 8,
        start: Start = None,
    ) -> Response:
        """The same plan as an iCalendar file a phone calendar can import."""
        reason = views.coach_unavailable_reason()
        if reason is not None:
            raise NotFoundError(reason)
        plan = _plan_query(goal, race_date, run_days, minutes_per_week, equipment, weeks, start)
        return Response(
            views.plan_ics(plan),
            media_type="text/calendar",
            headers={"Content-Disposition": 'attachment; filename="stridelab-plan.ics"'},
        )

    # ------------------------------------------------------------------ helpers

    def _video_rows() -> list[Any]:
        from stridelab.store.repository import list_video_analyses

        return list_video_analyses(db, athlete=settings.athlete)

    def _video_row(video_id: int) -> Any:
        from stridelab.store.repository import get_video_analysis

        return get_video_analysis(db, video_id, athlete=settings.athlete)

    def _video_summary(row: Any) -> dict[str, Any]:
        return {
            "id": row.id,
            "file": row.file_name,
            "analysed_at": row.analysed_at.isoformat(),
            "view": row.view,
            "n_steps_used": row.n_steps_used,
            "summary": row.summary,
            "url": f"/videos/{row.id}",
        }

    # ------------------------------------------------------------------ pages

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        return FileResponse(
            _plotly_js_path(),
            media_type="text/javascript",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    @app.get("/api/docs", include_in_schema=False, response_class=HTMLResponse)
    def api_docs(request: Request) -> HTMLResponse:
        return page(request, "api_docs.j2", title="API", schema=app.openapi())

    @app.get("/", include_in_schema=False, response_class=HTMLResponse)
    def dashboard(request: Request) -> HTMLResponse:
        overview = views.overview_data(db, athlete=settings.athlete, weeks=8)
        findings, findings_note = views.coach_findings(db, athlete=settings.athlete)
        from stridelab.insights.activity_summary import activity_summaries

        acts = activity_summaries(db, athlete=settings.athlete)
        tests = views.test_history(db, athlete=settings.athlete)
        return page(
            request,
            "dashboard.j2",
            title="Dashboard",
            overview=overview,
            plots=views.dashboard_plots(overview),
            findings=findings,
            findings_note=findings_note,
            activities=list(reversed(acts))[:8],
            n_activities=len(acts),
            tests=list(reversed(tests))[:8],
            videos=[_video_summary(r) for r in _video_rows()][:8],
            max_upload_mb=settings.max_upload_bytes / 2**20,
        )

    @app.get("/activities", include_in_schema=False, response_class=HTMLResponse)
    def activities_page(request: Request) -> HTMLResponse:
        from stridelab.insights.activity_summary import activity_summaries

        acts = activity_summaries(db, athlete=settings.athlete)
        return page(request, "activities.j2", title="Activities", activities=list(reversed(acts)))

    @app.get("/videos/{video_id}", include_in_schema=False, response_class=HTMLResponse)
    def video_page(request: Request, video_id: VideoId) -> HTMLResponse:
        row = _video_row(video_id)
        folder = settings.videos_dir / row.sha256
        ctx = video_page_context(row.result, folder)
        return page(
            request,
            "video.j2",
            title=f"Video report – {ctx['file']}",
            video_id=row.id,
            analysed_at=row.analysed_at,
            **ctx,
        )

    @app.get("/videos/{video_id}/files/{name}", include_in_schema=False)
    def video_file(video_id: VideoId, name: str) -> FileResponse:
        if not REPORT_FILE.match(name):
            raise NotFoundError(f"no report file {name!r}")
        row = _video_row(video_id)
        root = settings.videos_dir.resolve()
        path = (root / row.sha256 / name).resolve()
        if root not in path.parents or not path.is_file():
            raise NotFoundError(f"no report file {name!r} for video {video_id}")
        return FileResponse(path)

    @app.get("/tests", include_in_schema=False, response_class=HTMLResponse)
    def tests_page(request: Request) -> HTMLResponse:
        rows = views.test_history(db, athlete=settings.athlete)
        return page(request, "tests.j2", title="Tests", tests=list(reversed(rows)))

    @app.get("/plan", include_in_schema=False, response_class=HTMLResponse)
    def plan_page(
        request: Request,
        goal: Annotated[str, Query(max_length=20)] = "general",
        race_date: Annotated[str, Query(max_length=20)] = "",
        run_days: Annotated[str, Query(max_length=10)] = "3",
        minutes_per_week: Annotated[str, Query(max_length=10)] = "60",
        equipment: Annotated[list[str] | None, Query(max_length=10)] = None,
        weeks: Annotated[str, Query(max_length=10)] = "8",
        start: Annotated[str, Query(max_length=20)] = "",
    ) -> HTMLResponse:
        # a form a person fills in: anything typed comes back with a message, not a 422
        form = {
            "goal": goal,
            "race_date": race_date,
            "run_days": run_days,
            "minutes_per_week": minutes_per_week,
            "equipment": sorted(set(equipment or ["none"])),
            "weeks": weeks,
            "start": start,
        }
        ctx: dict[str, Any] = {
            "form": form,
            "goals": views.COACH_GOALS,
            "equipment_choices": views.COACH_EQUIPMENT,
            "unavailable": views.coach_unavailable_reason(),
            "plan": None,
            "this_week": None,
            "error": None,
            "ics_query": "",
        }
        if ctx["unavailable"] is None:
            try:
                if goal not in views.COACH_GOALS:
                    raise InputError(f"goal must be one of {', '.join(views.COACH_GOALS)}")
                day = _form_date(start, "start") or date.today()
                params: dict[str, Any] = {
                    "goal": goal,
                    "race_date": _form_date(race_date, "race date"),
                    "run_days": _form_int(run_days, "runs a week"),
                    "minutes_per_week": _form_int(minutes_per_week, "minutes a week"),
                    "equipment": form["equipment"],
                    "weeks": _form_int(weeks, "weeks"),
                    "start": day,
                }
                plan = _plan_query(**params)
            except InputError as exc:
                ctx["error"] = str(exc)
            else:
                data = json_safe(plan.to_dict())
                ctx["plan"] = data
                ctx["this_week"] = _this_week(data, day)
                ctx["ics_query"] = urlencode(
                    [
                        (k, v.isoformat() if isinstance(v, date) else v)
                        for k, v in params.items()
                        if k != "equipment" and v is not None
                    ]
                    + [("equipment", e) for e in params["equipment"]]
                )
        return page(request, "plan.j2", title="Plan", **ctx)

    return app


def _form_date(text: str, what: str) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"{what} must be a date like 2026-12-31, got {text!r}") from None


def _form_int(text: str, what: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise InputError(f"{what} must be a whole number, got {text!r}") from None


def _this_week(plan: dict[str, Any], today: date) -> dict[str, Any] | None:
    """The plan week holding ``today`` (Monday–Sunday), else the first week."""
    weeks = plan.get("weeks") or []
    monday = today - timedelta(days=today.weekday())
    for week in weeks:
        dates = [s.get("date") for s in week.get("sessions") or [] if s.get("date")]
        if any(monday.isoformat() <= d <= (monday + timedelta(days=6)).isoformat() for d in dates):
            return dict(week)
    return dict(weeks[0]) if weeks else None
