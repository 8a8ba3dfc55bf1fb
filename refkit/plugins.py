"""Entry-point registry for readers, enrichers and exporters.

Four groups: ``refkit.readers`` (trial records), ``refkit.libraries`` (bibliography files a
user brings), ``refkit.enrichers``, ``refkit.exporters``. refkit's own
plugins register themselves in pyproject.toml the same way a third party would. A plugin is
loaded only when it is asked for; its import errors are not swallowed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import IO, Any, Protocol, runtime_checkable

from refkit.errors import PluginNotFoundError, ReadError
from refkit.model import Citation, Record

READERS = "refkit.readers"
ENRICHERS = "refkit.enrichers"
EXPORTERS = "refkit.exporters"
LIBRARIES = "refkit.libraries"


@runtime_checkable
class Reader(Protocol):
    """Reads one input format into Records."""

    name: str
    suffixes: tuple[str, ...]

    def sniff(self, head: bytes, path: Path) -> bool:
        """True when ``head`` (the first bytes of ``path``) is this reader's format."""

    def read(self, path: Path) -> Iterator[Record | ReadError]:
        """Yield each record of ``path``; a record that cannot be read is yielded as its error.

        Raise ReadError when the whole file is unusable.
        """


@runtime_checkable
class LibraryReader(Protocol):
    """Reads one bibliography format (a user's library) into Citations, ids kept."""

    name: str
    suffixes: tuple[str, ...]

    def sniff(self, head: bytes, path: Path) -> bool:
        """True when ``head`` (the first bytes of ``path``) is this reader's format."""

    def read(self, path: Path) -> Iterator[Citation | ReadError]:
        """Yield each entry of ``path``; an entry that cannot be read is yielded as its error.

        Raise ReadError when the whole file is unusable.
        """


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
    suffixes: tuple[str, ...]

    def write(self, citations: Sequence[Citation], stream: IO[str]) -> None:
        """Write every citation to ``stream``."""


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


def readers() -> list[Reader]:
    return list(all_plugins(READERS))


def library_readers() -> list[LibraryReader]:
    return list(all_plugins(LIBRARIES))


def enrichers() -> list[Enricher]:
    return list(all_plugins(ENRICHERS))


def exporter(name: str) -> Exporter:
    plugin: Exporter = load(EXPORTERS, name)
    return plugin


def exporter_for(path: str) -> Exporter:
    """The exporter whose suffixes match ``path`` (``refs.bib`` → bibtex)."""
    lowered = path.lower()
    matches = [p for p in all_plugins(EXPORTERS) if lowered.endswith(tuple(p.suffixes))]
    if not matches:
        known = ", ".join(f"{p.name} ({' '.join(p.suffixes)})" for p in all_plugins(EXPORTERS))
        raise PluginNotFoundError(
            f"cannot tell the output format from {path!r}",
            hint=f"give --format or one of these suffixes: {known}",
        )
    found: Exporter = matches[0]
    return found
