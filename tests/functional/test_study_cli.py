"""``focuson study`` end to end: synth, monitor, then the Study of the planted intervention."""

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from focuson.cli import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
PLAN = ROOT / "docs" / "examples" / "study-brent-breast-screening.yaml"
WIDE = {"COLUMNS": "200"}


def _text(result) -> str:
    return " ".join(result.output.split())


@pytest.fixture(scope="module")
def monitored(tmp_path_factory):
    """One synthetic dataset (scale 0.1: about 50 Brent women invited a month) and its
    monitoring run, shared by the module."""
    base = tmp_path_factory.mktemp("study")
    data, results = base / "s", base / "r"
    synth = runner.invoke(app, ["synth", "--scale", "0.1", "--out", str(data)], env=WIDE)
    assert synth.exit_code == 0, synth.output
    truth = json.loads((data / "truth.json").read_text(encoding="utf-8"))
    planted = next(e for e in truth["effects"] if e["id"] == "breast_screening_intervention")
    assert (planted["borough"], planted["from"][:7]) == ("Brent", "2024-04")  # the plan's
    mon = runner.invoke(app, ["monitor", str(data), "--out", str(results), "--no-report"])
    assert mon.exit_code == 0, mon.output
    return base, results


def test_study_finds_the_planted_improvement_and_writes_a_results_folder(monitored):
    base, results = monitored
    out = base / "study"
    args = ["study", str(PLAN), "--levels", str(results), "--out", str(out)]
    result = runner.invoke(app, args, env=WIDE)
    assert result.exit_code == 0, result.output
    text = _text(result)
    assert "in borough Brent improved by" in text
    assert "This test can detect" in text
    verdict = pd.read_parquet(out / "verdict.parquet").set_index("estimand")
    assert verdict.loc["overall", "verdict"] == "Improved"
    assert verdict.loc["overall", "sentence"] in text
    effects = pd.read_parquet(out / "effects.parquet").set_index("estimand")
    overall = effects.loc["overall"]
    # Near the planted +10 points (one sample: within three standard errors), and clear of the
    # smallest worthwhile change of 3; the units and conventions are named.
    assert abs(overall["estimate"] - 10) < 3 * overall["se"]
    assert overall["lower"] > 3
    assert overall["units"] == "pp"
    assert overall["se_convention"].startswith("HAC (Newey-West")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["kind"] == "focuson study"
    assert sorted(manifest["outputs"]) == [
        "card.html",
        "checks.parquet",
        "effects.parquet",
        "plan.json",
        "series.parquet",
        "verdict.parquet",
    ]
    assert manifest["verdict"]["overall"] == verdict.loc["overall", "sentence"]
    assert len(manifest["inputs"]["levels"]["sha256"]) == 64
    frozen = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert frozen["versions"][0]["sha256"] == manifest["plan_sha256"]
    # A suppressed month is a missing point, and the run says so.
    for note in manifest["notes"]:
        assert "suppressed or not published" in note and note.split(":")[0] in text
    # A second run replaces the Study folder it wrote.
    again = runner.invoke(app, args, env=WIDE)
    assert again.exit_code == 0, again.output


def test_every_study_column_and_manifest_field_is_in_the_outputs_doc(monitored):
    base, results = monitored
    out = base / "study-doc"
    args = ["study", str(PLAN), "--levels", str(results), "--out", str(out)]
    assert runner.invoke(app, args).exit_code == 0
    doc = (ROOT / "docs" / "outputs.md").read_text(encoding="utf-8")
    section = doc.split("## Study")[1].split("\n## ")[0]
    parts = re.split(r"^### ", section, flags=re.M)
    tables = {p.split("`")[1]: p for p in parts if p.startswith("`")}
    for name in ("effects.parquet", "verdict.parquet", "series.parquet", "checks.parquet"):
        for column in pd.read_parquet(out / name).columns:
            assert f"| `{column}` |" in tables[f"STUDY/{name}"], (name, column)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for field in manifest:
        assert f"| `{field}` |" in tables["STUDY/manifest.json"], field


def test_a_plan_naming_an_unknown_indicator_exits_2_naming_it(monitored, tmp_path):
    _, results = monitored
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        PLAN.read_text(encoding="utf-8").replace("screening_breast", "screening_brest"),
        encoding="utf-8",
    )
    result = runner.invoke(
        app, ["study", str(plan), "--levels", str(results), "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 2
    assert "outcome.indicator 'screening_brest' is not in" in _text(result)
    assert "screening_breast" in result.stderr
    assert not (tmp_path / "o").exists()


def test_a_comparative_design_runs_against_the_plans_comparison_boroughs(monitored):
    base, results = monitored
    plan = base / "plan-cits.yaml"
    others = "Ealing, Harrow, Hillingdon, Hounslow, Westminster"
    cits = PLAN.read_text(encoding="utf-8").replace(
        "design: its", f"design: comparative_its\ncomparison_units: [{others}]"
    )
    plan.write_text(cits, encoding="utf-8")
    out = base / "study-cits"
    result = runner.invoke(
        app, ["study", str(plan), "--levels", str(results), "--out", str(out)], env=WIDE
    )
    assert result.exit_code == 0, result.output
    text = _text(result)
    assert "in borough Brent improved by" in text
    effects = pd.read_parquet(out / "effects.parquet").set_index("estimand")
    assert effects.loc["overall", "method"].startswith("comparative ITS against 5")
    # the planted +10 points, within three standard errors
    assert abs(effects.loc["overall", "estimate"] - 10) < 3 * effects.loc["overall", "se"]
    # did with one treated borough: a permutation test, no interval, so no verdict
    did = PLAN.read_text(encoding="utf-8").replace(
        "design: its", f"design: did\ncomparison_units: [{others}]"
    )
    plan.write_text(did, encoding="utf-8")
    result = runner.invoke(
        app, ["study", str(plan), "--levels", str(results), "--out", str(base / "did")], env=WIDE
    )
    assert result.exit_code == 0, result.output
    assert "Descriptive only, no verdict: only 1 treated unit" in _text(result)
    # the card names the design's own model, not the plan's segmented-regression family
    card = (base / "did" / "card.html").read_text(encoding="utf-8")
    model = card.split("<dt>Model</dt>")[1].split("</dd>")[0]
    assert "two-way fixed effects" in model and "quasi-binomial" not in model


def test_study_without_monitoring_results_says_where_to_point(tmp_path):
    shutil.copy(PLAN, tmp_path / "plan.yaml")
    result = runner.invoke(app, ["study", str(tmp_path / "plan.yaml"), "--out", "o"])
    assert result.exit_code == 2
    assert "Give --levels RESULTS" in _text(result)
