"""Many interrupted time series at once: `its_many` against a loop of statsmodels fits.

Run with ``.venv/bin/python benchmarks/study.py`` (``--series 500 5000``, ``--quick`` for a
smoke run). Each case fits the same segmented regression (level and slope change, two Fourier
pairs, Newey-West HAC with a stated lag, Ljung-Box at 12 lags) to every row of a seeded panel of
monthly series (36 months before, 24 after; autocorrelated noise, a random step):

* **vectorised**: :func:`focuson.study.its_many` (one least-squares solve for every series, the
  HAC covariance and Ljung-Box in array operations), and :func:`focuson.study.its_gap_many` for
  pairs of series (the gap model: both groups stacked, Driscoll-Kraay errors);
* **loop**: the obvious alternative, one ``sm.OLS(y, X).fit(cov_type="HAC", ...)`` and one
  ``acorr_ljungbox`` per series (for the gap, one stacked OLS with ``cov_type="hac-groupsum"``
  and one ``acorr_ljungbox`` on the gap's residuals per pair), the design built once.

A second table times the HAC covariance alone (meat and sandwich for every series): the plain
``einsum`` ``its_many`` used before, ``einsum(..., optimize=True)``, and the batched matrix
products it uses now.

Both produce the level and slope changes with their standard errors and the Ljung-Box p-value;
the benchmark asserts they agree to 1e-6 before it reports anything. Time is the best of three
runs (one for the loop over 2,000 series); peak memory is the peak traced by ``tracemalloc``
during one more run (Python and numpy allocations; statsmodels' too). Results go to
``benchmarks/results/study.md``. Not part of the tests.

A third table times the staggered roll-out design (:func:`focuson.study.staggered.staggered`,
the imputation DiD with a unit bootstrap: every replicate's fixed-effect regression solved in
one batch) against a loop of statsmodels fits, one ``sm.WLS`` with unit and month dummies on the
resampled panel's untreated cells per replicate. The loop is timed on a few replicates and its
time for all of them projected (the table says how many were run); the replicates' overall
effects must agree to 1e-6.

For scale: a monitoring run of 8 boroughs x 5 deprivation quintiles x 14 indicators is 560
series; with every breakdown (age, sex, ethnicity, deciles) a few thousand.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import statsmodels
import statsmodels.api as sm
from statsmodels.stats.diagnostic import acorr_ljungbox

from focuson.study import its_gap_many, its_many
from focuson.study.its_many import _newey_west, _sandwich
from focuson.study.its_options import ItsDesign
from focuson.study.segments import POST, TSINCE, its_design
from focuson.study.staggered import _draws, staggered

RESULTS = Path(__file__).parent / "results"
N_PRE, N_POST, PAIRS, LAGS, LB_LAGS = 36, 24, 2, 3, 12
TOLERANCE = 1e-6


@dataclass
class Row:
    case: str
    series: int
    vectorised_s: float
    vectorised_mb: float
    loop_s: float
    loop_mb: float
    max_difference: float

    @property
    def speedup(self) -> float:
        return self.loop_s / self.vectorised_s


def panel(n_series: int, seed: int) -> np.ndarray:
    """Monthly series with a trend, a season, a random step at month 37 and MA(1) noise."""
    rng = np.random.default_rng(seed)
    n = N_PRE + N_POST
    t = np.arange(n)
    e = rng.normal(0, 1.5, (n_series, n))
    e[:, 1:] += 0.5 * e[:, :-1]
    step = rng.normal(0, 3, (n_series, 1))
    level = rng.uniform(30, 80, (n_series, 1))
    return level + 0.05 * t + step * (t >= N_PRE) + 2 * np.sin(2 * np.pi * t / 12) + e


def measure(fn: Callable[[], object], repeat: int) -> tuple[float, float, object]:
    """Best wall time of ``repeat`` runs, peak traced memory (MB) of one more, and the result."""
    best, out = math.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return best, peak, out


def design() -> np.ndarray:
    return its_design(N_PRE, N_POST, fourier_pairs=PAIRS)


def loop_its(y: np.ndarray) -> np.ndarray:
    """One statsmodels fit and one Ljung-Box test per series: level, SE, slope, SE, p."""
    x = design()
    out = np.empty((len(y), 5))
    for i, row in enumerate(y):
        res = sm.OLS(row, x).fit(cov_type="HAC", cov_kwds={"maxlags": LAGS})
        lb = acorr_ljungbox(res.resid, lags=[min(LB_LAGS, len(row) // 3)])
        bse = np.asarray(res.bse)
        out[i] = (res.params[POST], bse[POST], res.params[TSINCE], bse[TSINCE],
                  float(lb["lb_pvalue"].iloc[0]))  # fmt: skip
    return out


def loop_gap(most: np.ndarray, least: np.ndarray) -> np.ndarray:
    """One stacked statsmodels fit (Driscoll-Kraay HAC) and one Ljung-Box test (on the gap's
    residuals) per pair: gap level, SE, slope, SE, p."""
    base = design()
    n, k = base.shape
    x = np.vstack([np.hstack([base, np.zeros((n, 4))]), np.hstack([base, base[:, :4]])])
    time_index = np.concatenate([np.arange(n), np.arange(n)])
    cov = {"time": time_index, "maxlags": LAGS, "use_correction": False}
    out = np.empty((len(most), 5))
    for i, (m, le) in enumerate(zip(most, least, strict=True)):
        res = sm.OLS(np.concatenate([le, m]), x).fit(cov_type="hac-groupsum", cov_kwds=cov)
        bse = np.asarray(res.bse)
        resid = np.asarray(res.resid)
        lb = acorr_ljungbox(resid[n:] - resid[:n], lags=[min(LB_LAGS, n // 3)])
        out[i] = (res.params[k + POST], bse[k + POST], res.params[k + TSINCE], bse[k + TSINCE],
                  float(lb["lb_pvalue"].iloc[0]))  # fmt: skip
    return out


def case_its(n_series: int) -> Row:
    y = panel(n_series, seed=2024)
    design = ItsDesign(fourier_pairs=PAIRS, hac_lags=LAGS, ljung_box_lags=LB_LAGS)
    vec_s, vec_mb, fits = measure(lambda: its_many(y, n_pre=N_PRE, design=design), 3)
    loop_s, loop_mb, loop = measure(lambda: loop_its(y), 3 if n_series < 2000 else 1)
    many = np.column_stack(
        [fits.level, fits.level_se, fits.slope, fits.slope_se, fits.ljung_box_p]  # type: ignore[attr-defined]
    )
    diff = float(np.max(np.abs(many - np.asarray(loop))))
    assert diff < TOLERANCE, f"its_many and the loop differ by {diff:g}"
    return Row("single-group ITS", n_series, vec_s, vec_mb, loop_s, loop_mb, diff)


def case_gap(n_series: int) -> Row:
    most, least = panel(n_series, seed=7), panel(n_series, seed=8) + 10
    design = ItsDesign(fourier_pairs=PAIRS, hac_lags=LAGS)
    vec_s, vec_mb, fits = measure(
        lambda: its_gap_many(most, least, n_pre=N_PRE, better="higher", design=design), 3
    )
    loop_s, loop_mb, loop = measure(lambda: loop_gap(most, least), 3 if n_series < 2000 else 1)
    many = np.column_stack(
        [fits.level, fits.level_se, fits.slope, fits.slope_se, fits.ljung_box_p]  # type: ignore[attr-defined]
    )
    diff = float(np.max(np.abs(many - np.asarray(loop))))
    assert diff < TOLERANCE, f"its_gap_many and the loop differ by {diff:g}"
    return Row("gap (two groups, one model)", n_series, vec_s, vec_mb, loop_s, loop_mb, diff)


def einsum_hac(bread: np.ndarray, scores: np.ndarray, lags: int) -> np.ndarray:
    """The HAC covariance as ``its_many`` wrote it before: plain (unoptimised) ``einsum``."""
    meat = np.einsum("snk,snj->skj", scores, scores)
    for lag in range(1, lags + 1):
        g = np.einsum("snk,snj->skj", scores[:, lag:], scores[:, :-lag])
        meat += (1 - lag / (lags + 1)) * (g + g.transpose(0, 2, 1))
    return np.asarray(np.einsum("ij,sjk,kl->sil", bread, meat, bread))


def case_sandwich(n_series: int, k: int) -> tuple[int, int, float, float, float, float]:
    """The HAC covariance of every series (meat and sandwich) from the same scores: the old
    ``einsum``, ``einsum(..., optimize=True)`` and the batched matrix products used now.
    Returns (series, k, einsum s, einsum optimised s, batched s, largest difference)."""
    rng = np.random.default_rng(k)
    scores = rng.normal(size=(n_series, N_PRE + N_POST, k))
    a = rng.normal(size=(k, k))
    bread = np.linalg.inv(a @ a.T + k * np.eye(k))
    old_s, _, old = measure(lambda: einsum_hac(bread, scores, LAGS), 3)

    def optimised() -> np.ndarray:
        meat = _newey_west(scores, LAGS)
        return np.asarray(np.einsum("ij,sjk,kl->sil", bread, meat, bread, optimize=True))

    opt_s, _, _ = measure(optimised, 3)
    new_s, _, new = measure(lambda: _sandwich(bread, _newey_west(scores, LAGS)), 3)
    diff = float(np.max(np.abs(np.asarray(old) - np.asarray(new))))
    assert diff < TOLERANCE, f"the batched HAC differs from einsum by {diff:g}"
    return n_series, k, old_s, opt_s, new_s, diff


STAGGERED_BOOT, STAGGERED_LOOP = 200, 5


def staggered_panel(n_units: int, n_months: int, seed: int = 14) -> tuple[np.ndarray, ...]:
    """Units x months: four cohorts starting at months 12, 24, 36, 48 and a quarter never,
    effects differing by cohort and growing with time since the start."""
    rng = np.random.default_rng(seed)
    first_u = np.array([12.0, 24.0, 36.0, 48.0, np.inf])[np.arange(n_units) % 5]
    unit = np.repeat(np.arange(n_units), n_months)
    month = np.tile(np.arange(n_months), n_units).astype(float)
    first = first_u[unit]
    on = month >= first
    effect = np.where(on, 2.0 + 0.1 * np.where(on, month - first, 0) + first / 24, 0.0)
    y = 50 + rng.normal(0, 3, n_units)[unit] + 0.1 * month + effect + rng.normal(0, 1, unit.size)
    return y, unit, month, first


def loop_staggered(
    y: np.ndarray, unit: np.ndarray, month: np.ndarray, first: np.ndarray, draws: np.ndarray
) -> np.ndarray:
    """Each replicate's overall effect by one statsmodels WLS per replicate (Gardner's first
    stage on the resampled panel's untreated cells, unit and month dummies)."""
    n_months = int(month.max()) + 1
    out = np.empty(len(draws))
    for b, counts in enumerate(draws):
        picked = np.repeat(np.arange(len(counts)), counts.astype(int))
        rows = (picked[:, None] * n_months + np.arange(n_months)).ravel()
        u = np.repeat(np.arange(picked.size), n_months)
        t, yb, on = month[rows], y[rows], month[rows] >= first[rows]
        x = np.column_stack([(u[:, None] == np.arange(picked.size)).astype(float),
                             (t[:, None] == np.arange(1, n_months)).astype(float)])  # fmt: skip
        res = sm.WLS(yb[~on], x[~on]).fit()
        out[b] = float(np.mean(yb[on] - x[on] @ res.params))
    return out


