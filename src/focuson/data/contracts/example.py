"""A tiny valid dataset of all eight tables, for examples, documentation and tests.

Six invented people in four real Brent LSOAs (2021 boundaries) and a little activity for each
table, as of 31 March 2025. It includes the awkward but valid cases a real extract has: a sex
not known (``U``), ethnicity not stated (``Z``) and not known (``99``), an empty LSOA, a date
of birth to the month, pathways still waiting (empty ``clock_stop``), a person on the
hypertension register without a blood pressure reading.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import duckdb

from focuson.data.contracts._sql import ident, lit
from focuson.data.contracts.tables import CONTRACTS

#: The CSV text of each table, by contract name.
EXAMPLE_TABLES: dict[str, str] = {
    "persons": (
        "person_id,sex,date_of_birth,ethnicity,lsoa,practice,main_language\n"
        "P001,F,1950-03-14,A,E01000471,E84002,English\n"
        "P002,M,1982-11-02,M,E01000472,E84003,Polish\n"
        "P003,U,2001-07,Z,E01000473,,\n"
        "P004,F,1975-01-20,99,,E84002,Somali\n"
        "P005,M,1990-06-30,H,E01000471,E84003,English\n"
        "P006,F,1968-09-09,N,E01000474,E84002,Arabic\n"
    ),
    "rtt_pathways": (
        "pathway_id,person_id,provider,treatment_function,clock_start,clock_stop\n"
        "R1,P001,RYJ,100,2024-04-02,2024-06-20\n"
        "R2,P002,R1K,110,2024-05-10,\n"
        "R3,P005,RQM,130,2024-08-01,2024-08-30\n"
        "R4,P006,RAS,502,2025-01-15,\n"
    ),
    "diagnostic_waits": (
        "request_id,person_id,provider,modality,requested,tested\n"
        "D1,P001,RYJ,MRI,2024-05-01,2024-05-20\n"
        "D2,P004,R1K,CT,2025-02-01,\n"
        "D3,P006,RQM,Non-obstetric ultrasound,2024-11-11,2024-12-02\n"
    ),
    "ae_attendances": (
        "attendance_id,person_id,provider,department_type,arrival,departure\n"
        "A1,P002,RYJ,1,2024-07-04 22:15:00,2024-07-05 02:40:00\n"
        "A2,P003,R1K,3,2024-09-12 10:05,2024-09-12 11:30\n"
        "A3,P005,RAS,1,2025-03-01 08:00:00,2025-03-01 13:45:00\n"
    ),
    "cancer_pathways": (
        "pathway_id,person_id,cancer_type,referral,diagnosis_communicated,decision_to_treat,"
        "first_treatment,stage\n"
        "C1,P001,breast,2024-06-03,2024-06-20,2024-07-01,2024-07-15,2\n"
        "C2,P006,lung,2024-10-01,2024-10-30,,,\n"
        "C3,P004,colorectal,2025-02-10,,,,\n"
    ),
    "screening": (
        "person_id,programme,invited,screened\n"
        "P001,breast,2024-05-01,2024-05-20\n"
        "P006,cervical,2024-08-01,\n"
        "P002,bowel,2024-09-15,2024-10-01\n"
    ),
    "hypertension": (
        "person_id,diagnosed,last_bp,systolic,diastolic\n"
        "P001,2015-04-01,2025-01-10,138,84\n"
        "P002,2020-09-15,,,\n"
        "P006,2019-02-01,2024-11-20,152,95\n"
    ),
    "admissions": (
        "admission_id,person_id,admitted,method,primary_diagnosis\n"
        "H1,P001,2024-07-15,elective,C50.9\n"
        "H2,P005,2025-03-01,emergency,I21.4\n"
        "H3,P002,2024-12-03,emergency,J189\n"
    ),
}

#: The example's extract date and LSOA vintage.
EXAMPLE_AS_OF = "2025-03-31"
EXAMPLE_LSOA_VINTAGE = 2021


def write_example_dataset(
    folder: Path | str,
    *,
    format: Literal["csv", "parquet"] = "csv",
    reference_lsoa: Path | str | None = None,
) -> Path:
    """Write the example tables and their mapping file into a folder.

    Parameters
    ----------
    folder
        Where to write (created if needed): ``<table>.csv`` or ``<table>.parquet`` for each
        table, and ``mapping.toml``.
    format
        ``"csv"``, or ``"parquet"`` with native types (dates as ``date32``, timestamps,
        integers).
    reference_lsoa
        Optional reference file (an IMD file or LSOA lookup) to name in the mapping.

    Returns
    -------
    pathlib.Path
        The mapping file.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     mapping = write_example_dataset(tmp)
    ...     names = sorted(p.name for p in Path(tmp).iterdir())
    >>> mapping.name, len(names)
    ('mapping.toml', 9)
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        "# Example dataset: six invented people in Brent.",
        f"lsoa_vintage = {EXAMPLE_LSOA_VINTAGE}",
        f"as_of = {EXAMPLE_AS_OF}",
    ]
    if reference_lsoa is not None:
        lines += ["", "[reference]", f"lsoa = {_toml_string(str(reference_lsoa))}"]
    con = duckdb.connect(":memory:") if format == "parquet" else None
    try:
        for name, text in EXAMPLE_TABLES.items():
            csv_path = folder / f"{name}.csv"
            csv_path.write_text(text, encoding="utf-8")
            path = csv_path
            if con is not None:
                path = folder / f"{name}.parquet"
                _to_parquet(con, name, csv_path, path)
                csv_path.unlink()
            lines += ["", f"[tables.{name}]", f"path = {_toml_string(path.name)}"]
    finally:
        if con is not None:
            con.close()
    mapping = folder / "mapping.toml"
    mapping.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return mapping


def _to_parquet(con: duckdb.DuckDBPyConnection, table: str, src: Path, dst: Path) -> None:
    contract = CONTRACTS[table]
    header = src.read_text(encoding="utf-8").splitlines()[0].split(",")
    select = ", ".join(
        # month-precision dates read as text first, then completed to the 1st of the month
        f"CAST(CASE WHEN length({ident(c.name)}) = 7 THEN {ident(c.name)} || '-01' "
        f"ELSE {ident(c.name)} END AS DATE) AS {ident(c.name)}"
        if c.month_precision
        else ident(c.name)
        for c in contract.columns
        if c.name in header
    )
    types = ", ".join(
        f"{lit(c.name)}: {lit('VARCHAR' if c.month_precision else c.sql_type)}"
        for c in contract.columns
        if c.name in header
    )
    con.execute(
        f"COPY (SELECT {select} FROM read_csv({lit(str(src))}, header = true, "
        f"auto_detect = false, columns = {{{types}}})) TO {lit(str(dst))} (FORMAT parquet)"
    )


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
