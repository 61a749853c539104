"""The documentation holds together: every relative link and image resolves, every public name has one entry in
docs/api.md, and the README stays short and leads to every page of docs/."""

import importlib
import re
import unicodedata
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

import pytest

import bitanalysis

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
API = DOCS / "api.md"
README = ROOT / "README.md"
PAGES = [README, ROOT / "CONTRIBUTING.md", *sorted(DOCS.glob("*.md"))]
PUBLIC_MODULES = ("bitanalysis", "bitanalysis.economics", "bitanalysis.present", "bitanalysis.charts")
README_MAX_LINES = 200

FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.MULTILINE)
ENTRY = re.compile(r"^### `([^`]+)`\s*$", re.MULTILINE)
MODULE = re.compile(r"^## `([\w.]+)`\s*$", re.MULTILINE)


def _prose(text: str) -> str:
    """The text without fenced code blocks (a link or heading inside one is an example, not a link)."""
    return FENCE.sub("", text)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, markup and punctuation dropped, spaces as hyphens."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link in a heading: its text
    text = re.sub(r"<[^>]+>", "", text).replace("`", "").lower()
    kept = "".join(c for c in text if c in " -_" or unicodedata.category(c)[0] in "LN")
    return kept.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Every heading anchor of a Markdown file, numbered as GitHub numbers repeated ones (-1, -2, …)."""
    seen: Counter[str] = Counter()
    found = set()
    for _, title in HEADING.findall(_prose(path.read_text(encoding="utf-8"))):
        base = slug(title)
        found.add(f"{base}-{seen[base]}" if seen[base] else base)
        seen[base] += 1
    return found


def links(path: Path) -> list[str]:
    """The targets of the file's Markdown links and images, outside code."""
    return LINK.findall(CODE_SPAN.sub("", _prose(path.read_text(encoding="utf-8"))))


def broken(path: Path) -> list[str]:
    """The relative links of a page that lead nowhere: a missing file or folder, or an anchor no heading has."""
    bad = []
    for target in links(path):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):  # https:, mailto: …: not checked here
            continue
        file, _, anchor = target.partition("#")
        dest = (path.parent / unquote(file)).resolve() if file else path
        if not dest.exists():
            bad.append(f"{target} (no such file)")
        elif anchor and dest.suffix == ".md" and unquote(anchor) not in anchors(dest):
            bad.append(f"{target} (no heading '{anchor}' in {dest.relative_to(ROOT)})")
    return bad


def test_the_slug_is_githubs():
    assert slug("The edge rules (contract §2.1)") == "the-edge-rules-contract-21"
    assert slug("Is the price right for the hours?") == "is-the-price-right-for-the-hours"
    assert slug("`bitanalysis.economics`") == "bitanalysiseconomics"
    assert slug("### `task_delivery`".lstrip("# ")) == "task_delivery"
    assert slug("Setting up a folder with `bitanalysis init`") == "setting-up-a-folder-with-bitanalysis-init"
    assert slug("Økonomi – pris og mængde") == "økonomi--pris-og-mængde"


def test_the_link_finder_skips_code_and_reads_images():
    text = '[a](x.md) ![pic](images/p.png) `[not](a-link.md)`\n```\n[nor](this.md)\n```\n[b](y.md#top "title")\n'
    assert LINK.findall(CODE_SPAN.sub("", _prose(text))) == ["x.md", "images/p.png", "y.md#top"]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(page):
    assert page.exists(), f"{page.relative_to(ROOT)} is missing"
    assert broken(page) == []


def _api_entries() -> dict[str, list[str]]:
    """docs/api.md's '### `name`' entries under each '## `module`' heading."""
    text = _prose(API.read_text(encoding="utf-8"))
    parts = MODULE.split(text)  # [before, module, body, module, body, …]
    return {module: ENTRY.findall(body) for module, body in zip(parts[1::2], parts[2::2])}


def _public_names(module: str) -> list[str]:
    """The module's __all__ (none yet for a module that has no __all__), without __version__."""
    return [n for n in getattr(importlib.import_module(module), "__all__", []) if n != "__version__"]


def test_the_api_page_names_the_public_modules():
    assert list(_api_entries()) == list(PUBLIC_MODULES)


@pytest.mark.parametrize("module", PUBLIC_MODULES)
def test_every_public_name_has_exactly_one_api_entry(module):
    entries = Counter(_api_entries().get(module, []))
    names = _public_names(module)
    missing = sorted(set(names) - set(entries))
    twice = sorted(n for n, k in entries.items() if k > 1)
    assert missing == [], f"docs/api.md has no '### `name`' entry under '## `{module}`' for {missing}"
    assert twice == [], f"docs/api.md documents {twice} more than once under '## `{module}`'"
    if hasattr(importlib.import_module(module), "__all__"):
        extra = sorted(set(entries) - set(names))
        assert extra == [], f"docs/api.md documents {extra} under '## `{module}`', which are not in its __all__"


def test_the_public_modules_are_public():
    assert "economics" in bitanalysis.__all__
    for module in PUBLIC_MODULES[1:]:
        assert importlib.import_module(module).__doc__, f"{module} has no docstring"


def test_the_readme_is_short_and_leads_to_every_page():
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= README_MAX_LINES, f"README.md has {len(text.splitlines())} lines (at most {README_MAX_LINES})"
    targets = {(README.parent / t.partition("#")[0]).resolve() for t in links(README)}
    unlinked = [p.name for p in sorted(DOCS.glob("*.md")) if p.resolve() not in targets]
    assert unlinked == [], f"README.md does not link {unlinked}"
    assert (ROOT / "CONTRIBUTING.md").resolve() in targets, "README.md does not link CONTRIBUTING.md"
