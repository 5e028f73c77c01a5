"""Tests of shoe mileage, wear warnings and the rotation summary, on small made-up logs."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from stridelab.analysis.shoes import (
    ShoeInfo,
    ShoeRun,
    rotation_summary,
    shoe_usage,
)
from stridelab.errors import InputError

TODAY = date(2024, 6, 30)


def _run(days_ago: int, km: float, shoe: int | None) -> ShoeRun:
    start = datetime(TODAY.year, TODAY.month, TODAY.day, 7, tzinfo=UTC) - timedelta(days=days_ago)
    return ShoeRun(start_utc=start, distance_km=km, shoe_id=shoe)


PEGASUS = ShoeInfo(id=1, name="Pegasus", start_km=650.0, retire_at_km=700.0)
TRAIL = ShoeInfo(id=2, name="Speedgoat", retire_at_km=800.0)
OLD = ShoeInfo(id=3, name="Old Ghost", start_km=900.0, retired=True)


def test_totals_share_wear_and_retirement_warning() -> None:
    runs = [
        _run(100, 20.0, 1),  # outside the 30-day window
        _run(20, 12.0, 1),
        _run(10, 15.0, 1),
        _run(5, 15.0, 1),
        _run(3, 10.0, 2),
        _run(2, 5.0, None),
    ]
    peg, trail, old = shoe_usage(runs, [PEGASUS, TRAIL, OLD], today=TODAY)
    assert peg.total_km == pytest.approx(712.0)
    assert peg.runs_total == 4 and peg.runs_last_30d == 3
    assert peg.share_of_runs_last_30d == pytest.approx(0.75)  # 3 of 4 runs with a shoe
    assert peg.last_used == TODAY - timedelta(days=5)
    assert peg.wear_pct == pytest.approx(100 * 712 / 700)
    assert peg.warnings == ("Pegasus has 712 km — past its 700 km retirement mark",)

    assert trail.total_km == 10.0 and trail.share_of_runs_last_30d == pytest.approx(0.25)
    assert trail.wear_pct == pytest.approx(1.25) and trail.warnings == ()

    assert old.runs_total == 0 and old.last_used is None and old.wear_pct is None
    assert old.total_km == 900.0 and old.share_of_runs_last_30d == 0.0


def test_nearing_the_mark_and_retired_pair_in_use() -> None:
    runs = [_run(1, 10.0, 1), _run(2, 8.0, 3)]
    peg, old = shoe_usage(runs, [PEGASUS, OLD], today=TODAY)
    assert peg.warnings == ("Pegasus has 660 km — 94% of its 700 km retirement mark",)
    assert old.warnings == (
        "Old Ghost is marked retired but was used on 2024-06-28 (1 run in the last 30 days)",
    )


def test_window_edges() -> None:
    # a run exactly 30 days ago is outside (today − 30, today]; 29 days ago is inside
    runs = [_run(30, 10.0, 1), _run(29, 10.0, 2)]
    peg, trail = shoe_usage(runs, [PEGASUS, TRAIL], today=TODAY)
    assert peg.runs_last_30d == 0 and trail.runs_last_30d == 1
    peg7, _ = shoe_usage([_run(8, 5.0, 1)], [PEGASUS, TRAIL], today=TODAY, window_days=7)
    assert peg7.runs_last_30d == 0 and peg7.window_days == 7


def test_one_pair_for_everything() -> None:
    runs = [_run(d, 8.0, 1) for d in range(1, 20)] + [_run(25, 10.0, 2)]  # 19 of 20 = 95%
    summary = rotation_summary(shoe_usage(runs, [PEGASUS, TRAIL], today=TODAY))
    assert summary.single_pair is True
    assert summary.pairs_used_last_30d == 2
    assert summary.top_shoe_name == "Pegasus" and summary.top_share == pytest.approx(0.95)
    assert summary.message.startswith("One pair for everything: Pegasus carried 95%")
    assert "HR 0.614" in summary.message and "Malisoux" in summary.message
    assert "25:110" in summary.source


def test_rotation_of_several_pairs() -> None:
    runs = [_run(d, 8.0, 1 if d % 2 else 2) for d in range(1, 11)]
    summary = rotation_summary(
        shoe_usage(runs, [PEGASUS, TRAIL], today=TODAY), runs_without_shoe_last_30d=2
    )
    assert summary.single_pair is False and summary.pairs_used_last_30d == 2
    assert summary.message.startswith("You rotated 2 pairs over 10 runs in the last 30 days")
    assert summary.message.endswith("2 runs had no shoe recorded.")


def test_no_recent_runs() -> None:
    summary = rotation_summary(shoe_usage([_run(60, 8.0, 1)], [PEGASUS], today=TODAY))
    assert summary.pairs_used_last_30d == 0 and summary.top_share is None
    assert summary.message == "No runs with a shoe recorded in the last 30 days."
    assert rotation_summary([]).single_pair is False


@pytest.mark.parametrize(
    ("runs", "shoes", "match"),
    [
        ([_run(1, 5.0, 9)], [PEGASUS], "shoe id 9"),
        ([], [PEGASUS, PEGASUS], "unique"),
        ([_run(1, -5.0, 1)], [PEGASUS], "distance"),
        ([ShoeRun(datetime(2024, 6, 1), 5.0, 1)], [PEGASUS], "no timezone"),
        ([], [ShoeInfo(id=4, name="X", retire_at_km=0.0)], "retire_at_km"),
        ([], [ShoeInfo(id=4, name="X", start_km=-1.0)], "start_km"),
    ],
)
def test_invalid_inputs(runs: list[ShoeRun], shoes: list[ShoeInfo], match: str) -> None:
    with pytest.raises(InputError, match=match):
        shoe_usage(runs, shoes, today=TODAY)
