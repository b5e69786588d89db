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
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"


def apply_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Show a service's DomainError on ``form``: field messages on their fields, the rest (or the
    overall message when no field is named) at the top."""
    if not exc.fields:
        form.add_error(None, exc.message)
    for name, msgs in exc.fields.items():
        for msg in msgs:
            form.add_error(name if name in form.fields else None, msg)
