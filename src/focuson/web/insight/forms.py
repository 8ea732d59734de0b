"""Open's forms: an event, a participant, a paper tally, an insight."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from focuson.web.core.forms import NHSFormMixin
from focuson.web.evidence.models import Finding
from focuson.web.insight import bands
from focuson.web.insight.models import Event, Insight, Participant
from focuson.web.insight.tally_forms import PaperTallyForm, breakdown_bands


class EventForm(NHSFormMixin, forms.ModelForm):
    """An event: what, when, where, with whom, in which languages, and on what consent."""

    class Meta:
        model = Event
        fields = [
            "kind",
            "title",
            "date",
            "borough",
            "venue",
            "partners",
            "facilitators",
            "languages",
            "interpreters",
            "attendance",
            "consent_basis",
            "retention_date",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "retention_date": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {
            "partners": _("The organisations who ran it with you, separated by commas."),
            "facilitators": _("The project's members who ran it (hold Ctrl or Cmd for several)."),
            "languages": _("Every language spoken, separated by commas."),
            "attendance": _("How many people came, counted or estimated."),
            "consent_basis": _(
                "How people agreed to be recorded, for example: verbal consent, notes only."
            ),
            "retention_date": _("The records are flagged for deletion after this date."),
        }
        error_messages = {
            "kind": {"required": _("Choose what kind of event it was.")},
            "title": {
                "required": _("Enter a title, for example: Somali women's group, Harlesden.")
            },
            "date": {
                "required": _("Enter the date of the event."),
                "invalid": _("Enter the date of the event as a real date, for example 2025-04-10."),
            },
            "consent_basis": {"required": _("Say how people agreed to be recorded.")},
            "retention_date": {
                "required": _("Enter the date to keep the records until."),
                "invalid": _("Enter the date to keep the records until as a real date."),
            },
        }

    def __init__(self, *args: Any, project: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the project's owner and members can have run its events.
        people = get_user_model().objects.filter(
            Q(pk=project.owner_id) | Q(project_memberships__project=project)
        )
        self.fields["facilitators"].queryset = people.distinct().order_by("username")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        date, keep = data.get("date"), data.get("retention_date")
        if date and keep and keep < date:
            self.add_error(
                "retention_date", _("The date to keep the records until must be after the event.")
            )
        return data


class ParticipantForm(NHSFormMixin, forms.ModelForm):
    """One person: a pseudonym and banded attributes, each may be left as "prefer not to say"."""

    class Meta:
        model = Participant
        fields = [
            "pseudonym",
            "age_band",
            "sex",
            "ethnic_group",
            "borough",
            "imd_quintile",
            "language",
            "interpreter_needed",
        ]
        help_texts = {
            "pseudonym": _("Not their name: a code such as P12, unique within the event."),
            "imd_quintile": _("From their postcode, if they gave it; the postcode is not kept."),
        }
        error_messages = {
            "pseudonym": {"required": _("Enter a pseudonym, such as P12 (never their name).")}
        }

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["borough"].empty_label = str(_("Prefer not to say"))

    def clean_pseudonym(self) -> str:
        value = self.cleaned_data["pseudonym"].strip()
        if Participant.objects.filter(event=self.event, pseudonym__iexact=value).exists():
            raise forms.ValidationError(
                _("This event already has a participant with that pseudonym: choose another.")
            )
        return value


class TallyForm(PaperTallyForm):
    """A paper sign-in sheet's tally for one breakdown: how many people in each group."""

    dimension = forms.ChoiceField(
        label=_("Counted by"),
        choices=[("", _("Choose a breakdown")), *bands.DIMENSION_LABELS.items()],
        error_messages={"required": _("Choose what the sheet counted people by.")},
    )

    def band_fields(self) -> list[tuple[str, str, Any]]:
        return breakdown_bands()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "counts" in data:
            # Open stores only the groups someone was counted in.
            data["counts"] = {b: n for b, n in data["counts"].items() if n}
        return data


class InsightForm(NHSFormMixin, forms.ModelForm):
    """An insight: what was heard, its type, and the finding it bears on."""

    class Meta:
        model = Insight
        fields = ["statement", "type", "finding", "relation"]
        widgets = {"statement": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "statement": {"required": _("Enter the insight in one sentence.")},
            "type": {"required": _("Choose the type: problem, cause, barrier, asset or idea.")},
        }
        help_texts = {
            "statement": _("One sentence in plain English, for example: evening clinics only."),
            "finding": _(
                "The finding the project started from, or another group of the same "
                "indicator and month."
            ),
        }

    def __init__(self, *args: Any, project: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        queryset = Finding.objects.none()
        if project.finding_id is not None:
            f = project.finding
            # The finding's indicator and month in every breakdown: tens of rows, not thousands.
            queryset = Finding.objects.filter(
                run_id=f.run_id, indicator=f.indicator, period=f.period
            )
        self.fields["finding"].queryset = queryset
        self.fields["finding"].empty_label = str(_("No finding: a possible blind spot"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        finding, relation = data.get("finding"), data.get("relation")
        if finding and not relation:
            self.add_error("relation", _("Say whether it explains, contradicts or is new."))
        if relation and not finding:
            self.add_error("finding", _("Choose the finding, or leave how it bears blank."))
        return data
