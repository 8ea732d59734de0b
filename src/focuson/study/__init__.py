"""Study: did the prototype work, did the gap narrow (method notes: evaluation.md).

Works from aggregated series (counts and denominators by period and group), never patient rows.

>>> from focuson.study import judge
>>> judge(3.0, 2.5, 4.0, delta=2).label
'Improved'
"""

from focuson.study.ancova import AncovaFit, AncovaGapFit, ancova, ancova_gap
from focuson.study.comparative_its import (
    ComparativeFit,
    ComparativeGapFit,
    comparative_its,
    comparative_its_gap,
)
from focuson.study.did import DidEffect, did_2x2, gap_did, twfe
from focuson.study.event_study import EventStudy, event_study
from focuson.study.its import ItsEffect, ItsFit, its
from focuson.study.its_gap import GapFit, its_gap
from focuson.study.its_many import ManyFits, its_gap_many, its_many
from focuson.study.plan import Plan, PlanError, PlanRecord, freeze, plan_hash, read_plan
from focuson.study.power import its_level_se, its_mde, mde_proportion, power_statement
from focuson.study.sdid import SdidFit, gap_series, sdid
from focuson.study.staggered import StaggeredFit, staggered, staggered_gap
from focuson.study.synth import SyntheticControl, simplex_weights, synthetic_control
from focuson.study.verdict import StudyVerdict, Verdict, judge, study_verdict

__all__ = [
    "AncovaFit",
    "AncovaGapFit",
    "ComparativeFit",
    "ComparativeGapFit",
    "DidEffect",
    "EventStudy",
    "GapFit",
    "ItsEffect",
    "ItsFit",
    "ManyFits",
    "Plan",
    "PlanError",
    "PlanRecord",
    "SdidFit",
    "StaggeredFit",
    "StudyVerdict",
    "SyntheticControl",
    "Verdict",
    "ancova",
    "ancova_gap",
    "comparative_its",
    "comparative_its_gap",
    "did_2x2",
    "event_study",
    "freeze",
    "gap_did",
    "gap_series",
    "its",
    "its_gap",
    "its_gap_many",
    "its_level_se",
    "its_many",
    "its_mde",
    "judge",
    "mde_proportion",
    "plan_hash",
    "power_statement",
    "read_plan",
    "sdid",
    "simplex_weights",
    "staggered",
    "staggered_gap",
    "study_verdict",
    "synthetic_control",
    "twfe",
]
