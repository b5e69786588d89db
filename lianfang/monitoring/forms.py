from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianfang.core.forms import BootstrapForm
from lianfang.core.symptoms import SYMPTOMS
from lianfang.monitoring.models import Kind, Method, ReferralOutcome, StartBasis
from lianfang.monitoring.services import CONTACT_METHODS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _symptom_choices(keys: list[str] | None = None) -> list[tuple[str, Any]]:
    return [(k, v) for k, v in SYMPTOMS.items() if keys is None or k in keys]


class StartForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("观察方式"), choices=Kind.choices, initial=Kind.HOME)
    start_date = forms.DateField(label=_("开始日期"), widget=DATE)
    basis_date = forms.DateField(
        label=_("起算日期（最后接触/抵达）"),
        widget=DATE,
        required=False,
        help_text=_("留空：按政策从登记的抵达日期或开始日期起算"),
    )
    site_id = forms.TypedChoiceField(
        label=_("集中隔离点"), coerce=int, choices=(), required=False, empty_value=None
    )
    person_ids = forms.MultipleChoiceField(
        label=_("观察对象（同一户）"), choices=(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args: Any,
        people: list[tuple[str, str]] | None = None,
        sites: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person_ids"].choices = people or []  # type: ignore[attr-defined]
        self.fields["site_id"].choices = [("", "—"), *(sites or [])]  # type: ignore[attr-defined]


class CheckForm(BootstrapForm):
    temperature = forms.DecimalField(
        label=_("体温（°C）"),
        max_digits=4,
        decimal_places=1,
        widget=forms.NumberInput(
            attrs={"step": "0.1", "inputmode": "decimal", "min": "34", "max": "43"}
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
        self.fields["symptoms"].choices = _symptom_choices(symptoms)  # type: ignore[attr-defined]


class SelfCheckForm(CheckForm):
    """The resident's page: temperature and symptoms only."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["method"]
        del self.fields["note"]


class ReasonForm(BootstrapForm):
    reason = forms.CharField(label=_("理由"), max_length=300)


class AdjustForm(ReasonForm):
    days = forms.IntegerField(
        label=_("调整天数"), min_value=-30, max_value=30, help_text=_("正数延长，负数缩短")
    )


class ExposureForm(ReasonForm):
    observation = forms.ChoiceField(label=_("成员"), choices=())
    exposure_date = forms.DateField(label=_("新的接触日期"), widget=DATE)

    def __init__(
        self, *args: Any, members: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["observation"].choices = members or []  # type: ignore[attr-defined]


class MemberReasonForm(ReasonForm):
    observation = forms.ChoiceField(label=_("成员"), choices=())

    def __init__(
        self, *args: Any, members: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["observation"].choices = members or []  # type: ignore[attr-defined]


class TransferForm(MemberReasonForm):
    to_site_id = forms.TypedChoiceField(
        label=_("转往集中隔离点"), coerce=int, choices=(), required=False, empty_value=None
    )
    to_region_code = forms.CharField(
        label=_("或转往社区/楼栋（区划代码）"), max_length=15, required=False
    )

    def __init__(
        self, *args: Any, sites: list[tuple[int, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_site_id"].choices = [("", "—"), *(sites or [])]  # type: ignore[attr-defined]


class ContactForm(BootstrapForm):
    observation = forms.ChoiceField(label=_("成员"), choices=(), required=False)
    who = forms.CharField(label=_("联系人（工作人员）"), max_length=100, required=False)
    how = forms.ChoiceField(label=_("方式"), choices=list(CONTACT_METHODS.items()))
    result = forms.CharField(
        label=_("结果"), max_length=300, help_text=_("如：已接通，本人在家，体温正常")
    )

    def __init__(
        self, *args: Any, members: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["observation"].choices = [("", _("全户")), *(members or [])]  # type: ignore[attr-defined]


class RoomForm(BootstrapForm):
    observation = forms.ChoiceField(label=_("成员"), choices=())
    room = forms.TypedChoiceField(label=_("房间"), coerce=int, choices=())

    def __init__(
        self,
        *args: Any,
        members: list[tuple[str, str]] | None = None,
        rooms: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["observation"].choices = members or []  # type: ignore[attr-defined]
        self.fields["room"].choices = rooms or []  # type: ignore[attr-defined]


class ReferForm(BootstrapForm):
    hospital = forms.TypedChoiceField(label=_("发热门诊"), coerce=int, choices=())
    transport = forms.CharField(label=_("转运方式"), max_length=100, initial=_("120 负压救护车"))
    reason = forms.CharField(label=_("转诊原因"), max_length=200)

    def __init__(
        self, *args: Any, hospitals: list[tuple[int, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hospital"].choices = hospitals or []  # type: ignore[attr-defined]


class OutcomeForm(BootstrapForm):
    outcome = forms.ChoiceField(
        label=_("结果"),
        choices=[(k, v) for k, v in ReferralOutcome.choices if k != ReferralOutcome.PENDING],
    )
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class CloseAlertForm(BootstrapForm):
    action = forms.CharField(
        label=_("处置情况"), max_length=300, help_text=_("如：电话联系，已补测体温 36.5 °C")
    )


class ExitForm(BootstrapForm):
    reason = forms.CharField(label=_("外出事由"), max_length=200)
    destination = forms.CharField(label=_("目的地"), max_length=200)
    leave_at = forms.DateTimeField(label=_("出发时间"), widget=DATETIME)
    return_at = forms.DateTimeField(label=_("返回时间"), widget=DATETIME)
    route = forms.CharField(label=_("路线"), max_length=300)


class DecideExitForm(BootstrapForm):
    decision_note = forms.CharField(label=_("审批意见"), max_length=200, required=False)


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
        label=_("症状清单"), choices=_symptom_choices(), widget=forms.CheckboxSelectMultiple
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


class SiteForm(BootstrapForm):
    name = forms.CharField(label=_("名称"), max_length=100)
    region_code = forms.ChoiceField(label=_("所属街道/社区"), choices=())
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    rooms = forms.CharField(
        label=_("房间"),
        max_length=2000,
        required=False,
        help_text=_("房间号用逗号分隔，如 201, 202, 203；房间号后加 *2 表示两张床"),
    )

    def __init__(
        self, *args: Any, regions: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region_code"].choices = regions or []  # type: ignore[attr-defined]


class HospitalForm(BootstrapForm):
    name = forms.CharField(label=_("名称"), max_length=100)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    phone = forms.CharField(label=_("电话"), max_length=30, required=False)


class TeamForm(BootstrapForm):
    """五包一: each choice lists the users with the matching role over the region."""

    cadre = forms.TypedChoiceField(
        label=_("社区干部"), coerce=int, required=False, empty_value=None
    )
    grid_worker = forms.TypedChoiceField(
        label=_("网格员"), coerce=int, required=False, empty_value=None
    )
    doctor = forms.TypedChoiceField(label=_("医生"), coerce=int, required=False, empty_value=None)
    police = forms.TypedChoiceField(label=_("民警"), coerce=int, required=False, empty_value=None)
    volunteer = forms.TypedChoiceField(
        label=_("志愿者"), coerce=int, required=False, empty_value=None
    )

    def __init__(
        self, *args: Any, people: dict[str, list[tuple[int, str]]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, choices in (people or {}).items():
            self.fields[name].choices = [("", "—"), *choices]  # type: ignore[attr-defined]


class ContactRowForm(BootstrapForm):
    full_name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    id_number = forms.CharField(
        label=_("身份证号"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("手机号"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    region_code = forms.ChoiceField(label=_("楼栋/社区"), choices=(), required=False)
    address = forms.CharField(label=_("门牌/房号"), max_length=100, required=False)
    last_contact = forms.DateField(label=_("最后接触日期"), widget=DATE, required=False)

    def __init__(
        self, *args: Any, regions: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region_code"].choices = [("", "—"), *(regions or [])]  # type: ignore[attr-defined]


class CorrectForm(BootstrapForm):
    """A correction of a wrong reading: a new row pointing at it, with the reason."""

    corrects = forms.UUIDField(widget=forms.HiddenInput)
    temperature = forms.DecimalField(
        label=_("正确体温（°C）"),
        max_digits=4,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
    )
    correction_reason = forms.CharField(label=_("更正原因"), max_length=200)
