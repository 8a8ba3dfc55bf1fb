from __future__ import annotations

import pytest

from refkit.enrich.fields import fold as enrich_fold
from refkit.text import (
    PARTICLES,
    ascii_fold,
    clean_title,
    expand_pages,
    first_page,
    fold,
    is_generic_title,
    month_number,
    strip_language_tag,
)


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Søren Kierkegaard", "soren kierkegaard"),
        ("β-blocker therapy", "beta blocker therapy"),
        ("Straße", "strasse"),
        ('{\\"U}ber', "uber"),
        ("TNF-&alpha;", "tnf alpha"),
    ],
)
def test_one_fold_for_every_stage(raw: str, folded: str) -> None:
    assert fold(raw) == folded
    assert enrich_fold(raw) == folded


def test_ascii_fold_keeps_case_and_punctuation() -> None:
    assert ascii_fold("Müller-Łukasz") == "Muller-Lukasz"
    assert ascii_fold("Ærø β") == "AEro "


@pytest.mark.parametrize(
    ("word", "number"),
    [("March", 3), ("mar", 3), ("Sept.", 9), ("september", 9), ("dec", 12), ("Marching", None)],
)
def test_month_number(word: str, number: int | None) -> None:
    assert month_number(word) == number


def test_particles() -> None:
    assert {"van", "le", "de", "von", "al"} <= PARTICLES
    assert "gall" not in PARTICLES


@pytest.mark.parametrize(
    ("page", "expanded", "first"),
    [("1421-32", "1421-1432", "1421"), ("S12-8", "S12-S18", "S12"), ("e1234", "e1234", "e1234")],
)
def test_pages(page: str, expanded: str, first: str) -> None:
    assert expand_pages(page) == expanded
    assert first_page(page) == first


@pytest.mark.parametrize(
    ("title", "clean"),
    [
        ("Donaciones de sangre. [Spanish]", "Donaciones de sangre"),
        ("Blood donation [Article in French]", "Blood donation"),
        ("Blood donation LA: Chi", "Blood donation"),
        ("[Blood donation in Spain].", "Blood donation in Spain"),
        ("A [Spanish] study of donors", "A [Spanish] study of donors"),
    ],
)
def test_language_tags_and_translated_titles(title: str, clean: str) -> None:
    assert clean_title(title) == clean


def test_language_tag_alone() -> None:
    assert strip_language_tag("Title [German, English abstract]") == "Title"
    assert strip_language_tag("Title [Review]") == "Title [Review]"


@pytest.mark.parametrize(
    "title", ["editorial", "editor s comments", "book review", "letter to the editor", "untitled"]
)
def test_generic_titles(title: str) -> None:
    assert is_generic_title(title)
    assert not is_generic_title("editorial policies of information systems journals")


ONE_COPY = {"fold", "ascii_fold", "expand_pages", "first_page", "page_range", "month_number"}
# Other things under a similar name: the CRF's feature fold keeps punctuation (its features
# need it); the BibTeX exporter's page_range writes a range with "--"; the BibTeX reader reads
# BibTeX's month macros (jan, feb, ...) and numbers.
OTHER_THINGS = {("parse/tokens.py", "fold"), ("exporters/bibtex.py", "page_range")}
OTHER_THINGS |= {("readers/bibtex.py", "_MONTHS"), ("readers/bibtex.py", "month_number")}


def _definitions() -> list[tuple[str, str]]:
    import ast
    from pathlib import Path

    import refkit

    root = Path(refkit.__file__).parent
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            names = [node.name] if isinstance(node, ast.FunctionDef) else []
            if isinstance(node, ast.Assign):
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            found.extend((str(path.relative_to(root)), name) for name in names)
    return found


def test_text_helpers_have_one_copy() -> None:
    """fold, months, particles and page helpers are defined in refkit/text.py only."""
    for module, name in _definitions():
        if module == "text.py" or (module, name) in OTHER_THINGS:
            continue
        plain = name.lstrip("_")
        assert plain not in ONE_COPY, f"{module} defines its own {name}"
        assert plain not in {"MONTHS", "PARTICLES"}, f"{module} defines its own {name}"


def test_the_judge_imports_no_parser() -> None:
    import ast
    from pathlib import Path

    import refkit

    root = Path(refkit.__file__).parent
    judge = [root / "compare.py", root / "text.py", root / "identifiers.py"]
    for path in [*judge, *sorted((root / "dedupe").glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith("refkit.parse"), f"{path.name}: {node.module}"
