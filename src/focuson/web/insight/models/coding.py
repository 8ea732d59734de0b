"""Coding what was heard: a project's codebook, passages coded by each coder, and memos.

These mirror :mod:`focuson.insight.refi_model` so that REFI-QDA exchange maps row to element:

* ``Code`` is a REFI ``Code`` (``parent`` nests it, as ``Code`` inside ``Code``);
* ``Coding`` is one REFI ``Coding`` (its ``guid``, ``coder`` = ``creatingUser``) inside a
  ``PlainTextSelection`` (``selection_guid``, ``start`` and ``end``); codings of the same passage
  imported from one selection share its ``selection_guid``;
* ``Memo`` is a REFI ``Note`` attached by ``NoteRef`` to a code, a selection or a source.

Offsets are Unicode code points of ``Source.text`` from 0, the end excluded: Python ``str``
indices, never UTF-16 units (browsers) or bytes.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from focuson.web.core.models import SoftDeleteModel


class Code(SoftDeleteModel):
    """A code of a project's codebook; ``parent`` nests it under another."""

    project = models.ForeignKey(
        "programme.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="codes",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("under"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    colour = models.CharField(
        _("colour"),
        max_length=7,
        blank=True,
        validators=[
            RegexValidator(
                r"^#[0-9A-Fa-f]{6}$", _("Enter a colour as # and six hex digits, e.g. #005EB8.")
            )
        ],
    )
    #: False for a heading that only groups other codes (REFI ``isCodable``).
    is_codable = models.BooleanField(_("can be applied to text"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    guid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("code")

    def __str__(self) -> str:
        return self.name

    def is_member(self, user: Any) -> bool:
        return bool(self.project.is_member(user))

    def ancestors(self) -> list[Code]:
        """The codes above this one, nearest first (the codebook is shallow: a few queries)."""
        out: list[Code] = []
        node = self.parent
        while node is not None and len(out) < 50:
            out.append(node)
            node = node.parent
        return out

    @property
    def path(self) -> str:
        """``Access > Transport > Bus fares``: the code with the codes above it."""
        return " > ".join([c.name for c in reversed(self.ancestors())] + [self.name])


def code_paths(project_id: int) -> dict[int, str]:
    """Every live code of a project with its path (``Access > Transport``), in one query."""
    rows = {
        pk: (parent, name)
        for pk, parent, name in Code.objects.filter(project_id=project_id).values_list(
            "pk", "parent_id", "name"
        )
    }
    out: dict[int, str] = {}

    def path(pk: int, depth: int = 0) -> str:
        if pk not in out:
            parent, name = rows[pk]
            above = path(parent, depth + 1) if parent in rows and depth < 50 else ""
            out[pk] = f"{above} > {name}" if above else name
        return out[pk]

    for pk in rows:
        path(pk)
    return out


def descendants(code: Code) -> list[int]:
    """Primary keys of every live code below ``code`` (one query per level of the tree)."""
    found: list[int] = []
    level = [code.pk]
    while level and len(found) < 10000:
        level = list(Code.objects.filter(parent_id__in=level).values_list("pk", flat=True))
        found += level
    return found


class Coding(SoftDeleteModel):
    """A code applied to a passage of a source, by one coder."""

    source = models.ForeignKey(
        "insight.Source", verbose_name=_("source"), on_delete=models.CASCADE, related_name="codings"
    )
    code = models.ForeignKey(
        Code, verbose_name=_("code"), on_delete=models.CASCADE, related_name="codings"
    )
    #: Code points of ``source.text`` from 0; ``end`` excluded (``text[start:end]``).
    start = models.PositiveIntegerField(_("start"))
    end = models.PositiveIntegerField(_("end"))
    #: The passage as coded, copied so lists read without loading the whole source.
    excerpt = models.TextField(_("passage"))
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coder"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    #: The one participant who said it, when the passage is one person's (counts voices).
    participant = models.ForeignKey(
        "insight.Participant",
        verbose_name=_("said by"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="codings",
    )
    created = models.DateTimeField(auto_now_add=True)
    guid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    selection_guid = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["source", "start", "end", "pk"]
        verbose_name = _("coding")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="insight_coding_span"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.excerpt[:60]}"

    def is_member(self, user: Any) -> bool:
        return bool(self.source.project.is_member(user))

    @property
    def project(self) -> Any:
        return self.source.project


class Memo(SoftDeleteModel):
    """A memo: an analyst's note on a code, a coding or a source (exactly one of them)."""

    project = models.ForeignKey(
        "programme.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="memos",
    )
    code = models.ForeignKey(
        Code, null=True, blank=True, on_delete=models.CASCADE, related_name="memos"
    )
    coding = models.ForeignKey(
        Coding, null=True, blank=True, on_delete=models.CASCADE, related_name="memos"
    )
    source = models.ForeignKey(
        "insight.Source", null=True, blank=True, on_delete=models.CASCADE, related_name="memos"
    )
    text = models.TextField(_("memo"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created = models.DateTimeField(auto_now_add=True)
    guid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("memo")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(code__isnull=False, coding__isnull=True, source__isnull=True)
                    | Q(code__isnull=True, coding__isnull=False, source__isnull=True)
                    | Q(code__isnull=True, coding__isnull=True, source__isnull=False)
                ),
                name="insight_memo_one_target",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    def is_member(self, user: Any) -> bool:
        return bool(self.project.is_member(user))

    @property
    def target(self) -> Code | Coding | Any:
        return self.code or self.coding or self.source
