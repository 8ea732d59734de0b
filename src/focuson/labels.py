"""Codes in plain English: the one place where breakdowns, groups and measures get their labels.

Every output a person reads (the terminal, the reports, the CSV and Excel exports) and every
Parquet file a run writes label their codes through this module, so that a breakdown, a group
or a measure reads the same everywhere: ``imd_quintile x ethnicity_6`` is "IMD quintile by
ethnicity", its group ``1 | Black`` is "Most deprived fifth, Black", the NHS ethnic category
``N`` is "Black: African", and the gap measure ``sii`` is "Slope index of inequality (SII)".

Labels are worked out once per distinct code (a few hundred at most), then mapped onto the rows
(:func:`label_columns`), so labelling a million rows costs one ``map`` per column.

Examples
--------
>>> dimension_label("borough x imd_quintile")
'Borough by IMD quintile'
>>> group_label("imd_quintile x ethnicity_6", "1 | Black")
'Most deprived fifth, Black'
>>> group_label("ethnicity_code", "N"), measure_label("sii")
('Black: African', 'Slope index of inequality (SII)')
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial

import numpy as np
import pandas as pd

from focuson.data.reference.ethnicity import NHS_ETHNIC_CATEGORY_GROUPS, NHS_ETHNIC_CATEGORY_NAMES

#: The parts of an intersection's name and of its groups.
DIMENSION_SEPARATOR = " x "
GROUP_SEPARATOR = " | "

#: Each dimension of the AGGREGATES frame (``focuson.engine.breakdowns``) in words.
DIMENSION_NAMES: dict[str, str] = {
    "overall": "Overall",
    "imd_decile": "IMD decile",
    "imd_quintile": "IMD quintile",
    "sex": "Sex",
    "age_band_5y": "Age (5-year bands)",
    "age_band_broad": "Age",
    "ethnicity_5": "Ethnicity (5 groups)",
    "ethnicity_6": "Ethnicity",
    "ethnicity_code": "Ethnic category",
    "borough": "Borough",
}

#: IMD dimensions: the share of areas each group is, and how many groups there are.
IMD_DIMENSIONS: dict[str, tuple[str, int]] = {
    "imd_decile": ("tenth", 10),
    "imd_quintile": ("fifth", 5),
}
ORDINALS: dict[int, str] = {2: "second", 3: "third", 4: "fourth", 5: "fifth"}

SEX_LABELS: dict[str, str] = {"F": "Female", "M": "Male", "U": "Sex not known"}

#: The 6-group short names (``focuson.engine.breakdowns``) of each NHS ethnic category's group.
_ETHNIC_GROUP_SHORT: dict[str, str] = {
    "White": "White",
    "Mixed or Multiple ethnic groups": "Mixed",
    "Asian, Asian British or Asian Welsh": "Asian",
    "Black, Black British, Black Welsh, Caribbean or African": "Black",
    "Other ethnic group": "Other",
}
#: NHS ethnic category code -> label: its group and its NHS name ("Black: African").
ETHNIC_CATEGORY_LABELS: dict[str, str] = {
    code: (
        f"{_ETHNIC_GROUP_SHORT[NHS_ETHNIC_CATEGORY_GROUPS[code]]}: {name}"
        if NHS_ETHNIC_CATEGORY_GROUPS[code] in _ETHNIC_GROUP_SHORT
        else name
    )
    for code, name in NHS_ETHNIC_CATEGORY_NAMES.items()
}

#: Summary measures (``gradients.parquet``) and gap measures (``monitor/gaps.parquet``).
MEASURE_NAMES: dict[str, str] = {
    "sii": "Slope index of inequality (SII)",
    "rii": "Relative index of inequality (RII)",
    "bgv": "Between-group variance (BGV)",
    "idisw": "Index of disparity, population-weighted (IDISW)",
    "q1_q5_difference": "Most minus least deprived fifth",
    "q1_q5_ratio": "Most over least deprived fifth (ratio)",
    "ethnicity_difference": "Difference from everyone else",
}

#: Groups a comparison's ``reference_group`` may name that mean "the rest of the population".
REST_GROUPS = frozenset({"rest", "everyone else", "all others"})


def in_sentence(label: str) -> str:
    """A label as it reads inside a sentence: a capital only where the word needs one.

    >>> in_sentence("Most deprived fifth"), in_sentence("IMD quintile"), in_sentence("A&E")
    ('most deprived fifth', 'IMD quintile', 'A&E')
    """
    first = label.split(" ", 1)[0]
    if len(first) > 1 and first[1:].islower():
        return label[0].lower() + label[1:]
    if len(first) == 1 and " " in label:  # "A fifth": one letter, then words
        return label[0].lower() + label[1:]
    return label


def _parts(dimension: object, group: object) -> list[tuple[str, str]] | None:
    dims = [d.strip() for d in str(dimension).split(DIMENSION_SEPARATOR)]
    groups = [g.strip() for g in str(group).split(GROUP_SEPARATOR)]
    return list(zip(dims, groups, strict=True)) if len(dims) == len(groups) else None


def dimension_label(dimension: object) -> str:
    """A breakdown's name: ``"IMD quintile by ethnicity"``, ``"Borough by IMD quintile"``.

    >>> dimension_label("imd_quintile x age_band_broad"), dimension_label("borough")
    ('IMD quintile by age', 'Borough')
    >>> dimension_label("new_breakdown")
    'New breakdown'
    """
    parts = []
    for d in str(dimension).split(DIMENSION_SEPARATOR):
        d = d.strip()
        parts.append(DIMENSION_NAMES.get(d) or d.replace("_", " ").capitalize())
    return " by ".join([parts[0], *(in_sentence(p) for p in parts[1:])])


def imd_group_label(dimension: str, group: object) -> str | None:
    """``"Most deprived fifth"`` for IMD quintile 1, ``None`` if not an IMD group.

    >>> [imd_group_label("imd_quintile", q) for q in "12345"]  # doctest: +NORMALIZE_WHITESPACE
    ['Most deprived fifth', 'Second most deprived fifth', 'Middle fifth',
     'Second least deprived fifth', 'Least deprived fifth']
    >>> imd_group_label("imd_decile", "7"), imd_group_label("sex", "1")
    ('Fourth least deprived tenth', None)
    """
    if dimension not in IMD_DIMENSIONS:
        return None
    share, n = IMD_DIMENSIONS[dimension]
    try:
        q = int(str(group).strip())
    except ValueError:
        return None
    if not 1 <= q <= n:
        return None
    if q == 1:
        return f"Most deprived {share}"
    if q == n:
        return f"Least deprived {share}"
    if n % 2 == 1 and q == (n + 1) // 2:
        return f"Middle {share}"
    rank, end = (q, "most") if q <= n // 2 else (n + 1 - q, "least")
    return f"{ORDINALS.get(rank, f'{rank}th').capitalize()} {end} deprived {share}"


def _one_label(dimension: str, group: str) -> str:
    imd = imd_group_label(dimension, group)
    if imd is not None:
        return imd
    if dimension in IMD_DIMENSIONS:  # "Not known": no IMD for the area
        return f"{DIMENSION_NAMES[dimension]} {group}" if group[:1].isdigit() else "Area not known"
    if dimension == "sex":
        return SEX_LABELS.get(group, f"Sex {group}")
    if dimension.startswith("age_band"):
        return f"Age {group}"
    if dimension == "ethnicity_code":
        return ETHNIC_CATEGORY_LABELS.get(group, f"Ethnic category {group}")
    if dimension == "borough" and group == "Not known":
        return "Borough not known"
    return group


def group_label(dimension: object, group: object, *, mid_sentence: bool = False) -> str:
    """A group's label for tables and charts; each part of an intersection labelled.

    Parameters
    ----------
    dimension
        A dimension, e.g. ``"sex"`` or ``"imd_quintile x ethnicity_6"``.
    group
        Its group; the parts of an intersection's group are separated by ``" | "``.
    mid_sentence
        For use inside a sentence: a label that opens with common words starts in lower case
        (``"most deprived fifth, Black"``); names keep their capitals.

    Returns
    -------
    str
        E.g. ``"Female"``, ``"Age 65+"``, ``"Most deprived fifth, Black"``.

    Examples
    --------
    >>> group_label("borough x imd_quintile", "Brent | 5")
    'Brent, least deprived fifth'
    >>> group_label("sex", "F"), group_label("ethnicity_code", "99"), group_label("overall", "All")
    ('Female', 'Not known', 'All')
    >>> group_label("imd_quintile x ethnicity_6", "1 | Black", mid_sentence=True)
    'most deprived fifth, Black'
    """
    parts = _parts(dimension, group)
    if parts is None:
        return f"{dimension_label(dimension)}: {group}"
    labels = [_one_label(d, g) for d, g in parts]
    # Later parts read mid-phrase: "Brent, most deprived fifth"; names keep their capitals.
    common = [d in IMD_DIMENSIONS or d.startswith("age_band") for d, _ in parts]
    later = [in_sentence(p) if c else p for p, c in zip(labels[1:], common[1:], strict=True)]
    first = in_sentence(labels[0]) if mid_sentence and common[0] else labels[0]
    return ", ".join([first, *later])


def group_labels(
    dimensions: pd.Series, groups: pd.Series, *, mid_sentence: bool = False
) -> pd.Series:
    """:func:`group_label` of each row, worked out once per distinct pair (missing stays missing).

    >>> group_labels(pd.Series(["sex", "imd_quintile x sex"]), pd.Series(["F", "5 | M"])).tolist()
    ['Female', 'Least deprived fifth, Male']
    """
    return _pair_mapped(dimensions, groups, partial(group_label, mid_sentence=mid_sentence))


def reference_label(dimension: object, reference_group: object) -> str:
    """What a group is compared with: ``"Least deprived fifth"``, ``"Everyone else"``.

    >>> reference_label("imd_quintile", "5"), reference_label("sex", "rest")
    ('Least deprived fifth', 'Everyone else')
    >>> reference_label("sex", None)
    ''
    """
    if reference_group is None or (
        isinstance(reference_group, float) and reference_group != reference_group
    ):
        return ""
    ref = str(reference_group).strip()
    if not ref:
        return ""
    if ref.lower() in REST_GROUPS or ref.lower().startswith("all except"):
        return "Everyone else"
    return group_label(dimension, ref)


def measure_label(measure: object) -> str:
    """A summary or gap measure's name.

    >>> measure_label("q1_q5_difference"), measure_label("new_measure")
    ('Most minus least deprived fifth', 'New measure')
    """
    m = str(measure)
    return MEASURE_NAMES.get(m) or MEASURE_NAMES.get(m.lower()) or m.replace("_", " ").capitalize()


def about_label(about: object) -> str:
    """What an alert is about: a gap measure (``sii``) or a breakdown (``imd_quintile``).

    >>> about_label("sii"), about_label("imd_quintile x ethnicity_6")
    ('Slope index of inequality (SII)', 'IMD quintile by ethnicity')
    """
    return measure_label(about) if str(about) in MEASURE_NAMES else dimension_label(about)


#: The dimension a gap measure's groups belong to (``group`` is ``All`` for the others).
MEASURE_DIMENSIONS: dict[str, str] = {"ethnicity_difference": "ethnicity_6"}


def _mapped(values: pd.Series, label: Callable[[str], str]) -> pd.Series:
    """``label(v)`` for each distinct value, mapped onto the rows (missing stays missing)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    names = pd.array([*(label(str(u)) for u in uniques), pd.NA], dtype="string")
    return pd.Series(names[codes], index=values.index, dtype="string")


