"""Video benchmark: stridelab's pose stage and whole pipeline vs a plain OpenCV + MediaPipe loop.

Three ways of getting a runner's keypoints out of a 1080p clip, run in the same session
on the same files, so that the ratios mean something on a noisy machine:

- ``plain``: what a typical script does: ``cv2.VideoCapture`` → ``cap.read()`` →
  ``cv2.cvtColor(BGR2RGB)`` → ``mp.solutions.pose.Pose(model_complexity=1).process``,
  one thread.
- ``pose``: :func:`stridelab.video.pose.estimate_pose` (PyAV decode in a background
  thread, BlazePose full, no MediaPipe smoothing).
- ``pipeline``: :func:`stridelab.gait.pipeline.analyze_video` (probe, person scan, pose
  on a crop that follows the runner, cleaning, events, metrics).

Every measurement runs in its own child process (this script with ``--child``), which
reports frames, wall time, CPU time of the whole process (all threads, so a value near 2
means both cores are busy) and peak resident memory (``VmHWM``). Imports are not timed;
model construction and file opening are. Methods are interleaved and repeated; the table
shows medians. Clips are drawn by the synthetic runner (1920x1080, 60 fps; rendering is
not timed) at ``--seconds`` and three times that, to show that peak memory does not grow
with clip length, plus the real clip ``../shared/data/video/treadmill-side-60fps.mp4``
(1080x1920 portrait, 388 frames) when present. Timings never go into tests.

Run: ``python benchmarks/bench_video.py [--seconds 5] [--repeat 2] [--quick] [--out r.json]``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
REAL_CLIP = ROOT.parent / "shared" / "data" / "video" / "treadmill-side-60fps.mp4"
METHODS = ("plain", "pose", "pipeline")
LABELS = {
    "plain": "plain cv2 + mp loop",
    "pose": "stridelab estimate_pose",
    "pipeline": "stridelab analyze_video",
}


# --------------------------------------------------------------------------- child side


def _vm_kb(key: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def _run_plain(path: str) -> int:
    import cv2
    import mediapipe as mp

    cap = cv2.VideoCapture(path)
    n = 0
    with mp.solutions.pose.Pose(model_complexity=1) as pose:
        while True:
            ok, bgr = cap.read()
            if not ok:
                break
            pose.process(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
            n += 1
    cap.release()
    return n


def _run_pose(path: str) -> int:
    from stridelab.video.pose import estimate_pose

    return estimate_pose(path).n_frames


def _run_pipeline(path: str) -> int:
    from stridelab.gait.pipeline import analyze_video

    _, raw, _ = analyze_video(path)
    return raw.n_frames


def child(method: str, path: str) -> None:
    """Measure one method on one clip; print one JSON line."""
    import logging

    logging.disable(logging.WARNING)
    os.environ.setdefault("GLOG_minloglevel", "2")
    # imports outside the timed region (both sides pay them once per script)
    for module in ("cv2", "mediapipe", "stridelab.gait.pipeline", "stridelab.video.pose"):
        importlib.import_module(module)
    from stridelab.errors import StridelabError

    fn = {"plain": _run_plain, "pose": _run_pose, "pipeline": _run_pipeline}[method]
    rss0 = _vm_kb("VmRSS")
    error = None
    c0, t0 = time.process_time(), time.perf_counter()
    try:
        n = fn(path)
    except StridelabError as exc:
        n, error = 0, f"{type(exc).__name__}: {exc}"
    except Exception as exc:  # noqa: BLE001 - a crash is reported in the table, not fatal
        n, error = 0, f"crashed: {type(exc).__name__}: {exc}"
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    out = {
        "method": method,
        "frames": n,
        "wall_s": wall,
        "cpu_s": cpu,
        "rss_after_import_mb": rss0 / 1024,
        "peak_rss_mb": _vm_kb("VmHWM") / 1024,
        "error": error,
    }
    print("RESULT " + json.dumps(out), flush=True)


# --------------------------------------------------------------------------- parent side


def make_clips(seconds: float, folder: Path) -> dict[str, Path]:
    from stridelab.synthetic.render import write_runner_video
    from stridelab.synthetic.runner import CameraSpec, RunnerSpec

    camera = CameraSpec(fps=60, width_px=1920, height_px=1080)
    clips = {}
    for name, dur in (("short", seconds), ("long", 3 * seconds)):
        path = folder / f"runner-{dur:g}s-1080p.mp4"
        t0 = time.perf_counter()
        write_runner_video(RunnerSpec(duration_s=dur), camera, path)
        print(f"rendered {path.name} in {time.perf_counter() - t0:.1f} s (not timed)", flush=True)
        clips[f"synthetic {dur:g} s ({name})"] = path
    if REAL_CLIP.exists():
        clips[f"real {REAL_CLIP.name}"] = REAL_CLIP
    return clips


def _busy_cores_s() -> float:
    """CPU seconds all processes on the machine have used since boot (from /proc/stat)."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return float("nan")
    ticks = [int(v) for v in fields]
    idle = ticks[3] + ticks[4]  # idle + iowait
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def measure(method: str, path: Path) -> dict[str, Any]:
    env = dict(os.environ, GLOG_minloglevel="2", TF_CPP_MIN_LOG_LEVEL="2")
    busy0, t0 = _busy_cores_s(), time.perf_counter()
    proc = subprocess.run(
        [sys.executable, __file__, "--child", method, str(path)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            out: dict[str, Any] = json.loads(line[len("RESULT ") :])
            # cores kept busy by everything else on the machine while the child ran
            elapsed = time.perf_counter() - t0
            child_cpu = out["cpu_s"] + (elapsed - out["wall_s"])  # imports ~ one core
            out["other_load_cores"] = (_busy_cores_s() - busy0 - child_cpu) / elapsed
            return out
    raise RuntimeError(f"{method} on {path.name} failed:\n{proc.stderr[-3000:]}")


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    ok = [r for r in runs if not r["error"] and r["frames"]]
    if not ok:
        return {"error": runs[0]["error"], "frames": 0}
    return {
        "frames": ok[0]["frames"],
        "fps": statistics.median(r["frames"] / r["wall_s"] for r in ok),
        "wall_s": statistics.median(r["wall_s"] for r in ok),
        "cpu_util": statistics.median(r["cpu_s"] / r["wall_s"] for r in ok),
        "peak_rss_mb": max(r["peak_rss_mb"] for r in ok),
        "rss_after_import_mb": statistics.median(r["rss_after_import_mb"] for r in ok),
        "other_load_cores": statistics.median(r["other_load_cores"] for r in ok),
        "runs": runs,
        "error": None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="short clip length (s)")
    parser.add_argument("--repeat", type=int, default=2, help="runs per method and clip")
    parser.add_argument("--quick", action="store_true", help="2 s clips, one run each")
    parser.add_argument("--no-real", action="store_true", help="skip the real clip")
    parser.add_argument("--out", type=Path, help="write all measurements as JSON here")
    parser.add_argument("--child", nargs=2, metavar=("METHOD", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    seconds, repeat = (2.0, 1) if args.quick else (args.seconds, args.repeat)
    print(f"{os.cpu_count()} CPUs; python {sys.version.split()[0]}; repeat {repeat}")
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="stridelab-bench-") as tmp:
        clips = make_clips(seconds, Path(tmp))
        if args.no_real:
            clips = {k: v for k, v in clips.items() if not k.startswith("real")}
        for clip, path in clips.items():
            runs: dict[str, list[dict[str, Any]]] = {m: [] for m in METHODS}
            for i in range(repeat):
                order = METHODS if i % 2 == 0 else METHODS[::-1]
                for m in order:
                    r = measure(m, path)
                    runs[m].append(r)
                    fps = r["frames"] / r["wall_s"] if r["frames"] else float("nan")
                    print(f"  {clip:38s} {m:9s} {fps:6.1f} fps", flush=True)
            results[clip] = {m: summarise(runs[m]) for m in METHODS}

    print()
    head = f"{'clip':38s} {'method':24s} {'frames':>6s} {'fps':>6s} {'x plain':>7s}"
    print(head + f" {'CPU/wall':>8s} {'peak RSS':>9s} {'RSS@import':>10s} {'others':>6s}")
    print("-" * (len(head) + 36))
    for clip, per in results.items():
        base = per["plain"].get("fps")
        for m in METHODS:
            s = per[m]
            if s["error"]:
                print(f"{clip:38s} {LABELS[m]:24s}  failed: {s['error'][:80]}")
                continue
            ratio = s["fps"] / base if base else float("nan")
            print(
                f"{clip:38s} {LABELS[m]:24s} {s['frames']:6d} {s['fps']:6.1f} {ratio:6.2f}x"
                f" {s['cpu_util']:8.2f} {s['peak_rss_mb']:6.0f} MB"
                f" {s['rss_after_import_mb']:7.0f} MB {s['other_load_cores']:6.2f}"
            )
    short = next((c for c in results if "(short)" in c), None)
    long = next((c for c in results if "(long)" in c), None)
    if short and long:
        print("\npeak RSS, long clip (3x frames) minus short clip:")
        for m in METHODS:
            a, b = results[short][m], results[long][m]
            if not (a["error"] or b["error"]):
                growth = b["peak_rss_mb"] - a["peak_rss_mb"]
                print(
                    f"  {LABELS[m]:24s} {a['peak_rss_mb']:6.0f} MB -> {b['peak_rss_mb']:6.0f} MB"
                    f" ({growth:+.0f} MB for {b['frames'] - a['frames']} more frames)"
                )
    print(
        "\nfps = frames / wall time per child process (file open and model set-up included, "
        "imports not); CPU/wall = process CPU time over wall time, all threads (2.0 = both "
        "cores busy); peak RSS = VmHWM of the child; others = cores used by other processes "
        "on the machine meanwhile (from /proc/stat): when near 1 on a 2-core machine, the "
        "decode thread has no free core to run on."
    )
    if args.out:
        args.out.write_text(json.dumps({"clips": results}, indent=2, default=str))
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
