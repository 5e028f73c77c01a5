"""Import benchmark: the shared activity corpus, stridelab's reader vs a plain fitdecode loop.

Both sides run in the same process on the same files, so the ratio is meaningful on a
noisy machine. stridelab's side does more (columns, sessions, pauses, summaries); the
fitdecode side only iterates messages and builds a dict per record, the minimum any
importer built on fitdecode would do. Peak memory is measured with tracemalloc.

Run: ``make bench`` (or ``python benchmarks/bench_import.py [--repeat N]``).
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc
import warnings
from pathlib import Path

import fitdecode

from stridelab.errors import StridelabError
from stridelab.watch import load_bytes

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "activities"


def plain_fitdecode(data: bytes) -> int:
    n = 0
    try:
        with fitdecode.FitReader(data, check_crc=fitdecode.CrcCheck.DISABLED) as reader:
            for frame in reader:
                if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "record":
                    {f.name: f.value for f in frame.fields}
                    n += 1
    except Exception:  # noqa: BLE001 - damaged files: count what was read, as an importer would
        pass
    return n


def stridelab_reader(data: bytes) -> int:
    try:
        return sum(len(a.records) for a in load_bytes(data))
    except StridelabError:
        return 0


def _fast_path_accepts(data: bytes) -> bool:
    from stridelab.watch.fit_decode import decode_fit

    try:
        decode_fit(data, backend="fitfast")
    except StridelabError:
        return False
    return True


def timed(fn, files: list[bytes], repeat: int) -> tuple[float, int]:
    times = []
    n = 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        n = sum(fn(d) for d in files)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), n


def peak_mb(fn, files: list[bytes]) -> float:
    tracemalloc.start()
    for d in files:
        fn(d)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    paths = sorted(p for p in CORPUS.rglob("*") if p.suffix.lower() == ".fit")
    files = [p.read_bytes() for p in paths]
    size_mb = sum(map(len, files)) / 2**20
    warnings.simplefilter("ignore")
    t_fd, n_fd = timed(plain_fitdecode, files, args.repeat)
    t_sl, n_sl = timed(stridelab_reader, files, args.repeat)
    print(f"corpus: {len(files)} FIT files, {size_mb:.1f} MB")
    print(f"plain fitdecode loop : {t_fd:6.2f} s  {n_fd:7d} records  {n_fd / t_fd:9.0f} records/s")
    print(f"stridelab reader     : {t_sl:6.2f} s  {n_sl:7d} records  {n_sl / t_sl:9.0f} records/s")
    print(f"speed-up (same run)  : {t_fd / t_sl:.1f}x")
    clean = [d for d in files if _fast_path_accepts(d)]
    c_fd, _ = timed(plain_fitdecode, clean, args.repeat)
    c_sl, _ = timed(stridelab_reader, clean, args.repeat)
    print(
        f"fast-path files only ({len(clean)}): fitdecode loop {c_fd:.2f} s, "
        f"stridelab {c_sl:.2f} s, speed-up {c_fd / c_sl:.1f}x "
        f"(the other {len(files) - len(clean)} files take the fitdecode fallback)"
    )
    print(
        f"peak memory, fitdecode loop: {peak_mb(plain_fitdecode, files):.1f} MB; "
        f"stridelab reader: {peak_mb(stridelab_reader, files):.1f} MB (tracemalloc)"
    )


if __name__ == "__main__":
    main()
