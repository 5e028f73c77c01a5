"""The database: migrations match the models, columnar records round-trip, writes are atomic."""

from __future__ import annotations

import numpy as np
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select

from stridelab.errors import InputError, NotFoundError, StoreError
from stridelab.store import (
    add_shoe,
    assign_shoe,
    get_activity,
    list_shoes,
    load_records,
    open_database,
    repository,
    retire_shoe,
    save_file_activities,
    set_default_shoe,
    update_athlete,
)
from stridelab.store.columnar import decode_records, encode_records
from stridelab.store.models import ActivityRow, Base, LapRow, RecordBlobRow, SourceFileRow
from stridelab.synthetic import synthetic_run
from stridelab.watch import load, load_bytes
from tests.conftest import ACTIVITIES


def test_migrations_produce_exactly_the_models(db):
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    assert set(inspect(db.engine).get_table_names()) >= {
        "athletes",
        "activities",
        "activity_records",
        "laps",
        "shoes",
        "source_files",
        "alembic_version",
    }


def test_reopening_a_database_keeps_data(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.db'}"
    first = open_database(url)
    update_athlete(first, "ana", mass_kg=58)
    first.dispose()
    again = open_database(url)
    assert update_athlete(again, "ana").mass_kg == 58
    again.dispose()


def test_bad_url_is_a_store_error():
    with pytest.raises(StoreError):
        open_database("nosuchdialect://x")


def test_columnar_round_trip_keeps_values_and_developer_fields():
    (a,) = load(ACTIVITIES / "runalyze" / "fit" / "FR920xt-with-Stryd.fit")
    blob, columns = encode_records(a.records)
    back = decode_records(blob)
    assert "timestamp_s" in columns and "dev:Power" in columns
    np.testing.assert_array_equal(back.timestamp_s, a.records.timestamp_s)
    for name in ("heart_rate_bpm", "speed_m_s", "ground_contact_ms"):
        np.testing.assert_allclose(
            back.columns[name], a.records.columns[name], rtol=1e-6, equal_nan=True
        )
    np.testing.assert_allclose(
        back.developer["Power"], a.records.developer["Power"], equal_nan=True
    )
    assert back.developer_units == a.records.developer_units
    # Compressed and columnar: far smaller than a row per second would be.
    assert len(blob) < 40 * len(a.records)


def _save(db, data: bytes, name="x.fit"):
    import hashlib

    acts = load_bytes(data)
    return save_file_activities(
        db, acts, sha256=hashlib.sha256(data).hexdigest(), path=name, size_bytes=len(data)
    )


def test_same_file_twice_is_one_activity(db):
    data = synthetic_run().fit_bytes
    first = _save(db, data)
    second = _save(db, data, name="copy.fit")
    assert first.created and not second.created
    assert first.activity_ids == second.activity_ids
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(ActivityRow)) == 1


def test_stored_activity_has_summary_laps_and_records(db):
    run = synthetic_run()
    (aid,) = _save(db, run.fit_bytes).activity_ids
    row = get_activity(db, aid)
    assert row.summary["distance_km"] == pytest.approx(run.truth.distance_m / 1000, abs=5e-4)
    assert len(row.laps) == run.truth.n_laps
    assert row.start_utc.tzinfo is not None
    rec = load_records(db, aid)
    assert len(rec) == run.truth.n_records
    with pytest.raises(NotFoundError):
        get_activity(db, 999)


def test_a_crash_mid_import_leaves_no_half_activity(db, monkeypatch):
    data = (ACTIVITIES / "runalyze" / "fit" / "Multisession.fit").read_bytes()
    original = repository._activity_row
    calls = {"n": 0}

    def crash_on_second(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("simulated crash")
        return original(*args, **kwargs)

    monkeypatch.setattr(repository, "_activity_row", crash_on_second)
    with pytest.raises(RuntimeError):
        _save(db, data)
    with db.session() as s:
        for model in (SourceFileRow, ActivityRow, RecordBlobRow, LapRow):
            assert s.scalar(select(func.count()).select_from(model)) == 0
    monkeypatch.setattr(repository, "_activity_row", original)
    assert len(_save(db, data).activity_ids) == 2


def test_shoes_default_assign_retire(db):
    add_shoe(db, "Pegasus", default=True)
    add_shoe(db, "Racer", retire_at_km=400)
    with pytest.raises(InputError):
        add_shoe(db, "Pegasus")
    (aid,) = _save(db, synthetic_run().fit_bytes).activity_ids
    pegasus, racer = list_shoes(db)
    assert get_activity(db, aid).shoe_id == pegasus.id  # default pair on import
    assert assign_shoe(db, "Racer", [aid]) == 1
    assert get_activity(db, aid).shoe_id == racer.id
    set_default_shoe(db, "Racer")
    assert [s.is_default for s in list_shoes(db)] == [False, True]
    retire_shoe(db, "Racer")
    assert list_shoes(db)[1].retired_at is not None
    with pytest.raises(InputError):
        set_default_shoe(db, "Racer")
    with pytest.raises(NotFoundError):
        assign_shoe(db, "Nope", [aid])


@pytest.mark.parametrize(
    "fields",
    [{"mass_kg": 700}, {"height_cm": 17.5}, {"birth_year": 1850}, {"sex": "x"}, {"shoe": 1}],
)
def test_absurd_athlete_values_are_refused(db, fields):
    with pytest.raises(InputError):
        update_athlete(db, "me", **fields)


def test_assessments_are_stored_once_per_file_and_test(db) -> None:
    from datetime import UTC, datetime

    from stridelab.store.repository import list_assessments, save_assessment

    when = datetime(2026, 11, 30, 12, tzinfo=UTC)
    first = {"test": "cmj", "input_kind": "force_plate", "summary": {"best_height_cm": 30.0}}
    again = {"test": "cmj", "input_kind": "force_plate", "summary": {"best_height_cm": 31.0}}
    other = {"test": "pogo", "input_kind": "force_plate", "summary": {"best_rsi": 1.2}}
    a, replaced_a = save_assessment(
        db, first, sha256="a" * 64, file_name="j.csv", performed_at=when
    )
    b, replaced_b = save_assessment(
        db, again, sha256="a" * 64, file_name="j.csv", performed_at=when
    )
    save_assessment(db, other, sha256="a" * 64, file_name="j.csv", performed_at=when)
    assert a == b and not replaced_a and replaced_b
    rows = list_assessments(db)
    assert [r.test for r in rows] == ["cmj", "pogo"]
    assert list_assessments(db, test="cmj")[0].summary == {"best_height_cm": 31.0}
    assert list_assessments(db, athlete="nobody") == []
