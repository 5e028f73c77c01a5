"""Upload benchmark: the web app's ``POST /api/uploads`` vs the usual FastAPI ``UploadFile``.

Three servers, each a uvicorn process of its own on 127.0.0.1, receive the same
multipart upload (field ``file``), sent by httpx from this process (httpx streams a
file object in 64 KiB chunks with a ``Content-Length``):

- ``stridelab``: :func:`stridelab.web.create_app` over a temporary data folder and
  SQLite database; the real upload path (security middlewares, the job-queue place held
  while the body arrives, :func:`stridelab.web.uploads.receive_upload` streaming the
  part to disk with the size limit and content sniffing, the job submitted). Only the
  job's work is replaced by a stub that returns at once, so no video analysis runs in
  the server while it is measured (the file is random bytes behind an MP4 ``ftyp`` head
  and would only fail to decode). The job's clean-up still removes the upload.
- ``fastapi read``: ``async def upload(file: UploadFile)`` then ``await file.read()``
  and write the bytes to disk, the way most examples do it.
- ``fastapi copyfileobj``: ``def upload(file: UploadFile)`` then
  ``shutil.copyfileobj(file.file, out)``.

Both FastAPI variants first let Starlette parse the form into a ``SpooledTemporaryFile``
(in memory up to 1 MB, then on disk under ``TMPDIR``, which is set to the benchmark's
temporary folder). Time is the client's wall time from sending the request to having the
response (the stridelab job's clean-up is waited for outside the timed region). Peak
memory is the server's ``VmHWM``, reset before each upload by writing ``5`` to
``/proc/<pid>/clear_refs``; the growth is that peak minus ``VmRSS`` just before the
upload. One warm-up upload per server is not counted; the servers are interleaved, their
order alternating between repeats, and the table shows medians. Timings never go into
tests.

Run: ``python benchmarks/bench_web_upload.py [--sizes 50 300] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI, UploadFile

SERVERS = ("stridelab", "read", "copy")
LABELS = {
    "stridelab": "stridelab /api/uploads",
    "read": "fastapi await file.read()",
    "copy": "fastapi copyfileobj",
}
URL_PATH = {"stridelab": "/api/uploads", "read": "/upload", "copy": "/upload"}
MB = 2**20


# --------------------------------------------------------------------------- server side


def _stridelab_app(root: Path) -> Any:
    import stridelab.gait.pipeline  # noqa: F401 - imported by the first upload anyway
    import stridelab.web.tasks as tasks
    from stridelab.web import WebSettings, create_app

    def stub_work(_db: Any, upload: Any, /, **_kw: Any) -> Any:
        def work(report: Any) -> dict[str, Any]:
            report(1.0, "stub: not analysed (benchmark)")
            return {"kind": "video", "format": upload.format, "size_bytes": upload.size_bytes}

        return work

    # the handler imports video_analysis_work from the module at call time
    setattr(tasks, "video_analysis_work", stub_work)  # noqa: B010 - a deliberate patch
    settings = WebSettings(
        data_dir=root / "data",
        db_url=f"sqlite:///{root / 'stridelab.db'}",
    )  # default limits: files up to 1 GiB
    return create_app(settings)


def _plain_app(kind: str, root: Path) -> Any:
    out_dir = root / "plain-uploads"
    out_dir.mkdir(parents=True, exist_ok=True)
    app = FastAPI()

    if kind == "read":

        @app.post("/upload")
        async def upload_read(file: UploadFile) -> dict[str, Any]:
            data = await file.read()
            path = out_dir / f"{secrets.token_hex(16)}.bin"
            with path.open("wb") as out:
                out.write(data)
            return {"path": str(path), "size_bytes": len(data)}

    else:

        @app.post("/upload")
        def upload_copy(file: UploadFile) -> dict[str, Any]:
            path = out_dir / f"{secrets.token_hex(16)}.bin"
            with path.open("wb") as out:
                shutil.copyfileobj(file.file, out)
            return {"path": str(path), "size_bytes": path.stat().st_size}

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return app


def serve(kind: str, port: int, root: str) -> None:
    """Run one server in this process until killed."""
    import uvicorn

    app = _stridelab_app(Path(root)) if kind == "stridelab" else _plain_app(kind, Path(root))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


# --------------------------------------------------------------------------- client side


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _status_kb(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {key} for pid {pid}")


class Server:
    def __init__(self, kind: str, root: Path) -> None:
        self.kind = kind
        self.root = root / kind
        self.root.mkdir()
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, TMPDIR=str(self.root))
        self.log = self.root / "server.log"
        with self.log.open("wb") as log:  # a file, not a pipe: a full pipe would block it
            self.proc = subprocess.Popen(
                [sys.executable, __file__, "--serve", kind, str(self.port), str(self.root)],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.client = httpx.Client(base_url=self.base, timeout=300.0)
        deadline = time.monotonic() + 60
        health = "/api/health" if kind == "stridelab" else "/health"
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{kind} server died:\n{self.log.read_text()[-3000:]}")
            try:
                if self.client.get(health).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{kind} server did not start")
            time.sleep(0.1)

    def upload(self, path: Path) -> dict[str, Any]:
        """Upload once; wall time, server memory before and at peak, checked size."""
        pid = self.proc.pid
        rss0 = _status_kb(pid, "VmRSS")
        Path(f"/proc/{pid}/clear_refs").write_text("5")  # VmHWM := current RSS
        with path.open("rb") as fh:
            t0 = time.perf_counter()
            resp = self.client.post(URL_PATH[self.kind], files={"file": ("run.mp4", fh)})
            wall = time.perf_counter() - t0
        peak = _status_kb(pid, "VmHWM")
        if resp.status_code >= 300:
            raise RuntimeError(f"{self.kind}: HTTP {resp.status_code} {resp.text[:300]}")
        body = resp.json()
        if self.kind == "stridelab":
            job = self._wait(body["url"])
            if job["status"] != "done" or job["result"]["format"] != "mp4":
                raise RuntimeError(f"stridelab job: {job}")
            size = job["result"]["size_bytes"]
        else:
            size = body["size_bytes"]
            Path(body["path"]).unlink()
        if size != path.stat().st_size:
            raise RuntimeError(f"{self.kind} stored {size} bytes of {path.stat().st_size}")
        growth_mb = (peak - rss0) / 1024
        return {"wall_s": wall, "rss_before_mb": rss0 / 1024, "peak_growth_mb": growth_mb}

    def _wait(self, url: str) -> dict[str, Any]:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            job: dict[str, Any] = self.client.get(url).json()
            if job["status"] in ("done", "failed"):
                return job
            time.sleep(0.02)
        raise RuntimeError(f"job {url} did not finish")

    def close(self) -> None:
        self.client.close()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def make_file(path: Path, size_mb: int) -> Path:
    """An MP4-looking file: an ``ftyp`` box (brand ``isom``), then random bytes."""
    ftyp = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"
    remaining = size_mb * MB - len(ftyp)
    with path.open("wb") as fh:
        fh.write(ftyp)
        block = os.urandom(8 * MB)
        while remaining > 0:
            fh.write(block[: min(remaining, len(block))])
            remaining -= len(block)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 300], help="file sizes, MB")
    parser.add_argument("--repeat", type=int, default=3, help="uploads per server and size")
    parser.add_argument(
        "--serve", nargs=3, metavar=("KIND", "PORT", "ROOT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.serve:
        serve(args.serve[0], int(args.serve[1]), args.serve[2])
        return
    print(f"{os.cpu_count()} CPUs; python {sys.version.split()[0]}; repeat {args.repeat}")
    results: dict[int, dict[str, list[dict[str, Any]]]] = {}
    with tempfile.TemporaryDirectory(prefix="stridelab-bench-upload-") as tmp:
        root = Path(tmp)
        servers = {k: Server(k, root) for k in SERVERS}
        try:
            warm = make_file(root / "warm.mp4", 1)
            for s in servers.values():
                s.upload(warm)
            for size_mb in args.sizes:
                path = make_file(root / f"clip-{size_mb}mb.mp4", size_mb)
                runs: dict[str, list[dict[str, Any]]] = {k: [] for k in SERVERS}
                for i in range(args.repeat):
                    for k in SERVERS if i % 2 == 0 else SERVERS[::-1]:
                        r = servers[k].upload(path)
                        runs[k].append(r)
                        print(
                            f"  {size_mb:4d} MB  {k:9s} {r['wall_s']:6.2f} s"
                            f"  +{r['peak_growth_mb']:5.1f} MB peak RSS",
                            flush=True,
                        )
                results[size_mb] = runs
                path.unlink()
        finally:
            for s in servers.values():
                s.close()

    print()
    head = f"{'size':>6s}  {'server':26s} {'time s':>7s} {'MB/s':>7s} {'x stridelab':>11s}"
    print(head + f" {'peak RSS growth':>16s} {'RSS before':>10s}")
    print("-" * (len(head) + 28))
    for size_mb, runs in results.items():
        base = statistics.median(r["wall_s"] for r in runs["stridelab"])
        for k in SERVERS:
            wall = statistics.median(r["wall_s"] for r in runs[k])
            growth = statistics.median(r["peak_growth_mb"] for r in runs[k])
            before = statistics.median(r["rss_before_mb"] for r in runs[k])
            print(
                f"{size_mb:3d} MB  {LABELS[k]:26s} {wall:7.2f} {size_mb / wall:7.0f}"
                f" {wall / base:10.2f}x {growth:13.1f} MB {before:7.0f} MB"
            )
    print(
        "\ntime = client wall time for the whole request (median); x stridelab = that time "
        "over stridelab's (above 1 = slower than stridelab); peak RSS growth = server VmHWM "
        "during the upload minus its VmRSS just before (median); each server is its own "
        "uvicorn process (h11), all on this machine's loopback."
    )


if __name__ == "__main__":
    main()
