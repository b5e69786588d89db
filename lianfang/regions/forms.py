from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lianfang.core.forms import BootstrapForm


class RegionCreateForm(BootstrapForm):
    code = forms.CharField(
        label=_("区划代码"), max_length=15, help_text=_("在上级代码后增加 3 位数字")
    )
    name = forms.CharField(label=_("名称"), max_length=100)


class RenameForm(BootstrapForm):
    name = forms.CharField(label=_("新名称"), max_length=100)


class MoveForm(BootstrapForm):
    community_code = forms.CharField(label=_("目标社区区划代码"), max_length=15)
