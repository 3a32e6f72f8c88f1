"""The library as a script uses it: the README's snippet, the package's public names, and the
layering the README promises (no import cycle; typer and rich where they belong)."""

from __future__ import annotations

import ast
import contextlib
import io
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import linker

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "linker"


def test_the_readme_snippet_runs(replay: Callable[[str], AbstractContextManager[Any]]) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Library"):]
    snippet = section[section.index("```python\n") + 10:].split("\n```", 1)[0]
    out = io.StringIO()
    with replay("stock_sina_faithful"), contextlib.redirect_stdout(out):
        exec(compile(snippet, "README.md", "exec"), {})
    assert out.getvalue().startswith("faithful ")


def test_every_public_name_resolves() -> None:
    for name in linker.__all__:
        assert getattr(linker, name) is not None, name
    from importlib.metadata import version

    assert linker.__version__ == version("linker")  # the metadata is built from linker.version


def _imports() -> dict[str, set[str]]:
    """Each module's imports of other linker modules, in-function ones included."""
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        modules[name] = path
    edges: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[:len(package.split(".")) - node.level + 1]
                    base = ".".join([*parts, *([node.module] if node.module else [])])
                targets = [base, *(f"{base}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            edges[name] |= {t for t in targets if t in modules and t != name}
    return edges


def test_no_import_cycle() -> None:
    edges = _imports()
    # linker/__init__ re-exports lazily through importlib: no static edge to leave out.
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges[node]):
            assert state.get(nxt) != 1, " -> ".join([*path, node, nxt])
            if nxt not in state:
                visit(nxt, [*path, node])
        state[node] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module, [])


def test_typer_and_rich_stay_in_their_layers() -> None:
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        relative = path.relative_to(PACKAGE).as_posix()
        if re.search(r"^\s*(?:from|import) typer\b", text, re.M):
            assert relative == "cli.py", relative
        if re.search(r"^\s*(?:from|import) rich\b", text, re.M):
            assert relative == "cli.py" or relative.startswith("render/"), relative


def test_the_orchestration_and_the_cli_stay_thin() -> None:
    check = (PACKAGE / "check.py").read_text(encoding="utf-8")
    assert len(check.splitlines()) <= 300
    cli = ast.parse((PACKAGE / "cli.py").read_text(encoding="utf-8"))
    batch = next(node for node in cli.body
                 if isinstance(node, ast.FunctionDef) and node.name == "batch")
    assert batch.end_lineno is not None
    assert batch.end_lineno - batch.body[0].lineno + 1 <= 60  # the body, not the options


def test_the_render_package_names_what_it_loads() -> None:
    import linker.render

    assert sorted(linker.render.__all__) == sorted(linker.render._VIEWS)
    for name in linker.render.__all__:
        assert callable(getattr(linker.render, name)), name
