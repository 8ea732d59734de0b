"""The data layer: table contracts, readers with validation, and reference data loaders.

Reference data (IMD, lookups, populations, ethnicity codes, boundaries) are read from the official
files in their published formats, from a path the user gives; focuson ships none of them.
"""

from focuson.data.contracts import (
    CONTRACT_VERSION,
    CONTRACTS,
    DataContractError,
    DatasetMapping,
    LoadedDataset,
    TableMapping,
    load_dataset,
    mapping_for_folder,
    read_mapping,
)
from focuson.data.reference import (
    Provenance,
    ReferenceDataError,
    ReferenceTable,
    load_boundaries,
    load_census_age_bands,
    load_census_ethnic_group,
    load_imd,
    load_lsoa11_lsoa21_lookup,
    load_lsoa_lookup,
    load_mid_year_estimates,
    load_nhs_ethnic_categories,
    load_pre_2003_ethnic_codes,
    load_snomed_ethnic_codes,
    roll_up_ethnic_category,
)

__all__ = [
    "CONTRACTS",
    "CONTRACT_VERSION",
    "DataContractError",
    "DatasetMapping",
    "LoadedDataset",
    "Provenance",
    "ReferenceDataError",
    "ReferenceTable",
    "TableMapping",
    "load_boundaries",
    "load_census_age_bands",
    "load_census_ethnic_group",
    "load_dataset",
    "load_imd",
    "load_lsoa11_lsoa21_lookup",
    "load_lsoa_lookup",
    "load_mid_year_estimates",
    "load_nhs_ethnic_categories",
    "load_pre_2003_ethnic_codes",
    "load_snomed_ethnic_codes",
    "mapping_for_folder",
    "read_mapping",
    "roll_up_ethnic_category",
]
