"""Co-create and Unite forms: an idea, a round, a ballot (any channel), the decision."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from focuson.web.core.forms import NHSFormMixin
from focuson.web.evidence.models import Finding
from focuson.web.ideas.author_rows import AuthorRows
from focuson.web.ideas.models import (
    Channel,
    CoCreationSession,
    Idea,
    IdeaStatus,
    PrioritisationRound,
    Role,
    Support,
)
from focuson.web.insight.models import Insight


class Checkboxes(forms.CheckboxSelectMultiple):
    """Checkboxes whose field answers to the first box's id, so the error summary links to it
    (``programme/includes/checkboxes.html`` gives the first box ``<id>_0``)."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return f"{id_}_0" if index is None and id_ else super().id_for_label(id_, index)


SCORES = [("", _("Not scored")), *[(str(n), str(n)) for n in range(1, 6)]]
SUPPORTS = [("", _("Not said")), *[(str(v), label) for v, label in Support.choices]]


class IdeaForm(NHSFormMixin, forms.ModelForm):
    """An idea: what it is, for whom, how it would work, its cost band and risks."""

    builds_on = forms.ModelMultipleChoiceField(
        label=_("Builds on"),
        queryset=Idea.objects.none(),
        required=False,
        widget=Checkboxes,
        help_text=_("Other ideas of this project that this one grows from."),
    )
    insights = forms.ModelMultipleChoiceField(
        label=_("Insights it answers (from Open)"),
        queryset=Insight.objects.none(),
        required=False,
        widget=Checkboxes,
        help_text=_("What residents said that this idea responds to."),
    )
    findings = forms.ModelMultipleChoiceField(
        label=_("Findings it addresses (from Find)"),
        queryset=Finding.objects.none(),
        required=False,
        widget=Checkboxes,
        help_text=_("The gaps it could narrow: the project's finding and its other groups."),
    )
    gap_reach_percent = forms.IntegerField(
        label=_("Share of the group the idea would reach, in %"),
        min_value=0,
        max_value=100,
        required=False,
        help_text=_("An assumption, for the expected narrowing of the gap. 100 if all of it."),
        error_messages={"invalid": _("Enter a whole number from 0 to 100.")},
    )
    gap_effect_percent = forms.IntegerField(
        label=_("Share of their gap it would close among people reached, in %"),
        min_value=0,
        max_value=100,
        required=False,
        help_text=_("The plausible effect: an assumption. Say below where it comes from."),
        error_messages={"invalid": _("Enter a whole number from 0 to 100.")},
    )

    class Meta:
        model = Idea
        fields = [
            "title", "summary", "groups", "how_it_works", "cost_band", "risks", "status",
            "session", "gap_effect_source",
        ]  # fmt: skip
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "how_it_works": forms.Textarea(attrs={"rows": 4}),
            "risks": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "summary": _("In plain language, as a resident would say it."),
            "groups": _("The people it is for, e.g. 'Somali women over 50 in Brent'."),
            "gap_effect_source": _("A published study, a pilot, or a judgement: say which."),
            "session": _("The co-creation session it came from, given on paper or in the room."),
        }
        error_messages = {
            "title": {"required": _("Give the idea a title.")},
            "summary": {"required": _("Say what the idea is, in plain language.")},
        }

    def __init__(self, *args: Any, project: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        others = Idea.objects.filter(project=project)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
            self.fields["builds_on"].initial = list(self.instance.builds_on.all())
        self.fields["builds_on"].queryset = others
        self.fields["insights"].queryset = Insight.objects.filter(project=project)
        self.fields["session"].queryset = CoCreationSession.objects.filter(project=project)
        self.fields["session"].empty_label = str(_("Not made in a session"))
        self.fields["findings"].queryset = project_findings(project, self.instance)
        self.authors = AuthorRows(self, self.instance)
        if self.instance.pk:
            self.fields["insights"].initial = list(self.instance.insights.all())
            self.fields["findings"].initial = list(self.instance.findings.all())
            for name in ("effect", "reach"):
                value = getattr(self.instance, f"gap_{name}")
                if value is not None:
                    self.fields[f"gap_{name}_percent"].initial = round(100 * value)
        # Shortlisted, selected and parked are set by rounds and their decision, not here.
        if self.instance.status in (IdeaStatus.DRAFT, IdeaStatus.SUBMITTED):
            self.fields["status"].choices = [
                (code, label)
                for code, label in IdeaStatus.choices
                if code in (IdeaStatus.DRAFT, IdeaStatus.SUBMITTED)
            ]
        else:
            del self.fields["status"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.authors.clean(data)
        if data.get("gap_effect_percent") is None and data.get("gap_reach_percent") is not None:
            self.add_error(
                "gap_effect_percent", _("Give the effect too, or leave the reach blank.")
            )
        return data

    def gap_fields(self) -> dict[str, Any]:
        """The gap's assumptions as the model keeps them (shares 0 to 1; reach 1 by default)."""
        effect = self.cleaned_data.get("gap_effect_percent")
        reach = self.cleaned_data.get("gap_reach_percent")
        if effect is None:
            return {"gap_effect": None, "gap_reach": None}
        return {"gap_effect": effect / 100, "gap_reach": 1.0 if reach is None else reach / 100}


def project_findings(project: Any, idea: Any = None) -> Any:
    """Findings an idea of ``project`` may address: the project's finding with the other groups
    of its indicator and month (tens of rows), those its insights bear on, and any already
    linked."""
    wanted = Q(insights__project=project)
    if project.finding_id is not None:
        f = project.finding
        wanted |= Q(run_id=f.run_id, indicator=f.indicator, period=f.period)
    if idea is not None and idea.pk:
        wanted |= Q(ideas=idea)
    return Finding.objects.filter(pk__in=Finding.objects.filter(wanted).values("pk"))


class RoundForm(NHSFormMixin, forms.Form):
    """A new round: its title, its ideas, the criteria's weights, the most ideas to select."""

    title = forms.CharField(
        label=_("Title"), max_length=200, error_messages={"required": _("Give the round a title.")}
    )
    ideas = forms.ModelMultipleChoiceField(
        label=_("Ideas to score"),
        queryset=Idea.objects.none(),
        widget=Checkboxes,
        error_messages={"required": _("Choose at least one idea to score.")},
    )
    max_selected = forms.IntegerField(
        label=_("Most ideas that can be selected"),
        min_value=1,
        max_value=10,
        initial=3,
        help_text=_("One to three, as the programme's method says, unless it set its own."),
    )

    def __init__(self, *args: Any, project: Any, weights: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ideas"].queryset = Idea.objects.filter(project=project).exclude(status="draft")
        for key, label in weights.items():
            self.fields[f"weight_{key}"] = forms.FloatField(
                label=_("Weight: %(criterion)s") % {"criterion": label},
                min_value=0.1,
                max_value=10,
                initial=1,
                error_messages={
                    "required": _("Give each criterion a weight (1 if all count the same)."),
                },
            )


class BallotForm(NHSFormMixin, forms.Form):
    """One voter's ballot: who (role, declared group), how (channel), scores and support.

    An online ballot and a paper one entered by a facilitator are the same form.
    """

    role = forms.ChoiceField(
        label=_("The voter's role"),
        choices=[("", _("Choose a role")), *Role.choices],
        error_messages={"required": _("Choose the voter's role.")},
    )
    declared_group = forms.CharField(
        label=_("The group the voter said they belong to (optional)"),
        max_length=100,
        required=False,
        help_text=_("Only if they chose to say, e.g. an ethnic group or an age band."),
    )
    channel = forms.ChoiceField(
        label=_("How the ballot was given"),
        choices=[("", _("Choose a channel")), *Channel.choices],
        error_messages={"required": _("Choose how the ballot was given.")},
    )
    session = forms.ModelChoiceField(
        label=_("The co-creation session it came from (optional)"),
        queryset=CoCreationSession.objects.none(),
        required=False,
        help_text=_("For a paper ballot filled in at a session, so it is counted with it."),
        error_messages={"invalid_choice": _("Choose one of this project's sessions.")},
    )

    def __init__(self, *args: Any, round: PrioritisationRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = CoCreationSession.objects.filter(project=round.project)
        self.fields["session"].empty_label = str(_("Not from a session"))
        self.ideas = list(round.ideas.all())
        self.criteria = list(round.criteria.all())
        #: (idea, [score fields], support field) for the template.
        self.grid: list[tuple[Idea, list[Any], Any]] = []
        for idea in self.ideas:
            for c in self.criteria:
                self.fields[f"score_{idea.pk}_{c.pk}"] = forms.TypedChoiceField(
                    label=c.label, choices=SCORES, coerce=int, required=False, empty_value=None
                )
            self.fields[f"support_{idea.pk}"] = forms.TypedChoiceField(
                label=_("Do they support it?"),
                choices=SUPPORTS,
                coerce=int,
                required=False,
                empty_value=None,
            )
        for idea in self.ideas:
            self.grid.append(
                (
                    idea,
                    [self[f"score_{idea.pk}_{c.pk}"] for c in self.criteria],
                    self[f"support_{idea.pk}"],
                )
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.scores = {
            (idea.pk, c.pk): data[f"score_{idea.pk}_{c.pk}"]
            for idea in self.ideas
            for c in self.criteria
            if data.get(f"score_{idea.pk}_{c.pk}") is not None
        }
        self.supports = {
            idea.pk: data[f"support_{idea.pk}"]
            for idea in self.ideas
            if data.get(f"support_{idea.pk}") is not None
        }
        if not self.scores and self.ideas and not self.errors:
            first = f"score_{self.ideas[0].pk}_{self.criteria[0].pk}" if self.criteria else None
            self.add_error(first, _("Score at least one idea on at least one criterion."))
        return data


class DecisionForm(NHSFormMixin, forms.Form):
    """The Unite decision: the ideas selected, a reason for each idea parked, why."""

    selected = forms.ModelMultipleChoiceField(
        label=_("Ideas selected for prototyping"),
        queryset=Idea.objects.none(),
        widget=Checkboxes,
        error_messages={"required": _("Select at least one idea to prototype.")},
    )
    rationale = forms.CharField(
        label=_("Why these ideas"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say why these ideas were chosen.")},
    )

    def __init__(self, *args: Any, round: PrioritisationRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.round = round
        self.ideas = list(round.ideas.all())
        self.fields["selected"].queryset = round.ideas.all()
        self.fields["selected"].help_text = _("At most %(max)s.") % {"max": round.max_selected}
        for idea in self.ideas:
            self.fields[f"reason_{idea.pk}"] = forms.CharField(
                label=_("If parked: why (%(idea)s)") % {"idea": idea.title},
                required=False,
                max_length=500,
            )

    def reason_fields(self) -> list[Any]:
        return [self[f"reason_{idea.pk}"] for idea in self.ideas]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        chosen = list(data.get("selected") or [])
        if len(chosen) > self.round.max_selected:
            self.add_error(
                "selected",
                _(
                    "At most %(max)s ideas can be selected in this round; %(n)s were chosen. "
                    "Park the others with a reason."
                )
                % {"max": self.round.max_selected, "n": len(chosen)},
            )
        elif chosen:
            for idea in self.ideas:
                if idea not in chosen and not data.get(f"reason_{idea.pk}", "").strip():
                    self.add_error(
                        f"reason_{idea.pk}",
                        _("Say why %(idea)s is parked, or select it.") % {"idea": idea.title},
                    )
        self.parked = {
            idea: data.get(f"reason_{idea.pk}", "").strip()
            for idea in self.ideas
            if idea not in chosen
        }
        return data
