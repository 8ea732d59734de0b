"""Statement round forms: a round, a statement, moderation, a paper voter, a Pol.is import, and
the resident's vote, suggestion and declared group."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from focuson.web.core.forms import NHSFormMixin
from focuson.web.statements.models import (
    DEFAULT_GROUP_OPTIONS,
    DEFAULT_GROUP_QUESTION,
    MAX_TEXT,
    Choice,
    Moderation,
    Statement,
    StatementRound,
)


class Radios(forms.RadioSelect):
    """Radios whose field answers to the first radio's id, so the error summary links to it
    (``statements/includes/radios.html`` gives the first radio ``<id>_0``)."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return f"{id_}_0" if index is None and id_ else super().id_for_label(id_, index)


#: The largest Pol.is file taken (a conversation of 10,000 voters on 1,000 statements is ~20 MB).
MAX_UPLOAD = 50 * 2**20
#: "Prefer not to say" in a group choice (stored as ``Voter.prefers_not_to_say``).
PREFER_NOT = "__prefer_not_to_say__"
VOTES = [(str(v), label) for v, label in Choice.choices]
PAPER_VOTES = [("", _("Not answered")), *VOTES]


class RoundForm(NHSFormMixin, forms.Form):
    """A new round: its title and question, its first statements, the groups voters may declare."""

    title = forms.CharField(
        label=_("Title"), max_length=200, error_messages={"required": _("Give the round a title.")}
    )
    question = forms.CharField(
        label=_("The question people answer"),
        max_length=300,
        help_text=_("For example: 'What would make it easier to get your blood pressure checked?'"),
        error_messages={"required": _("Write the question the statements answer.")},
    )
    description = forms.CharField(
        label=_("What the round is for (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Residents see this when they join, before they vote."),
    )
    statements = forms.CharField(
        label=_("Statements to start with (one a line)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_(
            "Short statements people can agree or disagree with, up to 280 characters "
            "each. You can add more later."
        ),
    )
    group_question = forms.CharField(
        label=_("Question about the voter's group"),
        max_length=200,
        initial=DEFAULT_GROUP_QUESTION,
        help_text=_("Residents may answer it or say they prefer not to."),
        error_messages={"required": _("Write the question about the voter's group.")},
    )
    group_options = forms.CharField(
        label=_("The groups they may choose (one a line; leave empty not to ask)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        initial=DEFAULT_GROUP_OPTIONS,
    )

    def clean_statements(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["statements"].splitlines()]
        lines = [line for line in lines if line]
        long = [n for n, line in enumerate(lines, start=1) if len(line) > MAX_TEXT]
        if long:
            raise forms.ValidationError(
                _("Statement %(n)s is longer than %(max)s characters: shorten it or split it.")
                % {"n": long[0], "max": MAX_TEXT}
            )
        if len({line.lower() for line in lines}) != len(lines):
            raise forms.ValidationError(_("A statement appears twice: keep one of them."))
        return lines


class StatementForm(NHSFormMixin, forms.Form):
    """One statement, written by staff or suggested by a resident."""

    text = forms.CharField(
        label=_("Statement"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One short statement others can agree or disagree with (up to 280 characters)."
        ),
        error_messages={
            "required": _("Write the statement."),
            "max_length": _("Keep it to 280 characters or fewer (it has %(show_value)d)."),
        },
    )


class ModerationForm(NHSFormMixin, forms.Form):
    status = forms.ChoiceField(choices=Moderation.choices)


class GroupForm(NHSFormMixin, forms.Form):
    """The group a voter chooses to declare, or "prefer not to say"."""

    group = forms.ChoiceField(
        widget=Radios,
        error_messages={"required": _("Choose a group, or 'Prefer not to say'.")},
    )

    def __init__(self, *args: Any, round: StatementRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].label = round.group_question
        self.fields["group"].choices = [
            *((g, g) for g in round.groups),
            (PREFER_NOT, _("Prefer not to say")),
        ]

    @property
    def prefers_not_to_say(self) -> bool:
        return self.cleaned_data.get("group") == PREFER_NOT

    @property
    def declared(self) -> str:
        value = self.cleaned_data.get("group", "")
        return "" if value == PREFER_NOT else str(value)


class VoteForm(NHSFormMixin, forms.Form):
    """A resident's vote on the statement shown."""

    statement = forms.IntegerField(widget=forms.HiddenInput)
    vote = forms.TypedChoiceField(
        choices=VOTES, coerce=int, error_messages={"required": _("Choose agree, disagree or pass.")}
    )


class PaperVoterForm(NHSFormMixin, forms.Form):
    """One paper form: a label, the group the voter ticked (if any), and a vote per statement."""

    label = forms.CharField(
        label=_("Label of the paper form"),
        max_length=100,
        help_text=_("Write the same label on the paper, e.g. 'Paper 12', so it is entered once."),
        error_messages={"required": _("Give the paper form a label, e.g. 'Paper 12'.")},
    )
    group = forms.ChoiceField(label=_("Group ticked on the form"), required=False)

    def __init__(self, *args: Any, round: StatementRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.round = round
        self.fields["group"].choices = [
            ("", _("Not answered")),
            *((g, g) for g in round.groups),
            (PREFER_NOT, _("Prefer not to say")),
        ]
        self.statements = list(round.statements.filter(status=Moderation.ACCEPTED))
        for s in self.statements:
            self.fields[f"vote_{s.pk}"] = forms.TypedChoiceField(
                label=s.text,
                choices=PAPER_VOTES,
                coerce=int,
                required=False,
                empty_value=None,
                widget=Radios,
            )

    def grid(self) -> list[tuple[Statement, Any]]:
        return [(s, self[f"vote_{s.pk}"]) for s in self.statements]

    def clean_label(self) -> str:
        label = self.cleaned_data["label"].strip()
        if self.round.voters.filter(label__iexact=label).exists():
            raise forms.ValidationError(
                _("A paper form labelled %(label)s is entered already: check it is not the same "
                  "form, and give this one another label.") % {"label": label}
            )  # fmt: skip
        return label

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.votes = {
            s.pk: data[f"vote_{s.pk}"]
            for s in self.statements
            if data.get(f"vote_{s.pk}") is not None
        }
        if not self.statements:
            raise forms.ValidationError(_("The round has no accepted statements to vote on yet."))
        if not self.votes and not self.errors:
            self.add_error(
                f"vote_{self.statements[0].pk}", _("Enter at least one vote from the paper form.")
            )
        return data


class PolisImportForm(NHSFormMixin, forms.Form):
    """A Pol.is conversation export's two files, as a new round."""

    title = forms.CharField(
        label=_("Title"), max_length=200, error_messages={"required": _("Give the round a title.")}
    )
    question = forms.CharField(
        label=_("The question the conversation asked"),
        max_length=300,
        error_messages={"required": _("Write the question the conversation asked.")},
    )
    comments = forms.FileField(
        label=_("comments.csv"),
        help_text=_("From the conversation's export on Pol.is (its statements)."),
        error_messages={"required": _("Choose the export's comments.csv file.")},
    )
    participants_votes = forms.FileField(
        label=_("participants-votes.csv"),
        help_text=_("From the same export (one row per participant, one column per statement)."),
        error_messages={"required": _("Choose the export's participants-votes.csv file.")},
    )

    def _small(self, name: str) -> Any:
        upload = self.cleaned_data[name]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(
                _("%(file)s is larger than %(mb)s MB: is it a Pol.is export's file?")
                % {"file": upload.name, "mb": f"{MAX_UPLOAD / 2**20:g}"}
            )
        return upload

    def clean_comments(self) -> Any:
        return self._small("comments")

    def clean_participants_votes(self) -> Any:
        return self._small("participants_votes")
