"""Forms in the NHS.UK style: every widget gets the design system's class and its hint/error ids."""

from __future__ import annotations

from typing import Any

from django import forms

_CLASSES = {
    forms.Textarea: "nhsuk-textarea",
    forms.Select: "nhsuk-select",
    forms.SelectMultiple: "nhsuk-select",
    forms.CheckboxInput: "nhsuk-checkboxes__input",
    forms.ClearableFileInput: "nhsuk-file-upload",
    forms.FileInput: "nhsuk-file-upload",
}


#: The classes this mixin adds (and takes away again when an error is corrected).
_OURS = {c for base in {*_CLASSES.values(), "nhsuk-input"} for c in (base, f"{base}--error")}


def _css(widget: forms.Widget) -> str:
    return next((c for t, c in _CLASSES.items() if isinstance(widget, t)), "nhsuk-input")


class NHSFormMixin:
    """Mix into a ``Form`` or ``ModelForm``: widgets styled, hints and errors announced.

    Styling happens when the form is cleaned or rendered, never in ``__init__``: a form's own
    ``__init__`` may still change its fields (choices, hints) after this mixin's has run.
    """

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        self._style()

    def render(self, *args: Any, **kwargs: Any) -> Any:
        self._style()
        return super().render(*args, **kwargs)  # type: ignore[misc]

    def __getitem__(self, name: str) -> Any:
        # A template that shows fields one by one ({{ form.name }}) gets them styled too.
        self._style()
        return super().__getitem__(name)  # type: ignore[misc]

    def _style(self) -> None:
        errors = self._errors if getattr(self, "_errors", None) is not None else {}  # type: ignore[attr-defined]
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            widget = field.widget
            css = _css(widget)
            classes = [c for c in widget.attrs.get("class", "").split() if c not in _OURS]
            classes.insert(0, css)
            described = []
            if field.help_text:
                described.append(f"id_{name}-hint")
            if name in errors:
                described.append(f"id_{name}-error")
                classes.append(f"{css}--error")
                widget.attrs["aria-invalid"] = "true"
            else:
                widget.attrs.pop("aria-invalid", None)
            widget.attrs["class"] = " ".join(classes)
            if described:
                widget.attrs["aria-describedby"] = " ".join(described)
            else:
                widget.attrs.pop("aria-describedby", None)
