from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianfang.core.forms import BootstrapForm, set_choices
from lianfang.core.symptoms import SYMPTOMS
from lianfang.people import rules
from lianfang.people.models import CaseStatus, DocType, HealthCode, RiskCategory, Source, Transport


class PersonForm(BootstrapForm):
    full_name = forms.CharField(label=_("姓名"), max_length=rules.NAME_MAX)
    doc_type = forms.ChoiceField(label=_("证件类型"), choices=DocType.choices)
    id_number = forms.CharField(
        label=_("证件号码"), max_length=40, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    phone = forms.CharField(
        label=_("手机号"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    region_code = forms.ChoiceField(label=_("楼栋/社区"), choices=())
    address = forms.CharField(
        label=_("门牌/房号"), max_length=100, required=False, help_text=_("如 2单元301")
    )
    workplace = forms.CharField(label=_("工作单位/职业"), max_length=100, required=False)

    def __init__(
        self, *args: Any, regions: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "region_code", regions or [])


class RegistrationForm(BootstrapForm):
    source = forms.ChoiceField(
        label=_("登记来源"), choices=Source.choices, initial=Source.DOOR_TO_DOOR
    )
    origin = forms.ChoiceField(
        label=_("来源地"), choices=(), required=False, help_text=_("本地人员选“—”")
    )
    departure_date = forms.DateField(
        label=_("离开来源地日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    arrival_date = forms.DateField(
        label=_("到达日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    transport = forms.ChoiceField(
        label=_("交通方式"), choices=[("", "—"), *Transport.choices], required=False
    )
    transport_number = forms.CharField(
        label=_("车次/航班/车牌"), max_length=rules.TRANSPORT_NUMBER_MAX, required=False
    )
    contact_with_cases = forms.BooleanField(label=_("接触过确诊或疑似病例"), required=False)
    case_status = forms.ChoiceField(label=_("病例状态"), choices=CaseStatus.choices, required=False)
    symptoms = forms.MultipleChoiceField(
        label=_("目前症状"),
        choices=list(SYMPTOMS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    health_code = forms.ChoiceField(label=_("健康码"), choices=HealthCode.choices, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from lianfang.core.divisions import origin_choices

        set_choices(self, "origin", [("", "—"), *origin_choices()])


class RevealForm(BootstrapForm):
    purpose = forms.CharField(
        label=_("查看用途"), max_length=200, help_text=_("如：电话联系核实行程")
    )


class OverrideForm(BootstrapForm):
    category = forms.ChoiceField(label=_("风险类别"), choices=RiskCategory.choices)
    reason = forms.CharField(label=_("调整理由"), max_length=200)


class MoveForm(BootstrapForm):
    region_code = forms.ChoiceField(label=_("新楼栋/社区"), choices=())
    address = forms.CharField(label=_("门牌/房号"), max_length=rules.ADDRESS_MAX, required=False)
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)

    def __init__(
        self, *args: Any, regions: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "region_code", regions or [])


class ExportForm(BootstrapForm):
    purpose = forms.CharField(label=_("导出用途"), max_length=200)


class SelfRegisterForm(BootstrapForm):
    """The public form an arrival fills in on their phone."""

    full_name = forms.CharField(label=_("姓名"), max_length=rules.NAME_MAX)
    doc_type = forms.ChoiceField(label=_("证件类型"), choices=DocType.choices)
    id_number = forms.CharField(
        label=_("证件号码"), max_length=40, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    phone = forms.CharField(
        label=_("手机号"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    region_code = forms.ChoiceField(label=_("居住楼栋"), choices=())
    address = forms.CharField(
        label=_("门牌/房号"), max_length=rules.ADDRESS_MAX, help_text=_("如 2单元301")
    )
    origin = forms.ChoiceField(label=_("从哪里来"), choices=())
    departure_date = forms.DateField(
        label=_("离开日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    arrival_date = forms.DateField(
        label=_("到达日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    transport = forms.ChoiceField(label=_("交通方式"), choices=Transport.choices)
    transport_number = forms.CharField(
        label=_("车次/航班/车牌"), max_length=rules.TRANSPORT_NUMBER_MAX, required=False
    )
    contact_with_cases = forms.BooleanField(label=_("14 天内接触过确诊或疑似病例"), required=False)
    symptoms = forms.MultipleChoiceField(
        label=_("目前症状（没有则不选）"),
        choices=list(SYMPTOMS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    health_code = forms.ChoiceField(label=_("健康码"), choices=HealthCode.choices, required=False)

    def __init__(
        self, *args: Any, buildings: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        from lianfang.core.divisions import origin_choices

        set_choices(self, "region_code", buildings or [])
        set_choices(self, "origin", [("", "—"), *origin_choices()])


class AcceptForm(BootstrapForm):
    full_name = forms.CharField(
        label=_("姓名（可更正）"), max_length=rules.NAME_MAX, required=False
    )
    region_code = forms.ChoiceField(label=_("楼栋（可更正）"), choices=(), required=False)
    address = forms.CharField(
        label=_("门牌/房号（可更正）"), max_length=rules.ADDRESS_MAX, required=False
    )

    def __init__(
        self, *args: Any, regions: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "region_code", [("", "—"), *(regions or [])])


class RejectForm(BootstrapForm):
    reason = forms.CharField(label=_("驳回理由"), max_length=200)


class ImportForm(BootstrapForm):
    file = forms.FileField(
        label=_("名单文件"),
        help_text=_("xlsx、xls、ods 或 csv，最大 50 MB；身份证号列须为文本格式"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.ods,.csv"}),
    )
    saved_mapping = forms.ChoiceField(label=_("使用已保存的列映射"), required=False, choices=())
    dry_run = forms.BooleanField(label=_("试运行（只检查，不写入）"), required=False)

    def __init__(
        self, *args: Any, saved: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "saved_mapping", [("", "—"), *(saved or [])])


class MappingForm(BootstrapForm):
    """The mapping step: the header row, then a field (or none) for each column of the list."""

    header_row = forms.TypedChoiceField(label=_("表头所在的行"), coerce=int, choices=())
    save_as = forms.CharField(label=_("将列映射保存为（可选）"), required=False, max_length=60)

    def __init__(
        self,
        *args: Any,
        rows: list[tuple[int, str]],
        columns: list[Any],
        mapping: dict[str, int],
        **kwargs: Any,
    ) -> None:
        from lianfang.people.imports.header import FIELD_LABELS, column_letter

        super().__init__(*args, **kwargs)
        set_choices(
            self,
            "header_row",
            [
                (n, _("第 %(n)s 行：%(text)s") % {"n": n, "text": preview or "—"})
                for n, preview in rows
            ],
        )
        by_index = {i: f for f, i in mapping.items()}
        choices = [("", _("不导入")), *FIELD_LABELS.items()]
        self.columns = columns
        for column in columns:
            name = f"col_{column.index}"
            self.fields[name] = forms.ChoiceField(
                label=f"{column_letter(column.index)} · {column.title or _('（无表头）')}",
                choices=choices,
                required=False,
                initial=by_index.get(column.index, ""),
            )
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"

    def column_fields(self) -> list[tuple[Any, Any]]:
        """(column, its bound field) for the template."""
        return [(c, self[f"col_{c.index}"]) for c in self.columns]

    def clean(self) -> dict[str, Any]:
        from lianfang.people.imports.header import FIELD_LABELS, REQUIRED

        data = super().clean() or {}
        columns: dict[str, int] = {}
        for column in self.columns:
            chosen = data.get(f"col_{column.index}")
            if not chosen:
                continue
            if chosen in columns:
                self.add_error(
                    f"col_{column.index}",
                    _("“%(field)s”已对应另一列。") % {"field": FIELD_LABELS[chosen]},
                )
            columns[chosen] = column.index
        missing = [str(FIELD_LABELS[f]) for f in REQUIRED if f not in columns]
        if missing:
            self.add_error(None, _("请指定这些列：%(cols)s。") % {"cols": "、".join(missing)})
        data["columns"] = columns
        return data


class RouteForm(BootstrapForm):
    region_code = forms.ChoiceField(label=_("分派到社区或楼栋"), choices=())

    def __init__(self, *args: Any, regions: list[Any] | None = None, **kwargs: Any) -> None:
        """``regions``: choices, flat or grouped under sub-districts."""
        super().__init__(*args, **kwargs)
        set_choices(self, "region_code", [("", "—"), *(regions or [])])


class SweepForm(BootstrapForm):
    name = forms.CharField(label=_("名称"), max_length=100, initial=_("逐户排查"))
    region_code = forms.ChoiceField(label=_("范围"), choices=())
    start_date = forms.DateField(
        label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(
        self, *args: Any, regions: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "region_code", regions or [])


class KeyAreaForm(BootstrapForm):
    code = forms.ChoiceField(label=_("地区"), choices=())
    valid_from = forms.DateField(
        label=_("起始日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_to = forms.DateField(
        label=_("截止日期（可空）"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from lianfang.core.divisions import origin_choices

        set_choices(self, "code", origin_choices())


class PersonEditForm(BootstrapForm):
    full_name = forms.CharField(label=_("姓名"), max_length=rules.NAME_MAX)
    workplace = forms.CharField(label=_("工作单位/职业"), max_length=100, required=False)
    notes = forms.CharField(
        label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    gender = forms.ChoiceField(
        label=_("性别"), choices=[("", _("未知")), ("M", _("男")), ("F", _("女"))], required=False
    )
    birth_date = forms.DateField(
        label=_("出生日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, derivable: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if derivable:  # a resident ID carries them
            del self.fields["gender"]
            del self.fields["birth_date"]
