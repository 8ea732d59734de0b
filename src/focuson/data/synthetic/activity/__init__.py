"""One module per activity table; each has a ``SCHEMA`` and ``rows(rng, people, ctx, first_id)``."""

from focuson.data.synthetic.activity import (
    admissions,
    ae,
    cancer,
    diagnostics,
    hypertension,
    rtt,
    screening,
)

#: Activity table name -> its module, in the order they are generated.
TABLES = {
    "rtt_pathways": rtt,
    "diagnostic_waits": diagnostics,
    "ae_attendances": ae,
    "cancer_pathways": cancer,
    "screening": screening,
    "hypertension": hypertension,
    "admissions": admissions,
}

__all__ = ["TABLES"]
