"""Who may talk to the app and what an upload may do: host names (DNS rebinding), the
token's form, websockets, escaping of runner-chosen names, hostile zip archives, and
uploads left behind by an earlier run."""

from __future__ import annotations

import gzip
import io
import zipfile
from pathlib import Path

import pytest
from pydantic import ValidationError
from starlette.websockets import WebSocketDisconnect

from stridelab.cli.main import main_entry
from stridelab.web import create_app
from stridelab.web.security import host_name
from tests.web.conftest import TestClient, files_under, make_settings, wait_for_job

GPX = (
    b'<?xml version="1.0"?><gpx version="1.1" creator="t"><trk><trkseg>'
    b'<trkpt lat="52.0" lon="4.0"><time>2026-11-01T07:00:00Z</time></trkpt>'
    b'<trkpt lat="52.001" lon="4.0"><time>2026-11-01T07:00:30Z</time></trkpt>'
    b"</trkseg></trk></gpx>"
)


# --------------------------------------------------------------------------- host names


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("127.0.0.1:8765", "127.0.0.1"),
        ("LOCALHOST", "localhost"),
        ("[::1]:8765", "::1"),
        ("[::1]", "::1"),
        ("evil.example:8765", "evil.example"),
        ("evil.example", "evil.example"),
        ("[::1", ""),
    ],
)
def test_host_header_names(header: str, name: str) -> None:
    assert host_name(header) == name


@pytest.mark.parametrize("host", ["127.0.0.1:8765", "localhost:8765", "[::1]:8765", "127.0.0.2"])
def test_loopback_names_are_served_without_a_token(tmp_path: Path, host: str) -> None:
    settings = make_settings(tmp_path, extra_hosts=frozenset())
    with TestClient(create_app(settings), base_url=f"http://{host}") as client:
        assert client.get("/api/activities").status_code == 200
        assert client.get("/").status_code == 200


def test_another_sites_name_is_refused_without_a_token(tmp_path: Path, fit_run) -> None:
    """DNS rebinding: a page of evil.example resolves its name to 127.0.0.1; its
    requests reach the app with ``Host: evil.example`` and, for the browser, the same
    origin as the page (so the Origin check alone passes them)."""
    settings = make_settings(tmp_path, extra_hosts=frozenset())
    origin = "http://evil.example:8765"
    with TestClient(create_app(settings), base_url=origin) as client:
        r = client.get("/api/activities")
        assert r.status_code == 400 and "evil.example" in r.json()["detail"]
        assert client.get("/").status_code == 400
        assert client.get("/api/health").status_code == 400
        r = client.post(
            "/api/uploads",
            files={"file": ("a.fit", fit_run.fit_bytes)},
            headers={"Origin": origin},
        )
        assert r.status_code == 400
        assert client.get("/api/jobs", headers={"Host": "127.0.0.1:8765"}).json() == []
    assert files_under(settings.data_dir) == []


def test_with_a_token_any_host_name_works(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, token="s3cret-token-1", extra_hosts=frozenset())
    with TestClient(create_app(settings), base_url="http://my-laptop.lan:8765") as client:
        auth = {"Authorization": "Bearer s3cret-token-1"}
        assert client.get("/api/activities", headers=auth).status_code == 200
        assert client.get("/api/activities").status_code == 401


# --------------------------------------------------------------------------- tokens


@pytest.mark.parametrize(
    ("token", "words"),
    [
        ("", "at least 12 characters"),
        ("   ", "at least 12 characters"),
        ("short", "at least 12 characters"),
        ("tést-token-with-accent", "letters, digits"),
        ("has space in the token", "letters, digits"),
        ("semi;colon;cookie", "letters, digits"),
    ],
)
def test_unusable_tokens_are_refused(tmp_path: Path, token: str, words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        make_settings(tmp_path, token=token)


@pytest.mark.parametrize("token", ["", "   ", "abc"])
def test_serve_never_runs_open_on_the_network_with_an_empty_token(
    tmp_path: Path, monkeypatch, capsys, token: str
) -> None:
    import uvicorn

    started: list[object] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: started.append(app))
    monkeypatch.setenv("STRIDELAB_DATA_DIR", str(tmp_path / "data"))
    db = f"sqlite:///{tmp_path / 'db.sqlite'}"
    code = main_entry(["--db", db, "serve", "--host", "0.0.0.0", "--token", token])
    assert code != 0 and started == []
    captured = capsys.readouterr()
    assert "--token" in captured.err and "only this computer" not in captured.out


