"""The layers hold: only a domain's api.py and views.py speak HTTP (import Flask or supervise.web); production
never imports the demo data package (seeds)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEB_FACING = ("api.py", "views.py")  # the modules that speak HTTP
DOMAINS = ("credit", "inspections", "reports", "scheduling")
WEB = ("flask", "flask_login", "flask_wtf", "werkzeug", "supervise.web")


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


def _is_web(module: str) -> bool:
    return any(module == w or module.startswith(w + ".") for w in WEB)


def test_only_api_and_views_modules_of_the_domains_import_flask_or_the_web_layer() -> None:
    offenders = [
        f"{p.relative_to(ROOT)}: {m}"
        for p in _modules(*DOMAINS)
        if p.name not in WEB_FACING
        for m in sorted(_imports(p))
        if _is_web(m)
    ]
    assert offenders == []


def test_the_layer_check_sees_the_imports_it_forbids(tmp_path: Path) -> None:
    # The walker must catch every spelling, including function-local imports, or the test above proves nothing.
    sample = tmp_path / "services.py"
    sample.write_text("import flask\ndef f():\n    from supervise.web import actor\n    from flask_login import x\n")
    assert sorted(m for m in _imports(sample) if _is_web(m)) == ["flask", "flask_login", "supervise.web"]
    assert not _is_web("supervise.webhooks")


def test_production_code_does_not_import_the_demo_data_package() -> None:
    # The `supervise seed demo` and `demo-info` commands are the one door into seeds, on purpose.
    offenders = [
        str(p.relative_to(ROOT))
        for p in _modules("supervise", *DOMAINS)
        if p.name != "cli.py" and any(m == "seeds" or m.startswith("seeds.") for m in _imports(p))
    ]
    assert offenders == []


def test_no_two_modules_import_each_other_even_inside_functions() -> None:
    import networkx as nx

    names = {
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): p
        for p in _modules("supervise", *DOMAINS)
    }
    graph = nx.DiGraph()
    for name, path in names.items():
        if name == "supervise":  # the app factory imports every blueprint, on purpose
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.ImportFrom) and node.module:  # `from a import b` may import module a.b
                targets = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            graph.add_edges_from((name, t) for t in targets if t in names and t not in (name, "supervise"))
    assert sorted(nx.simple_cycles(graph)) == []
