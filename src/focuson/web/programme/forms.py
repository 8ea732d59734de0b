"""The programme's forms in the NHS.UK style: labels in words, hints, errors that say what to do."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from focuson.web.core.forms import NHSFormMixin
from focuson.web.evidence.models import Alert, Finding
from focuson.web.programme.models import (
    Borough,
    MonthlyUpdate,
    Outcome,
    Pillar,
    Project,
    Status,
    Step,
    Workstream,
)

#: Evidence offered in a form: the findings and alerts about the project's indicator, most people
#: affected first (a run holds thousands of findings; a select of them all would not be usable).
EVIDENCE_CHOICES = 20


class DateInput(forms.DateInput):
    input_type = "date"


def _people(*roles: str) -> Any:
    users = get_user_model().objects.filter(is_active=True).order_by("first_name", "username")
    return users.filter(role__in=roles) if roles else users


class PersonChoiceField(forms.ModelChoiceField):
    """A choice of person, shown by name (their username when they have none)."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.get_username())


class PillarForm(NHSFormMixin, forms.ModelForm):
    class Meta:
        model = Pillar
        fields = ["name", "description", "order"]


class WorkstreamForm(NHSFormMixin, forms.ModelForm):
    class Meta:
        model = Workstream
        fields = ["pillar", "name", "description", "lead"]
        field_classes = {"lead": PersonChoiceField}
        help_texts = {"lead": _("Optional: who leads this workstream.")}


class ProjectForm(NHSFormMixin, forms.Form):
    """Start a project (or change its title, workstream, boroughs, owner and summary)."""

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_(
            "In words a resident would understand, for example: Blood pressure checks "
            "for Black men in Brent."
        ),
        error_messages={"required": _("Enter a title for the project.")},
    )
    workstream = forms.ModelChoiceField(
        label=_("Workstream"),
        queryset=Workstream.objects.select_related("pillar"),
        empty_label=_("Choose a workstream"),
        error_messages={"required": _("Choose the workstream the project belongs to.")},
    )
    boroughs = forms.ModelMultipleChoiceField(
        label=_("Boroughs"),
        queryset=Borough.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Where the project works. Leave all unticked for the whole of North West London."
        ),
    )
    owner = PersonChoiceField(
        label=_("Owner"),
        queryset=_people("programme_lead", "administrator"),
        required=False,
        empty_label=_("You"),
        help_text=_("Who runs it. Leave blank to own it yourself."),
    )
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Optional: why this project, and what it hopes to change."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Ticked boxes are drawn by the template in the design system's markup.
        self.fields["boroughs"].widget.attrs["class"] = "nhsuk-checkboxes__input"


class _EvidenceForm(forms.Form):
    """Offers a project's evidence; comes after ``NHSFormMixin`` in the bases because the mixin
    validates a bound form as it starts, so the choices must be set before that."""

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer_evidence(self, project)


