from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("What the token is for"),
        help_text=_("For example: the nightly import script"),
        max_length=100,
    )
