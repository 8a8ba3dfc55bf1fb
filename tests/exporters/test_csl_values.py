"""Whatever values a CSL-JSON item holds (dates out of range, empty or odd names, pages of any
shape, numbers where text is due), reading it and writing it in every format gives a clear
error or valid output, never a traceback."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path
from typing import Any

from bibtexparser.entrypoint import parse_string
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from refkit import plugins
from refkit.errors import RefkitError
from refkit.exporters.keys import ensure_keys
from refkit.model import CSL_TYPES, Citation
from refkit.readers.library import read_library

text = st.text(st.characters(blacklist_categories=("Cs", "Cn")), max_size=20)
scalar = st.one_of(text, st.integers(-(10**6), 10**6), st.none(), st.booleans())
date_parts = st.lists(st.lists(st.one_of(st.integers(-(10**5), 10**5), text), max_size=4))
dates = st.fixed_dictionaries(
    {},
    optional={"date-parts": date_parts, "season": scalar, "raw": text, "literal": text},
)
names = st.fixed_dictionaries(
    {},
    optional={k: scalar for k in ("family", "given", "literal", "suffix", "dropping-particle")},
)
items = st.fixed_dictionaries(
    {"id": st.one_of(text, st.integers())},
    optional={
        "type": st.one_of(st.sampled_from(sorted(CSL_TYPES)), text),
        "title": scalar,
        "author": st.lists(names, max_size=3),
        "editor": st.lists(names, max_size=2),
        "issued": dates,
        "submitted": dates,
        "page": scalar,
        "volume": scalar,
        "issue": scalar,
        "DOI": scalar,
        "PMID": scalar,
        "note": scalar,
        "keyword": scalar,
    },
)


def read_and_write(item: dict[str, Any]) -> dict[str, str]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "library.json")
        path.write_text(json.dumps([item]), encoding="utf-8")
        read = list(read_library([path]))
    citations = [c for c in read if isinstance(c, Citation)]
    assert len(read) == 1 and (citations or isinstance(read[0], RefkitError))
    outputs = {}
    for name in plugins.names(plugins.EXPORTERS):
        stream = io.StringIO()
        plugins.exporter(name).write(ensure_keys(citations), stream)
        outputs[name] = stream.getvalue()
    return outputs


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(item=items)
@example(item={"id": "a", "type": "book", "issued": {"date-parts": [[2020, 13, 40]]}})
@example(item={"id": "a", "type": "book", "issued": {"date-parts": [[2020, 2, 0]]}})
@example(item={"id": "a", "type": "software-package", "author": [{}]})
def test_any_csl_values_give_valid_output_in_every_format(item: dict[str, Any]) -> None:
    outputs = read_and_write(item)
    json.loads(outputs["csl-json"])
    for name in ("bibtex", "biblatex"):
        library = parse_string(outputs[name])
        assert not library.failed_blocks
