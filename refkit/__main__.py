"""``python -m refkit`` is the ``refkit`` command."""

from refkit.cli import main

main()
