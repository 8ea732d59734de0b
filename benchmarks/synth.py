"""Time and peak memory of the synthetic North West London generator at scale 1 and 10.

Run with ``.venv/bin/python benchmarks/synth.py`` (``--scales 1`` for scale 1 only, ``--quick``
for a smoke run at scale 0.05). Each scale runs in a fresh Python process that generates into a
temporary folder and reports its own peak resident memory (``getrusage`` ``ru_maxrss``: the whole
process, interpreter and libraries included) and the wall time of ``generate``; the folder's
size on disk is measured and the folder deleted. Results go to ``benchmarks/results/synth.md``.
The shared reference folder (``../shared/data`` next to the repository) is used when present,
as the demo does. Not part of the tests: timings depend on the machine.

The issue's targets: scale 1 in under 2 minutes on 2 cores; scale 10 with peak memory under
2 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

RESULTS = Path(__file__).parent / "results"
REFERENCE = Path(__file__).resolve().parents[1].parent / "shared" / "data"

_CHILD = """
import json, resource, sys, time
from focuson.data.synthetic import generate
out, scale, reference = sys.argv[1], float(sys.argv[2]), sys.argv[3] or None
start = time.perf_counter()
summary = generate(out, scale=scale, seed=2025, reference_dir=reference)
seconds = time.perf_counter() - start
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_mb": peak_kb / 1024, "rows": summary.rows}))
"""


@dataclass
class Row:
    scale: float
    people: int
    activity_rows: int
    seconds: float
    peak_mb: float
    disk_mb: float

    @property
    def total_rows(self) -> int:
        return self.people + self.activity_rows


def run(scale: float, reference: Path | None) -> Row:
    """Generate at ``scale`` in a child process; time, peak memory and size on disk."""
    folder = Path(tempfile.mkdtemp(prefix=f"focuson-synth-{scale:g}-"))
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, str(folder), str(scale), str(reference or "")],
            check=True,
            capture_output=True,
            text=True,
        )
        result = json.loads(done.stdout.strip().splitlines()[-1])
        disk = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    rows = result["rows"]
    return Row(
        scale=scale,
        people=rows["persons"],
        activity_rows=sum(n for name, n in rows.items() if name != "persons"),
        seconds=result["seconds"],
        peak_mb=result["peak_mb"],
        disk_mb=disk / 2**20,
    )


def write(rows: list[Row], reference: Path | None, path: Path) -> str:
    lines = [
        "# Synthetic North West London: generation time and memory",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, numpy {np.__version__}, pyarrow {pa.__version__}. "
        "Written by `benchmarks/synth.py`.",
        "",
        "Reference data: "
        + ("the shared reference folder (real LSOAs)" if reference else "built-in profile")
        + "; seed 2025, 24 months from 2023-04-01, blocks of 200,000 people.",
        "",
        "| scale | people | activity rows | all rows | time (s) | rows per second | peak memory "
        "(MB) | on disk (MB) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r.scale:g} | {r.people:,} | {r.activity_rows:,} | {r.total_rows:,} | "
            f"{r.seconds:.1f} | {r.total_rows / r.seconds:,.0f} | {r.peak_mb:,.0f} | "
            f"{r.disk_mb:,.0f} |"
        )
    lines += [
        "",
        "Targets (issue 4): scale 1 in under 2 minutes on 2 cores; scale 10 with peak memory",
        "under 2 GB. Peak memory is the resident set of the whole generating process",
        "(interpreter, numpy, pyarrow and one block of people with their activity); it stays",
        "flat as the scale grows because each block is written to Parquet and dropped.",
    ]
    text = "\n".join(lines) + "\n"
    path.write_text(text)
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 10.0])
    parser.add_argument("--quick", action="store_true", help="scale 0.05 only, for a smoke run")
    parser.add_argument("--built-in", action="store_true", help="ignore the reference folder")
    args = parser.parse_args()
    scales = [0.05] if args.quick else args.scales
    reference = None if args.built_in or not REFERENCE.is_dir() else REFERENCE
    rows = []
    for scale in scales:
        rows.append(run(scale, reference))
        print(f"scale {scale:g}: {rows[-1].seconds:.1f} s, {rows[-1].peak_mb:,.0f} MB", flush=True)
    RESULTS.mkdir(exist_ok=True)
    name = "synth-quick.md" if args.quick else "synth.md"
    print(write(rows, reference, RESULTS / name))


if __name__ == "__main__":
    main()
