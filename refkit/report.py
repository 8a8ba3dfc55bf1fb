"""The Report of a build: what was read, written, merged and rejected, and why.

References found = written + merged + rejected (+ already in the user's library), always; each
problem names its file, its position in the file and the reason.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import IO, Any

from refkit.atomic import open_output
from refkit.errors import ReadError
from refkit.model import RawReference

STAGES = ("read", "extract", "parse", "enrich", "dedupe", "export")
# Told of each record read (1, its references, "read") and each stage begun (0, 0, stage).
Progress = Callable[[int, int, str], None]


@dataclass
class Problem:
    """One thing that could not be used: ``message`` is the line printed for it; ``file``,
    ``position`` (``study 2``, ``References 3``; "" for a whole file) and ``reason`` are its
    parts, for a program reading the report."""

    where: str
    message: str
    file: str = ""
    position: str = ""
    reason: str = ""

    @classmethod
    def of(cls, error: ReadError) -> Problem:
        return cls(error.where, error.one_line(), error.path, error.position, error.message)

    @classmethod
    def of_reference(cls, raw: RawReference, reason: str, hint: str) -> Problem:
        where = raw.provenance.where()
        position = f"{raw.provenance.section} {raw.provenance.position}"
        message = f"{where}: {reason} ({hint})"
        return cls(where, message, raw.provenance.path, position, reason)


@dataclass
class Report:
    """What a command did (build, convert, dedupe, enrich): references found = written +
    merged + rejected (+ already in the user's library), always. For the commands that read
    bibliographies only, every entry read counts as a reference found."""

    command: str = "build"
    output: str = ""
    format: str = ""
    files_skipped: int = 0
    records_read: int = 0
    records_rejected: int = 0
    records_duplicate: int = 0
    trials_written: int = 0
    references_found: int = 0
    references_written: int = 0
    references_merged: int = 0
    references_rejected: int = 0
    references_known: int = 0  # already in the --against library: left out, listed in `known`
    # Written with their PMID although the record gave no usable text (PubMed completes them).
    references_pmid_only: int = 0
    library_entries: int = 0  # entries read from bibliographies given as inputs
    problems: list[Problem] = field(default_factory=list)
    known: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    enrichment: dict[str, int] = field(default_factory=dict)
    retracted: list[str] = field(default_factory=list)  # cited works that were retracted
    # Each work cited by several references: its title, how many merged, the citing trials.
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)  # "old key → new key", one per entry
    written: bool = False  # False: nothing was written (nothing read, or an output failed)
    timings: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STAGES, 0.0))

    @property
    def balanced(self) -> bool:
        written = self.references_written + self.references_merged + self.references_rejected
        return self.references_found == written + self.references_known

    @property
    def clean(self) -> bool:
        """True when every input went through (exit status 0)."""
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["balanced"] = self.balanced
        data["timings"] = {k: round(v, 4) for k, v in self.timings.items()}
        return data

    def write_json(self, path: str) -> None:
        with open_output(path) as stream:
            self.dump(stream)

    def dump(self, stream: IO[str]) -> None:
        """The report as JSON; flushed, so that a full disk shows here and not later."""
        json.dump(self.to_dict(), stream, indent=2, ensure_ascii=False)
        stream.write("\n")
        stream.flush()

    @contextmanager
    def timing(self, stage: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[stage] += time.perf_counter() - start


SKIPPED_SHOWN = 3


def skipped_summary(skipped: list[Problem]) -> str:
    """One line for the files that were no record: how many, of which kinds, the first few.

    ``5 files skipped (not trial records): 3 .png, 1 .md, 1 hidden: a.png, b.png, c.png, ...``
    """
    if not skipped:
        return ""
    kinds = Counter(_kind(item) for item in skipped)
    shown = ", ".join(item.where for item in skipped[:SKIPPED_SHOWN])
    more = ", ..." if len(skipped) > SKIPPED_SHOWN else ""
    counted = ", ".join(f"{count} {kind}" for kind, count in kinds.most_common())
    files = "file" if len(skipped) == 1 else "files"
    return f"{len(skipped)} {files} skipped (not trial records): {counted}: {shown}{more}"


def _kind(item: Problem) -> str:
    if item.message.startswith("hidden"):
        return "hidden"
    name = item.where.replace("\\", "/").rsplit("/", 1)[-1]
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name.lstrip(".") else ""
    return f".{suffix}" if suffix and len(suffix) <= 8 else "without a suffix"
