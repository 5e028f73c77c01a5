"""``stridelab test list|guide|run``: mobility and stability self-tests by camera."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from stridelab.cli.state import State, fmt_number, out_console, performed_at, print_json

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add the mobility and stability test commands to the ``test`` group."""

    @app.command("list")
    def list_cmd(
        json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """The mobility and stability self-tests (names for ``test guide`` / ``test run``)."""
        from stridelab.assess.mobility import TESTS

        if json_out:
            print_json(
                [
                    {
                        "id": t.id,
                        "name": t.name,
                        "inputs": list(t.inputs),
                        "view": t.view,
                        "unit": t.unit,
                        "aliases": list(t.aliases),
                        "mdc": t.mdc,
                        "has_norm": t.norm is not None,
                    }
                    for t in TESTS.values()
                ]
            )
            return
        table = Table(title="Mobility and stability tests")
        for col in ("test", "also", "what", "input", "view", "unit", "MDC"):
            table.add_column(col)
        for t in TESTS.values():
            table.add_row(
                t.id,
                ", ".join(t.aliases[:3]),
                t.name,
                "/".join(t.inputs),
                t.view,
                t.unit,
                fmt_number(t.mdc, t.unit),
            )
        con = out_console()
        con.print(table)
        con.print(
            "`stridelab test guide NAME` explains a test; "
            "`stridelab test run NAME FILE` measures it."
        )

    @app.command("guide")
    def guide_cmd(
        name: Annotated[str, typer.Argument(help="A test id or name from `stridelab test list`.")],
    ) -> None:
        """How to do and film a test, what counts, its norm and minimal detectable change."""
        from stridelab.assess.mobility import resolve_test

        info, _ = resolve_test(name)
        out_console().print(info.guide(), markup=False)

    @app.command("run")
    def run_cmd(
        ctx: typer.Context,
        name: Annotated[str, typer.Argument(help="Test id or name (see `stridelab test list`).")],
        source: Annotated[Path, typer.Argument(help="A photo (JPEG/PNG) or a short video.")],
        side: Annotated[
            str | None, typer.Option("--side", help="left | right: the leg or side tested.")
        ] = None,
        height_cm: Annotated[
            float | None,
            typer.Option("--height-cm", help="Body height for cm values (else the profile's)."),
        ] = None,
        on: Annotated[
            str | None, typer.Option("--date", help="Test date YYYY-MM-DD (default: file date).")
        ] = None,
        points: Annotated[
            str | None,
            typer.Option(
                "--points",
                help="Big toe: 'x1,y1;x2,y2;x3,y3' pixels (metatarsal, toe joint, toe tip).",
            ),
        ] = None,
        person: Annotated[
            str,
            typer.Option(
                "--person",
                help="Video with a bystander: auto (most in view and nearest the camera), "
                "N (N-th from the left) or a box x,y,w,h.",
            ),
        ] = "auto",
        capture_fps: Annotated[
            float | None,
            typer.Option(
                "--capture-fps",
                help="Video: real capture rate of a slow-motion file (e.g. 240); else read "
                "from the file's metadata.",
            ),
        ] = None,
        json_out: Annotated[bool, typer.Option("--json", help="Print the JSON result.")] = False,
    ) -> None:
        """Measure a mobility or stability test from a photo or video and store it."""
        from stridelab.assess.mobility import TESTS, record_test
        from stridelab.errors import InputError
        from stridelab.store.repository import ensure_athlete

        state: State = ctx.obj
        if not source.is_file():
            raise InputError(f"{source}: no such file")
        if side is not None and side not in ("left", "right"):
            raise InputError(f"--side must be left or right, got {side!r}")
        performed = performed_at(source, on)
        athlete = ensure_athlete(state.db, state.athlete)
        rec = record_test(
            state.db,
            name,
            source,
            athlete=state.athlete,
            performed_at=performed,
            side=side,
            height_cm=height_cm if height_cm is not None else athlete.height_cm,
            sex=athlete.sex if athlete.sex in ("male", "female") else None,
            points=points,
            capture_fps=capture_fps,
            person=person,
        )
        data, sym, row_id, replaced = rec.data, rec.symmetry, rec.row_id, rec.replaced
        test_id, variant = data["test"], data.get("variant")
        if json_out:
            print_json({**data, "symmetry": sym})
            return
        con = out_console()
        info = TESTS[test_id]
        s = data["summary"]
        digits = 0 if s["unit"] == "reps" else 1
        con.print(
            f"[bold]{info.name}[/] ({data['input_kind']}"
            + (f", {s['side']}" if s["side"] else "")
            + (f", {variant}" if variant else "")
            + f"): [bold]{fmt_number(s['value'], s['unit'], digits)}[/]  quality {s['quality']}"
        )
        norm = s["norm"]
        if norm is not None and norm["status"] == "unknown":
            con.print(
                f"norm: not known yet — the hold was longer than measured and the cut-off is "
                f"{norm['cutoff']:g} {s['unit']} ({norm['population']}; {norm['source']})",
                markup=False,
            )
        elif norm is not None:
            con.print(
                f"norm: {norm['status']} the cut-off {norm['cutoff']:g} {s['unit']} — "
                f"{norm['population']} ({norm['source']})",
                markup=False,
            )
        mdc = fmt_number(s["mdc"], s["unit"]) if s["mdc"] is not None else "none published"
        con.print(f"minimal detectable change: {mdc}", markup=False)
        base = data["baseline"]
        if base is not None:
            con.print(
                f"since your baseline ({fmt_number(base['baseline_value'], s['unit'], digits)}): "
                f"{base['change']:+.{digits}f} {s['unit']} — {base['note']}",
                markup=False,
            )
        if sym is not None:
            con.print(
                f"left {fmt_number(sym['left'], s['unit'], digits)}, right "
                f"{fmt_number(sym['right'], s['unit'], digits)}"
                + (f", symmetry {sym['lsi_pct']:.0f}%" if sym["lsi_pct"] is not None else "")
                + (
                    " (a real difference)"
                    if sym["real"]
                    else (" (within the MDC)" if sym["real"] is False else "")
                ),
                markup=False,
            )
        per_rep = data["result"].get("per_rep")
        if per_rep:
            table = Table(title="Reps")
            cols = [k for k in per_rep[0] if k != "index"]
            table.add_column("#")
            for c in cols:
                table.add_column(c.replace("_", " "))
            for row in per_rep:
                table.add_row(
                    str(row["index"]),
                    *[
                        fmt_number(row[c], "", 1) if isinstance(row[c], float) else str(row[c])
                        for c in cols
                    ],
                )
            con.print(table)
        for w in s["warnings"]:
            con.print(f"[yellow]warning:[/] {w}")
        for n in data.get("notes", []):
            con.print(f"[dim]note: {n}[/]")
        action = "replaced the earlier result of this file" if replaced else "stored"
        con.print(f"{action} (id {row_id}, athlete {state.athlete}, {performed:%Y-%m-%d})")
