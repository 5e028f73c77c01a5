"""A plan as iCalendar (for a phone calendar), Markdown and offline HTML.

All three are pure functions of the :class:`~stridelab.coach.plan.Plan`: the same plan
gives the same bytes (event UIDs and time stamps come from the plan, not the clock).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, time, timedelta
from typing import Any

from stridelab.coach.plan import Plan

__all__ = ["plan_to_html", "plan_to_ics", "plan_to_markdown"]

_KIND_TITLE = {
    "mobility": "Mobility",
    "stability": "Stability",
    "strength": "Strength",
    "power": "Power",
    "drills": "Drills",
    "run-cue": "Run-form cue",
    "retest": "Tests",
}

#: Plain words for a finding's severity.
_SEVERITY_TEXT = {"act": "work on this", "watch": "keep an eye on it", "info": "for information"}


def _session_text(session: Any) -> str:
    lines = [f"{session.minutes} min, {session.when}."]
    if session.note:
        lines.append(session.note)
    shared = _shared_reason(session)
    for item in session.items:
        dose = f" — {item.dosage}" if item.dosage else ""
        lines.append(f"• {item.name} ({item.minutes} min){dose}")
        if shared is None:
            lines.append(f"  why: {item.reason}")
    if shared is not None:
        lines.append(f"why (all of these): {shared}")
    return "\n".join(lines)


def _shared_reason(session: Any) -> str | None:
    """The one reason every item of a session gives (said once), else ``None``."""
    reasons = {item.reason for item in session.items}
    return reasons.pop() if len(reasons) == 1 and len(session.items) > 1 else None


def plan_to_ics(plan: Plan, /) -> bytes:
    """One all-day event per session (``icalendar``), importable by phone calendars."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//stridelab//coach plan//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"stridelab plan · {plan.athlete}")
    stamp = datetime.combine(plan.request.start, time(0), tzinfo=UTC)
    key = f"{plan.athlete}|{plan.request.to_dict()}"
    for week in plan.weeks:
        for n, session in enumerate(week.sessions):
            ev = Event()
            uid = hashlib.sha256(f"{key}|{session.date}|{n}|{session.kind}".encode()).hexdigest()
            ev.add("uid", f"{uid[:32]}@stridelab")
            ev.add("dtstamp", stamp)
            ev.add("dtstart", session.date)
            ev.add("dtend", session.date + timedelta(days=1))
            ev.add("summary", f"{_KIND_TITLE[session.kind]} · {session.minutes} min (stridelab)")
            ev.add("description", _session_text(session))
            ev.add("categories", [session.kind])
            ev.add("transp", "TRANSPARENT")
            cal.add_component(ev)
    return bytes(cal.to_ical())


def plan_to_markdown(plan: Plan, /) -> str:
    """The plan as Markdown: notes, guardrails, findings, then week by week."""
    req = plan.request
    out = [f"# stridelab plan · {plan.athlete}", ""]
    out.append(
        f"Goal **{req.goal}**"
        + (f", race on **{req.race_date.isoformat()}**" if req.race_date else "")
        + f"; {req.weeks} weeks from {req.start.isoformat()}; {req.run_days} run days; "
        f"{req.minutes_per_week} min a week; equipment: {', '.join(sorted(req.equipment))}."
    )
    out.append("")
    for note in (*plan.notes, *plan.guardrails):
        out.append(f"> {note}")
        out.append("")
    if plan.findings:
        out += ["## Findings", ""]
        for f in plan.findings:
            out.append(
                f"- **{f.title}** ({_SEVERITY_TEXT[f.severity]}; {f.confidence} confidence) "
                f"— {f.seen}. "
                f"{f.why} _Source: {f.source}_ `{f.id}`"
            )
        out.append("")
    for week in plan.weeks:
        flags = (" · taper" if week.taper else "") + (" · hold volume" if week.guardrail else "")
        out.append(
            f"## Week {week.week} · {week.phase}{flags} · {week.minutes}/{week.budget_minutes} min"
        )
        out.append("")
        for note in week.notes:
            out.append(f"_{note}_")
            out.append("")
        for s in week.sessions:
            out.append(
                f"### {s.date.strftime('%a %Y-%m-%d')} · {_KIND_TITLE[s.kind]} · "
                f"{s.minutes} min · {s.when}"
            )
            if s.note:
                out.append(f"_{s.note}_")
            shared = _shared_reason(s)
            for item in s.items:
                dose = f" — {item.dosage}" if item.dosage else ""
                if shared is None:
                    out.append(f"- {item.name} ({item.minutes} min){dose}  ")
                    out.append(f"  why: {item.reason}")
                else:
                    out.append(f"- {item.name} ({item.minutes} min){dose}")
            if shared is not None:
                out += ["", f"why (all of these): {shared}"]
            out.append("")
    if plan.explanations:
        out += ["## Why these choices", ""]
        for e in plan.explanations:
            src = f" _({e['source']})_" if e.get("source") else ""
            out.append(f"- **{e['choice']}**: {e['why']}{src}")
        out.append("")
    return "\n".join(out)


def plan_to_html(plan: Plan, /) -> str:
    """A self-contained HTML page (no scripts, no network; Jinja2 with autoescape)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("stridelab.coach", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template("plan.html.j2").render(
        plan=plan, kind_title=_KIND_TITLE, severity_text=_SEVERITY_TEXT
    )