def _pair_mapped(
    dimensions: pd.Series, groups: pd.Series, label: Callable[[str, str], str]
) -> pd.Series:
    """``label(d, g)`` for each distinct pair, mapped onto the rows (missing stays missing).

    Pairs are told apart by whole-number codes: no text is built per row.
    """
    d_codes, d_names = pd.factorize(dimensions, use_na_sentinel=True)
    g_codes, g_names = pd.factorize(groups, use_na_sentinel=True)
    width = max(len(g_names), 1)
    missing = (d_codes < 0) | (g_codes < 0)
    pairs = np.where(missing, -1, d_codes.astype(np.int64) * width + g_codes)
    codes, uniques = pd.factorize(pairs)
    names = [
        pd.NA if u < 0 else label(str(d_names[u // width]), str(g_names[u % width]))
        for u in uniques.tolist()
    ]
    return pd.Series(pd.array(names, dtype="string")[codes], index=groups.index, dtype="string")


#: Label columns :func:`label_columns` adds, each beside the code column it labels.
LABEL_COLUMNS: dict[str, str] = {
    "indicator": "indicator_title",
    "dimension": "dimension_label",
    "measure": "measure_label",
    "about": "about_label",
    "group": "group_label",
    "reference_group": "reference_label",
}


def label_columns(frame: pd.DataFrame, indicators: pd.DataFrame | None = None) -> pd.DataFrame:
    """``frame`` with a label column beside each code column it has (see :data:`LABEL_COLUMNS`).

    Parameters
    ----------
    frame
        An output table: findings, gradients, a monitoring series or its SPC, alerts. Label
        columns already there are worked out again (a stored history's rows and a new run's
        rows get the same labels).
    indicators
        ``id`` and ``title`` of each indicator, for ``indicator_title``; an indicator missing
        from it (or no frame) is labelled with its id.

    Returns
    -------
    pandas.DataFrame
        A new frame, the same rows; each label column (string, missing where the code is)
        placed right after its code. ``group`` is labelled with the row's ``dimension``, or
        the breakdown of its gap ``measure`` (``ethnicity_difference``: ethnic groups);
        ``reference_group`` likewise.

    Examples
    --------
    >>> f = pd.DataFrame({"indicator": ["rtt"], "dimension": ["imd_quintile x ethnicity_6"],
    ...                   "group": ["1 | Black"], "reference_group": ["rest"], "value": [1.0]})
    >>> label_columns(f, pd.DataFrame({"id": ["rtt"], "title": ["Waits"]})).iloc[0, :8].tolist()
    ['rtt', 'Waits', 'imd_quintile x ethnicity_6', 'IMD quintile by ethnicity', '1 | Black', \
'Most deprived fifth, Black', 'rest', 'Everyone else']
    """
    out = frame.drop(columns=[c for c in LABEL_COLUMNS.values() if c in frame])
    labels: dict[str, pd.Series] = {}
    if "indicator" in out:
        titles: Mapping[object, object] = {}
        if indicators is not None and {"id", "title"} <= set(indicators.columns):
            titles = dict(zip(indicators["id"], indicators["title"], strict=True))
        labels["indicator"] = _mapped(out["indicator"], lambda i: str(titles.get(i, i)))
    if "dimension" in out:
        labels["dimension"] = _mapped(out["dimension"], dimension_label)
    if "measure" in out:
        labels["measure"] = _mapped(out["measure"], measure_label)
    if "about" in out:
        labels["about"] = _mapped(out["about"], about_label)
    breakdown = _breakdown_of_groups(out)
    if "group" in out and breakdown is not None:
        labels["group"] = _pair_mapped(breakdown, out["group"], group_label)
    if "reference_group" in out and breakdown is not None:
        labels["reference_group"] = _pair_mapped(breakdown, out["reference_group"], reference_label)
    columns: list[str] = []
    for column in out.columns:
        columns.append(column)
        if column in labels:
            out[LABEL_COLUMNS[column]] = labels[column]
            columns.append(LABEL_COLUMNS[column])
    return out[columns]


def _breakdown_of_groups(frame: pd.DataFrame) -> pd.Series | None:
    """The dimension each row's ``group`` belongs to: its ``dimension``, else its measure's or
    alert's breakdown (a gap's groups are ``All`` or, for ethnicity, ethnic groups)."""
    by: pd.Series | None = None
    for column in ("dimension", "about", "measure"):
        if column not in frame:
            continue
        values = frame[column].astype(object)
        values = values.where(
            ~values.isin(list(MEASURE_DIMENSIONS)), values.map(MEASURE_DIMENSIONS)
        )
        values = values.where(~values.isin(list(MEASURE_NAMES)), "overall")
        by = values if by is None else by.where(by.notna(), values)
    return by
