"""The messages a form shows in its alert: see includes/form_errors.html."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms, template

register = template.Library()


@register.simple_tag
def form_alert_messages(
    form: forms.BaseForm | str | None = None,
    summary: bool = False,
    extra: Iterable[str] | None = None,
) -> list[str]:
    """Non-field errors, then the errors of hidden fields (nothing else would show them), then
    with ``summary`` every visible field's errors prefixed by its label — for forms whose fields
    are not rendered beside their errors — then ``extra`` (a view's own list of messages)."""
    found: list[str] = []
    if isinstance(form, forms.BaseForm):  # an include given no form passes an empty string
        found.extend(str(e) for e in form.non_field_errors())
        for field in form:
            if field.errors and (field.is_hidden or summary):
                found.extend(
                    str(e) if field.is_hidden else f"{field.label}：{e}" for e in field.errors
                )
    found.extend(str(e) for e in extra or ())
    return found
