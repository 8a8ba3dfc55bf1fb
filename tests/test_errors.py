"""Every exception refkit defines belongs to the one tree, and the tree's docstring names each."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import refkit
from refkit import errors


def refkit_exceptions() -> dict[str, type[BaseException]]:
    found: dict[str, type[BaseException]] = {}
    for module in pkgutil.walk_packages(refkit.__path__, "refkit."):
        if module.name.endswith("__main__"):
            continue
        loaded = importlib.import_module(module.name)
        for name, value in vars(loaded).items():
            if (
                inspect.isclass(value)
                and issubclass(value, BaseException)
                and value.__module__.startswith("refkit")
            ):
                found[name] = value
    return found


def test_every_exception_refkit_defines_is_a_refkit_error() -> None:
    outside = [n for n, c in refkit_exceptions().items() if not issubclass(c, errors.RefkitError)]
    assert not outside


def test_the_tree_in_the_docstring_names_every_exception() -> None:
    doc = errors.__doc__ or ""
    public = [name for name in refkit_exceptions() if not name.startswith("_")]
    assert [name for name in public if name not in doc] == []
    assert "ParseError" not in doc  # parsing raises nothing
