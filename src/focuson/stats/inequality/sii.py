"""The slope index of inequality in its three flavours, and which one was used.

Three SIIs are in use in England and they give different numbers for the same data, so focuson
never reports an SII without naming its flavour:

``"who"``
    WHO / HEAT (healthequal 1.0.1): logistic (or linear) regression on ridit ranks of the
    subgroups' own population, HC1 sandwich standard errors and the delta method.
    :func:`~focuson.stats.inequality.sii_who.sii_who`.
``"ohid"``
    OHID / Fingertips (PHEindicatormethods ``phe_sii``, Low & Low 2004): weighted least squares
    on local ranks, Monte Carlo intervals. :func:`~focuson.stats.inequality.sii_ohid.sii_ohid`.
``"nhse"``
    NHS England North East and Yorkshire "new SII": ranks from England's population by national
    IMD quantile, weights from the local population, so that areas are comparable.
    :func:`~focuson.stats.inequality.sii_nhse.sii_nhse`.

Sign: all three store the raw slope from the most to the least deprived end (positive = higher
among the less deprived), except ``nhse`` with ``flip=True`` (its default), which reports most
minus least deprived. :func:`~focuson.stats.inequality.orientation.oriented` turns a raw value
into the presented one, positive meaning the most deprived are worse off.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from focuson.stats.estimate import Estimate
from focuson.stats.inequality.sii_nhse import sii_nhse
from focuson.stats.inequality.sii_ohid import sii_ohid
from focuson.stats.inequality.sii_who import sii_who


@dataclass(frozen=True)
class SiiFlavour:
    """One way of computing the slope index of inequality."""

    key: str
    label: str
    ranks: str
    model: str
    intervals: str
    reference: str
    function: Callable[..., Any]


SII_FLAVOURS: dict[str, SiiFlavour] = {
    flavour.key: flavour
    for flavour in (
        SiiFlavour(
            key="who",
            label="WHO/healthequal",
            ranks="ridit ranks of the local subgroup populations",
            model="logistic (quasi-binomial) or linear regression",
            intervals="HC1 sandwich covariance and the delta method (analytic)",
            reference="healthequal 1.0.1 sii (WHO HEAT)",
            function=sii_who,
        ),
        SiiFlavour(
            key="ohid",
            label="OHID phe_sii",
            ranks="midpoints of the local cumulative population share",
            model="weighted least squares (Low & Low 2004)",
            intervals="Monte Carlo simulation of the subgroup values (seeded)",
            reference="PHEindicatormethods 2.1.0 phe_sii",
            function=sii_ohid,
        ),
        SiiFlavour(
            key="nhse",
            label="NHS England NE&Y new SII",
            ranks="midpoints of England's cumulative population share by national quantile",
            model="weighted least squares, weights the local population shares",
            intervals="Monte Carlo simulation of the slope (seeded)",
            reference="nhsengland/NEY-Inequalities-Methodologies Quintiles_new_Sii",
            function=sii_nhse,
        ),
    )
}


def sii(flavour: str, *args: Any, **kwargs: Any) -> Estimate | tuple[Estimate, Estimate]:
    """Slope index of inequality in the named flavour.

    Parameters
    ----------
    flavour
        ``"who"``, ``"ohid"`` or ``"nhse"`` (see the module docstring and :data:`SII_FLAVOURS`).
    *args, **kwargs
        Passed to that flavour's function, whose arguments differ (the NHS England flavour
        needs national populations, the OHID one confidence limits or standard errors).

    Returns
    -------
    Estimate or (Estimate, Estimate)
        As the flavour's function returns; its ``statistic`` and ``method`` name the flavour.

    Examples
    --------
    >>> import numpy as np
    >>> y, pop = np.array([60.0, 62, 65, 67, 70]), np.full(5, 1000.0)
    >>> est = sii("who", y, None, pop, scale=100, model="linear")
    >>> round(float(est.value[0]), 4), est.statistic
    (12.5, 'slope index of inequality (WHO/healthequal, linear)')
    """
    try:
        chosen = SII_FLAVOURS[flavour]
    except KeyError:
        raise ValueError(
            f"flavour: expected one of {', '.join(SII_FLAVOURS)}, got {flavour!r}"
        ) from None
    result: Estimate | tuple[Estimate, Estimate] = chosen.function(*args, **kwargs)
    return result
