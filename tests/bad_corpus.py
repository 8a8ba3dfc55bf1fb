"""The bad-input corpus (``tests/data/bad``) laid out in a folder, with the cases that git cannot
hold made there: megabyte files, a symbolic-link loop, an unreadable file, JSON nested 100,000
deep. Each case folder holds its inputs and ``expected.txt``: the lines ``refkit build`` prints
on stderr for them, exactly (none for a case whose records go through silently).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

from helpers import DATA, SEED

BAD = DATA / "bad"
EXPECTED = "expected.txt"
LONG_LINE = 1 << 20  # characters in the one-line reference of `long-line`
MANY = 100_000  # lines in the References section of `many-references`
DEPTH = 100_000  # levels of `deep-json`


def seed_lines(nct_id: str) -> tuple[list[str], int]:
    """The seed record as lines under another NCT id, and the index of its first reference."""
    lines = SEED.read_text(encoding="utf-8").replace("NCT00962923", nct_id).split("\n")
    return lines, lines.index("References") + 2


def long_line(folder: Path) -> None:
    """A reference of 1 MiB on one line, between two good ones."""
    lines, first = seed_lines("NCT90000020")
    words = "Sun L, Shi S. " + "A title that never ends " * (LONG_LINE // 24 + 1)
    lines.insert(first + 1, words[: LONG_LINE - 1] + ".")
    (folder / "NCT90000020.txt").write_text("\n".join(lines), encoding="utf-8")


def many_references(folder: Path) -> None:
    """A References section of 100,000 lines: the seed's seven references over and over, as
    an export caught in a loop writes them."""
    lines, first = seed_lines("NCT90000021")
    seven = lines[first : first + 7]
    lines[first : first + 7] = [seven[n % 7] for n in range(MANY)]
    (folder / "NCT90000021.txt").write_text("\n".join(lines), encoding="utf-8")


def deep_json(folder: Path) -> None:
    """A study whose protocolSection holds objects nested 100,000 deep."""
    text = '{"protocolSection": ' + '{"a": ' * DEPTH + "{}" + "}" * DEPTH + "}\n"
    (folder / "NCT90000022.json").write_text(text, encoding="utf-8")


def symlink_loop(folder: Path) -> None:
    """A link to its own folder, and a link to itself."""
    (folder / "loop").symlink_to(".", target_is_directory=True)
    (folder / "self.json").symlink_to("self.json")


def unreadable(folder: Path) -> None:
    """A good record that nobody may read."""
    path = folder / "NCT90000023.txt"
    path.write_text("\n".join(seed_lines("NCT90000023")[0]), encoding="utf-8")
    path.chmod(0)


GENERATED: dict[str, Callable[[Path], None]] = {
    "long-line": long_line,
    "many-references": many_references,
    "deep-json": deep_json,
    "symlink-loop": symlink_loop,
    "unreadable": unreadable,
}


def lay_out(target: Path) -> Path:
    """The whole corpus in ``target`` (a copy of tests/data/bad plus the generated cases)."""
    shutil.copytree(BAD, target, symlinks=True)
    for name, make in GENERATED.items():
        make(target / name)
    return target


def expected_lines(corpus: Path) -> dict[str, list[str]]:
    """Case → the stderr lines its ``expected.txt`` gives (``#`` starts a comment line)."""
    return {
        case.name: [
            line
            for line in (case / EXPECTED).read_text(encoding="utf-8").split("\n")
            if line and not line.startswith("#")
        ]
        for case in sorted(corpus.iterdir())
        if case.is_dir()
    }


def good_trials(corpus: Path, expected: dict[str, list[str]]) -> set[str]:
    """The NCT ids of the record files (named ``NCT….ext``) that no expected problem rejects."""
    problems = [line for lines in expected.values() for line in lines if not is_warning(line)]
    named = "\n".join(problems)
    found = set()
    for root, _, files in os.walk(corpus):
        case = Path(root).relative_to(corpus)
        for name in files:
            match = re.fullmatch(r"(NCT\d{8})\.\w+", name)
            if match and f"/{case}/{name}: " not in named:  # a rejection of the whole file
                found.add(match.group(1))
    return found


def is_warning(line: str) -> bool:
    return line.startswith("refkit: warning: ")
