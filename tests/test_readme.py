"""The README's roles table is the page a newcomer reads first: it names every role, and says
"home:" exactly for the roles whose home page is a work queue today."""

import re
from pathlib import Path

from lianfang.accounts.roles import Role
from lianfang.core import worktiles

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def _rows() -> dict[str, list[str]]:
    rows = {}
    for line in README.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells and (m := re.fullmatch(r"`(\w+)`", cells[0])):
            rows[m.group(1)] = cells
    return rows


def test_the_roles_table_names_every_role_with_its_chinese_name():
    rows = _rows()
    for role in Role:
        assert role.value in rows, f"README roles table lacks {role.value}"
        assert rows[role.value][1] == str(role.label)


def test_the_roles_table_says_home_for_exactly_the_roles_with_a_work_queue():
    served = {r for t in worktiles._TILES.values() for r in t.roles}
    served |= {r for p in worktiles._PANELS.values() for r in p.roles}
    for role, cells in _rows().items():
        if role in Role.values:
            says_home = cells[3].startswith("home:")
            assert says_home == (role in served), f"README: {role}'s home page"
