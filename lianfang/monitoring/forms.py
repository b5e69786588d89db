"""Forms the features share (date widgets, the symptom choices, a reason) and the policy form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianfang.core.forms import BootstrapForm
from lianfang.core.symptoms import SYMPTOMS
from lianfang.monitoring.models import StartBasis

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def symptom_choices(keys: list[str] | None = None) -> list[tuple[str, Any]]:
    return [(k, v) for k, v in SYMPTOMS.items() if keys is None or k in keys]


class ReasonForm(BootstrapForm):
    reason = forms.CharField(label=_("理由"), max_length=300)


class PolicyForm(BootstrapForm):
    name = forms.CharField(label=_("名称"), max_length=100)
    effective_from = forms.DateField(label=_("生效日期"), widget=DATE)
    observation_days = forms.IntegerField(
        label=_("观察天数"), min_value=1, max_value=60, initial=14
    )
    start_basis = forms.ChoiceField(label=_("起算依据"), choices=StartBasis.choices)
    fever_threshold = forms.DecimalField(
        label=_("发热阈值（°C）"), max_digits=3, decimal_places=1, initial=37.3
    )
    fever_inclusive = forms.BooleanField(
        label=_("达到阈值即为发热（≥）"), required=False, initial=True
    )
    slots = forms.CharField(
        label=_("每日测温时段"),
        initial="06:00-12:00, 12:00-20:00",
        help_text=_("用逗号分隔，如 06:00-12:00, 12:00-20:00"),
    )
    symptoms = forms.MultipleChoiceField(
        label=_("症状清单"), choices=symptom_choices(), widget=forms.CheckboxSelectMultiple
    )
    missed_grace_minutes = forms.IntegerField(
        label=_("漏报宽限（分钟）"), min_value=0, max_value=720, initial=60
    )
    escalate_after_minutes = forms.IntegerField(
        label=_("漏报升级到社区（分钟）"), min_value=0, max_value=1440, initial=120
    )
    release_needs_normal_check = forms.BooleanField(
        label=_("解除须最后一次体温正常"), required=False, initial=True
    )
