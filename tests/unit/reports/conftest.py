"""Hand-made findings, gradients and INDICATORS frames of the shape `focuson.find` writes.

Values are drawn from a seeded generator in [40, 70] with counts in the thousands and excess in
multiples of 5, so the planted numbers below (and the suppressed cell's numbers) cannot occur
elsewhere on the page by chance.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

BREAKDOWNS: dict[str, list[str]] = {
    "overall": ["All"],
    "imd_decile": [str(i) for i in range(1, 11)],
    "imd_quintile": [str(i) for i in range(1, 6)],
    "sex": ["F", "M", "U"],
    "age_band_broad": ["0-17", "18-39", "40-64", "65+"],
    "ethnicity_6": ["Asian", "Black", "Mixed", "White", "Other", "Not stated / not known"],
    "borough": ["Brent", "Ealing", "Harrow", "Hounslow", "Hillingdon", "Westminster"],
    "imd_quintile x ethnicity_6": ["1 | Black", "1 | White", "5 | Black", "5 | White"],
}

#: The planted finding the sentence tests read.
PLANTED = {
    "indicator": "rtt_18w",
    "dimension": "imd_quintile",
    "group": "1",
    "reference_group": "5",
    "value": 50.2,
    "lower": 48.1,
    "upper": 52.3,
    "reference_value": 65.3,
    "difference": -15.1,
    "excess": 12_340.0,
    "numerator": 25_100.0,
    "denominator": 50_000.0,
}

#: A suppressed cell, significant and worse, whose numbers must never appear on the page.
SECRET = {
    "indicator": "rtt_18w",
    "dimension": "ethnicity_6",
    "group": "Mixed",
    "value": 77.77,
    "lower": 71.11,
    "upper": 83.33,
    "numerator": 3.0,
    "denominator": 6.0,
    "excess": 98_765.0,
}


def make_indicators(n: int = 3) -> pd.DataFrame:
    """``n`` indicators: a proportion (RTT), a rate, a DSR, a mean, then more proportions."""
    base = [
        (
            "rtt_18w",
            "RTT pathways within 18 weeks",
            "proportion",
            100.0,
            "higher_is_better",
            92.0,
            65.0,
            "%",
        ),
        (
            "ae_12h",
            "A&E stays over 12 hours",
            "rate",
            100_000.0,
            "lower_is_better",
            np.nan,
            np.nan,
            "per 100,000",
        ),
        (
            "emerg_adm",
            "Emergency admissions",
            "dsr",
            100_000.0,
            "lower_is_better",
            np.nan,
            np.nan,
            "per 100,000",
        ),
        (
            "bp_mean",
            "Mean systolic blood pressure",
            "mean",
            1.0,
            "lower_is_better",
            np.nan,
            np.nan,
            "mmHg",
        ),
    ]
    rows = base[:n] + [
        (
            f"screen_{k}",
            f"Screening uptake {k}",
            "proportion",
            100.0,
            "higher_is_better",
            80.0,
            np.nan,
            "%",
        )
        for k in range(max(0, n - len(base)))
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "id",
            "title",
            "statistic",
            "multiplier",
            "polarity",
            "standard",
            "target",
            "unit",
        ],
    )


def make_findings(indicators: pd.DataFrame, *, seed: int = 0) -> pd.DataFrame:
    """Two periods per indicator; the planted and secret rows in the latest."""
    rng = np.random.default_rng(seed)
    dims = [(d, g) for d, groups in BREAKDOWNS.items() for g in groups]
    frames = []
    for period in ("2024-02", "2024-03"):
        for ind in indicators.itertuples():
            n = len(dims)
            value = np.round(rng.uniform(40, 70, n), 2)
            den = np.round(rng.uniform(2_000, 20_000, n) / 5) * 5
            if ind.statistic == "proportion":
                num = np.round(value / 100 * den / 5) * 5
            else:
                den = den * 10
                num = np.round(value * den / ind.multiplier)
            half = rng.uniform(1, 3, n)
            reference = np.full(n, 55.0)
            significant = rng.uniform(size=n) < 0.4
            worse = rng.uniform(size=n) < 0.5
            frames.append(
                pd.DataFrame(
                    {
                        "indicator": ind.id,
                        "period": period,
                        "dimension": [d for d, _ in dims],
                        "group": [g for _, g in dims],
                        "reference_group": [
                            "5" if d.startswith("imd") else "everyone else" for d, _ in dims
                        ],
                        "numerator": num,
                        "denominator": den,
                        "value": value,
                        "lower": value - half,
                        "upper": value + half,
                        "reference_value": reference,
                        "difference": value - reference,
                        "ratio": value / reference,
                        "p_value": np.where(significant, 0.0001, 0.5),
                        "q_value": np.where(significant, 0.001, 0.6),
                        "significant": significant,
                        "direction": np.where(
                            significant, np.where(worse, "worse", "better"), "similar"
                        ),
                        "excess": np.where(
                            significant & worse, np.round(rng.uniform(5, 2_000, n) / 5) * 5, 0.0
                        ),
                        "gap_to_standard": np.nan,
                        "gap_to_target": np.nan,
                        "suppressed": False,
                    }
                )
            )
    findings = pd.concat(frames, ignore_index=True)
    latest = findings["period"] == "2024-03"
    for planted, extra in ((PLANTED, {}), (SECRET, {"suppressed": True})):
        at = (
            latest
            & (findings["indicator"] == planted["indicator"])
            & (findings["dimension"] == planted["dimension"])
            & (findings["group"] == planted["group"])
        )
        for key, value in {**planted, **extra}.items():
            findings.loc[at, key] = value
        findings.loc[at, ["significant"]] = True
        findings.loc[at, ["direction"]] = "worse"
    return findings


def make_gradients(findings: pd.DataFrame) -> pd.DataFrame:
    keys = findings[["indicator", "period"]].drop_duplicates()
    rows = []
    for measure, dimension in (
        ("sii", "imd_decile"),
        ("rii", "imd_decile"),
        ("bgv", "ethnicity_6"),
        ("idisw", "borough"),
    ):
        part = keys.assign(measure=measure, dimension=dimension)
        part["value"] = 12.5 if measure == "sii" else 1.2
        part["lower"] = part["value"] - 1
        part["upper"] = part["value"] + 1
        part["method"] = "NHS England NE&Y new SII, national ranks" if measure == "sii" else ""
        part["intercept"] = 47.5 if measure == "sii" else np.nan
        rows.append(part)
    return pd.concat(rows, ignore_index=True)


@pytest.fixture(scope="session")
def frames() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    indicators = make_indicators(4)
    findings = make_findings(indicators)
    return findings, make_gradients(findings), indicators


@pytest.fixture
def planted() -> dict[str, object]:
    return dict(PLANTED)


@pytest.fixture
def secret() -> dict[str, object]:
    return dict(SECRET)
