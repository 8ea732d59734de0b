"""The event-study leads of one treated unit and their placebo test (runs/study_fits.py)."""

import numpy as np
import pytest
import statsmodels.api as sm

from focuson.runs.study_fits import leads_placebo


def test_leads_equal_an_event_study_regression_and_rank_among_placebos():
    rng = np.random.default_rng(0)
    n_units, n_months, n_pre = 9, 14, 10
    Y = rng.normal(50, 1, (n_units, 1)) + 0.2 * np.arange(n_months) + rng.normal(0, 1, (9, 14))
    Y[0, :n_pre] += np.linspace(-3, 0, n_pre)  # unit 0 was catching up before the change
    # unit and period dummies, and a dummy for every period of unit 0 but the last pre-period
    unit, month = np.repeat(np.arange(n_units), n_months), np.tile(np.arange(n_months), n_units)
    rel = [m for m in range(n_months) if m != n_pre - 1]
    X = np.column_stack(
        [(unit == u) * 1.0 for u in range(n_units)]
        + [(month == m) * 1.0 for m in range(1, n_months)]
        + [((unit == 0) & (month == m)) * 1.0 for m in rel]
    )
    beta = sm.OLS(Y.ravel(), X).fit().params
    leads = beta[n_units + n_months - 1 :][: n_pre - 1]
    _, largest, p = leads_placebo(Y, n_pre)
    assert float(largest) == pytest.approx(leads[np.argmax(np.abs(leads))], abs=0.005)
    assert p == pytest.approx(1 / 9)  # unit 0's leads are the largest of the nine
    _, _, p_null = leads_placebo(Y[1:], n_pre)
    assert p_null > 1 / 8
