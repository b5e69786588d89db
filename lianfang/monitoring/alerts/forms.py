"""Closing an alert."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lianfang.core.forms import BootstrapForm


class CloseAlertForm(BootstrapForm):
    action = forms.CharField(
        label=_("处置情况"), max_length=300, help_text=_("如：电话联系，已补测体温 36.5 °C")
    )
