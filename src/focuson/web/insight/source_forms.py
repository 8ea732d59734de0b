"""Forms for sources: upload a file, confirm its language, add a translation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from focuson.insight.sources import SourceError, SourceText, read_source
from focuson.web.core.forms import NHSFormMixin
from focuson.web.insight import languages
from focuson.web.insight.models import Source, Translation

#: The largest file accepted: a day's transcript is well under 1 MB of text.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024

_SUGGEST = ("", _("Suggest it for me (you can change it next)"))


class SourceUploadForm(NHSFormMixin, forms.Form):
    """A file of notes or a transcript, read into canonical text when the form is cleaned."""

    file = forms.FileField(
        label=_("File"),
        help_text=_("A .txt (UTF-8), .docx or .vtt file of at most 5 MB."),
        error_messages={"required": _("Choose the file to upload.")},
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Leave blank to use the file's name."),
    )
    kind = forms.ChoiceField(
        label=_("What it is"),
        choices=Source.Kind.choices,
        error_messages={"required": _("Choose what the file holds.")},
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[_SUGGEST, *languages.CHOICES],
        required=False,
        help_text=_("The language the words were written down in, not translated."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("%(name)s is larger than 5 MB: split it into parts and upload each.")
                % {"name": upload.name}
            )
        try:
            self.read: SourceText = read_source(upload.read(), name=upload.name)
        except SourceError as error:
            # The library's message names the file (and the line) and says what to do.
            raise forms.ValidationError(str(error)) from error
        if not self.read.text.strip():
            raise forms.ValidationError(
                _("%(name)s has no text in it: check it is the right file.") % {"name": upload.name}
            )
        return upload


class SourceLanguageForm(NHSFormMixin, forms.ModelForm):
    """Confirm or change the language a source is in (the detector only suggests)."""

    class Meta:
        model = Source
        fields = ["title", "kind", "language"]
        error_messages = {"title": {"required": _("Enter a title for the source.")}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = list(languages.CHOICES)
        current = self.instance.language
        if current and current not in dict(choices):
            choices.append((current, current))
        self.fields["language"] = forms.ChoiceField(
            label=_("Language"),
            choices=choices,
            help_text=_("The language the words were written down in."),
            error_messages={"required": _("Choose the language of the text.")},
        )


class TranslationForm(NHSFormMixin, forms.ModelForm):
    """A translation: pasted, or uploaded as a file like the source."""

    file = forms.FileField(
        label=_("Or upload it as a file"),
        required=False,
        help_text=_("A .txt, .docx or .vtt file of at most 5 MB, instead of pasting."),
    )

    class Meta:
        model = Translation
        fields = ["language", "kind", "translator", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 10})}
        help_texts = {
            "translator": _("Who translated it: a name, a role or the service used."),
            "text": _("Paste the translation here, or upload it as a file below."),
        }
        error_messages = {
            "kind": {"required": _("Say how it was translated: by a person or by a machine.")},
        }

    def __init__(self, *args: Any, source: Source, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.source = source
        self.fields["language"] = forms.ChoiceField(
            label=_("Language of the translation"),
            choices=[("", _("Choose a language")), *languages.CHOICES],
            initial="en",
            error_messages={"required": _("Choose the language it was translated into.")},
        )
        self.fields["text"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        upload = data.get("file")
        if upload:
            if upload.size > MAX_UPLOAD_BYTES:
                self.add_error(
                    "file",
                    _("%(name)s is larger than 5 MB: split it into parts.") % {"name": upload.name},
                )
                return data
            try:
                data["text"] = read_source(upload.read(), name=upload.name).text
            except SourceError as error:
                self.add_error("file", str(error))
                return data
        if not (data.get("text") or "").strip():
            self.add_error("text", _("Paste the translation, or upload it as a file."))
        if data.get("language") and data.get("language") == self.source.language:
            self.add_error(
                "language", _("A translation must be in another language than the source.")
            )
        return data
