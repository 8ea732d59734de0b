"""The ``focuson`` command."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from focuson import __version__

app = typer.Typer(
    help="focuson: find, study and keep measuring health inequalities.",
    no_args_is_help=True,
    add_completion=False,
)

DEFAULT_DATA = Path("..") / "shared" / "data"


def _console() -> Console:
    # Made per command, not at import, so the terminal width is read when the command runs.
    return Console()


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


def _default_data_dir() -> Path:
    return Path(os.environ.get("FOCUSON_REFERENCE_DATA", DEFAULT_DATA))


@app.command()
def demo(
    data: Annotated[
        Path | None,
        typer.Option(
            help="Folder with the reference data (imd/, population/). "
            "Default: $FOCUSON_REFERENCE_DATA or ../shared/data."
        ),
    ] = None,
    borough: Annotated[
        str | None, typer.Option(help="Show one borough's deciles (name, e.g. Brent).")
    ] = None,
) -> None:
    """Indicator statistics on real North West London data: % aged 65+ by IMD decile, with SII."""
    from focuson.demo import DemoDataError, compute

    console = _console()
    data_dir: Path | None = data or _default_data_dir()
    if data is None and not (data_dir / "imd").is_dir():  # type: ignore[operator]
        console.print(
            f"[yellow]No reference data folder at {data_dir}:[/yellow] showing [bold]made-up "
            "(synthetic) data[/bold]. Give --data or set FOCUSON_REFERENCE_DATA to use the real "
            "IMD and population files."
        )
        data_dir = None
    try:
        with console.status("Reading reference data and computing statistics..."):
            result = compute(data_dir)
    except DemoDataError as exc:
        console.print(f"[red]Cannot run the demo:[/red] {exc}")
        raise typer.Exit(code=2) from exc

    table = result.by_decile
    if borough is not None:
        table = table[table["lad19nm"].str.lower() == borough.lower()]
        if table.empty:
            names = ", ".join(result.by_borough["lad19nm"])
            console.print(f"[red]No borough called {borough!r}.[/red] Choose one of: {names}")
            raise typer.Exit(code=2)

    out = Table(
        title="Residents aged 65+ by national IMD 2019 decile (1 = most deprived), mid-2020"
        + (" [SYNTHETIC]" if data_dir is None else ""),
        caption="Wilson 95% intervals (PHEindicatormethods phe_proportion). "
        "Contains public sector information licensed under the Open Government Licence v3.0.",
    )
    for name, justify in [
        ("Borough", "left"),
        ("IMD decile", "right"),
        ("LSOAs", "right"),
        ("Population", "right"),
        ("Aged 65+", "right"),
        ("% aged 65+", "right"),
        ("95% CI", "right"),
        ("Note", "left"),
    ]:
        out.add_column(name, justify=justify)  # type: ignore[arg-type]
    for row in table.to_dict("records"):
        has_value = row["note"] == ""
        out.add_row(
            str(row["lad19nm"]),
            str(row["imd_decile"]),
            f"{row['lsoas']:,.0f}",
            f"{row['population']:,.0f}",
            f"{row['aged_65_plus']:,.0f}",
            f"{row['pct_65_plus']:.1f}" if has_value else "NA",
            f"{row['lower95']:.1f} to {row['upper95']:.1f}" if has_value else "",
            str(row["note"]),
        )
    console.print(out)

    summary = result.by_borough
    if borough is not None:
        summary = summary[summary["lad19nm"].str.lower() == borough.lower()]
    sii = Table(
        title="Slope index of inequality in % aged 65+ across IMD 2019 deciles (percentage points)",
        caption="Positive: a higher share aged 65+ at the most deprived end. NHS England flavour: "
        "national ranks, 10,000 simulations. OHID flavour: local ranks (PHEindicatormethods "
        "phe_sii), 100,000 simulations; it needs every decile present in the borough.",
    )
    for name in ["Borough", "SII, NHS England", "95% CI", "SII, OHID", "95% CI", "Note"]:
        sii.add_column(name, justify="left" if name in ("Borough", "Note") else "right")
    for row in summary.to_dict("records"):
        cells = [str(row["lad19nm"])]
        for flavour in ("nhse", "ohid"):
            if row[f"sii_{flavour}_note"]:
                cells += ["NA", ""]
            else:
                cells += [
                    f"{row[f'sii_{flavour}']:.2f}",
                    f"{row[f'sii_{flavour}_lower']:.2f} to {row[f'sii_{flavour}_upper']:.2f}",
                ]
        notes = [row["sii_nhse_note"], row["sii_ohid_note"] and f"OHID: {row['sii_ohid_note']}"]
        cells.append("; ".join(n for n in notes if n))
        sii.add_row(*cells)
    console.print(sii)
