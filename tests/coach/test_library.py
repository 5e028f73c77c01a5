"""The exercise library: the packaged data is valid, and the validator rejects bad data."""

from __future__ import annotations

import copy
from collections import Counter
from typing import Any

import pytest

from stridelab.coach.library import (
    CATEGORIES,
    EXERCISE_FIELDS,
    LibraryError,
    available_equipment,
    load_library,
    parse_library,
    validate_library,
)


def _good() -> dict[str, Any]:
    return {
        "id": "test_bridge",
        "name": "Test bridge",
        "category": "stability",
        "patterns": ["hip_extension"],
        "equipment": ["none"],
        "minutes": 4,
        "dosage": {"control": {"sets": 2, "reps": 10}},
        "progression": "single leg",
        "cues": ["push through the heels"],
        "contraindications": [],
        "source": "design",
        "evidence": "design",
    }


def test_packaged_library_is_valid_and_broad() -> None:
    lib = load_library()
    assert len(lib) >= 40
    counts = Counter(e.category for e in lib)
    assert set(counts) == set(CATEGORIES)
    assert all(counts[c] >= 4 for c in CATEGORIES), counts
    assert len({e.id for e in lib}) == len(lib)
    # every level of the block has bodyweight-only work in each main category
    for level, cats in {
        "control": ("mobility", "stability"),
        "strength": ("mobility", "stability", "strength"),
        "power": ("mobility", "strength", "power"),
    }.items():
        for cat in cats:
            assert any(
                e.category == cat and level in e.dosage and e.needs == frozenset() for e in lib
            ), (level, cat)


def test_the_yaml_has_exactly_the_named_fields() -> None:
    from importlib import resources

    import yaml

    raw = yaml.safe_load(
        resources.files("stridelab.coach").joinpath("data/exercises.yaml").read_text("utf-8")
    )
    assert all(tuple(e) == EXERCISE_FIELDS for e in raw)
    assert validate_library(raw) == []


def test_a_good_entry_parses_with_its_dose() -> None:
    (ex,) = parse_library([_good()])
    assert ex.dosage["control"].describe() == "2 × 10"
    assert ex.fits(frozenset({"none"}))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"colour": "red"}, "unknown fields ['colour']"),
        ({"patterns": ["speed"]}, "unknown patterns ['speed']"),
        ({"patterns": []}, "patterns needs at least 1"),
        ({"equipment": ["kettlebell"]}, "unknown equipment ['kettlebell']"),
        ({"equipment": ["none", "band"]}, "'none' cannot be combined"),
        ({"category": "yoga"}, "unknown category 'yoga'"),
        ({"evidence": "anecdote"}, "unknown evidence level"),
        ({"minutes": 0}, "minutes must be a whole number 1-15"),
        ({"minutes": 4.5}, "minutes must be a whole number 1-15"),
        ({"id": "Bad Id"}, "lower_snake_case"),
        ({"dosage": {}}, "dosage must map at least one level"),
        ({"dosage": {"expert": {"sets": 2, "reps": 5}}}, "unknown dosage level 'expert'"),
        ({"dosage": {"control": {"reps": 5}}}, "needs sets"),
        ({"dosage": {"control": {"sets": 2}}}, "exactly one of reps"),
        ({"dosage": {"control": {"sets": 2, "reps": 5, "hold_s": 30}}}, "exactly one of reps"),
        ({"dosage": {"control": {"sets": 0, "reps": 5}}}, "sets must be a whole number"),
        ({"dosage": {"power": {"sets": 3, "contacts": 250}}}, "contacts must be a whole number"),
        ({"dosage": {"control": {"sets": 2, "reps": 5, "tempo": "3-1-1"}}}, "unknown fields"),
        ({"dosage": {"control": {"sets": 2, "reps": 5, "per_side": "yes"}}}, "per_side"),
        ({"cues": "one cue"}, "cues must be a list"),
        (
            {"category": "power", "dosage": {"control": {"sets": 2, "contacts": 20}}},
            "dosed only at the power level",
        ),
        ({"category": "power", "dosage": {"power": {"sets": 2, "reps": 10}}}, "in contacts"),
        ({"dosage": {"control": {"sets": 2, "contacts": 20}}}, "in contacts"),
        (
            {
                "category": "power",
                "dosage": {"power": {"sets": 2, "contacts": 40, "per_side": True}},
            },
            "per_side is not allowed",
        ),
        ({"category": "cue", "dosage": {"control": {"sets": 1, "reps": 10}}}, "duration_s"),
    ],
)
def test_validator_rejects_bad_entries(change: dict[str, Any], message: str) -> None:
    entry = {**copy.deepcopy(_good()), **change}
    problems = validate_library([entry])
    assert any(message in p for p in problems), problems
    with pytest.raises(LibraryError, match="invalid exercise library"):
        parse_library([entry])


def test_validator_rejects_missing_fields_and_duplicates() -> None:
    entry = _good()
    del entry["source"]
    assert any("missing fields ['source']" in p for p in validate_library([entry]))
    assert any("duplicate id" in p for p in validate_library([_good(), _good()]))
    assert validate_library([]) == ["the library must be a non-empty list of exercises"]
    assert validate_library({"id": "x"}) == ["the library must be a non-empty list of exercises"]
    assert validate_library(["text"]) == ["entry 0: must be a mapping"]


def test_gym_includes_the_small_equipment() -> None:
    assert available_equipment(frozenset({"gym"})) == {"none", "gym", "dumbbell", "step", "band"}
    assert available_equipment(frozenset({"band"})) == {"none", "band"}
