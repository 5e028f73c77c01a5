"""Worker process for :func:`stridelab.video.pose.estimate_pose` (internal).

Reads a pickled ``(video, capture_fps, start, count, follow)`` from stdin, runs the
pose model on that range of frames and writes the pickled chunk to stdout. A separate
interpreter (``python -m``) rather than :mod:`multiprocessing`, so that a user's script
without a ``__main__`` guard cannot be re-executed by the worker.
"""

from __future__ import annotations

import pickle
import sys


def main() -> int:
    from stridelab.video.pose import _pose_chunk

    video, capture_fps, start, count, follow = pickle.load(sys.stdin.buffer)
    chunk = _pose_chunk(video, capture_fps, start, count, follow, None)
    pickle.dump(chunk, sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
