"""Loaders for the official reference files, in their published formats, from a path you give.

Every loader validates the whole file (in DuckDB for CSV) and returns a
:class:`~focuson.data.reference.provenance.ReferenceTable`: a :class:`pandas.DataFrame` in the
focuson schema plus its :class:`~focuson.data.reference.provenance.Provenance` (files and SHA-256,
publisher, release, LSOA vintage). Any problem raises
:class:`~focuson.data.reference._read.ReferenceDataError` naming the file, line and column, and
nothing is returned: a load is all or nothing.

==================================  =====================================================
loader                              reads
==================================  =====================================================
:func:`load_imd`                    English Indices of Deprivation 2019 / 2025, all domains
:func:`load_lsoa_lookup`            ONS LSOA -> MSOA / ward / LAD / sub-ICB / ICB lookups
:func:`load_lsoa11_lsoa21_lookup`   ONS LSOA 2011 -> 2021 lookups (exact fit, best fit)
:func:`load_mid_year_estimates`     ONS LSOA population estimates by age (and sex)
:func:`load_census_age_bands`       Census 2021 usual residents by LSOA and age band
:func:`load_census_ethnic_group`    Census 2021 TS021 ethnic group (5 groups) by LSOA
:func:`load_nhs_ethnic_categories`  NHS ethnic category codes with 5/6-group roll-ups
:func:`load_pre_2003_ethnic_codes`  pre-2003 numeric ethnic codes -> NHS codes
:func:`load_snomed_ethnic_codes`    SNOMED CT ethnicity concepts -> NHS codes
:func:`load_boundaries`             GeoJSON boundaries (codes and geometries)
==================================  =====================================================

The 2013 European Standard Population is a published table of facts and ships with focuson:
:data:`focuson.stats.standard_populations.ESP2013`.
"""

from focuson.data.reference._read import ReferenceDataError
from focuson.data.reference.boundaries import load_boundaries
from focuson.data.reference.ethnicity import (
    CENSUS_2021_GROUPS,
    GROUPS_6,
    NHS_ETHNIC_CATEGORY_GROUPS,
    NOT_STATED,
    load_nhs_ethnic_categories,
    load_pre_2003_ethnic_codes,
    load_snomed_ethnic_codes,
    roll_up_ethnic_category,
)
from focuson.data.reference.imd import RELEASES, load_imd
from focuson.data.reference.lookups import (
    CHANGE_INDICATOR,
    load_lsoa11_lsoa21_lookup,
    load_lsoa_lookup,
)
from focuson.data.reference.population import (
    load_census_age_bands,
    load_census_ethnic_group,
    load_mid_year_estimates,
)
from focuson.data.reference.provenance import Provenance, ReferenceTable, SourceFile

__all__ = [
    "CENSUS_2021_GROUPS",
    "CHANGE_INDICATOR",
    "GROUPS_6",
    "NHS_ETHNIC_CATEGORY_GROUPS",
    "NOT_STATED",
    "RELEASES",
    "Provenance",
    "ReferenceDataError",
    "ReferenceTable",
    "SourceFile",
    "load_boundaries",
    "load_census_age_bands",
    "load_census_ethnic_group",
    "load_imd",
    "load_lsoa11_lsoa21_lookup",
    "load_lsoa_lookup",
    "load_mid_year_estimates",
    "load_nhs_ethnic_categories",
    "load_pre_2003_ethnic_codes",
    "load_snomed_ethnic_codes",
    "roll_up_ethnic_category",
]
