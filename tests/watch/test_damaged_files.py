"""Property-based damage: truncated, bit-flipped and spliced real files.

The reader may refuse them, but only with its own error type; the importer never
raises and never leaves partial rows.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from stridelab.errors import StridelabError
from stridelab.ingest import SourceItem, import_one
from stridelab.store import open_database
from stridelab.store.models import ActivityRow, LapRow, RecordBlobRow, SourceFileRow
from stridelab.watch import load_bytes
from tests.conftest import ACTIVITIES

# Falsifying inputs are whole files; Hypothesis warns about their long repr.
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")

SEEDS = [
    (ACTIVITIES / "fitparse" / "activity-small-fenix2-run.fit").read_bytes(),
    (ACTIVITIES / "runalyze" / "fit" / "Multisession.fit").read_bytes(),
    (ACTIVITIES / "runalyze" / "fit" / "FR920xt-with-Stryd.fit").read_bytes(),
    (ACTIVITIES / "fitparse" / "compressed-speed-distance.fit").read_bytes(),
    (ACTIVITIES / "runalyze" / "tcx" / "Standard.tcx").read_bytes(),
    (ACTIVITIES / "runalyze" / "gpx" / "standard.gpx").read_bytes(),
]


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    kind = draw(st.sampled_from(["truncate", "flip", "splice", "flip_header"]))
    if kind == "truncate":
        return bytes(data[: draw(st.integers(0, len(data) - 1))])
    if kind in ("flip", "flip_header"):
        hi = 14 if kind == "flip_header" else len(data)
        for _ in range(draw(st.integers(1, 8))):
            i = draw(st.integers(0, hi - 1))
            data[i] ^= 1 << draw(st.integers(0, 7))
        return bytes(data)
    other = draw(st.sampled_from(SEEDS))
    cut = draw(st.integers(0, len(data)))
    cut2 = draw(st.integers(0, len(other)))
    return bytes(data[:cut]) + other[cut2:]


@settings(max_examples=150, deadline=5000, suppress_health_check=[HealthCheck.too_slow])
@given(damaged())
def test_reader_raises_only_its_own_errors(data):
    try:
        activities = load_bytes(data)
    except StridelabError:
        return
    for a in activities:
        assert len(a.records) == 0 or (a.records.timestamp_s[1:] > a.records.timestamp_s[:-1]).all()


_DB_DIR = tempfile.TemporaryDirectory()
_DB = open_database(f"sqlite:///{Path(_DB_DIR.name) / 'fuzz.db'}")


@settings(max_examples=60, deadline=5000, suppress_health_check=[HealthCheck.too_slow])
@given(damaged())
def test_importer_never_raises_and_never_leaves_partial_rows(data):
    outcome = import_one(_DB, SourceItem("damaged.fit", lambda: data))
    assert outcome.status in ("imported", "duplicate", "refused")
    digest = hashlib.sha256(data).hexdigest()
    with _DB.session() as s:
        src = s.scalar(select(SourceFileRow).where(SourceFileRow.sha256 == digest))
        if outcome.status == "refused":
            assert src is None
        else:
            assert src is not None and len(src.activities) == len(outcome.activity_ids)
        n_act = s.scalar(select(func.count()).select_from(ActivityRow))
        n_blob = s.scalar(select(func.count()).select_from(RecordBlobRow))
        assert n_act == n_blob  # every activity has its records, none is half-written
        orphans = s.scalar(
            select(func.count())
            .select_from(LapRow)
            .where(~LapRow.activity_id.in_(select(ActivityRow.id)))
        )
        assert orphans == 0
