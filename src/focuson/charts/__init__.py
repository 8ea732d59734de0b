"""Charts: one Altair builder per chart type, rendered to SVG offline through vl-convert.

Each builder takes a small frame of published (disclosure-controlled) aggregates and returns an
Altair chart; :func:`to_svg` renders it without a browser or network, and :func:`inline_svg`
prepares the SVG for a self-contained HTML page with a text alternative.
"""

from focuson.charts.deprivation import deprivation_chart, sii_line
from focuson.charts.funnel import POSITION_ORDER, FunnelLines, funnel_chart
from focuson.charts.groups import groups_chart, natural_order
from focuson.charts.ranking import ranking_chart
from focuson.charts.render import inline_svg, spec_to_svg, to_svg, to_svgs

__all__ = [
    "POSITION_ORDER",
    "FunnelLines",
    "deprivation_chart",
    "funnel_chart",
    "groups_chart",
    "inline_svg",
    "natural_order",
    "ranking_chart",
    "sii_line",
    "spec_to_svg",
    "to_svg",
    "to_svgs",
]
