"""Fixtures for the web app: a fresh app per test over a temp data folder and database,
one small synthetic running clip and one synthetic FIT run per session."""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from stridelab.synthetic.fit_run import SyntheticRun, SyntheticRunSpec, synthetic_run
from stridelab.synthetic.runner import CameraSpec, RunnerSpec, RunnerTruth
from stridelab.web import WebSettings, create_app

with warnings.catch_warnings():
    # starlette's TestClient warns about httpx 0.28 at import; it still works
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


def make_settings(root: Path, **overrides: Any) -> WebSettings:
    """Settings over ``root``; the test client's host name ``testserver`` is accepted
    (without a token the app answers only to loopback names)."""
    overrides.setdefault("extra_hosts", frozenset({"testserver"}))
    return WebSettings(
        data_dir=root / "data", db_url=f"sqlite:///{root / 'stridelab.db'}", **overrides
    )


@pytest.fixture
def settings(tmp_path: Path) -> WebSettings:
    return make_settings(tmp_path)


@pytest.fixture
def client(settings: WebSettings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as c:
        yield c


def wait_for_job(client: TestClient, job_id: str, timeout_s: float = 120.0) -> dict[str, Any]:
    """Poll the job until it is done or failed; the whole job dict."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        job = client.get(f"/api/jobs/{job_id}").json()
        assert 0.0 <= job["progress"] <= 1.0
        if job["status"] in ("done", "failed"):
            return dict(job)
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish in {timeout_s} s")


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


@dataclass(frozen=True)
class Clip:
    path: Path
    spec: RunnerSpec
    camera: CameraSpec
    truth: RunnerTruth


@pytest.fixture(scope="session")
def runner_clip(tmp_path_factory: pytest.TempPathFactory) -> Clip:
    """A 3 s side-view synthetic runner, 480x270 at 30 fps (exact truth; ~5 s through
    BlazePose)."""
    from stridelab.synthetic.render import write_runner_video

    path = tmp_path_factory.mktemp("clip") / "my run.mp4"
    spec = RunnerSpec(duration_s=3.0)
    camera = CameraSpec(fps=30, width_px=480, height_px=270)
    truth = write_runner_video(spec, camera, path)
    return Clip(path, spec, camera, truth)


@pytest.fixture(scope="session")
def fit_run() -> SyntheticRun:
    """The default synthetic interval session (~8 km) as FIT bytes with its truth."""
    return synthetic_run(SyntheticRunSpec())
