from django import forms
from django.utils.translation import gettext_lazy as _

from focuson.web.core.forms import NHSFormMixin


class TokenForm(NHSFormMixin, forms.Form):
    name = forms.CharField(
        label=_("What the token is for"),
        help_text=_("For example: the nightly import script"),
        max_length=100,
        error_messages={
            "required": _("Enter what the token is for, for example: the nightly import script"),
            "max_length": _("Say what the token is for in 100 characters or fewer"),
        },
    )
