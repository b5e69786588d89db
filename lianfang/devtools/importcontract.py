"""An import-linter contract (``make lint``): an app reaches another app only through the other's
public modules. Product code in app A may import ``B.<public>`` (services, selectors, models for
relations and types, permissions for their names), or the same modules of one of B's feature
packages (``B.<feature>.services``), and nothing else of B; tests may use B's factories as well. ``core`` is the kernel every app builds on, so all of it is public."""

from __future__ import annotations

from typing import Any

import grimp
from importlinter import Contract, ContractCheck, fields, output


class AppSurfaceContract(Contract):
    type_name = "app_surface"

    apps = fields.ListField(subfield=fields.StringField())
    public = fields.ListField(subfield=fields.StringField())
    open_apps = fields.ListField(subfield=fields.StringField(), required=False)
    test_public = fields.ListField(subfield=fields.StringField(), required=False)

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        apps = _strings(self.apps)
        public = set(_strings(self.public))
        test_public = public | set(_strings(self.test_public))
        open_apps = set(_strings(self.open_apps))
        broken: list[dict[str, Any]] = []
        for importer in sorted(graph.modules):
            source = _app_of(importer, apps)
            if source is None:
                continue
            allowed = test_public if ".tests" in importer else public
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                target = _app_of(imported, apps)
                if target is None or target == source or target in open_apps:
                    continue
                if not _is_public(imported[len(target) + 1 :], allowed):
                    lines = [
                        d["line_number"]
                        for d in graph.get_import_details(importer=importer, imported=imported)
                    ]
                    broken.append({"importer": importer, "imported": imported, "lines": lines})
        return ContractCheck(kept=not broken, metadata={"broken": broken})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for link in check.metadata["broken"]:
            lines = ", ".join(map(str, link["lines"]))
            output.print_error(f"- {link['importer']} -> {link['imported']} (l.{lines})")
            output.new_line()


def _is_public(rest: str, allowed: set[str]) -> bool:
    """``rest`` is the module's path inside its app: the app itself, a public module, or a
    public module of a feature package (``monitoring.checks.services``)."""
    parts = rest.split(".") if rest else []
    return not parts or parts[0] in allowed or (len(parts) > 1 and parts[1] in allowed)


def _strings(value: Any) -> list[str]:
    """A list field's parsed value (fields are declared on the class, typed as fields)."""
    return [str(v) for v in value or []]


def _app_of(module: str, apps: list[str]) -> str | None:
    for app in apps:
        if module == app or module.startswith(app + "."):
            return app
    return None
