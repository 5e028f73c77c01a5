"""``stridelab activity``: show, list and export activities."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from rich.table import Table

from stridelab.cli.state import State, out_console, print_json
from stridelab.errors import InputError
from stridelab.insights.activity_summary import activity_summary
from stridelab.store import get_activity, list_activities, load_records
from stridelab.watch import RECORD_COLUMNS, load, summarize

app = typer.Typer(help="Show, list and export activities.", no_args_is_help=True)

_LABELS: dict[str, tuple[str, str]] = {
    "sport": ("sport", ""),
    "start_local": ("start (local)", ""),
    "start_utc": ("start (UTC)", ""),
    "distance_km": ("distance", "km"),
    "moving_time_s": ("moving time", "time"),
    "elapsed_time_s": ("elapsed time", "time"),
    "avg_speed_kmh": ("average speed", "km/h"),
    "avg_hr_bpm": ("average heart rate", "bpm"),
    "max_hr_bpm": ("max heart rate", "bpm"),
    "energy_kcal": ("energy", "kcal"),
    "avg_cadence_spm": ("cadence", "steps/min"),
    "avg_ground_contact_ms": ("ground contact", "ms"),
    "avg_vertical_oscillation_mm": ("vertical oscillation", "mm"),
    "avg_vertical_ratio_pct": ("vertical ratio", "%"),
    "avg_stance_balance_left_pct": ("contact balance (left)", "%"),
    "avg_step_length_mm": ("step length", "mm"),
    "avg_power_w": ("power", "W"),
    "pause_count": ("pauses", ""),
    "creator": ("device", ""),
    "source_file": ("file", ""),
}


def _hms(seconds: float) -> str:
    s = round(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


def _summaries(state: State, target: str) -> tuple[list[dict[str, Any]], list[list[str]]]:
    """Summaries and warnings for a file path or a stored activity id."""
    path = Path(target)
    if path.exists():
        acts = load(path)
        return (
            [summarize(a, source_file=str(path)).to_dict() for a in acts],
            [list(a.warnings) for a in acts],
        )
    if target.isdigit():
        row = get_activity(state.db, int(target))
        return [dict(row.summary, id=row.id)], [list(row.warnings)]
    raise InputError(f"{target!r} is neither a file nor an activity id")


@app.command()
def show(
    ctx: typer.Context,
    target: Annotated[str, typer.Argument(help="An activity file, or a stored activity id.")],
    json_out: Annotated[
        bool, typer.Option("--json", help="Print JSON (a list for several sessions).")
    ] = False,
) -> None:
    """Summarise an activity: distance, times, heart rate, cadence, running dynamics."""
    show_summaries(ctx.obj, target, json_out=json_out)


def show_summaries(state: State, target: str, *, json_out: bool) -> None:
    """Print the summary of a file or stored activity (JSON or tables)."""
    summaries, warnings = _summaries(state, target)
    if json_out:
        for s in summaries:
            s.pop("derived", None)
        print_json(summaries[0] if len(summaries) == 1 else summaries)
        return
    console = out_console()
    for i, (summary, notes) in enumerate(zip(summaries, warnings, strict=True)):
        when = summary.get("start_local") or summary["start_utc"]
        title = f"{summary.get('sport') or 'activity'} · {when}"
        if len(summaries) > 1:
            title = f"session {i + 1}/{len(summaries)}: {title}"
        table = Table(title=title, title_justify="left", show_header=False)
        table.add_column(style="bold")
        table.add_column(justify="right")
        derived = set(summary.get("derived") or [])
        for key, (label, unit) in _LABELS.items():
            value = summary.get(key)
            if value is None or key in ("sport",):
                continue
            text = _hms(value) if unit == "time" else f"{value} {unit}".strip()
            if key in derived:
                text += " [dim](from records)[/]"
            table.add_row(label, text)
        console.print(table)
        for note in notes:
            console.print(f"  [yellow]•[/] {note}")


@app.command("list")
def list_(
    ctx: typer.Context,
    sport: Annotated[str | None, typer.Option(help="Only this sport (e.g. running).")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List stored activities, oldest first."""
    state: State = ctx.obj
    rows = list_activities(state.db, athlete=state.athlete, sport=sport)
    if json_out:
        print_json([activity_summary(r) for r in rows])  # the keys GET /api/activities gives
        return
    table = Table(title=f"{len(rows)} activities", title_justify="left")
    for col in ("id", "start", "sport", "km", "moving", "cadence", "GCT ms"):
        table.add_column(col, justify="right" if col not in ("start", "sport") else "left")
    for r in rows:
        s = r.summary
        table.add_row(
            str(r.id),
            s.get("start_local") or s["start_utc"],
            s.get("sport") or "–",
            f"{s['distance_km']:.2f}" if s.get("distance_km") is not None else "–",
            _hms(s["moving_time_s"]) if s.get("moving_time_s") else "–",
            f"{s['avg_cadence_spm']:.0f}" if s.get("avg_cadence_spm") else "–",
            f"{s['avg_ground_contact_ms']:.0f}" if s.get("avg_ground_contact_ms") else "–",
        )
    out_console().print(table)


@app.command()
def export(
    ctx: typer.Context,
    activity_id: Annotated[int, typer.Argument(help="Stored activity id.")],
    csv_out: Annotated[
        bool, typer.Option("--csv", help="Write the per-second records as CSV.")
    ] = True,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="File to write (default: stdout).")
    ] = None,
) -> None:
    """Export the per-second records of an activity as CSV (units in the column names)."""
    state: State = ctx.obj
    records = load_records(state.db, activity_id)
    names = [n for n in RECORD_COLUMNS if n == "timestamp_s" or records.get(n) is not None]
    dev = sorted(records.developer)
    header = [*names, *(f"dev:{d}" for d in dev)]
    columns = [records.columns[n] for n in names] + [records.developer[d] for d in dev]
    fh = sys.stdout if out is None else out.open("w", newline="", encoding="utf-8")
    try:
        writer = csv.writer(fh)
        writer.writerow(header)
        if columns:
            matrix = np.column_stack(columns)
            for row in matrix:
                writer.writerow(["" if not np.isfinite(v) else f"{v:.10g}" for v in row])
    finally:
        if out is not None:
            fh.close()
    if out is not None:
        out_console().print(f"wrote {len(records)} records to {out}")
