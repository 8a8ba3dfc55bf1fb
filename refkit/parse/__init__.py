"""Parse reference strings into citations. ``parse_reference`` never raises."""

from __future__ import annotations

from dataclasses import replace

from refkit.model import SOURCE_PARSED, Citation, Provenance, RawReference
from refkit.parse.general import parse_general
from refkit.parse.identifiers import find_identifiers
from refkit.parse.nlm import CONFIDENT, parse_nlm


def parse_reference(text: str, provenance: Provenance | None = None) -> Citation:
    """A structured citation for ``text``: always returns one, with ``raw`` kept."""
    clean = " ".join(text.split())
    try:
        citation = _parse(clean)
    except Exception as error:  # noqa: BLE001 - a parser bug must not lose the reference
        citation = Citation(confidence=0.0, warnings=(f"parser failed: {error!r}",))
    ids = find_identifiers(clean)
    citation = replace(
        citation,
        raw=text,
        doi=citation.doi or ids.doi,
        pmid=citation.pmid or ids.pmid,
        pmcid=citation.pmcid or ids.pmcid,
        url=citation.url or ids.url,
        isbn=citation.isbn or ids.isbn,
        issn=citation.issn or ids.issn,
        extra=citation.extra + _extra(ids.arxiv, ids.nct),
        provenance=(provenance,) if provenance else (),
    )
    return citation.with_sources(SOURCE_PARSED)


def _parse(text: str) -> Citation:
    """The NLM grammar's reading when it is confident, else the better of the two."""
    nlm = parse_nlm(text)
    if nlm is not None and nlm.confidence >= CONFIDENT:
        return nlm
    general = parse_general(text)
    return nlm if nlm is not None and nlm.confidence > general.confidence else general


def _extra(arxiv: str, nct: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    pairs = [("arXiv", arxiv), ("Trial registration", ", ".join(nct))]
    return tuple((k, v) for k, v in pairs if v)


def parse_raw(ref: RawReference) -> Citation:
    """Parse a record's reference; the identifiers the record states win over the string's."""
    citation = parse_reference(ref.text, ref.provenance)
    if ref.pmid and ref.pmid != citation.pmid:
        warnings = citation.warnings
        if citation.pmid:
            warnings += (
                f"PMID {citation.pmid} in the text, {ref.pmid} in the record: kept the record's",
            )
        citation = replace(citation, pmid=ref.pmid, warnings=warnings)
    return citation
