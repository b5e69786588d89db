"""Every form shows its errors: the input is marked (is-invalid, aria-invalid) and points at its
message, whenever the error was added; templates go through the shared includes. The browser
tests (tests/browser/test_form_errors.py) check that the messages are visible on the real pages."""

from __future__ import annotations

import importlib
import pkgutil
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django import forms
from django.forms.renderers import get_default_renderer
from django.template.loader import render_to_string

import lianfang
from lianfang.core.errors import InvalidInput
from lianfang.core.forms import BootstrapForm, ErrorMarkingBoundField, apply_domain_error

ROOT = Path(lianfang.__file__).resolve().parent
SHARED = {"includes/form.html", "includes/form_errors.html", "includes/field_errors.html"}


class PersonLikeForm(BootstrapForm):
    id_number = forms.CharField(label="证件号码", help_text="18 位")
    symptoms = forms.MultipleChoiceField(
        label="症状",
        choices=[("fever", "发热"), ("cough", "咳嗽")],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    agree = forms.BooleanField(label="同意", required=False)
    client_key = forms.CharField(widget=forms.HiddenInput, required=False)


class PlainDjangoForm(forms.Form):
    """A form that does not derive from the project's base form."""

    name = forms.CharField(label="名称")


class _Tree(HTMLParser):
    """The rendered HTML as an ElementTree (void elements closed), to follow ids."""

    VOID = {"input", "br", "hr", "img", "meta", "link"}

    def __init__(self) -> None:
        super().__init__()
        self.builder = ET.TreeBuilder()
        self.builder.start("root", {})

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.builder.start(tag, {k: v or "" for k, v in attrs})
        if tag in self.VOID:
            self.builder.end(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID:
            self.builder.end(tag)

    def handle_data(self, data: str) -> None:
        self.builder.data(data)


class Doc:
    def __init__(self, markup: str) -> None:
        parser = _Tree()
        parser.feed(markup)
        parser.builder.end("root")
        self.root = parser.builder.close()

    def by_id(self, id_: str) -> ET.Element:
        found = self.root.find(f".//*[@id='{id_}']")
        assert found is not None, id_
        return found

    def all(self, path: str) -> list[ET.Element]:
        return self.root.findall(path)

    def described(self, element: ET.Element) -> list[str]:
        """The texts that an element's aria-describedby names."""
        ids = (element.get("aria-describedby") or "").split()
        return ["".join(self.by_id(i).itertext()).strip() for i in ids]


def classes(element: ET.Element) -> set[str]:
    return set((element.get("class") or "").split())


def _render(form: forms.BaseForm) -> Doc:
    return Doc(render_to_string("includes/form.html", {"form": form}))


def test_an_error_added_after_validation_marks_the_input_and_names_its_message():
    form = PersonLikeForm({"id_number": "110105194912310021"})
    assert form.is_valid()
    apply_domain_error(
        InvalidInput("invalid", "请检查", {"id_number": ["身份证号校验位错误，请核对。"]}), form
    )
    doc = _render(form)
    field = doc.by_id("id_id_number")
    assert {"is-invalid", "form-control"} <= classes(field)
    assert field.get("aria-invalid") == "true"
    assert "身份证号校验位错误，请核对。" in doc.described(field)
    assert "18 位" in doc.described(field)  # the help text keeps its link
    message = doc.by_id("id_id_number_error")
    assert {"invalid-feedback", "d-block"} <= classes(message)


def test_a_valid_field_is_not_marked():
    form = PersonLikeForm({"id_number": "11010519491231002X"})
    assert form.is_valid()
    field = _render(form).by_id("id_id_number")
    assert "is-invalid" not in classes(field)
    assert field.get("aria-invalid") is None


def test_a_form_that_is_not_the_project_base_form_is_marked_too():
    form = PlainDjangoForm({"name": ""})
    assert not form.is_valid()
    doc = _render(form)
    field = doc.by_id("id_name")
    assert {"form-control", "is-invalid"} <= classes(field)
    assert doc.described(field) == [str(form.errors["name"][0])]


def test_checkbox_groups_and_single_checkboxes_show_their_errors():
    form = PersonLikeForm({"id_number": "x"})
    form.is_valid()
    form.add_error("symptoms", "请选择症状。")
    form.add_error("agree", "请勾选。")
    doc = _render(form)
    fieldset = doc.all(".//fieldset")[0]
    assert "请选择症状。" in doc.described(fieldset)
    assert all("is-invalid" in classes(box) for box in doc.all(".//input[@name='symptoms']"))
    agree = doc.by_id("id_agree")
    assert {"form-check-input", "is-invalid"} <= classes(agree)
    assert doc.described(agree) == ["请勾选。"]


def test_form_level_and_hidden_field_errors_are_shown_in_an_alert():
    form = PersonLikeForm({"id_number": "x"}, prefix="p")
    form.is_valid()
    form.add_error(None, "提交过于频繁，请稍后再试。")
    form.add_error("client_key", "提交已过期，请刷新页面。")
    alert = _render(form).all(".//div[@role='alert']")[0]
    assert "alert-danger" in classes(alert)
    text = "".join(alert.itertext())
    assert "提交过于频繁，请稍后再试。" in text and "提交已过期，请刷新页面。" in text


def test_the_summary_alert_lists_every_field_error_with_its_label():
    form = PersonLikeForm({"id_number": ""})
    form.is_valid()
    out = render_to_string("includes/form_errors.html", {"form": form, "summary": True})
    assert "证件号码：" in out


def test_the_alert_shows_a_views_own_messages_without_a_form():
    out = render_to_string("includes/form_errors.html", {"extra": ["请至少填写一名密切接触者。"]})
    assert 'role="alert"' in out and "请至少填写一名密切接触者。" in out
    assert render_to_string("includes/form_errors.html", {}).strip() == ""


def test_an_unbound_form_shows_no_alert_and_no_marks():
    out = render_to_string("includes/form.html", {"form": PersonLikeForm()})
    assert "is-invalid" not in out and "alert" not in out and "aria-invalid" not in out


def test_every_form_of_the_project_marks_invalid_fields():
    """The renderer carries the marking BoundField; no form of the project opts out of it."""
    assert get_default_renderer().bound_field_class is ErrorMarkingBoundField
    for info in pkgutil.walk_packages([str(ROOT)], "lianfang."):
        if info.name.endswith("forms") or info.name.endswith("_views") or ".views" in info.name:
            importlib.import_module(info.name)
    seen = _form_classes(forms.BaseForm)
    project = [
        c for c in seen if c.__module__.startswith("lianfang.") and ".tests" not in c.__module__
    ]
    assert len(project) > 20
    for cls in project:
        assert cls.bound_field_class in (None, ErrorMarkingBoundField), cls
        assert cls.default_renderer is None, cls


def _form_classes(base: type[forms.BaseForm]) -> set[type[forms.BaseForm]]:
    found: set[type[forms.BaseForm]] = set()
    for sub in base.__subclasses__():
        found |= {sub, *_form_classes(sub)}
    return found


def _templates() -> list[object]:
    """(template name, text) of every template of the project."""
    paths = sorted(p for p in ROOT.rglob("*.html") if "templates" in p.parts)
    names = [p.as_posix().split("/templates/", 1)[1] for p in paths]
    return [pytest.param(n, p.read_text(), id=n) for n, p in zip(names, paths, strict=True)]


HAND_WRITTEN = [
    (re.compile(r"invalid-feedback"), "Bootstrap's invalid-feedback"),
    (re.compile(r"non_field_errors"), "non-field errors"),
    (re.compile(r"{%\s*for\s+\w+\s+in\s+[\w.]*errors"), "a loop over errors"),
    (re.compile(r"{{\s*[\w.]*errors"), "errors printed directly"),
]


@pytest.mark.parametrize(("name", "text"), _templates())
def test_templates_show_errors_only_through_the_shared_includes(name, text):
    """A template that wrote its own error markup hid errors (no is-invalid on the input, no id
    for aria-describedby): forms render through includes/form.html, a field rendered by hand
    is followed by includes/field_errors.html, a form's alert is includes/form_errors.html."""
    if name in SHARED:
        return
    for pattern, what in HAND_WRITTEN:
        assert not pattern.search(text), f"{name} writes {what} by hand: use the includes"
    for form, field in re.findall(r"{{\s*(\w*form)\.(\w+)\s*}}", text):
        include = rf'includes/field_errors.html"\s+with\s+field={form}\.{field}\b'
        assert re.search(include, text), f"{name} renders {form}.{field} without its errors"


def test_fetch_driven_pages_show_errors_through_the_shared_script():
    """Phone pages that post with fetch mark fields with lfForms (core/static/lianfang/forms.js),
    which also puts a message without a field of its own in the form's alert."""
    scripts = [p for p in ROOT.rglob("static/**/*.js") if p.name != "forms.js"]
    assert scripts
    for path in scripts:
        text = path.read_text()
        assert "invalid-feedback" not in text, f"{path.name} writes error markup by hand"
        if "fetch(" in text and "fields" in text:
            assert "lfForms.show(" in text, f"{path.name} shows an error body by hand"


class DatedForm(BootstrapForm):
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    at = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    typed = forms.DateField()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_date_picker_shows_its_initial_value_in_every_language(language):
    from datetime import date, datetime

    from django.utils import translation

    initial = {
        "day": date(2020, 2, 1),
        "at": datetime(2020, 2, 1, 8, 30),
        "typed": date(2020, 2, 1),
    }
    with translation.override(language):
        html = str(DatedForm(initial=initial))
    tags = {m.group(1): m.group(0) for m in re.finditer(r'<input[^>]*name="(\w+)"[^>]*>', html)}
    assert 'value="2020-02-01"' in tags["day"]
    assert 'value="2020-02-01T08:30"' in tags["at"]
