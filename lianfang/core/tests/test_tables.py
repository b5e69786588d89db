"""A list squeezed into 375 px showed one character a line: every table of a page is a stack of
cards on a phone (``table-cards``), or says that it stays a table (``table-keep``: a matrix such
as the bulletin, or two or three narrow columns) and scrolls inside ``.table-responsive``."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TABLE = re.compile(r"<table\b[^>]*>")


def _pages() -> list[object]:
    paths = sorted(
        p for p in ROOT.rglob("*.html") if "templates" in p.parts and not p.stem.endswith("_pdf")
    )
    return [pytest.param(p, id=p.as_posix().split("/templates/", 1)[1]) for p in paths]


@pytest.mark.parametrize("path", _pages())
def test_every_table_of_a_page_says_how_it_reads_on_a_phone(path):
    for tag in TABLE.findall(path.read_text()):
        classes = re.search(r'class="([^"]*)"', tag)
        names = set(classes.group(1).split()) if classes else set()
        assert names & {"table-cards", "table-keep"}, f"{tag} needs table-cards (or table-keep)"
