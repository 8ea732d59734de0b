"""The programme's records: its pillars and workstreams, the boroughs, Focus-on projects through
the six steps, the decisions log and the monthly update."""

from focuson.web.programme.models.decision import Decision, Outcome
from focuson.web.programme.models.project import Project, ProjectMembership, visible_projects
from focuson.web.programme.models.step import STEP_DESCRIPTIONS, ProjectStep, Status, Step
from focuson.web.programme.models.structure import Borough, Pillar, Workstream
from focuson.web.programme.models.update import MonthlyUpdate

__all__ = [
    "STEP_DESCRIPTIONS",
    "Borough",
    "Decision",
    "MonthlyUpdate",
    "Outcome",
    "Pillar",
    "Project",
    "ProjectMembership",
    "ProjectStep",
    "Status",
    "Step",
    "Workstream",
    "visible_projects",
]
