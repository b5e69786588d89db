"""Centralised sites with their rooms, and fever clinics."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianfang.core.forms import BootstrapForm, set_choices


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
        set_choices(self, "region_code", regions or [])


class HospitalForm(BootstrapForm):
    name = forms.CharField(label=_("名称"), max_length=100)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    phone = forms.CharField(label=_("电话"), max_length=30, required=False)
