"""Who was heard by main language, and who needed an interpreter, for one project.

Find's results hold no population by main language, so there is no denominator to compare with
(the Census 2021 main-language tables would give one; they are not among the reference data):
the languages heard are listed, as published counts, for the team to set against what they know
of the area. Counts pass the same disclosure rule as everything else (1-7 hidden, the rest
rounded to 5), and the languages hidden are taken together in one row, so a row is never one
person's language.

Example
-------
>>> tally(["Bengali", "bengali ", "English"] * 8 + ["Somali"] * 3)
[('Bengali', 15.0), ('English', 10.0), ('Other languages, each fewer than 8 people', None)]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

import numpy as np
from django.utils.translation import gettext_lazy as _

from focuson.stats import NHS_RULE, disclose_counts
from focuson.web.insight.models import Participant

OTHER = _("Other languages, each fewer than 8 people")


def tally(languages: Iterable[str]) -> list[tuple[str, float | None]]:
    """Published counts per main language, most first; hidden ones pooled into one last row.

    A language is named as written, with case and spaces tidied ("bengali " is "Bengali");
    blanks (not stated) are left out. ``None`` is a count hidden by the rule.
    """
    counts = Counter(" ".join(str(x).split()).title() for x in languages if str(x).strip())
    if not counts:
        return []
    names = sorted(counts, key=lambda k: (-counts[k], k))
    shown = disclose_counts(np.array([counts[n] for n in names], dtype=float), rule=NHS_RULE)
    out: list[tuple[str, float | None]] = [
        (name, float(value))
        for name, value, hidden in zip(names, shown.value, shown.suppressed, strict=True)
        if not hidden
    ]
    pooled = sum(counts[n] for n, hidden in zip(names, shown.suppressed, strict=True) if hidden)
    if pooled:
        out.append((str(OTHER), _published(pooled)))
    return out


def languages_heard(project: Any) -> dict[str, Any]:
    """The project's participants by main language and by interpreter needed (published)."""
    people = Participant.objects.filter(event__project=project, event__deleted_at__isnull=True)
    rows = list(people.values_list("language", "interpreter_needed"))
    needed = Counter(flag for _, flag in rows if flag in {"yes", "no"})
    flags = disclose_counts(np.array([needed["yes"], needed["no"]], dtype=float), rule=NHS_RULE)
    return {
        "languages": tally(language for language, _ in rows),
        "not_stated": _published(sum(1 for language, _ in rows if not str(language).strip())),
        "interpreter": [
            (label, None if np.isnan(v) else float(v))
            for label, v in zip((_("Yes"), _("No")), flags.value, strict=True)
        ],
    }


def _published(count: int) -> float | None:
    value = disclose_counts(np.array([count], dtype=float), rule=NHS_RULE).value[0]
    return None if np.isnan(value) else float(value)
