"""ClinicalTrials.gov API v2 JSON: one study, a ``{"studies": [...]}`` page, an array of
studies (the website's *Download → JSON*), or JSON Lines. Streams: one study in memory at a time.

Claimed by content: JSON whose first bytes show ``"protocolSection"`` or ``"studies"``; also
any JSON object in a ``.json``/``.jsonl`` file (a study download that went wrong is named, not
skipped). Arrays of other things (a CSL-JSON library) and the classic API's
``FullStudiesResponse`` are left to their own readers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from refkit.errors import ReadError
from refkit.model import Link, Record, Retraction
from refkit.plugins import suffixes
from refkit.readers.decode import clean_block, clean_text, open_text, sniff_text
from refkit.readers.jsonstream import NESTED, TOP, JsonSyntaxError, values
from refkit.readers.study import Cited, Fields, Study, to_record

_STUDY_KEY = re.compile(r'"(?:protocolSection|studies)"\s*:')
_OTHER_API = re.compile(r'"(?:FullStudiesResponse|StudyFieldsResponse)"\s*:')
_LINES_SUFFIXES = (".jsonl", ".ndjson")
SECTION = "references"
DOWNLOAD_AGAIN = "download the record again"


class CtgovJsonReader:
    """API v2 JSON, in every shape the API and the website hand out."""

    name = "ctgov-json"

    def sniff(self, head: bytes, path: Path) -> bool:
        text = sniff_text(head).lstrip()
        if not text.startswith(("{", "[")) or _OTHER_API.search(text):
            return False
        if _STUDY_KEY.search(text):
            return True
        return text.startswith("{") and path.suffix.lower() in suffixes(self)

    def read(self, path: Path) -> Iterator[Record | ReadError]:
        stream, warning = open_text(path)
        many = path.suffix.lower() in _LINES_SUFFIXES
        count = 0
        with stream:
            try:
                for container, position, value in values(stream):
                    many = many or container != TOP or position > 1
                    where = f"{path}:study {position}" if many else str(path)
                    for item in studies_in(value, where, self.name):
                        count += 1
                        yield _warn(item, f"{path}: {warning}") if warning else item
            except JsonSyntaxError as error:
                raise json_error(error, str(path)) from error
            except UnicodeDecodeError as error:
                raise ReadError(
                    f"cannot decode ({error.reason})", where=str(path), hint="save it as UTF-8"
                ) from error
        if count == 0:
            raise ReadError("holds no studies", where=str(path), hint="download the studies again")


def json_error(error: JsonSyntaxError, where: str) -> ReadError:
    if error.truncated:
        return ReadError(
            f"truncated JSON: the file ends inside a value (line {error.line})",
            where=where,
            hint="download the record again",
        )
    if error.msg == NESTED:
        return ReadError(
            f"JSON nested too deeply to be a study (line {error.line} column {error.column})",
            where=where,
            hint="give the study as the API or the website's JSON download has it",
        )
    return ReadError(
        f"not valid JSON ({error.msg} at line {error.line} column {error.column})",
        where=where,
        hint="download the record again",
    )


def _warn(item: Record | ReadError, warning: str) -> Record | ReadError:
    if isinstance(item, ReadError):
        return item
    return replace(item, warnings=(warning, *item.warnings))


def studies_in(value: Any, where: str, fmt: str) -> Iterator[Record | ReadError]:
    """The studies a decoded JSON value holds: a study, or a page read whole."""
    if isinstance(value, dict) and "protocolSection" not in value and "studies" in value:
        studies = value["studies"]
        if not isinstance(studies, list):
            yield ReadError(
                f"'studies' is {_kind(studies)}, not a list", where=where, hint=DOWNLOAD_AGAIN
            )
            return
        for index, study in enumerate(studies, start=1):
            yield _record_or_error(study, f"{where}:study {index}", fmt)
        return
    yield _record_or_error(value, where, fmt)


def _record_or_error(study: Any, where: str, fmt: str) -> Record | ReadError:
    try:
        return study_record(study, where, fmt)
    except ReadError as error:
        return error


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return "text" if isinstance(value, str) else type(value).__name__


def study_record(study: Any, where: str, fmt: str = "ctgov-json") -> Record:
    """One API v2 study object → Record. Raises ReadError when it is not a study."""
    if not isinstance(study, dict) or "protocolSection" not in study:
        keys = ", ".join(list(study)[:5]) if isinstance(study, dict) else _kind(study)
        raise ReadError(
            f"JSON but not a ClinicalTrials.gov study (no protocolSection; found {keys})",
            where=where,
            hint="give the study as the API or the website's JSON download has it",
        )
    protocol = study["protocolSection"]
    if not isinstance(protocol, dict):
        raise ReadError(
            f"protocolSection is {_kind(protocol)}, not an object", where=where, hint=DOWNLOAD_AGAIN
        )
    f = Fields(where)
    return to_record(_study(f, protocol), where, f, fmt)


def _study(f: Fields, protocol: dict[str, Any]) -> Study:
    """An API v2 ``protocolSection`` in the neutral form (titles and citations in Markdown)."""
    ident = f.obj(protocol, "identificationModule")
    status = f.obj(protocol, "statusModule")
    sponsors = f.obj(protocol, "sponsorCollaboratorsModule")
    refs = f.obj(protocol, "referencesModule")
    ids = [f.text(f.obj(ident, "orgStudyIdInfo"), "id")]
    ids += [f.text(info, "id") for info in f.items(ident, "secondaryIdInfos")]
    return Study(
        given_id=f.text(ident, "nctId"),
        brief_title=clean_text(f.text(ident, "briefTitle"), markdown=True),
        official_title=clean_text(f.text(ident, "officialTitle"), markdown=True),
        acronym=clean_text(f.text(ident, "acronym"), markdown=True),
        summary=clean_block(
            f.text(f.obj(protocol, "descriptionModule"), "briefSummary"), markdown=True
        ),
        status=f.text(status, "overallStatus"),
        lead_sponsor=clean_text(
            f.text(f.obj(sponsors, "leadSponsor"), "name")
            or f.text(f.obj(ident, "organization"), "fullName")
        ),
        collaborators=tuple(
            name
            for name in (clean_text(f.text(c, "name")) for c in f.items(sponsors, "collaborators"))
            if name
        ),
        # (read in the order the fields stand, so that warnings about them do too)
        party_type=f.text(party := f.obj(sponsors, "responsibleParty"), "type"),
        investigator=clean_text(f.text(party, "investigatorFullName")),
        first_submitted=f.date(status, "studyFirstSubmitDate"),
        first_posted=f.date(f.obj(status, "studyFirstPostDateStruct"), "date"),
        last_updated=f.date(status, "lastUpdateSubmitDate"),
        last_posted=f.date(f.obj(status, "lastUpdatePostDateStruct"), "date"),
        conditions=tuple(
            clean_text(c) for c in f.texts(f.obj(protocol, "conditionsModule"), "conditions")
        ),
        ids=tuple(ids),
        expanded_access=f.text(f.obj(status, "expandedAccessInfo"), "nctId"),
        aliases=f.texts(ident, "nctIdAliases"),
        links=_links(f, refs),
        references=_references(f, refs),
    )


def _links(f: Fields, module: dict[str, Any]) -> tuple[Link, ...]:
    links = [
        Link(clean_text(f.text(item, "label"), markdown=True), f.text(item, "url"))
        for item in f.items(module, "seeAlsoLinks")
    ]
    for item in f.items(module, "availIpds"):
        label = " ".join(p for p in (f.text(item, "type"), f.text(item, "id")) if p)
        links.append(Link(clean_text(label or f.text(item, "comment")), f.text(item, "url")))
    return tuple(links)


def _references(f: Fields, module: dict[str, Any]) -> tuple[Cited, ...]:
    out = []
    for index, item in enumerate(f.items(module, "references"), start=1):
        if isinstance(item, str):  # a bare citation string: keep it
            item = {"citation": item}
        if not isinstance(item, dict):
            f.warnings.append(f"{f.where}: references[{index}] is {_kind(item)}, not an object")
            item = {}
        retractions = tuple(
            Retraction(f.text(r, "pmid"), clean_text(f.text(r, "source")))
            for r in f.items(item, "retractions")
        )
        out.append(
            Cited(
                clean_text(f.text(item, "citation"), markdown=True),
                position=index,
                section=SECTION,
                pmid=f.text(item, "pmid"),
                ref_type=f.text(item, "type"),
                retractions=retractions,
            )
        )
    return tuple(out)
