"""Who was heard, compared with who is affected: representation ratios after disclosure control.

For each dimension ``D`` (ethnic group, age band, sex, IMD quintile, borough, main language) and
band ``b`` (``../shared/reference/participation.md`` section 2.1)::

    p_b = n_b / (N - n_unknown)   share among participants with a known value
    P_b = share of b in the affected population (the finding's denominators, same codes)
    R_b = p_b / P_b               1 = heard in proportion
    CI  = Wilson interval of p_b, divided by P_b; "not yet heard" when its upper bound < 0.5

Disclosure control comes first, as in Find (``docs/disclosure.md``): the participant counts of a
dimension (its bands and the number who did not say) are published under the NHS rule (1-7
suppressed, the rest rounded to 5), and every statistic is computed from the published counts,
never the true ones, so a ratio tells no more than the counts beside it. Within a dimension the
counts add up to the number of participants, which an attacker may know exactly (from the
event's attendance, say); the suppression is repaired until no suppressed count of 1-7 can be
narrowed from that sum and the rounding intervals of the published counts (see
:func:`focuson.insight.disclosure.suppression`). Dimensions share only that total, so they
are protected one by one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import stats

from focuson.insight.disclosure import largest_hidden, suppression
from focuson.stats import NHS_RULE, DisclosureRule
from focuson.stats.intervals import wilson_limits

#: Labels of the six dimensions of participation.md 2.1, for messages and reports.
DIMENSION_LABELS: dict[str, str] = {
    "ethnic_group": "ethnic group",
    "age_band": "age band",
    "sex": "sex",
    "imd_quintile": "deprivation quintile (IMD)",
    "borough": "borough",
    "language": "main language",
}
#: Band values meaning "not stated" (compared after trimming and case-folding), besides NaN/None.
NOT_STATED = frozenset({"", "prefer not to say", "not stated", "not known", "unknown"})

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True)
class Representation:
    """Who was heard compared with who is affected.

    Attributes
    ----------
    bands
        One row per dimension and band of the affected population: ``dimension``, ``band``,
        ``label``, ``participants`` (published: rounded, NaN where suppressed), ``flag``
        (``"rounded"``, ``"zero"`` or ``"suppressed"``), ``population``, ``population_share``
        (P_b), ``share`` (p_b), ``ratio`` (R_b), ``ratio_lower``, ``ratio_upper``,
        ``not_yet_heard`` and ``reason`` (why a value is blank).
    dimensions
        One row per dimension: ``dimension``, ``label``, ``participants`` (published total),
        ``not_stated`` (published n_unknown), ``not_stated_flag``, ``known`` (the denominator of
        p_b), ``chi_square``, ``df``, ``p_value``, ``test_note`` and ``not_yet_heard`` (the
        groups not yet heard, in words).
    threshold, confidence
        As given.
    """

    bands: pd.DataFrame
    dimensions: pd.DataFrame
    threshold: float
    confidence: float

    def not_yet_heard(self) -> str:
        """The groups not yet heard, and how many could not be assessed, in plain English.

        A group is assessed when it has a ratio, or is "not yet heard" from the published
        figures; one suppressed without that, or without a published population, is not.
        """
        bands = self.bands
        heard = bands[bands["not_yet_heard"]]
        open_ = int((bands["ratio"].isna() & ~bands["not_yet_heard"]).sum())
        unassessed = (
            f" {open_} group{'s' if open_ != 1 else ''} could not be assessed (too few "
            "participants, or the population not published)."
            if open_
            else ""
        )
        if heard.empty:
            share = f"{self.threshold:.0%}".replace("50%", "half")
            lead = (
                f"No group is clearly heard less than {share} as often as its share of those "
                "affected."
            )
            return lead + unassessed
        parts = [
            f"{label} ({DIMENSION_LABELS.get(d, d)})"
            for d, label in zip(heard["dimension"], heard["label"], strict=True)
        ]
        return "Not yet heard: " + _and_list(parts) + "." + unassessed


def count_participants(participants: pd.DataFrame, dimensions: list[str]) -> pd.DataFrame:
    """Count participants by dimension and band, "not stated" as a band of NaN.

    Parameters
    ----------
    participants
        One row per participant, one column per dimension holding the band code (NaN, None,
        an empty string or "prefer not to say" when not stated).
    dimensions
        The columns to count.

    Returns
    -------
    pandas.DataFrame
        ``dimension``, ``band`` (NaN = not stated) and ``count``.

    Examples
    --------
    >>> people = pd.DataFrame({"sex": ["F", "F", "M", "prefer not to say"]})
    >>> count_participants(people, ["sex"]).values.tolist()
    [['sex', 'F', 2], ['sex', 'M', 1], ['sex', nan, 1]]
    """
    missing = [d for d in dimensions if d not in participants.columns]
    if missing:
        raise ValueError(f"participants: no column for {', '.join(missing)}")
    long = participants[dimensions].astype(object).melt(var_name="dimension", value_name="band")
    text = long["band"].astype(str).str.strip().str.casefold()
    long.loc[long["band"].isna() | text.isin(NOT_STATED), "band"] = np.nan
    counts = long.groupby(["dimension", "band"], dropna=False, sort=False).size()
    out = counts.rename("count").reset_index()
    order = {d: i for i, d in enumerate(dimensions)}
    out["_d"] = out["dimension"].map(order)
    out["_u"] = out["band"].isna()
    out["_s"] = out["band"].astype(str)  # bands of different dimensions may be ints and strings
    out = out.sort_values(["_d", "_u", "_s"], kind="stable").drop(columns=["_d", "_u", "_s"])
    return out.reset_index(drop=True)


def compare(
    counts: pd.DataFrame,
    population: pd.DataFrame,
    *,
    threshold: float = 0.5,
    confidence: float = 0.95,
    rule: DisclosureRule = NHS_RULE,
    labels: Mapping[str, Mapping[str, str]] | None = None,
) -> Representation:
    """Representation ratios of participants against the affected population, per band.

    Parameters
    ----------
    counts
        ``dimension``, ``band`` (NaN = not stated) and ``count``: participants, or counted
        attendance by group, from every channel (see :func:`count_participants`). Repeated
        rows are added together.
    population
        ``dimension``, ``band`` and ``population``: the affected population (the finding's
        denominators, same codes). NaN where the finding suppressed it.
    threshold
        A group is "not yet heard" when the upper confidence limit of its ratio is below this.
    confidence
        Of the Wilson interval.
    rule
        The disclosure rule applied to the participant counts.
    labels
        Per dimension, band code -> label (codes are shown when no label is given).

    Returns
    -------
    Representation
        Per band and per dimension; see :class:`Representation`.

    Raises
    ------
    ValueError
        Missing columns, negative or fractional counts, a dimension or band that the affected
        population does not have (say which, and what to do).

    Notes
    -----
    The share p_b and its Wilson (1927) score interval are computed from the published counts:
    the band's rounded count over the known total, which is the rounded number of participants
    less the rounded number who did not say (less 4, the middle of 1-7, when that number is
    suppressed). A suppressed band has no ratio; it is still "not yet heard" when even the
    largest count the published figures allow (the published total at the top of its rounding
    interval less the other published counts at the bottom of theirs) would leave the upper
    limit below the threshold: a statement true of every count consistent with what is
    published, so it tells nothing more. The goodness-of-fit test (Pearson's chi-square,
    ``scipy.stats.chisquare``) compares the published counts with the population shares, the
    suppressed bands pooled into one cell, so it too tells nothing the counts do not.

    References
    ----------
    Wilson EB. Probable inference, the law of succession, and statistical inference. JASA
    1927;22:209-212.
    NHS Digital. Disclosure control methodology for HES and ECDS. September 2018.

    Examples
    --------
    >>> counts = pd.DataFrame({"dimension": "sex", "band": ["F", "M", None], "count": [60, 20, 10]})
    >>> population = pd.DataFrame({"dimension": "sex", "band": ["F", "M"], "population": 500})
    >>> out = compare(counts, population)
    >>> out.bands[["band", "participants", "ratio", "not_yet_heard"]].values.tolist()
    [['F', 60.0, 1.5, False], ['M', 20.0, 0.5, False]]
    >>> out.dimensions[["participants", "not_stated", "known"]].values.tolist()
    [[90.0, 10.0, 80.0]]
    """
    if not 0 < confidence < 1:
        raise ValueError(f"confidence: must be between 0 and 1, got {confidence}")
    _require(counts, "counts", ["dimension", "band", "count"])
    _require(population, "population", ["dimension", "band", "population"])
    _whole("counts", counts["count"])
    pop_values = pd.to_numeric(population["population"], errors="coerce")
    if (pop_values < 0).any():
        raise ValueError("population: must not be negative")

    dims = [d for d in dict.fromkeys(population["dimension"]) if d in set(counts["dimension"])]
    strange = sorted(set(counts["dimension"]) - set(population["dimension"]))
    if strange:
        raise ValueError(
            f"counts: the affected population has no dimension {', '.join(map(str, strange))}; "
            "compare only dimensions the finding breaks down"
        )
    pop = population[population["dimension"].isin(dims)].assign(population=pop_values)
    pop = pop.drop_duplicates(["dimension", "band"], keep="last").reset_index(drop=True)
    known_bands = counts[counts["band"].notna()]
    unmatched = known_bands.merge(pop[["dimension", "band"]], how="left", indicator=True)
    unmatched = unmatched[unmatched["_merge"] == "left_only"]
    if len(unmatched):
        named = ", ".join(
            f"{d} {b!r}" for d, b in zip(unmatched["dimension"], unmatched["band"], strict=True)
        )
        raise ValueError(
            f"counts: bands the affected population does not have: {named}; map them to the "
            "finding's codes or count them as not stated"
        )

    # One line per dimension: its bands (population order) then "not stated" in the last column.
    d_index = {d: i for i, d in enumerate(dims)}
    pop["_d"] = pop["dimension"].map(d_index)
    pop["_b"] = pop.groupby("_d").cumcount()
    D, B = len(dims), int(pop["_b"].max() + 1) if len(pop) else 0
    X = np.zeros((D, B + 1))
    exists = np.zeros((D, B + 1), dtype=bool)
    exists[pop["_d"], pop["_b"]] = True
    exists[:, B] = True
    matched = known_bands.merge(pop[["dimension", "band", "_d", "_b"]], on=["dimension", "band"])
    np.add.at(
        X, (matched["_d"].to_numpy(), matched["_b"].to_numpy()), matched["count"].to_numpy(float)
    )
    unknown = counts[counts["band"].isna()]
    np.add.at(
        X[:, B], unknown["dimension"].map(d_index).to_numpy(int), unknown["count"].to_numpy(float)
    )

    S = suppression(X, exists, rule=rule)
    total = X.sum(axis=1)
    total_hidden = rule.suppresses(total)
    published = np.where(S | ~exists, np.nan, rule.round(X))
    total_pub = np.where(total_hidden, np.nan, rule.round(total))
    mid = (rule.suppress_from + rule.suppress_to) / 2
    not_stated = published[:, B]
    known = np.where(np.isnan(not_stated), total_pub - mid, total_pub - not_stated)

    # Population shares over the bands whose population the finding published.
    P_mat = np.full((D, B), np.nan)
    P_mat[pop["_d"], pop["_b"]] = pop["population"].to_numpy(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        share_P = P_mat / np.nansum(P_mat, axis=1, keepdims=True)
        n_pub = published[:, :B]
        x = np.where(
            np.isnan(n_pub), largest_hidden(published, exists, total_pub, rule)[:, None], n_pub
        )
        x = np.minimum(x, known[:, None])
        n = np.broadcast_to(known[:, None], x.shape)
        lo, hi = wilson_limits(x, n, confidence)
        p = n_pub / known[:, None]
        ratio, r_lo, r_hi = p / share_P, lo / share_P, hi / share_P
    usable = (known > 0)[:, None] & (share_P > 0)
    unheard = usable & (r_hi < threshold)
    hidden = np.isnan(n_pub) & exists[:, :B]
    blank = ~usable | hidden
    ratio, r_lo, r_hi, p = (np.where(blank, np.nan, a) for a in (ratio, r_lo, r_hi, p))

    reason = np.full((D, B), "", dtype=object)
    reason[hidden] = "suppressed (small numbers)"
    reason[np.isnan(share_P)] = "affected population suppressed in the finding"
    reason[share_P == 0] = "no one affected in this group"
    reason[~(known > 0)[:, None] & exists[:, :B]] = "too few participants with this recorded"

    rows = pop["_d"].to_numpy(), pop["_b"].to_numpy()
    flags = np.where(hidden, "suppressed", np.where(n_pub == 0, "zero", "rounded"))
    band_labels = [
        (labels or {}).get(d, {}).get(str(b), str(b))
        for d, b in zip(pop["dimension"], pop["band"], strict=True)
    ]
    bands = pd.DataFrame(
        {
            "dimension": pop["dimension"],
            "band": pop["band"],
            "label": band_labels,
            "participants": n_pub[rows],
            "flag": flags[rows],
            "population": pop["population"],
            "population_share": share_P[rows],
            "share": p[rows],
            "ratio": ratio[rows],
            "ratio_lower": r_lo[rows],
            "ratio_upper": r_hi[rows],
            "not_yet_heard": unheard[rows],
            "reason": reason[rows],
        }
    )
    tests = [_fit(n_pub[i], share_P[i], exists[i, :B], known[i]) for i in range(D)]
    summary = pd.DataFrame(
        {
            "dimension": dims,
            "label": [DIMENSION_LABELS.get(d, d) for d in dims],
            "participants": total_pub,
            "not_stated": not_stated,
            "not_stated_flag": np.where(
                np.isnan(not_stated), "suppressed", np.where(not_stated == 0, "zero", "rounded")
            ),
            "known": known,
            "chi_square": [t[0] for t in tests],
            "df": [t[1] for t in tests],
            "p_value": [t[2] for t in tests],
            "test_note": [t[3] for t in tests],
            "not_yet_heard": [
                _and_list(
                    bands.loc[(bands["dimension"] == d) & bands["not_yet_heard"], "label"].tolist()
                )
                for d in dims
            ],
        }
    )
    return Representation(
        bands=bands, dimensions=summary, threshold=threshold, confidence=confidence
    )


def _fit(
    n_pub: FloatArray, share: FloatArray, exists: BoolArray, known: float
) -> tuple[float, float, float, str]:
    """Pearson's goodness-of-fit from the published counts, suppressed bands pooled."""
    n_pub, share = n_pub[exists], share[exists]
    if np.isnan(share).any():
        return np.nan, np.nan, np.nan, "the test needs the affected population of every group"
    if not known > 0:
        return np.nan, np.nan, np.nan, "too few participants with this recorded"
    hidden = np.isnan(n_pub)
    observed = n_pub[~hidden]
    expected_share = share[~hidden]
    if hidden.any():
        pooled = max(known - observed.sum(), 0.0)
        observed = np.append(observed, pooled)
        expected_share = np.append(expected_share, share[hidden].sum())
    if (observed[expected_share == 0] > 0).any():
        return np.inf, np.nan, 0.0, "participants in a group with no one affected"
    keep = expected_share > 0
    observed, expected_share = observed[keep], expected_share[keep]
    if observed.size < 2 or observed.sum() == 0:
        return np.nan, np.nan, np.nan, "needs at least two groups with participants"
    expected = expected_share / expected_share.sum() * observed.sum()
    result = stats.chisquare(observed, expected)
    note = "suppressed groups pooled; " if hidden.any() else ""
    if (expected < 5).any():
        note += "approximate: some expected counts are under 5"
    return float(result.statistic), float(observed.size - 1), float(result.pvalue), note.strip("; ")


def _require(frame: pd.DataFrame, name: str, columns: list[str]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{name}: missing column {', '.join(missing)} (expected {', '.join(columns)})"
        )


def _whole(name: str, values: pd.Series) -> None:
    x = pd.to_numeric(values, errors="coerce").to_numpy(float)
    bad = np.isnan(x) | (x < 0) | (x != np.floor(x))
    if bad.any():
        rows = ", ".join(str(i + 1) for i in np.flatnonzero(bad)[:5])
        raise ValueError(f"{name}: counts must be whole numbers of at least 0; not in row {rows}")


def _and_list(items: list[str]) -> str:
    """``a, b and c``.

    >>> _and_list(["a", "b", "c"])
    'a, b and c'
    """
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
