"""Quotes released from the workspace: a coded passage, redacted, with a safe quote card.

A quote is the only form in which a resident's words leave Open's workspace (the community
insight report, public pages). It is made from one coding (a coded passage) by a person who
confirms the redactions (:func:`focuson.insight.redaction.suggest_redactions`) and the speaker's
attributes the card may name (:func:`focuson.insight.redaction.quote_check`).

The audit trail records who released or withdrew a quote and when, never the words or the
attributes: a participant erased on request takes their codings and so their quotes with them
(``on_delete=CASCADE``), and the history rows left behind then hold nothing about them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from focuson.web.insight import bands

#: The attributes a quote card may name: label, and how to read the value from a participant.
CARD_ATTRIBUTES: dict[str, Any] = {
    "age_band": _("Age band"),
    "sex": _("Sex"),
    "ethnic_group": _("Ethnic group"),
    "borough": _("Borough"),
    "language": _("Main language"),
}

_LABELS: dict[str, dict[str, Any]] = {
    "age_band": dict(bands.AGE_BANDS),
    "sex": dict(bands.SEXES),
    "ethnic_group": dict(bands.ETHNIC_GROUPS),
}


class Quote(models.Model):
    """A passage released (or withdrawn) for use outside the workspace, redacted."""

    class Status(models.TextChoices):
        RELEASED = "released", _("Released")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    project = models.ForeignKey(
        "programme.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="quotes",
    )
    coding = models.ForeignKey(
        "insight.Coding",
        verbose_name=_("coded passage"),
        on_delete=models.CASCADE,
        related_name="quotes",
    )
    #: The passage with every confirmed span replaced (what is shown).
    redacted_text = models.TextField(_("quote"))
    #: Confirmed spans as ``[start, end]`` code points of ``coding.excerpt``, end excluded.
    spans = models.JSONField(default=list)
    #: What the card says of the speaker: attribute key -> band code (only what passed the check).
    attributes = models.JSONField(default=dict)
    #: The threshold the card's attributes were checked against.
    threshold = models.PositiveSmallIntegerField(_("threshold"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RELEASED
    )
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("released by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    released_at = models.DateTimeField(_("released"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    # Words and attributes stay out of the audit trail (see the module's docstring).
    history = HistoricalRecords(excluded_fields=["redacted_text", "spans", "attributes"])

    class Meta:
        ordering = ["-released_at", "-pk"]
        verbose_name = _("released quote")

    def __str__(self) -> str:
        return self.redacted_text[:60]

    def is_member(self, user: Any) -> bool:
        return bool(self.project.is_member(user))

    @property
    def card(self) -> list[tuple[Any, Any]]:
        """The card's attributes as (label, value) pairs in words."""
        return card(self.attributes)


def card(attributes: dict[str, str]) -> list[tuple[Any, Any]]:
    """A quote card's attributes as (label, value) pairs in words, in the card's order."""
    return [
        (CARD_ATTRIBUTES[key], _LABELS.get(key, {}).get(attributes[key], attributes[key]))
        for key in CARD_ATTRIBUTES
        if key in attributes
    ]
