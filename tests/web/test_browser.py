"""End-to-end in a real headless Chromium (Debian's /usr/bin/chromium via Playwright).

A person's path: open the dashboard, drop a synthetic running clip, a FIT file and a
text file pretending to be FIT; watch the jobs finish (or fail with their reason); open
the video report, click a step and check the video seeks to its contact; download the
plan's calendar. Screenshots go to a temp folder and are checked for layout sanity
(page not blank, key elements visible and not overlapping).

Skipped when /usr/bin/chromium is missing, unless STRIDELAB_REQUIRE_BROWSER=1 (CI).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from stridelab.web import create_app, views
from tests.web.conftest import make_settings

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

if not CHROMIUM.exists():
    if os.environ.get("STRIDELAB_REQUIRE_BROWSER") == "1":
        raise RuntimeError(
            "STRIDELAB_REQUIRE_BROWSER=1 but /usr/bin/chromium is missing: install Debian's "
            "chromium package (.ci/run does)"
        )
    pytest.skip(
        "/usr/bin/chromium is not installed (apt-get install chromium); browser tests skipped",
        allow_module_level=True,
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The app under uvicorn on a free loopback port, in a background thread."""
    import uvicorn

    root = tmp_path_factory.mktemp("served")
    settings = make_settings(root)
    app = create_app(settings)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield {"url": f"http://127.0.0.1:{port}", "settings": settings, "app": app}
    srv.should_exit = True
    thread.join(30)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    outside: list[str] = []
    errors: list[str] = []
    pg.on(
        "request",
        lambda req: None if req.url.startswith(server["url"]) else outside.append(req.url),
    )
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    # anything the page's Content-Security-Policy blocked (it must need nothing foreign)
    pg.on(
        "console",
        lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    yield pg
    context.close()
    assert outside == [], f"the app must work offline; it asked for {outside}"
    assert errors == [], f"JavaScript errors or blocked content: {errors}"


# --------------------------------------------------------------------------- layout checks


def _box(page: Any, selector: str) -> dict[str, float]:
    loc = page.locator(selector).first
    assert loc.is_visible(), f"{selector} is not visible"
    box = loc.bounding_box()
    assert box is not None and box["width"] > 20 and box["height"] > 10, (selector, box)
    return dict(box)


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"] + 1
        or b["x"] + b["width"] <= a["x"] + 1
        or a["y"] + a["height"] <= b["y"] + 1
        or b["y"] + b["height"] <= a["y"] + 1
    )


def _check_layout(page: Any, shot: Path, selectors: list[str]) -> None:
    """Screenshot ``page``; the picture is not blank and the elements sit side by side
    or one under the other, never on top of each other, inside the page width."""
    import cv2

    page.screenshot(path=str(shot), full_page=True)
    img = cv2.imread(str(shot))
    assert img is not None and img.shape[1] >= 1000
    grey = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    assert float(np.std(grey)) > 10.0, "the page looks blank"
    assert float(np.mean(grey < 128)) > 0.005, "hardly any ink on the page"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280 + 1, "the page is wider than the window"
    boxes = {s: _box(page, s) for s in selectors}
    for i, a in enumerate(selectors):
        assert boxes[a]["x"] >= 0 and boxes[a]["x"] + boxes[a]["width"] <= 1281, a
        for b in selectors[i + 1 :]:
            assert not _overlap(boxes[a], boxes[b]), f"{a} overlaps {b}"


# --------------------------------------------------------------------------- tests


