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
    the engine on the same two indicators;
(d) times a *floor* in hand-written SQL: every activity row joined to its person (census rows
    at every month end they are open at) and grouped by month and sex, the least any Find of
    this catalogue must do, and each pass of ``aggregate`` alone;
(e) makes one table of about 20 million rows (the A&E attendances five times) and times its
    bare scan against the whole Find of its two indicators: the issue's wording taken
    literally.

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
    # Each pass alone (the people table is built each time: about 0.6 s of each).
    passes = {}
    for ind in cat:
        passes.setdefault(ind.table, []).append(ind.id)
    for name, ids in passes.items():
        t = time.perf_counter()
        aggregate(data, cat.select(ids), imd=imd)
        out[f"pass:{name}"] = time.perf_counter() - t
    # (d) The floor: the least any Find of this catalogue must do, in hand-written SQL: every
    # activity row joined to its person (census rows at every month end they are open at in
    # the reporting window) and grouped by month and one breakdown (sex), and the population
    # grouped by month of birth. No filters, no age, no IMD, no cube, no statistics.
    lo, hi = 2023 * 12 + 3, 2025 * 12 + 2  # April 2023 to March 2025, as month numbers
    floor = []
    for name, column in PERIOD_COLUMN.items():
        month = f"(year({column}) * 12 + month({column}) - 1)"
        until = {"rtt_pathways": "clock_stop", "diagnostic_waits": "tested"}.get(name)
        if until is None:
            rows = f"(SELECT {month} AS k, person_id FROM {name})"
        else:
            end = f"least(coalesce(year({until}) * 12 + month({until}) - 1, {hi}), {hi})"
            rows = (
                f"(SELECT unnest(range(greatest({month}, {lo}), {end} + 1)) AS k, person_id "
                f"FROM {name})"
            )
        floor.append(
            f"SELECT k, p.sex, count(*) FROM {rows} AS a JOIN persons AS p USING (person_id) "
            "GROUP BY ALL"
        )
    floor.append(
        "SELECT year(date_of_birth) * 12 + month(date_of_birth) AS k, sex, count(*) "
        "FROM persons GROUP BY ALL"
    )
    t = time.perf_counter()
    for sql in floor:
        con.execute(sql).fetchall()
    out["floor"] = time.perf_counter() - t
    # (e) One table of about 20 million rows: A&E attendances, each five times (new ids).
    con.execute(
        "CREATE OR REPLACE TABLE ae_attendances AS SELECT attendance_id || '-' || r AS "
        "attendance_id, person_id, provider, department_type, arrival, departure "
        "FROM ae_attendances, range(5) AS t(r)"
    )
    out["one_rows"] = con.execute("SELECT count(*) FROM ae_attendances").fetchone()[0]
    t = time.perf_counter()
    con.execute(
        "SELECT date_trunc('month', arrival) AS m, right(CAST(person_id AS VARCHAR), 1) AS k, "
        "count(*) FROM ae_attendances GROUP BY ALL"
    ).fetchall()
    out["one_bare"] = time.perf_counter() - t
    ae_cat = cat.select(["ae_4_hours", "ae_over_12_hours"])
    t = time.perf_counter()
    one = aggregate(data, ae_cat, imd=imd)
    out["one_aggregate"] = time.perf_counter() - t
    t = time.perf_counter()
    find(one, indicators_frame(ae_cat))
    out["one_find"] = time.perf_counter() - t
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
        f"| (d) floor: rows joined to persons (census rows at each month open), grouped by "
        f"month and sex; no filters, age, IMD or statistics | {r['floor']:.2f} | "
        f"{r['floor'] / r['bare']:.1f} |",
        "",
        "Each pass of `aggregate` alone (each builds the people table, about 0.6 s):",
        "",
        "| table | time (s) |",
        "|---|---:|",
        *(
            f"| {k.removeprefix('pass:')} | {v:.2f} |"
            for k, v in r.items()
            if k.startswith("pass:")
        ),
        "",
        f"(e) One table of {int(r['one_rows']):,} rows (the A&E attendances, each five times "
        "with new ids), the issue's wording taken literally:",
        "",
        "| step | time (s) | x bare scan |",
        "|---|---:|---:|",
        f"| bare DuckDB scan: one GROUP BY of the table | {r['one_bare']:.2f} | 1.0 |",
        f"| aggregate: 2 indicators x every period x 13 dimensions | {r['one_aggregate']:.2f} "
        f"| {r['one_aggregate'] / r['one_bare']:.1f} |",
        f"| find | {r['one_find']:.2f} | {r['one_find'] / r['one_bare']:.1f} |",
        f"| **whole Find** | **{r['one_aggregate'] + r['one_find']:.2f}** | "
        f"**{(r['one_aggregate'] + r['one_find']) / r['one_bare']:.1f}** |",
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

