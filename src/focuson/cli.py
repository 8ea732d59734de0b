"""The ``focuson`` command."""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, ParamSpec

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.text import Text

from focuson import __version__
from focuson.reference_folder import find_reference_folder, is_reference_folder
from focuson.runs.paths import check_file, mapping_path
from focuson.runs.stopped import FolderState

P = ParamSpec("P")
#: The engines of focuson.engine.backends.ENGINES, named here so that checking one imports
#: nothing heavy (a test keeps the two the same).
ENGINES = ("duckdb", "pyspark", "postgres")

app = typer.Typer(
    help="focuson: find, study and keep measuring health inequalities.",
    no_args_is_help=True,
    add_completion=False,
)

STEP_NAMES = {
    "areas": "Small areas",
    "people": "People and activity",
    "files": "Writing tables",
}


def _console() -> Console:
    # Made per command, not at import, so the terminal width is read when the command runs.
    return Console()


def _warn(text: str) -> None:
    """Print a warning line to standard error, as plain text in yellow."""
    console = Console(stderr=True, markup=False, emoji=False, highlight=False)
    console.print(Text(text, style="yellow"), soft_wrap=True)


def _error(lead: str, detail: object = "") -> None:
    """Print an error to standard error as plain text, ``lead`` in red.

    Messages quote header cells, file names and keys such as ``[tables.persons.columns]``:
    printed as Rich markup, brackets vanish or (``[/x]``) make the printer itself fail, so
    markup, emoji codes and highlighting are all off.
    """
    console = Console(stderr=True, markup=False, emoji=False, highlight=False)
    text = Text(lead, style="red")
    if detail != "":
        text.append(f" {detail}")
    console.print(text, soft_wrap=True)  # no hard line breaks inside a message


# Options shared by find and monitor.
CatalogueOption = Annotated[
    Path | None, typer.Option(help="Indicator catalogue (YAML). Default: focuson's own.")
]
ImdOption = Annotated[
    Path | None,
    typer.Option(help="IMD file for deciles and boroughs. Default: the mapping's reference."),
]
AlphaOption = Annotated[float, typer.Option(help="False discovery rate for significance.")]
EngineOption = Annotated[
    str,
    typer.Option(
        help="Where the counting runs: duckdb, pyspark or postgres. Tables from files are "
        "checked in DuckDB first, then copied to the engine (see --in-engine)."
    ),
]
EngineUrlOption = Annotated[
    str | None,
    typer.Option(
        help="Where the engine is: for postgres (required) a URL such as "
        "postgresql://USER@HOST:5432/DBNAME; for pyspark the Spark master (default "
        "local[2]); for duckdb a database file."
    ),
]


OverwriteOption = Annotated[
    bool,
    typer.Option(
        "--overwrite",
        help="Replace the --out folder even when it holds something else than focuson results, "
        "or another dataset's monitoring history: nothing in it is kept.",
    ),
]
DataArgument = Annotated[
    Path | None,
    typer.Argument(
        help="Mapping file of your tables (docs/data-contracts.md), or a folder holding "
        "focuson.toml, such as one written by focuson synth. Leave it out with --in-engine."
    ),
]
InEngineOption = Annotated[
    bool,
    typer.Option(
        "--in-engine",
        help="The tables are already in the engine (--engine, --engine-url), named and typed "
        "as the contracts say: check and count them there, copying nothing. Give no DATA; "
        "--imd and --as-of are required.",
    ),
]
AsOfOption = Annotated[
    dt.datetime | None,
    typer.Option(
        formats=["%Y-%m-%d"],
        help="With --in-engine: the extract date, the last day the tables cover.",
    ),
]
CoverageOption = Annotated[
    dt.datetime | None,
    typer.Option(
        formats=["%Y-%m-%d"],
        help="With --in-engine: the first day the tables are complete for (no month before "
        "it is reported).",
    ),
]


