"""``stridelab import``: progress while importing, one line per bad file, a summary table."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from stridelab.cli.state import State, err_console, out_console
from stridelab.ingest import FileOutcome, import_one, iter_sources

__all__ = ["run_import"]


def run_import(state: State, paths: Sequence[Path]) -> bool:
    """Import and report; True if at least one file was imported or already stored."""
    db = state.db
    items = list(iter_sources(paths))
    err = err_console()
    outcomes: list[FileOutcome] = []
    progress = Progress(
        TextColumn("[bold]importing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=err,
        transient=True,
        disable=len(items) < 3,
    )
    with progress:
        task = progress.add_task("", total=len(items))
        for item in items:
            progress.update(task, description=Path(item.name).name[-40:])
            outcome = import_one(db, item, athlete=state.athlete)
            outcomes.append(outcome)
            if outcome.status == "refused":
                progress.console.print(f"[yellow]skipped[/] {item.name}: {outcome.reason}")
            elif state.verbose:
                for w in outcome.warnings:
                    progress.console.print(f"[dim]note[/] {item.name}: {w}")
            progress.advance(task)
    _summary(outcomes)
    return any(o.status in ("imported", "duplicate") for o in outcomes)


def _summary(outcomes: list[FileOutcome]) -> None:
    imported = [o for o in outcomes if o.status == "imported"]
    table = Table(title="Import summary", title_justify="left")
    table.add_column("result")
    table.add_column("files", justify="right")
    table.add_column("activities", justify="right")
    table.add_row(
        "[green]imported", str(len(imported)), str(sum(len(o.activity_ids) for o in imported))
    )
    dup = [o for o in outcomes if o.status == "duplicate"]
    table.add_row("already stored", str(len(dup)), str(sum(len(o.activity_ids) for o in dup)))
    table.add_row("[yellow]skipped", str(sum(o.status == "refused" for o in outcomes)), "–")
    with_notes = sum(1 for o in imported if o.warnings)
    out_console().print(table)
    if with_notes:
        out_console().print(
            f"{with_notes} imported file(s) had data repaired or dropped; "
            "see 'stridelab activity show ID' (or --verbose)."
        )
    if not outcomes:
        err_console().print("[yellow]no activity files found[/]")
