"""``generate``: write a synthetic North West London, every table plus truth and manifest.

The run, in order: build the small areas (:mod:`~focuson.data.synthetic.geography`), then for
each block of people draw the people (:mod:`~focuson.data.synthetic.population`) and all their
activity (:mod:`~focuson.data.synthetic.activity`) and append them to the Parquet files
(:mod:`~focuson.data.synthetic.writer`); finally write ``reference/lsoa_imd2019.csv`` (the
LSOAs used, with their IMD 2019 rank, decile and quintile), ``truth.json`` (the planted
effects, :mod:`~focuson.data.synthetic.effects`), ``manifest.json`` (parameters, row counts,
SHA-256 of every table, reference data used) and ``focuson.toml`` (the mapping file that loads
the folder through :mod:`focuson.data.contracts`).

Every block draws from its own generator seeded by ``(seed, table, block)``, so a run is
reproducible from its seed (the same seed, scale, window, block size and reference files give
the same bytes) and memory stays flat: one block of people and their activity at a time.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

import focuson
from focuson.data.synthetic._sampling import Window
from focuson.data.synthetic.activity import TABLES as ACTIVITY
from focuson.data.synthetic.activity._common import Context
from focuson.data.synthetic.boroughs import BOROUGHS
from focuson.data.synthetic.effects import truth
from focuson.data.synthetic.geography import IMD_RELEASE, LSOA_VINTAGE, load_geography
from focuson.data.synthetic.languages import (
    ENGLISH,
    INTERPRETER_SHARE_OF_NON_ENGLISH,
    LANGUAGES,
    language_weights,
)
from focuson.data.synthetic.population import (
    CODES,
    NOT_KNOWN_SHARE,
    NOT_STATED_SHARE,
    PERSONS_SCHEMA,
    SEX_UNKNOWN_SHARE,
    PersonModel,
)
from focuson.data.synthetic.writer import ParquetTables, logical_schema, sha256

GENERATOR = "focuson.data.synthetic"
#: Bumped whenever the same seed would give different data.
GENERATOR_VERSION = 2
CONTRACT_VERSION = 1
DEFAULT_SEED = 20250401
DEFAULT_START = date(2023, 4, 1)
#: People per block: the unit of memory and of reproducibility.
CHUNK_PEOPLE = 200_000
IMD_FILE = "reference/lsoa_imd2019.csv"
MAPPING_FILE = "focuson.toml"
#: The tables, in the order of the data contract.
TABLES: tuple[str, ...] = (
    "persons",
    "rtt_pathways",
    "diagnostic_waits",
    "ae_attendances",
    "cancer_pathways",
    "screening",
    "hypertension",
    "admissions",
)
_TABLE_ORDER = ("persons", *ACTIVITY)

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class SyntheticSummary:
    """What :func:`generate` wrote.

    Attributes
    ----------
    out_dir
        The output folder.
    scale, seed, start, months
        The parameters of the run.
    reference
        ``"built-in"`` or the reference folder read.
    imd_release, lsoa_vintage
        ``"IoD2019"`` and 2011: the deprivation release and LSOA vintage of ``persons.lsoa``.
    rows
        Rows written per table.
    files
        Table name -> Parquet file.
    truth, manifest, imd_file, mapping
        The paths of ``truth.json``, ``manifest.json``, ``reference/lsoa_imd2019.csv`` and
        ``focuson.toml`` (the mapping file that loads the folder through the data contracts).
    seconds
        Wall time of the run.
    """

    out_dir: Path
    scale: float
    seed: int
    start: date
    months: int
    reference: str
    imd_release: str
    lsoa_vintage: int
    rows: dict[str, int]
    files: dict[str, Path]
    truth: Path
    manifest: Path
    imd_file: Path
    mapping: Path
    seconds: float = field(compare=False)

    @property
    def people(self) -> int:
        """Rows of ``persons``."""
        return self.rows["persons"]

    @property
    def activity_rows(self) -> int:
        """Rows of all tables but ``persons``."""
        return sum(n for name, n in self.rows.items() if name != "persons")


def generate(
    out_dir: Path | str,
    *,
    scale: float = 0.05,
    seed: int = DEFAULT_SEED,
    reference_dir: Path | str | None = None,
    months: int = 24,
    start: date = DEFAULT_START,
    progress: Progress | None = None,
    chunk_people: int = CHUNK_PEOPLE,
) -> SyntheticSummary:
    """Generate a synthetic North West London population and its activity.

    Parameters
    ----------
    out_dir
        The folder to write to (created if missing; tables already there are replaced).
    scale
        People per resident: 1 gives about 2.1 million people, 0.01 about 21,000, 10 about 21
        million (streamed, memory stays flat).
    seed
        Seeds every random draw.
    reference_dir
        A folder of official reference files (real LSOAs, IMD 2019, populations, Census
        ethnicity, GP practices), or ``None`` for the built-in borough profile.
    months
        Months of activity (1 to 120).
    start
        The first day of the window, the first of a month. The window must end by today.
    progress
        Called as ``progress(step, done, total)`` as the run goes: ``"areas"``, then
        ``"people"`` (people done of the total, once per block), then ``"files"``.
    chunk_people
        People per block. The output depends on it: keep the default to reproduce a run.

    Returns
    -------
    SyntheticSummary
        Where everything went and the rows written.

    Raises
    ------
    ValueError
        For a scale, months, start or block size out of range.
    FileNotFoundError
        If ``reference_dir`` is given but holds no IMD 2019 file.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     summary = generate(tmp, scale=0.001, seed=1)
    ...     sorted(p.name for p in Path(tmp).iterdir())
    ['admissions.parquet', 'ae_attendances.parquet', 'cancer_pathways.parquet', \
'diagnostic_waits.parquet', 'focuson.toml', 'hypertension.parquet', 'manifest.json', \
'persons.parquet', 'reference', 'rtt_pathways.parquet', 'screening.parquet', 'truth.json']
    >>> summary.people
    2111
    """
    began = time.perf_counter()
    window = _check(scale, months, start, chunk_people)
    out = Path(out_dir)
    report = progress or (lambda step, done, total: None)
    report("areas", 0, 1)
    geo = load_geography(reference_dir, seed=seed)
    report("areas", 1, 1)
    model = PersonModel(geo, window, scale)
    ctx = Context(window=window, geo=geo)
    schemas = {"persons": PERSONS_SCHEMA} | {n: m.SCHEMA for n, m in ACTIVITY.items()}
    next_id = dict.fromkeys(ACTIVITY, 1)
    report("people", 0, model.total)
    with ParquetTables(out, schemas) as tables:
        for block, lo in enumerate(range(0, model.total, chunk_people)):
            hi = min(lo + chunk_people, model.total)
            people = model.people(np.random.default_rng([seed, 1, block]), lo, hi)
            tables.write("persons", model.table(people))
            for t, (name, module) in enumerate(ACTIVITY.items()):
                rng = np.random.default_rng([seed, 2 + t, block])
                table = module.rows(rng, people, ctx, next_id[name])
                next_id[name] += table.num_rows
                tables.write(name, table)
            report("people", hi, model.total)
    report("files", 0, 1)
    imd_path = out / IMD_FILE
    imd_path.parent.mkdir(parents=True, exist_ok=True)
    geo.imd_frame().to_csv(imd_path, index=False, lineterminator="\n")
    counts = np.bincount(geo.imd_quintile, weights=model.counts, minlength=6)[1:]
    shares = {q + 1: float(c / max(counts.sum(), 1)) for q, c in enumerate(counts)}
    truth_doc = {
        "generator": GENERATOR,
        "generator_version": GENERATOR_VERSION,
        "seed": seed,
        "scale": scale,
    } | truth(window, quintile_shares=shares)
    truth_path = out / "truth.json"
    truth_path.write_text(json.dumps(truth_doc, indent=2) + "\n", encoding="utf-8")
    reference = "built-in" if reference_dir is None else str(Path(reference_dir).resolve())
    manifest = _manifest(
        tables.paths, tables.rows, schemas, geo, model, window, scale, seed, chunk_people
    )
    manifest["reference"] = {"folder": reference, "mode": geo.mode, "sources": geo.sources}
    manifest_path = out / "manifest.json"
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    mapping_path = out / MAPPING_FILE
    mapping_path.write_text(_mapping(window, scale, seed), encoding="utf-8")
    report("files", 1, 1)
    return SyntheticSummary(
        out_dir=out,
        scale=scale,
        seed=seed,
        start=window.start,
        months=months,
        reference=reference,
        imd_release=IMD_RELEASE,
        lsoa_vintage=LSOA_VINTAGE,
        rows={name: tables.rows[name] for name in TABLES},
        files={name: tables.paths[name] for name in TABLES},
        truth=truth_path,
        manifest=manifest_path,
        imd_file=imd_path,
        mapping=mapping_path,
        seconds=time.perf_counter() - began,
    )


def _mapping(window: Window, scale: float, seed: int) -> str:
    lines = [
        "# The mapping of this synthetic dataset onto the focuson data contracts, version 1.",
        "# Load it with focuson.data.contracts.load_dataset(<this file>).",
        f'name = "Synthetic North West London (scale {scale:g}, seed {seed})"',
        f"contract_version = {CONTRACT_VERSION}",
        f"lsoa_vintage = {LSOA_VINTAGE}",
        f"as_of = {window.as_of.isoformat()}",
        "# Activity is complete from the window's first day (earlier clock starts are the waiting",
        "# list the window opens with): no month before it is reported.",
        f"coverage_from = {window.start.isoformat()}",
        "",
        "[reference]",
        f'lsoa = "{IMD_FILE}"',
        'kind = "imd"',
    ]
    for name in TABLES:
        lines += ["", f"[tables.{name}]", f'path = "{name}.parquet"']
    return "\n".join(lines) + "\n"


def _check(scale: float, months: int, start: date, chunk_people: int) -> Window:
    if not 0 < scale <= 100:
        raise ValueError(f"scale: expected a number above 0 and at most 100, got {scale}")
    if not 1 <= months <= 120:
        raise ValueError(f"months: expected 1 to 120, got {months}")
    if start.day != 1:
        raise ValueError(f"start: expected the first day of a month, got {start.isoformat()}")
    if chunk_people < 1_000:
        raise ValueError(f"chunk_people: expected at least 1,000, got {chunk_people}")
    window = Window(start, months)
    if window.as_of > date.today():
        raise ValueError(
            f"start: the window {start.isoformat()} + {months} months ends on "
            f"{window.as_of.isoformat()}, after today; expected a window that has ended "
            "(the data contracts refuse future dates)"
        )
    return window


def _manifest(
    paths: dict[str, Path],
    rows: dict[str, int],
    schemas: dict[str, Any],
    geo: Any,
    model: PersonModel,
    window: Window,
    scale: float,
    seed: int,
    chunk_people: int,
) -> dict[str, Any]:
    by_borough = np.bincount(geo.borough, weights=model.counts, minlength=len(BOROUGHS))
    english = language_weights(CODES)[:, LANGUAGES.index(ENGLISH)]
    return {
        "generator": GENERATOR,
        "generator_version": GENERATOR_VERSION,
        "focuson_version": focuson.__version__,
        "contract_version": CONTRACT_VERSION,
        "seed": seed,
        "scale": scale,
        "chunk_people": chunk_people,
        "window": {
            "start": window.start.isoformat(),
            "end_exclusive": window.end.isoformat(),
            "as_of": window.as_of.isoformat(),
            "months": window.months,
        },
        "as_of": window.as_of.isoformat(),
        "lsoa_vintage": LSOA_VINTAGE,
        "imd_release": IMD_RELEASE,
        "imd_file": IMD_FILE,
        "tables": {
            name: {
                "file": paths[name].name,
                "rows": rows[name],
                "sha256": sha256(paths[name]),
                "columns": {f.name: str(f.type) for f in logical_schema(schemas[name])},
            }
            for name in TABLES
        },
        "people_by_borough": {b.name: int(n) for b, n in zip(BOROUGHS, by_borough, strict=True)},
        "assumptions": {
            "ethnicity_not_stated_Z": NOT_STATED_SHARE,
            "ethnicity_not_known_99": NOT_KNOWN_SHARE,
            "sex_unknown_U": SEX_UNKNOWN_SHARE,
            "main_language_not_english_by_code": {
                c: round(1.0 - float(e), 3) for c, e in zip(CODES, english, strict=True)
            },
            "interpreter_share_of_non_english": INTERPRETER_SHARE_OF_NON_ENGLISH,
            "synthetic": "every person and event is generated; no row describes a real person",
        },
    }
