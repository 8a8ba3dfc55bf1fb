"""Convert a large generated .bib and print entries, fields kept and time.

The library is generated: entries of every BibLaTeX entry type (and BibTeX's own), each with a
rotating share of every field of the BibLaTeX data model (so every field occurs thousands of
times), LaTeX in names (``\\O{}ystein``, ``M{\\"u}ller``, ``\\AA sa``) and titles
(``\\textit{E.~coli}``, ``{\\TeX}``, ``\\&``), dates of every form (ranges, circa, ``in press``,
``2019a``). ``refkit convert`` runs in a process of its own, .bib → .bib and .bib → CSL-JSON;
peak RSS is that process's. Fields kept: every field of every entry is looked up again in what
the .bib → .bib output reads back as (the attribute it filled, or the extra field carrying it).

Usage: python benchmarks/convert_scale.py [N ...]   (default: 10000 100000)
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ENTRY_TYPES = (
    *("article", "book", "mvbook", "inbook", "bookinbook", "suppbook", "booklet"),
    *("collection", "mvcollection", "incollection", "suppcollection", "dataset", "manual"),
    *("misc", "online", "patent", "periodical", "suppperiodical", "proceedings"),
    *("mvproceedings", "inproceedings", "reference", "mvreference", "inreference", "report"),
    *("set", "software", "thesis", "unpublished", "customa", "conference", "electronic"),
    *("mastersthesis", "phdthesis", "techreport", "www"),
)
NAME_FIELDS = (
    *("author", "editor", "editora", "editorb", "editorc", "translator", "annotator"),
    *("commentator", "introduction", "foreword", "afterword", "bookauthor", "holder"),
    *("shortauthor", "shorteditor"),
)
TEXT_FIELDS = (
    *("abstract", "addendum", "annotation", "authortype", "bookpagination", "booksubtitle"),
    *("booktitleaddon", "chapter", "edition", "editortype", "eid", "entrysubtype"),
    *("eprintclass", "eventtitle", "eventtitleaddon", "file", "howpublished", "indextitle"),
    *("institution", "isan", "ismn", "isrn", "issue", "issuesubtitle", "issuetitle", "iswc"),
    *("journalsubtitle", "label", "language", "library", "location", "mainsubtitle"),
    *("maintitle", "maintitleaddon", "note", "number", "organization", "origlanguage"),
    *("origlocation", "origpublisher", "origtitle", "pagetotal", "pagination", "part"),
    *("publisher", "reprinttitle", "series", "shorthand", "shorthandintro", "shortjournal"),
    *("shortseries", "shorttitle", "subtitle", "titleaddon", "type", "venue", "version"),
    *("volume", "volumes", "keywords", "langid", "sortkey", "address", "annote", "school"),
    *("journal", "journaltitle", "booktitle", "source", "key", "library"),
)
NAMES = (
    r"\O{}ystein Ore",
    r"M{\"u}ller, J{\o}rgen",
    r"\AA sa Berg",
    r"van der Berg, Jan",
    r"\L{}ukasz Nowak",
    r"{World Health Organization}",
    r"Kaya, \"Ozg\"ur",
    r"Smith, Jr., John",
)
TITLES = (
    r"Growth of \textit{E.~coli} in {TNF}-treated cells",
    r"The {\TeX}book revisited: 50\% faster \& safer",
    r"Mesenchymal stem cells in SLE: a {R}andomized trial",
    r"\texttt{Davos}: a Python package for caf\'e data",
    r"On $\alpha$-helices and {\"U}bergang in {D}{N}{A}",
)
DATES = (
    ("year", "2009"),
    ("date", "2020-06-22"),
    ("date", "1998/1999"),
    ("date", "2018~"),
    ("year", "in press"),
    ("year", "2019a"),
    ("year", "1998--1999"),
    ("year", "535 BCE"),
    ("date", "2011-03"),
)
SHARE = 4  # each entry holds one field in SHARE of the text fields (rotating)


def entry(index: int) -> str:
    """One generated entry: a type, names, a title, a date, identifiers and a share of the
    other fields."""
    entry_type = ENTRY_TYPES[index % len(ENTRY_TYPES)]
    lines = [f"@{entry_type}{{e{index},"]
    for offset, name in enumerate(NAME_FIELDS[: 3 + index % 4]):
        people = " and ".join(NAMES[(index + offset + k) % len(NAMES)] for k in range(2))
        lines.append(f"  {name} = {{{people}}},")
    lines.append(f"  title = {{{TITLES[index % len(TITLES)]} {index}}},")
    key, value = DATES[index % len(DATES)]
    lines.append(f"  {key} = {{{value}}},")
    if key == "year" and value == "2009":
        lines.append("  month = mar,")
    lines.append(f"  doi = {{10.1000/e{index}}},")
    lines.append(f"  url = {{https://example.org/~user/e_{index}.pdf}},")
    lines.append(f"  urldate = {{2021-02-{index % 28 + 1:02d}}},")
    lines.append(f"  pages = {{{index % 90 + 1}--{index % 90 + 9}}},")
    lines.append(f"  isbn = {{978-0-{index:06d}-0}},")
    for offset, name in enumerate(TEXT_FIELDS):
        if (offset + index) % SHARE == 0:
            lines.append(f'  {name} = {{Value of {name} {index} with M{{\\"u}}ller}},')
    lines.append("}")
    return "\n".join(lines)


def generate(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8") as stream:
        stream.write('@string{sm = "Stat. Med."}\n\n')
        for index in range(count):
            stream.write(entry(index) + "\n\n")


CONVERT = """
import resource, sys, time
from refkit.commands import convert
start, cpu = time.perf_counter(), time.process_time()
result = convert([sys.argv[1]], sys.argv[2])
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(result.library_entries, result.references_written, len(result.problems), seconds, cpu, peak)
"""


# The peer: bibtexparser v2 splitting the same file (no LaTeX decoding, no names, no export),
# the reader refkit used before; a ratio in one run is steadier than seconds on a shared machine.
PEER = """
import sys, time
from bibtexparser.entrypoint import parse_string
text = open(sys.argv[1], encoding="utf-8").read()
start, cpu = time.perf_counter(), time.process_time()
library = parse_string(text)
print(len(library.entries), time.perf_counter() - start, time.process_time() - cpu)
"""
PEER_LIMIT = 20_000  # larger files take the peer minutes


def run_peer(source: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", PEER, str(source)], capture_output=True, text=True, check=True
    )
    entries, seconds, cpu = done.stdout.split()
    return {"entries": int(entries), "seconds": float(seconds), "cpu_seconds": float(cpu)}


def run_convert(source: Path, target: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", CONVERT, str(source), str(target)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    read, written, problems, seconds, cpu, peak = done.stdout.split()
    return {
        "read": int(read),
        "written": int(written),
        "problems": int(problems),
        "seconds": float(seconds),
        "cpu_seconds": float(cpu),  # the figure a shared machine's load changes least
        "peak_mib": float(peak),
    }


def fields_kept(source: Path, output: Path) -> tuple[int, int, Counter[str]]:
    """(fields in the source, fields found again in the output, lost fields by name).

    A field is found again when the Citation attribute it filled reads back equal, or, for a
    field without a CSL variable, when its extra field does.
    """
    from refkit.readers.bibtex import entry_citation, field_attributes, resolve_references
    from refkit.readers.bibtex_blocks import RawEntry, Scanner

    def entries(path: Path) -> list[RawEntry]:
        blocks = Scanner(path.read_text(encoding="utf-8")).blocks()
        return list(resolve_references([b for b in blocks if isinstance(b, RawEntry)]))

    before, after = entries(source), entries(output)
    total = kept = 0
    lost: Counter[str] = Counter()
    for old, new in zip(before, after, strict=True):
        was, now = entry_citation(old), entry_citation(new)
        carried = set(now.extra_fields)
        for name, value in old.fields:
            total += 1
            attrs = field_attributes(name)
            same = all(getattr(was, a) == getattr(now, a) for a in attrs)
            extra = (f"tex.{name}", " ".join(value.split())) in carried
            if (attrs and same) or extra:
                kept += 1
            else:
                lost[name] += 1
    return total, kept, lost


def main(sizes: list[int]) -> None:
    for count in sizes:
        with tempfile.TemporaryDirectory() as folder:
            source = Path(folder) / "library.bib"
            generate(source, count)
            size = source.stat().st_size / 1_048_576
            to_bib = run_convert(source, Path(folder) / "out.bib")
            to_json = run_convert(source, Path(folder) / "out.json")
            total, kept, lost = fields_kept(source, Path(folder) / "out.bib")
            peer = run_peer(source) if count <= PEER_LIMIT else None
            print(
                json.dumps(
                    {
                        "peer_bibtexparser_split": peer,
                        "entries": count,
                        "megabytes": round(size, 1),
                        "bib_to_bib": to_bib,
                        "bib_to_csl_json": to_json,
                        "fields": total,
                        "fields_kept": kept,
                        "kept_share": round(kept / total, 6) if total else 0,
                        "lost_by_field": dict(lost.most_common(10)),
                    }
                )
            )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000, 100_000])
