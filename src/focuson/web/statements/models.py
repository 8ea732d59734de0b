"""Statement rounds (as Pol.is runs one): people vote agree, disagree or pass on short statements.

The thread runs project -> round -> statement -> vote. A voter is either a resident who joined
with the round's code (an anonymous participant id, nothing else), a paper voter entered by a
facilitator (a label such as "Paper 12"), or a Pol.is participant brought in by an import: the
three count the same (:func:`focuson.ideas.rounds.statement_round` sees only the vote matrix).
A voter may declare a group from the round's list, or say they prefer not to; nothing else about
them is stored.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from focuson.web.core.join_codes import Joinable

#: What a statement written here may hold; Pol.is allows 1,000, so imported ones are kept whole.
MAX_TEXT = 280
MAX_IMPORTED_TEXT = 1000

#: The groups offered by default: the five broad ethnic groups of the 2021 Census (England).
DEFAULT_GROUP_QUESTION = _("Which of these best describes your ethnic group?")
DEFAULT_GROUP_OPTIONS = "\n".join(
    [
        "Asian or Asian British",
        "Black, Black British, Caribbean or African",
        "Mixed or multiple ethnic groups",
        "White",
        "Other ethnic group",
    ]
)


class StatementRound(Joinable):
    """A question, the statements people vote on, and who may join (a code, while open)."""

    project = models.ForeignKey(
        "programme.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="statement_rounds",
    )
    title = models.CharField(_("title"), max_length=200)
    question = models.CharField(_("the question people answer"), max_length=300)
    description = models.TextField(_("what the round is for"), blank=True)
    #: The optional question of a declared group, and its answers (one a line).
    group_question = models.CharField(
        _("question about the voter's group"), max_length=200, default=DEFAULT_GROUP_QUESTION
    )
    group_options = models.TextField(
        _("the groups a voter may choose (one a line)"), blank=True, default=DEFAULT_GROUP_OPTIONS
    )
    #: Filled when the round came from a Pol.is export (the files' names), blank otherwise.
    imported_from = models.CharField(_("imported from"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("statement round")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("statements:round", args=[self.pk])

    def get_resident_url(self) -> str:
        """Where a resident who entered this round's code goes (the join page for it)."""
        return reverse("statements:join", args=[self.code])

    def is_member(self, user: Any) -> bool:
        return bool(self.project.is_member(user))

    @property
    def groups(self) -> list[str]:
        """The groups a voter may declare, in the order given."""
        return [line.strip() for line in self.group_options.splitlines() if line.strip()]


class Author(models.TextChoices):
    STAFF = "staff", _("Staff")
    RESIDENT = "resident", _("Resident")


class Moderation(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    PENDING = "pending", _("Waiting for moderation")
    REJECTED = "rejected", _("Rejected")


class Statement(models.Model):
    """A short statement people vote on; residents' suggestions wait for moderation."""

    round = models.ForeignKey(StatementRound, on_delete=models.CASCADE, related_name="statements")
    text = models.CharField(_("statement"), max_length=MAX_IMPORTED_TEXT)
    author = models.CharField(_("written by"), max_length=16, choices=Author.choices)
    status = models.CharField(
        _("moderation"), max_length=16, choices=Moderation.choices, default=Moderation.ACCEPTED
    )
    #: The Pol.is comment id, for a statement imported from Pol.is.
    polis_id = models.IntegerField(_("Pol.is comment id"), null=True, blank=True)
    #: A one-way hash of the anonymous id of the resident who suggested it (so that they can
    #: remove it); never shown, exported or kept in the history.
    participant = models.CharField(max_length=64, blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["participant"])

    class Meta:
        ordering = ["pk"]
        verbose_name = _("statement")

    def __str__(self) -> str:
        return self.text

    def is_member(self, user: Any) -> bool:
        return bool(self.round.project.is_member(user))


class Channel(models.TextChoices):
    ONLINE = "online", _("Online, with the code")
    PAPER = "paper", _("Paper, entered by a facilitator")
    POLIS = "polis", _("Pol.is, imported")


class Voter(models.Model):
    """One person's votes in a round: an anonymous participant id, or a paper voter's label."""

    round = models.ForeignKey(StatementRound, on_delete=models.CASCADE, related_name="voters")
    channel = models.CharField(_("how they voted"), max_length=16, choices=Channel.choices)
    #: The anonymous id of a resident who joined with the code (``join_codes.join``).
    participant = models.CharField(max_length=64, blank=True)
    #: A paper voter's label ("Paper 12"), or a Pol.is participant id.
    label = models.CharField(_("label"), max_length=100, blank=True)
    declared_group = models.CharField(_("group they declared"), max_length=200, blank=True)
    #: They were asked and chose "prefer not to say" (blank ``declared_group`` otherwise means
    #: not asked yet).
    prefers_not_to_say = models.BooleanField(_("prefers not to say"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "participant"],
                condition=~models.Q(participant=""),
                name="statements_voter_once_per_participant",
            )
        ]

    def __str__(self) -> str:
        return self.label or str(_("Online voter"))


class Choice(models.IntegerChoices):
    AGREE = 1, _("Agree")
    DISAGREE = -1, _("Disagree")
    PASS = 0, _("Pass / unsure")


class Vote(models.Model):
    """A voter's vote on a statement; voting again replaces it."""

    voter = models.ForeignKey(Voter, on_delete=models.CASCADE, related_name="votes")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(_("vote"), choices=Choice.choices)
    updated = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["voter", "statement"], name="statements_vote_once")
        ]
