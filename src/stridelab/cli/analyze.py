"""``stridelab analyze``: the overview as tables and plain sentences (or JSON)."""

from __future__ import annotations

from typing import Any

import numpy as np
from rich.panel import Panel
from rich.table import Table

from stridelab._util import json_safe
from stridelab.cli.state import State, out_console, print_json
from stridelab.insights import Overview, build_overview

__all__ = ["overview_to_dict", "print_overview", "run_analyze"]


def overview_to_dict(ov: Overview) -> dict[str, Any]:
    """The overview as JSON-ready values (the same form ``GET /api/overview`` gives)."""
    return dict(json_safe(ov))


_CURVE_LABEL = {
    "on your usual curve": "usual",
    "quicker steps than usual": "quicker",
    "longer steps than usual": "longer",
}


def _f(v: float | None, fmt: str = ".0f") -> str:
    return "–" if v is None or not np.isfinite(v) else format(v, fmt)


def print_overview(ov: Overview) -> None:
    console = out_console()
    console.rule(f"[bold]stridelab · {ov.athlete} · {ov.n_runs} runs")
    if ov.flags:
        for flag in ov.flags:
            console.print(f"[bold yellow]⚑[/] {flag.message}")
    else:
        console.print("[green]✓[/] no load flags this week")
    if ov.rotation is not None:
        console.print(f"[bold]shoes:[/] {ov.rotation.message}")
    console.print(
        Panel(ov.cadence_curve_note, title="your cadence–speed curve (not 180)", title_align="left")
    )

    runs = Table(
        title="Recent runs: running dynamics and spring–mass model (Morin 2005)",
        title_justify="left",
    )
    for col in (
        "id",
        "date",
        "km",
        "pace",
        "spm",
        "vs curve",
        "GCT ms",
        "flight ms",
        "Fmax BW",
        "k_vert kN/m",
        "k_leg kN/m",
    ):
        runs.add_column(col, justify="left" if col in ("date", "vs curve") else "right")
    for r in ov.runs[-10:]:
        sm = r.spring_mass
        pace = "–"
        if r.speed_m_s:
            sec = 1000 / r.speed_m_s
            pace = f"{int(sec // 60)}:{int(sec % 60):02d}/km"
        pos = r.curve_position
        runs.add_row(
            str(r.activity_id),
            r.start_utc.strftime("%Y-%m-%d"),
            _f(r.distance_km, ".1f"),
            pace,
            _f(r.cadence_spm),
            "–"
            if pos is None
            else f"{pos.delta_spm:+.0f} ({_CURVE_LABEL.get(pos.label, pos.label)})",
            _f(r.ground_contact_ms),
            _f(None if sm is None else float(sm.flight_time_ms)),
            _f(None if sm is None else float(sm.peak_force_bw), ".2f"),
            _f(None if sm is None else float(sm.vertical_stiffness_kn_m), ".1f"),
            _f(None if sm is None else float(sm.leg_stiffness_kn_m), ".1f"),
        )
    console.print(runs)

    weeks = Table(title="Training load by week", title_justify="left")
    for col in ("week of", "km", "hours", "runs", "longest km", "change"):
        weeks.add_column(col, justify="right")
    for w in ov.weeks:
        weeks.add_row(
            w.week_start.isoformat(),
            _f(w.distance_km, ".1f"),
            _f(w.time_h, ".1f"),
            str(w.n_runs),
            _f(w.longest_run_km, ".1f"),
            "–" if w.ramp_pct is None else f"{w.ramp_pct:+.0f}%",
        )
    console.print(weeks)
    if ov.acwr_latest is not None:
        first = ov.acwr_note.split(". ")[0:2]
        console.print(
            f"EWMA acute:chronic ratio: {ov.acwr_latest:.2f}. [dim]{'. '.join(first)}. "
            "(full caveats in --json)[/]"
        )

    if ov.shoes:
        shoes = Table(title="Shoes", title_justify="left")
        for col in ("pair", "km", "runs", "share last 30 d", "wear"):
            shoes.add_column(col, justify="right" if col != "pair" else "left")
        for s in ov.shoes:
            shoes.add_row(
                s.name + (" (retired)" if s.retired else ""),
                _f(s.total_km, ".0f"),
                str(s.runs_total),
                f"{100 * s.share_of_runs_last_30d:.0f}%",
                "–" if s.wear_pct is None else f"{s.wear_pct:.0f}%",
            )
        console.print(shoes)
        for usage in ov.shoes:
            for warning in usage.warnings:
                console.print(f"[yellow]•[/] {warning}")
    for note in ov.assumptions:
        console.print(f"[dim]assumption: {note}[/]")


def run_analyze(state: State, *, weeks: int, json_out: bool) -> None:
    ov = build_overview(state.db, athlete=state.athlete, weeks=weeks)
    if json_out:
        print_json(overview_to_dict(ov))
    else:
        print_overview(ov)
