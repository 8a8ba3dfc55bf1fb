"""Entry-point registry for readers, enrichers and exporters.

Four groups: ``refkit.readers`` (trial records), ``refkit.libraries`` (bibliography files a
user brings), ``refkit.enrichers``, ``refkit.exporters``. refkit's own
plugins register themselves in pyproject.toml the same way a third party would. A plugin is
loaded only when it is asked for; its import errors are not swallowed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import IO, Any, Protocol, TypeVar, runtime_checkable

from refkit.errors import PluginNotFoundError, ReadError
from refkit.model import Citation, Record
from refkit.spread import batches

READERS = "refkit.readers"
ENRICHERS = "refkit.enrichers"
EXPORTERS = "refkit.exporters"
LIBRARIES = "refkit.libraries"
SUFFIXES = ".suffixes"  # <group>.suffixes: entry points named by the suffixes of <group>'s plugins


Item = TypeVar("Item", Record, Citation, covariant=True)


@runtime_checkable
class Reader(Protocol[Item]):
    """Reads one input format: trial records into Records (``refkit.readers``), a user's
    bibliography into Citations with their ids (``refkit.libraries``)."""

    name: str

    def sniff(self, head: bytes, path: Path) -> bool:
        """True when ``head`` (the first bytes of ``path``) is this reader's format."""

    def read(self, path: Path) -> Iterator[Item | ReadError]:
        """Yield each record or entry of ``path``; one that cannot be read is yielded as its
        error. Raise ReadError when the whole file is unusable.
        """


RecordReader = Reader[Record]
LibraryReader = Reader[Citation]


@dataclass(frozen=True)
class EnrichOptions:
    """How an enricher may reach its source; None means "from the environment or default"."""

    mailto: str | None = None
    cache_dir: str | None = None
    # Called as progress(done, total) while look-ups finish (a progress bar on a terminal).
    progress: Callable[[int, int], None] | None = None


@dataclass
class Enrichment:
    """An enricher's result: every citation in order, what it counted, what a user should read."""

    citations: list[Citation]
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    retracted: list[str] = field(default_factory=list)  # one line per retracted work


@runtime_checkable
class Enricher(Protocol):
    """Completes citations from an outside source."""

    name: str

    def enrich(self, citations: Sequence[Citation], options: EnrichOptions) -> Enrichment:
        """Every citation, completed where the source knows it; none is ever dropped.

        Raises ConfigError for unusable options; a failed look-up keeps its citation as it was.
        """


@runtime_checkable
class Exporter(Protocol):
    """Writes citations in one output format."""

    name: str

    def write(self, citations: Sequence[Citation], stream: IO[str]) -> None:
        """Write every citation to ``stream``."""


@runtime_checkable
class RunExporter(Exporter, Protocol):
    """An exporter that writes each run of entries on its own, so that runs can be rendered
    in other processes: ``write`` is ``assemble`` over ``render`` of each run, in order, for
    any cut of the citations into runs. A class that names this protocol as its base gets
    that ``write``."""

    def write(self, citations: Sequence[Citation], stream: IO[str]) -> None:
        self.assemble(map(self.render, batches(citations)), stream)

    def render(self, citations: Sequence[Citation]) -> str:
        """The text of one run of entries."""

    def assemble(self, runs: Iterable[str], stream: IO[str]) -> None:
        """Write the file: the rendered runs in order, with what goes around and between them."""


@cache
def _entry_points(group: str) -> dict[str, EntryPoint]:
    return {ep.name: ep for ep in entry_points(group=group)}


@cache
def _load(group: str, name: str) -> Any:
    return _entry_points(group)[name].load()()


def names(group: str) -> list[str]:
    """The names of every plugin installed in ``group``, sorted."""
    return sorted(_entry_points(group))


def load(group: str, name: str) -> Any:
    """The plugin ``name`` of ``group``, instantiated once."""
    if name not in _entry_points(group):
        known = ", ".join(names(group)) or "none installed"
        kind = group.rsplit(".", 1)[-1][:-1]
        raise PluginNotFoundError(f"no {kind} named {name!r}", hint=f"known: {known}")
    return _load(group, name)


def all_plugins(group: str) -> Iterator[Any]:
    for name in names(group):
        yield _load(group, name)


def suffixes(plugin: object) -> tuple[str, ...]:
    """The file suffixes ``plugin`` declares (entry points of a ``<group>.suffixes`` group,
    named by suffix, pointing at the plugin's class), longest first."""
    return _suffixes_of(f"{type(plugin).__module__}:{type(plugin).__qualname__}")


@cache
def _suffixes_of(reference: str) -> tuple[str, ...]:
    groups = (READERS, LIBRARIES, EXPORTERS)
    found = {
        ep.name
        for group in groups
        for ep in _entry_points(group + SUFFIXES).values()
        if ep.value == reference
    }
    return tuple(sorted(found, key=lambda suffix: (-len(suffix), suffix)))


def all_suffixes(*groups: str) -> frozenset[str]:
    """Every suffix declared in ``groups``: the files a user meant as data."""
    return frozenset(ep for group in groups for ep in _entry_points(group + SUFFIXES))


def readers() -> list[RecordReader]:
    return list(all_plugins(READERS))


def library_readers() -> list[LibraryReader]:
    return list(all_plugins(LIBRARIES))


def enrichers() -> list[Enricher]:
    return list(all_plugins(ENRICHERS))


def exporter(name: str | None = None, *, output: str = "") -> Exporter:
    """The exporter ``name`` or, without one, the one whose suffix ends ``output``
    (``refs.bib`` → bibtex); only that one is loaded."""
    if name:
        plugin: Exporter = load(EXPORTERS, name)
        return plugin
    by_suffix = _entry_points(EXPORTERS + SUFFIXES)
    lowered = output.lower()
    matching = sorted((s for s in by_suffix if lowered.endswith(s)), key=len, reverse=True)
    owners = {ep.value: n for n, ep in _entry_points(EXPORTERS).items()}
    if not matching or by_suffix[matching[0]].value not in owners:
        declared = {
            n: [s for s, ep in by_suffix.items() if owners.get(ep.value) == n]
            for n in names(EXPORTERS)
        }
        known = ", ".join(f"{n} ({' '.join(sorted(s))})" for n, s in declared.items())
        raise PluginNotFoundError(
            f"cannot tell the output format from {output!r}",
            hint=f"give --format or one of these suffixes: {known}",
        )
    return exporter(owners[by_suffix[matching[0]].value])
