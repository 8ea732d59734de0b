"""The evidence app's forms: the findings filters (GET), comparing two runs (GET), the upload."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.db.models import Max, QuerySet
from django.utils.translation import gettext_lazy as _

from focuson.web.core.forms import NHSFormMixin
from focuson.web.evidence.models import Finding, Run
from focuson.web.evidence.templatetags.evidence import month

SIGNIFICANCE = [
    ("", _("Any")),
    ("worse", _("Significantly worse than the comparison")),
    ("better", _("Significantly better than the comparison")),
    ("significant", _("Significantly different either way")),
    ("not", _("Not significantly different")),
]
ALL_MONTHS = "all"
#: A value the results do not have (a link from other results, or an edited address).
NOT_HERE = {
    "invalid_choice": _(
        "These results have no such choice. Choose again from the list, or clear the filters."
    )
}


def run_label(run: Run) -> str:
    """A run as a choice: its title and when it was imported."""
    return f"{run.title} (#{run.pk})"


def run_choices(queryset: QuerySet[Run]) -> list[tuple[str, str]]:
    return [(str(run.pk), run_label(run)) for run in queryset]


def run_options(run: Run) -> dict[str, list[tuple[str, str]]]:
    """The values the findings of ``run`` can be filtered by, in words; cached (runs never
    change once imported)."""
    key = f"evidence:options:{run.content_hash}:{run.pk}"
    found: dict[str, list[tuple[str, str]]] | None = cache.get(key)
    if found is not None:
        return found
    rows = Finding.objects.filter(run=run)
    indicators = (
        rows.values_list("indicator", "indicator_title").distinct().order_by("indicator_title")
    )
    dimensions = (
        rows.values_list("dimension", "dimension_label").distinct().order_by("dimension_label")
    )
    periods = rows.values_list("period", flat=True).distinct().order_by("-period")
    boroughs = (
        rows.exclude(borough="").values_list("borough", flat=True).distinct().order_by("borough")
    )
    found = {
        "indicator": [(code, label) for code, label in indicators],
        "dimension": [(code, label) for code, label in dimensions],
        "period": [(p, month(p)) for p in periods],
        "borough": [(b, b) for b in boroughs],
    }
    cache.set(key, found, 3600)
    return found


class FindingFilterForm(NHSFormMixin, forms.Form):
    """Which findings to show: every field optional; an unknown value is an error, not ignored."""

    run = forms.ChoiceField(label=_("Results"), required=False, error_messages=NOT_HERE)
    indicator = forms.ChoiceField(label=_("Indicator"), required=False, error_messages=NOT_HERE)
    dimension = forms.ChoiceField(label=_("Breakdown"), required=False, error_messages=NOT_HERE)
    group = forms.CharField(
        label=_("Group"),
        required=False,
        max_length=100,
        help_text=_("Words in the group's name, for example Black or most deprived."),
    )
    borough = forms.ChoiceField(label=_("Borough"), required=False, error_messages=NOT_HERE)
    period = forms.ChoiceField(label=_("Month"), required=False, error_messages=NOT_HERE)
    significance = forms.ChoiceField(label=_("Significance"), required=False, choices=SIGNIFICANCE)

    def __init__(self, *args: Any, runs: QuerySet[Run], run: Run | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["run"].choices = run_choices(runs)
        options = run_options(run) if run is not None else {}
        self.fields["indicator"].choices = [
            ("", _("All indicators")),
            *options.get("indicator", []),
        ]
        self.fields["dimension"].choices = [
            ("", _("All breakdowns")),
            *options.get("dimension", []),
        ]
        self.fields["borough"].choices = [("", _("All boroughs")), *options.get("borough", [])]
        self.fields["period"].choices = [
            ("", _("Latest month")),
            (ALL_MONTHS, _("All months")),
            *options.get("period", []),
        ]

    def filter(self, queryset: QuerySet[Finding], latest: str) -> QuerySet[Finding]:
        """``queryset`` narrowed by the cleaned data (call after ``is_valid``)."""
        data = self.cleaned_data
        if data.get("indicator"):
            queryset = queryset.filter(indicator=data["indicator"])
        if data.get("dimension"):
            queryset = queryset.filter(dimension=data["dimension"])
        if data.get("group"):
            for word in data["group"].split():
                queryset = queryset.filter(group_label__icontains=word)
        if data.get("borough"):
            queryset = queryset.filter(borough=data["borough"])
        period = data.get("period")
        if not period:
            # The latest month of what is chosen: an indicator may stop before the run does.
            period = queryset.aggregate(latest=Max("period"))["latest"] or latest
        if period != ALL_MONTHS:
            queryset = queryset.filter(period=period)
        significance = data.get("significance")
        if significance in ("worse", "better"):
            queryset = queryset.filter(significant=True, direction=significance)
        elif significance == "significant":
            queryset = queryset.filter(significant=True)
        elif significance == "not":
            queryset = queryset.filter(significant=False, suppressed=False)
        return queryset


class CompareForm(NHSFormMixin, forms.Form):
    """Two runs to compare: what changed from the first to the second."""

    before = forms.ChoiceField(label=_("Earlier results"))
    after = forms.ChoiceField(label=_("Later results"))

    def __init__(self, *args: Any, runs: QuerySet[Run], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = run_choices(runs)
        self.fields["before"].choices = choices
        self.fields["after"].choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("before") and data.get("before") == data.get("after"):
            raise forms.ValidationError(_("Choose two different results to compare."))
        return data


class UploadForm(NHSFormMixin, forms.Form):
    """A zip of a results folder."""

    results = forms.FileField(
        label=_("Results folder, as a zip file"),
        help_text=_(
            "Zip the folder focuson find, monitor or study wrote (the one holding "
            "manifest.json) and choose the zip here."
        ),
        error_messages={
            "required": _("Choose the zip file of a results folder."),
            "empty": _("The file chosen is empty; choose the zip file of a results folder."),
        },
    )

    def clean_results(self) -> Any:
        upload = self.cleaned_data["results"]
        limit = int(settings.FOCUSON_MAX_UPLOAD_BYTES)
        if upload.size > limit:
            raise forms.ValidationError(
                _(
                    "The file is %(size)s MB; files up to %(limit)s MB are accepted. Zip only the "
                    "results folder, or import it with focuson import on the server."
                )
                % {"size": f"{upload.size / 1e6:,.0f}", "limit": f"{limit / 1e6:,.0f}"}
            )
        if not upload.name.lower().endswith(".zip"):
            raise forms.ValidationError(_("Choose a .zip file of the results folder."))
        return upload