def case_staggered(n_units: int, n_months: int) -> tuple[int, int, float, float, float, float]:
    """(units, months, vectorised s for every replicate, loop s per replicate, projected loop s,
    largest difference)."""
    y, unit, month, first = staggered_panel(n_units, n_months)
    vec_s, vec_mb, fit = measure(
        lambda: staggered(y, unit, month, first, n_boot=STAGGERED_BOOT, seed=0), 1
    )
    draws = _draws(n_units, STAGGERED_BOOT, seed=0)[:STAGGERED_LOOP]
    start = time.perf_counter()
    loop = loop_staggered(y, unit, month, first, draws)
    per = (time.perf_counter() - start) / STAGGERED_LOOP
    from focuson.study.staggered import _aggregator, _effects, _panel

    p = _panel(y, unit, month, first, None)
    vec = _effects(p, draws, _aggregator(p, fit.relative_time), 0.0)[:, -1]  # type: ignore[attr-defined]
    diff = float(np.max(np.abs(vec - loop)))
    assert diff < TOLERANCE, f"the staggered bootstrap and the loop differ by {diff:g}"
    return n_units, n_months, vec_s, vec_mb, per, diff


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, nargs="+", default=[500, 5000])
    parser.add_argument("--quick", action="store_true", help="50 series, not written")
    parser.add_argument("--units", type=int, default=600, help="staggered panel's units")
    args = parser.parse_args()
    sizes = [50] if args.quick else args.series
    load = os.getloadavg()[0]
    rows = [case(n) for n in sizes for case in (case_its, case_gap)]
    lines = [
        "# focuson.study: many interrupted time series",
        "",
        f"Machine: {platform.machine()}, Python {platform.python_version()}, numpy "
        f"{np.__version__}, statsmodels {statsmodels.__version__}, {os.cpu_count()} CPUs, load "
        f"average {load:.1f} at the start (other work on the machine slows both "
        "sides). Written by `benchmarks/study.py` (data seeds 2024, 7, 8).",
        "",
        f"Each series: {N_PRE} months before and {N_POST} after, level and slope change, "
        f"{PAIRS} Fourier pairs, Newey-West HAC (L = {LAGS}, no small-sample correction), "
        f"Ljung-Box at {LB_LAGS} lags (the gap: Driscoll-Kraay over the two groups). The loop is "
        "one statsmodels OLS fit and one `acorr_ljungbox` per series. Both give the same numbers: "
        f"the largest difference in any level, slope, standard error or p-value is shown, and "
        f"the run stops if it exceeds {TOLERANCE:g}.",
        "",
        "| case | series | vectorised (s) | peak memory (MB) | loop (s) | peak memory (MB) | "
        "speed-up | largest difference |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r.case} | {r.series:,} | {r.vectorised_s:.3f} | {r.vectorised_mb:.1f} | "
            f"{r.loop_s:.2f} | {r.loop_mb:.1f} | {r.speedup:,.0f}x | {r.max_difference:.1e} |"
        )
    lines += [
        "",
        "Peak memory is what `tracemalloc` traced during one run (numpy and Python "
        "allocations). The vectorised fit holds every series' scores (series x months x terms) "
        "and covariances at once, so its memory grows with the number of series; the loop holds "
        "one fit at a time.",
        "",
        "## The HAC covariance (meat and sandwich) of every series",
        "",
        "From the same scores (series x 60 months x k terms, L = 3): plain `einsum`, as "
        "`its_many` computed it before; the three-operand sandwich `einsum(..., optimize=True)` "
        "(the meat by batched products); and batched matrix products `bread @ meat @ bread`, "
        "now used. k = 8 is the single-group model with two Fourier pairs, k = 12 the gap model.",
        "",
        "| series | k | einsum (s) | einsum, optimize=True (s) | batched matmul (s) | "
        "speed-up | largest difference |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n_series, k, old_s, opt_s, new_s, diff in (
        case_sandwich(n, k) for n in sizes for k in (8, 12)
    ):
        lines.append(
            f"| {n_series:,} | {k} | {old_s:.4f} | {opt_s:.4f} | {new_s:.4f} | "
            f"{old_s / new_s:,.0f}x | {diff:.1e} |"
        )
    n_units = 60 if args.quick else args.units
    units, months, vec_s, vec_mb, per, diff = case_staggered(n_units, 60)
    lines += [
        "",
        "## Staggered roll-out: the imputation DiD with a unit bootstrap",
        "",
        f"{units} units x {months} months (four cohorts starting at months 12, 24, 36 and 48, a "
        f"fifth never treated; seed 14), {STAGGERED_BOOT} bootstrap replicates (units drawn "
        "with replacement, seed 0). Vectorised: `focuson.study.staggered` (the point estimate, "
        "every replicate's fixed effects solved as one batch of months x months systems, "
        "event-time effects and intervals). Loop: one statsmodels WLS with unit and month "
        f"dummies on each replicate's untreated cells; {STAGGERED_LOOP} replicates run, the "
        f"time for {STAGGERED_BOOT} projected. The replicates' overall effects agree to "
        f"{diff:.1e}.",
        "",
        "| units x months | replicates | vectorised (s) | peak memory (MB) | loop, one replicate "
        "(s) | loop, all replicates (s, projected) | speed-up |",
        "|---|---:|---:|---:|---:|---:|---:|",
        f"| {units} x {months} | {STAGGERED_BOOT} | {vec_s:.2f} | {vec_mb:.0f} | {per:.2f} | "
        f"{per * STAGGERED_BOOT:,.0f} | {per * STAGGERED_BOOT / vec_s:,.0f}x |",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.quick:
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "study.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
