"""Measure a self-test from a file and store it against the athlete (CLI and web share it).

In: the database, the athlete, the test name and a photo or video. Out: a
:class:`RecordedTest`: the stored result dict (with the comparison against the
athlete's earliest earlier result of the same test), the left/right symmetry over
everything stored for that test, and the stored row's id.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from stridelab._util import file_sha256
from stridelab.assess.mobility.run import run_test
from stridelab.assess.mobility.symmetry import compare_with_baseline, mobility_symmetry
from stridelab.store import Database

__all__ = ["RecordedTest", "assessment_key", "record_test"]


@dataclass(frozen=True)
class RecordedTest:
    """A stored self-test: ``data`` as stored, ``symmetry`` of its test (or None)."""

    data: dict[str, Any]
    symmetry: dict[str, Any] | None
    row_id: int
    replaced: bool


def assessment_key(file_sha256_hex: str, side: str | None) -> str:
    """The identity of a measurement: the file, and the side when one is named.

    One photo can hold both feet (big toe with hand-marked points), so each side of the
    same file is its own result; analysing the same file and side again replaces it.
    """
    if side is None:
        return file_sha256_hex
    return hashlib.sha256(f"{file_sha256_hex}:{side}".encode()).hexdigest()


def _stored(db: Database, athlete: str, test: str) -> list[tuple[datetime, dict[str, Any]]]:
    from stridelab.store.repository import list_assessments

    return [
        (r.performed_at, {**r.result, "performed_at": r.performed_at.isoformat()})
        for r in list_assessments(db, athlete=athlete, test=test)
        if isinstance(r.result, dict)
    ]


def record_test(
    db: Database,
    name: str,
    source: str | Path,
    /,
    *,
    athlete: str,
    performed_at: datetime,
    side: str | None = None,
    height_cm: float | None = None,
    sex: str | None = None,
    points: str | None = None,
    capture_fps: float | None = None,
    person: str = "auto",
) -> RecordedTest:
    """Measure test ``name`` from ``source``, compare with the baseline, store it
    (``capture_fps``: the real recording rate of a slow-motion video; ``person``: whom to
    measure in a video with a bystander, as for
    :func:`~stridelab.assess.mobility.run.run_test`).

    Raises
    ------
    InputError
        As :func:`~stridelab.assess.mobility.run.run_test` (missing file, wrong test…).
    """
    from stridelab.store.repository import save_assessment

    path = Path(source)
    result = run_test(
        name,
        path,
        side=side,
        height_cm=height_cm,
        sex=sex,
        points=points,
        capture_fps=capture_fps,
        person=person,
    )
    data = result.to_dict()
    earlier = [d for when, d in _stored(db, athlete, result.test) if when < performed_at]
    data["baseline"] = compare_with_baseline(data, earlier)
    row_id, replaced = save_assessment(
        db,
        data,
        sha256=assessment_key(file_sha256(path), data["summary"]["side"]),
        file_name=path.name,
        performed_at=performed_at,
        athlete=athlete,
    )
    symmetry = mobility_symmetry([d for _, d in _stored(db, athlete, result.test)])
    key = result.test + (f":{result.variant}" if result.variant else "")
    return RecordedTest(data, symmetry.get(key), row_id, replaced)
