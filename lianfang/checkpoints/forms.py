from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianfang.checkpoints.models import AckResult, DutyRole
from lianfang.core.forms import BootstrapForm


class AckForm(BootstrapForm):
    result = forms.ChoiceField(label=_("接收结果"), choices=AckResult.choices)
    note = forms.CharField(
        label=_("联系经过"),
        max_length=500,
        required=False,
        help_text=_("未找到时必填：电话、上门的时间和结果。"),
    )


class ShiftForm(BootstrapForm):
    note = forms.CharField(label=_("交接说明"), max_length=500, required=False)
    members = forms.CharField(
        label=_("本班执勤人员"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一人：姓名 岗位（民警、交警、医务、志愿者），如“王强 交警”。"),
    )

    DUTY_WORDS = {
        "民警": DutyRole.POLICE,
        "公安": DutyRole.POLICE,
        "交警": DutyRole.TRAFFIC_POLICE,
        "医务": DutyRole.MEDICAL,
        "医生": DutyRole.MEDICAL,
        "护士": DutyRole.MEDICAL,
        "志愿者": DutyRole.VOLUNTEER,
    }

    def members_list(self) -> list[tuple[str, str]]:
        out = []
        for line in (self.cleaned_data.get("members") or "").splitlines():
            parts = line.split()
            if not parts:
                continue
            duty = self.DUTY_WORDS.get(parts[-1], DutyRole.OTHER) if len(parts) > 1 else "other"
            name = " ".join(parts[:-1]) if len(parts) > 1 else parts[0]
            out.append((name, str(duty)))
        return out


class CloseForm(BootstrapForm):
    note = forms.CharField(label=_("交班说明"), max_length=500)


class RouteForm(BootstrapForm):
    region_code = forms.CharField(label=_("分派到社区或楼栋（代码）"), max_length=15)


class CheckpointForm(BootstrapForm):
    name = forms.CharField(label=_("卡口名称"), max_length=100)
    location = forms.CharField(label=_("位置"), max_length=200, required=False)
    region_code = forms.ChoiceField(label=_("属地社区"), choices=())
    directions = forms.CharField(
        label=_("检查方向"), max_length=100, initial="进城 出城", help_text=_("用空格分隔。")
    )

    def __init__(self, *args: Any, communities: list[tuple[str, str]] | None = None, **kw: Any):
        super().__init__(*args, **kw)
        field = self.fields["region_code"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = communities or []