- **The issue's target, the whole Find within 2x a bare GROUP BY scan, is not met**, and the
  floor (d) shows why it cannot be for this catalogue. A bare scan reads each activity row once
  and groups it by two cheap keys. Any Find of these indicators must also join every row to its
  person (deprivation, sex, age, ethnicity and borough live in `persons`) and place every
  waiting-list row at every month-end census date it is open at: 17.5 million RTT row-months
  from 4.2 million pathways, and the diagnostics list likewise. The floor does only that (no
  filters, no age, no IMD, one breakdown, no statistics) in hand-written DuckDB SQL, and it
  already costs 3.5x the bare scan. The whole Find is about 3x its floor.
- (e) takes the issue's wording literally: one table of 20 million rows (event indicators, no
  census expansion). There the whole Find is 3.6x its bare scan: the join to the people table
  and the group-by into a cube of about a million cells (period x person key x age band) each
  cost about as much as the bare scan. Hand-written SQL of just that join and group-by (no
  roll-up, no statistics) measured 2.8x the bare scan on the A&E table; `GROUPING SETS` of four
  small cubes instead of one large one, 2.4x; so 2x is out of reach on this table too without
  leaving out breakdowns.
- What was done, in rounds, each checked cell for cell against the previous aggregates and on
  PySpark and PostgreSQL (`tests/engines`):
  1. integer person keys and one cached people table instead of joining persons and the IMD
     lookup every pass; population counted by month of birth; roll-ups in numpy instead of a
     13-way union in the engine (about 30 s to 21.8 s);
  2. census rows expanded with `unnest(range(...))` after the person join; the cube out of
     DuckDB through Arrow; the population of a rate as changes at birthdays instead of people
     x months; dimensions without age rolled up from the cube summed over age first (21.8 s to
     15.2 s);
  3. (this table) a rate's population as changes at fine age-band edges when no filter uses
     the age (the emergency admissions population query 1.5 s to 1.05 s); each distinct
     denominator of a pass computed once; cube combinations labelled by the keys each
     dimension reads; a census denominator that restates the period's open test expands rows
     to the months they are open at and tests only the rest (RTT pass 3.2 s to 2.7 s).
     Measured on a DuckDB file of the same data: `aggregate` 11.9 s to 10.7 s. Between rounds
     2 and 3 the synthetic data changed (coverage from April 2023, a steady-state RTT list).
- Tried and dropped, measured: packing the three cube keys into one integer; DuckDB's perfect
  hash aggregate (`perfect_ht_threshold` up to 30 bits: not used for computed keys);
  `GROUPING SETS` on the RTT pass (no faster than the one cube); a range join of rows to the
  months table instead of `unnest` (slower); `preserve_insertion_order=false` (within noise).
  Left: expanding census rows only at the months a count changes (about 10 million rows
  instead of 17.5 million for RTT; needs every filter term solved for the first month it
  changes at).
- Each pass measured alone includes building the people table (0.6 s); the passes together
  build it once, so they add up to more than (b).
- The pandas comparison (c) covers one table (event indicators, no census expansion); a pandas
  version of the census and population passes would be slower still (same expansions,
  single-threaded).
- The peak memory includes the data loaded into DuckDB and the pandas comparison (4 million
  rows merged with 5.5 million people), which dominates it.
- Timings vary by 10-20% between runs on this virtual machine (three runs within five
  minutes: whole Find 14.6 s, 12.6 s and the 11.9 s above). The bare scan and the floor are
  measured in the same process just before, so the ratios are steadier than the seconds.
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
