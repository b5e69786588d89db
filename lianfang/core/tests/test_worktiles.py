"""The work-queue registry: a tile is read only for the roles it serves (and with its
permission), items with nothing due are left out, progress items stay."""

from lianfang.core import worktiles
from lianfang.core.scoping import Actor, Grant
from lianfang.core.worktiles import WorkItem

WORKER = Actor(user_id=1, grants=(Grant("community_worker", "620105001001"),))
AUDITOR = Actor(user_id=2, grants=(Grant("privacy_auditor", "620105"),))


def test_tiles_serve_their_roles_only_and_skip_what_is_not_due(monkeypatch):
    monkeypatch.setattr(worktiles, "_TILES", {})
    monkeypatch.setattr(worktiles, "_PANELS", {})
    calls = []

    def items(actor):
        calls.append(actor.user_id)
        return [
            WorkItem("未关闭预警", 2, "/a/"),
            WorkItem("待核实", 0, "/b/"),
            WorkItem("1号楼", 0, "/c/", total=5),
        ]

    worktiles.register(
        "test.tile", roles=("community_worker",), perm="monitoring.view", items=items
    )
    assert [i.label for i in worktiles.items_for(WORKER)] == ["未关闭预警", "1号楼"]
    assert worktiles.has_queue(WORKER)
    assert worktiles.items_for(AUDITOR) == [] and not worktiles.has_queue(AUDITOR)
    assert calls == [1]


def test_a_panel_without_anything_to_show_is_left_out(monkeypatch):
    monkeypatch.setattr(worktiles, "_TILES", {})
    monkeypatch.setattr(worktiles, "_PANELS", {})
    worktiles.register_panel(
        "test.panel",
        roles=("community_worker",),
        perm="monitoring.view",
        template="x.html",
        context=lambda actor: None,
    )
    assert worktiles.panels_for(WORKER) == []
    assert worktiles.has_queue(WORKER)
