"""``stridelab video analyze``: a clip (or keypoints from another tool) in; JSON, CSV,
annotated video and HTML report out; the result stored against the athlete."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from stridelab._util import file_sha256
from stridelab.cli.state import State, err_console, out_console

__all__ = ["app", "run_video_analyze"]

app = typer.Typer(help="See the stride: running video to gait metrics.", no_args_is_help=True)

_KEYPOINT_SUFFIXES = {".trc", ".csv"}


def _fmt(value: Any, unit: str) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    if unit in {"", "class"}:
        return f"{value:.2f}"
    return f"{value:.1f} {unit}" if abs(value) < 100 else f"{value:.0f} {unit}"


def run_video_analyze(
    state: State,
    source: Path,
    *,
    view: str,
    height_cm: float | None,
    capture_fps: float | None,
    surface: str,
    person: str,
    out: Path | None,
    json_file: Path | None,
    annotate: bool,
    fps: float | None,
) -> None:
    from stridelab.errors import InputError
    from stridelab.gait.pipeline import VideoOptions, analyze_track, analyze_video
    from stridelab.report import render_summary_text
    from stridelab.report.outputs import write_analysis_outputs
    from stridelab.store.repository import save_video_analysis
    from stridelab.video.formats import load_keypoints
    from stridelab.video.keypoints import with_capture_fps

    if not source.exists():
        raise InputError(f"{source}: no such file or folder")
    options = VideoOptions(
        view=view,
        height_cm=height_cm,
        capture_fps=capture_fps,
        surface=surface,
        person=person,
    )
    options.validate()
    is_keypoints = source.is_dir() or source.suffix.lower() in _KEYPOINT_SUFFIXES
    sha = file_sha256(source)
    # one folder per clip content: two phone clips both called IMG_0001 do not collide
    out_dir = out or Path(f"{source.stem}-{sha[:8]}-stridelab")
    if json_file is not None and str(json_file) != "-" and not json_file.parent.is_dir():
        raise InputError(f"--json {json_file}: folder {json_file.parent} does not exist")
    err = err_console()
    progress = Progress(
        TextColumn("[bold]{task.description:<22}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )
    tasks: dict[str, Any] = {}

    def report(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = progress.add_task(stage, total=total)
        progress.update(tasks[stage], completed=done, total=total)

    with progress:
        if is_keypoints:
            person_index = int(person) - 1 if person.strip().isdigit() else None
            track = load_keypoints(source, fps=fps, person=person_index)
            if capture_fps is not None:
                track = with_capture_fps(track, capture_fps)
            result = analyze_track(
                track, options=options, video_meta={"file": source.name, "source": track.source}
            )
            raw = track
        else:
            result, raw, _info = analyze_video(
                source,
                options=options,
                progress=lambda stage, d, t: report(
                    "finding joints" if stage == "pose" else stage, d, t
                ),
            )
        analysis = result.analysis
        data = analysis.to_dict()
        report_path = write_analysis_outputs(
            result,
            raw,
            out_dir,
            video_path=None if is_keypoints else source,
            annotate=annotate,
            capture_fps=capture_fps,
            progress=lambda d, t: report("annotated video", d, t),
        )
    # The stored copy remembers where its report folder is, so `stridelab serve` can show
    # the annotated video of an analysis made here.
    stored = {**data, "report_folder": str(report_path.parent.resolve())}
    row_id, replaced = save_video_analysis(
        state.db, stored, sha256=sha, file_name=source.name, athlete=state.athlete
    )
    if json_file is not None:
        if str(json_file) == "-":
            import sys

            sys.stdout.write(json.dumps(data, indent=2) + "\n")
            return
        json_file.write_text(json.dumps(data, indent=2), encoding="utf-8")
    con = out_console()
    con.print(f"[bold]{source.name}[/]: {render_summary_text(analysis)}")
    table = Table(title="Gait metrics (median of the used steps)", show_lines=False)
    for col in ("metric", "value", "L", "R", "quality"):
        table.add_column(col)
    for m in analysis.metrics.values():
        badge = {
            "good": "[green]good[/]",
            "fair": "[yellow]fair[/]",
            "withheld": "[red]withheld[/]",
        }[m.quality]
        table.add_row(
            m.label or m.key,
            _fmt(m.value, m.unit),
            _fmt(m.left, m.unit),
            _fmt(m.right, m.unit),
            badge + (f" – {m.reason}" if m.reason else ""),
        )
    con.print(table)
    q = analysis.quality
    con.print(
        f"steps used: {q.n_steps_used} of {q.n_steps_detected}; person in "
        f"{q.frames_with_person}/{q.frames_total} frames; left/right swaps fixed: "
        f"{q.swaps_corrected}"
    )
    for w in q.warnings:
        con.print(f"[yellow]warning:[/] {w}")
    for n in q.notes:
        con.print(f"[dim]note: {n}[/]")
    action = "replaced the earlier analysis of this file" if replaced else "stored"
    con.print(f"report: {report_path}  ({action}, id {row_id}, athlete {state.athlete})")


@app.command("analyze")
def analyze_cmd(
    ctx: typer.Context,
    source: Annotated[
        Path,
        typer.Argument(
            help="A video (side or rear view), or keypoints from another tool "
            "(Sports2D/Pose2Sim .trc, OpenPose JSON folder, stridelab keypoints .csv)."
        ),
    ],
    view: Annotated[str, typer.Option(help="side | rear | front | auto")] = "auto",
    height_cm: Annotated[
        float | None, typer.Option("--height-cm", help="Runner height: gives lengths in cm.")
    ] = None,
    capture_fps: Annotated[
        float | None,
        typer.Option("--capture-fps", help="Real capture rate of a slow-motion clip (e.g. 240)."),
    ] = None,
    surface: Annotated[str, typer.Option(help="treadmill | overground | auto")] = "auto",
    person: Annotated[
        str, typer.Option(help="auto | N (N-th person from the left) | x,y,w,h box in pixels")
    ] = "auto",
    out: Annotated[Path | None, typer.Option(help="Output folder.")] = None,
    json_file: Annotated[
        Path | None, typer.Option("--json", help="Also write the JSON result here ('-' = stdout).")
    ] = None,
    annotate: Annotated[
        bool, typer.Option("--annotate/--no-annotate", help="Write the annotated video.")
    ] = True,
    fps: Annotated[
        float | None, typer.Option(help="Frame rate of an OpenPose JSON folder.")
    ] = None,
) -> None:
    """Analyse a running clip: per-step gait metrics, annotated video and HTML report."""
    state: State = ctx.obj
    run_video_analyze(
        state,
        source,
        view=view,
        height_cm=height_cm,
        capture_fps=capture_fps,
        surface=surface,
        person=person,
        out=out,
        json_file=json_file,
        annotate=annotate,
        fps=fps,
    )


@app.command("list")
def list_cmd(
    ctx: typer.Context,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The athlete's stored video analyses, newest first."""
    from stridelab.cli.state import print_json
    from stridelab.store.repository import list_video_analyses

    state: State = ctx.obj
    rows = list_video_analyses(state.db, athlete=state.athlete)
    if json_out:
        print_json(
            [
                {
                    "id": r.id,
                    "file": r.file_name,
                    "analysed_at": r.analysed_at.isoformat(),
                    "view": r.view,
                    "n_steps_used": r.n_steps_used,
                    "summary": r.summary,
                }
                for r in rows
            ]
        )
        return
    table = Table(title=f"Video analyses of {state.athlete}")
    for col in ("id", "analysed", "file", "view", "steps", "cadence", "contact", "overstride"):
        table.add_column(col)
    for r in rows:
        s = r.summary
        table.add_row(
            str(r.id),
            f"{r.analysed_at:%Y-%m-%d %H:%M}",
            r.file_name,
            r.view,
            str(r.n_steps_used),
            _fmt(s.get("cadence_spm"), "spm"),
            _fmt(s.get("contact_time_ms"), "ms"),
            _fmt(s.get("overstride_cm"), "cm"),
        )
    out_console().print(table)
