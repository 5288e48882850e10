"""Disk flushes: how long the database's disk takes to make a small write durable, and how often it stalls.

    .venv/bin/python -m bench.disk_flush [--folder /var/lib/postgresql] [--seconds 60] [--wait-quiet 40]

Every ticket commits before the kiosk answers, and PostgreSQL flushes its WAL (write-ahead log) in
order: while one flush is slow every commit behind it waits, so the tail of the disk's flush time
becomes the tail of issuing (docs/benchmarks.md, "Seventh round"). This writes 8 kB at a
time into a 16 MiB file in `--folder` (the file system PostgreSQL's WAL lives on) and makes each write
durable with fdatasync, as PostgreSQL's default `wal_sync_method` does, one every 2 ms (about a
busy kiosk floor's commit rate, not a saturated disk), and reports the distribution of the flush
times and how many stalled past 20, 50 and 100 ms. The machine should be otherwise idle.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from . import stack

BLOCK = 8192  # PostgreSQL's WAL page
FILE_BLOCKS = 2048  # 16 MiB, a WAL segment
PAUSE_SECONDS = 0.002
STALLS_MS = (20, 50, 100)


def flush_times(folder: Path, seconds: float) -> list[float]:
    """Milliseconds each fdatasync of an 8 kB overwrite took, for `seconds`."""
    path = folder / f"servicedesk-disk-flush-{os.getpid()}.tmp"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, bytes(BLOCK * FILE_BLOCKS))  # allocated first, as PostgreSQL's recycled WAL segments are
        os.fsync(fd)
        block, times, n = os.urandom(BLOCK), [], 0
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            os.pwrite(fd, block, (n % FILE_BLOCKS) * BLOCK)
            n += 1
            started = time.perf_counter()
            os.fdatasync(fd)
            times.append((time.perf_counter() - started) * 1000)
            time.sleep(PAUSE_SECONDS)
        return times
    finally:
        os.close(fd)
        path.unlink()


def report(folder: Path, seconds: float, times: list[float], header: list[str]) -> list[str]:
    p = stack.percentile
    minutes = seconds / 60
    stalls = [sum(t > bound for t in times) for bound in STALLS_MS]
    return [
        *header,
        f"{len(times)} flushes of an 8 kB overwrite in {seconds:g} s, one every {PAUSE_SECONDS * 1000:g} ms, "
        f"in {folder} ({file_system(folder)}).",
        "",
        *stack.table(
            ["p50 ms", "p99 ms", "p99.9 ms", "max ms", *(f"over {b} ms" for b in STALLS_MS), "over 50 ms per minute"],
            [
                [
                    f"{p(times, 50):.2f}",
                    f"{p(times, 99):.2f}",
                    f"{p(times, 99.9):.1f}",
                    f"{max(times, default=0):.1f}",
                    *stalls,
                    f"{stalls[1] / minutes:.1f}",
                ]
            ],
        ),
    ]


def file_system(folder: Path) -> str:
    """The mount holding `folder` (the longest mount point above it): its type and device, from /proc/mounts."""
    mounts = [line.split()[:3] for line in Path("/proc/mounts").read_text().splitlines()]
    device, mount, kind = max(
        (m for m in mounts if folder.resolve().is_relative_to(m[1])), key=lambda m: len(m[1]), default=("?", "", "?")
    )
    return f"{kind} on {device}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folder", type=Path, default=Path("/var/lib/postgresql"), help="where to write")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--wait-quiet", type=float, default=0, help="minutes to wait for a quiet machine first")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    if not args.folder.is_dir():
        parser.error(f"{args.folder} is not a folder")
    quiet = stack.wait_until_quiet(args.wait_quiet) if args.wait_quiet else "not checked"
    started = stack.load_average()
    times = flush_times(args.folder, args.seconds)
    lines = report(args.folder, args.seconds, times, stack.report_header(quiet, started))
    print("\n".join(lines))
    if not args.no_write:
        stack.write_section("disk-flush", lines)


if __name__ == "__main__":
    main()
