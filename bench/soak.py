"""A soak: the simulated day (bench/simulated_day.py) with the server processes' memory and errors watched.

    .venv/bin/python -m bench.soak [--speed 20] [--hours 8] [--sample-seconds 30] [--warm-up 5] [...]

It takes every option of the simulated day and runs the same day, with the same checks. On top of
them, every `--sample-seconds` it reads the resident memory (VmRSS in /proc) and the open file
descriptors (sockets, mostly) of every server process: both gunicorn masters, their gevent workers,
and nginx's master and worker. A worker whose pid changes (gunicorn restarted it) is an error. At the
end it scans the servers' logs and nginx's error log for errors, critical messages and tracebacks, and
adds the day's own count of 5xx answers, requests left without an answer and dropped connections.

Memory is judged after a warm-up (the first `--warm-up` real minutes: imports, pools and caches
filling up). A day's load rises to a mid-morning peak and falls, so memory that grows with the
number of open connections and waiting tickets rises with it and need not come down (Python keeps
freed memory for reuse). A leak keeps growing after the peak: the verdict is on the least-squares
slope over the second half of the samples after the warm-up, where the load falls; a process is
flat when that slope, times the half's length, is under 5 MiB or 3 % of its RSS. The slope over all
samples after the warm-up is reported too.

It rewrites the `simulated-day` block of docs/benchmarks.md (as bench.simulated_day does) and the
`soak` block, and exits non-zero if any check failed.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import time
from collections import Counter as Tally
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import simulated_day, stack

# A log line that is an error: gunicorn's "[ERROR]"/"[CRITICAL]", the app's JSON logs (the day's servers run
# with LOG_FORMAT=json) or its text format ("... ERROR name: message"), Flask's own ("] ERROR in app: "),
# nginx's error log levels from error up.
LEVELS = r"\[{0}\]|\"level\": \"{0}\"| {0} [\w.]+: |\] {0} in \w+: "
ERROR_LINE = re.compile(LEVELS.format("(ERROR|CRITICAL)") + r"|\[(error|crit|alert|emerg)\]")
WARNING_LINE = re.compile(LEVELS.format("WARNING") + r"|\[warn\]")
TRACEBACK = "Traceback (most recent call last)"
FLAT_MIB, FLAT_SHARE = 5.0, 0.03


def children(pid: int) -> list[int]:
    with contextlib.suppress(OSError):
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    return []


def open_files(pid: int) -> int:
    with contextlib.suppress(OSError):
        return len(os.listdir(f"/proc/{pid}/fd"))
    return -1


def by_file(tally: Tally) -> str:
    return f" {dict(tally)}" if tally else ""


def clock(minute: float | None, before: str = "", after: str = "") -> str:
    """A simulated minute of the day as HH:MM; nothing before the day has started."""
    return "" if minute is None else before + "{:02d}:{:02d}".format(*divmod(int(minute), 60)) + after


def slope_per_hour(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, MiB) points, in MiB per hour."""
    if len(points) < 2:
        return float("nan")
    n = len(points)
    mean_t = sum(t for t, _ in points) / n
    mean_m = sum(m for _, m in points) / n
    spread = sum((t - mean_t) ** 2 for t, _ in points)
    if spread == 0:
        return float("nan")
    return sum((t - mean_t) * (m - mean_m) for t, m in points) / spread * 3600


@dataclass
class Sample:
    seconds: float  # real seconds since the monitor started
    simulated: float | None  # simulated minute of the day, once the day has started
    rss_kib: int
    files: int
    pid: int


@dataclass
class Series:
    """One process's samples: gunicorn master or worker, nginx master or worker."""

    name: str
    samples: list[Sample] = field(default_factory=list)
    pids: list[int] = field(default_factory=list)  # every pid seen in this role; more than one is a restart

    def mib(self, sample: Sample) -> float:
        return sample.rss_kib / 1024


