"""``stridelab athlete``: the runner's body facts used by the analyses (all optional)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from stridelab.cli.state import State, out_console
from stridelab.store import ensure_athlete, update_athlete

app = typer.Typer(
    help="The runner's height, mass, leg length, birth year and sex.", no_args_is_help=True
)


@app.command("set")
def set_(
    ctx: typer.Context,
    height_cm: Annotated[float | None, typer.Option(help="Height in cm.")] = None,
    mass_kg: Annotated[float | None, typer.Option(help="Body mass in kg.")] = None,
    leg_length_cm: Annotated[
        float | None, typer.Option(help="Leg length (greater trochanter to floor), cm.")
    ] = None,
    birth_year: Annotated[int | None, typer.Option(help="Year of birth.")] = None,
    sex: Annotated[str | None, typer.Option(help="female, male or other.")] = None,
) -> None:
    """Set facts about the athlete (--athlete NAME, default 'me')."""
    state: State = ctx.obj
    row = update_athlete(
        state.db,
        state.athlete,
        height_cm=height_cm,
        mass_kg=mass_kg,
        leg_length_cm=leg_length_cm,
        birth_year=birth_year,
        sex=sex,
    )
    out_console().print(f"saved athlete [bold]{row.name}[/]")


@app.command()
def show(ctx: typer.Context) -> None:
    """Show what is known about the athlete."""
    state: State = ctx.obj
    row = ensure_athlete(state.db, state.athlete)
    table = Table(title=f"athlete {row.name}", title_justify="left", show_header=False)
    for key in ("height_cm", "mass_kg", "leg_length_cm", "birth_year", "sex"):
        value = getattr(row, key)
        table.add_row(key, "–" if value is None else str(value))
    out_console().print(table)
