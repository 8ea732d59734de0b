"""What the HTML reports share: the look (CSS), the page builder, tables and the manifest.

Every report is one self-contained page: CSS in a ``<style>`` element and every chart an inline
``<svg>`` rendered offline (:func:`focuson.charts.spec_to_svg`), with a text alternative. It
loads nothing: no CDN, fonts, images or scripts.

On a phone, every table and chart sits in a focusable, named region that scrolls sideways
(``tabindex="0"``, ``role="region"``, ``aria-label``), and a chart shrinks with the page only as
far as keeps its text at 11 px or more (:func:`readable_chart`). A print stylesheet keeps the
summary: collapsed details, the contents and the raw manifest are left out.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd

from focuson.charts import inline_svg, spec_to_svg

CSS = """
:root { color: #212b32; background: #ffffff; }
body { font-family: Arial, Helvetica, sans-serif; line-height: 1.5; margin: 0 auto;
  max-width: 72rem; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 2rem; margin: 0.5rem 0 0.25rem; }
h2 { font-size: 1.5rem; margin-top: 2.5rem; border-top: 4px solid #005eb8; padding-top: 0.75rem; }
h3 { font-size: 1.2rem; margin-top: 1.75rem; }
a { color: #005eb8; } a:focus { outline: 3px solid #ffeb3b; background: #ffeb3b; color: #212b32; }
.lede, .meta, figcaption, .note { color: #4c6272; }
.meta { font-size: 0.95rem; }
figure { margin: 1rem 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 0.95rem; margin-top: 0.25rem; }
.table-wrap { overflow-x: auto; margin-bottom: 1rem; }
table { border-collapse: collapse; font-size: 0.9rem; min-width: 50%; }
caption { text-align: left; font-weight: bold; padding: 0.25rem 0; color: #212b32; }
th, td { border-bottom: 1px solid #d8dde0; padding: 0.3rem 0.6rem; text-align: right;
  vertical-align: top; }
th[scope="row"], th.text, td.text { text-align: left; }
thead th { background: #e8edee; color: #212b32; }
.suppressed { font-style: italic; color: #4c6272; }
.worse { color: #d5281b; font-weight: bold; } .better { color: #007f3b; font-weight: bold; }
ol.findings li { margin-bottom: 0.6rem; }
dl.manifest { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
dl.manifest dt { font-weight: bold; } dl.manifest dd { margin: 0; overflow-wrap: anywhere; }
code { font-family: Consolas, Menlo, monospace; font-size: 0.85rem; }
.badges { display: flex; flex-wrap: wrap; gap: 0.25rem 1.5rem; margin: 0.25rem 0; }
.badges svg { max-width: none; }
details { margin: 0.25rem 0 1rem; } summary { cursor: pointer; color: #005eb8; }
summary:focus, .table-wrap:focus, .chart-wrap:focus { outline: 3px solid #ffeb3b; }
.banner { border-left: 8px solid #d5281b; background: #fff9c4; padding: 0.5rem 1rem;
  margin: 0.5rem 0; font-weight: bold; }
.chart-wrap { overflow-x: auto; }
details.detail > summary { font-size: 1.1rem; padding: 0.25rem 0; }
@media (max-width: 40rem) {
  body { padding: 0.5rem 0.75rem 2rem; }
  h1 { font-size: 1.6rem; }
}
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav, .no-print, details.detail, details.raw { display: none; }
  h1 { font-size: 18pt; } h2 { font-size: 13pt; border-top-width: 2px; padding-top: 0.2rem; }
  h3 { font-size: 11pt; } h2, h3 { break-after: avoid; margin: 0.75rem 0 0.25rem; }
  p { margin: 0.25rem 0; }
  figure, tr, li { break-inside: avoid; }
  .table-wrap, .chart-wrap { overflow: visible; }
  .banner { border: 2px solid #000; }
  a { color: #212b32; text-decoration: none; }
}
"""

#: The smallest chart text a reader should see, in CSS pixels (at any screen width).
MIN_CHART_TEXT_PX = 11

_SVG_WIDTH = re.compile(r'<svg\b[^>]*?\swidth="([0-9.]+)"')
_FONT_SIZE = re.compile(r'font-size="([0-9.]+)px"')
_SYMBOL_GROUP = re.compile(r'(<g class="mark-symbol role-mark[^"]*"[^>]*>)(.*?)</g>', re.S)
_PATH = re.compile(r"<path\b([^>]*?)/>")

SUPPRESSED = '<span class="suppressed">suppressed</span>'


def e(text: object) -> str:
    """HTML-escape any value (quotes too).

    >>> e('a < "b"')
    'a &lt; &quot;b&quot;'
    """
    return html.escape(str(text), quote=True)


def slug(text: str) -> str:
    """Letters and digits joined by dashes, for ``id`` attributes.

    >>> slug("RTT: 18 weeks!")
    'rtt-18-weeks'
    """
    keep = "".join(c if c.isalnum() else "-" for c in text.lower())
    return "-".join(p for p in keep.split("-") if p) or "section"


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The frame's rows as dicts keyed by column name (for formatting a few display rows)."""
    return [{str(k): v for k, v in r.items()} for r in frame.to_dict("records")]


def placeholder(n: int) -> str:
    """Stands for chart ``n`` in the page until its SVG is ready."""
    return f"\x00chart {n}\x00"


@dataclass
class Page:
    """Accumulates the HTML. Each chart's specification is built at once, in this thread, and
    rendered to SVG in a worker thread (:func:`focuson.charts.spec_to_svg`) while the rest of
    the page is assembled; the SVGs are put in place at the end, in order."""

    pool: Executor
    parts: list[str] = field(default_factory=list)
    charts: list[tuple[Future[str], str, tuple[str, ...]]] = field(default_factory=list)

    def add(self, *chunks: str) -> None:
        self.parts.extend(chunks)

    def figure(
        self,
        chart: alt.TopLevelMixin,
        *,
        label: str,
        caption: str,
        figure_id: str | None = None,
        extra: str = "",
        point_names: Sequence[str] = (),
    ) -> None:
        """A ``<figure>`` holding the chart (text alternative ``label``), ``extra`` HTML
        below it and the caption; its ``id`` is ``figure_id`` or ``figure-<n>``. Each of the
        chart's points is named by ``point_names`` in data order (:func:`name_points`)."""
        spec = chart.to_dict(validate=False)
        future = self.pool.submit(spec_to_svg, spec)
        self.charts.append((future, label, tuple(point_names)))
        n = len(self.charts)
        self.add(
            f'<figure id="{e(figure_id or f"figure-{n}")}">',
            placeholder(n),
            *([extra] if extra else []),
            f"<figcaption>{e(caption)}</figcaption>",
            "</figure>",
        )

    def html(self) -> str:
        inline = {
            placeholder(n): readable_chart(
                inline_svg(name_points(svg.result(), names), label=label, id_prefix=f"chart-{n}"),
                n,
            )
            for n, (svg, label, names) in enumerate(self.charts, start=1)
        }
        return "\n".join(inline.get(part, part) for part in self.parts) + "\n"


def name_points(svg: str, names: Sequence[str]) -> str:
    """Give each point of the chart's point layer a ``<title>``: its name shows on hover.

    The static SVG carries no Vega tooltips, so the points are named here, in data order (the
    order Vega draws them). The layer is the one point (``mark-symbol``) group with exactly as
    many points as names; without one, the SVG is returned as it was.

    >>> svg = '<svg><g class="mark-symbol role-mark"><path d="a"/><path d="b"/></g></svg>'
    >>> name_points(svg, ["Brent", "Ealing & Acton"])
    '<svg><g class="mark-symbol role-mark"><path d="a"><title>Brent</title></path><path \
d="b"><title>Ealing &amp; Acton</title></path></g></svg>'
    """
    if not names:
        return svg
    for group in _SYMBOL_GROUP.finditer(svg):
        paths = _PATH.findall(group.group(2))
        if len(paths) != len(names):
            continue
        titled = [
            f"<path{attrs}><title>{e(name)}</title></path>"
            for attrs, name in zip(paths, names, strict=True)
        ]
        pieces = _PATH.split(group.group(2))
        # split() leaves the text between paths at even places, each path's attributes at odd
        body = "".join(titled[i // 2] if i % 2 else piece for i, piece in enumerate(pieces))
        return svg[: group.start(2)] + body + svg[group.end(2) :]
    return svg


def readable_chart(svg: str, n: int) -> str:
    """The inline SVG in a sideways-scrolling region it never shrinks below readable text.

    The SVG scales down with the page (``max-width: 100%``), but never so far that its smallest
    text falls under :data:`MIN_CHART_TEXT_PX`: its ``min-width`` is set from its width and its
    smallest font size. On a phone a wide chart then scrolls sideways, in a region that takes
    the keyboard focus (``tabindex="0"``, named ``Chart n``).

    >>> readable_chart('<svg width="600"><text font-size="12px">a</text></svg>', 3)
    '<div class="chart-wrap" tabindex="0" role="region" aria-label="Chart 3"><svg \
style="min-width: 551px" width="600"><text font-size="12px">a</text></svg></div>'
    """
    width = _SVG_WIDTH.search(svg)
    sizes = [float(size) for size in _FONT_SIZE.findall(svg)]
    if width is not None and sizes:
        smallest = min(sizes)
        floor = min(float(width.group(1)) - 1, float(width.group(1)) * MIN_CHART_TEXT_PX / smallest)
        # One pixel more: the browser's own rounding never takes the text under the floor.
        svg = svg.replace("<svg", f'<svg style="min-width: {math.ceil(floor) + 1}px"', 1)
    return f'<div class="chart-wrap" tabindex="0" role="region" aria-label="Chart {n}">{svg}</div>'


def table(
    caption: str,
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    text_columns: int = 1,
) -> str:
    """An HTML table; cells are already HTML. The first column is a row header."""
    head = "".join(
        f'<th scope="col"{" class=" + chr(34) + "text" + chr(34) if i < text_columns else ""}>'
        f"{e(h)}</th>"
        for i, h in enumerate(header)
    )
    body = []
    for cells in rows:
        first, rest = cells[0], cells[1:]
        tds = "".join(
            f'<td class="text">{c}</td>' if i + 1 < text_columns else f"<td>{c}</td>"
            for i, c in enumerate(rest)
        )
        body.append(f'<tr><th scope="row">{first}</th>{tds}</tr>')
    # A focusable, named region: a table wider than a phone scrolls sideways by keyboard too.
    return (
        f'<div class="table-wrap" tabindex="0" role="region" aria-label="{e(caption)}">'
        f"<table><caption>{e(caption)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def head(title: str, lede: str, *, banner: str = "") -> list[str]:
    """The page up to ``<main>``: doctype, language, style, the ``<h1>``, a lede and a
    ``banner`` (HTML, e.g. :func:`synthetic_banner`)."""
    return [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{e(title)}</h1>",
        f'<p class="lede">{lede}</p>',
        *([banner] if banner else []),
        "</header>",
        "<main>",
    ]


def _dataset_manifest(manifest: Mapping[str, Any]) -> dict[str, Any]:
    """The ``manifest.json`` beside the run's mapping file (a synthetic dataset writes one)."""
    inputs = manifest.get("inputs")
    mapping = inputs.get("mapping") if isinstance(inputs, Mapping) else None
    if not isinstance(mapping, str):
        return {}
    try:
        value = json.loads((Path(mapping).parent / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def dataset_name(manifest: Mapping[str, Any] | None) -> str | None:
    """The dataset's name as the run recorded it, or ``None``.

    >>> dataset_name({"dataset": {"name": "Synthetic North West London"}})
    'Synthetic North West London'
    """
    dataset = (manifest or {}).get("dataset")
    name = dataset.get("name") if isinstance(dataset, Mapping) else None
    return str(name) if name else None


def is_synthetic(manifest: Mapping[str, Any] | None) -> bool:
    """Whether the run read made-up data: ``focuson synth`` output, or a dataset named so.

    ``focuson synth`` writes a ``manifest.json`` whose ``generator`` is
    ``focuson.data.synthetic`` beside its mapping, and names the dataset "Synthetic ...".

    >>> is_synthetic({"dataset": {"name": "Synthetic North West London (scale 0.01)"}})
    True
    >>> is_synthetic({"inputs": {"mapping": "/nowhere/focuson.toml"}}), is_synthetic(None)
    (False, False)
    >>> is_synthetic({"synthetic": True})  # as runs record it since the web app imports them
    True
    """
    if not manifest:
        return False
    # Recorded by the run since 0.1 (a copied or imported folder keeps it); a dataset named
    # synthetic is synthetic whatever the flag says: the banner is never left off wrongly.
    if manifest.get("synthetic") is True:
        return True
    if str(dataset_name(manifest) or "").lower().startswith("synthetic"):
        return True
    return str(_dataset_manifest(manifest).get("generator", "")).startswith(
        "focuson.data.synthetic"
    )


def synthetic_banner(manifest: Mapping[str, Any] | None) -> str:
    """A banner saying the data are made up, when they are; else ``""``."""
    if not is_synthetic(manifest):
        return ""
    return (
        '<p class="banner" role="note">Synthetic data: these figures come from a made-up '
        "population with planted inequalities (focuson synth), not from real patients.</p>"
    )


_ENGINE_NAMES = {"duckdb": "DuckDB", "pyspark": "PySpark", "postgres": "PostgreSQL"}


def _about_sentences(manifest: Mapping[str, Any], months: Sequence[str]) -> list[str]:
    """The words of "About this run": data, months, catalogue, engine, code version."""
    out = []
    given = manifest.get("inputs")
    inputs: Mapping[str, Any] = given if isinstance(given, Mapping) else {}
    name = dataset_name(manifest) or _dataset_name_from(inputs)
    counted = inputs.get("rows")
    rows: Mapping[str, Any] = counted if isinstance(counted, Mapping) else {}
    data = f"Data: {name}" if name else "Data: the tables"
    if isinstance(inputs.get("mapping"), str):
        data += f", read through the mapping file {inputs['mapping']}"
    elif inputs.get("tables_in_engine"):
        data += ", already in the engine"
    if rows:
        total = sum(int(v) for v in rows.values() if isinstance(v, int | float))
        data += f" ({len(rows)} tables, {total:,} rows in all)"
    out.append(data + ".")
    months = sorted(str(m) for m in months)
    if months:
        span = months[0] if len(months) == 1 else f"{months[0]} to {months[-1]}"
        out.append(f"Months: {span} ({len(months)} in all).")
    catalogue = manifest.get("catalogue")
    if isinstance(catalogue, Mapping):
        text = f"Indicator catalogue: {catalogue.get('file') or 'not recorded'}"
        if catalogue.get("version"):
            text += f", version {catalogue['version']}"
        if catalogue.get("sha256"):
            text += f" (SHA-256 {str(catalogue['sha256'])[:12]})"
        if isinstance(catalogue.get("indicators"), list):
            text += f", {len(catalogue['indicators'])} indicators"
        out.append(text + ".")
    engine = manifest.get("engine")
    if isinstance(engine, Mapping) and engine.get("name"):
        shown = _ENGINE_NAMES.get(str(engine["name"]), str(engine["name"]))
        out.append(f"Counted by the {shown} engine.")
    if manifest.get("focuson_version"):
        out.append(f"Code: focuson version {manifest['focuson_version']}.")
    if manifest.get("created"):
        out.append(f"Run on {str(manifest['created']).replace('T', ' at ')}.")
    return out


def _dataset_name_from(inputs: Mapping[str, Any]) -> str | None:
    mapping = inputs.get("mapping")
    if not isinstance(mapping, str):
        return None
    try:
        for line in Path(mapping).read_text(encoding="utf-8").splitlines():
            key, _, value = line.partition("=")
            if key.strip() == "name":
                return value.strip().strip('"') or None
    except OSError:
        return None
    return None


def render_manifest(
    page: Page, manifest: Mapping[str, Any] | None, *, months: Sequence[str] = ()
) -> None:
    """The "About this run" section: the run in words, the disclosure rule, and the raw
    manifest one click away (collapsed)."""
    page.add('<section aria-labelledby="about-run"><h2 id="about-run">About this run</h2>')
    if manifest:
        sentences = _about_sentences(manifest, months or manifest.get("months") or ())
        page.add('<ul class="about">', *(f"<li>{e(s)}</li>" for s in sentences), "</ul>")
    page.add(
        "<p>Every number in this report is an aggregate that passed disclosure control before "
        "it left the engine (by default the NHS rule: counts from 1 to 7 are suppressed and "
        "others are rounded to the nearest 5). Suppressed cells show no numbers.</p>"
    )
    if manifest:
        page.add(
            '<details class="raw"><summary>The full manifest (every input file with its '
            "SHA-256, every parameter)</summary>"
        )
        page.add('<dl class="manifest">')
        for key in sorted(manifest):
            value = manifest[key]
            shown = (
                f"<code>{e(json.dumps(value, sort_keys=True, default=str))}</code>"
                if isinstance(value, Mapping | list | tuple)
                else e(value)
            )
            page.add(f"<dt>{e(key)}</dt><dd>{shown}</dd>")
        page.add("</dl></details>")
    page.add("</section>")
