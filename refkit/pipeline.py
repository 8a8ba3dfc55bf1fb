"""``build``: read → extract → parse → enrich → dedupe → export, and the Report of what happened.

This module wires the stages and counts; each stage lives in its own package, the Report in
``refkit.report``.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import IO

from refkit import plugins
from refkit.atomic import check_output, open_output
from refkit.collect import Collected
from refkit.dedupe import dedupe
from refkit.dedupe.against import find_known
from refkit.errors import ExportError, ReadError
from refkit.extract import pmid_only, references, trial_citation, with_retractions
from refkit.jobs import Parsed, read_parsed
from refkit.keyed import Keyed
from refkit.model import Citation, RawReference, Record
from refkit.parse import parse_raw
from refkit.plugins import Enrichment, EnrichOptions
from refkit.readers import Skipped
from refkit.readers.library import read_library
from refkit.report import Problem, Progress, Report

# A reference needs two letters in a row to name anything ("42" or "--" does not).
_USABLE = re.compile(r"[^\W\d_]{2}")
# The longest reference in the registry's records is ~800 characters, the longest labelled one
# ~500; a consortium's author list can run to a few thousand. Beyond this, a "reference" is a
# pasted document or a broken file, and parsing and encoding it would only cost time.
MAX_REFERENCE = 10_000


def build(
    paths: Iterable[str | Path],
    output: str,
    *,
    fmt: str | None = None,
    offline: bool = False,
    dedupe_references: bool = True,
    report_path: str | None = None,
    progress: Progress | None = None,
    against: Sequence[str | Path] = (),
    enrich_options: EnrichOptions | None = None,
    jobs: int = 1,
) -> Report:
    """Turn every trial record under ``paths`` into a bibliography at ``output``.

    ``paths`` may also hold bibliographies (``.bib``, CSL-JSON, ``.ris``): their entries join
    the references. References that the ``against`` libraries already hold are left out and
    listed in ``Report.known``. ``jobs`` processes read and parse (the output is the same).
    ``progress(records, references, stage)`` is told of each record read and each stage begun.

    Raises ConfigError (nothing written) for a bad format or output place; every problem with
    an input is counted in the returned Report and the run goes on.
    """
    exporter = plugins.exporter(fmt, output=output)
    for target in (output, report_path or "-"):
        check_output(target)  # a wrong place fails now, not after the whole run
    report = Report(output=output, format=exporter.name)
    with _few_collections():
        collected = _collect(paths, report, progress, fold=dedupe_references, jobs=jobs)
        _begin(progress, "enrich")
        citations = collected.citations if offline else _enrich(collected, report, enrich_options)
        if dedupe_references:
            _begin(progress, "dedupe")
        citations = _dedupe(citations, collected, report, enabled=dedupe_references)
        trials = collected.trials
        del collected  # what is still needed lives on in the deduplicated citations
        if against:
            citations = _leave_out_known(citations, trials, against, report)
        if report.records_read == 0 and report.library_entries == 0 and not report.problems:
            where = ", ".join(map(str, paths))
            message = f"{where}: no trial records found (give the folder of downloaded records)"
            report.problems.append(Problem(where, message, where, "", "no trial records found"))
        if report.records_read == 0 and report.library_entries == 0:
            return report  # inputs that read as nothing never replace an existing output
        # Both or neither: the report is written out before the output is renamed into place, and a
        # failure of either removes both temp files.
        _begin(progress, "export")
        with _optional_output(report_path) as report_stream, open_output(output) as stream:
            with report.timing("export"):
                exporter.write(Keyed(citations, keep_given=True), stream)
            if report_stream is not None:
                _dump(report, report_stream, str(report_path))
    return report


def _begin(progress: Progress | None, stage: str) -> None:
    if progress:
        progress(0, 0, stage)


@contextmanager
def _few_collections() -> Iterator[None]:
    """Collect cyclic garbage less often while a build runs.

    A build makes millions of small values (citations, names, tuples) and no reference cycles;
    at the collector's default pace (every 700 allocations) a 10,000-record build spent ~15 %
    of its time walking them. What existed before the build (modules, tables) is set aside
    (``gc.freeze``) so that no collection walks it again.
    """
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(50_000, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def _dump(report: Report, stream: IO[str], where: str) -> None:
    try:
        report.dump(stream)
    except OSError as error:  # named here: the output's stream would claim it as its own
        raise ExportError(f"cannot write ({error.strerror})", where=where) from error


@contextmanager
def _optional_output(target: str | None) -> Iterator[IO[str] | None]:
    if target is None:
        yield None
        return
    with open_output(target) as stream:
        yield stream


def _records(
    paths: Iterable[str | Path], report: Report, jobs: int
) -> Iterator[tuple[Record | Citation, Parsed | None]]:
    """Records and library entries in order; with ``jobs`` > 1 each record comes with its
    references parsed by the worker processes, and "read" times the wait for them."""
    stream = read_parsed(paths, jobs, parse_usable)
    while True:
        with report.timing("read"):
            item, parsed = next(stream, (None, None))
        if item is None:
            return
        if isinstance(item, Record | Citation):
            yield item, parsed
        elif isinstance(item, Skipped):
            report.files_skipped += 1
            report.skipped.append(Problem(item.path, item.reason))
        elif isinstance(item, ReadError):
            report.records_rejected += 1
            report.problems.append(Problem.of(item))


def _collect(
    paths: Iterable[str | Path],
    report: Report,
    progress: Progress | None,
    *,
    fold: bool,
    jobs: int = 1,
) -> Collected:
    collected = Collected(fold=fold)
    for record, parsed in _records(paths, report, jobs):
        if isinstance(record, Citation):  # an entry of a bibliography given as input
            report.library_entries += 1
            report.references_found += 1
            collected.add(record)
            continue
        report.records_read += 1
        report.warnings.extend(record.warnings)
        with report.timing("extract"):
            raws = references(record)
        report.references_found += len(raws)
        _add_trial(record, collected, report)
        tags = (record.nct_id,) if record.nct_id else ()  # one tuple for all its references
        with report.timing("parse"):
            for number, raw in enumerate(raws):
                problem = _unusable(raw)
                if problem and raw.pmid.strip().isdigit():  # the PMID names the work: kept
                    report.references_pmid_only += 1
                    text = raw.text if len(raw.text) <= MAX_REFERENCE else ""
                    citation, retracted = with_retractions(pmid_only(raw, text), raw)
                    report.retracted.extend(retracted)
                    collected.add_pmid_only(replace(citation, cited_by=tags), raw)
                    continue
                if problem:
                    report.references_rejected += 1
                    report.problems.append(problem)
                    continue
                same = collected.same_as(raw)
                if same is not None:  # a copy of an earlier string: parsed and held once
                    collected.add_copy(same, raw, tags)
                    report.retracted.extend(with_retractions(collected.citations[same], raw)[1])
                    continue
                done = parsed[number] if parsed else None
                citation, retracted = with_retractions(
                    parse_raw(raw) if done is None else done, raw
                )
                report.retracted.extend(retracted)
                author, venue = collected.shared(citation)
                cited = replace(citation, cited_by=tags, author=author, container_title=venue)
                collected.add(cited, raw=raw)
        if progress:
            progress(1, len(raws), "read")
    return collected


def _add_trial(record: Record, collected: Collected, report: Report) -> None:
    """The trial's own entry, once per NCT id; a fragment of a record (no id) makes none."""
    if not record.nct_id:
        return
    first = collected.trials.get(record.nct_id)
    if first is not None:
        report.records_duplicate += 1
        report.warnings.append(
            f"{record.path}: {record.nct_id} again (first read from {first}): "
            "one trial entry kept, the same references merged"
        )
        return
    collected.trials[record.nct_id] = record.path
    collected.add(trial_citation(record), trial=True)


