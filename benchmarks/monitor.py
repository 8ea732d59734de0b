"""Time and peak memory of Monitor on aggregates of a realistic size, against a per-series loop.

Run with ``.venv/bin/python benchmarks/monitor.py``. Builds an AGGREGATES frame synthetically
(no engine: the engine has its own benchmark): the 14 indicators of the default catalogue
(13 proportions and one directly standardised rate, with its 19 age bands) x 36 months x every
group of the 13 Find breakdowns (169 groups, intersections included), about 200,000 rows, with a
planted widening deprivation gap in two indicators. Counts are drawn from
``numpy.random.default_rng(seed=2024)``.

Then times each stage of :func:`focuson.runs.monitor.monitor_aggregates` on it, into a fresh
results folder: the level series (Find's estimates, comparisons and disclosure control on every
month), the gap series, SPC on every level and gap series, the alerts, and the HTML report; and
the whole call. The alternative for the SPC stage is the obvious one: a Python loop over the
series (``groupby``) calling :func:`focuson.spc.xmr` once per series.

Peak memory is the resident set of the process (``ru_maxrss``), measured after building the
frame and after the run. Results go to ``benchmarks/results/monitor.md``. Not part of the tests.
"""

from __future__ import annotations

import platform
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from focuson.engine import indicators_frame, load_default_catalogue
from focuson.monitor.alerts import alerts
from focuson.monitor.series import gap_series, level_series
from focuson.monitor.spc import LEVEL_KEYS, spc_gaps, spc_levels
from focuson.reports.monitor_report import render_monitor_report
from focuson.runs.monitor import monitor_aggregates
from focuson.spc import xmr

RESULTS = Path(__file__).parent / "results"
SEED = 2024
MONTHS = [f"{2022 + m // 12}-{m % 12 + 1:02d}" for m in range(36)]
QUINTILES = [str(q) for q in range(1, 6)]
ETHNIC_6 = ["Asian", "Black", "Mixed", "White", "Other", "Not stated"]
AGE_BROAD = ["0-17", "18-39", "40-64", "65+"]
BOROUGHS = ["Brent", "Ealing", "Hammersmith and Fulham", "Harrow", "Hillingdon", "Hounslow",
            "Kensington and Chelsea", "Westminster"]  # fmt: skip
GROUPS: dict[str, list[str]] = {
    "overall": ["All"],
    "imd_decile": [str(d) for d in range(1, 11)],
    "imd_quintile": QUINTILES,
    "sex": ["F", "M", "U"],
    "age_band_5y": [f"{5 * i}-{5 * i + 4}" for i in range(18)] + ["90+"],
    "age_band_broad": AGE_BROAD,
    "ethnicity_5": ["Asian", "Black", "Mixed", "White", "Other"],
    "ethnicity_6": ETHNIC_6,
    "ethnicity_code": [c for c in "ABCDEFGHJKLMNPRSTZ"],
    "borough": BOROUGHS,
    "imd_quintile x ethnicity_6": [f"{q} | {e}" for q in QUINTILES for e in ETHNIC_6],
    "imd_quintile x age_band_broad": [f"{q} | {a}" for q in QUINTILES for a in AGE_BROAD],
    "borough x imd_quintile": [f"{b} | {q}" for b in BOROUGHS for q in QUINTILES],
}
#: People in each group of a dimension, one month (the dimension's groups share ~2 million).
POPULATION = 2_000_000.0


