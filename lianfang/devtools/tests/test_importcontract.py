import sys

import grimp
import pytest

from lianfang.devtools.importcontract import AppSurfaceContract


@pytest.fixture
def package(tmp_path, monkeypatch):
    """A project of two apps: ``upper`` imports ``lower``'s modules as each test writes them."""
    root = tmp_path / "proj"
    for app in ("lower", "upper"):
        (root / app).mkdir(parents=True)
        (root / app / "__init__.py").write_text("")
    (root / "__init__.py").write_text("")
    (root / "lower" / "services.py").write_text("")
    (root / "lower" / "internals.py").write_text("")
    (root / "lower" / "checks").mkdir()
    (root / "lower" / "checks" / "__init__.py").write_text("")
    (root / "lower" / "checks" / "services.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield root
    for name in [m for m in sys.modules if m == "proj" or m.startswith("proj.")]:
        del sys.modules[name]


def _check(root, importing: str):
    (root / "upper" / "views.py").write_text(importing)
    contract = AppSurfaceContract(
        name="surface",
        session_options={},
        contract_options={"apps": ["proj.lower", "proj.upper"], "public": ["services"]},
    )
    return contract.check(grimp.build_graph("proj", cache_dir=None), verbose=False)


def test_an_app_may_import_another_apps_services(package):
    assert _check(package, "from proj.lower import services\n").kept


def test_an_app_may_import_a_feature_packages_services(package):
    assert _check(package, "from proj.lower.checks import services\n").kept


def test_an_app_reaching_into_another_apps_internals_breaks_the_contract(package):
    check = _check(package, "from proj.lower import internals\n")
    assert not check.kept
    assert check.metadata["broken"][0]["imported"] == "proj.lower.internals"
