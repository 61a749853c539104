"""The package's shape: layers that import only downwards, no import circle, short modules, and the figures unchanged."""

import ast
import json
from pathlib import Path

import pytest

from tests.figures import FIGURES, figures

ROOT = Path(__file__).parents[1]
PACKAGE = ROOT / "bitanalysis"
#: The subpackages from the bottom up: each may import its own modules and those of the layers below it.
LAYERS = ["core", "io", "workspace", "bit", "economics", "present", "charts", "reports"]
TOP = len(LAYERS)  # bitanalysis/__init__.py, __main__.py and cli.py: may import everything
MAX_LINES = 500
#: The one module allowed to be longer: the synthetic sample municipality's generator.
LONG_ALLOWED = {ROOT / "bitanalysis_dev" / "sample.py"}


def _name(path: Path) -> str:
    """bitanalysis/io/read.py → 'bitanalysis.io.read'; a package's __init__.py is the package."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(path: Path) -> set[str]:
    """Every bitanalysis module the file imports, at its top or inside a function (`from p import m` of a submodule
    counts as m)."""
    found: set[str] = set()
    package = _name(path) if path.name == "__init__.py" else _name(path).rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([node.module] if node.module else []))
            for a in node.names:
                found.add(f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base)
    return {m for m in found if m in MODULES}


GRAPH = {name: _imports(path) - {name} for name, path in MODULES.items()}


def _layer(module: str) -> int:
    """The module's floor: its subpackage's place in LAYERS, or TOP for the package's own top-level modules."""
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else TOP


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import circles (strongly connected parts of more than one module), by Tarjan's algorithm."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            part = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                part.append(w)
                if w == v:
                    break
            if len(part) > 1:
                circles.append(sorted(part))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return circles


def test_the_circle_finder_finds_a_circle_and_passes_a_line():
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _circles({"a": {"b"}, "b": set()}) == []


def test_every_subpackage_is_a_layer_and_says_what_it_owns():
    packages = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    assert packages == set(LAYERS)
    for name in LAYERS:
        doc = ast.get_docstring(ast.parse((PACKAGE / name / "__init__.py").read_text(encoding="utf-8")))
        assert doc and doc.startswith(f"{name}:"), f"bitanalysis/{name}/__init__.py must say what it owns"
        assert "import" in doc.lower(), f"bitanalysis/{name}/__init__.py must say what it may import"


def test_imports_flow_downwards_only():
    upward = [
        f"{m} ({LAYERS[_layer(m)] if _layer(m) < TOP else 'top'}) imports {d} ({LAYERS[_layer(d)] if _layer(d) < TOP else 'top'})"
        for m, deps in GRAPH.items()
        for d in deps
        if _layer(d) > _layer(m)
    ]
    assert upward == []


def test_no_import_circle():
    assert _circles(GRAPH) == []


def test_no_module_is_over_500_lines():
    files = [*PACKAGE.rglob("*.py"), *(ROOT / "bitanalysis_dev").rglob("*.py")]
    long = {
        str(p.relative_to(ROOT)): n
        for p in files
        if p not in LONG_ALLOWED and (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


@pytest.mark.parametrize("part", ["findings", "summary", "traffic_light", "days_without_cost", "budget", "spend_now", "spend_before",
                                  "full_year_persons_provider", "full_year_persons_paragraph", "price_benchmark"])  # fmt: skip
def test_the_findings_and_leader_figures_for_2026_10_are_those_before_the_split(sample_ws, part):
    before = json.loads(FIGURES.read_text(encoding="utf-8"))
    now = json.loads(json.dumps(_now(sample_ws), ensure_ascii=False))
    assert now[part] == before[part]


_FIGURES: dict = {}


def _now(ws) -> dict:
    """Today's figures, computed once per test process."""
    if not _FIGURES:
        _FIGURES.update(figures(ws))
    return _FIGURES
