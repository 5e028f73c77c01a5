"""The work behind an upload: import activity files, or analyse a running video.

Each function returns a :data:`~stridelab.web.jobs.WorkFn` for the job queue. They only
call the library (the same calls the CLI makes) and report progress; the uploaded file
is removed by the caller when the job ends, whatever happened.
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from stridelab._util import file_sha256, json_safe
from stridelab.errors import InputError, StridelabError
from stridelab.store.db import Database
from stridelab.web.jobs import ProgressFn, WorkFn
from stridelab.web.uploads import StoredUpload

__all__ = ["activity_import_work", "video_analysis_work"]


def _named(text: str, upload: StoredUpload) -> str:
    """``text`` with the random server-side path or name replaced by the runner's name."""
    return text.replace(str(upload.path), upload.name).replace(upload.path.name, upload.name)


@contextmanager
def _runner_names(upload: StoredUpload) -> Iterator[None]:
    """Library messages name the runner's file, not the random server-side one."""
    try:
        yield
    except StridelabError as exc:
        text = str(exc)
        named = _named(text, upload)
        if named == text:
            raise
        raise type(exc)(named) from exc


def activity_import_work(db: Database, upload: StoredUpload, /, *, athlete: str) -> WorkFn:
    """Import a FIT/TCX/GPX file or a zip export (each file in its own transaction).

    The job fails (with the first reason) when no file could be imported or was already
    stored; files refused inside a zip are listed in the result.
    """
    from stridelab.ingest import SourceItem, import_one, iter_sources

    def work(report: ProgressFn) -> dict[str, Any]:
        report(0.01, "reading")
        items = [
            # the stored name is the runner's file name, never the server-side path
            SourceItem(_named(item.name, upload), item.read)
            for item in iter_sources([upload.path])
        ]
        if not items:
            raise InputError(
                f"{upload.name}: the archive holds no activity files (.fit, .tcx, .gpx, "
                "optionally .gz)"
            )
        outcomes = []
        for i, item in enumerate(items):
            report(0.02 + 0.96 * i / len(items), f"importing file {i + 1} of {len(items)}")
            outcome = import_one(db, item, athlete=athlete)
            if outcome.reason is not None:
                outcome = dataclasses.replace(outcome, reason=_named(outcome.reason, upload))
            outcomes.append(outcome)
        usable = [o for o in outcomes if o.status in ("imported", "duplicate")]
        refused = [o for o in outcomes if o.status == "refused"]
        if not usable:
            first = refused[0]
            more = f" ({len(refused) - 1} more files refused)" if len(refused) > 1 else ""
            raise InputError(f"{first.name}: {first.reason}{more}")
        ids = sorted({i for o in usable for i in o.activity_ids})
        return {
            "kind": "activities",
            "imported_files": sum(o.status == "imported" for o in outcomes),
            "duplicate_files": sum(o.status == "duplicate" for o in outcomes),
            "refused_files": [{"name": o.name, "reason": o.reason} for o in refused],
            "activity_ids": ids,
            "warnings": sorted({w for o in usable for w in o.warnings}),
            "url": "/activities",
        }

    return work


def video_analysis_work(
    db: Database,
    upload: StoredUpload,
    /,
    *,
    videos_dir: Path,
    athlete: str,
    options: Any,
) -> WorkFn:
    """Analyse a clip as ``stridelab video analyze`` does and store the result.

    The report folder is ``videos_dir / <sha256 of the clip>``, written as a whole by
    :func:`~stridelab.report.outputs.write_analysis_outputs`; if storing the result then
    fails, a folder this job created is removed again.
    """
    from stridelab.gait.pipeline import analyze_video
    from stridelab.report.outputs import write_analysis_outputs
    from stridelab.store.repository import save_video_analysis

    def work(report: ProgressFn) -> dict[str, Any]:
        with _runner_names(upload):
            return _work(report)

    def _work(report: ProgressFn) -> dict[str, Any]:
        report(0.01, "checking the video")
        sha = file_sha256(upload.path)
        out_dir = videos_dir / sha
        existed = out_dir.exists()

        def pose(stage: str, done: int, total: int) -> None:
            report(0.03 + 0.72 * done / max(total, 1), "finding joints")

        result, raw, _info = analyze_video(upload.path, options=options, progress=pose)
        # the runner's file name, not the random server-side one
        analysis = dataclasses.replace(
            result.analysis, video={**result.analysis.video, "file": upload.name}
        )
        result = dataclasses.replace(result, analysis=analysis)
        report(0.76, "drawing the annotated video")
        write_analysis_outputs(
            result,
            raw,
            out_dir,
            video_path=upload.path,
            capture_fps=options.capture_fps,
            progress=lambda d, t: report(
                0.76 + 0.22 * d / max(t, 1), "drawing the annotated video"
            ),
        )
        report(0.99, "storing")
        data = analysis.to_dict()
        try:
            row_id, replaced = save_video_analysis(
                db, data, sha256=sha, file_name=upload.name, athlete=athlete
            )
        except BaseException:
            if not existed:
                shutil.rmtree(out_dir, ignore_errors=True)
            raise
        return {
            "kind": "video",
            "video_id": row_id,
            "replaced": replaced,
            "url": f"/videos/{row_id}",
            "n_steps_used": analysis.quality.n_steps_used,
            "summary": json_safe(dict(analysis.summary)),
            "warnings": list(analysis.quality.warnings),
        }

    return work
