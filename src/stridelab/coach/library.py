"""The exercise and drill library: YAML data in the package, validated on load.

In: ``coach/data/exercises.yaml`` (or any list of mappings). Out: :class:`Exercise`
objects. :func:`validate_library` is a pure function that returns every problem found
(unknown fields, unknown categories, patterns or equipment, bad dosage, duplicate ids);
:func:`load_library` raises :class:`LibraryError` when there is any.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from stridelab.errors import InputError

__all__ = [
    "CATEGORIES",
    "DOSAGE_FIELDS",
    "EQUIPMENT",
    "EVIDENCE_LEVELS",
    "EXERCISE_FIELDS",
    "EXERCISE_PATTERNS",
    "LEVELS",
    "MAX_CONTACTS_PER_SESSION",
    "Dose",
    "Exercise",
    "LibraryError",
    "available_equipment",
    "load_library",
    "parse_library",
    "validate_library",
]

#: Block levels in their only allowed order (Dicharry's "Balance your Imbalance"
#: neuromuscular level first, then strength, then power; Optimize Your Stride).
LEVELS = ("control", "strength", "power")
CATEGORIES = ("mobility", "stability", "strength", "power", "drill", "cue")
#: Movement patterns an exercise can train (a subset of the finding patterns).
EXERCISE_PATTERNS = (
    "landing",
    "hip_extension",
    "core_control",
    "counter_rotation",
    "foot_ankle",
    "reactivity",
    "capacity",
    "cadence",
)
EQUIPMENT = ("none", "band", "dumbbell", "step", "gym")
EVIDENCE_LEVELS = ("book", "trial", "review", "practitioner", "design")
EXERCISE_FIELDS = (
    "id",
    "name",
    "category",
    "patterns",
    "equipment",
    "minutes",
    "dosage",
    "progression",
    "cues",
    "contraindications",
    "source",
    "evidence",
)
DOSAGE_FIELDS = ("sets", "reps", "hold_s", "duration_s", "contacts", "per_side", "note")
#: Upper bound on jumps in one session (the trial protocols: up to 200 jumps,
#: Balsalobre-Fernández 2016).
MAX_CONTACTS_PER_SESSION = 200
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_LIMITS = {
    "sets": (1, 8),
    "reps": (1, 100),
    "hold_s": (5, 300),
    "duration_s": (10, 900),
    "contacts": (1, MAX_CONTACTS_PER_SESSION),
}


class LibraryError(InputError):
    """The exercise library data is invalid (the message lists every problem)."""


@dataclass(frozen=True)
class Dose:
    """The dose of an exercise at one level."""

    sets: int
    reps: int | None = None
    hold_s: int | None = None
    duration_s: int | None = None
    contacts: int | None = None
    per_side: bool = False
    note: str | None = None

    def describe(self) -> str:
        """e.g. ``3 × 10 per side`` or ``2 × 30 s``."""
        if self.reps is not None:
            body = f"{self.sets} × {self.reps}"
        elif self.hold_s is not None:
            body = f"{self.sets} × {self.hold_s} s hold"
        elif self.duration_s is not None:
            body = f"{self.sets} × {self.duration_s} s"
        else:
            body = f"{self.contacts} contacts in {self.sets} sets"
        if self.per_side:
            body += " per side"
        if self.note:
            body += f" ({self.note})"
        return body

    def to_dict(self) -> dict[str, Any]:
        return {
            k: v
            for k, v in {
                "sets": self.sets,
                "reps": self.reps,
                "hold_s": self.hold_s,
                "duration_s": self.duration_s,
                "contacts": self.contacts,
                "per_side": self.per_side,
                "note": self.note,
                "text": self.describe(),
            }.items()
            if v is not None
        }


@dataclass(frozen=True)
class Exercise:
    """One library entry (see the field list at the top of ``exercises.yaml``)."""

    id: str
    name: str
    category: str
    patterns: tuple[str, ...]
    equipment: tuple[str, ...]
    minutes: int
    dosage: Mapping[str, Dose]
    progression: str
    cues: tuple[str, ...]
    contraindications: tuple[str, ...]
    source: str
    evidence: str

    @property
    def needs(self) -> frozenset[str]:
        """Equipment needed beyond nothing."""
        return frozenset(self.equipment) - {"none"}

    def fits(self, available: frozenset[str]) -> bool:
        return self.needs <= available


def available_equipment(equipment: frozenset[str] | set[str] | Sequence[str]) -> frozenset[str]:
    """What a runner can use: what they named plus ``none``; a gym has dumbbells,
    steps/boxes and bands too."""
    have = set(equipment) | {"none"}
    if "gym" in have:
        have |= {"dumbbell", "step", "band"}
    return frozenset(have)


def _check_str_list(
    value: Any, field: str, where: str, *, allowed: Sequence[str] | None = None, min_len: int = 0
) -> list[str]:
    problems: list[str] = []
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        return [f"{where}: {field} must be a list of strings"]
    if len(value) < min_len:
        problems.append(
            f"{where}: {field} needs at least {min_len} entr{'y' if min_len == 1 else 'ies'}"
        )
    if len(set(value)) != len(value):
        problems.append(f"{where}: {field} has duplicates")
    if allowed is not None:
        unknown = sorted(set(value) - set(allowed))
        if unknown:
            problems.append(f"{where}: unknown {field} {unknown} (allowed: {', '.join(allowed)})")
    return problems


def _check_dose(level: Any, dose: Any, where: str) -> list[str]:
    if level not in LEVELS:
        return [f"{where}: unknown dosage level {level!r} (allowed: {', '.join(LEVELS)})"]
    at = f"{where} dosage.{level}"
    if not isinstance(dose, dict):
        return [f"{at}: must be a mapping"]
    problems: list[str] = []
    unknown = sorted(set(dose) - set(DOSAGE_FIELDS))
    if unknown:
        problems.append(f"{at}: unknown fields {unknown} (allowed: {', '.join(DOSAGE_FIELDS)})")
    if "sets" not in dose:
        problems.append(f"{at}: needs sets")
    amounts = [k for k in ("reps", "hold_s", "duration_s", "contacts") if k in dose]
    if len(amounts) != 1:
        problems.append(f"{at}: needs exactly one of reps, hold_s, duration_s, contacts")
    for key, (lo, hi) in _LIMITS.items():
        if key not in dose:
            continue
        v = dose[key]
        if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
            problems.append(f"{at}: {key} must be a whole number {lo}-{hi}, found {v!r}")
    if "per_side" in dose and not isinstance(dose["per_side"], bool):
        problems.append(f"{at}: per_side must be true or false")
    if "note" in dose and not isinstance(dose["note"], str):
        problems.append(f"{at}: note must be text")
    return problems


def _validate_entry(i: int, entry: Any) -> list[str]:
    if not isinstance(entry, dict):
        return [f"entry {i}: must be a mapping"]
    where = f"entry {i} ({entry.get('id', '?')})"
    problems: list[str] = []
    unknown = sorted(set(entry) - set(EXERCISE_FIELDS))
    if unknown:
        problems.append(f"{where}: unknown fields {unknown}")
    missing = [f for f in EXERCISE_FIELDS if f not in entry]
    if missing:
        problems.append(f"{where}: missing fields {missing}")
    if "id" in entry and (not isinstance(entry["id"], str) or not _ID.match(entry["id"])):
        problems.append(f"{where}: id must be lower_snake_case")
    for key in ("name", "progression", "source"):
        if key in entry and (not isinstance(entry[key], str) or not entry[key].strip()):
            problems.append(f"{where}: {key} must be non-empty text")
    if "category" in entry and entry["category"] not in CATEGORIES:
        problems.append(f"{where}: unknown category {entry['category']!r}")
    if "evidence" in entry and entry["evidence"] not in EVIDENCE_LEVELS:
        problems.append(f"{where}: unknown evidence level {entry['evidence']!r}")
    if "patterns" in entry:
        problems += _check_str_list(
            entry["patterns"], "patterns", where, allowed=EXERCISE_PATTERNS, min_len=1
        )
    if "equipment" in entry:
        eq = entry["equipment"]
        problems += _check_str_list(eq, "equipment", where, allowed=EQUIPMENT, min_len=1)
        if isinstance(eq, list) and "none" in eq and len(eq) > 1:
            problems.append(f"{where}: equipment 'none' cannot be combined with other items")
    if "cues" in entry:
        problems += _check_str_list(entry["cues"], "cues", where, min_len=1)
    if "contraindications" in entry:
        problems += _check_str_list(entry["contraindications"], "contraindications", where)
    if "minutes" in entry:
        m = entry["minutes"]
        if isinstance(m, bool) or not isinstance(m, int) or not 1 <= m <= 15:
            problems.append(f"{where}: minutes must be a whole number 1-15, found {m!r}")
    if "dosage" in entry:
        dosage = entry["dosage"]
        if not isinstance(dosage, dict) or not dosage:
            problems.append(f"{where}: dosage must map at least one level to a dose")
        else:
            for level, dose in dosage.items():
                problems += _check_dose(level, dose, where)
            problems += _check_category_dosage(entry.get("category"), dosage, where)
    return problems


def _check_category_dosage(category: Any, dosage: dict[Any, Any], where: str) -> list[str]:
    """Doses that fit the kind of exercise: jumps only in the power level and counted in
    contacts (both legs together), cues in minutes of a run."""
    problems: list[str] = []
    for level, dose in dosage.items():
        if not isinstance(dose, dict):
            continue
        at = f"{where} dosage.{level}"
        if category == "power" and level != "power":
            problems.append(f"{at}: a power exercise is dosed only at the power level")
        if (category == "power") != ("contacts" in dose):
            problems.append(f"{at}: power exercises, and only they, are dosed in contacts")
        if "contacts" in dose and dose.get("per_side"):
            problems.append(f"{at}: contacts count both legs together; per_side is not allowed")
        if category == "cue" and "duration_s" not in dose:
            problems.append(f"{at}: a run-form cue is dosed in duration_s (time in a run)")
    return problems


def validate_library(entries: Any, /) -> list[str]:
    """Every problem in a parsed library (an empty list when it is valid).

    Checks: a list of mappings with exactly the fields of :data:`EXERCISE_FIELDS`;
    known categories, patterns, equipment and evidence levels; minutes 1–15; a dose
    per level (only :data:`LEVELS`) with sets and exactly one amount within limits
    (at most :data:`MAX_CONTACTS_PER_SESSION` jump contacts); power exercises dosed only
    at the power level and in contacts (never per side), cues in run time; unique ids.
    """
    if not isinstance(entries, list) or not entries:
        return ["the library must be a non-empty list of exercises"]
    problems: list[str] = []
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        problems += _validate_entry(i, entry)
        ident = entry.get("id") if isinstance(entry, dict) else None
        if isinstance(ident, str):
            if ident in seen:
                problems.append(f"entry {i}: duplicate id {ident!r}")
            seen.add(ident)
    return problems


def parse_library(entries: Any, /) -> tuple[Exercise, ...]:
    """Validated entries as :class:`Exercise` objects (raises :class:`LibraryError`)."""
    problems = validate_library(entries)
    if problems:
        raise LibraryError("invalid exercise library: " + "; ".join(problems))
    out = []
    for e in entries:
        out.append(
            Exercise(
                id=e["id"],
                name=e["name"],
                category=e["category"],
                patterns=tuple(e["patterns"]),
                equipment=tuple(e["equipment"]),
                minutes=int(e["minutes"]),
                dosage={lvl: Dose(**d) for lvl, d in e["dosage"].items()},
                progression=e["progression"],
                cues=tuple(e["cues"]),
                contraindications=tuple(e["contraindications"]),
                source=e["source"],
                evidence=e["evidence"],
            )
        )
    return tuple(out)


@cache
def load_library() -> tuple[Exercise, ...]:
    """The packaged library (``coach/data/exercises.yaml``), validated; cached."""
    text = resources.files("stridelab.coach").joinpath("data/exercises.yaml").read_text("utf-8")
    try:
        entries = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise LibraryError(f"exercises.yaml is not valid YAML: {exc}") from exc
    return parse_library(entries)
