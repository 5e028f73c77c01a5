"""All the files of one video analysis, written together or not at all.

In: a :class:`~stridelab.gait.pipeline.TrackAnalysis` (and the raw pose track, the
source clip). Out: a folder with ``result.json``, ``keypoints.csv`` (cleaned),
``keypoints_raw.csv`` (as the pose model gave them), ``annotated.mp4``, ``report.html``
and its snapshots. Everything is written into a temporary sibling folder that replaces
the target only when every file is complete, so a failure never leaves a mix of two
runs behind.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["write_analysis_outputs"]


def write_analysis_outputs(
    result: Any,
    raw: Any,
    out_dir: Path,
    *,
    video_path: Path | None = None,
    annotate: bool = True,
    capture_fps: float | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Write every output of an analysis into ``out_dir`` (replaced as a whole).

    Returns the path of ``report.html``.
    """
    from stridelab.report.annotate import write_annotated_video
    from stridelab.report.html import write_html_report
    from stridelab.video.formats import write_keypoints_csv

    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        analysis = result.analysis
        (work / "result.json").write_text(
            json.dumps(analysis.to_dict(), indent=2), encoding="utf-8"
        )
        write_keypoints_csv(result.track, work / "keypoints.csv")
        write_keypoints_csv(raw, work / "keypoints_raw.csv")
        video_name = None
        if annotate and video_path is not None:
            write_annotated_video(
                video_path,
                result.track,
                analysis,
                work / "annotated.mp4",
                capture_fps=capture_fps,
                progress=progress,
            )
            video_name = "annotated.mp4"
        write_html_report(
            analysis,
            work,
            video_path=video_path,
            track=result.track,
            annotated_video_name=video_name,
            capture_fps=capture_fps,
        )
        old = None
        if out_dir.exists():
            old = out_dir.with_name(f".{out_dir.name}.old-{work.name[-8:]}")
            out_dir.rename(old)
        work.rename(out_dir)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return out_dir / "report.html"
