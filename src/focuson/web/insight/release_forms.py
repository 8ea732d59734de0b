"""The quote release form: confirm suggested redactions, add names and words, choose the card."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from focuson.insight.redaction import Span
from focuson.web.core.forms import NHSFormMixin
from focuson.web.insight.models.release import CARD_ATTRIBUTES


def _key(span: Span) -> str:
    return f"{span.start}:{span.end}"


class ReleaseForm(NHSFormMixin, forms.Form):
    """Which suggested spans to redact, what else to redact, which attributes the card names.

    Only spans the server suggested can be confirmed (their keys are the choices), so a
    tampered form cannot point outside the passage.
    """

    confirmed = forms.MultipleChoiceField(
        label=_("Redact these (suggested)"),
        help_text=_("Untick anything that is not personal data."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    names = forms.CharField(
        label=_("Names to redact"),
        help_text=_("Names of people or places that identify someone, separated by commas."),
        required=False,
        max_length=500,
    )
    phrases = forms.CharField(
        label=_("Other words to redact"),
        help_text=_("One on each line: every place they appear is redacted."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    attributes = forms.MultipleChoiceField(
        label=_("What the quote card may say about the speaker"),
        help_text=_(
            "Only what enough participants share is shown; the preview says what was left off."
        ),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, suggested: list[Span], known: dict[str, str], **kw: Any):
        super().__init__(*args, **kw)
        self.suggested = suggested
        confirmed: Any = self.fields["confirmed"]
        confirmed.choices = [(_key(s), f"{s.label}: {s.text}") for s in suggested]
        confirmed.initial = [_key(s) for s in suggested]
        attributes: Any = self.fields["attributes"]
        attributes.choices = [(k, CARD_ATTRIBUTES[k]) for k in CARD_ATTRIBUTES if k in known]

    def spans(self) -> list[tuple[int, int]]:
        return [(int(s), int(e)) for s, e in (k.split(":") for k in self.cleaned_data["confirmed"])]

    def names_list(self) -> list[str]:
        return [n for n in self.cleaned_data["names"].split(",") if n.strip()]

    def phrases_list(self) -> list[str]:
        return [p for p in self.cleaned_data["phrases"].splitlines() if p.strip()]
