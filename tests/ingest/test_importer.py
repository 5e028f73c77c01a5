"""Batch import: folders, zip exports, bad files, idempotence, and the whole shared corpus."""

from __future__ import annotations

import gzip
import zipfile

from sqlalchemy import func, select

from stridelab.ingest import import_paths, iter_sources
from stridelab.store.models import ActivityRow
from stridelab.synthetic import synthetic_run
from tests.conftest import ACTIVITIES


def test_whole_shared_corpus_imports_or_refuses_every_file(db):
    report = import_paths(db, [ACTIVITIES])
    n_files = sum(1 for p in ACTIVITIES.rglob("*") if p.suffix.lower() in (".fit", ".tcx", ".gpx"))
    assert len(report.outcomes) == n_files
    for o in report.outcomes:
        assert o.status in ("imported", "refused")
        if o.status == "refused":
            assert o.reason and "\n" not in o.reason
    # Every real activity file of the corpus is usable; the refusals are non-activity
    # FIT files (settings, workouts, weight, monitoring), routes and damaged files.
    assert report.count("imported") >= 95
    assert report.n_activities >= report.count("imported")
    again = import_paths(db, [ACTIVITIES])
    assert again.count("imported") == 0
    assert again.count("duplicate") == report.count("imported")
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(ActivityRow)) == report.n_activities


def test_zip_export_with_gzipped_members_and_junk(tmp_path, db):
    run = synthetic_run()
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("activities/1.fit.gz", gzip.compress(run.fit_bytes))
        zf.writestr("activities/2.gpx", (ACTIVITIES / "runalyze/gpx/standard.gpx").read_bytes())
        zf.writestr("activities/broken.fit", run.fit_bytes[:100])
        zf.writestr("notes.txt", "not an activity")
    report = import_paths(db, [archive])
    by_name = {o.name.split("!")[1]: o for o in report.outcomes}
    assert set(by_name) == {"activities/1.fit.gz", "activities/2.gpx", "activities/broken.fit"}
    assert by_name["activities/1.fit.gz"].status == "imported"
    assert by_name["activities/2.gpx"].status == "imported"
    assert by_name["activities/broken.fit"].status in ("refused", "imported")


def test_bad_inputs_do_not_stop_the_batch(tmp_path, db):
    good = tmp_path / "good.fit"
    good.write_bytes(synthetic_run().fit_bytes)
    (tmp_path / "random.fit").write_bytes(b"\x00\x01garbage" * 50)
    (tmp_path / "empty.gpx").write_bytes(b"")
    (tmp_path / "corrupt.zip").write_bytes(b"PK\x03\x04 not really a zip")
    report = import_paths(db, [tmp_path, tmp_path / "missing.fit"])
    statuses = {o.name.rsplit("/", 1)[-1]: o.status for o in report.outcomes}
    assert statuses["good.fit"] == "imported"
    assert statuses["random.fit"] == "refused"
    assert statuses["empty.gpx"] == "refused"
    assert statuses["missing.fit"] == "refused"
    assert report.any_usable


def test_sources_order_is_stable(tmp_path):
    for name in ("b.fit", "a.tcx", "c.txt"):
        (tmp_path / name).write_bytes(b"x")
    assert [s.name.rsplit("/", 1)[-1] for s in iter_sources([tmp_path])] == ["a.tcx", "b.fit"]


def test_an_unexpected_bug_in_one_file_does_not_stop_the_batch(tmp_path, db, monkeypatch, caplog):
    from stridelab.ingest import importer

    good = tmp_path / "a.fit"
    good.write_bytes(synthetic_run().fit_bytes)
    other = tmp_path / "b.fit"
    other.write_bytes(synthetic_run().fit_bytes[:-2] + b"\x00\x00")
    real = importer.load_bytes

    def flaky(data, *, name):
        if name == "b.fit":
            raise ZeroDivisionError("simulated reader bug")
        return real(data, name=name)

    monkeypatch.setattr(importer, "load_bytes", flaky)
    report = import_paths(db, [tmp_path])
    assert [o.status for o in report.outcomes] == ["imported", "refused"]
    assert "internal error" in report.outcomes[1].reason
    assert "simulated reader bug" in caplog.text


def test_a_corrupt_deflate_member_is_a_damaged_member(tmp_path, db):
    archive = tmp_path / "export.zip"
    payload = synthetic_run().fit_bytes
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("run.fit", payload)
    raw = bytearray(archive.read_bytes())
    start = 30 + len("run.fit")  # the member's data follows its local header
    raw[start : start + 64] = b"\xff" * 64  # not a valid deflate stream any more
    archive.write_bytes(bytes(raw))
    (outcome,) = import_paths(db, [archive]).outcomes
    assert outcome.status == "refused"
    assert "damaged member" in outcome.reason
