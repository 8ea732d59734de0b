"""What the HTML reports share: the look (CSS), the page builder, tables and the manifest.

Every report is one self-contained page: CSS in a ``<style>`` element and every chart an inline
``<svg>`` rendered offline (:func:`focuson.charts.spec_to_svg`), with a text alternative. It
loads nothing: no CDN, fonts, images or scripts.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from typing import Any

import altair as alt
import pandas as pd

from focuson.charts import inline_svg, spec_to_svg

CSS = """
:root { color: #212b32; background: #ffffff; }
body { font-family: Arial, Helvetica, sans-serif; line-height: 1.5; margin: 0 auto;
  max-width: 72rem; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 2rem; margin: 1rem 0 0.5rem; }
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
"""

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
    charts: list[tuple[Future[str], str]] = field(default_factory=list)

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
    ) -> None:
        """A ``<figure>`` holding the chart (text alternative ``label``), ``extra`` HTML
        below it and the caption; its ``id`` is ``figure_id`` or ``figure-<n>``."""
        spec = chart.to_dict(validate=False)
        self.charts.append((self.pool.submit(spec_to_svg, spec), label))
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
            placeholder(n): inline_svg(svg.result(), label=label, id_prefix=f"chart-{n}")
            for n, (svg, label) in enumerate(self.charts, start=1)
        }
        return "\n".join(inline.get(part, part) for part in self.parts) + "\n"


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
    return (
        f'<div class="table-wrap"><table><caption>{e(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def head(title: str, lede: str) -> list[str]:
    """The page up to ``<main>``: doctype, language, style, the ``<h1>`` and a lede."""
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
        "</header>",
        "<main>",
    ]


def render_manifest(page: Page, manifest: Mapping[str, Any] | None) -> None:
    """The "About this run" section: the disclosure rule and the manifest's entries."""
    page.add('<section aria-labelledby="about-run"><h2 id="about-run">About this run</h2>')
    page.add(
        "<p>Every number in this report is an aggregate that passed disclosure control before "
        "it left the engine (by default the NHS rule: counts from 1 to 7 are suppressed and "
        "others are rounded to the nearest 5). Suppressed cells show no numbers.</p>"
    )
    if manifest:
        page.add('<dl class="manifest">')
        for key in sorted(manifest):
            value = manifest[key]
            shown = (
                f"<code>{e(json.dumps(value, sort_keys=True, default=str))}</code>"
                if isinstance(value, Mapping | list | tuple)
                else e(value)
            )
            page.add(f"<dt>{e(key)}</dt><dd>{shown}</dd>")
        page.add("</dl>")
    page.add("</section>")
