"""The layers import only downwards: `common` is the ground floor, each service stands alone on it,
the gateway and the web app reach the services over HTTP only, and `stack` (which assembles
everything) is imported by nobody but tests.

Every import counts: at the top of a module, inside a function (a lazy import), under
`TYPE_CHECKING`, relative or absolute.
"""

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("common", "stack", "gateway", "web", "services")

FORBIDDEN: dict[str, tuple[str, ...]] = {
    "common": ("services", "gateway", "web", "stack"),
    "services": ("gateway", "web", "stack"),
    "gateway": ("services", "web", "stack"),
    "web": ("services", "gateway", "stack"),
}
"""Layer -> the layers it must not import (a service importing another is checked apart)."""


def _layer(module: str) -> str:
    return module.split(".", 1)[0]


def _service(module: str) -> str | None:
    """`services.kpi.measures.router` -> `kpi`; `services` itself -> None."""
    parts = module.split(".")
    return parts[1] if parts[0] == "services" and len(parts) > 1 else None


def why_forbidden(importer: str, imported: str) -> str | None:
    """Why module `importer` may not import module `imported` (None: it may).

    >>> why_forbidden("services.kpi.router", "services.finance.rules")
    'one service imports another (kpi -> finance)'
    """
    layer, target = _layer(importer), _layer(imported)
    if target in FORBIDDEN.get(layer, ()):
        return f"{layer} imports {target}"
    if layer == target == "services":
        mine, theirs = _service(importer), _service(imported)
        if mine and theirs and mine != theirs:
            return f"one service imports another ({mine} -> {theirs})"
    return None


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(tree: ast.AST, importer: str, is_package: bool) -> Iterator[tuple[int, str]]:
    """(line, module) for every import anywhere in `tree`, relative ones made absolute.
    `from a import b` yields `a.b` too, since `b` may be a module."""
    package = importer if is_package else importer.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*base_parts, *([node.module] if node.module else [])])
            else:
                base = node.module or ""
            yield node.lineno, base
            for alias in node.names:
                yield node.lineno, f"{base}.{alias.name}"


def violations(root: Path) -> list[str]:
    """Every forbidden import under `root`, as `path:line: importer imports x (why)`."""
    found = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            importer = module_name(path, root)
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            seen: set[tuple[int, str]] = set()
            for line, imported in imported_modules(tree, importer, path.name == "__init__.py"):
                reason = why_forbidden(importer, imported)
                if reason and (line, reason) not in seen:
                    seen.add((line, reason))
                    where = path.relative_to(root).as_posix()
                    found.append(f"{where}:{line}: {importer} imports {imported} ({reason})")
    return found


def test_the_layers_import_only_downwards() -> None:
    problems = violations(ROOT)
    assert not problems, "forbidden imports:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("common.demo", "gateway.models"),
        ("common.testing.plugin", "services.kpi.app"),
        ("common.db", "web.app"),
        ("common.db", "stack.apps"),
        ("services.kpi.router", "services.finance.rules"),
        ("services.projects", "services.kpi"),
        ("services.finance.app", "gateway.access"),
        ("services.kpi.app", "web.clients"),
        ("web.views.dashboard", "services.kpi.rules"),
        ("web.app", "gateway.app"),
        ("gateway.app", "services.kpi.schemas"),
        ("gateway.app", "web.app"),
        ("gateway.app", "stack.apps"),
    ],
)
def test_a_forbidden_import_is_named(importer: str, imported: str) -> None:
    assert why_forbidden(importer, imported)


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("services.kpi.router", "common.crud"),
        ("services.kpi.measures.router", "services.kpi.rules"),
        ("gateway.app", "common.settings"),
        ("web.app", "common.money"),
        ("stack.testing.plugin", "services.kpi.app"),
        ("stack.demo", "gateway.models"),
        ("migrations.kpi.env", "services.kpi.models"),
        ("common.money", "decimal"),
    ],
)
def test_an_allowed_import_passes(importer: str, imported: str) -> None:
    assert why_forbidden(importer, imported) is None


def test_lazy_and_relative_imports_in_a_tree_are_found(tmp_path: Path) -> None:
    files = {
        "common/__init__.py": "",
        "common/fine.py": "import decimal\nfrom common import money\n",
        "common/lazy.py": "def f() -> None:\n    from gateway.models import Organisation\n",
        "services/__init__.py": "",
        "services/kpi/__init__.py": "",
        "services/kpi/rules.py": "from . import models\nfrom ..finance import rules\n",
        "services/finance/__init__.py": "",
        "services/finance/rules.py": "from services.kpi import rules as kpi_rules\n",
        "web/__init__.py": "from services import projects\n",
    }
    for name, source in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(source)

    found = violations(tmp_path)

    assert found == [
        "common/lazy.py:2: common.lazy imports gateway.models (common imports gateway)",
        "web/__init__.py:1: web imports services (web imports services)",
        "services/finance/rules.py:1: services.finance.rules imports services.kpi "
        "(one service imports another (finance -> kpi))",
        "services/kpi/rules.py:2: services.kpi.rules imports services.finance "
        "(one service imports another (kpi -> finance))",
    ]
