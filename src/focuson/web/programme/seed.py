"""The North West London Health Equity Programme as it stands: three pillars, the workstreams the
programme page lists, and the eight boroughs (``reference/nhs-standards.md`` §9).

:func:`seed_programme` is idempotent: records already there (found by name or code, deleted ones
included) are left as they are, so edits made in the app survive a second seed.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from focuson.web.programme.models import Borough, Pillar, Workstream

#: The eight boroughs with their ONS local authority district codes.
BOROUGHS = [
    ("Brent", "E09000005"),
    ("Ealing", "E09000009"),
    ("Hammersmith and Fulham", "E09000013"),
    ("Harrow", "E09000015"),
    ("Hillingdon", "E09000017"),
    ("Hounslow", "E09000018"),
    ("Kensington and Chelsea", "E09000020"),
    ("Westminster", "E09000033"),
]

#: (pillar, description, [(workstream, description)]). Black communities first, as the
#: programme does.
PILLARS = [
    (
        "Core20PLUS5, inequalities metrics and hypertension",
        "The most deprived 20% and the groups the programme names, the five clinical areas, "
        "the inequalities metrics and hypertension.",
        [
            (
                "Black communities: maternity",
                "Outcomes and experience of maternity care for Black women and birthing people.",
            ),
            (
                "Black communities: prostate cancer",
                "Earlier diagnosis of prostate cancer in Black men.",
            ),
            (
                "Black communities: men's mental health",
                "Access to and experience of mental health care for Black men.",
            ),
            (
                "Black communities: hypertension",
                "Finding and controlling high blood pressure in Black communities.",
            ),
            ("Core20PLUS5", "The five clinical areas for the most deprived 20% and PLUS groups."),
            ("Inequalities metrics", "The NHS inequalities metrics across North West London."),
        ],
    ),
    (
        "Structural racism",
        "How the system's structures, not people's choices, produce unequal care and outcomes.",
        [],
    ),
    ("To be confirmed", "The third pillar's content is not confirmed yet: edit it here.", []),
]


@transaction.atomic
def seed_programme(*, user: Any = None) -> dict[str, int]:
    """Add the programme's pillars, workstreams and boroughs where they are missing.

    Parameters
    ----------
    user
        Who the audit trail names (None for the demo's set-up).

    Returns
    -------
    dict
        How many pillars, workstreams and boroughs were added (0 each on a second run).
    """
    added = {"pillars": 0, "workstreams": 0, "boroughs": 0}
    known_codes = set(Borough.objects.values_list("code", flat=True))
    new_boroughs = [Borough(name=n, code=c) for n, c in BOROUGHS if c not in known_codes]
    bulk_create_with_history(new_boroughs, Borough, default_user=user)
    added["boroughs"] = len(new_boroughs)
    for order, (name, description, workstreams) in enumerate(PILLARS, start=1):
        pillar = Pillar.all_objects.filter(name=name).first()
        if pillar is None:
            pillar = Pillar(name=name, description=description, order=order)
            pillar._history_user = user
            pillar.save()
            added["pillars"] += 1
        for ws_name, ws_description in workstreams:
            if Workstream.all_objects.filter(name=ws_name).exists():
                continue
            workstream = Workstream(pillar=pillar, name=ws_name, description=ws_description)
            workstream._history_user = user
            workstream.save()
            added["workstreams"] += 1
    return added
