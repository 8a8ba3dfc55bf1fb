"""refkit: turn folders of clinical-trial records into a clean bibliography.

The library API, stage by stage::

    from refkit import read_records, parse_reference, dedupe, build
    report = build(["records/"], "refs.bib", offline=True)
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("refkit")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

from refkit.dedupe import dedupe
from refkit.errors import RefkitError
from refkit.model import Citation, Date, Name, Provenance, RawReference, Record
from refkit.parse import parse_reference
from refkit.pipeline import Report, build
from refkit.readers import read_records

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
    "parse_reference",
    "read_records",
]
