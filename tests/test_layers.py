"""The import direction of articles/: a floor never imports one above it, so the layers stay what
the folder names say (README, "What is where").

Read from the source with ast (every import, at module level or inside a function), not by
importing: a cycle hidden in a function body counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ARTICLES = Path(__file__).resolve().parent.parent / "articles"

# package -> the packages of articles/ it must never import.
FORBIDDEN = {
    "models": ("articles.queries", "articles.browse", "articles.api", "articles.tagging", "articles.ingest",
               "articles.admin", "articles.corpus", "articles.knowledge_base"),
    "queries": ("articles.browse", "articles.api", "articles.admin", "articles.ingest"),
    "text": ("articles.models", "articles.queries", "articles.browse", "articles.api", "articles.tagging",
             "articles.ingest"),
    "tagging": ("articles.queries", "articles.browse", "articles.api", "articles.ingest"),
    "ingest": ("articles.browse", "articles.api"),
    # The two edges are siblings: the pages use the API's export writers, the API never the pages.
    "api": ("articles.browse",),
}
# Imports that still run upward, each with the reason it is not fixed yet; the test fails when
# one disappears, so the list only shrinks.
KNOWN: dict[tuple[str, str], str] = {}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level > 0:
            base = path.parent
            for _ in range(node.level - 1):
                base = base.parent
            package = ".".join(base.relative_to(ARTICLES.parent).parts)
            found.add(f"{package}.{node.module}" if node.module else package)
    return found


def _violations(package: str) -> set[tuple[str, str]]:
    result = set()
    for path in sorted((ARTICLES / package).rglob("*.py")):
        for name in _imports(path):
            for forbidden in FORBIDDEN[package]:
                if name == forbidden or name.startswith(forbidden + "."):
                    result.add((str(path.relative_to(ARTICLES)), forbidden))
    return result


@pytest.mark.parametrize("package", list(FORBIDDEN))
def test_no_import_runs_upward(package):
    found = _violations(package)
    assert found - set(KNOWN) == set(), "imports that run upward: " + ", ".join(f"{p} -> {m}" for p, m in sorted(found))


def test_every_known_exception_still_exists():
    everything = set().union(*(_violations(package) for package in FORBIDDEN))
    assert set(KNOWN) <= everything, f"fixed, drop from KNOWN: {set(KNOWN) - everything}"


def test_the_checker_sees_imports_inside_functions(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from articles.browse import charts\n    import articles.api.views\n")
    assert {"articles.browse", "articles.browse.charts", "articles.api.views"} <= _imports(module)
