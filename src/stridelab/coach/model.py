"""The typed plan: request, items, sessions, weeks and the plan, with their JSON form.

``Plan.to_dict()`` has the shape of issue 5 — ``{"weeks": [{"week": 1, "sessions":
[{"date": "YYYY-MM-DD", "kind": ..., "minutes": N, "items": [{"id", "name", "minutes",
"equipment", "reason"}]}]}]}`` — plus per-week phase, taper, guardrail and notes;
per-item category, linked finding ids or rule, dosage, cues and cue feedback; and at the
top the request, the findings and those used, the rules used with their sources, the
load guardrail notes and the explanation of every choice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from stridelab.coach.findings import Finding
from stridelab.coach.library import EQUIPMENT
from stridelab.coach.rules import RULES
from stridelab.errors import InputError

__all__ = [
    "GOALS",
    "SESSION_KINDS",
    "Goal",
    "Plan",
    "PlanItem",
    "PlanRequest",
    "PlanSession",
    "PlanWeek",
]

Goal = Literal["5k", "10k", "half", "marathon", "general"]
GOALS = ("5k", "10k", "half", "marathon", "general")
SESSION_KINDS = ("mobility", "stability", "strength", "power", "drills", "run-cue", "retest")


@dataclass(frozen=True)
class PlanRequest:
    """What the runner asks for. ``start`` defaults to today's date when the request is
    made; :func:`build_plan` itself never reads the clock."""

    goal: Goal = "general"
    race_date: date | None = None
    run_days: int = 3
    minutes_per_week: int = 60
    equipment: frozenset[str] = frozenset({"none"})
    weeks: int = 8
    start: date = field(default_factory=date.today)

    def __post_init__(self) -> None:
        if self.goal not in GOALS:
            raise InputError(f"goal must be one of {', '.join(GOALS)}, got {self.goal!r}")
        if not 1 <= self.run_days <= 7:
            raise InputError(f"run_days must be 1–7, got {self.run_days}")
        if not 15 <= self.minutes_per_week <= 600:
            raise InputError(f"minutes_per_week must be 15–600, got {self.minutes_per_week}")
        if not 1 <= self.weeks <= 24:
            raise InputError(f"weeks must be 1–24, got {self.weeks}")
        eq = frozenset(self.equipment)
        unknown = sorted(eq - set(EQUIPMENT))
        if unknown:
            raise InputError(f"unknown equipment {unknown}; choose from {', '.join(EQUIPMENT)}")
        object.__setattr__(self, "equipment", eq or frozenset({"none"}))
        if self.race_date is not None and self.race_date < self.start:
            raise InputError(
                f"race date {self.race_date.isoformat()} is before the plan start "
                f"{self.start.isoformat()}"
            )

    def to_dict(self) -> dict[str, Any]:
        return {
            "goal": self.goal,
            "race_date": self.race_date.isoformat() if self.race_date else None,
            "run_days": self.run_days,
            "minutes_per_week": self.minutes_per_week,
            "equipment": sorted(self.equipment),
            "weeks": self.weeks,
            "start": self.start.isoformat(),
        }


@dataclass(frozen=True)
class PlanItem:
    id: str
    name: str
    minutes: int
    equipment: tuple[str, ...]
    reason: str
    category: str
    finding_ids: tuple[str, ...] = ()
    rule: str | None = None
    dosage: str | None = None
    cues: tuple[str, ...] = ()
    feedback: str | None = None
    feedback_pct: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "minutes": self.minutes,
            "equipment": list(self.equipment),
            "reason": self.reason,
            "category": self.category,
            "finding_ids": list(self.finding_ids),
            "rule": self.rule,
            "dosage": self.dosage,
            "cues": list(self.cues),
        }
        if self.feedback is not None:
            out["feedback"] = self.feedback
            out["feedback_pct"] = self.feedback_pct
        return out


@dataclass(frozen=True)
class PlanSession:
    date: date
    kind: str
    items: tuple[PlanItem, ...]
    when: str  # e.g. "before your easy run", "during your easy run"
    run: str | None = None
    note: str | None = None

    @property
    def minutes(self) -> int:
        return sum(i.minutes for i in self.items)

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "kind": self.kind,
            "minutes": self.minutes,
            "when": self.when,
            "run": self.run,
            "note": self.note,
            "items": [i.to_dict() for i in self.items],
        }


@dataclass(frozen=True)
class PlanWeek:
    week: int
    start: date
    phase: str
    sessions: tuple[PlanSession, ...]
    budget_minutes: int
    taper: bool = False
    guardrail: bool = False
    notes: tuple[str, ...] = ()

    @property
    def minutes(self) -> int:
        return sum(s.minutes for s in self.sessions)

    def to_dict(self) -> dict[str, Any]:
        return {
            "week": self.week,
            "start": self.start.isoformat(),
            "phase": self.phase,
            "minutes": self.minutes,
            "budget_minutes": self.budget_minutes,
            "taper": self.taper,
            "guardrail": self.guardrail,
            "notes": list(self.notes),
            "sessions": [s.to_dict() for s in self.sessions],
        }


@dataclass(frozen=True)
class Plan:
    athlete: str
    request: PlanRequest
    weeks: tuple[PlanWeek, ...]
    findings: tuple[Finding, ...]
    guardrails: tuple[str, ...]
    explanations: tuple[dict[str, str], ...]
    baseline_first: bool
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        used = sorted(
            {fid for w in self.weeks for s in w.sessions for i in s.items for fid in i.finding_ids}
        )
        rules = sorted({i.rule for w in self.weeks for s in w.sessions for i in s.items if i.rule})
        return {
            "schema": "stridelab.plan/1",
            "athlete": self.athlete,
            "request": self.request.to_dict(),
            "baseline_first": self.baseline_first,
            "weeks": [w.to_dict() for w in self.weeks],
            "findings": [f.to_dict() for f in self.findings],
            "findings_used": used,
            "rules": {r: {"text": RULES[r].text, "source": RULES[r].source} for r in rules},
            "guardrails": list(self.guardrails),
            "explanations": list(self.explanations),
            "notes": list(self.notes),
        }
