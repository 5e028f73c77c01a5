"""The JSON API through FastAPI's test client: uploads, jobs, data, bad input, tokens."""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from stridelab.cli.main import main_entry
from stridelab.synthetic.fit_run import SyntheticRunSpec, synthetic_run
from stridelab.web import create_app, is_loopback
from tests.web.conftest import TestClient, files_under, make_settings, wait_for_job


def _upload(client: TestClient, name: str, data: bytes, **params: object):
    return client.post("/api/uploads", params=params, files={"file": (name, data)})


def _no_uploads_left(settings) -> None:
    assert files_under(settings.uploads_dir) == []


def test_health_says_ok_and_counts_jobs(client: TestClient) -> None:
    r = client.get("/api/health")
    body = r.json()
    assert body["status"] == "ok"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert body["jobs"] == {"queued": 0, "running": 0, "done": 0, "failed": 0}


def test_fit_upload_imports_and_matches_the_cli(client, settings, fit_run, capsys) -> None:
    r = _upload(client, "../../morning run.fit", fit_run.fit_bytes)
    assert r.status_code == 202
    job = wait_for_job(client, r.json()["job_id"])
    assert job["status"] == "done", job["error"]
    assert job["error"] is None and job["progress"] == 1.0
    assert job["name"] == "morning run.fit"
    ids = job["result"]["activity_ids"]
    assert len(ids) == 1
    acts = client.get("/api/activities").json()
    assert [a["id"] for a in acts] == ids
    truth = fit_run.truth
    assert acts[0]["distance_km"] == pytest.approx(truth.distance_m / 1000, abs=0.005)
    assert acts[0]["avg_cadence_spm"] == pytest.approx(truth.avg_cadence_spm, abs=0.5)
    assert acts[0]["source_file"] == "morning run.fit"  # the name, never the server path
    # the same keys and values as `stridelab activity show ID --json`
    capsys.readouterr()
    assert main_entry(["--db", settings.db_url, "activity", "show", str(ids[0]), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == acts[0]
    assert client.get(f"/api/activities/{ids[0]}").json() == acts[0]
    _no_uploads_left(settings)
    # the same file again is recognised, not stored twice
    again = wait_for_job(client, _upload(client, "copy.fit", fit_run.fit_bytes).json()["job_id"])
    assert again["status"] == "done"
    assert again["result"]["duplicate_files"] == 1
    assert again["result"]["activity_ids"] == ids
    assert len(client.get("/api/activities").json()) == 1


def test_zip_export_imports_every_run_and_lists_refused_files(client, settings) -> None:
    runs = [
        synthetic_run(
            replace(SyntheticRunSpec(), seed=s, start_utc=datetime(2026, 11, d, 7, tzinfo=UTC))
        )
        for s, d in ((1, 2), (2, 4))
    ]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("activities/1.fit", runs[0].fit_bytes)
        zf.writestr("activities/2.fit.gz", __import__("gzip").compress(runs[1].fit_bytes))
        zf.writestr("activities/3.gpx", b"<gpx>broken")
        zf.writestr("README.txt", b"not an activity")
    job = wait_for_job(client, _upload(client, "export.zip", buf.getvalue()).json()["job_id"])
    assert job["status"] == "done", job["error"]
    assert job["result"]["imported_files"] == 2
    assert [f["name"] for f in job["result"]["refused_files"]] == ["export.zip!activities/3.gpx"]
    acts = client.get("/api/activities").json()
    assert sorted(round(a["distance_km"], 2) for a in acts) == sorted(
        round(r.truth.distance_m / 1000, 2) for r in runs
    )
    _no_uploads_left(settings)


def test_zip_without_activities_fails_and_leaves_nothing(client, settings) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("photo.txt", b"hello")
    job = wait_for_job(client, _upload(client, "photos.zip", buf.getvalue()).json()["job_id"])
    assert job["status"] == "failed"
    assert "no activity files" in job["error"]
    assert job["result"] is None
    _no_uploads_left(settings)
    assert client.get("/api/activities").json() == []


def test_truncated_fit_is_imported_with_what_was_readable_and_says_so(client, fit_run) -> None:
    cut = fit_run.fit_bytes[: len(fit_run.fit_bytes) // 2]
    job = wait_for_job(client, _upload(client, "cut.fit", cut).json()["job_id"])
    assert job["status"] == "done"
    assert any("truncated" in w for w in job["result"]["warnings"])


def _multipart(
    body_file: bytes, name: str = "file", boundary: str = "b0undary"
) -> tuple[bytes, dict]:
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="x.fit"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    return head + body_file + f"\r\n--{boundary}--\r\n".encode(), {
        "content-type": f"multipart/form-data; boundary={boundary}"
    }


@pytest.mark.parametrize(
    ("case", "status", "words"),
    [
        ("text", 415, "plain text"),
        ("png", 415, "PNG image"),
        ("empty", 400, "empty"),
        ("wrong field", 400, "field 'file'"),
        ("json body", 415, "multipart/form-data"),
        ("no boundary", 400, "boundary"),
        ("cut off", 400, "cut off"),
        ("two files", 400, "one file per upload"),
        ("declared too large", 413, "larger than"),
        ("streamed too large", 413, "larger than"),
        ("garbage multipart", 400, "malformed"),
    ],
)
def test_bad_uploads_are_refused_with_a_reason_and_leave_nothing(
    tmp_path: Path, fit_run, case: str, status: int, words: str
) -> None:
    settings = make_settings(tmp_path, max_upload_bytes=50_000)
    fit = fit_run.fit_bytes[:40_000]
    with TestClient(create_app(settings)) as client:
        url = "/api/uploads"
        if case == "text":
            r = client.post(url, files={"file": ("run.fit", b"my run was nice\n" * 20)})
        elif case == "png":
            r = client.post(url, files={"file": ("run.gpx", b"\x89PNG\r\n\x1a\n" + b"\0" * 100)})
        elif case == "empty":
            r = client.post(url, files={"file": ("run.fit", b"")})
        elif case == "wrong field":
            r = client.post(url, files={"upload": ("run.fit", fit)})
        elif case == "json body":
            r = client.post(url, json={"file": "x"})
        elif case == "no boundary":
            r = client.post(url, content=b"x", headers={"content-type": "multipart/form-data"})
        elif case == "cut off":
            body, headers = _multipart(fit)
            r = client.post(url, content=body[: len(body) // 2], headers=headers)
        elif case == "two files":
            body, headers = _multipart(fit)
            second, _ = _multipart(fit)
            r = client.post(
                url, content=body.replace(b"--\r\n", b"\r\n") + second[2 + 8 + 2 :], headers=headers
            )
        elif case == "declared too large":
            r = client.post(url, files={"file": ("big.fit", fit_run.fit_bytes)})
        elif case == "streamed too large":
            body, headers = _multipart(fit_run.fit_bytes)

            def chunks():  # no Content-Length: the limit is enforced while reading
                for i in range(0, len(body), 8192):
                    yield body[i : i + 8192]

            r = client.post(url, content=chunks(), headers=headers)
            assert "content-length" not in r.request.headers
        else:
            r = client.post(
                url, content=b"--b0undary\r\nno headers here", headers=_multipart(b"")[1]
            )
        assert r.status_code == status, r.text
        assert words in r.json()["detail"]
        assert files_under(settings.data_dir) == []
        assert client.get("/api/jobs").json() == []


def test_file_names_never_become_paths(client, settings, fit_run, tmp_path: Path) -> None:
    outside = tmp_path / "escaped.fit"
    r = _upload(client, f"../../../../{outside}", fit_run.fit_bytes)
    job = wait_for_job(client, r.json()["job_id"])
    assert job["status"] == "done"
    assert not outside.exists()
    assert job["name"] == "escaped.fit"


def test_unknown_job_and_activity_are_404(client) -> None:
    assert client.get("/api/jobs/nope").status_code == 404
    r = client.get("/api/activities/999")
    assert r.status_code == 404
    assert "no activity with id 999" in r.json()["detail"]
    assert client.get("/api/videos/5").status_code == 404
    assert client.get("/videos/5").status_code == 404


def test_invalid_video_options_are_refused_before_reading(client, settings) -> None:
    r = client.post("/api/uploads", params={"height_cm": 20}, files={"file": ("a.mp4", b"x")})
    assert r.status_code == 422
    _no_uploads_left(settings)


def test_uploads_beyond_the_queue_bound_are_refused(tmp_path: Path, fit_run) -> None:
    import threading

    settings = make_settings(tmp_path, max_pending_jobs=1)
    gate = threading.Event()
    with TestClient(create_app(settings)) as client:
        queue = client.app.state.jobs
        queue.submit("test", "a long analysis", lambda report: gate.wait(10) and {})
        r = _upload(client, "run.fit", fit_run.fit_bytes)
        assert r.status_code == 429 and "try again" in r.json()["detail"]
        assert files_under(settings.data_dir) == []
        gate.set()
        assert queue.wait_idle(10)
        assert _upload(client, "run.fit", fit_run.fit_bytes).status_code == 202


def test_other_sites_cannot_post_uploads(client, settings, fit_run) -> None:
    for origin in ("http://evil.example", "null", "http://127.0.0.1:9"):
        r = client.post(
            "/api/uploads", files={"file": ("a.fit", fit_run.fit_bytes)}, headers={"Origin": origin}
        )
        assert r.status_code == 403, origin
    assert files_under(settings.data_dir) == []
    same = client.post(
        "/api/uploads",
        files={"file": ("a.fit", fit_run.fit_bytes)},
        headers={"Origin": "http://testserver"},
    )
    assert same.status_code == 202


# --------------------------------------------------------------------------- video


def test_video_upload_is_analysed_reported_and_seekable(
    client, settings, runner_clip, monkeypatch
) -> None:
    from stridelab.web import tasks

    reported: list[tuple[float, str]] = []
    make_work = tasks.video_analysis_work

    def recording_work(*args, **kwargs):  # what the job tells the progress bar
        work = make_work(*args, **kwargs)
        return lambda report: work(lambda f, stage: (reported.append((f, stage)), report(f, stage)))

    monkeypatch.setattr(tasks, "video_analysis_work", recording_work)
    data = runner_clip.path.read_bytes()
    r = _upload(client, runner_clip.path.name, data, height_cm=runner_clip.spec.height_cm)
    assert r.status_code == 202
    assert r.json()["kind"] == "video"
    job = wait_for_job(client, r.json()["job_id"], timeout_s=180)
    assert job["status"] == "done", job["error"]
    # the bar moves through both long stages, frame by frame, never backwards
    fractions = [f for f, _stage in reported]
    assert fractions == sorted(fractions) and fractions[0] > 0 and fractions[-1] < 1
    n_frames = round(runner_clip.spec.duration_s * runner_clip.camera.fps)
    stages = [stage for _f, stage in reported]
    assert stages.count("finding joints") >= n_frames // 2
    assert stages.count("drawing the annotated video") >= n_frames // 2
    assert len(set(fractions)) >= n_frames
    result = job["result"]
    # the numbers against the rendered runner's exact truth (3 s at 30 fps: coarse)
    assert result["summary"]["cadence_spm"] == pytest.approx(runner_clip.truth.cadence_spm, abs=4.0)
    assert result["n_steps_used"] >= 3
    video_id = result["video_id"]
    listed = client.get("/api/videos").json()
    assert [v["id"] for v in listed] == [video_id]
    stored = client.get(f"/api/videos/{video_id}").json()
    assert stored["file"] == "my run.mp4"
    steps = stored["result"]["steps"]
    # report folder: content-addressed under the data folder; the upload is gone
    import hashlib

    sha = hashlib.sha256(data).hexdigest()
    folder = settings.videos_dir / sha
    assert (folder / "annotated.mp4").is_file() and (folder / "report.html").is_file()
    _no_uploads_left(settings)
    page = client.get(f"/videos/{video_id}").text
    seeks = [float(t) for t in re.findall(r'data-t="([0-9.]+)"', page)]
    assert seeks == pytest.approx([(s["ic_frame"] + 0.5) / 30.0 for s in steps], abs=1e-3)
    assert stored["result"]["video"]["stored_fps"] == pytest.approx(30.0)
    assert "Over " in page and "cadence" in page  # the plain-language summary comes first
    assert page.index('id="summary"') < page.index('id="player"') < page.index('id="metrics"')
    assert "cdn." not in page and "https://" not in page.split("<footer")[0]
    # the video is served with byte ranges (needed for seeking)
    part = client.get(f"/videos/{video_id}/files/annotated.mp4", headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and len(part.content) == 100
    assert part.content[4:8] == b"ftyp"
    # the stand-alone report finds everything it loads (plotly.js, video, snapshots)
    report = client.get(f"/videos/{video_id}/files/report.html")
    assert report.status_code == 200 and "text/html" in report.headers["content-type"]
    loaded = set(re.findall(r'(?:src|href)="([^"#:?]+)"', report.text))
    assert {"plotly.min.js", "annotated.mp4"} <= loaded
    for name in loaded:
        assert client.get(f"/videos/{video_id}/files/{name}").status_code == 200, name
    for name in ("keypoints.csv", "..%2F..%2Fstridelab.db", "x.jpg", "report.html%00.csv"):
        assert client.get(f"/videos/{video_id}/files/{name}").status_code == 404, name
    # a client that normalises ../ lands on another route, never on the file
    r = client.get(f"/videos/{video_id}/files/../../stridelab.db")
    assert r.status_code in (404, 422) and b"SQLite" not in r.content


def test_truncated_video_fails_and_leaves_nothing_half_written(
    client, settings, runner_clip
) -> None:
    data = runner_clip.path.read_bytes()
    job = wait_for_job(
        client, _upload(client, "cut.mp4", data[: len(data) // 3]).json()["job_id"], timeout_s=60
    )
    assert job["status"] == "failed"
    assert "cut.mp4" in job["error"]  # the runner's name, not the server-side one
    assert ".mp4" not in job["error"].replace("cut.mp4", "")
    assert files_under(settings.data_dir) == []
    assert client.get("/api/videos").json() == []


# --------------------------------------------------------------------------- token


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.5.0.1", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("192.168.1.20", False),
        ("::", False),
        ("myhost.lan", False),
    ],
)
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_token_is_required_off_loopback(tmp_path: Path, fit_run) -> None:
    settings = make_settings(tmp_path, token="s3cret-token")
    with TestClient(create_app(settings)) as client:
        assert client.get("/api/health").status_code == 200  # open for probes
        for path in ("/api/activities", "/", "/openapi.json", "/static/app.js"):
            r = client.get(path)
            assert r.status_code == 401, path
        refused = client.get("/")
        assert "token" in refused.text and refused.headers["referrer-policy"] == "no-referrer"
        assert "token" in client.get("/api/activities").json()["detail"]
        assert (
            client.get("/api/activities", headers={"Authorization": "Bearer nope"}).status_code
            == 401
        )
        ok = client.get("/api/activities", headers={"Authorization": "Bearer s3cret-token"})
        assert ok.status_code == 200
        # an upload without the token writes nothing
        r = client.post("/api/uploads", files={"file": ("a.fit", fit_run.fit_bytes)})
        assert r.status_code == 401
        assert files_under(settings.data_dir) == []
        # ?token= lets the browser in, leaves a cookie for the next requests and takes
        # the token out of the address bar
        r = client.get("/plan?goal=5k&token=s3cret-token", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/plan?goal=5k"
        assert (
            "HttpOnly" in r.headers["set-cookie"] and "SameSite=Strict" in r.headers["set-cookie"]
        )
        assert client.get("/api/activities").status_code == 200  # the cookie now
        assert client.get(r.headers["location"]).status_code == 200
        client.cookies.clear()
        # scripts may pass ?token= to the API: answered directly
        r = client.get("/api/activities?token=s3cret-token", follow_redirects=False)
        assert r.status_code == 200 and "set-cookie" in r.headers
        client.cookies.clear()
        # never a redirect to another site
        r = client.get("/%2Fevil.example/x?token=s3cret-token", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/evil.example/x"
        client.cookies.clear()
        assert client.get("/api/activities?token=wrong").status_code == 401


def test_serve_prints_and_requires_a_token_off_loopback(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    import uvicorn

    started = {}

    def fake_run(app, host, port, **kwargs):
        started.update(app=app, host=host, port=port)

    monkeypatch.setattr(uvicorn, "run", fake_run)
    monkeypatch.setenv("STRIDELAB_DATA_DIR", str(tmp_path / "data"))
    db = f"sqlite:///{tmp_path / 'db.sqlite'}"
    assert main_entry(["--db", db, "serve", "--host", "0.0.0.0", "--port", "8123"]) == 0
    out = capsys.readouterr().out
    token = re.search(r"token: (\S+)", out).group(1)
    assert "not loopback" in out and f"?token={token}" in out
    assert started["host"] == "0.0.0.0" and started["port"] == 8123
    with TestClient(started["app"]) as client:
        assert client.get("/api/activities").status_code == 401
        assert client.get(f"/api/activities?token={token}").status_code == 200
    # on loopback: no token
    assert main_entry(["--db", db, "serve", "--port", "8124"]) == 0
    assert "token" not in capsys.readouterr().out
    with TestClient(started["app"], base_url="http://127.0.0.1:8124") as client:
        assert client.get("/api/activities").status_code == 200
    assert main_entry(["--db", db, "serve", "--port", "0"]) == 1


def test_refusals_inside_a_zip_name_the_runners_file(client, settings, fit_run) -> None:
    """A damaged member's reason names ``export.zip``, never the random server name."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr("a.fit", fit_run.fit_bytes)
    data = bytearray(buf.getvalue())
    data[100] ^= 0xFF  # inside the stored member: its CRC no longer matches
    job = wait_for_job(client, _upload(client, "export.zip", bytes(data)).json()["job_id"])
    assert job["status"] == "failed"
    assert job["error"].startswith("export.zip!a.fit: damaged member of export.zip")
    assert not re.search(r"[0-9a-f]{32}", job["error"])
