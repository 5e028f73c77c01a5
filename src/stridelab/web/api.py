"""The JSON API under ``/api/``: uploads and their jobs, activities, overview, videos,
tests, findings, the plan and its iCalendar file (documented at ``/openapi.json``).

Routes parse the query, call the library through :mod:`stridelab.web.views` and
:mod:`stridelab.web.tasks` and return plain JSON; library errors become one message
with a fitting status (see :func:`stridelab.web.app.status_for`).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import Response
from pydantic import BaseModel

from stridelab import __version__
from stridelab._util import json_safe
from stridelab.errors import NotFoundError
from stridelab.web import views
from stridelab.web.state import AppState, Ctx
from stridelab.web.uploads import receive_upload

__all__ = ["ActivityId", "VideoId", "plan_for", "router"]

router = APIRouter(prefix="/api")

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


def plan_for(
    ctx: AppState,
    *,
    goal: str,
    race_date: date | None,
    run_days: int,
    minutes_per_week: int,
    equipment: list[str] | None,
    weeks: int,
    start: date | None,
) -> Any:
    """The coach's plan for these choices (no equipment named: ``none``; no start: today)."""
    return views.coach_plan(
        ctx.db,
        athlete=ctx.athlete,
        goal=goal,
        race_date=race_date,
        run_days=run_days,
        minutes_per_week=minutes_per_week,
        equipment=frozenset(equipment or ["none"]),
        weeks=weeks,
        start=start or date.today(),
    )


@router.get("/health", response_model=Health, tags=["app"])
def health(ctx: Ctx) -> dict[str, Any]:
    """Liveness, version and the job counts (open even when a token is required)."""
    return {
        "status": "ok",
        "version": __version__,
        "jobs": ctx.jobs.counts(),
        "coach_available": views.coach_unavailable_reason() is None,
    }


