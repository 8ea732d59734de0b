"""Table contracts (version 1) and the validating loader of a user's tables.

A *contract* says what one table must hold: its columns, their types and allowed codes, which
may be empty, its primary key, its foreign keys to ``persons`` and the rules across a row's
columns. A *mapping file* (TOML or YAML) says where the user's files are and what their columns
are called. :func:`load_dataset` loads every table into DuckDB, checked inside the engine, all or
nothing; any problem raises :class:`DataContractError` naming the file, line or row, column and
what was expected (never the value: these are patient-level rows).

>>> from focuson.data.contracts import CONTRACTS
>>> list(CONTRACTS)  # doctest: +NORMALIZE_WHITESPACE
['persons', 'rtt_pathways', 'diagnostic_waits', 'ae_attendances', 'cancer_pathways',
 'screening', 'hypertension', 'admissions']
"""

from focuson.data.contracts.columns import Column, ColumnType, Contract, ForeignKey, RowRule
from focuson.data.contracts.errors import DataContractError
from focuson.data.contracts.example import write_example_dataset
from focuson.data.contracts.load import (
    LOAD_TABLE,
    LoadedDataset,
    UnknownCount,
    existing_tables,
    load_dataset,
    read_load_record,
)
from focuson.data.contracts.mapping import (
    DatasetMapping,
    TableMapping,
    mapping_for_folder,
    mapping_from_dict,
    read_mapping,
)
from focuson.data.contracts.tables import CONTRACT_VERSION, CONTRACTS

__all__ = [
    "CONTRACTS",
    "CONTRACT_VERSION",
    "LOAD_TABLE",
    "Column",
    "ColumnType",
    "Contract",
    "DataContractError",
    "DatasetMapping",
    "ForeignKey",
    "LoadedDataset",
    "RowRule",
    "TableMapping",
    "UnknownCount",
    "existing_tables",
    "load_dataset",
    "mapping_for_folder",
    "mapping_from_dict",
    "read_load_record",
    "read_mapping",
    "write_example_dataset",
]
