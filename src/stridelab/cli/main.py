"""The ``stridelab`` command: a thin Typer shell over the library.

Errors from the library become one red line and exit code 1 (a traceback only with
``--verbose``); nothing here computes anything the library does not offer.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated

import typer

from stridelab import __version__
from stridelab.cli import activity as activity_cmd
from stridelab.cli import assess as assess_cmd
from stridelab.cli import athlete as athlete_cmd
from stridelab.cli import coach as coach_cmd
from stridelab.cli import serve as serve_cmd
from stridelab.cli import shoes as shoes_cmd
from stridelab.cli import video as video_cmd
from stridelab.cli.state import State, err_console, out_console
from stridelab.errors import StridelabError

__all__ = ["app", "main_entry", "run"]

app = typer.Typer(
    name="stridelab",
    help="A local-first movement lab for runners: train movement, not muscle.",
    rich_markup_mode="rich",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(activity_cmd.app, name="activity")
app.add_typer(shoes_cmd.app, name="shoes")
app.add_typer(athlete_cmd.app, name="athlete")
app.add_typer(video_cmd.app, name="video")
app.add_typer(assess_cmd.app, name="test")
coach_cmd.register(app)
serve_cmd.register(app)


def _version(value: bool) -> None:
    if value:
        out_console().print(f"stridelab {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option("--db", envvar="STRIDELAB_DB", help="SQLAlchemy database URL."),
    ] = None,
    athlete: Annotated[
        str, typer.Option("--athlete", "-a", envvar="STRIDELAB_ATHLETE", help="Athlete name.")
    ] = "me",
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show details and tracebacks.")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """stridelab: see the stride, read the watch, test the engine, coach the practice."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    ctx.obj = State(db_url=db, athlete=athlete, verbose=verbose)


@app.command("import")
def import_(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="FIT/TCX/GPX files, folders or zip exports.")],
) -> None:
    """Import activity files, folders (recursive) and zip archives (Garmin, Strava exports)."""
    from stridelab.cli.importing import run_import

    state: State = ctx.obj
    ok = run_import(state, paths)
    if not ok:
        raise typer.Exit(1)


@app.command()
def analyze(
    ctx: typer.Context,
    weeks: Annotated[int, typer.Option(help="Weeks of training load to show.")] = 8,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
) -> None:
    """Your history through a movement lens: cadence–speed curve, spring–mass, load, shoes."""
    from stridelab.cli.analyze import run_analyze

    run_analyze(ctx.obj, weeks=weeks, json_out=json_out)


@app.command()
def demo(
    ctx: typer.Context,
    workdir: Annotated[Path, typer.Option(help="Where to write the sample files.")] = Path(".demo"),
) -> None:
    """Generate a synthetic run as a real FIT file, import it and print its analysis."""
    from stridelab.cli.demo import run_demo

    run_demo(ctx.obj, workdir)


def main_entry(argv: list[str] | None = None) -> int:
    """Run the CLI on ``argv`` and return the exit code (no ``sys.exit``; for tests too).

    Library errors become one red line and exit code 1; a traceback only with --verbose.
    """
    args = sys.argv[1:] if argv is None else argv
    verbose = "--verbose" in args or "-v" in args
    try:
        result = app(args=args, prog_name="stridelab", standalone_mode=False)
        if isinstance(result, int):  # click returns typer.Exit codes in this mode
            return result
    except StridelabError as exc:
        if verbose:
            err_console().print_exception()
        err_console().print(f"[bold red]error:[/] {exc}", highlight=False)
        return 1
    except typer.Exit as exc:
        return int(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        err_console().print("[red]interrupted[/]")
        return 130
    except Exception as exc:  # click usage errors, and anything unexpected
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            return int(exc.exit_code)
        if verbose:
            raise
        err_console().print(
            f"[bold red]internal error:[/] {type(exc).__name__}: {exc} "
            "(run with --verbose for details and please report it)",
            highlight=False,
        )
        return 2
    return 0


def run() -> None:
    """Console entry point."""
    sys.exit(main_entry())


if __name__ == "__main__":  # pragma: no cover
    run()
