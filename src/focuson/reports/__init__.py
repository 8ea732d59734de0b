"""Reports assembled from results: self-contained HTML with inline SVG charts."""

from focuson.reports._html import is_synthetic
from focuson.reports._words import finding_sentence, group_phrase
from focuson.reports.find_report import (
    render_find_report,
    report_periods,
    top_gaps,
    write_find_report,
)

__all__ = [
    "finding_sentence",
    "group_phrase",
    "is_synthetic",
    "render_find_report",
    "report_periods",
    "top_gaps",
    "write_find_report",
]
