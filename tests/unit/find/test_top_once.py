"""'The 10 biggest gaps' are ten different gaps, the same in the terminal and the report (issue 12).

Ranked over every month, one big gap used to fill the list month after month (the demo: 9 of 10
were RTT 18 weeks, IMD quintile 2). Each indicator x breakdown x group is now ranked once, with
how it moved since the earliest month beside it.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from rich.console import Console

from focuson import console_tables
from focuson.charts.ranking import ranking_chart
from focuson.find import FindResult, find, top_findings
from focuson.reports import render_find_report

MONTHS = [f"2024-{m:02d}" for m in range(1, 7)]
KEYS = ["indicator", "dimension", "group"]


def _result(frames, rtt_indicators) -> FindResult:
    """Six months of deciles on a gradient; decile 2 by far the worst and getting worse."""
    parts = []
    for i, month in enumerate(MONTHS):
        rates = np.linspace(0.45, 0.85, 10)
        rates[1] = 0.40 - 0.03 * i  # decile 2: 40% in January, 25% in June
        deciles = [str(d) for d in range(1, 11)]
        parts.append(frames.aggregates("rtt_18w", month, "imd_decile", deciles,
                                       np.round(rates * 2000), [2000.0] * 10))  # fmt: skip
    agg = frames.with_overall(pd.concat(parts, ignore_index=True))
    return find(agg, rtt_indicators.iloc[[0]])


def _sentences(page: str) -> list[str]:
    """The top gaps' sentences in the report (its list in words)."""
    top = page.split('id="top-gaps"')[1].split('class="findings"')[1].split("</ol>")[0]
    return [re.sub(r"\s+", " ", item).strip() for item in re.findall(r"<li>(.*?)</li>", top)]


def test_each_gap_is_ranked_once(frames, rtt_indicators):
    findings = _result(frames, rtt_indicators).findings
    for period in ("latest", None):
        top = top_findings(findings, n=10, period=period)
        assert len(top) == 9  # deciles 1 to 9 against decile 10
        assert not top.duplicated(KEYS).any()
    top = top_findings(findings, n=10)
    first = top.iloc[0]
    assert (first["group"], first["period"]) == ("2", MONTHS[-1])
    assert first["change"] == "wider than in " + MONTHS[0]  # 40% then, 25% now
    assert (top["change"].iloc[1:] == "about the same as in " + MONTHS[0]).all()


def test_report_ranked_over_every_period_lists_each_gap_once(frames, rtt_indicators):
    res = _result(frames, rtt_indicators)
    page = render_find_report(res.findings, res.gradients, rtt_indicators.iloc[[0]],
                              rank_all_periods=True)  # fmt: skip
    items = _sentences(page)
    groups = [re.search(r"In the (.*?) of areas", item) for item in items]
    named = [g.group(1) for g in groups if g]
    assert len(items) == 9 and len(set(named)) == len(named) == 9


def test_terminal_and_report_show_the_same_list(frames, rtt_indicators):
    res = _result(frames, rtt_indicators)
    findings, ind = res.findings, rtt_indicators.iloc[[0]]
    page = render_find_report(findings, res.gradients, ind)
    report = _sentences(page)
    console = Console(width=4000, record=True)
    console.print(console_tables.top_findings(top_findings(findings, n=10), ind, width=100))
    lines = [ln.strip() for ln in console.export_text().splitlines() if re.match(r"\d+\. ", ln)]
    terminal = [re.sub(r"^\d+\. [A-Za-z]+ \d{4}: ", "", ln) for ln in lines]
    assert len(terminal) == 9
    assert [t.replace("&", "&amp;") for t in terminal] == report
    assert "The gap is wider than in 2024-01." in terminal[0]


def test_chart_labels_are_whole_and_different():
    long = "Incomplete RTT pathways waiting 18 weeks or less: IMD quintile 2"
    top = pd.DataFrame({"label": [long, long, long[:-1] + "3"], "excess": [30.0, 20.0, 10.0]})
    spec = ranking_chart(top).to_dict()
    rows = next(iter(spec["datasets"].values()))
    labels = [r["label"] for r in rows]
    assert len(set(labels)) == 3  # never two bars under one label, none dropped
    assert all(lab.replace("|", " ").startswith(long[:-1]) for lab in labels)
    axis = spec["layer"][0]["encoding"]["y"]["axis"]
    assert axis["labelLimit"] == 0 and "split" in axis["labelExpr"]
