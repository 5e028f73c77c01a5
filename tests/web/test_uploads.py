"""Content sniffing and the job queue, without the HTTP layer."""

from __future__ import annotations

import gzip
import io
import threading
import zipfile

import pytest

from stridelab.errors import InputError
from stridelab.web.jobs import JobQueue, QueueFullError
from stridelab.web.uploads import UnsupportedUploadError, safe_display_name, sniff

TCX = (
    b'<?xml version="1.0"?>\n'
    b'<TrainingCenterDatabase xmlns="x"><Activities/></TrainingCenterDatabase>'
)
GPX = b'\xef\xbb\xbf<?xml version="1.0"?><gpx version="1.1" creator="t"><trk/></gpx>'


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("a.gpx", GPX)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (TCX, ("activity", "tcx")),
        (GPX, ("activity", "gpx")),
        (_zip(), ("archive", "zip")),
        (gzip.compress(GPX), ("activity", "gpx.gz")),
        (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom", ("video", "mp4")),
        (b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  ", ("video", "mov")),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm", ("video", "webm")),
        (b"\x1a\x45\xdf\xa3\xa3\x42\x86\x81\x01\x42\x82\x88matroska", ("video", "mkv")),
    ],
)
def test_sniff_by_content(head: bytes, expected: tuple[str, str]) -> None:
    assert sniff(head) == expected


def test_sniff_reads_a_real_fit_header(fit_run) -> None:
    assert sniff(fit_run.fit_bytes[:4096]) == ("activity", "fit")


@pytest.mark.parametrize(
    ("head", "words"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "PNG image"),
        (b"just some notes about my run\n", "plain text"),
        (b"<html><body>hi</body></html>", "neither TCX nor GPX"),
        (bytes(range(256)) * 4, "unrecognised binary"),
        (gzip.compress(b"not an activity"), "gzip file"),
        (b"PK\x05\x06" + b"\x00" * 18, "empty"),
    ],
)
def test_sniff_refuses_other_content_and_says_what_it_saw(head: bytes, words: str) -> None:
    with pytest.raises(UnsupportedUploadError, match=words):
        sniff(head)


def test_a_fit_name_does_not_make_text_a_fit_file() -> None:
    with pytest.raises(UnsupportedUploadError):
        sniff(b"hello.fit is what the name says, but this is text")


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\run.fit", "run.fit"),
        ("a\x00b\nc.fit", "abc.fit"),
        ("", "upload"),
        ("/", "upload"),
    ],
)
def test_display_names_are_only_labels(raw: str, clean: str) -> None:
    assert safe_display_name(raw) == clean


def test_queue_runs_jobs_reports_progress_and_refuses_beyond_its_bound() -> None:
    queue = JobQueue(workers=1, max_pending=2)
    gate = threading.Event()
    seen: list[float] = []

    def slow(report):
        report(0.5, "half")
        seen.append(0.5)
        gate.wait(10)
        return {"answer": 42}

    first = queue.submit("test", "one", slow)
    second = queue.submit("test", "two", lambda report: {"answer": 43})
    with pytest.raises(QueueFullError, match="waiting"):
        queue.submit("test", "three", lambda report: {})
    gate.set()
    assert queue.wait_idle(10)
    assert queue.get(first.id).result == {"answer": 42}
    assert queue.get(first.id).progress == 1.0
    assert queue.get(second.id).status == "done"
    assert [j.name for j in queue.list()] == ["two", "one"]  # newest first
    assert seen == [0.5]
    queue.shutdown()