def test_upload_watch_jobs_open_report_and_seek(
    page, server, runner_clip, fit_run, tmp_path
) -> None:
    shots = tmp_path / "screenshots"
    shots.mkdir()
    url = server["url"]
    fit = tmp_path / "interval session.fit"
    fit.write_bytes(fit_run.fit_bytes)
    fake = tmp_path / "notes.fit"
    fake.write_text("this is not a FIT file, only its name says so\n")
    cut = tmp_path / "cut.mp4"
    clip_bytes = runner_clip.path.read_bytes()
    cut.write_bytes(clip_bytes[: len(clip_bytes) // 3])

    page.goto(url + "/")
    assert page.title().startswith("Dashboard")
    page.fill("#height-cm", str(int(runner_clip.spec.height_cm)))
    page.set_input_files("#file-input", [str(runner_clip.path), str(fit), str(fake), str(cut)])
    page.click("#upload-button")
    # four rows appear at once: the page does not wait for the video
    page.wait_for_function("document.querySelectorAll('#jobs .job').length === 4")
    # the FIT import finishes while the video is still being analysed (queued behind or
    # running): the page keeps working
    page.wait_for_selector(".job.done >> text=1 activity stored", timeout=60_000)
    # refused at upload (by content), and a job that fails: both say why on the page
    page.wait_for_selector(".job.failed .error >> text=unsupported file type (plain text)")
    page.wait_for_selector(".job.failed .error >> text=cannot read cut.mp4 as a video")
    page.wait_for_selector(".job.done >> text=open the video report", timeout=120_000)
    statuses = page.eval_on_selector_all("#jobs .job", "els => els.map(e => e.dataset.status)")
    assert sorted(statuses) == ["done", "done", "failed", "failed"]
    assert page.locator(".job.done progress").first.evaluate("e => e.value") == 1
    _check_layout(page, shots / "dashboard-jobs.png", ["header.top", "#upload", "#findings"])

    # a reload shows the stored data: activities, plots drawn by the local plotly.js
    page.reload()
    page.wait_for_selector("#plot-cadence .main-svg")
    assert page.locator("#recent-activities tbody tr").count() == 1
    assert page.locator("#videos a").count() == 1
    # jobs are listed again after the reload; the failed one still shows its reason
    page.wait_for_selector(".job.failed .error >> text=cannot read cut.mp4 as a video")
    assert server["app"].state.jobs.counts()["failed"] == 1
    assert sorted(p.name for p in server["settings"].uploads_dir.iterdir()) == [".incoming"]
    assert list((server["settings"].uploads_dir / ".incoming").iterdir()) == []
    _check_layout(
        page,
        shots / "dashboard.png",
        ["header.top", "#upload", "#findings", "#load", "#recent-activities", "#videos"],
    )

    page.click("#videos a")
    page.wait_for_selector("#steps-table tr.step")
    video = page.locator("#video")
    page.wait_for_function(
        "() => { const v = document.getElementById('video');"
        " return v.readyState >= 2 && v.duration > 0; }"
    )
    assert video.evaluate("v => v.error") is None
    assert video.evaluate("v => v.videoWidth") == runner_clip.camera.width_px
    duration = video.evaluate("v => v.duration")
    assert duration == pytest.approx(runner_clip.spec.duration_s, abs=0.1)
    rows = page.locator("#steps-table tr.step")
    n = rows.count()
    assert n >= 4
    for k in (n - 1, 1):  # later step first, then an earlier one: seeking both ways
        row = rows.nth(k)
        target = float(row.get_attribute("data-t"))
        row.click()
        page.wait_for_function(
            "t => Math.abs(document.getElementById('video').currentTime - t) < 0.02", arg=target
        )
        page.wait_for_function("() => !document.getElementById('video').seeking")
        assert "current" in (row.get_attribute("class") or "")
        assert page.locator("#steps-table tr.step.current").count() == 1
    # the frame shown is not black: the H.264 video really decodes in this Chromium
    frame = tmp_path / "frame.png"
    video.screenshot(path=str(frame))
    import cv2

    pixels = cv2.imread(str(frame))
    assert float(pixels.mean()) > 30.0
    page.wait_for_selector("#plot-contact .main-svg")
    assert page.locator("#snapshots img").count() == 4
    _check_layout(page, shots / "video-report.png", ["#summary", "#player", "#steps", "#metrics"])
    summary_box = _box(page, "#summary")
    assert summary_box["y"] < _box(page, "#player")["y"]  # plain language first


@pytest.mark.skipif(
    views.coach_unavailable_reason() is not None, reason="stridelab.coach is not importable yet"
)
def test_plan_page_and_calendar_download(page, server, tmp_path) -> None:
    page.goto(server["url"] + "/plan")
    page.check("input[name=equipment][value=band]")
    page.fill("input[name=minutes_per_week]", "45")
    page.click("#plan-form button")
    page.wait_for_selector("#this-week .session")
    assert page.locator("#this-week .why").count() >= 1
    with page.expect_download() as info:
        page.click("#ics-link")
    download = info.value
    path = tmp_path / "plan.ics"
    download.save_as(str(path))
    text = path.read_text(encoding="utf-8")
    assert text.startswith("BEGIN:VCALENDAR") and "BEGIN:VEVENT" in text
    assert download.suggested_filename == "stridelab-plan.ics"
    _check_layout(page, tmp_path / "plan.png", ["header.top", "#plan-form-panel", "#this-week"])
