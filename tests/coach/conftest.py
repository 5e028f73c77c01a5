"""A stored synthetic runner: 4 weeks of runs (last week +70%), one worn pair, a video
analysis, mobility tests and jump tests with known values."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from stridelab.store import Database, add_shoe, open_database, save_file_activities, update_athlete
from stridelab.store.repository import save_assessment, save_video_analysis
from stridelab.synthetic import SyntheticRunSpec, synthetic_run
from stridelab.synthetic.history import synthetic_history
from stridelab.watch import load_bytes

ATHLETE = "runner"


def video_result(
    metrics: dict[str, tuple[float, str, float]],
    *,
    recorded_on: str,
    n_steps: int = 12,
    view: str = "side",
) -> dict[str, Any]:
    """A gait result with ``metrics[key] = (value, unit, uncertainty)``."""
    return {
        "schema": "stridelab.gait/1",
        "video": {"file": "clip.mp4", "recorded_on": recorded_on},
        "setup": {"view": view},
        "quality": {"n_steps_used": n_steps},
        "summary": {k: v for k, (v, _, _) in metrics.items()},
        "metrics": {
            k: {"value": v, "unit": u, "quality": "good", "n_steps": n_steps, "uncertainty": unc}
            for k, (v, u, unc) in metrics.items()
        },
    }


def mobility_result(
    test: str,
    value: float,
    *,
    side: str | None,
    status: str,
    cutoff: float,
    mdc: float,
    unit: str = "cm",
) -> dict[str, Any]:
    return {
        "test": test,
        "input_kind": "manual",
        "summary": {
            "side": side,
            "value": value,
            "unit": unit,
            "higher_is_better": True,
            "mdc": mdc,
            "norm": {
                "cutoff": cutoff,
                "status": status,
                "population": "adults",
                "source": "Powden 2015",
            },
            "quality": "good",
            "warnings": [],
        },
    }


def store(db: Database, kind: str, result: dict[str, Any], day: str, tag: str) -> None:
    sha = hashlib.sha256(f"{kind}{tag}{day}".encode()).hexdigest()
    if kind == "video":
        save_video_analysis(db, result, sha256=sha, file_name=f"{tag}.mp4", athlete=ATHLETE)
    else:
        save_assessment(
            db,
            result,
            sha256=sha,
            file_name=f"{tag}.csv",
            athlete=ATHLETE,
            performed_at=datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC),
        )


@pytest.fixture(scope="session")
def runner_db(tmp_path_factory: pytest.TempPathFactory) -> Database:
    path: Path = tmp_path_factory.mktemp("coach") / "runner.db"
    db = open_database(f"sqlite:///{path}")
    update_athlete(db, ATHLETE, height_cm=178, mass_kg=70, sex="female")
    add_shoe(db, "Trainer", athlete=ATHLETE, default=True, start_km=680)
    for spec in synthetic_history(weeks=3, base=SyntheticRunSpec(noise=False)):
        data = synthetic_run(spec).fit_bytes
        save_file_activities(
            db,
            load_bytes(data),
            sha256=hashlib.sha256(data).hexdigest(),
            path="x.fit",
            size_bytes=len(data),
            athlete=ATHLETE,
        )
    store(
        db,
        "video",
        video_result(
            {
                "overstride_cm": (14.0, "cm", 2.0),
                "shank_angle_deg": (8.0, "deg", 4.0),
                "trunk_lean_deg": (7.0, "deg", 3.0),
                "cadence_spm": (158.0, "steps/min", 1.0),
            },
            recorded_on="2026-09-01",
        ),
        "2026-09-01",
        "v1",
    )
    store(
        db,
        "video",
        video_result(
            {
                "overstride_cm": (7.0, "cm", 2.0),
                "shank_angle_deg": (7.0, "deg", 4.0),
                "trunk_lean_deg": (7.5, "deg", 3.0),
                "cadence_spm": (165.0, "steps/min", 1.0),
            },
            recorded_on="2026-10-15",
        ),
        "2026-10-15",
        "v2",
    )
    for day, left, right in (("2026-09-01", 7.0, 9.5), ("2026-10-15", 9.5, 10.0)):
        store(
            db,
            "mob",
            mobility_result(
                "ankle_dorsiflexion",
                left,
                side="left",
                status="below" if left < 10 else "within",
                cutoff=10.0,
                mdc=1.9,
            ),
            day,
            "kl",
        )
        store(
            db,
            "mob",
            mobility_result(
                "ankle_dorsiflexion",
                right,
                side="right",
                status="below" if right < 10 else "within",
                cutoff=10.0,
                mdc=1.9,
            ),
            day,
            "kr",
        )
    for day, h in (("2026-09-01", 28.0), ("2026-10-15", 24.0)):
        store(
            db,
            "jump",
            {
                "test": "cmj",
                "input_kind": "force_plate",
                "summary": {"best_height_cm": h, "height_uncertainty_cm": 0.5},
                "jumps": [{"valid": True}] * 3,
            },
            day,
            "cmj",
        )
    yield db
    db.dispose()
