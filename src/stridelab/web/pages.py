"""The pages for people: dashboard, activities, video report (and its files), tests,
plan, the API description, and the locally served plotly.js.

Server-rendered with Jinja2, autoescaped everywhere (every runner-chosen text, file
names included, is escaped; plot data goes in as HTML-safe JSON). The data comes from
the same calls as the JSON API (:mod:`stridelab.web.views`).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse

from stridelab import __version__
from stridelab._util import json_safe
from stridelab.errors import InputError, NotFoundError
from stridelab.web import views
from stridelab.web.api import VideoId, plan_for
from stridelab.web.state import Ctx
from stridelab.web.video_view import REPORT_FILE, video_page_context

__all__ = ["CONTENT_SECURITY_POLICY", "render", "router"]

router = APIRouter(include_in_schema=False)


#: What a page may load: only this app's own scripts, styles (Plotly sets inline styles),
#: images, video and API; no inline or foreign script, no framing. A second line of
#: defence behind the autoescaping, and the offline promise enforced by the browser.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; media-src 'self'; connect-src 'self'; font-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


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


def render(request: Request, template: str, /, status_code: int = 200, **ctx: Any) -> HTMLResponse:
    """``template`` rendered with ``ctx`` and what every page shows (path, athlete)."""
    html = (
        _templates()
        .get_template(template)
        .render(
            path=request.url.path,
            athlete=request.app.state.ctx.athlete,
            version=__version__,
            **ctx,
        )
    )
    return HTMLResponse(
        html,
        status_code=status_code,
        headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY},
    )


def _plotly_js_path() -> Path:
    """The plotly.js shipped inside the installed ``plotly`` package (no CDN)."""
    path = Path(str(resources.files("plotly") / "package_data" / "plotly.min.js"))
    if not path.is_file():
        raise NotFoundError("the plotly package has no package_data/plotly.min.js")
    return path


@router.get("/vendor/plotly.min.js")
def plotly_js() -> FileResponse:
    return FileResponse(
        _plotly_js_path(),
        media_type="text/javascript",
        headers={"Cache-Control": "public, max-age=86400"},
    )


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    # FastAPI's Swagger page loads its JavaScript from a CDN; this one is plain HTML
    return render(request, "api_docs.j2", title="API", schema=request.app.openapi())


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, ctx: Ctx) -> HTMLResponse:
    from stridelab.insights.activity_summary import activity_summaries

    overview = views.overview_data(ctx.db, athlete=ctx.athlete, weeks=8)
    findings, findings_note = views.coach_findings(ctx.db, athlete=ctx.athlete)
    acts = activity_summaries(ctx.db, athlete=ctx.athlete)
    tests = views.test_history(ctx.db, athlete=ctx.athlete)
    return render(
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
        videos=views.video_summaries(ctx.db, athlete=ctx.athlete)[:8],
        max_upload_mb=ctx.settings.max_upload_bytes / 2**20,
    )


@router.get("/activities", response_class=HTMLResponse)
def activities_page(request: Request, ctx: Ctx) -> HTMLResponse:
    from stridelab.insights.activity_summary import activity_summaries

    acts = activity_summaries(ctx.db, athlete=ctx.athlete)
    return render(request, "activities.j2", title="Activities", activities=list(reversed(acts)))


@router.get("/videos/{video_id}", response_class=HTMLResponse)
def video_page(request: Request, ctx: Ctx, video_id: VideoId) -> HTMLResponse:
    row = views.video_row(ctx.db, video_id, athlete=ctx.athlete)
    report = video_page_context(row.result, views.report_folder(ctx.settings.videos_dir, row))
    return render(
        request,
        "video.j2",
        title=f"Video report – {report['file']}",
        video_id=row.id,
        analysed_at=row.analysed_at,
        **report,
    )


@router.get("/videos/{video_id}/files/{name}")
def video_file(ctx: Ctx, video_id: VideoId, name: str) -> FileResponse:
    """A file of the report folder: only :data:`REPORT_FILE` names, only inside the
    analysis' report folder (which comes from the stored analysis, never the URL)."""
    if not REPORT_FILE.match(name):
        raise NotFoundError(f"no report file {name!r}")
    row = views.video_row(ctx.db, video_id, athlete=ctx.athlete)
    root = views.report_folder(ctx.settings.videos_dir, row).resolve()
    path = (root / name).resolve()
    if path.parent != root or not path.is_file():
        raise NotFoundError(f"no report file {name!r} for video {video_id}")
    return FileResponse(path)


@router.get("/tests", response_class=HTMLResponse)
def tests_page(request: Request, ctx: Ctx) -> HTMLResponse:
    rows = views.test_history(ctx.db, athlete=ctx.athlete)
    return render(request, "tests.j2", title="Tests", tests=list(reversed(rows)))


@router.get("/plan", response_class=HTMLResponse)
def plan_page(
    request: Request,
    ctx: Ctx,
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
    page: dict[str, Any] = {
        "form": form,
        "goals": views.COACH_GOALS,
        "equipment_choices": views.COACH_EQUIPMENT,
        "unavailable": views.coach_unavailable_reason(),
        "plan": None,
        "this_week": None,
        "error": None,
        "ics_query": "",
    }
    if page["unavailable"] is None:
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
            plan = plan_for(ctx, **params)
        except InputError as exc:
            page["error"] = str(exc)
        else:
            data = json_safe(plan.to_dict())
            page["plan"] = data
            page["this_week"] = _this_week(data, day)
            page["ics_query"] = urlencode(
                [
                    (k, v.isoformat() if isinstance(v, date) else v)
                    for k, v in params.items()
                    if k != "equipment" and v is not None
                ]
                + [("equipment", e) for e in params["equipment"]]
            )
    return render(request, "plan.j2", title="Plan", **page)


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
    sunday = monday + timedelta(days=6)
    for week in weeks:
        dates = [s.get("date") for s in week.get("sessions") or [] if s.get("date")]
        if any(monday.isoformat() <= d <= sunday.isoformat() for d in dates):
            return dict(week)
    return dict(weeks[0]) if weeks else None
