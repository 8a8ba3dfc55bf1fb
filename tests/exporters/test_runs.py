"""Every exporter that writes in runs writes the same file whatever the cut into runs: the
runs can be rendered by other processes (``exporters.write`` with jobs) and put together."""

from __future__ import annotations

import io
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from roundtrip import citations

from refkit import plugins, spread
from refkit.exporters import write
from refkit.exporters.keys import assign_keys
from refkit.model import Citation
from refkit.plugins import RunExporter

RUN_EXPORTERS = plugins.names(plugins.EXPORTERS)  # refkit's own all write in runs


def written(exporter: plugins.Exporter, items: list[Citation]) -> str:
    stream = io.StringIO()
    exporter.write(items, stream)
    return stream.getvalue()


@pytest.mark.parametrize("name", RUN_EXPORTERS)
@settings(max_examples=25, deadline=None)
@given(items=st.lists(citations, max_size=7), cuts=st.lists(st.integers(0, 7), max_size=4))
def test_any_cut_into_runs_writes_the_same_file(
    name: str, items: list[Citation], cuts: list[int]
) -> None:
    exporter = plugins.load(plugins.EXPORTERS, name)
    assert isinstance(exporter, RunExporter)
    keyed = assign_keys(items)
    bounds = sorted({0, len(keyed), *(c for c in cuts if c < len(keyed))})
    runs = [keyed[a:b] for a, b in pairwise(bounds)]
    stream = io.StringIO()
    exporter.assemble((exporter.render(run) for run in runs), stream)
    assert stream.getvalue() == written(exporter, keyed)


@pytest.mark.parametrize("name", RUN_EXPORTERS)
def test_two_processes_write_what_one_writes(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spread, "BATCH", 3)  # runs of 3, handed to the processes in turn
    items = assign_keys(
        Citation(type="article-journal", title=f"Work {n} on «é» & {{x}}", page=f"{n}-{n + 9}")
        for n in range(20)
    )
    exporter = plugins.load(plugins.EXPORTERS, name)
    stream = io.StringIO()
    write(exporter, items, stream, jobs=2)
    assert stream.getvalue() == written(exporter, items)
    assert stream.getvalue().count("Work 1") == 11  # 1 and 10-19: every entry written once
