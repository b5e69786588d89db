from __future__ import annotations

from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.forms.widgets import DateTimeBaseInput, Widget
from django.utils.safestring import SafeString

from lianfang.core.errors import DomainError


def bootstrap_class(widget: Widget) -> str:
    """The Bootstrap base class of a widget's input."""
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
        return "form-check-input"  # CheckboxSelectMultiple is a RadioSelect
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


class ErrorMarkingBoundField(BoundField):
    """Marks the input when its field has errors at the moment it is rendered, so errors added
    after validation (``add_error`` from a service's DomainError) show like the form's own:
    Bootstrap shows ``.invalid-feedback`` only after an ``is-invalid`` input. Django itself adds
    ``aria-invalid`` and ``aria-describedby`` (``<id>_error``, ``<id>_helptext``) that
    ``includes/form.html`` and ``includes/field_errors.html`` give their ids to."""

    def build_widget_attrs(self, attrs: dict[str, Any], widget: Widget | None = None) -> Any:
        widget = widget or self.field.widget
        attrs = super().build_widget_attrs(attrs, widget)
        if widget.is_hidden:
            return attrs
        classes = str(attrs.get("class", widget.attrs.get("class", ""))).split()
        wanted = [bootstrap_class(widget), *(["is-invalid"] if self.errors else [])]
        attrs["class"] = " ".join([*classes, *(c for c in wanted if c not in classes)])
        return attrs

    def as_widget(
        self, widget: Widget | None = None, attrs: Any = None, only_initial: bool = False
    ) -> SafeString:
        _html5_format(widget or self.field.widget)
        return super().as_widget(widget, attrs, only_initial)


# What a browser's date and time pickers accept as their value, whatever the language: the
# Chinese locale's first input format is "2020/02/01", which a date input shows as empty.
HTML5_FORMATS = {"date": "%Y-%m-%d", "datetime-local": "%Y-%m-%dT%H:%M", "time": "%H:%M"}


def _html5_format(widget: Widget) -> None:
    if isinstance(widget, DateTimeBaseInput) and not widget.format:
        wanted = HTML5_FORMATS.get(str(getattr(widget, "input_type", "")))
        if wanted:
            widget.format = wanted


class FormRenderer(DjangoTemplates):
    """The project's FORM_RENDERER: every form, Django's own included, marks invalid fields."""

    bound_field_class = ErrorMarkingBoundField


class BootstrapForm(forms.Form):
    """The base of the project's forms: Bootstrap classes and error marking come from
    ``ErrorMarkingBoundField``, so templates render ``{% include "includes/form.html" %}`` or,
    field by field, ``{{ field }}`` with ``{% include "includes/field_errors.html" %}``."""

    bound_field_class = ErrorMarkingBoundField


def apply_domain_error(exc: DomainError, *forms: forms.Form) -> None:
    """Show a service's DomainError: each field's messages on the form that has the field, the
    rest (or the overall message when no field is named) at the top of the first form."""
    if not exc.fields:
        forms[0].add_error(None, exc.message)
    for name, msgs in exc.fields.items():
        target = next((f for f in forms if name in f.fields), forms[0])
        for msg in msgs:
            target.add_error(name if name in target.fields else None, msg)


def show_domain_error(exc: DomainError, form: forms.Form) -> None:
    """A service's refusal on a bound form, each field's message once: a field the form itself
    already refused keeps only the form's message."""
    if form.is_valid():
        apply_domain_error(exc, form)
        return
    for name, msgs in (exc.fields or {}).items():
        if name in form.fields and not form.errors.get(name):
            for msg in msgs:
                form.add_error(name, msg)


def set_choices(form: forms.BaseForm, name: str, choices: Any) -> None:
    """A choice field's options given at run time (the actor's regions, a household's members):
    ``form.fields`` is typed as plain fields, so the cast lives here once."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField), name
    field.choices = choices