def _check_data(console: Console, data: Path | None, in_engine: bool) -> None:
    """Exit 2 unless exactly one of DATA and --in-engine says where the tables are."""
    if data is not None and in_engine:
        _error(
            "Give DATA or --in-engine, not both:",
            "DATA is a mapping file of files to load; --in-engine counts tables already in the "
            "engine.",
        )
        raise typer.Exit(code=2)
    if data is None and not in_engine:
        _error(
            "Where are the tables?",
            "Give DATA (a mapping file, or a folder holding focuson.toml), or --in-engine with "
            "--engine and --engine-url for tables already in a database.",
        )
        raise typer.Exit(code=2)


def _day(value: dt.datetime | None) -> dt.date | None:
    return None if value is None else value.date()


def _check_engine(console: Console, engine: str, engine_url: str | None) -> None:
    """Exit 2 with what to do for an unknown engine or postgres without an address."""
    if engine not in ENGINES:
        _error(f"--engine must be one of {', '.join(ENGINES)}, got {engine}.")
        raise typer.Exit(code=2)
    if engine == "postgres" and not engine_url:
        _error(
            "--engine postgres needs --engine-url,",
            "the database's address, e.g. --engine-url postgresql://USER@HOST:5432/DBNAME "
            "(scripts/postgres.sh start DIR PORT starts a scratch server and prints one).",
        )
        raise typer.Exit(code=2)


def _check_paths(step: str, data: Path | None, catalogue: Path | None, imd: Path | None) -> None:
    """Exit 2 saying what to give for a DATA, --catalogue or --imd that is not there.

    Checked before the data libraries are imported, so a wrong path answers at once.
    """
    try:
        if data is not None:
            mapping_path(data)
        check_file(catalogue, "--catalogue")
        check_file(imd, "--imd")
    except FileNotFoundError as exc:
        _error(f"Cannot run {step}:", exc)
        raise typer.Exit(code=2) from exc


