"""What disclosure control costs: rows suppressed and time, audited pattern against the greedy one.

Run with ``.venv/bin/python benchmarks/disclosure.py`` (``--scales 0.01 0.05``). For each scale the
synthetic North West London (seed 2025, shared reference folder when present) is generated into
``var/bench/s<scale>`` (reused), counted once in DuckDB, and then:

* **greedy** (the pattern before issue 11): primary suppression and "no relation holds exactly
  one suppressed cell", each relation alone, published counts taken as exact;
* **audited** (what Find publishes): the same start, then every indicator x month audited as a
  whole system by integer programmes (rounding intervals, chains of relations) and repaired,
  and one pattern for indicators that count the same denominators (also shown without that
  last step, to see what it costs).

For each: the share of findings rows suppressed (the analyst's cost), the share suppressed by the
small-number rule itself, the time, and (audited) the programmes solved and the cells the repair
added. Results go to ``benchmarks/results/disclosure.md``. Not part of the tests.
"""

from __future__ import annotations

import argparse
import platform
import time
from pathlib import Path

import numpy as np

from focuson.data.synthetic import generate
from focuson.engine import indicators_frame, load_default_catalogue
from focuson.find.disclosure import suppression_patterns
from focuson.find.protection import protect
from focuson.find.publish import totals
from focuson.runs.find import count, read_inputs

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).parent / "results"
REFERENCE = ROOT.parent / "shared" / "data"


def measure(scale: float) -> dict[str, float]:
    """Counts one synthetic population and times both patterns on it."""
    folder = ROOT / "var" / "bench" / f"s{scale}"
    if not (folder / "focuson.toml").is_file():
        ref = REFERENCE if REFERENCE.is_dir() else None
        generate(folder, scale=scale, seed=2025, reference_dir=ref)
    aggregates, _, _ = count(read_inputs(folder, None, None), say=lambda _text: None)
    ind = indicators_frame(load_default_catalogue()).set_index("id")
    tot = totals(aggregates)
    tot["statistic"] = tot["indicator"].map(ind["statistic"]).to_numpy()
    start = time.perf_counter()
    greedy, _ = suppression_patterns(tot)
    greedy_s = time.perf_counter() - start
    start = time.perf_counter()
    pattern = protect(tot, start=greedy)
    audit_s = time.perf_counter() - start
    alone = protect(tot, start=greedy, share=False)
    return {
        "scale": scale,
        "rows": len(tot),
        "settings": tot.groupby(["indicator", "period"]).ngroups,
        "primary": float(np.mean(pattern.primary)),
        "greedy": float(np.mean(greedy)),
        "greedy_s": greedy_s,
        "audited": float(np.mean(pattern.suppressed)),
        "unshared": float(np.mean(alone.suppressed)),
        "audit_s": audit_s,
        "programmes": pattern.programmes,
        "repairs": pattern.repairs,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[0.01, 0.05, 0.2])
    args = parser.parse_args()
    rows = [measure(s) for s in args.scales]
    lines = [
        "# Disclosure control: cost and time",
        "",
        f"`benchmarks/disclosure.py`, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}. Share of findings rows suppressed (all "
        "breakdowns, every indicator x month).",
        "",
        "| scale | rows | indicator x months | by the 1-7 rule | greedy (before) | time | "
        "audited, each indicator alone | audited and shared (now) | time | programmes | "
        "cells added by repair |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['scale']} | {r['rows']:,} | {r['settings']} | {r['primary']:.1%} | "
            f"{r['greedy']:.1%} | {r['greedy_s']:.1f} s | {r['unshared']:.1%} | "
            f"{r['audited']:.1%} | "
            f"{r['audit_s']:.1f} s | {r['programmes']:,} | {r['repairs']:,} |"
        )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "disclosure.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
