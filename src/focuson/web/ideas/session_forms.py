"""Co-create's session forms: a session, its paper attendance, a comment; and what a resident
who joined with a code fills in (the code, an idea, a ballot with an optional declared group)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import MaxLengthValidator
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from focuson.web.core.forms import NHSFormMixin
from focuson.web.core.join_codes import LENGTH, normalise
from focuson.web.ideas.forms import BallotForm, Checkboxes
from focuson.web.ideas.models import CoCreationSession, Idea, Role, Support
from focuson.web.ideas.session_models import ROLE_DIMENSION
from focuson.web.insight import bands
from focuson.web.insight.tally_forms import PaperTallyForm, breakdown_bands
from focuson.web.programme.models import Borough

#: Breakdowns a session's paper attendance is counted by: roles, then Open's bands.
ATTENDANCE_DIMENSIONS = {ROLE_DIMENSION: _("Role"), **bands.DIMENSION_LABELS}


class SessionForm(NHSFormMixin, forms.ModelForm):
    """A co-creation session: when, how, where, who ran it, languages, and its closing report."""

    facilitators = forms.ModelMultipleChoiceField(
        label=_("Facilitators"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=Checkboxes,
        help_text=_("The project's owner and members who ran it."),
    )

    class Meta:
        model = CoCreationSession
        fields = ["title", "date", "format", "venue", "languages", "closes_at", "closing_report"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "closes_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "closing_report": forms.Textarea(attrs={"rows": 5}),
        }
        labels = {"closes_at": _("Stop taking residents' contributions at (optional)")}
        help_texts = {
            "languages": _("Every language spoken, separated by commas."),
            "closes_at": _("Leave blank to close it by hand from the session's page."),
            "closing_report": _(
                "After the session: what was done, the ideas that came out of it, what happens "
                "next."
            ),
        }
        error_messages = {
            "title": {"required": _("Enter a title, for example: Ideas workshop, Harlesden.")},
            "date": {
                "required": _("Enter the date of the session."),
                "invalid": _("Enter the date of the session as a real date, e.g. 2026-04-10."),
            },
            "format": {"required": _("Choose whether it is in person, online or both.")},
            "closes_at": {"invalid": _("Enter the closing time as a date and a time.")},
        }

    def __init__(self, *args: Any, project: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = get_user_model().objects.filter(
            Q(pk=project.owner_id) | Q(project_memberships__project=project)
        )
        self.fields["facilitators"].queryset = people.distinct().order_by("username")
        if self.instance.pk:
            self.fields["facilitators"].initial = list(self.instance.facilitators.all())


def attendance_bands() -> list[tuple[str, str, Any]]:
    """Every (breakdown, band, label) a sheet may count, each breakdown's "prefer not to say"
    last (roles have none: everyone comes in some role)."""
    roles: list[tuple[str, str, Any]] = [(ROLE_DIMENSION, c, label) for c, label in Role.choices]
    return roles + breakdown_bands()


class AttendanceForm(PaperTallyForm):
    """A paper sign-in sheet's tally for one breakdown: how many people in each role or band."""

    dimension = forms.ChoiceField(
        label=_("Counted by"),
        choices=[("", _("Choose a breakdown")), *ATTENDANCE_DIMENSIONS.items()],
        error_messages={"required": _("Choose what the sheet counted people by.")},
    )

    def band_fields(self) -> list[tuple[str, str, Any]]:
        return attendance_bands()

    def groups(self) -> list[tuple[Any, list[Any]]]:
        """(breakdown label, its fields) for the template."""
        return [(label, self.fields_of(d)) for d, label in ATTENDANCE_DIMENSIONS.items()]


class CommentForm(NHSFormMixin, forms.Form):
    """A comment on an idea, marked for, against or neutral."""

    stance = forms.TypedChoiceField(
        label=_("Are you for or against this idea?"),
        choices=[(str(v), label) for v, label in Support.choices],
        coerce=int,
        error_messages={"required": _("Choose for, neutral or against.")},
    )
    text = forms.CharField(
        label=_("Your comment"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Write your comment."),
            "max_length": _("Keep your comment under 2,000 characters."),
        },
    )