def test_a_failed_job_tidies_up_before_it_says_failed() -> None:
    queue = JobQueue()
    events: list[str] = []

    def boom(report):
        raise InputError("the clip is 0.5 s long, at least 2 s are needed")

    job = queue.submit(
        "test",
        "bad",
        boom,
        cleanup=lambda: events.append("cleanup"),
        always=lambda: events.append("always"),
    )
    assert queue.wait_idle(10)
    done = queue.get(job.id)
    assert done.status == "failed"
    assert done.error == "the clip is 0.5 s long, at least 2 s are needed"
    assert events == ["cleanup", "always"]

    def bug(report):
        raise ZeroDivisionError("division by zero")

    job = queue.submit("test", "bug", bug)
    assert queue.wait_idle(10)
    assert queue.get(job.id).error.startswith("internal error (ZeroDivisionError")
    queue.shutdown()


def test_queue_forgets_the_oldest_finished_jobs() -> None:
    queue = JobQueue(keep=2)
    ids = []
    for i in range(4):
        ids.append(queue.submit("test", str(i), lambda report: {}).id)
        assert queue.wait_idle(10)
    # forgotten when a new job arrives: the two latest finished ones and the new one stay
    assert [j.name for j in queue.list()] == ["3", "2", "1"]
    assert queue.get(ids[0]) is None
    queue.shutdown()


def _wait_until(condition, what: str) -> None:
    """Poll ``condition`` (a state change in another thread), failing after 10 s."""
    import time

    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.01)


def test_an_upload_still_arriving_holds_its_place_in_the_queue() -> None:
    queue = JobQueue(workers=1, max_pending=2)
    with queue.reserve():
        with queue.reserve():
            with pytest.raises(QueueFullError, match="arriving"):
                queue.submit("test", "third", lambda report: {})
            with pytest.raises(QueueFullError), queue.reserve():
                pass
        # the reserved upload becomes a job without being counted twice
        job = queue.submit("test", "reserved", lambda report: {}, reserved=True)
    assert queue.wait_idle(10)
    assert queue.get(job.id).status == "done"
    queue.shutdown()


def test_progress_never_moves_backwards() -> None:
    queue = JobQueue()
    gate = threading.Event()

    def work(report):
        report(0.6, "pose")
        report(0.2, "a stage that restarts its own count")
        gate.wait(10)
        return {}

    job = queue.submit("test", "p", work)
    _wait_until(lambda: queue.get(job.id).stage.startswith("a stage"), "second report")
    assert queue.get(job.id).progress == 0.6
    gate.set()
    assert queue.wait_idle(10)
    queue.shutdown()


def test_jobs_waiting_when_the_app_stops_are_failed_and_tidied() -> None:
    queue = JobQueue(workers=1, max_pending=3)
    gate = threading.Event()
    tidied: list[str] = []
    running = queue.submit("test", "running", lambda report: gate.wait(10) and {})
    waiting = queue.submit(
        "test",
        "waiting",
        lambda report: {"ran": True},
        cleanup=lambda: tidied.append("cleanup"),
        always=lambda: tidied.append("always"),
    )
    _wait_until(lambda: queue.get(running.id).status == "running", "first job running")
    stopper = threading.Thread(target=queue.shutdown)
    stopper.start()
    _wait_until(lambda: queue.get(waiting.id).status == "failed", "waiting job abandoned")
    gate.set()
    stopper.join(10)
    assert not stopper.is_alive()
    assert tidied == ["cleanup", "always"]
    assert "stopped" in queue.get(waiting.id).error
    assert queue.get(running.id).status == "done"  # the running job was let finish


@pytest.mark.parametrize(
    ("brand", "words"),
    [(b"heic", "HEIC image"), (b"mif1", "HEIC image"), (b"avif", "AVIF image"), (b"M4A ", "M4A")],
)
def test_photos_and_audio_in_an_mp4_box_are_not_videos(brand: bytes, words: str) -> None:
    """An iPhone photo (HEIC) or a voice memo (M4A) starts with ``ftyp`` like an MP4."""
    head = b"\x00\x00\x00\x18ftyp" + brand + b"\x00\x00\x00\x00" + brand + b"mif1"
    with pytest.raises(UnsupportedUploadError, match=words):
        sniff(head)
