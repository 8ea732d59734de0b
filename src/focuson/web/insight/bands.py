"""The bands a participant's attributes are recorded in: the codes of Find's breakdowns.

Participants are recorded in the same codes as the findings (``focuson.engine.breakdowns``), so
who was heard can be set against who is affected without a mapping. A blank value is "prefer
not to say" (the library counts it as not stated).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

PREFER_NOT = ("", _("Prefer not to say"))

AGE_BANDS = [
    ("0-17", _("0 to 17")),
    ("18-64", _("18 to 64")),
    ("65-79", _("65 to 79")),
    ("80+", _("80 and over")),
]
SEXES = [("F", _("Female")), ("M", _("Male"))]
#: The Census 2021 high-level groups, as ``ethnicity_6`` in Find (its "not stated" is our blank).
ETHNIC_GROUPS = [
    ("Asian", _("Asian or Asian British")),
    ("Black", _("Black, Black British, Caribbean or African")),
    ("Mixed", _("Mixed or multiple ethnic groups")),
    ("White", _("White")),
    ("Other", _("Other ethnic group")),
]
IMD_QUINTILES = [
    ("1", _("1: most deprived fifth")),
    ("2", _("2")),
    ("3", _("3")),
    ("4", _("4")),
    ("5", _("5: least deprived fifth")),
]
YES_NO = [("yes", _("Yes")), ("no", _("No"))]

#: Find's breakdown code -> the participant field holding it.
DIMENSIONS: dict[str, str] = {
    "ethnicity_6": "ethnic_group",
    "age_band_broad": "age_band",
    "sex": "sex",
    "imd_quintile": "imd_quintile",
    "borough": "borough__name",
}
DIMENSION_LABELS = {
    "ethnicity_6": _("Ethnic group"),
    "age_band_broad": _("Age band"),
    "sex": _("Sex"),
    "imd_quintile": _("Deprivation quintile (IMD)"),
    "borough": _("Borough"),
}
#: Bands of the affected population that are not a group anyone can be heard as.
UNKNOWN_GROUPS = frozenset({"Not known", "Not stated / not known", "U"})

#: The fixed bands per dimension (boroughs come from the programme's boroughs).
FIXED_BANDS: dict[str, list[tuple[str, object]]] = {
    "ethnicity_6": ETHNIC_GROUPS,
    "age_band_broad": AGE_BANDS,
    "sex": SEXES,
    "imd_quintile": IMD_QUINTILES,
}
