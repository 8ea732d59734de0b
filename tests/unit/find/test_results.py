"""write_results: Parquet + manifest, the same bytes on a re-run."""

import json

import pandas as pd

from focuson.find import find, read_results, write_results


def test_write_results_gives_the_same_bytes_twice(tmp_path, frames, rtt_indicators):
    agg = frames.with_overall(
        frames.aggregates(
            "rtt_18w",
            "2024-03",
            "imd_decile",
            [str(d) for d in range(1, 11)],
            [240, 260, 270, 280, 290, 300, 305, 315, 320, 330],
            [500] * 10,
        )
    )
    manifest = {
        "inputs": {"rtt_pathways": "abc123"},
        "catalogue_version": "1",
        "parameters": {"alpha": 0.05},
        "code_version": "0.1.0",
    }
    written = []
    for run in ("one", "two"):
        res = find(agg, rtt_indicators)  # a fresh run each time, simulations included
        write_results(res, tmp_path / run, manifest=manifest)
        written.append({p.name: p.read_bytes() for p in sorted((tmp_path / run).iterdir())})
    assert written[0] == written[1]
    assert sorted(written[0]) == ["findings.parquet", "gradients.parquet", "manifest.json"]
    meta = json.loads(written[0]["manifest.json"])
    assert meta["code_version"] == "0.1.0"
    assert meta["outputs"]["findings.parquet"]["rows"] == 11
    back, _ = read_results(tmp_path / "one")
    pd.testing.assert_frame_equal(back.findings, res.findings)
    pd.testing.assert_frame_equal(back.gradients, res.gradients)
