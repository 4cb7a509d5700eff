"""The layers hold: services raise domain errors and never import the web layer; production never imports
the demo data package (seeds)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEB_FACING = ("api.py", "views.py", "_api.py", "_views.py")  # the modules that speak HTTP


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def _modules(*packages: str) -> list[Path]:
    return sorted(p for pkg in packages for p in (ROOT / pkg).rglob("*.py") if "migrations" not in p.parts)


def test_services_of_the_domain_packages_do_not_import_the_web_layer() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for p in _modules("credit", "inspections", "reports")
        if not p.name.endswith(WEB_FACING) and "supervise.web" in _imports(p)
    ]
    assert offenders == []


def test_production_code_does_not_import_the_demo_data_package() -> None:
    # The `supervise seed demo` and `demo-info` commands are the one door into seeds, on purpose.
    offenders = [
        str(p.relative_to(ROOT))
        for p in _modules("supervise", "credit", "inspections", "reports")
        if p.name != "cli.py" and any(m == "seeds" or m.startswith("seeds.") for m in _imports(p))
    ]
    assert offenders == []
