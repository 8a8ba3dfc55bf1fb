"""The one exception tree of refkit.

Every error refkit raises on purpose is a ``RefkitError``::

    RefkitError
    ├── ConfigError          bad options or environment: nothing was done (exit status 2)
    │   └── PluginNotFoundError   no reader/enricher/exporter of that name (lists the known ones)
    ├── ReadError            a file or record could not be read (the run goes on without it)
    │   └── JsonSyntaxError       invalid or cut JSON in a stream (readers add the file's name)
    ├── EnrichError          a look-up could not be made (the citation is kept as parsed)
    │   └── WaitTooLong           the service asked for a longer pause than a run waits
    └── ExportError          the output could not be written (nothing half-written is left)

Parsing raises nothing: ``parse_reference`` always returns a citation, with warnings naming what
it could not place. A message says where (``records/NCT00962923.txt:References 3``), what went
wrong, and what to do.
"""

from __future__ import annotations


class RefkitError(Exception):
    """Base class of every error refkit raises on purpose."""

    def __init__(self, message: str, *, where: str = "", hint: str = "") -> None:
        self.where = where
        self.hint = hint
        self.message = message
        super().__init__(self.one_line())

    def one_line(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        return f"{text} ({self.hint})" if self.hint else text


class ConfigError(RefkitError):
    """Options or environment are wrong; nothing was read or written."""


class PluginNotFoundError(ConfigError):
    """No plugin of that name or suffix; the message lists the known ones."""


class ReadError(RefkitError):
    """A file or a record in it could not be read.

    ``path`` is the file; ``where`` may add a place in it (``records/page.json:study 3``).
    """

    def __init__(self, message: str, *, where: str = "", hint: str = "", path: str = "") -> None:
        super().__init__(message, where=where, hint=hint)
        self.path = path or where

    @property
    def position(self) -> str:
        """The place within the file (``study 3``, ``line 12``), or ""."""
        prefix = f"{self.path}:"
        return self.where[len(prefix) :] if self.where.startswith(prefix) else ""


class EnrichError(RefkitError):
    """A look-up failed; the citation stays as parsed."""


class ExportError(RefkitError):
    """The output could not be written."""
