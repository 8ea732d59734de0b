"""The evidence pages: runs, the findings explorer, a finding, alerts, compare, upload, jobs."""

from focuson.web.evidence.views.compare import compare
from focuson.web.evidence.views.explorer import findings
from focuson.web.evidence.views.finding import finding
from focuson.web.evidence.views.runs import alerts, run, runs
from focuson.web.evidence.views.upload import job, upload

__all__ = ["alerts", "compare", "finding", "findings", "job", "run", "runs", "upload"]
