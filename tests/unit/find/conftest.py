"""Hand-made AGGREGATES and INDICATORS frames for the Find tests."""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest


def indicators_frame(*rows):
    """INDICATORS rows as (id, statistic, multiplier, polarity, standard, target)."""
    return pd.DataFrame(
        [
            {
                "id": i,
                "title": i,
                "statistic": s,
                "multiplier": m,
                "polarity": p,
                "standard": std,
                "target": tgt,
                "unit": "%" if m == 100 else "per 100,000",
            }
            for i, s, m, p, std, tgt in rows
        ]
    )


def aggregates_frame(indicator, period, dimension, groups, numerators, denominators, **extra):
    """AGGREGATES rows of one dimension (band -1), plus any extra columns (e.g. sum_sq)."""
    return pd.DataFrame(
        {
            "indicator": indicator,
            "period": period,
            "dimension": dimension,
            "group": list(groups),
            "band": -1,
            "numerator": np.asarray(numerators, dtype=float),
            "denominator": np.asarray(denominators, dtype=float),
            **extra,
        }
    )


def with_overall(frame):
    """Add the overall row of each indicator x period x band: the sum of one dimension's groups."""
    first = frame.groupby(["indicator", "period"])["dimension"].transform("first")
    base = frame.loc[frame["dimension"] == first]
    numeric = [c for c in ("numerator", "denominator", "sum_sq") if c in frame]
    overall = base.groupby(["indicator", "period", "band"], as_index=False)[numeric].sum()
    overall = overall.assign(dimension="overall", group="All")
    return pd.concat([overall, frame], ignore_index=True)[frame.columns]


@pytest.fixture
def frames():
    """The frame builders above, for the tests (conftest is not importable as a module)."""
    return SimpleNamespace(
        indicators=indicators_frame, aggregates=aggregates_frame, with_overall=with_overall
    )


@pytest.fixture
def rtt_indicators():
    return indicators_frame(
        ("rtt_18w", "proportion", 100.0, "higher_is_better", 92.0, 65.0),
        ("rtt_52w", "proportion", 100.0, "lower_is_better", 1.0, np.nan),
    )