def _stops_cleanly(command: Callable[P, None]) -> Callable[P, None]:
    """Make Ctrl-C end ``command`` with one line saying what is left in its ``out`` folder
    (the previous results, nothing, or part of this run) and exit status 130."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> None:
        out = kwargs.get("out")
        before = FolderState.of(out) if isinstance(out, Path) else None
        try:
            command(*args, **kwargs)
        except KeyboardInterrupt:
            if before is None:
                _error("Stopped.")
            else:
                _error(FolderState.of(before.folder).stopped_line(before))
            raise typer.Exit(code=130) from None

    return wrapper


def _has_screen() -> bool:
    """Whether a browser can be shown: a terminal user on a desktop (macOS, Windows, or a Linux
    session with a display). Never on a headless server or under a test runner, where Python's
    ``webbrowser`` could fall back to a text browser and wait for input."""
    import sys

    if not sys.stdout.isatty():
        return False
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _open_in_browser(path: Path, console: Console) -> None:
    import webbrowser

    if not webbrowser.open(path.resolve().as_uri()):
        console.print("[yellow]No web browser found here[/yellow]: open the report file above.")


def _version(value: bool) -> None:
    if value:
        _console().print(f"focuson {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """focuson: find, study and keep measuring health inequalities."""


class _Bar:
    """Turns the generator's ``(step, done, total)`` callbacks into a rich progress bar."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.tasks: dict[str, TaskID] = {}

    def __call__(self, step: str, done: int, total: int) -> None:
        if step not in self.tasks:
            self.tasks[step] = self.progress.add_task(STEP_NAMES.get(step, step), total=total)
        self.progress.update(self.tasks[step], completed=done, total=total)


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description:<22}"),
        BarColumn(),
        TextColumn("{task.completed:,}/{task.total:,}"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


@app.command()
@_stops_cleanly
def synth(
    out: Annotated[Path, typer.Option(help="Folder to write the Parquet tables to.")],
    scale: Annotated[
        float, typer.Option(help="1 = about 2.1 million people; 0.01 for tests, 10 for benchmarks.")
    ] = 0.05,
    seed: Annotated[int | None, typer.Option(help="Random seed (same seed, same data).")] = None,
    reference: Annotated[
        Path | None,
        typer.Option(
            "--reference-data",
            "--reference",
            help="Reference data folder (holding imd/) for real LSOAs, IMD and populations. "
            "Default: $FOCUSON_REFERENCE_DATA, else shared/data beside the focuson checkout "
            "(whatever the working directory); without either, built-in borough profiles, "
            "with a warning.",
        ),
    ] = None,
) -> None:
    """Generate a synthetic North West London population with planted inequalities."""
    console = _console()
    if not 0 < scale <= 20:
        _error(f"--scale must be above 0 and at most 20, got {scale}.")
        raise typer.Exit(code=2)
    found = find_reference_folder(reference)
    reference_dir = found.path
    if reference is not None and not is_reference_folder(found.looked_at):
        _error(
            f"No reference data folder at {reference}:",
            "it holds no imd/ folder. Give --reference-data the folder holding imd/ and "
            "population/.",
        )
        raise typer.Exit(code=2)
    if reference_dir is None:
        _warn(found.fallback_warning(option="--reference-data", used="built-in borough profiles"))
    from focuson.data.synthetic import DEFAULT_SEED, generate

    with _progress(console) as progress:
        summary = generate(
            out,
            scale=scale,
            seed=DEFAULT_SEED if seed is None else seed,
            reference_dir=reference_dir,
            progress=_Bar(progress),
        )
    areas = f"real LSOAs from {reference_dir}" if reference_dir else "built-in borough profiles"
    console.print(
        f"Wrote {summary.people:,} people and {summary.activity_rows:,} activity rows to {out} "
        f"in {summary.seconds:.1f} s ({areas}); planted effects in {summary.truth.name}, "
        f"mapping for the data contracts in {summary.mapping.name}."
    )


@app.command(name="find")
@_stops_cleanly
def find_command(
    out: Annotated[Path, typer.Option(help="Results folder to write.")],
    data: DataArgument = None,
    catalogue: CatalogueOption = None,
    imd: ImdOption = None,
    engine: EngineOption = "duckdb",
    engine_url: EngineUrlOption = None,
    in_engine: InEngineOption = False,
    as_of: AsOfOption = None,
    coverage_from: CoverageOption = None,
    alpha: AlphaOption = 0.05,
    report: Annotated[bool, typer.Option(help="Also write report.html.")] = True,
    overwrite: OverwriteOption = False,
) -> None:
    """Find inequalities: every indicator by every breakdown, compared, ranked, protected."""
    console = _console()
    _check_data(console, data, in_engine)
    _check_engine(console, engine, engine_url)
    _check_paths("Find", data, catalogue, imd)
    from focuson import console_tables
    from focuson.runs.find import run_find

    try:
        with console.status("Starting...") as status:
            run = run_find(
                data,
                out,
                catalogue=catalogue,
                imd=imd,
                alpha=alpha,
                report=report,
                step=status.update,
                engine=engine,
                engine_url=engine_url,
                as_of=_day(as_of),
                coverage_from=_day(coverage_from),
                overwrite=overwrite,
            )
    except (FileNotFoundError, ValueError, RuntimeError) as exc:
        _error("Cannot run Find:", exc)
        raise typer.Exit(code=2) from exc
    findings = run.result.findings
    console.print(
        f"{len(run.indicators)} indicators, {run.aggregate_rows:,} aggregate cells, "
        f"{len(findings):,} findings ({int(findings['significant'].fillna(False).sum()):,} "
        f"significant at q < {alpha}); results in {run.out_dir}."
    )
    console.print(console_tables.top_findings(run.top, run.indicators, width=console.width))
    if run.report is not None:
        console.print(f"Report: {run.report.resolve()} (open it in a browser; it works offline)")


@app.command()
@_stops_cleanly
def monitor(
    out: Annotated[Path, typer.Option(help="Results folder; history is kept in out/monitor.")],
    data: DataArgument = None,
    catalogue: CatalogueOption = None,
    imd: ImdOption = None,
    alpha: AlphaOption = 0.05,
    run_length: Annotated[int, typer.Option(help="Points in a shift or trend: 6 or 7.")] = 7,
    min_people: Annotated[
        float, typer.Option(help="Fewest people (after rounding) an alert may be about.")
    ] = 10.0,
    report: Annotated[bool, typer.Option(help="Also write monitor/monitor.html.")] = True,
    overwrite: OverwriteOption = False,
    engine: EngineOption = "duckdb",
    engine_url: EngineUrlOption = None,
    in_engine: InEngineOption = False,
    as_of: AsOfOption = None,
    coverage_from: CoverageOption = None,
) -> None:
    """Ongoing measurement: SPC on levels and on gaps, and alerts for new or widening gaps."""
    console = _console()
    _check_data(console, data, in_engine)
    _check_engine(console, engine, engine_url)
    if run_length not in (6, 7):
        _error(f"--run-length must be 6 or 7, got {run_length}.")
        raise typer.Exit(code=2)
    _check_paths("Monitor", data, catalogue, imd)
    from focuson.runs.monitor import run_monitor

    try:
        with console.status("Starting...") as status:
            run = run_monitor(
                data,
                out,
                catalogue=catalogue,
                imd=imd,
                alpha=alpha,
                min_people=min_people,
                report=report,
                step=status.update,
                engine=engine,
                engine_url=engine_url,
                as_of=_day(as_of),
                coverage_from=_day(coverage_from),
                overwrite=overwrite,
                run_length=run_length,
            )
    except (FileNotFoundError, ValueError, RuntimeError) as exc:
        _error("Cannot run Monitor:", exc)
        raise typer.Exit(code=2) from exc
    alerts = run.latest_alerts
    console.print(
        f"{len(run.series):,} series under SPC; {len(alerts):,} alerts for the latest month; "
        f"history in {run.out_dir}."
    )
    for sentence in alerts["sentence"].head(15):
        console.print(f"- {sentence}")
    if len(alerts) > 15:
        console.print(f"... and {len(alerts) - 15:,} more in {run.out_dir}.")
    if run.report is not None:
        console.print(f"Report: {run.report.resolve()} (open it in a browser; it works offline)")


@app.command(name="study")
@_stops_cleanly
def study_command(
    plan: Annotated[Path, typer.Argument(help="The Study plan (YAML; docs/study.md).")],
    out: Annotated[Path, typer.Option(help="Results folder for the Study (replaced whole).")],
    levels: Annotated[
        Path | None,
        typer.Option(
            help="The --out folder of focuson monitor, whose published level series are "
            "studied. Default: the plan's levels:, relative to the plan."
        ),
    ] = None,
    overwrite: OverwriteOption = False,
) -> None:
    """Study a tested idea: the overall effect and the effect on the gap, with the verdict."""
    if not plan.is_file():
        _error("Cannot run Study:", f"{plan}: no such file. Check the path to the plan.")
        raise typer.Exit(code=2)
    if levels is not None and not levels.is_dir():
        _error(
            "Cannot run Study:",
            f"{levels}: no such folder. Give --levels the --out folder of focuson monitor.",
        )
        raise typer.Exit(code=2)
    from focuson.runs.study import run_study

    console = _console()
    try:
        with console.status("Starting...") as status:
            run = run_study(plan, out, levels=levels, step=status.update, overwrite=overwrite)
    except (FileNotFoundError, ValueError, RuntimeError) as exc:
        _error("Cannot run Study:", exc)
        raise typer.Exit(code=2) from exc
    for note in run.notes:
        console.print(f"- {note}", markup=False)
    console.print(f"Results in {run.out_dir}.", markup=False)
    if run.verdict.flag == "red":
        console.print("Red flag: the overall effect improved but the gap widened.", markup=False)
    console.print(run.verdict.overall_line, markup=False)
    console.print(run.verdict.gap_line, markup=False)
    console.print(run.power, markup=False)


@app.command(name="export")
def export_command(
    results: Annotated[
        Path, typer.Argument(help="A results folder written by focuson find (its --out).")
    ],
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="csv, or xlsx: an Excel workbook with the findings and About, Columns and "
            "Manifest sheets.",
        ),
    ] = "xlsx",
    out: Annotated[
        Path | None,
        typer.Option(help="File to write. Default: RESULTS-findings.FORMAT beside RESULTS."),
    ] = None,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace the --out file when it exists.")
    ] = False,
) -> None:
    """Hand findings on as CSV or an Excel workbook with labelled columns, for colleagues who
    live in Excel. Only what the results folder holds (after disclosure control) is exported."""
    if fmt not in ("csv", "xlsx"):
        _error(f"--format must be csv or xlsx, got {fmt}.")
        raise typer.Exit(code=2)
    if not (results / "findings.parquet").is_file():
        _error(
            "Cannot export:",
            f"{results}: no findings.parquet here; give the --out folder of focuson find (the "
            "folder holding report.html).",
        )
        raise typer.Exit(code=2)
    try:
        from focuson.reports.export import ExportError, export_findings

        try:
            written = export_findings(results, fmt=fmt, out=out, overwrite=overwrite)
        except ExportError as exc:
            _error("Cannot export:", exc)
            raise typer.Exit(code=2) from exc
    except KeyboardInterrupt:
        _error("Stopped: nothing was written (an export is written whole or not at all).")
        raise typer.Exit(code=130) from None
    _console().print(f"Findings of {results} written to {written} ({fmt}).", markup=False)