def _unusable(raw: RawReference) -> Problem | None:
    """Why a reference string cannot be a citation, as a Problem; None when it can."""
    if len(raw.text) > MAX_REFERENCE:
        reason = (
            f"{len(raw.text):,} characters, longer than any reference ({MAX_REFERENCE:,} at most)"
        )
        return Problem.of_reference(raw, reason, "left out: check this line of the record")
    if not _USABLE.search(raw.text):
        shown = f" ({raw.text!r})" if raw.text.strip() else ""
        return Problem.of_reference(raw, f"no usable text{shown}", "left out")
    return None


def parse_usable(raw: RawReference) -> Citation | None:
    """The reference parsed, or None when it is unusable (for the worker processes)."""
    return None if _unusable(raw) else parse_raw(raw)


def enrich(citations: Sequence[Citation], options: EnrichOptions | None = None) -> Enrichment:
    """Run every installed enricher over ``citations`` in turn; the counts add up."""
    result = Enrichment(list(citations))
    # PubMed (order 10) first: the DOI it gives is what Crossref (20) is asked with.
    for enricher in sorted(plugins.enrichers(), key=lambda e: getattr(e, "order", 100)):
        step = enricher.enrich(result.citations, options or EnrichOptions())
        result.citations = step.citations
        for key, value in step.counts.items():
            result.counts[key] = result.counts.get(key, 0) + value
        result.warnings += step.warnings
        result.retracted += step.retracted
    return result


