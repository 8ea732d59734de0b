"""Statistics the field trusts, vectorised over groups.

Pure numpy/scipy: every function takes arrays (one element per group) and returns arrays or a small
typed result. Nothing here imports pandas, Ibis or Django, and nothing here does I/O. Each
function's docstring cites the method and the reference implementation it matches;
``docs/methods.md`` lists them all with the tolerance achieved.
"""

from focuson.stats.disclosure import (
    NHS_RULE,
    STRICT_RULE,
    DisclosedCounts,
    DisclosedTable,
    DisclosureRule,
    disclose_counts,
    disclose_table,
    disclosed_rate,
)
from focuson.stats.dsr import dsr
from focuson.stats.estimate import Estimate, Interval
from focuson.stats.funnels import (
    SIGNIFICANCE_LEVELS,
    FunnelLimits,
    FunnelPoints,
    FunnelSignificance,
    funnel_limits,
    funnel_points,
    funnel_significance,
)
from focuson.stats.inequality.attributable import paf, par
from focuson.stats.inequality.concentration import aci, rci
from focuson.stats.inequality.difference_ratio import difference, ratio
from focuson.stats.inequality.dispersion_analytic import bgv, mld, ti
from focuson.stats.inequality.dispersion_simulated import (
    bgsd,
    covar,
    idisu,
    idisw,
    mdbu,
    mdbw,
    mdmu,
    mdmw,
    mdru,
    mdrw,
)
from focuson.stats.inequality.orientation import oriented
from focuson.stats.inequality.sii import SII_FLAVOURS, SiiFlavour, sii
from focuson.stats.inequality.sii_nhse import sii_nhse
from focuson.stats.inequality.sii_ohid import sii_ohid
from focuson.stats.inequality.sii_who import rii_who, sii_who
from focuson.stats.isr import isr_rate, isr_ratio
from focuson.stats.life_expectancy import STANDARD_AGE_BANDS, life_expectancy
from focuson.stats.means import mean
from focuson.stats.multiple_testing import bh_qvalues
from focuson.stats.proportions import proportion
from focuson.stats.quantiles import Quantiles, assign_quantiles
from focuson.stats.rates import rate
from focuson.stats.standard_populations import ESP2013, ESP2013_LIFE_TABLE, StandardPopulation

__all__ = [
    "ESP2013",
    "ESP2013_LIFE_TABLE",
    "NHS_RULE",
    "SIGNIFICANCE_LEVELS",
    "SII_FLAVOURS",
    "STANDARD_AGE_BANDS",
    "STRICT_RULE",
    "DisclosedCounts",
    "DisclosedTable",
    "DisclosureRule",
    "Estimate",
    "FunnelLimits",
    "FunnelPoints",
    "FunnelSignificance",
    "Interval",
    "Quantiles",
    "SiiFlavour",
    "StandardPopulation",
    "aci",
    "assign_quantiles",
    "bgsd",
    "bgv",
    "bh_qvalues",
    "covar",
    "difference",
    "disclose_counts",
    "disclose_table",
    "disclosed_rate",
    "dsr",
    "funnel_limits",
    "funnel_points",
    "funnel_significance",
    "idisu",
    "idisw",
    "isr_rate",
    "isr_ratio",
    "life_expectancy",
    "mdbu",
    "mdbw",
    "mdmu",
    "mdmw",
    "mdru",
    "mdrw",
    "mean",
    "mld",
    "oriented",
    "paf",
    "par",
    "proportion",
    "rate",
    "ratio",
    "rci",
    "rii_who",
    "sii",
    "sii_nhse",
    "sii_ohid",
    "sii_who",
    "ti",
]
