"""The quarantine page's forms: start, adjust, exposure, team, contact, room, transfer, early
end, and the close-contact rows."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianfang.core.forms import BootstrapForm, set_choices
from lianfang.monitoring.forms import DATE, ReasonForm
from lianfang.monitoring.models import Kind
from lianfang.monitoring.quarantines.services import CONTACT_METHODS


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
        set_choices(self, "person_ids", people or [])
        set_choices(self, "site_id", [("", "—"), *(sites or [])])


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
        set_choices(self, "observation", members or [])


class MemberReasonForm(ReasonForm):
    observation = forms.ChoiceField(label=_("成员"), choices=())

    def __init__(
        self, *args: Any, members: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "observation", members or [])


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
        set_choices(self, "to_site_id", [("", "—"), *(sites or [])])


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
        set_choices(self, "observation", [("", _("全户")), *(members or [])])


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
        set_choices(self, "observation", members or [])
        set_choices(self, "room", rooms or [])


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
            set_choices(self, name, [("", "—"), *choices])


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
        set_choices(self, "region_code", [("", "—"), *(regions or [])])
