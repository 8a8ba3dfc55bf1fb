"""What every ClinicalTrials.gov reader shares: NCT ids, typed access to loose data, Records.

``Fields`` reads values out of parsed JSON or XML without trusting their types: a value of the
wrong type is left out and noted, so one odd field never costs the whole record. Each reader
maps its layout (API v2 JSON, classic JSON, legacy XML) onto one neutral form, ``Study``, and
``to_record`` makes every Record from it the same way: NCT ids, related studies, the
responsible person, links, references and their provenance.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from refkit.errors import ReadError
from refkit.model import Date, Link, Provenance, RawReference, Record, Retraction
from refkit.readers.dates import parse_date

# The API accepts "nct1234" too (S2 in FORMATS.md); the canonical form is NCT + 8 digits.
_NCT = re.compile(r"^\s*NCT0*([1-9]\d{0,7})\s*$", re.IGNORECASE)
_STATUS_WORDS = re.compile(r"[^A-Za-z0-9]+")
# Responsible-party types that name a person ("Sponsor-Investigator" in classic JSON and XML).
_PERSON_PARTIES = frozenset({"PRINCIPAL_INVESTIGATOR", "SPONSOR_INVESTIGATOR"})


def normal_nct(value: str) -> str:
    """``nct123`` → ``NCT00000123``; "" when ``value`` is not an NCT number."""
    match = _NCT.match(value)
    return f"NCT{int(match.group(1)):08d}" if match else ""


def nct_ids(values: Iterable[Any], exclude: str = "") -> tuple[str, ...]:
    """The NCT numbers among ``values``, normalised, once each, ``exclude`` left out."""
    found = (normal_nct(str(v)) for v in values if v)
    return tuple(dict.fromkeys(n for n in found if n and n != exclude))


def normal_status(value: str) -> str:
    """``Active, not recruiting`` → ``ACTIVE_NOT_RECRUITING`` (the API v2 spelling)."""
    return _STATUS_WORDS.sub("_", value.strip()).strip("_").upper()


def names_a_person(party_type: str) -> bool:
    return normal_status(party_type) in _PERSON_PARTIES


class Fields:
    """Typed reads from loose data; each value of the wrong type becomes a warning."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.warnings: list[str] = []

    def _odd(self, name: str, value: Any, wanted: str) -> None:
        self.warnings.append(
            f"{self.where}: {name} is {type(value).__name__}, not {wanted}: left out"
        )

    def obj(self, data: Any, *path: str) -> dict[str, Any]:
        """``data[path[0]][path[1]]...`` when each step is an object, else {}."""
        for depth, key in enumerate(path):
            value = data.get(key) if isinstance(data, dict) else None
            if value is None:
                return {}
            if not isinstance(value, dict):
                self._odd(".".join(path[: depth + 1]), value, "an object")
                return {}
            data = value
        return data if isinstance(data, dict) else {}

    def items(self, data: dict[str, Any], key: str) -> list[Any]:
        value = data.get(key)
        if value is None:
            return []
        if isinstance(value, dict):  # a one-element list, as XML-to-JSON tools write it
            return [value]
        if not isinstance(value, list):
            self._odd(key, value, "a list")
            return []
        return value

    def text(self, data: Any, key: str) -> str:
        value = data.get(key) if isinstance(data, dict) else None
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int):
            self._odd(key, value, "text")
            return ""
        return str(value).strip()

    def texts(self, data: dict[str, Any], key: str) -> tuple[str, ...]:
        found = (self.text({key: item}, key) for item in self.items(data, key))
        return tuple(item for item in found if item)

    def date(self, data: Any, key: str) -> Date | None:
        text = self.text(data, key)
        date = parse_date(text)
        if text and date is None:
            self.warnings.append(f"{self.where}: {key} {text!r} is not a date: left out")
        return date


