"""Run the benchmarks: ``python -m benchmarks [--sizes 10000,100000,1000000] [--only cli|gui]``.

Builds a synthetic logbook of each size (``logbook demo``), measures every row of issue 3's target table
(the command line against the ``sqlite3`` command line in the same run, the window offscreen through the real
main window), prints one table and writes it with the machine and the date to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import time
from pathlib import Path

from benchmarks import cli_bench, gui_bench
from benchmarks.report import Measurement, format_table
from logbook.services.demo import create_demo

HERE = Path(__file__).resolve().parent
DEFAULT_SIZES = (10_000, 100_000, 1_000_000)


def demo_logbook(workdir: Path, rows: int) -> tuple[Path, Measurement]:
    """A fresh synthetic logbook of ``rows`` incidents, and how long making it took."""
    path = workdir / f"demo-{rows}.sqlite3"
    for stale in workdir.glob(f"{path.name}*"):
        stale.unlink()
    started = time.perf_counter()
    create_demo(path, rows, seed=rows)
    took = time.perf_counter() - started
    return path, Measurement("logbook demo: create the synthetic logbook", rows, took, "s", None)


def machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, {memory:.0f} GiB, " \
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="comma-separated row counts")
    parser.add_argument("--only", choices=("cli", "gui"), help="run one half only")
    parser.add_argument("--workdir", type=Path, default=HERE / ".work", help="where the logbooks are built")
    parser.add_argument("--no-write", action="store_true", help="print the table without updating RESULTS.md")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    measurements: list[Measurement] = []
    for rows in (int(size) for size in args.sizes.split(",")):
        db, made = demo_logbook(args.workdir, rows)
        measurements.append(made)
        if args.only in (None, "cli"):
            measurements += cli_bench.measure(db, rows, args.workdir)
        if args.only in (None, "gui"):
            measurements += gui_bench.measure(db, rows)
        print(format_table([m for m in measurements if m.rows == rows]), flush=True)
    table = format_table(measurements)
    print(f"\n{table}")
    if not args.no_write:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        (HERE / "RESULTS.md").write_text(
            f"# Benchmark results\n\nMachine: {machine()}\nDate: {stamp}\nCommand: `python -m benchmarks "
            f"--sizes {args.sizes}{' --only ' + args.only if args.only else ''}`\n\n{table}\n",
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