@app.command()
@_stops_cleanly
def demo(
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            "--reference-data",
            help="Folder with the reference data (imd/, population/). Default: "
            "$FOCUSON_REFERENCE_DATA, else shared/data beside the focuson checkout (whatever "
            "the working directory).",
        ),
    ] = None,
    out: Annotated[Path, typer.Option(help="Where the synthetic population is written.")] = Path(
        "var"
    )
    / "demo",
    scale: Annotated[float, typer.Option(help="Size of the synthetic population.")] = 0.05,
    borough: Annotated[
        str, typer.Option(help="The borough whose IMD deciles are shown in full.")
    ] = "Brent",
    open_report: Annotated[
        bool | None,
        typer.Option(
            "--open/--no-open",
            help="Open the Find report in a web browser at the end. "
            "Default: when run in a terminal on a machine with a screen.",
        ),
    ] = None,
    web: Annotated[
        bool,
        typer.Option(
            "--web/--no-web",
            help="Seed the programme's web app from the results (--no-web: stop after the "
            "analyses).",
        ),
    ] = True,
    serve: Annotated[
        bool,
        typer.Option(
            "--serve/--no-serve",
            help="End by running the web app on the demo's results (--no-serve: seed it, print "
            "the accounts and stop, for scripts and tests).",
        ),
    ] = True,
    host: Annotated[str, typer.Option(help="Address the web app listens on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port the web app listens on.")] = 8000,
) -> None:
    """Generate a synthetic population, validate it, show inequality statistics, run Find and
    monitoring, then run the web app on the results.

    Also, when the reference data folder is present, statistics on real North West London data
    (% of residents aged 65+ by IMD decile, with the SII in two flavours).
    """
    console = _console()
    found_reference = find_reference_folder(data, option="--data")
    reference_dir = found_reference.path
    if data is not None and not (data / "imd").is_dir():
        _error(
            "Cannot run the demo:",
            f"{data}: no imd/ folder. Point --data at the folder holding the reference data "
            "(the one with imd/ and population/ inside).",
        )
        raise typer.Exit(code=2)
    from focuson import console_tables
    from focuson.demo_population import DemoDataError, compute, england_decile_population
    from focuson.demo_waits import run

    national = None
    if reference_dir is not None:
        deciles = england_decile_population(reference_dir)
        national = deciles.reshape(5, 2).sum(axis=1)
    # The real-data part is quick: compute it first so that a wrong --borough fails at once.
    try:
        with console.status("Reading reference data and computing statistics..."):
            result = compute(reference_dir)
    except DemoDataError as exc:
        _error("Cannot run the demo:", exc)
        raise typer.Exit(code=2) from exc
    synthetic = reference_dir is None
    from focuson.cli_demo import port_is_free

    # Said before the analyses, not a minute later when the app would start.
    if web and serve and not port_is_free(host, port):
        _error(
            f"Port {port} on {host} is in use (another focuson serve?):",
            "stop it, or run the demo with --port PORT (or --no-serve).",
        )
        raise typer.Exit(code=2)
    table = result.by_decile[result.by_decile["lad19nm"].str.lower() == borough.lower()]
    if table.empty:
        names = ", ".join(result.by_borough["lad19nm"])
        _error(f"No borough called {borough!r}.", f"Choose one of: {names}")
        raise typer.Exit(code=2)

    console.print("[bold]1. A synthetic North West London[/bold] (made up; planted inequalities)")
    with _progress(console) as progress:
        waits = run(
            out,
            scale=scale,
            reference_dir=reference_dir,
            national_quintile_population=national,
            progress=_Bar(progress),
        )
    console.print(
        f"Loaded {waits.rows_loaded:,} rows in {waits.tables_loaded} tables through the data "
        "contracts: every check passed."
    )
    console.print(console_tables.waits_by_borough(waits.by_borough, scale=scale))

    console.print(
        "[bold]2. Find[/bold] on the synthetic population: every indicator of the default "
        "catalogue by every breakdown"
    )
    from focuson.runs.find import run_find

    with console.status("Starting...") as status:
        found = run_find(out, out / "results", step=status.update)
    console.print(console_tables.top_findings(found.top, found.indicators, width=console.width))
    if found.report is not None:
        console.print(f"Report: {found.report.resolve()} (open it in a browser; it works offline)")
        if open_report if open_report is not None else _has_screen():
            _open_in_browser(found.report, console)

    console.print(
        "[bold]3. Ongoing measurement[/bold] of the same population: SPC on every level and "
        "gap, alerts"
    )
    from focuson.runs.monitor import run_monitor

    with console.status("Starting...") as status:
        monitored = run_monitor(out, out / "results", step=status.update)
    console.print(f"{len(monitored.alerts):,} alerts; report: {monitored.report}", markup=False)

    console.print("[bold]4. Real reference data[/bold]")
    if reference_dir is None:
        console.print(
            Text("No reference data folder found", style="yellow").append(
                f" at {found_reference.where()}; showing made-up (synthetic) data instead. Give "
                "--data or set FOCUSON_REFERENCE_DATA to use the real IMD and population files."
            )
        )
    console.print(console_tables.population_by_decile(table, synthetic=synthetic))
    console.print(f"(--borough NAME shows another borough; {borough} shown.)")
    console.print(console_tables.population_sii(result.by_borough, synthetic=synthetic))
    if not web:
        return
    console.print("[bold]5. The programme's web app[/bold] on these results")
    from focuson.cli_demo import web_demo

    raise typer.Exit(code=web_demo(out / "results", console, serve=serve, host=host, port=port))


def _add_web_commands() -> None:
    # The web app's commands live in cli_web (Django is imported only when they run).
    from focuson.cli_web import IMPORT_HELP, SERVE_HELP, import_command, serve_command, web_command

    app.command(name="serve", help=SERVE_HELP)(serve_command)
    app.command(name="import", help=IMPORT_HELP)(import_command)
    app.command(
        name="web",
        context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
        add_help_option=False,
    )(web_command)


_add_web_commands()