class StepForm(NHSFormMixin, _EvidenceForm):
    """Move a step: status, dates, notes and the evidence behind it."""

    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    started_on = forms.DateField(
        label=_("Started"),
        required=False,
        widget=DateInput,
        help_text=_("Leave blank to use today when the step starts."),
    )
    finished_on = forms.DateField(
        label=_("Finished"),
        required=False,
        widget=DateInput,
        help_text=_("Leave blank to use today when the step is done or stopped."),
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    findings = forms.ModelMultipleChoiceField(
        label=_("Findings"),
        queryset=Finding.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    alerts = forms.ModelMultipleChoiceField(
        label=_("Alerts"),
        queryset=Alert.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        started, finished = data.get("started_on"), data.get("finished_on")
        if started and finished and finished < started:
            self.add_error("finished_on", _("The finish date must be on or after the start date."))
        return data


class DecisionForm(NHSFormMixin, _EvidenceForm):
    step = forms.ChoiceField(
        label=_("Step"),
        choices=Step.choices,
        help_text=_("The step the decision was made at."),
    )
    text = forms.CharField(
        label=_("What was decided"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what was decided.")},
    )
    rationale = forms.CharField(
        label=_("Why"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say why: the reasons and who was heard.")},
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("", _("Not a continue, adapt or stop decision")), *Outcome.choices],
        required=False,
    )
    decided_on = forms.DateField(
        label=_("Decided on"),
        widget=DateInput,
        required=False,
        help_text=_("Leave blank for today."),
    )
    findings = forms.ModelMultipleChoiceField(
        label=_("Findings it rested on"),
        queryset=Finding.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    alerts = forms.ModelMultipleChoiceField(
        label=_("Alerts it rested on"),
        queryset=Alert.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


def _offer_evidence(form: forms.Form, project: Project) -> None:
    # The evidence already linked to the project, then the largest findings (and latest
    # alerts) about the same indicator.
    near_findings = (
        Finding.objects.filter(indicator=project.indicator, significant=True, suppressed=False)
        .order_by("-excess")
        .values("pk")[:EVIDENCE_CHOICES]
    )
    near_alerts = (
        Alert.objects.filter(indicator=project.indicator)
        .order_by("-period")
        .values("pk")[:EVIDENCE_CHOICES]
    )
    findings = Finding.objects.filter(
        Q(project_steps__project=project) | Q(decisions__project=project) | Q(pk__in=near_findings)
    )
    alerts = Alert.objects.filter(
        Q(project_steps__project=project) | Q(decisions__project=project) | Q(pk__in=near_alerts)
    )
    fields: Any = form.fields
    fields["findings"].queryset = findings.distinct().order_by("-excess")
    fields["alerts"].queryset = alerts.distinct().order_by("-period")
    fields["findings"].help_text = _(
        "Optional. Listed: the findings already linked to the project and the largest clear "
        "differences about the same indicator."
    )
    fields["alerts"].help_text = _("Optional. Listed: the latest alerts about the same indicator.")


class MemberForm(NHSFormMixin, forms.Form):
    member = PersonChoiceField(
        label=_("Person"),
        queryset=_people(),
        empty_label=_("Choose a person"),
        error_messages={"required": _("Choose the person to add.")},
    )
    role_in_project = forms.CharField(
        label=_("Their role in the project"),
        max_length=100,
        required=False,
        help_text=_("For example: community partner, clinical lead, analyst."),
    )


class GenerateUpdateForm(NHSFormMixin, forms.Form):
    month = forms.RegexField(
        label=_("Month"),
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        max_length=7,
        help_text=_("Year and month, for example 2026-11."),
        error_messages={
            "required": _("Enter the month, for example 2026-11."),
            "invalid": _("Enter the month as year and month, for example 2026-11."),
        },
    )


class NarrativeForm(NHSFormMixin, forms.ModelForm):
    class Meta:
        model = MonthlyUpdate
        fields = ["narrative"]
        widgets = {"narrative": forms.Textarea(attrs={"rows": 12})}
        help_texts = {
            "narrative": _("What the month meant, in plain English. Name no patient or resident.")
        }


class BoardFilterForm(NHSFormMixin, forms.Form):
    """The board's filters (a GET form: the filtered board has its own address)."""

    workstream = forms.ModelChoiceField(
        label=_("Workstream"),
        queryset=Workstream.objects.all(),
        required=False,
        empty_label=_("All workstreams"),
    )
    borough = forms.ModelChoiceField(
        label=_("Borough"),
        queryset=Borough.objects.all(),
        required=False,
        empty_label=_("All boroughs"),
    )
    owner = PersonChoiceField(
        label=_("Owner"), queryset=_people(), required=False, empty_label=_("Anyone")
    )

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["owner"].queryset = owners.order_by("first_name", "username")


class StartProjectForm(ProjectForm):
    """Start a project; ``finding`` (hidden) is the finding it starts from, when there is one."""

    finding = forms.ModelChoiceField(
        queryset=Finding.objects.all(), required=False, widget=forms.HiddenInput
    )
