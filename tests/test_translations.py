"""The English catalogue is complete: every source string (Chinese) has a translation, none is
fuzzy. After adding strings: makemessages -l en, fill the msgstrs, compilemessages."""

import re
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parents[1] / "lianfang/locale/en/LC_MESSAGES/django.po"


def _entries():
    for block in CATALOGUE.read_text(encoding="utf-8").split("\n\n"):
        msgid = re.search(r'^msgid "(.*)"', block, re.M)
        if msgid and (msgid.group(1) or "msgid_plural" in block or '"\n"' in block):
            yield block


def test_every_string_has_an_english_translation():
    untranslated = [
        b.splitlines()[-2:]
        for b in _entries()
        if re.search(r'^msgstr(\[0\])? ""\n?$', b, re.M)
        and not re.search(r'^msgstr(\[0\])? ""\n"', b, re.M)
    ]
    fuzzy = [b for b in _entries() if "#, fuzzy" in b]
    assert not untranslated, untranslated[:5]
    assert not fuzzy, fuzzy[:3]
