"""A small bounded job queue: long work runs in worker threads, the page polls progress.

A job is a function ``work(report) -> dict`` where ``report(fraction, stage)`` moves the
progress bar. Jobs go through ``queued → running → done | failed``; a failed job keeps a
one-line error (the message of a :class:`~stridelab.errors.StridelabError`, or a short
"internal error" line for anything else, whose traceback goes to the log) and runs its
``cleanup`` so that nothing half-written stays behind. At most ``max_pending`` jobs wait
or run at once (:class:`QueueFullError` beyond); the last ``keep`` finished jobs are
remembered. Jobs live in memory: they are gone when the app stops (their results are
in the database and the data directory). Progress never moves backwards.

An upload holds a place in the queue while its body arrives (:meth:`JobQueue.reserve`),
so the bound also counts uploads still streaming in: many uploads at once cannot fill the
disk. Jobs still waiting when the app stops never run; they are marked failed and their
``cleanup``/``always`` run, so their uploaded files do not stay behind.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Literal

from stridelab.errors import StridelabError

__all__ = ["Job", "JobQueue", "JobStatus", "ProgressFn", "QueueFullError", "WorkFn"]

log = logging.getLogger(__name__)

JobStatus = Literal["queued", "running", "done", "failed"]
ProgressFn = Callable[[float, str], None]
WorkFn = Callable[[ProgressFn], dict[str, Any]]


class QueueFullError(StridelabError):
    """Too many jobs are waiting; try again when some have finished."""


@dataclass(frozen=True)
class Job:
    """A snapshot of one job (the queue replaces it as the job moves on)."""

    id: str
    kind: str
    name: str
    status: JobStatus = "queued"
    progress: float = 0.0
    stage: str = "waiting"
    error: str | None = None
    result: dict[str, Any] | None = None
    created_at: datetime = field(default_factory=lambda: datetime.now(tz=UTC))
    finished_at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "job_id": self.id,
            "kind": self.kind,
            "name": self.name,
            "status": self.status,
            "progress": round(self.progress, 4),
            "stage": self.stage,
            "error": self.error,
            "result": self.result,
            "created_at": self.created_at.isoformat(),
            "finished_at": None if self.finished_at is None else self.finished_at.isoformat(),
        }


class JobQueue:
    """Run jobs on ``workers`` threads; at most ``max_pending`` unfinished at once."""

    def __init__(self, *, workers: int = 1, max_pending: int = 8, keep: int = 200) -> None:
        self.workers = workers
        self.max_pending = max_pending
        self.keep = keep
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self._reserved = 0
        # per unfinished job: its future and its (cleanup, always) steps
        self._pending: dict[
            str, tuple[Future[None], Callable[[], None] | None, Callable[[], None] | None]
        ] = {}

    def _check_room(self) -> None:
        """Raise :class:`QueueFullError` when no job may be added (call with the lock)."""
        pending = sum(j.status in ("queued", "running") for j in self._jobs.values())
        if pending + self._reserved >= self.max_pending:
            raise QueueFullError(
                f"{pending + self._reserved} uploads are already arriving, waiting or being "
                "processed; try again when one has finished"
            )

    @contextmanager
    def reserve(self) -> Iterator[None]:
        """Hold a place for a job while its upload arrives (``submit(reserved=True)``).

        Raises
        ------
        QueueFullError
            ``max_pending`` jobs and reservations are already there.
        """
        with self._lock:
            self._check_room()
            self._reserved += 1
        try:
            yield
        finally:
            with self._lock:
                self._reserved -= 1

    def submit(
        self,
        kind: str,
        name: str,
        work: WorkFn,
        *,
        cleanup: Callable[[], None] | None = None,
        always: Callable[[], None] | None = None,
        reserved: bool = False,
    ) -> Job:
        """Queue ``work``; ``cleanup`` runs if it fails, ``always`` when it ends.

        ``reserved``: the caller holds a place from :meth:`reserve` (not counted again).

        Raises
        ------
        QueueFullError
            ``max_pending`` jobs are already waiting or running.
        """
        with self._lock:
            if not reserved:
                self._check_room()
            job = Job(id=secrets.token_hex(8), kind=kind, name=name)
            self._jobs[job.id] = job
            self._forget_old()
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="stridelab-job")
            future = self._pool.submit(self._run, job.id, work, cleanup, always)
            self._pending[job.id] = (future, cleanup, always)
        return job

    def _forget_old(self) -> None:
        finished = [k for k, j in self._jobs.items() if j.status in ("done", "failed")]
        for key in finished[: max(0, len(finished) - self.keep)]:
            del self._jobs[key]

    def _update(self, job_id: str, **changes: Any) -> None:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is not None:
                self._jobs[job_id] = replace(job, **changes)

    def _run(
        self,
        job_id: str,
        work: WorkFn,
        cleanup: Callable[[], None] | None,
        always: Callable[[], None] | None,
    ) -> None:
        def report(fraction: float, stage: str) -> None:
            with self._lock:
                job = self._jobs.get(job_id)
                if job is not None:  # never backwards: the bar only moves on
                    value = min(1.0, max(job.progress, float(fraction)))
                    self._jobs[job_id] = replace(job, progress=value, stage=stage)

        with self._lock:
            self._pending.pop(job_id, None)
        self._update(job_id, status="running", stage="starting")
        result: dict[str, Any] | None = None
        message: str | None = None
        fatal: BaseException | None = None
        try:
            result = work(report)
        except BaseException as exc:  # the job boundary: every failure becomes a status
            if isinstance(exc, StridelabError):
                message = str(exc)
            else:
                log.exception("job %s failed", job_id)
                message = f"internal error ({type(exc).__name__}: {exc}); please report it"
            if not isinstance(exc, Exception):
                fatal = exc
        # files are tidied before the status changes, so "failed" means "nothing left"
        steps = [cleanup, always] if message is not None else [always]
        for step in steps:
            if step is None:
                continue
            try:
                step()
            except OSError:
                log.exception("tidying up after job %s failed", job_id)
        now = datetime.now(tz=UTC)
        if message is not None:
            self._update(job_id, status="failed", error=message, stage="failed", finished_at=now)
        else:
            self._update(
                job_id, status="done", progress=1.0, stage="done", result=result, finished_at=now
            )
        if fatal is not None:
            raise fatal

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def list(self) -> list[Job]:
        """All remembered jobs, newest first."""
        with self._lock:
            return list(reversed(self._jobs.values()))

    def counts(self) -> dict[str, int]:
        with self._lock:
            out = {"queued": 0, "running": 0, "done": 0, "failed": 0}
            for j in self._jobs.values():
                out[j.status] += 1
            return out

    def wait_idle(self, timeout_s: float = 60.0) -> bool:
        """Block until no job is queued or running (for tests and shutdown)."""
        import time

        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            c = self.counts()
            if c["queued"] == 0 and c["running"] == 0:
                return True
            time.sleep(0.05)
        return False

    def shutdown(self) -> None:
        """Stop: jobs still waiting are marked failed and tidied; the running ones finish."""
        pool = self._pool
        if pool is None:
            return
        pool.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            abandoned = {k: v for k, v in self._pending.items() if v[0].cancelled()}
            for key in abandoned:
                del self._pending[key]
        for job_id, (_future, cleanup, always) in abandoned.items():
            for step in (cleanup, always):
                if step is None:
                    continue
                try:
                    step()
                except OSError:
                    log.exception("tidying up after job %s failed", job_id)
            self._update(
                job_id,
                status="failed",
                stage="failed",
                error="the app stopped before this job ran; upload the file again",
                finished_at=datetime.now(tz=UTC),
            )
        pool.shutdown(wait=True)
        self._pool = None