class JoinForm(NHSFormMixin, forms.Form):
    """The code a resident was given on a flyer, in the room or in a link."""

    code = forms.CharField(
        label=_("Your session code"),
        max_length=40,
        help_text=_("8 letters and numbers, for example KDW7 3PQX. Spaces do not matter."),
        error_messages={"required": _("Enter the code you were given.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def clean_code(self) -> str:
        code = normalise(self.cleaned_data["code"])
        if len(code) != LENGTH:
            raise forms.ValidationError(
                _("A code has 8 letters and numbers. Check it and enter it again.")
            )
        return code


#: The longest text a resident may give in one box (an idea's summary, a comment).
MAX_TEXT = 2000


class ResidentIdeaForm(NHSFormMixin, forms.ModelForm):
    """A resident's idea: what, for whom, how it would work; and, if they wish, a name to show."""

    name = forms.CharField(
        label=_("Your first name or your group's name (optional)"),
        max_length=200,
        required=False,
        help_text=_("Shown with the idea. Leave blank to be shown as 'a resident'."),
    )

    class Meta:
        model = Idea
        fields = ["title", "summary", "groups", "how_it_works"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "how_it_works": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {
            "title": _("Your idea in a few words"),
            "summary": _("What is the idea?"),
            "groups": _("Who is it for? (optional)"),
            "how_it_works": _("How would it work? (optional)"),
        }
        help_texts = {
            "summary": _("In your own words, as you would tell a neighbour."),
            "groups": _("For example: older Somali women in Harlesden."),
        }
        error_messages = {
            "title": {
                "required": _("Give your idea a few words as a title."),
                "max_length": _("Keep the title short: under 200 characters."),
            },
            "summary": {"required": _("Say what your idea is.")},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The model's text fields have no limit; a phone's form does.
        for name in ("summary", "how_it_works"):
            field = self.fields[name]
            field.validators.append(
                MaxLengthValidator(
                    MAX_TEXT, message=_("Keep it under 2,000 characters: say the main points.")
                )
            )
            field.widget.attrs["maxlength"] = str(MAX_TEXT)


#: Who a resident may say they are, when the project's breakdown has no fixed bands.
_DEFAULT_DIMENSION = "ethnicity_6"


def declared_group_choices(project: Any) -> tuple[Any, list[tuple[str, Any]]]:
    """The breakdown a resident may declare a group of (the project's own when it has fixed
    bands, else ethnic group) and its choices, "prefer not to say" first.

    The value kept is the band's English name, so that every language counts in one group;
    pages show it translated (``results.group_label``).
    """
    dimension = project.dimension if project.dimension in bands.DIMENSION_LABELS else ""
    dimension = dimension or _DEFAULT_DIMENSION
    if dimension == "borough":
        named = [(b, b) for b in Borough.objects.values_list("name", flat=True)]
    else:
        with translation.override("en"):
            named = [(str(label), label) for _code, label in bands.FIXED_BANDS[dimension]]
    return bands.DIMENSION_LABELS[dimension], [("", bands.PREFER_NOT[1]), *named]


#: The round's criteria asked in a resident's words (by key, ``actions.CRITERIA_LABELS``).
RESIDENT_QUESTIONS = {
    "gap": _("Would it help the people who miss out most?"),
    "reach": _("Would it reach a lot of people?"),
    "feasibility": _("Could it really be done?"),
    "cost": _("How much would it cost? (5 if it would cost a lot)"),
    "community_support": _("Would people in your community back it?"),
    "measurable": _("Could we tell whether it worked?"),
}


class ResidentBallotForm(BallotForm):
    """A resident's own ballot (online, as a resident): the round's ideas scored, support said,
    and, if they wish, the group they belong to."""

    def __init__(self, *args: Any, round: Any, **kwargs: Any) -> None:
        super().__init__(*args, round=round, **kwargs)
        del self.fields["role"], self.fields["channel"], self.fields["session"]
        # The same criteria and scale as every ballot, asked in plain words.
        for idea in self.ideas:
            for c in self.criteria:
                field = self.fields[f"score_{idea.pk}_{c.pk}"]
                field.label = RESIDENT_QUESTIONS.get(c.key, c.label)
            self.fields[f"support_{idea.pk}"].label = _("Do you support it?")
        self._bound_fields_cache.clear()
        self.grid = [
            (
                idea,
                [self[f"score_{idea.pk}_{c.pk}"] for c in self.criteria],
                self[f"support_{idea.pk}"],
            )
            for idea in self.ideas
        ]
        heading, choices = declared_group_choices(round.project)
        self.fields["declared_group"] = forms.ChoiceField(
            label=_("%(breakdown)s (optional)") % {"breakdown": heading},
            choices=choices,
            required=False,
            widget=forms.RadioSelect,
        )
