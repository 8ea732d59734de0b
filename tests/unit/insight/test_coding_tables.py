"""Co-occurrence and codes by attribute: distinct people, not excerpts; small numbers hidden."""

import numpy as np
import pandas as pd
import pytest

from focuson.insight.coding_tables import codes_by_attribute, cooccurrence


def _codings():
    # 40 participants: p0-p29 speak to "access" (p0 five times), p0-p9 also to "trust" in the
    # same excerpt; two coders both applied "access" to excerpt 0 (counted once).
    rows = [(f"e{i}", "access", f"p{i}") for i in range(30)]
    rows += [(f"e{i}", "trust", f"p{i}") for i in range(10)]
    rows += [(f"x{k}", "access", "p0") for k in range(4)]
    rows += [("e0", "access", "p0")]
    rows += [(f"y{i}", "trust", f"p{i}") for i in range(30, 40)]
    return pd.DataFrame(rows, columns=["excerpt", "code", "participant"])


def test_cooccurrence_counts_excerpts_and_distinct_participants():
    out = cooccurrence(_codings(), codes=["access", "trust"])
    # access: 30 + 4 excerpts, 30 people; trust: 20 excerpts and people; both: 10.
    assert out.excerpts.values.tolist() == [[34, 10], [10, 20]]
    assert out.participants.values.tolist() == [[30, 10], [10, 20]]
    assert out.published.values.tolist() == [[30.0, 10.0], [10.0, 20.0]]


def test_cooccurrence_hides_small_numbers_of_people():
    codings = pd.DataFrame(
        {
            "excerpt": ["a", "a", "b"],
            "code": ["access", "trust", "access"],
            "participant": ["p", "p", "q"],
        }
    )
    published = cooccurrence(codings, codes=["access", "trust"]).published
    assert np.isnan(published.values).all()  # 1 and 2 people: suppressed


def test_codes_by_attribute_counts_people_once_and_protects_the_row_totals():
    people = pd.DataFrame(
        {
            "participant": [f"p{i}" for i in range(40)],
            "age_band": ["18-64"] * 27 + ["65-79"] * 3 + ["18-64"] * 5 + [None] * 5,
        }
    )
    out = codes_by_attribute(
        _codings(),
        people,
        attribute="age_band",
        codes=["access", "trust"],
        bands=["18-64", "65-79"],
    )
    # access: p0-p26 are 18-64 (27), p27-p29 65-79 (3); trust: p0-p9 (10) and p30-p34 (5) 18-64,
    # p35-p39 not stated (5).
    assert out.participants.values.tolist() == [[27, 3, 0, 30], [15, 0, 5, 20]]
    assert out.excerpts.values.tolist() == [[31, 3, 0], [15, 0, 5]]
    # access 65-79 (3) is suppressed; alone beside the total 30 it would be 30 - 27 - 0, so
    # the 27 goes too (the smallest non-zero count); trust's 5 not stated takes the 15 with it.
    nan = np.nan
    np.testing.assert_array_equal(
        out.published.values, [[nan, nan, 0.0, 30.0], [nan, 0.0, nan, 20.0]]
    )


def test_codes_by_attribute_errors_name_the_problem():
    people = pd.DataFrame({"participant": ["p0"], "age_band": ["18-64"]})
    with pytest.raises(ValueError, match="participants with no attributes recorded: p1"):
        codes_by_attribute(
            pd.DataFrame({"excerpt": ["a"], "code": ["access"], "participant": ["p1"]}),
            people,
            attribute="age_band",
            codes=["access"],
            bands=["18-64"],
        )
    with pytest.raises(ValueError, match="codes not listed: trust"):
        cooccurrence(
            pd.DataFrame({"excerpt": ["a"], "code": ["trust"], "participant": ["p1"]}),
            codes=["access"],
        )
    with pytest.raises(ValueError, match="missing column sex"):
        codes_by_attribute(
            pd.DataFrame({"excerpt": ["a"], "code": ["access"], "participant": ["p0"]}),
            people,
            attribute="sex",
            codes=["access"],
            bands=["F"],
        )