def test_a_chosen_token_works_on_loopback_and_says_so(tmp_path: Path, monkeypatch, capsys) -> None:
    import uvicorn

    started: list[object] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: started.append(app))
    monkeypatch.setenv("STRIDELAB_DATA_DIR", str(tmp_path / "data"))
    db = f"sqlite:///{tmp_path / 'db.sqlite'}"
    assert main_entry(["--db", db, "serve", "--token", "my-own-token-123"]) == 0
    out = capsys.readouterr().out
    assert "a token is required" in out and "not loopback" not in out
    with TestClient(started[0]) as client:  # type: ignore[arg-type]
        assert client.get("/api/activities").status_code == 401
        assert client.get("/api/activities?token=my-own-token-123").status_code == 200


def test_websockets_need_the_token_too(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, token="s3cret-token-1")
    with (
        TestClient(create_app(settings)) as client,
        pytest.raises(WebSocketDisconnect) as refused,
        client.websocket_connect("/anything"),
    ):
        pass
    assert refused.value.code == 1008


# --------------------------------------------------------------------------- names are text


def test_runner_chosen_names_are_escaped_in_pages(client: TestClient, fit_run) -> None:
    name = "<img src=x onerror=alert(1)>.fit"
    job = wait_for_job(
        client,
        client.post("/api/uploads", files={"file": (name, fit_run.fit_bytes)}).json()["job_id"],
    )
    assert job["status"] == "done", job["error"]
    assert job["name"] == name  # JSON keeps the text; the page script sets textContent
    for page in ("/activities", "/"):
        html = client.get(page).text
        assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;.fit" in client.get("/activities").text


# --------------------------------------------------------------------------- hostile zips


def test_zip_member_names_are_labels_only(client: TestClient, settings, fit_run, tmp_path) -> None:
    """Absolute and ``..`` member names are read in memory and shown, never extracted."""
    target = tmp_path / "escaped.fit"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(zipfile.ZipInfo(f"../../../..{target}"), fit_run.fit_bytes)
        zf.writestr(zipfile.ZipInfo("/etc/cron.d/evil.gpx"), GPX)
    job = wait_for_job(
        client,
        client.post("/api/uploads", files={"file": ("x.zip", buf.getvalue())}).json()["job_id"],
    )
    assert job["status"] == "done", job["error"]
    assert job["result"]["imported_files"] == 2
    assert not target.exists()
    assert files_under(settings.data_dir) == []  # nothing unpacked, the upload removed
    sources = sorted(a["source_file"] for a in client.get("/api/activities").json())
    assert sources == sorted(["x.zip!/etc/cron.d/evil.gpx", f"x.zip!../../../..{target}"])


def test_a_zip_bomb_member_is_refused_not_unpacked(client: TestClient, monkeypatch) -> None:
    """A member inflating beyond the importer's per-file limit is refused with a reason
    (the limit is lowered to 1 MB here; a 4 MB run of zeros deflates to ~4 kB)."""
    import stridelab.ingest.sources as sources

    monkeypatch.setattr(sources, "MAX_FILE_BYTES", 1024 * 1024)
    zeros = b"\0" * (4 * 1024 * 1024)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("bomb.fit", zeros)
        zf.writestr("bomb2.fit.gz", gzip.compress(zeros))
    assert len(buf.getvalue()) < 64 * 1024
    job = wait_for_job(
        client,
        client.post("/api/uploads", files={"file": ("b.zip", buf.getvalue())}).json()["job_id"],
    )
    assert job["status"] == "failed"
    assert "too large" in job["error"] and "1 more files refused" in job["error"]
    assert client.get("/api/activities").json() == []


# --------------------------------------------------------------------------- earlier runs


def test_what_an_earlier_run_left_half_done_is_removed_at_start(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    (settings.uploads_dir / ".incoming").mkdir(parents=True)
    left = [settings.uploads_dir / "0123abcd.fit", settings.uploads_dir / ".incoming" / "x.part"]
    for path in left:
        path.write_bytes(b"from a run that was killed")
    half_report = settings.videos_dir / ".ab12.tmp9x" / "annotated.mp4"
    half_report.parent.mkdir(parents=True)
    half_report.write_bytes(b"half a video")
    report = settings.videos_dir / "ab12" / "report.html"
    report.parent.mkdir()
    report.write_text("a finished report")
    keep = settings.data_dir / "stridelab-notes.txt"
    keep.write_text("not an upload")
    app = create_app(settings)
    assert [p for p in left if p.exists()] == []
    assert not half_report.parent.exists()
    assert keep.exists() and report.exists()
    app.state.db.dispose()


def test_pages_forbid_inline_and_foreign_scripts(client: TestClient) -> None:
    """A second line behind autoescaping (the browser test checks nothing is blocked)."""
    for path in ("/", "/activities", "/tests", "/plan", "/api/docs", "/videos/1"):
        policy = client.get(path).headers["content-security-policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["script-src"] == "'self'", path
        assert directives["connect-src"] == "'self'" and directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"