@router.post(
    "/uploads",
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
    ctx: Ctx,
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

    settings = ctx.settings
    options = VideoOptions(view=view, surface=surface, height_cm=height_cm)
    options.validate()
    length = request.headers.get("content-length")
    # the place in the queue is held while the body arrives: the bound counts uploads
    # still streaming in too, so many at once cannot fill the disk
    with ctx.jobs.reserve():
        stored = await receive_upload(
            request.stream(),
            content_type=request.headers.get("content-type", ""),
            content_length=int(length) if length and length.isdigit() else None,
            uploads_dir=settings.uploads_dir,
            max_bytes=settings.max_upload_bytes,
        )
        if stored.kind == "video":
            work = video_analysis_work(
                ctx.db,
                stored,
                videos_dir=settings.videos_dir,
                athlete=ctx.athlete,
                options=options,
            )
        else:
            work = activity_import_work(ctx.db, stored, athlete=ctx.athlete)
        kind = "video" if stored.kind == "video" else "activities"
        job = ctx.jobs.submit(
            kind,
            stored.name,
            work,
            always=lambda: stored.path.unlink(missing_ok=True),
            reserved=True,
        )
    return {"job_id": job.id, "kind": kind, "status": job.status, "url": f"/api/jobs/{job.id}"}


@router.get("/jobs", response_model=list[JobOut], tags=["uploads"])
def list_jobs(ctx: Ctx) -> list[dict[str, Any]]:
    """Jobs of this app run, newest first (forgotten when the app stops)."""
    return [j.to_dict() for j in ctx.jobs.list()]


@router.get(
    "/jobs/{job_id}",
    response_model=JobOut,
    tags=["uploads"],
    responses={404: {"description": "No such job"}},
)
def get_job(ctx: Ctx, job_id: Annotated[str, PathParam(max_length=64)]) -> dict[str, Any]:
    """One job: status ``queued|running|done|failed``, progress 0..1, error, result."""
    job = ctx.jobs.get(job_id)
    if job is None:
        raise NotFoundError(f"no job {job_id!r} (jobs are forgotten when the app restarts)")
    return job.to_dict()


@router.get("/activities", tags=["data"])
def api_activities(
    ctx: Ctx, sport: Annotated[str | None, Query(max_length=64)] = None
) -> list[dict[str, Any]]:
    """Stored activities, oldest first, with the keys of ``stridelab activity show
    --json`` (plus ``id``)."""
    from stridelab.insights.activity_summary import activity_summaries

    return activity_summaries(ctx.db, athlete=ctx.athlete, sport=sport)


@router.get(
    "/activities/{activity_id}",
    tags=["data"],
    responses={404: {"description": "No such activity"}},
)
def api_activity(ctx: Ctx, activity_id: ActivityId) -> dict[str, Any]:
    """One stored activity's summary (as ``stridelab activity show ID --json``)."""
    from stridelab.insights.activity_summary import activity_summary
    from stridelab.store import get_activity

    return activity_summary(get_activity(ctx.db, activity_id))


@router.get("/overview", tags=["data"])
def api_overview(
    ctx: Ctx,
    weeks: Annotated[int, Query(ge=1, le=104, description="Weeks of load shown.")] = 8,
) -> dict[str, Any]:
    """Cadence–speed curve, running dynamics, weekly load with flags, shoes (as
    ``stridelab analyze --json``)."""
    return views.overview_data(ctx.db, athlete=ctx.athlete, weeks=weeks)


@router.get("/videos", tags=["data"])
def api_videos(ctx: Ctx) -> list[dict[str, Any]]:
    """Stored video analyses of the athlete, newest first."""
    return views.video_summaries(ctx.db, athlete=ctx.athlete)


@router.get(
    "/videos/{video_id}",
    tags=["data"],
    responses={404: {"description": "No such video analysis"}},
)
def api_video(ctx: Ctx, video_id: VideoId) -> dict[str, Any]:
    """One stored video analysis: the full result (``GaitAnalysis.to_dict()``)."""
    row = views.video_row(ctx.db, video_id, athlete=ctx.athlete)
    return {**views.video_summary(row), "result": row.result}


@router.get("/tests", tags=["data"])
def api_tests(ctx: Ctx) -> list[dict[str, Any]]:
    """Stored test results, oldest first, with the change since the previous result of
    the same test and side and whether it reaches the minimal detectable change."""
    return views.test_history(ctx.db, athlete=ctx.athlete)


@router.get("/findings", tags=["coach"])
def api_findings(ctx: Ctx) -> dict[str, Any]:
    """Open findings of the coach (``available`` is false while coaching is missing)."""
    found, reason = views.coach_findings(ctx.db, athlete=ctx.athlete)
    return {
        "available": views.coach_unavailable_reason() is None,
        "message": reason,
        "findings": found,
    }


@router.get("/plan", tags=["coach"])
def api_plan(
    ctx: Ctx,
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
    made = plan_for(
        ctx,
        goal=goal,
        race_date=race_date,
        run_days=run_days,
        minutes_per_week=minutes_per_week,
        equipment=equipment,
        weeks=weeks,
        start=start,
    )
    return {"available": True, "message": None, "plan": json_safe(made.to_dict())}


@router.get(
    "/plan.ics",
    tags=["coach"],
    response_class=Response,
    responses={
        200: {"content": {"text/calendar": {}}, "description": "iCalendar file"},
        404: {"description": "Coaching is not available"},
    },
)
def api_plan_ics(
    ctx: Ctx,
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
    made = plan_for(
        ctx,
        goal=goal,
        race_date=race_date,
        run_days=run_days,
        minutes_per_week=minutes_per_week,
        equipment=equipment,
        weeks=weeks,
        start=start,
    )
    return Response(
        views.plan_ics(made),
        media_type="text/calendar",
        headers={"Content-Disposition": 'attachment; filename="stridelab-plan.ics"'},
    )
