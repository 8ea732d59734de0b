"""Speed of focuson.spc.xmr on 10,000 series x 36 points against a per-series Python loop.

Run with ``.venv/bin/python benchmarks/spc.py``. The loop calls ``xmr`` once per series (the
obvious alternative: chart each indicator x group on its own), timed on 500 series and scaled
up. Data: ``numpy.random.default_rng(seed=2024)`` normal draws with a planted shift in a tenth
of the series. Results go to ``benchmarks/results/spc.md``. Not part of the tests.
"""

from __future__ import annotations

import platform
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from focuson.spc import xmr

RESULTS = Path(__file__).parent / "results"
SEED = 2024


def best(fn: Callable[[], object], repeat: int = 5) -> float:
    out = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out = min(out, time.perf_counter() - start)
    return out


def main() -> None:
    rng = np.random.default_rng(SEED)
    n_series, n_points, n_loop = 10_000, 36, 500
    y = rng.normal(50, 5, size=(n_series, n_points))
    y[: n_series // 10, 24:] += 8
    y[rng.random(y.shape) < 0.01] = np.nan
    target = rng.normal(50, 10, size=n_series)
    vec = best(lambda: xmr(y, target=target))
    vec_rebase = best(lambda: xmr(y, target=target, rebase=[24], fix_after_n_points=12))
    loop = best(lambda: [xmr(y[i], target=target[i]) for i in range(n_loop)], repeat=2)
    loop_all = loop / n_loop * n_series
    r = xmr(y, target=target)
    lines = [
        "# focuson.spc benchmarks",
        "",
        f"Machine: {platform.machine()}, Python {platform.python_version()}, "
        f"numpy {np.__version__}. Written by `benchmarks/spc.py` (data seed {SEED}).",
        "",
        "| case | series x points | vectorised (s) | per-series loop (s) | speed-up |",
        "|---|---:|---:|---:|---:|",
        f"| xmr, target | {n_series:,} x {n_points} | {vec:.3f} | {loop_all:.1f} "
        f"(measured on {n_loop}) | {loop_all / vec:.0f}x |",
        f"| xmr, target, rebase at 24, baseline 12 | {n_series:,} x {n_points} | "
        f"{vec_rebase:.3f} | - | - |",
        "",
        f"Special-cause points found: {int(r.special_cause.sum()):,} of {y.size:,}; series with "
        f"a special-cause latest point: {int((r.variation_icon != 'common_cause').sum()):,}.",
    ]
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "spc.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
