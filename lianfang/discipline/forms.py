from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianfang.core.forms import BootstrapForm
from lianfang.discipline.models import (
    Disposition,
    ReplyHow,
    Responsibility,
    Source,
    StepKind,
)

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class ClueForm(BootstrapForm):
    """A clue transferred by a unit or brought in person; kinds and offices are set per actor."""

    source = forms.ChoiceField(
        label=_("来源"),
        choices=[
            (Source.TRANSFER, Source.TRANSFER.label),
            (Source.IN_PERSON, Source.IN_PERSON.label),
        ],
    )
    region_code = forms.ChoiceField(label=_("承办机关"))
    kind = forms.ChoiceField(label=_("问题类别"))
    subject_name = forms.CharField(label=_("被反映人"), max_length=60, required=False)
    subject_post = forms.CharField(label=_("职务"), max_length=60, required=False)
    subject_unit = forms.CharField(label=_("单位"), max_length=100, required=False)
    facts = forms.CharField(
        label=_("反映的问题"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("时间、地点、经过；不写群众的身份证号和电话。"),
    )
    transfer_reason = forms.CharField(
        label=_("移送理由"), required=False, widget=TEXTAREA, help_text=_("移送件必填。")
    )
    reporter_name = forms.CharField(
        label=_("反映人姓名（实名反映时）"), max_length=60, required=False
    )
    reporter_phone = forms.CharField(label=_("反映人电话"), max_length=20, required=False)
    subject_username = forms.CharField(
        label=_("被反映人的系统账号（可空）"),
        max_length=150,
        required=False,
        help_text=_("被反映人是本系统用户（如社区工作人员）时填写其用户名，便于回避和统计。"),
    )
    higher_managed = forms.BooleanField(
        label=_("被反映人属上级管理干部（须在 5 个工作日内移交有管辖权的机关）"), required=False
    )

    def clean(self) -> dict[str, Any]:
        # The service says it too; here it shows beside the form's own errors at once.
        data = super().clean() or {}
        if data.get("source") == Source.TRANSFER and not data.get("transfer_reason", "").strip():
            self.add_error("transfer_reason", _("移送须说明理由（为何属于纪检监察处理的问题）。"))
        return data


class ProposeForm(BootstrapForm):
    disposition = forms.ChoiceField(label=_("处置方式"), choices=[("", "—"), *Disposition.choices])
    reason = forms.CharField(label=_("理由"), widget=TEXTAREA)


class ApproveForm(BootstrapForm):
    note = forms.CharField(label=_("审批意见（可空）"), required=False, widget=TEXTAREA)


class RejectForm(BootstrapForm):
    reason = forms.CharField(label=_("退回理由"), widget=TEXTAREA)


class StepForm(BootstrapForm):
    note = forms.CharField(label=_("办理情况"), widget=TEXTAREA)


class RevealForm(BootstrapForm):
    purpose = forms.CharField(
        label=_("查看用途"),
        widget=TEXTAREA,
        help_text=_("经负责人批准后可查看一次；查看留痕，被反映人不会知道。"),
    )


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CaseStepForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("措施"), choices=[("", "—"), *StepKind.choices])
    on = forms.DateField(label=_("日期"), widget=DATE)
    document = forms.CharField(
        label=_("文书名称及编号（可空）"),
        max_length=120,
        required=False,
        help_text=_("如：谈话笔录（安纪谈〔2020〕3号）。"),
    )
    note = forms.CharField(label=_("情况和结果"), widget=TEXTAREA)


class DecisionForm(BootstrapForm):
    """The sanction choices are those in force, set per page."""

    finding = forms.CharField(
        label=_("查明的事实"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("写明时间、经过；可用于典型问题通报，不写群众的个人信息。"),
    )
    sanction = forms.ChoiceField(label=_("处理处分"))
    responsibility = forms.ChoiceField(
        label=_("责任类型"), choices=[("", "—"), *Responsibility.choices]
    )
    deciding_body = forms.CharField(
        label=_("决定机关"), max_length=60, help_text=_("如：安宁区纪委监委。")
    )
    decided_on = forms.DateField(label=_("决定日期"), widget=DATE)


class DecisionRejectForm(BootstrapForm):
    reason = forms.CharField(label=_("退回理由"), widget=TEXTAREA)


class ForwardForm(BootstrapForm):
    to = forms.CharField(label=_("接收机关"), max_length=60, help_text=_("如：兰州市纪委监委。"))
    note = forms.CharField(label=_("移交说明（可空）"), required=False, widget=TEXTAREA)


class TellForm(BootstrapForm):
    how = forms.ChoiceField(label=_("告知方式"), choices=[("", "—"), *ReplyHow.choices])
    note = forms.CharField(label=_("告知内容（可空）"), required=False, widget=TEXTAREA)


class RuleSettingForm(BootstrapForm):
    rule_key = forms.ChoiceField(label=_("规则"))
    threshold = forms.IntegerField(label=_("阈值（至少）"), min_value=1)
    window_days = forms.IntegerField(label=_("统计天数"), min_value=1, max_value=90)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)
    effective_from = forms.DateField(label=_("生效日期"), widget=DATE)