def synthetic_aggregates(indicators: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """The AGGREGATES frame: every indicator x month x dimension x group (x band for DSRs)."""
    dims = np.repeat(list(GROUPS), [len(g) for g in GROUPS.values()])
    groups = np.concatenate([np.asarray(g, dtype=object) for g in GROUPS.values()])
    share = np.concatenate([np.full(len(g), 1.0 / len(g)) for g in GROUPS.values()])
    deprived = np.isin(groups, ["1", "2"]) | pd.Series(groups).str.startswith("1 |").to_numpy()
    parts = []
    for i, row in enumerate(indicators.itertuples()):
        widening = i in (0, 9)  # RTT within 18 weeks and breast screening
        n_months, n_groups = len(MONTHS), len(groups)
        bands = 19 if row.statistic == "dsr" else 1
        base = rng.uniform(0.3, 0.9)
        p = np.full((n_months, n_groups, bands), base)
        p -= 0.05 * deprived[None, :, None]
        if widening:
            p[24:] -= 0.06 * deprived[None, :, None]
        eligible = POPULATION * 0.02 * share[None, :, None] / bands
        denominator = np.rint(eligible * rng.uniform(0.9, 1.1, size=(n_months, 1, 1)))
        denominator = np.broadcast_to(denominator, p.shape)
        if row.statistic == "dsr":
            numerator = rng.poisson(denominator * 0.01).astype(float)
        else:
            numerator = rng.binomial(denominator.astype(np.int64), np.clip(p, 0, 1)).astype(float)
        # the overall row holds at least what the groups of any one breakdown add up to
        numerator, denominator = _overall(numerator), _overall(np.array(denominator))
        parts.append(
            pd.DataFrame(
                {
                    "indicator": row.id,
                    "period": np.repeat(MONTHS, n_groups * bands),
                    "dimension": np.tile(np.repeat(dims, bands), n_months),
                    "group": np.tile(np.repeat(groups, bands), n_months),
                    "band": np.tile(np.arange(bands) if bands > 1 else [-1], n_months * n_groups),
                    "numerator": numerator.ravel(),
                    "denominator": denominator.ravel(),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def _overall(counts: np.ndarray) -> np.ndarray:
    """Counts (months x groups x bands) with the overall column (group 0) set to the largest
    total of any breakdown's groups."""
    starts = np.cumsum([0, *[len(g) for g in GROUPS.values()]])[1:-1]
    totals = np.add.reduceat(counts, starts, axis=1)
    out = counts.copy()
    out[:, 0, :] = totals.max(axis=1)
    return out


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def loop_spc(levels: pd.DataFrame, indicators: pd.DataFrame) -> int:
    """The alternative: one ``xmr`` call per level series, in a Python loop."""
    ind = indicators.set_index("id")
    n = 0
    for (indicator, _dimension, _group), rows in levels.groupby(LEVEL_KEYS, sort=False):
        values = rows.sort_values("period")["value"].to_numpy(np.float64)
        hib = ind.at[indicator, "polarity"] == "higher_is_better"
        xmr(values, improvement="increase" if hib else "decrease",
            target=ind.at[indicator, "target"])  # fmt: skip
        n += 1
    return n


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    rng = np.random.default_rng(SEED)
    indicators = indicators_frame(load_default_catalogue())
    t_build, agg = timed(lambda: synthetic_aggregates(indicators, rng))
    mem_frame = peak_mb()

    t_levels, levels = timed(lambda: level_series(agg, indicators))
    t_gaps, gaps = timed(lambda: gap_series(agg, indicators, levels))
    t_spc_l, (lp, ls) = timed(lambda: spc_levels(levels, indicators))
    t_spc_g, (gp, gs) = timed(lambda: spc_gaps(gaps))
    t_alerts, found = timed(lambda: alerts(levels, ls, gaps, gs, indicators))
    t_loop, n_loop = timed(lambda: loop_spc(levels, indicators))

    with tempfile.TemporaryDirectory() as folder:
        t_all, run = timed(lambda: monitor_aggregates(agg, indicators, Path(folder)))
        t_report, report = timed(lambda: render_monitor_report(folder))
        report_kb = report.stat().st_size / 1024
        charts = report.read_text(encoding="utf-8").count("<figure ")
        t_again, _ = timed(lambda: monitor_aggregates(agg, indicators, Path(folder), report=False))
    mem_run = peak_mb()

    n_series = len(ls) + len(gs)
    lines = [
        "# focuson.monitor benchmarks",
        "",
        f"Machine: {platform.machine()}, Python {platform.python_version()}, "
        f"numpy {np.__version__}, pandas {pd.__version__}. Written by `benchmarks/monitor.py` "
        f"(data seed {SEED}).",
        "",
        f"AGGREGATES: {len(indicators)} indicators x {len(MONTHS)} months x "
        f"{sum(len(g) for g in GROUPS.values())} groups in {len(GROUPS)} breakdowns (19 age "
        f"bands for the DSR) = {len(agg):,} rows, built in {t_build:.1f} s. Level series: "
        f"{len(ls):,}; gap series: {len(gs):,}; SPC points: {len(lp) + len(gp):,}; alerts: "
        f"{len(found):,}.",
        "",
        "| stage | time (s) |",
        "|---|---:|",
        f"| level series (Find on every month: estimates, comparisons, disclosure) | "
        f"{t_levels:.2f} |",
        f"| gap series (SII/RII, quintile difference and ratio, ethnicity) | {t_gaps:.2f} |",
        f"| SPC on {len(ls):,} level series, vectorised (`spc_levels`) | {t_spc_l:.2f} |",
        f"| SPC on {len(gs):,} gap series, vectorised (`spc_gaps`) | {t_spc_g:.2f} |",
        f"| alerts | {t_alerts:.2f} |",
        f"| report: {charts} SPC figures, {report_kb:,.0f} KB of self-contained HTML | "
        f"{t_report:.2f} |",
        f"| **whole `monitor_aggregates`** (all the above, history written, report) | "
        f"**{t_all:.2f}** |",
        f"| rerun on the same months (history merged, no report) | {t_again:.2f} |",
        "",
        "SPC, side by side with the obvious alternative:",
        "",
        "| SPC on the level series | series | time (s) | speed-up |",
        "|---|---:|---:|---:|",
        f"| vectorised: one `xmr` call per span of months | {len(ls):,} | {t_spc_l:.2f} | "
        f"{t_loop / t_spc_l:.0f}x |",
        f"| per-series Python loop (`groupby`, one `xmr` call each) | {n_loop:,} | "
        f"{t_loop:.2f} | 1x |",
        "",
        f"Peak resident memory: {mem_frame:,.0f} MB after building the frame, {mem_run:,.0f} MB "
        f"after everything ({n_series:,} series; `ru_maxrss` of the process, Python and "
        "libraries included).",
        "",
        f"Drawing is the costliest stage: the report takes {t_report / t_all:.0%} of the whole "
        f"run, about {t_report / max(charts, 1) * 1000:.0f} ms a chart (Altair builds the "
        "specification, vl-convert renders the SVG in worker threads). SPC itself is a small "
        "part; most of `spc_levels`' time is pandas reshaping the long frame into a matrix. "
        "Timings vary with the machine's load; rerun on a quiet machine to compare.",
    ]
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "monitor.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    del run


if __name__ == "__main__":
    main()
