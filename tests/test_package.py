"""The package's house rules: a deliberate public surface, short functions, developer tools outside the runtime."""

import ast
import re
import subprocess
import sys
from pathlib import Path

import bitanalysis

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").rglob("*.py"))
PUBLIC_MODULES = {"economics", "charts", "present"}
INTERNAL = "(?:core|io|workspace|bit|reports|cli)"  # the internal subpackages: a notebook uses the public surface only


def test_every_public_name_exists_and_is_documented():
    """Every public name has a docstring; its entry in docs/api.md is checked by tests/test_docs.py."""
    for name in bitanalysis.__all__:
        obj = getattr(bitanalysis, name)
        assert name == "__version__" or (obj.__doc__ or "").strip(), f"{name} has no docstring"


def test_notebooks_and_templates_use_only_the_public_surface():
    assert NOTEBOOKS, "no notebooks found"
    for path in NOTEBOOKS:
        text = path.read_text(encoding="utf-8")
        private = re.findall(rf"bitanalysis\.(?:_\w+|{INTERNAL})\b|from bitanalysis import [^\n]*\b_\w+", text)
        assert not private, f"{path.name} uses private modules: {private}"
        for module in re.findall(r"from bitanalysis import ([^\n#]+)", text):
            names = [n.strip().split(" as ")[0] for n in module.split(",")]
            assert set(names) <= set(bitanalysis.__all__) | PUBLIC_MODULES, f"{path.name} imports {names}"


def _functions(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(n.name, n.end_lineno - n.lineno + 1) for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


def test_functions_are_short_outside_the_sample_generator():
    files = sorted((ROOT / "bitanalysis").rglob("*.py")) + sorted((ROOT / "bitanalysis_dev").glob("bench*.py"))
    long = [(p.name, name, n) for p in files for name, n in _functions(p) if n >= 50]
    assert not long, f"functions of 50 lines or more: {long}"


def test_importing_the_package_leaves_out_the_developer_tools_and_heavy_libraries():
    heavy = "{'bitanalysis_dev', 'plotly', 'papermill', 'pandera'}"
    code = f"import sys, bitanalysis; print(sorted(m for m in sys.modules if m.split('.')[0] in {heavy}))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT / "tests")
    assert out.stdout.strip() == "[]"