def _enrich(collected: Collected, report: Report, options: EnrichOptions | None) -> list[Citation]:
    with report.timing("enrich"):
        result = enrich(collected.citations, options)
    report.enrichment = result.counts
    report.warnings.extend(result.warnings)
    report.retracted += result.retracted
    return result.citations


def _dedupe(
    citations: list[Citation], collected: Collected, report: Report, *, enabled: bool
) -> list[Citation]:
    is_trial = collected.is_trial
    with report.timing("dedupe"):
        result = dedupe(citations, counts=collected.counts()) if enabled else None
    if result is None:
        report.trials_written = sum(is_trial)
        report.references_written = len(citations) - report.trials_written
        return citations
    kept = [
        collected.restore(members, merged)
        for merged, members in zip(result.citations, result.clusters, strict=True)
    ]
    references = [sum(collected.count(i) for i in m if not is_trial[i]) for m in result.clusters]
    trials = [any(is_trial[i] for i in members) for members in result.clusters]
    report.references_merged = sum(
        count - (0 if trial else 1) for count, trial in zip(references, trials, strict=True)
    )
    report.duplicates = [
        {"title": merged.title, "references": count + trial, "cited_by": list(merged.cited_by)}
        for merged, count, trial in zip(kept, references, trials, strict=True)
        if count + trial > 1
    ]
    report.trials_written = sum(trials)
    report.references_written = len(kept) - report.trials_written
    return kept


def _leave_out_known(
    citations: list[Citation],
    trials: Collection[str],
    against: Sequence[str | Path],
    report: Report,
) -> list[Citation]:
    """Drop the references the user's libraries already hold; list each in the report."""
    library: list[Citation] = []
    for item in read_library(against):
        if isinstance(item, Citation):
            library.append(item)
        elif isinstance(item, ReadError):
            report.problems.append(Problem.of(item))
        else:
            message = f"{item.path}: {item.reason}"
            report.problems.append(Problem(item.path, message, item.path, "", item.reason))
    references = [i for i, c in enumerate(citations) if c.id not in trials]
    known = find_known([citations[i] for i in references], library)
    for position, entry in sorted(known.items()):
        citation = citations[references[position]]
        where = citation.provenance[0].where() if citation.provenance else citation.title
        report.known.append(Problem(where, f"already in the library as {entry.id or entry.title}"))
    report.references_known = len(known)
    report.references_written -= len(known)
    dropped = {references[position] for position in known}
    return [c for i, c in enumerate(citations) if i not in dropped]
