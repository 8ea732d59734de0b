"""Open's coding analysis pages: agreement between two coders, and the coding tables."""

from __future__ import annotations

import math
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from focuson.web.core.forms import NHSFormMixin
from focuson.web.insight import bands, coding_analysis
from focuson.web.insight.models import Code
from focuson.web.permissions import Permission, get_visible_or_404, requires
from focuson.web.programme.models import Borough, Project

P = Permission.CODE_SOURCES

#: Participant attributes a code can be broken down by: field, label, its bands.
ATTRIBUTES: dict[str, tuple[Any, Any]] = {
    "ethnic_group": (_("Ethnic group"), bands.ETHNIC_GROUPS),
    "age_band": (_("Age band"), bands.AGE_BANDS),
    "sex": (_("Sex"), bands.SEXES),
    "imd_quintile": (_("Deprivation quintile (IMD)"), bands.IMD_QUINTILES),
    "borough__name": (_("Borough"), None),
    "interpreter_needed": (_("Interpreter needed"), bands.YES_NO),
}


class CodersForm(NHSFormMixin, forms.Form):
    """Two coders to compare."""

    coder_a = forms.ModelChoiceField(label=_("First coder"), queryset=None)
    coder_b = forms.ModelChoiceField(label=_("Second coder"), queryset=None)

    def __init__(self, *args: Any, coders: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        queryset = get_user_model().objects.filter(pk__in=[c.pk for c in coders])
        for name in ("coder_a", "coder_b"):
            self.fields[name].queryset = queryset.order_by("username")
            self.fields[name].empty_label = str(_("Choose a coder"))
            self.fields[name].error_messages["required"] = _("Choose two coders to compare.")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("coder_a") and data.get("coder_a") == data.get("coder_b"):
            self.add_error("coder_b", _("Choose a second coder who is not the first."))
        return data


def _value(x: Any, digits: int = 2) -> str | None:
    """A number for the page, or None where it is undefined (NaN)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    return f"{float(x):.{digits}f}"


@requires(P)
def agreement(request: HttpRequest, pk: int) -> HttpResponse:
    """Percent agreement, Cohen's kappa and Krippendorff's alpha per code between two coders."""
    project = get_visible_or_404(request, Project.objects, P, pk=pk)
    coders = coding_analysis.coders(project)
    form = CodersForm(request.GET or None, coders=coders)
    result = rows = None
    if form.is_bound and form.is_valid():
        a, b = form.cleaned_data["coder_a"], form.cleaned_data["coder_b"]
        chosen = [int(x) for x in request.GET.getlist("source") if x.isdigit()]
        result = coding_analysis.compare_coders(project, a, b, only=chosen or None)
        if result.table is not None:
            names = dict(Code.all_objects.filter(project=project).values_list("pk", "name"))
            rows = [
                {
                    "code": names.get(int(r["code"]), r["code"]),
                    "n": int(r["n"]),
                    "both": int(r["both"]),
                    "a_only": int(r["a_only"]),
                    "b_only": int(r["b_only"]),
                    "neither": int(r["neither"]),
                    "percent": _value(r["percent_agreement"], 1),
                    "kappa": _value(r["kappa"]),
                    "alpha": _value(r["alpha"]),
                    "coded": _value(r["coded_agreement"]),
                    "note": r["note"],
                }
                for r in result.table.to_dict("records")
            ]
    return render(
        request,
        "insight/agreement.html",
        {"project": project, "form": form, "coders": coders, "result": result, "rows": rows},
    )


def _cell(x: Any) -> str | None:
    return None if isinstance(x, float) and math.isnan(x) else str(int(x))


@requires(P)
def tables(request: HttpRequest, pk: int) -> HttpResponse:
    """Code co-occurrence and codes by a participant attribute, as distinct people."""
    project = get_visible_or_404(request, Project.objects, P, pk=pk)
    attribute = request.GET.get("attribute", "ethnic_group")
    if attribute not in ATTRIBUTES:
        attribute = "ethnic_group"
    label, fixed = ATTRIBUTES[attribute]
    band_list = fixed or [(n, n) for n in Borough.objects.values_list("name", flat=True)]
    found = coding_analysis.tables(project, attribute=attribute, bands=[b for b, _l in band_list])
    labels = found.labels
    co_rows = by_rows = None
    if found.cooccurrence is not None:
        matrix = found.cooccurrence.published
        co_rows = [
            (labels[code], [_cell(x) for x in row])
            for code, row in zip(found.codes, matrix.to_numpy().tolist(), strict=True)
        ]
    if found.by_attribute is not None:
        table = found.by_attribute.published
        by_rows = [
            (labels[code], [_cell(x) for x in row])
            for code, row in zip(found.codes, table.to_numpy().tolist(), strict=True)
        ]
    return render(
        request,
        "insight/tables.html",
        {
            "project": project,
            "attributes": [(key, value[0]) for key, value in ATTRIBUTES.items()],
            "attribute": attribute,
            "attribute_label": label,
            "band_labels": [str(lbl) for _b, lbl in band_list],
            "codes": [labels[c] for c in found.codes],
            "co_rows": co_rows,
            "by_rows": by_rows,
            "unattributed": found.unattributed,
        },
    )
