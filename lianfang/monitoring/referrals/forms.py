"""Referral, its outcome, exit requests and their decision."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianfang.core.forms import BootstrapForm, set_choices
from lianfang.monitoring.forms import DATETIME
from lianfang.monitoring.models import ReferralOutcome


class ReferForm(BootstrapForm):
    hospital = forms.TypedChoiceField(label=_("发热门诊"), coerce=int, choices=())
    transport = forms.CharField(label=_("转运方式"), max_length=100, initial=_("120 负压救护车"))
    reason = forms.CharField(label=_("转诊原因"), max_length=200)

    def __init__(
        self, *args: Any, hospitals: list[tuple[int, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "hospital", hospitals or [])


class OutcomeForm(BootstrapForm):
    outcome = forms.ChoiceField(
        label=_("结果"),
        choices=[(k, v) for k, v in ReferralOutcome.choices if k != ReferralOutcome.PENDING],
    )
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class ExitForm(BootstrapForm):
    reason = forms.CharField(label=_("外出事由"), max_length=200)
    destination = forms.CharField(label=_("目的地"), max_length=200)
    leave_at = forms.DateTimeField(label=_("出发时间"), widget=DATETIME)
    return_at = forms.DateTimeField(label=_("返回时间"), widget=DATETIME)
    route = forms.CharField(label=_("路线"), max_length=300)


class DecideExitForm(BootstrapForm):
    decision_note = forms.CharField(label=_("审批意见"), max_length=200, required=False)
