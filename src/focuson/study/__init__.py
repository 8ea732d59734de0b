"""Study: did the prototype work, did the gap narrow (method notes: evaluation.md).

Works from aggregated series (counts and denominators by period and group), never patient rows.

>>> from focuson.study import judge
>>> judge(3.0, 2.5, 4.0, delta=2).label
'Improved'
"""

from focuson.study.verdict import StudyVerdict, Verdict, judge, study_verdict

__all__ = [
    "StudyVerdict",
    "Verdict",
    "judge",
    "study_verdict",
]
