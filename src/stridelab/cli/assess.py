"""``stridelab test …``: jump and hop tests from a video, a force plate or a phone accelerometer."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from stridelab._util import file_sha256
from stridelab.cli import mobility as mobility_cmd
from stridelab.cli.state import State, fmt_number, out_console, performed_at, print_json

__all__ = ["app"]

app = typer.Typer(help="Test the engine: jump and hop tests.", no_args_is_help=True)


@app.command("jump")
def jump_cmd(
    ctx: typer.Context,
    source: Annotated[
        Path,
        typer.Argument(
            help="A side-view video (feet and floor visible; 60 fps or more, slow motion "
            "best), a force-plate CSV (time + vertical force, one or two plates, ≥ 500 Hz) "
            "or a phone accelerometer CSV (phyphox export, or time,ax,ay,az)."
        ),
    ],
    test_type: Annotated[
        str, typer.Option("--type", help="cmj | squat | drop | pogo | rj10-5")
    ] = "cmj",
    mass_kg: Annotated[
        float | None, typer.Option("--mass-kg", help="Body mass (else from quiet standing).")
    ] = None,
    drop_height_cm: Annotated[
        float | None, typer.Option("--drop-height-cm", help="Box height of a drop jump.")
    ] = None,
    capture_fps: Annotated[
        float | None,
        typer.Option(
            "--capture-fps",
            help="Video: real capture rate of a slow-motion file (e.g. 240); else read "
            "from the file's metadata.",
        ),
    ] = None,
    person: Annotated[
        str,
        typer.Option("--person", help="Video: whom to analyse: auto, an index or x,y,w,h."),
    ] = "auto",
    on: Annotated[
        str | None, typer.Option("--date", help="Test date YYYY-MM-DD (default: file date).")
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the JSON result.")] = False,
) -> None:
    """Jump height, reactive strength index and rate of force development."""
    run_jump(
        ctx.obj,
        source,
        test_type=test_type,
        mass_kg=mass_kg,
        drop_height_cm=drop_height_cm,
        capture_fps=capture_fps,
        person=person,
        on=on,
        json_out=json_out,
    )


def run_jump(
    state: State,
    source: Path,
    *,
    test_type: str = "cmj",
    mass_kg: float | None = None,
    drop_height_cm: float | None = None,
    capture_fps: float | None = None,
    person: str = "auto",
    on: str | None = None,
    json_out: bool = False,
) -> None:
    """Analyse one jump-test file, store it and print it (``test jump``, the demo)."""
    from stridelab.assess.jumps import analyze_jump_file
    from stridelab.errors import InputError
    from stridelab.store.repository import save_assessment

    if not source.is_file():
        raise InputError(f"{source}: no such file")
    performed = performed_at(source, on)
    result = analyze_jump_file(
        source,
        test=test_type,
        mass_kg=mass_kg,
        drop_height_cm=drop_height_cm,
        capture_fps=capture_fps,
        person=person,
    )
    data = result.to_dict()
    sha = file_sha256(source)
    row_id, replaced = save_assessment(
        state.db,
        data,
        sha256=sha,
        file_name=source.name,
        performed_at=performed,
        athlete=state.athlete,
    )
    if json_out:
        print_json(data)
        return
    con = out_console()
    s = data["summary"]
    con.print(
        f"[bold]{source.name}[/]: {data['test']} from a {data['input_kind'].replace('_', ' ')}"
        f" — best height {fmt_number(s.get('best_height_cm'), 'cm')}"
        + (f", best RSI {fmt_number(s.get('best_rsi'), '', 2)}" if s.get("best_rsi") else "")
        + f" (± {fmt_number(s.get('height_uncertainty_cm'), 'cm')}; {s.get('method', '')})"
    )
    table = Table(title="Jumps")
    cols = [
        ("#", "index", "", 0),
        ("flight", "flight_time_ms", "ms", 0),
        ("contact", "contact_time_ms", "ms", 0),
        ("height (flight)", "height_flight_cm", "cm", 1),
        ("height (impulse)", "height_impulse_cm", "cm", 1),
        ("RSI", "rsi", "", 2),
        ("peak force", "peak_force_n", "N", 0),
        ("RFD 0–100", "rfd_0_100_n_per_s", "N/s", 0),
    ]
    for title, *_ in cols:
        table.add_column(title)
    for j in data["jumps"]:
        row = [
            fmt_number(j.get(key), unit, d) if key != "index" else str(j["index"])
            for _, key, unit, d in cols
        ]
        if not j.get("valid", True):
            row = [f"[dim]{c}[/]" for c in row]
        table.add_row(*row)
    con.print(table)
    for w in data.get("warnings", []):
        con.print(f"[yellow]warning:[/] {w}")
    for n in data.get("notes", []):
        con.print(f"[dim]note: {n}[/]")
    action = "replaced the earlier result of this file" if replaced else "stored"
    con.print(f"{action} (id {row_id}, athlete {state.athlete}, {performed:%Y-%m-%d})")


@app.command("history")
def history_cmd(
    ctx: typer.Context,
    test_type: Annotated[str | None, typer.Option("--type", help="Only this test.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The athlete's stored test results, oldest first."""
    from stridelab.store.repository import list_assessments

    state: State = ctx.obj
    rows = list_assessments(state.db, athlete=state.athlete, test=test_type)
    if json_out:
        print_json(
            [
                {
                    "id": r.id,
                    "test": r.test,
                    "input_kind": r.input_kind,
                    "performed_at": r.performed_at.isoformat(),
                    "file": r.file_name,
                    "summary": r.summary,
                }
                for r in rows
            ]
        )
        return
    table = Table(title=f"Test results of {state.athlete}")
    for col in ("id", "date", "test", "input", "result", "best RSI", "file"):
        table.add_column(col)
    for r in rows:
        s = r.summary
        if "unit" in s:  # a mobility or stability self-test: its primary value and side
            value = fmt_number(s.get("value"), str(s["unit"]), 0 if s["unit"] == "reps" else 1)
            result = f"{value} {s['side']}" if s.get("side") else value
        else:
            result = fmt_number(s.get("best_height_cm"), "cm")
        table.add_row(
            str(r.id),
            f"{r.performed_at:%Y-%m-%d}",
            r.test,
            r.input_kind,
            result,
            fmt_number(s.get("best_rsi"), "", 2),
            r.file_name,
        )
    out_console().print(table)


mobility_cmd.register(app)
