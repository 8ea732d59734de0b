"""Monitor: level and gap series by month, SPC on both, and alerts (issue 6).

:mod:`~focuson.monitor.series` builds the series from the AGGREGATES frame,
:mod:`~focuson.monitor.spc` charts them with :func:`focuson.spc.xmr.xmr`,
:mod:`~focuson.monitor.alerts` raises the alerts and :mod:`~focuson.monitor.history` stores them.
"""

from focuson.monitor.alerts import ALERT_COLUMNS, alerts
from focuson.monitor.series import GAP_COLUMNS, LEVEL_COLUMNS, gap_series, level_series
from focuson.monitor.spc import spc_gaps, spc_levels

__all__ = [
    "ALERT_COLUMNS",
    "GAP_COLUMNS",
    "LEVEL_COLUMNS",
    "alerts",
    "gap_series",
    "level_series",
    "spc_gaps",
    "spc_levels",
]
