"""The health-check forms: staff, the resident's own page, a correction. Their limits come
from ``rules``; the services validate again through the same functions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianfang.core.forms import BootstrapForm, set_choices
from lianfang.monitoring.checks import rules
from lianfang.monitoring.forms import symptom_choices
from lianfang.monitoring.models import Method


class CheckForm(BootstrapForm):
    temperature = forms.DecimalField(
        label=_("体温（°C）"),
        max_digits=4,
        decimal_places=1,
        widget=forms.NumberInput(
            attrs={"step": "0.1", "inputmode": "decimal", **rules.TEMPERATURE_LIMITS}
        ),
    )
    method = forms.ChoiceField(
        label=_("测量方式"), choices=[("", "—"), *Method.choices], required=False
    )
    symptoms = forms.MultipleChoiceField(
        label=_("症状"), choices=(), required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)
    client_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args: Any, symptoms: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "symptoms", symptom_choices(symptoms))

    def clean_temperature(self) -> Decimal:
        return rules.temperature_field(self.cleaned_data["temperature"])


class SelfCheckForm(CheckForm):
    """The resident's page: temperature and symptoms only."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["method"]
        del self.fields["note"]


class CorrectForm(BootstrapForm):
    """A correction of a wrong reading: a new row pointing at it, with the reason."""

    corrects = forms.UUIDField(widget=forms.HiddenInput)
    temperature = forms.DecimalField(
        label=_("正确体温（°C）"),
        max_digits=4,
        decimal_places=1,
        widget=forms.NumberInput(
            attrs={"step": "0.1", "inputmode": "decimal", **rules.TEMPERATURE_LIMITS}
        ),
    )
    correction_reason = forms.CharField(label=_("更正原因"), max_length=200)

    def clean_temperature(self) -> Decimal:
        return rules.temperature_field(self.cleaned_data["temperature"])