def reference(
    text: str,
    *,
    path: str,
    nct_id: str,
    section: str,
    position: int,
    ref_type: str = "",
    pmid: str = "",
    retractions: Iterable[Retraction] = (),
) -> RawReference:
    provenance = Provenance(
        path=path, record=nct_id, section=section, position=position, ref_type=ref_type.upper()
    )
    return RawReference(
        text=text, provenance=provenance, pmid=pmid.strip(), retractions=tuple(retractions)
    )


def finish(record: Record, given_id: str, where: str, fields: Fields) -> Record:
    """Check the NCT id, attach the warnings; a fragment without an id keeps its references.

    Raises ReadError for a malformed id, or for no id and nothing else worth reading.
    """
    if given_id and not record.nct_id:
        raise ReadError(
            f"{given_id!r} is not an NCT number (NCT + 8 digits)",
            where=where,
            hint="check the record's identification",
        )
    warnings = [*record.warnings, *fields.warnings]
    if not record.nct_id:
        if not record.references:
            raise ReadError(
                "no NCT id and no references: not a trial record",
                where=where,
                hint="give the full study record",
            )
        count = len(record.references)
        warnings.append(
            f"{where}: no NCT id (a fragment, not a full study record): its {count} "
            f"reference{'s' if count != 1 else ''} kept, no trial entry made"
        )
    return replace(record, warnings=tuple(warnings))


@dataclass(frozen=True, slots=True)
class Cited:
    """One reference as a layout gives it: the citation text and what the record states."""

    text: str
    position: int  # 1-based, within ``section``
    section: str
    pmid: str = ""
    ref_type: str = ""
    retractions: tuple[Retraction, ...] = ()


@dataclass(frozen=True, slots=True)
class Study:
    """What one study says, in the terms every layout shares, its texts already cleaned."""

    given_id: str  # the NCT id as written ("" in a fragment)
    brief_title: str = ""
    official_title: str = ""
    acronym: str = ""
    summary: str = ""
    status: str = ""  # as written: "Active, not recruiting" or ACTIVE_NOT_RECRUITING
    lead_sponsor: str = ""
    collaborators: tuple[str, ...] = ()
    party_type: str = ""  # the responsible party's type; a person's name is kept
    investigator: str = ""
    first_submitted: Date | None = None
    first_posted: Date | None = None
    last_updated: Date | None = None
    last_posted: Date | None = None
    conditions: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()  # org and secondary ids: the NCT numbers among them are related
    expanded_access: str = ""  # the NCT id of the study's expanded-access record
    aliases: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    references: tuple[Cited, ...] = ()


def to_record(study: Study, where: str, fields: Fields, fmt: str) -> Record:
    """The Record of ``study`` read from ``where``. Raises ReadError as ``finish`` does."""
    nct_id = normal_nct(study.given_id)
    record = Record(
        nct_id=nct_id,
        path=where,
        brief_title=study.brief_title,
        official_title=study.official_title,
        acronym=study.acronym,
        summary=study.summary,
        status=normal_status(study.status),
        lead_sponsor=study.lead_sponsor,
        collaborators=study.collaborators,
        investigator=study.investigator if names_a_person(study.party_type) else "",
        first_submitted=study.first_submitted,
        first_posted=study.first_posted,
        last_updated=study.last_updated,
        last_posted=study.last_posted,
        conditions=study.conditions,
        other_ids=tuple(i for i in study.ids if i and not normal_nct(i)),
        related_nct_ids=nct_ids([study.expanded_access, *study.ids], exclude=nct_id),
        aliases=nct_ids(study.aliases, exclude=nct_id),
        links=tuple(link for link in study.links if link.url),
        references=tuple(_raw(cited, where, nct_id) for cited in study.references),
        format=fmt,
    )
    return finish(record, study.given_id, where, fields)


def _raw(cited: Cited, path: str, nct_id: str) -> RawReference:
    return reference(
        cited.text,
        path=path,
        nct_id=nct_id,
        section=cited.section,
        position=cited.position,
        ref_type=cited.ref_type,
        pmid=cited.pmid,
        retractions=(r for r in cited.retractions if r.pmid or r.source),
    )
