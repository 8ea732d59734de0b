"""Roles as data: who each role is, in plain English, and what it may do.

A user holds one role (``accounts.User.role``). Facilitators are also members of projects
(``programme.ProjectMembership``); what they may do inside a project is limited to the projects
they are members of (see :func:`focuson.web.permissions.has_permission`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from focuson.web.permissions import Permission as P  # noqa: N817 (read as a table)


@dataclass(frozen=True)
class Role:
    """A role: its key (stored on the user), its name and description, and its permissions."""

    key: str
    name: str
    description: str
    permissions: frozenset[P]


_READ = frozenset({P.VIEW_PUBLIC, P.VIEW_PROGRAMME, P.VIEW_PROJECT, P.VIEW_EVIDENCE, P.USE_API})

VIEWER = Role(
    "viewer",
    _("Viewer"),
    _("Board members and colleagues: read the programme, its projects and the evidence."),
    _READ,
)
FACILITATOR = Role(
    "facilitator",
    _("Facilitator"),
    _(
        "Community partners: see and work inside only the projects they are members of "
        "(steps, notes); read the evidence."
    ),
    _READ | {P.EDIT_PROJECT_STEPS, P.CODE_SOURCES},
)
ANALYST = Role(
    "analyst",
    _("Analyst"),
    _(
        "Brings Find, monitoring and Study results in, writes projects' Study plans, and reads "
        "everything."
    ),
    _READ | {P.IMPORT_RESULTS, P.EDIT_STUDY, P.CODE_SOURCES},
)
PROGRAMME_LEAD = Role(
    "programme_lead",
    _("Programme lead"),
    _(
        "Runs the programme: starts projects, moves them through the steps, records decisions "
        "and publishes the monthly update."
    ),
    _READ
    | {
        P.EDIT_PROGRAMME,
        P.CREATE_PROJECT,
        P.EDIT_PROJECT,
        P.EDIT_PROJECT_STEPS,
        P.CODE_SOURCES,
        P.RECORD_DECISION,
        P.EDIT_STUDY,
        P.EDIT_MONTHLY_UPDATE,
        P.PUBLISH_MONTHLY_UPDATE,
        P.DELETE,
    },
)
ADMINISTRATOR = Role(
    "administrator",
    _("Administrator"),
    _("Manages people and roles, restores deleted records and reads the audit trail."),
    frozenset(P),
)

#: Every role a user can hold, in the order forms list them.
ROLES: dict[str, Role] = {
    role.key: role for role in (ADMINISTRATOR, PROGRAMME_LEAD, ANALYST, FACILITATOR, VIEWER)
}
#: What the anonymous public may do: public pages only.
PUBLIC = frozenset({P.VIEW_PUBLIC})

ROLE_CHOICES = [(role.key, role.name) for role in ROLES.values()]
