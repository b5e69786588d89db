from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianfang.core.forms import BootstrapForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SubmitForm(BootstrapForm):
    note = forms.CharField(
        label=_("备注（可选）"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm_zero = forms.BooleanField(label=_("无事零报告：本时段没有任何新增情况"), required=False)
    reason = forms.CharField(
        label=_("更正原因"),
        max_length=500,
        required=False,
        help_text=_("已报送的报告再次报送时必填，将生成新版本并标注“已更正”。"),
    )

    def __init__(self, *args: Any, revising: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not revising:  # the first submission has nothing to correct
            del self.fields["reason"]


class ReviewForm(BootstrapForm):
    comment = forms.CharField(
        label=_("审核意见"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("退回时必填。"),
    )


class ResolveForm(BootstrapForm):
    note = forms.CharField(label=_("处理情况"), max_length=500)


def _hour(label: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, max_value=23, initial=0)


def _minutes(label: Any, initial: int) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=2880,
        initial=initial,
        help_text=_("统计时段结束后多少分钟截止，例如 480 即次日 08:00。"),
    )


class PolicyForm(BootstrapForm):
    name = forms.CharField(label=_("名称"), max_length=100)
    effective_from = forms.DateField(label=_("生效日期"), widget=DATE)
    community_window_hour = _hour(_("社区统计时段起点（时）"))
    community_deadline_minutes = _minutes(_("社区报送截止（分钟）"), 480)
    subdistrict_window_hour = _hour(_("街道统计时段起点（时）"))
    subdistrict_deadline_minutes = _minutes(_("街道审核汇总截止（分钟）"), 540)
    district_window_hour = _hour(_("区统计时段起点（时）"))
    district_deadline_minutes = _minutes(_("区汇总截止（分钟）"), 600)
    reminder_minutes = forms.IntegerField(
        label=_("截止前提醒（分钟）"), min_value=0, max_value=720, initial=60
    )
    reason = forms.CharField(label=_("制定依据"), max_length=200, required=False)
