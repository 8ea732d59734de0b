"""Find: compare groups, gradients, FDR, people affected, ranking, findings.

The statistical half of the first step of the cycle. It reads the AGGREGATES frame the engine
produced (counts by indicator x period x dimension x group) and the INDICATORS frame, and gives
findings (one row per group, compared with its reference, after disclosure control) and
gradients (SII/RII across IMD deciles, BGV and IDISW across ethnic groups and boroughs).

>>> from focuson.find import find, top_findings, write_results
"""

from focuson.find.compare import DEFAULT_REFERENCE, REST, TESTS, reference_for
from focuson.find.disclosure import disclose_findings, suppression
from focuson.find.estimates import KEYS, estimate
from focuson.find.excess import excess, gap, people_to_level
from focuson.find.findings import FINDING_COLUMNS, FindResult, find, top_findings
from focuson.find.gradients import GRADIENT_COLUMNS, non_ordered_gradients, ordered_gradients
from focuson.find.results import read_results, write_results

__all__ = [
    "DEFAULT_REFERENCE",
    "FINDING_COLUMNS",
    "GRADIENT_COLUMNS",
    "KEYS",
    "REST",
    "TESTS",
    "FindResult",
    "disclose_findings",
    "estimate",
    "excess",
    "find",
    "gap",
    "non_ordered_gradients",
    "ordered_gradients",
    "people_to_level",
    "read_results",
    "reference_for",
    "suppression",
    "top_findings",
    "write_results",
]
