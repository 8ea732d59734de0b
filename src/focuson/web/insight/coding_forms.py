"""Forms for the codebook, coding a passage, memos and linking excerpts to an insight."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from focuson.web.core.forms import NHSFormMixin
from focuson.web.insight.models import (
    Code,
    Coding,
    Memo,
    Participant,
    Source,
    code_paths,
    descendants,
)
from focuson.web.insight.passages import PassageError, check_span, locate, utf16_to_cp


class CodeForm(NHSFormMixin, forms.ModelForm):
    """A code: its name, where it sits in the tree, what it means, and a colour."""

    class Meta:
        model = Code
        fields = ["name", "parent", "description", "colour", "is_codable"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "parent": _("Nest it under another code, or leave it at the top."),
            "description": _("When to apply it, in a sentence or two."),
            "colour": _("Optional: # and six hex digits, e.g. #005EB8."),
            "is_codable": _("Untick for a heading that only groups other codes."),
        }
        error_messages = {"name": {"required": _("Enter the code's name, e.g. Transport.")}}

    def __init__(self, *args: Any, project: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.project = project
        codes = Code.objects.filter(project=project)
        if self.instance.pk:
            # A code cannot nest under itself or anything below it.
            below = descendants(self.instance)
            codes = codes.exclude(pk__in=[self.instance.pk, *below])
        self.fields["parent"].queryset = codes
        self.fields["parent"].empty_label = str(_("At the top of the codebook"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        name, parent = (data.get("name") or "").strip(), data.get("parent")
        twins = Code.objects.filter(project=self.project, parent=parent, name__iexact=name)
        if name and twins.exclude(pk=self.instance.pk).exists():
            self.add_error("name", _("A code of that name is already there: choose another."))
        return data


class CodingForm(NHSFormMixin, forms.Form):
    """Apply a code to a passage, given by its start and end, by its words, or by a selection.

    Without JavaScript a person types the start and end (code points from 0, as the page shows
    them) or pastes the passage's exact words; with JavaScript the selection fills ``utf16_start``
    and ``utf16_end`` (a browser's units), converted here.
    """

    code = forms.ModelChoiceField(
        label=_("Code"),
        queryset=Code.objects.none(),
        empty_label=str(_("Choose a code")),
        error_messages={"required": _("Choose the code to apply.")},
    )
    passage = forms.CharField(
        label=_("The passage's exact words"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Copy them from the text above; or give the start and end below instead."),
    )
    start = forms.IntegerField(
        label=_("Start"),
        required=False,
        min_value=0,
        help_text=_("The number of characters before the passage (shown beside each line)."),
    )
    end = forms.IntegerField(
        label=_("End"),
        required=False,
        min_value=1,
        help_text=_("The start plus the passage's length in characters."),
    )
    participant = forms.ModelChoiceField(
        label=_("Said by"),
        queryset=Participant.objects.none(),
        required=False,
        empty_label=str(_("Not one person's words, or not known")),
        help_text=_("The participant who said it, when it is one person's words."),
    )
    utf16_start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    utf16_end = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    text_hash = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, source: Source, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.source = source
        self.fields["code"].queryset = Code.objects.filter(
            project_id=source.project_id, is_codable=True
        )
        paths = code_paths(source.project_id)
        self.fields["code"].label_from_instance = lambda code: paths.get(code.pk, code.name)
        self.fields["participant"].queryset = Participant.objects.filter(event_id=source.event_id)
        self.fields["text_hash"].initial = source.text_hash

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        text = self.source.text
        given = data.get("text_hash")
        if given and given != self.source.text_hash:
            raise forms.ValidationError(
                _("The text has changed since the page was opened: reload.")
            )
        try:
            if data.get("utf16_start") is not None and data.get("utf16_end") is not None:
                start = utf16_to_cp(text, data["utf16_start"])
                end = utf16_to_cp(text, data["utf16_end"])
                data["start"], data["end"] = check_span(text, start, end)
            elif data.get("start") is not None and data.get("end") is not None:
                data["start"], data["end"] = check_span(text, data["start"], data["end"])
            elif (data.get("passage") or "").strip():
                data["start"], data["end"] = locate(text, data["passage"], near=data.get("start"))
            else:
                raise PassageError(_("Give the passage: its exact words, or its start and end."))
        except PassageError as error:
            field = "passage" if (data.get("passage") or "").strip() else "start"
            self.add_error(field, str(error))
        return data


class MemoForm(NHSFormMixin, forms.ModelForm):
    """A memo's words."""

    class Meta:
        model = Memo
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}
        error_messages = {"text": {"required": _("Write the memo before saving it.")}}


class SupportForm(NHSFormMixin, forms.Form):
    """The coded passages an insight rests on (its supporting excerpts)."""

    codings = forms.ModelMultipleChoiceField(
        label=_("Supporting excerpts"),
        queryset=Coding.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick every passage that supports the insight."),
    )

    def __init__(self, *args: Any, project: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["codings"].queryset = (
            Coding.objects.filter(source__project=project, source__deleted_at__isnull=True)
            .select_related("code", "source", "participant")
            .order_by("code__name", "source_id", "start")
        )
        self.fields["codings"].label_from_instance = lambda c: f"{c.code.name}: {c.excerpt}"
