"""The Content Security Policy allows styles from our own files only (style-src 'self'): an
inline ``style=""`` attribute in a template is blocked by the browser and its effect lost."""

import re
from pathlib import Path

import lianfang

ROOT = Path(lianfang.__file__).resolve().parent


def test_no_template_carries_an_inline_style_attribute():
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in ROOT.rglob("*.html")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\sstyle\s*=", line)
    ]
    assert offenders == []
