"""The model description stays in step with the code: generated tables are current and every
link between its pages resolves."""

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "docs" / "ODD.md", *sorted((ROOT / "docs" / "odd").glob("*.md"))]


def _odd_tables():
    spec = importlib.util.spec_from_file_location("odd_tables", ROOT / "experiments" / "odd_tables.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", ["parameters.md", "outputs.md"])
def test_generated_odd_tables_are_current(name):
    """Regenerate with ``python experiments/odd_tables.py`` after changing a parameter or output."""
    assert (ROOT / "docs" / "odd" / name).read_text() == _odd_tables().PAGES[name]()


def _anchors(page: Path) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation but - and _ dropped, spaces to -."""
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-")
            for h in re.findall(r"^#+ (.+)$", page.read_text(), re.M)}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_link_between_odd_pages_resolves(page):
    for target in re.findall(r"\]\(([^)#\s]*\.md)?(?:#([^)\s]+))?\)", page.read_text()):
        path, anchor = target
        linked = (page.parent / path).resolve() if path else page
        assert linked.exists(), f"{page.name}: link to missing {path}"
        if anchor:
            assert anchor in _anchors(linked), f"{page.name}: no heading #{anchor} in {linked.name}"
