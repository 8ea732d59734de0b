"""A paper sign-in sheet's tally: how many people in each group of one breakdown.

Open's events and Co-create's sessions both take one; what differs is which breakdowns a sheet
may count (Co-create adds the roles in the room). A subclass gives ``dimension`` its choices
and :meth:`PaperTallyForm.band_fields` its bands.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from focuson.web.core.forms import NHSFormMixin
from focuson.web.insight import bands
from focuson.web.programme.models import Borough


def breakdown_bands() -> list[tuple[str, str, Any]]:
    """Every (breakdown, band, label) of Find's breakdowns, each "prefer not to say" last."""
    out: list[tuple[str, str, Any]] = []
    boroughs = list(Borough.objects.values_list("name", flat=True))
    for dimension in bands.DIMENSIONS:
        fixed = bands.FIXED_BANDS.get(dimension) or [(b, b) for b in boroughs]
        out += [(dimension, str(code), label) for code, label in fixed]
        out.append((dimension, "", bands.PREFER_NOT[1]))
    return out


class PaperTallyForm(NHSFormMixin, forms.Form):
    """One count field per band; ``cleaned_data["counts"]`` is the chosen breakdown's counts."""

    dimension = forms.ChoiceField(label=_("Counted by"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bands = self.band_fields()
        for dimension, band, label in self.bands:
            self.fields[self.field_name(dimension, band)] = forms.IntegerField(
                label=label,
                required=False,
                min_value=0,
                max_value=100000,
                error_messages={
                    "min_value": _("A count must be 0 or more."),
                    "invalid": _("Enter a whole number of people."),
                },
            )

    def band_fields(self) -> list[tuple[str, str, Any]]:
        """Every (breakdown, band, label) the sheet may count."""
        raise NotImplementedError

    @staticmethod
    def field_name(dimension: str, band: str) -> str:
        return f"n__{dimension}__{band or 'none'}"

    def fields_of(self, dimension: str) -> list[Any]:
        """The bound count fields of one breakdown, for the template."""
        return [self[self.field_name(d, b)] for d, b, _label in self.bands if d == dimension]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        chosen = data.get("dimension")
        if chosen and not self.errors:
            counted = {
                b: data.get(self.field_name(d, b)) or 0
                for d, b, _label in self.bands
                if d == chosen
            }
            if not any(counted.values()):
                raise forms.ValidationError(_("Enter at least one count for the breakdown chosen."))
            data["counts"] = counted
        return data
