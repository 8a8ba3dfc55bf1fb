"""refkit's version, read from the installed package's metadata: one place for the command's
``--version`` and the User-Agent every HTTP request carries."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    VERSION = version("refkit")
except PackageNotFoundError:  # running from a source tree that was never installed
    VERSION = "0.0.0"
