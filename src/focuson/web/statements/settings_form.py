"""Staff change a round after it started: when it stops taking votes, and (until voters have
answered it) the question about their group and its answers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from focuson.web.core.forms import NHSFormMixin
from focuson.web.statements.models import StatementRound, Voter


def groups_used(round: StatementRound) -> int:
    """How many voters answered the group question (chose a group or preferred not to say):
    once any has, the groups are locked, or their answers would change meaning."""
    return (
        Voter.objects.filter(round=round)
        .exclude(declared_group="", prefers_not_to_say=False)
        .count()
    )


class RoundSettingsForm(NHSFormMixin, forms.Form):
    """The closing time, and the group question and answers while no voter has used them."""

    closes_at = forms.DateTimeField(
        label=_("Stop taking votes at (optional)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("Leave blank to close it by hand from the round's page."),
        error_messages={"invalid": _("Enter the closing time as a date and a time.")},
    )
    group_question = forms.CharField(
        label=_("Question about the voter's group"),
        max_length=200,
        error_messages={"required": _("Write the question about the voter's group.")},
    )
    group_options = forms.CharField(
        label=_("The groups they may choose (one a line; leave empty not to ask)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )

    def __init__(self, *args: Any, round: StatementRound, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "closes_at": round.closes_at,
                "group_question": round.group_question,
                "group_options": round.group_options,
            },
        )
        super().__init__(*args, **kwargs)
        self.used = groups_used(round)
        if self.used:
            # Shown, not editable: a disabled field keeps its initial value whatever is posted.
            for name in ("group_question", "group_options"):
                self.fields[name].disabled = True

    def clean_closes_at(self) -> Any:
        value = self.cleaned_data["closes_at"]
        if value is not None and value <= timezone.now():
            raise forms.ValidationError(
                _("Enter a time in the future, or close the round now from its page.")
            )
        return value

    def clean_group_options(self) -> str:
        lines = [line.strip() for line in self.cleaned_data["group_options"].splitlines()]
        lines = [line for line in lines if line]
        if len({line.lower() for line in lines}) != len(lines):
            raise forms.ValidationError(_("A group appears twice: keep one of them."))
        return "\n".join(lines)
