"""``stridelab plan`` and ``stridelab progress``: thin shells over :mod:`stridelab.coach`."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from stridelab.cli.state import State, out_console, print_json
from stridelab.errors import InputError

if TYPE_CHECKING:
    from stridelab.coach import Plan, Progress

__all__ = ["register"]


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option} must be YYYY-MM-DD, got {value!r}") from None


def _equipment(value: str) -> frozenset[str]:
    return frozenset(p.strip().lower() for p in value.split(",") if p.strip())


def print_plan(plan: Plan, *, explain: bool) -> None:
    con = out_console()
    req = plan.request
    con.rule(f"[bold]stridelab plan · {escape(plan.athlete)}")
    con.print(
        f"goal {req.goal}"
        + (f", race {req.race_date.isoformat()}" if req.race_date else "")
        + f" · {req.weeks} weeks from {req.start.isoformat()} · {req.run_days} run days · "
        f"{req.minutes_per_week} min/week · equipment {', '.join(sorted(req.equipment))}"
    )
    for note in (*plan.notes, *plan.guardrails):
        con.print(f"[bold yellow]⚑[/] {escape(note)}")
    if plan.findings:
        con.print("[bold]Findings[/]")
        for f in plan.findings:
            con.print(escape(f"  [{f.severity}] {f.title} — {f.seen} ({f.confidence} confidence)"))
    for week in plan.weeks:
        flags = (" · taper" if week.taper else "") + (" · hold volume" if week.guardrail else "")
        con.print(
            f"\n[bold]Week {week.week}[/] · {week.phase}{flags} · "
            f"{week.minutes}/{week.budget_minutes} min"
        )
        for s in week.sessions:
            names = ", ".join(i.name for i in s.items)
            con.print(
                escape(f"  {s.date:%a %d %b} {s.kind:<9} {s.minutes:>3} min  {s.when}: {names}")
            )
            if explain:
                if s.note:
                    con.print(f"      [dim]{escape(s.note)}[/]")
                for i in s.items:
                    dose = f" — {i.dosage}" if i.dosage else ""
                    why = f"rule {i.rule}: {i.reason}" if i.rule else i.reason
                    con.print(f"      [dim]{escape(f'{i.name}{dose}: {why}')}[/]")
    if explain:
        con.print("\n[bold]Why these choices[/]")
        for e in plan.explanations:
            src = f" ({e['source']})" if e["source"] else ""
            con.print(escape(f"  • {e['choice']}: {e['why']}{src}"))


def _print_progress(p: Progress) -> None:
    con = out_console()
    con.rule(f"[bold]stridelab progress · {escape(p.athlete)}")
    if not p.metrics:
        con.print("Nothing measured yet: run 'stridelab plan' for the baseline tests.")
        return
    for m in p.metrics:
        values = " → ".join(f"{v:.4g}" for _, v in m.points)
        mdc = f" (MDC {m.mdc:.3g} {m.unit})" if m.mdc is not None else ""
        mark = "" if m.beyond_mdc is None else (" beyond MDC" if m.beyond_mdc else " within MDC")
        line = f"  {m.key}: {values} {m.unit}{mdc}{mark} — {m.status.replace('_', ' ')}"
        con.print(escape(line))
    if p.findings:
        con.print("[bold]Findings[/]")
        for f, status, _ in p.findings:
            con.print(escape(f"  {f.title}: {status.replace('_', ' ')}"))


def register(app: typer.Typer) -> None:
    """Add the coaching commands to the top-level app."""

    @app.command("plan")
    def plan_cmd(
        ctx: typer.Context,
        goal: Annotated[str, typer.Option(help="5k | 10k | half | marathon | general")] = "general",
        race_date: Annotated[
            str | None, typer.Option("--race-date", help="Race date YYYY-MM-DD.")
        ] = None,
        run_days: Annotated[int, typer.Option("--run-days", help="Runs per week (1–7).")] = 3,
        minutes_per_week: Annotated[
            int, typer.Option("--minutes-per-week", help="Minutes a week for this work.")
        ] = 60,
        equipment: Annotated[
            str, typer.Option(help="Comma list of none, band, dumbbell, step, gym.")
        ] = "none",
        weeks: Annotated[int, typer.Option(help="Length of the block in weeks (1–24).")] = 8,
        start: Annotated[
            str | None, typer.Option(help="First day YYYY-MM-DD (default: today).")
        ] = None,
        json_out: Annotated[bool, typer.Option("--json", help="Print the plan as JSON.")] = False,
        ics: Annotated[Path | None, typer.Option("--ics", help="Write an iCalendar file.")] = None,
        html: Annotated[Path | None, typer.Option("--html", help="Write an HTML page.")] = None,
        markdown: Annotated[
            Path | None, typer.Option("--markdown", help="Write a Markdown file.")
        ] = None,
        explain: Annotated[bool, typer.Option("--explain", help="Say why each choice.")] = False,
    ) -> None:
        """A time-boxed, equipment-aware block of practice from your findings, with re-tests."""
        from stridelab.coach import (
            PlanRequest,
            build_plan,
            plan_to_html,
            plan_to_ics,
            plan_to_markdown,
        )

        state: State = ctx.obj
        request = PlanRequest(
            goal=goal,  # type: ignore[arg-type]  # validated by PlanRequest
            race_date=_date(race_date, "--race-date"),
            run_days=run_days,
            minutes_per_week=minutes_per_week,
            equipment=_equipment(equipment),
            weeks=weeks,
            start=_date(start, "--start") or date.today(),
        )
        plan = build_plan(state.db, state.athlete, request)
        for path, data in (
            (ics, lambda: plan_to_ics(plan)),
            (html, lambda: plan_to_html(plan).encode()),
            (markdown, lambda: plan_to_markdown(plan).encode()),
        ):
            if path is not None:
                try:
                    path.write_bytes(data())
                except OSError as exc:
                    raise InputError(f"cannot write {path}: {exc.strerror}") from None
        if json_out:
            print_json(plan.to_dict())
            return
        print_plan(plan, explain=explain)
        for path in (ics, html, markdown):
            if path is not None:
                out_console().print(f"wrote {path}")

    @app.command("progress")
    def progress_cmd(
        ctx: typer.Context,
        json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """Trends of your key metrics across re-tests, with the minimal detectable change."""
        from stridelab.coach import progress

        state: State = ctx.obj
        p = progress(state.db, state.athlete)
        if json_out:
            print_json(p.to_dict())
            return
        _print_progress(p)
