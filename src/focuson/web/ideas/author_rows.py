"""An idea's co-authors on the staff form as repeated rows (no JavaScript needed).

Each co-author already recorded is a row (name, role, and a box to remove them); three blank rows
take new ones, and saving gives three more. Rows are plain fields of the idea's form, so the NHS
error summary links to each.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from focuson.web.ideas.models import IdeaContributor, Role

#: Blank rows offered for new co-authors at a time.
NEW_ROWS = 3

ROLE_CHOICES = [("", _("Choose a role")), *Role.choices]


@dataclass
class Authors:
    """What the rows ask: co-authors changed (pk -> name, role), removed (pks), added."""

    changed: dict[int, tuple[str, str]] = field(default_factory=dict)
    removed: set[int] = field(default_factory=set)
    added: list[tuple[str, str]] = field(default_factory=list)


class AuthorRows:
    """Adds the rows' fields to ``form`` and reads them back as :class:`Authors`."""

    def __init__(self, form: forms.Form, idea: Any) -> None:
        self.form = form
        self.existing = list(IdeaContributor.objects.filter(idea=idea)) if idea.pk else []
        self.rows: list[tuple[str, IdeaContributor | None]] = []
        for c in self.existing:
            prefix = f"author_{c.pk}"
            form.fields[f"{prefix}_name"] = forms.CharField(
                label=_("Name or community group"), max_length=200, required=False, initial=c.name
            )
            form.fields[f"{prefix}_role"] = forms.ChoiceField(
                label=_("Their role"), choices=ROLE_CHOICES, required=False, initial=c.role
            )
            form.fields[f"{prefix}_remove"] = forms.BooleanField(
                label=_("Remove this co-author"), required=False
            )
            self.rows.append((prefix, c))
        for n in range(NEW_ROWS):
            prefix = f"new_author_{n}"
            form.fields[f"{prefix}_name"] = forms.CharField(
                label=_("Name or community group"), max_length=200, required=False
            )
            form.fields[f"{prefix}_role"] = forms.ChoiceField(
                label=_("Their role"), choices=ROLE_CHOICES, required=False
            )
            self.rows.append((prefix, None))

    def bound(self) -> list[dict[str, Any]]:
        """The rows' bound fields, for the template."""
        return [
            {
                "existing": c,
                "name": self.form[f"{prefix}_name"],
                "role": self.form[f"{prefix}_role"],
                "remove": self.form[f"{prefix}_remove"] if c is not None else None,
            }
            for prefix, c in self.rows
        ]

    def clean(self, data: dict[str, Any]) -> None:
        """Check each row (a name needs a role; a role needs a name, but a resident may stay
        unnamed) and keep what they ask in ``self.authors``."""
        self.authors = Authors()
        for prefix, c in self.rows:
            name = (data.get(f"{prefix}_name") or "").strip()
            role = data.get(f"{prefix}_role") or ""
            if c is not None and data.get(f"{prefix}_remove"):
                self.authors.removed.add(c.pk)
                continue
            if c is None and not name and not role:
                continue  # a blank new row
            if not role:
                self.form.add_error(f"{prefix}_role", _("Choose the role of who made it."))
            elif not name and role != Role.RESIDENT:
                self.form.add_error(
                    f"{prefix}_name",
                    _("Give the name of who made it (only a resident may stay unnamed)."),
                )
            elif c is None:
                self.authors.added.append((name, role))
            elif (name, role) != (c.name, c.role):
                self.authors.changed[c.pk] = (name, role)
