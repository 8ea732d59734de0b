"""Render charts to SVG offline through vl-convert, and prepare SVG for inline HTML.

vl-convert bundles Vega and Vega-Lite, so rendering needs no browser, no CDN and no network:
``allowed_base_urls=[]`` forbids it from loading anything at all.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

import vl_convert as vlc

from focuson.charts._common import config_chart, merge_config


class SupportsToDict(Protocol):
    """Anything Altair can turn into a Vega-Lite specification."""

    def to_dict(self, *args: Any, **kwargs: Any) -> dict[str, Any]: ...


_XMLNS = re.compile(r'\s+xmlns(:xlink)?="[^"]*"')
_ID = re.compile(r'\bid="([^"]+)"')
_URL_REF = re.compile(r"url\(#([^)]+)\)")
_HREF_REF = re.compile(r'((?:xlink:)?href)="#([^"]+)"')
_SVG_OPEN = re.compile(r"<svg\b[^>]*>")


def to_svg(chart: SupportsToDict, *, validate: bool = False) -> str:
    """Render a chart to a standalone SVG document, offline.

    The shared focuson look (fonts, text colours) is applied as the Vega-Lite ``config``; any
    ``config`` the chart sets wins.

    Parameters
    ----------
    chart
        An Altair chart (``Chart``, ``LayerChart`` ...).
    validate
        Check the specification against the Vega-Lite JSON schema first. Off by default: the
        builders' tests validate every chart type, and validation takes longer than rendering.

    Returns
    -------
    str
        The SVG document (well-formed XML, starting with ``<svg``).

    Examples
    --------
    >>> import altair as alt, pandas as pd
    >>> chart = alt.Chart(pd.DataFrame({"x": [1, 2]})).mark_point().encode(x="x:Q")
    >>> to_svg(chart).startswith("<svg")
    True
    """
    return spec_to_svg(chart.to_dict(validate=validate))


def spec_to_svg(spec: dict[str, Any]) -> str:
    """Render a Vega-Lite specification (a dict) to SVG, offline, with the focuson look.

    Safe to call from worker threads: it touches no Altair state.

    Parameters
    ----------
    spec
        A Vega-Lite specification, e.g. ``chart.to_dict()``; its ``config`` wins over the
        shared look key by key. The dict is not modified.

    Returns
    -------
    str
        The SVG document.

    Examples
    --------
    >>> spec = {"data": {"values": [{"x": 1}]}, "mark": "point",
    ...         "encoding": {"x": {"field": "x", "type": "quantitative"}}}
    >>> spec_to_svg(spec).startswith("<svg")
    True
    """
    spec = dict(spec)
    config = merge_config(config_chart(), spec.pop("config", None) or {})
    svg: str = vlc.vegalite_to_svg(spec, config=config, allowed_base_urls=[])
    return svg.strip()


def to_svgs(charts: Sequence[SupportsToDict], *, workers: int | None = None) -> list[str]:
    """Render many charts to SVG, the rendering in worker threads.

    vl-convert renders in its own JavaScript runtime, about 25 ms a chart on a 2-core machine;
    threads let that overlap with Python work where cores allow (measured gain there: small).

    Specifications are built in the calling thread (Altair is not thread-safe); only the
    rendering runs in the pool.

    Parameters
    ----------
    charts
        Altair charts.
    workers
        Threads to use; by default the number of CPUs, at most 4.

    Returns
    -------
    list of str
        One SVG document per chart, in the order given.

    Examples
    --------
    >>> import altair as alt, pandas as pd
    >>> chart = alt.Chart(pd.DataFrame({"x": [1, 2]})).mark_point().encode(x="x:Q")
    >>> [svg[:4] for svg in to_svgs([chart, chart])]
    ['<svg', '<svg']
    """
    specs = [chart.to_dict(validate=False) for chart in charts]
    n = workers or min(4, os.cpu_count() or 1)
    if n <= 1 or len(specs) <= 1:
        return [spec_to_svg(spec) for spec in specs]
    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(spec_to_svg, specs))


def inline_svg(svg: str, *, label: str, id_prefix: str) -> str:
    """Make a standalone SVG fit to sit inside an HTML page, with a text alternative.

    - ``role="img"``, ``aria-label`` and a ``<title>`` child give the chart an accessible name.
    - Every ``id`` (clip paths, gradients) and every reference to one is prefixed, so several
      charts on one page do not clip each other.
    - The ``xmlns`` declarations are dropped: the HTML parser puts ``<svg>`` in the SVG namespace
      itself, and the page then holds no ``http://`` text at all.

    Parameters
    ----------
    svg
        The output of :func:`to_svg`.
    label
        The text alternative: what the chart shows, in a sentence or two.
    id_prefix
        Unique on the page, e.g. ``"chart-3"``.

    Returns
    -------
    str
        The SVG element as HTML.

    Examples
    --------
    >>> svg = '<svg xmlns="http://www.w3.org/2000/svg" width="2"><clipPath id="c1"/>' \\
    ...       '<g clip-path="url(#c1)"/></svg>'
    >>> inline_svg(svg, label="A & B", id_prefix="f1")
    '<svg width="2" role="img" aria-label="A &amp; B"><title>A &amp; B</title><clipPath \
id="f1-c1"/><g clip-path="url(#f1-c1)"/></svg>'
    """
    body = _ID.sub(lambda m: f'id="{id_prefix}-{m.group(1)}"', svg)
    body = _URL_REF.sub(lambda m: f"url(#{id_prefix}-{m.group(1)})", body)
    body = _HREF_REF.sub(lambda m: f'{m.group(1)}="#{id_prefix}-{m.group(2)}"', body)
    opening = _SVG_OPEN.search(body)
    if opening is None:
        raise ValueError("svg: no <svg> element found")
    tag = _XMLNS.sub("", opening.group(0))
    tag = re.sub(r'\s+(role|aria-label)="[^"]*"', "", tag)
    text = html.escape(label, quote=True)
    new_open = f'{tag[:-1].rstrip()} role="img" aria-label="{text}"><title>{text}</title>'
    return body[: opening.start()] + new_open + body[opening.end() :]
