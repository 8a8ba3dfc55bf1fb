"""refkit: turn folders of clinical-trial records into a clean bibliography.

The library API, stage by stage::

    from refkit import read_records, parse_reference, dedupe, build
    report = build(["records/"], "refs.bib", offline=True)
    citations = [c for c in read_library(["my.bib"]) if isinstance(c, Citation)]
    export(citations, "my.json")
"""

from refkit.commands import build
from refkit.dedupe import dedupe
from refkit.errors import RefkitError
from refkit.exporters import export
from refkit.model import Citation, Date, Name, Provenance, RawReference, Record
from refkit.parse import parse_reference
from refkit.readers import read_records
from refkit.readers.library import read_library
from refkit.report import Report
from refkit.version import VERSION as __version__

__all__ = [
    "Citation",
    "Date",
    "Name",
    "Provenance",
    "RawReference",
    "Record",
    "RefkitError",
    "Report",
    "__version__",
    "build",
    "dedupe",
    "export",
    "parse_reference",
    "read_library",
    "read_records",
]
