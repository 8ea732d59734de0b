"""Time and peak memory of Find on ~20 million activity rows, against a bare DuckDB scan and pandas.

Run with ``.venv/bin/python benchmarks/find.py`` (``--scale 0.2`` for a quicker run). The
synthetic population (seed 2025, shared reference folder when present) is generated once into
``var/bench/s<scale>`` and reused. A fresh Python process then:

(a) loads the tables through the contracts (``load_dataset``: DuckDB in memory), and times a
    *bare scan*: one ``GROUP BY`` per activity table over a few key columns (month of the
    period column, the last character of ``person_id``), the floor any aggregation must pay;
(b) times the whole Find: ``aggregate`` (every indicator, period and breakdown), ``find``
    (estimates, comparisons, q-values, gradients, disclosure control, ranking) and, apart,
    the HTML report;
(c) times a straightforward pandas implementation of the same breakdowns for the two A&E
    indicators (read Parquet, merge persons and IMD, one ``groupby`` per dimension), against
    the engine on the same two indicators.

Peak memory is the resident set of that process (``ru_maxrss``: data, DuckDB and Python).
Results go to ``benchmarks/results/find.md``. Not part of the tests: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).parent / "results"
REFERENCE = ROOT.parent / "shared" / "data"

_CHILD = r"""
import json, resource, sys, tempfile, time
from pathlib import Path
import numpy as np
import pandas as pd
from focuson.data.contracts import load_dataset, read_mapping
from focuson.engine import aggregate, indicators_frame, load_default_catalogue
from focuson.engine.breakdowns import ETHNICITY_6, imd_frame
from focuson.find.findings import find
from focuson.reports import write_find_report

folder = Path(sys.argv[1])
mapping = read_mapping(folder / "focuson.toml")
imd = mapping.reference_lsoa
cat = load_default_catalogue()
out = {}
PERIOD_COLUMN = {
    "rtt_pathways": "clock_start", "diagnostic_waits": "requested", "ae_attendances": "arrival",
    "cancer_pathways": "referral", "screening": "invited", "hypertension": "diagnosed",
    "admissions": "admitted",
}
t = time.perf_counter()
with load_dataset(mapping) as data:
    out["load"] = time.perf_counter() - t
    con = data.connection
    out["activity_rows"] = int(sum(
        con.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name in PERIOD_COLUMN
    ))
    out["people"] = int(con.execute("SELECT count(*) FROM persons").fetchone()[0])
    t = time.perf_counter()
    for name, column in PERIOD_COLUMN.items():
        con.execute(
            f"SELECT date_trunc('month', {column}) AS m, "
            f"right(CAST(person_id AS VARCHAR), 1) AS k, count(*) FROM {name} GROUP BY ALL"
        ).fetchall()
    out["bare"] = time.perf_counter() - t
    t = time.perf_counter()
    aggregates = aggregate(data, cat, imd=imd)
    out["aggregate"] = time.perf_counter() - t
    out["aggregate_rows"] = len(aggregates)
    t = time.perf_counter()
    ae = aggregate(data, cat.select(["ae_4_hours", "ae_over_12_hours"]), imd=imd)
    out["engine_ae"] = time.perf_counter() - t
t = time.perf_counter()
indicators = indicators_frame(cat)
result = find(aggregates, indicators)
out["find"] = time.perf_counter() - t
t = time.perf_counter()
with tempfile.TemporaryDirectory() as tmp:
    write_find_report(
        result.findings, result.gradients, indicators, Path(tmp) / "report.html",
        rank_all_periods=True,
    )
out["report"] = time.perf_counter() - t