@dataclass
class Monitor:
    interval: float = 30
    warm_up_minutes: float = 5
    simulated: Callable[[], float] | None = None
    series: dict[str, Series] = field(default_factory=dict)
    logs: list[Path] = field(default_factory=list)
    log_errors: Tally = field(default_factory=Tally)  # log file -> error lines
    log_warnings: Tally = field(default_factory=Tally)
    tracebacks: Tally = field(default_factory=Tally)
    examples: list[str] = field(default_factory=list)
    vanished: list[str] = field(default_factory=list)
    day: dict = field(default_factory=dict)

    def start(self, roots: dict[str, int], logs: list[Path]) -> None:
        """Watch each named root process and its children (gunicorn's worker, nginx's worker)."""
        self.roots = roots
        self.logs = logs
        self.started = time.monotonic()
        self.sample()
        self.task = asyncio.create_task(self.loop())

    async def loop(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            self.sample()
            print("memory " + ", ".join(f"{s.name} {s.mib(s.samples[-1]):.0f}" for s in self.series.values())
                  + " MiB", flush=True)  # fmt: skip

    def sample(self) -> None:
        now = time.monotonic() - self.started
        simulated = self.simulated() if self.simulated else None
        for name, root in self.roots.items():
            kids = children(root)
            roles = [(f"{name} master", root)] + [
                (f"{name} worker" + (f" {i + 1}" if len(kids) > 1 else ""), kid) for i, kid in enumerate(kids)
            ]
            if not kids:
                self.vanished.append(f"{name}: no worker at {now / 60:.1f} min")
            for role, pid in roles:
                series = self.series.setdefault(role, Series(role))
                try:
                    rss = stack.rss_kib(pid)
                except (OSError, RuntimeError):
                    self.vanished.append(f"{role} (pid {pid}) gone at {now / 60:.1f} min")
                    continue
                if pid not in series.pids:
                    series.pids.append(pid)
                series.samples.append(Sample(now, simulated, rss, open_files(pid), pid))

    async def finish(self, day, displays) -> None:
        """The last sample, the logs read, and the day's own error counts kept for the report."""
        self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.task
        self.sample()
        for path in self.logs:
            if not path.exists():
                self.vanished.append(f"log {path} missing")
                continue
            for line in path.read_text(errors="replace").splitlines():
                if TRACEBACK in line:
                    self.tracebacks[path.name] += 1
                if ERROR_LINE.search(line):
                    self.log_errors[path.name] += 1
                    if len(self.examples) < 10:
                        self.examples.append(f"{path.name}: {line.strip()[:200]}")
                elif WARNING_LINE.search(line):
                    self.log_warnings[path.name] += 1
        stats = day.stats
        self.day = {
            "requests": stats.requests,
            "5xx": dict(stats.server_errors),
            "no answer": dict(stats.failures),
            "crashed in the script": dict(stats.crashed),
            "phone connections dropped": sum(p.dropped for p in day.phones),
            "phones that could not connect": stats.phone_failures,
            "display connections dropped": sum(d.dropped for _, d in displays),
        }

    # --- the report ---

    def judged(self, series: Series) -> dict:
        """Figures for one process: first, end of warm-up, max, last, slopes, and whether it stayed flat."""
        samples = series.samples
        after = [s for s in samples if s.seconds >= self.warm_up_minutes * 60] or samples[-1:]
        second_half = [s for s in after if s.seconds >= (after[0].seconds + after[-1].seconds) / 2]
        peak = max(samples, key=lambda s: s.rss_kib)
        slope = slope_per_hour([(s.seconds, series.mib(s)) for s in after])
        late_slope = slope_per_hour([(s.seconds, series.mib(s)) for s in second_half])
        late_hours = (second_half[-1].seconds - second_half[0].seconds) / 3600 if second_half else 0
        rise = late_slope * late_hours if late_slope == late_slope else 0.0  # NaN: too few samples
        tolerance = max(FLAT_MIB, FLAT_SHARE * series.mib(peak))
        return {
            "first": series.mib(samples[0]),
            "warm": series.mib(after[0]),
            "max": series.mib(peak),
            "max_at": peak,
            "last": series.mib(samples[-1]),
            "slope": slope,
            "late_slope": late_slope,
            "rise": rise,
            "flat": rise <= tolerance and len(series.pids) == 1,
            "files": (samples[0].files, max(s.files for s in samples), samples[-1].files),
        }

    def report(self) -> tuple[list[str], bool]:
        rows, flat = [], True
        for series in self.series.values():
            f = self.judged(series)
            flat &= f["flat"]
            restarts = f" (restarted: pids {series.pids})" if len(series.pids) > 1 else ""
            rows.append(
                [
                    series.name + restarts,
                    f"{f['first']:.1f}",
                    f"{f['warm']:.1f}",
                    f"{f['max']:.1f} at {f['max_at'].seconds / 60:.0f} min{clock(f['max_at'].simulated, ' (', ')')}",
                    f"{f['last']:.1f}",
                    f"{f['slope']:+.1f}",
                    f"{f['late_slope']:+.1f}",
                    f"{f['rise']:+.1f}",
                    "/".join(str(n) for n in f["files"]),
                    "yes" if f["flat"] else "**NO**",
                ]
            )
        duration = max((s.samples[-1].seconds for s in self.series.values() if s.samples), default=0) / 60
        count = max((len(s.samples) for s in self.series.values()), default=0)
        lines = [
            f"{count} samples of every server process over {duration:.1f} real minutes, every {self.interval:g} s; "
            f"warm-up: the first {self.warm_up_minutes:g} min. RSS in MiB (VmRSS from /proc); slopes in MiB per "
            f"real hour by least squares; *rise* is the second-half slope times the second half's length; a "
            f"process is flat when its rise is under {FLAT_MIB:g} MiB or {FLAT_SHARE:.0%} of its peak and it was "
            "never restarted. *fds* counts open file descriptors (mostly sockets) first/max/last.",
            "",
            *stack.table(
                [
                    "process",
                    "first",
                    "after warm-up",
                    "max",
                    "last",
                    "slope after warm-up",
                    "slope, 2nd half",
                    "rise, 2nd half",
                    "fds",
                    "flat",
                ],
                rows,
            ),
            "",
            *self.timeline(),
        ]
        errors_found = bool(
            sum(self.log_errors.values())
            or sum(self.tracebacks.values())
            or self.vanished
            or any(self.day[k] for k in self.day if k != "requests")
        )
        lines += [
            "",
            f"- {'PASS' if flat else 'FAIL'}: memory of every server process flat after the warm-up",
            f"- {'FAIL' if errors_found else 'PASS'}: no errors. HTTP: {self.day['requests']} requests, "
            + ", ".join(f"{k} {v or 0}" for k, v in self.day.items() if k != "requests")
            + f". Logs ({', '.join(p.name for p in self.logs)}): {sum(self.log_errors.values())} error lines"
            f"{by_file(self.log_errors)}, {sum(self.tracebacks.values())} tracebacks{by_file(self.tracebacks)}, "
            f"{sum(self.log_warnings.values())} warnings{by_file(self.log_warnings)}"
            + (f"; processes: {self.vanished[:5]}" if self.vanished else "")
            + ".",
        ]
        if self.examples:
            lines += ["", "First error lines:", "", "```", *self.examples, "```"]
        return lines, flat and not errors_found

    def timeline(self, rows: int = 12) -> list[str]:
        """Every few samples, the workers' memory and descriptors with the simulated time: the day's shape."""
        workers = [s for s in self.series.values() if "worker" in s.name]
        if not workers:
            return []
        length = min(len(s.samples) for s in workers)
        step = max(1, round(length / rows))
        picks = sorted({*range(0, length, step), length - 1})
        table_rows = []
        for i in picks:
            first = workers[0].samples[i]
            table_rows.append(
                [f"{first.seconds / 60:.1f}", clock(first.simulated) or "before opening"]
                + [f"{s.mib(s.samples[i]):.1f} / {s.samples[i].files}" for s in workers]
            )
        return stack.table(
            ["real min", "simulated", *(f"{s.name} MiB / fds" for s in workers)],
            table_rows,
        )


def main() -> None:
    parser = simulated_day.parser(__doc__)
    parser.add_argument("--sample-seconds", type=float, default=30, help="seconds between memory samples")
    parser.add_argument("--warm-up", type=float, default=5, help="real minutes left out of the memory verdict")
    args = parser.parse_args()
    monitor = Monitor(interval=args.sample_seconds, warm_up_minutes=args.warm_up)
    result, header, day_lines = simulated_day.run(args, monitor)
    soak_lines, soak_passed = monitor.report()
    soak_lines = [*header, *soak_lines, "", f"Overall: {'passed' if soak_passed else 'FAILED'}."]
    print("\n".join(day_lines), "", "\n".join(soak_lines), sep="\n")
    if not args.no_write:
        stack.write_section("simulated-day", day_lines)
        stack.write_section("soak", soak_lines)
    raise SystemExit(0 if result.passed and soak_passed else 1)


if __name__ == "__main__":
    main()
