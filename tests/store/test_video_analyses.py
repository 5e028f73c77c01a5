"""Stored video analyses: saved once per file, read back by id per athlete, and the
stored JSON rebuilds the typed result exactly."""

from __future__ import annotations

import pytest

from stridelab._util import json_safe
from stridelab.errors import NotFoundError
from stridelab.gait.pipeline import analyze_track
from stridelab.gait.result import GaitAnalysis
from stridelab.store import Database
from stridelab.store.repository import (
    get_video_analysis,
    list_video_analyses,
    save_video_analysis,
)
from stridelab.synthetic.runner import CameraSpec, RunnerSpec, synthetic_keypoints


@pytest.fixture(scope="module")
def analysis() -> GaitAnalysis:
    track, _ = synthetic_keypoints(RunnerSpec(duration_s=3.0), CameraSpec(fps=60))
    return analyze_track(track).analysis


def test_the_stored_json_rebuilds_the_same_analysis(analysis: GaitAnalysis) -> None:
    data = analysis.to_dict()
    again = GaitAnalysis.from_dict(data)
    assert again.to_dict() == data
    assert again.summary == json_safe(analysis.summary)  # stored to 6 decimals
    assert len(again.steps) == len(analysis.steps) > 0


def test_get_by_id_belongs_to_the_athlete(db: Database, analysis: GaitAnalysis) -> None:
    data = analysis.to_dict()
    first, replaced = save_video_analysis(db, data, sha256="a" * 64, file_name="run.mp4")
    assert not replaced
    same, replaced = save_video_analysis(db, data, sha256="a" * 64, file_name="run.mp4")
    assert (same, replaced) == (first, True)
    other, _ = save_video_analysis(db, data, sha256="b" * 64, file_name="x.mp4", athlete="ann")
    assert [r.id for r in list_video_analyses(db)] == [first]

    row = get_video_analysis(db, first)
    assert row.file_name == "run.mp4"
    assert GaitAnalysis.from_dict(row.result).summary == json_safe(analysis.summary)
    with pytest.raises(NotFoundError, match=str(other)):
        get_video_analysis(db, other)  # someone else's analysis
    with pytest.raises(NotFoundError):
        get_video_analysis(db, 9999)
