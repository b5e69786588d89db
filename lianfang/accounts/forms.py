from __future__ import annotations

from django import forms
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.utils.translation import gettext_lazy as _

from lianfang.accounts.roles import Post, Role
from lianfang.core.forms import BootstrapForm


class LoginForm(BootstrapForm):
    username = forms.CharField(label=_("用户名"), max_length=150)
    password = forms.CharField(label=_("密码"), widget=forms.PasswordInput)


class OtpForm(BootstrapForm):
    code = forms.CharField(
        label=_("验证码"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=_("身份验证器应用中的 6 位数字，或一个 8 位备用码。"),
    )


class TokenForm(BootstrapForm):
    name = forms.CharField(
        label=_("令牌名称"), max_length=60, help_text=_("例如：区大数据平台对接")
    )


class UserCreateForm(BootstrapForm):
    username = forms.CharField(label=_("用户名"), max_length=40)
    full_name = forms.CharField(label=_("姓名"), max_length=50)
    region_code = forms.CharField(label=_("所属单位区划代码"), max_length=15)
    password = forms.CharField(label=_("初始密码"), widget=forms.PasswordInput, min_length=1)


class UserEditForm(BootstrapForm):
    full_name = forms.CharField(label=_("姓名"), max_length=50)
    region_code = forms.CharField(label=_("所属单位区划代码"), max_length=15)


class PasswordResetForm(BootstrapForm):
    password = forms.CharField(label=_("新密码"), widget=forms.PasswordInput)


class MembershipForm(BootstrapForm):
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    region_code = forms.CharField(label=_("区划代码"), max_length=15)
    post = forms.ChoiceField(label=_("职务"), choices=Post.choices, required=False)


class PasswordChangeForm(DjangoPasswordChangeForm):
    """Django's form (old password checked, validators applied) with Bootstrap widgets."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"
