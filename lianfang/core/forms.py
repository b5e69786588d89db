from __future__ import annotations

from typing import Any

from django import forms

from lianfang.core.errors import DomainError


class BootstrapForm(forms.Form):
    """A form whose widgets carry Bootstrap classes, so templates render ``{{ field }}``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"


def apply_domain_error(exc: DomainError, *forms: forms.Form) -> None:
    """Show a service's DomainError: each field's messages on the form that has the field, the
    rest (or the overall message when no field is named) at the top of the first form."""
    if not exc.fields:
        forms[0].add_error(None, exc.message)
    for name, msgs in exc.fields.items():
        target = next((f for f in forms if name in f.fields), forms[0])
        for msg in msgs:
            target.add_error(name if name in target.fields else None, msg)
