"""The Study step's forms: the plan (pasted or uploaded), its results, the decision."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from focuson.study.plan import MAX_PLAN_CHARACTERS, PlanError, read_plan_text
from focuson.web.core.forms import NHSFormMixin
from focuson.web.evidence.models import Run
from focuson.web.programme.models import Outcome
from focuson.web.study.actions import DECISIONS

YES_NO = [("no", _("No")), ("yes", _("Yes"))]


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


class Radios(forms.RadioSelect):
    """Radios whose field answers to the first radio's id, so the error summary links to it."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return id_ if index is None else super().id_for_label(id_, index)


class PlanForm(NHSFormMixin, forms.Form):
    """A plan pasted as YAML or uploaded as a file; an amendment says why and whether data
    had been seen."""

    plan = forms.CharField(
        label=_("The plan (YAML)"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 18, "spellcheck": "false", "class": "focuson-plan-input"}
        ),
        help_text=_(
            "Paste the plan: outcome, gap, smallest worthwhile change, design, windows, model. "
            "docs/study.md shows one."
        ),
    )
    plan_file = forms.FileField(
        label=_("Or upload the plan file"),
        required=False,
        help_text=_("A .yaml file, in UTF-8."),
    )
    data_seen = forms.ChoiceField(
        label=_("Data from the test period already seen"),
        choices=YES_NO,
        widget=Radios,
        help_text=_(
            "Had anyone looked at results from after the change started? It is recorded with "
            "this version and shown on the Study card."
        ),
        error_messages={"required": _("Say whether data from the test period had been seen.")},
    )
    reason = forms.CharField(
        label=_("Why the plan changed"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the Study card with this version."),
    )

    def __init__(self, *args: Any, amending: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.amending = amending
        if not amending:
            del self.fields["reason"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        text, upload = data.get("plan", ""), data.get("plan_file")
        if text and upload:
            self.add_error("plan", _("Paste the plan or upload a file, not both."))
        elif upload:
            if upload.size > MAX_PLAN_CHARACTERS * 4:
                self.add_error("plan_file", _("The file is too big to be a plan: upload the plan."))
            else:
                try:
                    data["plan"] = upload.read().decode("utf-8")
                except UnicodeDecodeError:
                    self.add_error(
                        "plan_file", _("The file is not text in UTF-8: save the plan as UTF-8.")
                    )
            data["label"] = upload.name
        elif not text:
            self.add_error("plan", _("Paste the plan, or upload the plan file."))
        data.setdefault("label", str(_("The plan")))
        if data.get("plan") and "plan" not in self.errors and "plan_file" not in self.errors:
            # Checked here too, so that the plan's errors show with the form's other errors.
            try:
                read_plan_text(data["plan"], label=data["label"])
            except PlanError as error:
                lines = [line for line in str(error).splitlines() if line.strip()]
                if not upload:
                    # The field's label already says it is the plan: "Line 3: design: ...".
                    lines = [
                        _upper_first(line.removeprefix(f"{data['label']}, ")) for line in lines
                    ]
                self.add_error("plan_file" if upload else "plan", lines)
        if self.amending and not data.get("reason", "").strip():
            self.add_error("reason", _("Say why the plan changed."))
        return data


class RunChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        when = obj.created or obj.imported_at
        return f"{obj.title} ({when:%d %B %Y})" if when else str(obj.title)


class LinkRunForm(NHSFormMixin, forms.Form):
    """Choose the Study results run on the frozen plan."""

    run = RunChoiceField(
        label=_("Study results"),
        queryset=Run.objects.filter(kind=Run.Kind.STUDY),
        empty_label=_("Choose the results"),
        help_text=_(
            "Study results imported from focuson study. Only results run on this project's "
            "frozen plan can be linked."
        ),
        error_messages={"required": _("Choose the Study results to link.")},
    )


class DecisionForm(NHSFormMixin, forms.Form):
    """Continue, adapt or stop, what exactly, why, who decided and when."""

    outcome = forms.ChoiceField(
        label=_("What was decided"),
        choices=[choice for choice in Outcome.choices if choice[0] in DECISIONS],
        widget=Radios,
        help_text=_(
            "Continue hands the indicator to ongoing measurement; stop marks the Study stopped; "
            "adapt keeps it going with changes."
        ),
        error_messages={"required": _("Choose continue, adapt or stop.")},
    )
    text = forms.CharField(
        label=_("The decision in a sentence"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: Keep the text reminders and offer them in Brent's GP practices."),
        error_messages={"required": _("Say what was decided, in a sentence.")},
    )
    rationale = forms.CharField(
        label=_("Why"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the verdict and what people said afterwards weighed."),
        error_messages={"required": _("Say why it was decided.")},
    )
    decided_by = forms.CharField(
        label=_("Who decided"),
        required=False,
        max_length=200,
        help_text=_("For example: the programme board. You are recorded as who recorded it."),
    )
    decided_on = forms.DateField(
        label=_("Decided on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Today when left blank."),
        error_messages={"invalid": _("Enter the date as day, month and year.")},
    )
