"""``stridelab shoes``: add, list, retire, assign and choose the default pair."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from stridelab.cli.state import State, out_console
from stridelab.store import add_shoe, assign_shoe, list_shoes, retire_shoe, set_default_shoe
from stridelab.store.models import ShoeRow

app = typer.Typer(help="Shoes: mileage, rotation and retirement.", no_args_is_help=True)


@app.command()
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="A name you will recognise, e.g. 'Pegasus 41 blue'.")],
    start_km: Annotated[float, typer.Option(help="Distance already run in them, km.")] = 0.0,
    retire_at_km: Annotated[
        float | None, typer.Option(help="Retirement mark, km (default from settings: 700).")
    ] = None,
    default: Annotated[
        bool, typer.Option("--default", help="Assign new runs to this pair.")
    ] = False,
) -> None:
    """Add a pair of shoes."""
    state: State = ctx.obj
    mark = retire_at_km if retire_at_km is not None else state.settings.shoe_retire_km
    row = add_shoe(
        state.db, name, athlete=state.athlete, start_km=start_km, retire_at_km=mark, default=default
    )
    out_console().print(
        f"added [bold]{row.name}[/]" + (" (default for new runs)" if default else "")
    )


@app.command("list")
def list_(ctx: typer.Context) -> None:
    """List shoes with distance, recent share of runs (rotation) and wear."""
    from stridelab.insights import shoe_overview

    state: State = ctx.obj
    usages, rotation = shoe_overview(state.db, athlete=state.athlete)
    rows: dict[int | str, ShoeRow] = {s.id: s for s in list_shoes(state.db, athlete=state.athlete)}
    table = Table(title="Shoes", title_justify="left")
    for col in ("pair", "km", "runs", "share last 30 d", "wear", "status"):
        table.add_column(col, justify="left" if col in ("pair", "status") else "right")
    for u in usages:
        row = rows[u.shoe_id]
        status = "retired" if u.retired else ("default" if row.is_default else "")
        table.add_row(
            u.name,
            f"{u.total_km:.0f}",
            str(u.runs_total),
            f"{100 * u.share_of_runs_last_30d:.0f}%",
            "–" if u.wear_pct is None else f"{u.wear_pct:.0f}%",
            status,
        )
    console = out_console()
    console.print(table)
    for u in usages:
        for w in u.warnings:
            console.print(f"[yellow]•[/] {w}")
    if rotation is not None:
        console.print(rotation.message)


@app.command()
def retire(ctx: typer.Context, name: Annotated[str, typer.Argument()]) -> None:
    """Retire a pair (it stays in the history)."""
    state: State = ctx.obj
    retire_shoe(state.db, name, athlete=state.athlete)
    out_console().print(f"retired [bold]{name}[/]")


@app.command()
def default(ctx: typer.Context, name: Annotated[str, typer.Argument()]) -> None:
    """Make a pair the default for newly imported runs."""
    state: State = ctx.obj
    set_default_shoe(state.db, name, athlete=state.athlete)
    out_console().print(f"[bold]{name}[/] is now the default pair for new runs")


@app.command()
def assign(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The pair.")],
    activity_ids: Annotated[
        list[int], typer.Argument(help="Activity ids ('stridelab activity list').")
    ],
) -> None:
    """Record which pair was worn on the given activities."""
    state: State = ctx.obj
    n = assign_shoe(state.db, name, activity_ids, athlete=state.athlete)
    out_console().print(f"assigned [bold]{name}[/] to {n} activities")