# (c) pandas, the straightforward way: the two A&E indicators, every dimension.
t = time.perf_counter()
persons = pd.read_parquet(folder / "persons.parquet")
rows = pd.read_parquet(folder / "ae_attendances.parquet")
area = imd_frame(imd)
people = persons.merge(area, left_on="lsoa", right_on="lsoa", how="left")
rows = rows.merge(people, on="person_id")
arrival = rows["arrival"]
rows["period"] = arrival.dt.strftime("%Y-%m")
born = pd.to_datetime(rows["date_of_birth"])
day = arrival.dt.normalize()
num = lambda d: d.dt.year * 10000 + d.dt.month * 100 + d.dt.day
rows["age"] = ((num(day) - num(born)) // 10000).clip(lower=0)
rows = rows[arrival.dt.to_period("M").dt.end_time <= pd.Timestamp("2025-03-31 23:59:59")]
hours = (rows["departure"] - rows["arrival"]).dt.total_seconds() / 3600
rows["n0"] = (hours <= 4).astype(int)
rows["n1"] = (hours > 12).astype(int)
rows["d"] = 1
decile = rows["imd_decile"]
labels = {
    "overall": pd.Series("All", index=rows.index),
    "imd_decile": decile.astype("Int64").astype(str).replace("<NA>", "Not known"),
    "imd_quintile": ((decile + 1) // 2).astype("Int64").astype(str).replace("<NA>", "Not known"),
    "sex": rows["sex"],
    "age_band_5y": (rows["age"] // 5).clip(upper=18).astype(str),
    "age_band_broad": pd.cut(rows["age"], [-1, 17, 64, 79, 200]).astype(str),
    "ethnicity_5": rows["ethnicity"].map({k: v for k, v in ETHNICITY_6.items()}),
    "ethnicity_6": rows["ethnicity"].map(ETHNICITY_6),
    "ethnicity_code": rows["ethnicity"],
    "borough": rows["borough"].fillna("Not known"),
}
labels["imd_quintile x ethnicity_6"] = labels["imd_quintile"] + " | " + labels["ethnicity_6"]
labels["imd_quintile x age_band_broad"] = labels["imd_quintile"] + " | " + labels["age_band_broad"]
labels["borough x imd_quintile"] = labels["borough"] + " | " + labels["imd_quintile"]
parts = []
for dim, group in labels.items():
    g = rows[["period", "n0", "n1", "d"]].assign(group=group.values)
    parts.append(g.groupby(["period", "group"])[["n0", "n1", "d"]].sum().assign(dimension=dim))
pandas_frame = pd.concat(parts)
out["pandas_ae"] = time.perf_counter() - t
out["pandas_ae_rows"] = len(rows)
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def ensure_data(scale: float) -> Path:
    folder = ROOT / "var" / "bench" / f"s{scale:g}"
    if not (folder / "focuson.toml").is_file():
        from focuson.data.synthetic import generate

        reference = REFERENCE if REFERENCE.is_dir() else None
        generate(folder, scale=scale, seed=2025, reference_dir=reference)
    return folder


def measure(folder: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(folder)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def write(scale: float, r: dict[str, float], path: Path) -> str:
    whole = r["aggregate"] + r["find"]
    lines = [
        "# Find: time and memory on the synthetic population",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}. Written by `benchmarks/find.py`; scale {scale:g}, "
        "seed 2025.",
        "",
        f"Data: {int(r['people']):,} people, {int(r['activity_rows']):,} activity rows "
        f"(7 tables), loaded through the contracts into DuckDB in {r['load']:.1f} s.",
        "",
        "| step | time (s) | x bare scan |",
        "|---|---:|---:|",
        f"| (a) bare DuckDB scan: one GROUP BY per activity table | {r['bare']:.2f} | 1.0 |",
        f"| (b) aggregate: 14 indicators x every period x 13 dimensions "
        f"({int(r['aggregate_rows']):,} cells) | {r['aggregate']:.2f} | "
        f"{r['aggregate'] / r['bare']:.1f} |",
        f"| (b) find: estimates, comparisons, q-values, gradients, disclosure, ranking "
        f"| {r['find']:.2f} | {r['find'] / r['bare']:.1f} |",
        f"| (b) **whole Find** (aggregate + find) | **{whole:.2f}** | "
        f"**{whole / r['bare']:.1f}** |",
        f"| (b) HTML report (apart) | {r['report']:.2f} | {r['report'] / r['bare']:.1f} |",
        "",
        f"Peak memory (resident set of the whole process: data in DuckDB, Find, report and "
        f"the pandas comparison): {r['peak_mb']:,.0f} MB.",
        "",
        "(c) pandas against the engine, the two A&E indicators (ae_4_hours, ae_over_12_hours), "
        f"every period and dimension, {int(r['pandas_ae_rows']):,} attendances:",
        "",
        "| implementation | time (s) |",
        "|---|---:|",
        f"| engine (`aggregate`, DuckDB, data already loaded) | {r['engine_ae']:.2f} |",
        f"| straightforward pandas (read Parquet, merge, one groupby per dimension) "
        f"| {r['pandas_ae']:.2f} |",
        f"| ratio pandas / engine | {r['pandas_ae'] / r['engine_ae']:.1f} |",
        "",
    ]
    text = "\n".join(lines)
    path.write_text(text + NOTES)
    return text


NOTES = """
## Notes

- The issue's target, the whole Find within 2x a bare GROUP BY scan, is **not met**: see the
  ratio above. A bare scan reads each activity row once; Find must place every waiting-list
  row at every month-end census date it is open at (RTT at 36 census dates: about 20 million
  row-months from 4.2 million pathways; diagnostics about 12 million), and the emergency
  admission rate needs the whole population at every month end (5.5 million people, grouped
  first by person key and month of birth to 1.5 million, then x 24 months, 36 million rows,
  before the second round below).
  Each of those expansions, and the group-by into a base cube of about a million cells, costs
  more than the bare scan of all tables together. See `src/focuson/engine/aggregate.py` for
  what was done (integer person keys, a cached people table, population by month of birth,
  roll-ups of the cube in numpy) and what remains (below).
- Done since: census rows are expanded with `unnest(range(...))` of month indices after the
  person join (one probe per pathway instead of per row-month; RTT cube query about 7.6 s
  against 12-13 s before, measured in one process on a busy machine), and the cube leaves
  DuckDB through Arrow (`to_pyarrow().to_pandas()`: Ibis's `to_pandas` spent longer converting
  a million-cell cube than DuckDB spent computing it). At scale 0.2 `aggregate` went from
  7.6 s to 4.1 s (one run each); results identical cell for cell.
- Done since (second round): the population of a rate whose filters ignore the period is
  counted as changes at birthdays instead of people x months (each person key and month of
  birth gives two rows per age it has in the window, `+n` and `-n`, filters evaluated at each
  age; the roll-up sums the changes over months), and dimensions without age are rolled up
  from the cube summed over age bands first. Measured A/B in one process at scale 0.2 on a
  busy machine (load 2-5): emergency admissions 1.39 s -> 0.85 s (best of two runs), the RTT
  roll-up 0.36 s -> 0.21 s, all 14 indicators 3.83 s -> 2.90 s (best of four alternating
  runs); aggregates identical cell for cell, and identical on PySpark and PostgreSQL
  (`tests/engines`). After both rounds, on a quiet machine (load average 1.2), `aggregate` took
  15.2 s against 21.8 s before the first round, and the whole Find 12.5x the bare scan
  against 20.5x. The table above is later still: the synthetic data now declare their
  `coverage_from` (2023-04-01), so no month before the window is reported (104,095
  cells instead of 108,799): aggregate 12.9 s, the whole Find 12.1x. Then the synthetic
  RTT waiting list was put in steady state (clock starts from 3 years before the window, so
  more long waits on every list): the table above, aggregate 13.1 s, the whole Find 12.9x.
  The 2x target is still not met.
- Left to try: the census passes (RTT, diagnostics) are now most of the time: one row per
  pathway and month open, then a group-by with almost as many cells as rows (about 1.5
  million row-months into 600,000 cells for RTT at scale 0.2); their filters use the period,
  so they cannot move before the expansion. Packing the three cube keys into one integer did
  not help (measured). A coarser cube per dimension family would cut the cells.
- The pandas comparison covers one table (event indicators, no census expansion); a pandas
  version of the census and population passes would be slower still (same expansions,
  single-threaded). Extrapolating by activity rows is not meaningful because the passes differ
  in cost; the ratio is for the A&E pass only.
- Before the previous change (the engine as first written: string cube keys, persons and IMD
  joined every pass, persons x months, 13-way union rolled up in the engine) `aggregate` took
  about 30 s on the same data (one measurement, partly on a busy machine) and peaked at 2.7 GB.
  The peak memory above includes the data loaded into DuckDB and the pandas comparison
  (4 million rows merged with 5.5 million people), which dominates it.
- Timings depend on the load of the machine: the bare scan is measured in the same process
  just before, so the ratios are more stable than the seconds.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=2.6)
    args = parser.parse_args()
    folder = ensure_data(args.scale)
    result = measure(folder)
    RESULTS.mkdir(exist_ok=True)
    # The scale (20 million activity rows) goes to find.md; a quicker run apart.
    name = "find.md" if args.scale == 2.6 else f"find-s{args.scale:g}.md"
    print(write(args.scale, result, RESULTS / name))


if __name__ == "__main__":
    main()
