"""A merge moved ``@transaction.atomic`` off the report submission onto a helper: SQLite took
the row lock as a no-op and only PostgreSQL refused it. Every ``select_for_update`` therefore
runs inside ``transaction.atomic`` — in the function itself, or in a private helper whose every
caller in its module is atomic."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1].parent


def _modules() -> list[object]:
    paths = sorted(
        p
        for p in PACKAGE.rglob("*.py")
        if not {"tests", "migrations"} & set(p.parts) and "select_for_update" in p.read_text()
    )
    return [pytest.param(p, id=p.relative_to(PACKAGE).as_posix()) for p in paths]


def _is_atomic(node: ast.AST) -> bool:
    return "atomic" in ast.unparse(node)


class _Walk(ast.NodeVisitor):
    """Per function: does it lock outside atomic, and which functions does it call inside or
    outside atomic."""

    def __init__(self) -> None:
        self.function: str | None = None
        self.atomic = False
        self.unguarded_locks: dict[str, int] = {}
        self.calls: list[tuple[str, str | None, bool]] = []

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        outer = self.function, self.atomic
        self.function = node.name
        self.atomic = any(_is_atomic(d) for d in node.decorator_list)
        self.generic_visit(node)
        self.function, self.atomic = outer

    def visit_With(self, node: ast.With) -> None:
        outer = self.atomic
        self.atomic = outer or any(_is_atomic(i.context_expr) for i in node.items)
        self.generic_visit(node)
        self.atomic = outer

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr == "select_for_update" and not self.atomic and self.function:
            self.unguarded_locks.setdefault(self.function, node.lineno)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Name):
            self.calls.append((node.func.id, self.function, self.atomic))
        self.generic_visit(node)


@pytest.mark.parametrize("path", _modules())
def test_every_row_lock_is_taken_inside_a_transaction(path):
    walk = _Walk()
    walk.visit(ast.parse(path.read_text()))
    problems = []
    # A helper may lock unguarded if every call reaches it from atomic code (followed upwards).
    pending = dict(walk.unguarded_locks)
    checked: set[str] = set()
    while pending:
        name, line = pending.popitem()
        checked.add(name)
        if not name.startswith("_"):
            problems.append(f"{name} (line {line}) locks rows outside transaction.atomic")
            continue
        callers = [(caller, atomic) for callee, caller, atomic in walk.calls if callee == name]
        if not callers:
            problems.append(f"{name} (line {line}) locks rows and is not called in its module")
        for caller, atomic in callers:
            if not atomic and caller and caller not in checked:
                pending[caller] = line
            elif not atomic and not caller:
                problems.append(f"{name} is called at module level outside a transaction")
    assert not problems, problems
