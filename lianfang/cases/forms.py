from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianfang.cases.models import Category, Satisfaction
from lianfang.cases.rules import PLACE_MAX, TEXT_MAX
from lianfang.core.forms import BootstrapForm, set_choices


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> Any:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        single = super().clean
        return [single(f, initial) for f in files]


class TipForm(BootstrapForm):
    """The public tip-off form (and the operator's, without photos): every value is cleaned
    again by ``rules.clean_tip``, whose messages land on these fields."""

    category = forms.ChoiceField(label=_("反映事项"), choices=())
    text = forms.CharField(
        label=_("发生了什么"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("请写明人、事、时间和地点，如“3号楼2单元有人从武汉返回未登记”。"),
        error_messages={"max_length": _("最多 %(limit_value)d 字（现在 %(show_value)d 字）。")},
    )
    place_code = forms.ChoiceField(label=_("发生地点（社区）"), choices=(), required=False)
    place_text = forms.CharField(
        label=_("详细地点（楼栋、单元）"),
        max_length=PLACE_MAX,
        required=False,
        help_text=_("如“1号楼2单元”；不知道社区时请写明街道、小区和楼栋。"),
    )
    happened_on = forms.DateField(
        label=_("发生日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    urgent = forms.BooleanField(label=_("情况紧急"), required=False)
    anonymous = forms.BooleanField(label=_("匿名反映（不留姓名和电话）"), required=False)
    name = forms.CharField(label=_("您的姓名（可不填）"), max_length=50, required=False)
    phone = forms.CharField(
        label=_("您的手机号（可不填，便于回访）"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    def __init__(
        self,
        *args: Any,
        categories: dict[str, Category] | None = None,
        places: list[Any] | None = None,
        photos: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(
            self,
            "category",
            [("", "—"), *((c.code, c.name) for c in (categories or {}).values())],
        )
        set_choices(self, "place_code", [("", "—"), *(places or [])])
        if photos:
            self.fields["photos"] = MultipleFileField(
                label=_("照片（可不传，最多 3 张）"),
                required=False,
                widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}),
            )
        self.order_fields(
            ["category", "text", "place_code", "place_text", "happened_on", "urgent", "photos"]
        )
        self._categories = categories or {}

    def clean(self) -> dict[str, Any]:
        # The place is asked with the other required fields, not only after they are filled.
        data = super().clean() or {}
        category = self._categories.get(str(data.get("category") or ""))
        asks_place = (
            category is not None and not category.confidential and category.handler != "intake"
        )
        missing = not (data.get("place_code") or data.get("place_text"))
        if asks_place and missing and "place_code" not in self.errors:
            self.add_error("place_code", _("请选择或填写发生地点。"))
        return data


class StatusForm(BootstrapForm):
    receipt = forms.CharField(label=_("受理编号"), max_length=20)
    check_code = forms.CharField(
        label=_("查询码"), max_length=20, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )


class AddInfoForm(StatusForm):
    text = forms.CharField(
        label=_("补充情况"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class NoteForm(BootstrapForm):
    note = forms.CharField(
        label=_("说明"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReplyForm(BootstrapForm):
    result = forms.ChoiceField(label=_("办理结果"), choices=())
    reply = forms.CharField(
        label=_("给反映人的答复"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("反映人会看到这段答复：不要写任何人的姓名、电话或住址。"),
    )

    def __init__(self, *args: Any, results: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "result", [("", "—"), *(results or [])])


class FollowupForm(BootstrapForm):
    satisfaction = forms.ChoiceField(
        label=_("回访结果"), choices=[("", "—"), *Satisfaction.choices]
    )
    redo = forms.BooleanField(label=_("不满意且单位可以整改：退回重办"), required=False)
    note = forms.CharField(
        label=_("回访记录"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DispatchForm(BootstrapForm):
    region_code = forms.ChoiceField(label=_("派给"), choices=())

    def __init__(self, *args: Any, regions: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "region_code", [("", "—"), *(regions or [])])


class RevealForm(BootstrapForm):
    purpose = forms.CharField(label=_("查看用途"), max_length=200)


class LeadRegisterForm(BootstrapForm):
    """The quick registration of the person a lead names, as found at the door."""

    full_name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(
        label=_("身份证号"), max_length=40, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    phone = forms.CharField(
        label=_("手机号"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    region_code = forms.ChoiceField(label=_("居住楼栋"), choices=())
    address = forms.CharField(label=_("门牌/房号"), max_length=100, help_text=_("如 2单元301"))
    origin = forms.ChoiceField(label=_("从哪里来"), choices=(), required=False)
    arrival_date = forms.DateField(
        label=_("到达日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, buildings: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from lianfang.core.divisions import origin_choices

        set_choices(self, "region_code", buildings or [])
        set_choices(self, "origin", [("", "—"), *origin_choices()])


HELP_NEEDS = [
    ("groceries", _("买菜")),
    ("medicine", _("买药")),
    ("garbage", _("清运垃圾")),
    ("doctor", _("看医生")),
    ("other", _("其他")),
]


class HelpForm(BootstrapForm):
    """A quarantined resident's request, from their check-in link: no name to type again."""

    need = forms.ChoiceField(label=_("需要什么帮助"), choices=HELP_NEEDS, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("具体说明（可不填）"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("如：需要降压药（硝苯地平）一盒；明早 9 点前送到门口。"),
    )
    urgent = forms.BooleanField(label=_("情况紧急"), required=False)


class CategoryVersionForm(BootstrapForm):
    name = forms.CharField(label=_("名称"), max_length=50)
    sign_hours = forms.IntegerField(label=_("签收时限（小时）"), min_value=1, max_value=72)
    limit = forms.IntegerField(label=_("办理时限"), min_value=1, max_value=60)
    limit_unit = forms.ChoiceField(
        label=_("时限单位"), choices=[("hours", _("小时")), ("workdays", _("工作日"))]
    )
    urgent_hours = forms.IntegerField(label=_("紧急件办理时限（小时）"), min_value=1, max_value=72)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)
    effective_from = forms.DateField(
        label=_("生效日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class ExtensionForm(BootstrapForm):
    until = forms.DateTimeField(
        label=_("延期至"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    reason = forms.CharField(
        label=_("延期理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
