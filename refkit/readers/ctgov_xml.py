"""The legacy ClinicalTrials.gov XML, root ``<clinical_study>`` (schema ``public.xsd``).

Parsed with defusedxml: entity declarations (billion laughs, external entities) are refused,
not expanded. The parser honours the file's BOM and declared encoding; a file that declares
none and is not UTF-8 is read as Windows-1252, with a warning. One study per file; a wrapper
root holding several ``<clinical_study>`` children gives each of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from refkit.errors import ReadError
from refkit.model import Link, Record
from refkit.plugins import suffixes
from refkit.readers.decode import (
    binary_error,
    binary_kind,
    clean_block,
    clean_text,
    decode,
    is_fallback,
    sniff_text,
)
from refkit.readers.study import Cited, Fields, Study, to_record

ROOT = "clinical_study"
# Reference elements and the type each one states (a plain <reference> may be background or
# added by the registry: legacy XML does not say which, so it stays untyped).
REFERENCE_TAGS = {"reference": "", "results_reference": "RESULT"}


class CtgovXmlReader:
    """Legacy ``<clinical_study>`` XML."""

    name = "ctgov-xml"

    def sniff(self, head: bytes, path: Path) -> bool:
        text = sniff_text(head).lstrip()
        if not text.startswith("<"):
            return False
        return f"<{ROOT}" in text or path.suffix.lower() in suffixes(self)

    def read(self, path: Path) -> Iterator[Record | ReadError]:
        root, warning = parse_xml(path)
        studies = [root] if root.tag == ROOT else root.findall(ROOT)
        if not studies:
            raise ReadError(
                f"XML with root <{root.tag}>, not a ClinicalTrials.gov <{ROOT}> record",
                where=str(path),
                hint="give the study's XML as ClinicalTrials.gov wrote it",
            )
        for index, study in enumerate(studies, start=1):
            where = str(path) if study is root else f"{path}:study {index}"
            try:
                record = xml_record(study, where)
            except ReadError as error:
                yield error
                continue
            if warning:
                record = _warned(record, f"{path}: {warning}")
            yield record


def parse_xml(path: Path) -> tuple[Element, str]:
    """The root element and a warning about the encoding (or "")."""
    where = str(path)
    data = path.read_bytes()
    kind = binary_kind(data[:4096])
    if kind:
        raise binary_error(kind, where)
    try:
        return SafeET.fromstring(data), ""
    except DefusedXmlException as error:
        raise _entities_error(error, where) from error
    except (LookupError, ValueError) as error:
        # expat knows only a few encodings by name: a declaration it cannot use (a typo such as
        # "U-F-8", or UTF-32) says nothing reliable, so the bytes decide, as for JSON and text.
        return _declared_encoding_ignored(data, where, error)
    except ParseError as error:
        text, warning = _fallback(data, where)
        if not warning:
            raise _xml_error(error, where) from error
        try:
            return SafeET.fromstring(text), warning
        except (ParseError, DefusedXmlException):
            raise _xml_error(error, where) from error


def _declared_encoding_ignored(data: bytes, where: str, error: Exception) -> tuple[Element, str]:
    text, warning = decode(data, where)
    declared = str(error).removeprefix("unknown encoding: ")
    note = f"the declared encoding cannot be used ({declared}): read from the bytes"
    try:
        return SafeET.fromstring(text), f"{note}; {warning}" if warning else note
    except DefusedXmlException as refused:
        raise _entities_error(refused, where) from refused
    except ParseError as broken:
        raise _xml_error(broken, where) from broken


def _fallback(data: bytes, where: str) -> tuple[str, str]:
    """The text in Windows-1252 when the bytes are not UTF-8, else ("", "")."""
    try:
        text, warning = decode(data, where)
    except ReadError:
        return "", ""
    return (text, warning) if is_fallback(warning) else ("", "")


def _entities_error(error: DefusedXmlException, where: str) -> ReadError:
    return ReadError(
        f"XML declares entities ({type(error).__name__}), refused for safety",
        where=where,
        hint="ClinicalTrials.gov records declare none: download the record again",
    )


def _xml_error(error: ParseError, where: str) -> ReadError:
    line, column = error.position
    message = str(error).split(":")[0]
    if message in ("no element found", "unclosed token"):
        return ReadError(
            f"truncated XML: the file ends inside an element (line {line})",
            where=where,
            hint="download the record again",
        )
    return ReadError(
        f"not well-formed XML ({message} at line {line} column {column + 1})",
        where=where,
        hint="download the record again",
    )


def _warned(record: Record, warning: str) -> Record:
    return replace(record, warnings=(warning, *record.warnings))


def _text(study: Element, path: str) -> str:
    element = study.find(path)
    return "" if element is None else clean_text("".join(element.itertext()))


def _texts(study: Element, path: str) -> tuple[str, ...]:
    found = (clean_text("".join(e.itertext())) for e in study.findall(path))
    return tuple(t for t in found if t)


def xml_record(study: Element, where: str) -> Record:
    """One ``<clinical_study>`` element → Record. Raises ReadError for a bad NCT id."""
    f = Fields(where)
    return to_record(_study(f, study), where, f, "ctgov-xml")


def _study(f: Fields, study: Element) -> Study:
    """A ``<clinical_study>`` in the neutral form; dates in the registry's older words too."""
    summary = study.find("brief_summary/textblock")
    dates = {
        key: _text(study, key)
        for key in (
            "study_first_submitted",
            "firstreceived_date",
            "study_first_posted",
            "last_update_submitted",
            "lastchanged_date",
            "last_update_posted",
        )
    }
    return Study(
        given_id=_text(study, "id_info/nct_id"),
        brief_title=_text(study, "brief_title"),
        official_title=_text(study, "official_title"),
        acronym=_text(study, "acronym"),
        summary=clean_block("".join(summary.itertext())) if summary is not None else "",
        status=_text(study, "overall_status"),
        lead_sponsor=_text(study, "sponsors/lead_sponsor/agency") or _text(study, "source"),
        collaborators=_texts(study, "sponsors/collaborator/agency"),
        party_type=_text(study, "responsible_party/responsible_party_type"),
        investigator=_text(study, "responsible_party/investigator_full_name"),
        first_submitted=f.date(dates, "study_first_submitted")
        or f.date(dates, "firstreceived_date"),
        first_posted=f.date(dates, "study_first_posted"),
        last_updated=f.date(dates, "last_update_submitted") or f.date(dates, "lastchanged_date"),
        last_posted=f.date(dates, "last_update_posted"),
        conditions=_texts(study, "condition"),
        ids=_texts(study, "id_info/org_study_id") + _texts(study, "id_info/secondary_id"),
        aliases=_texts(study, "id_info/nct_alias"),
        links=tuple(
            Link(_text(link, "description"), _text(link, "url")) for link in study.findall("link")
        ),
        references=_references(study),
    )


def _references(study: Element) -> tuple[Cited, ...]:
    counts = dict.fromkeys(REFERENCE_TAGS, 0)
    out = []
    for element in study:
        if element.tag not in REFERENCE_TAGS:
            continue
        counts[element.tag] += 1
        out.append(
            Cited(
                _text(element, "citation"),
                position=counts[element.tag],
                section=element.tag,
                pmid=_text(element, "PMID"),
                ref_type=REFERENCE_TAGS[element.tag],
            )
        )
    return tuple(out)
