"""The commands: ``build``, ``convert``, ``dedupe_files`` and ``enrich_files``.

Each reads its inputs into one collection, runs its stages over it in order (each timed in the
one ``Report``), and writes the bibliography and the report together, both or neither. When no
input read as anything, nothing is written: a failed download or a file in the wrong encoding
never replaces the bibliography a previous run wrote. The stages live in their own packages;
this module wires them and counts.
"""

from __future__ import annotations

import gc
import json
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO

from refkit import plugins
from refkit.atomic import check_output, open_output
from refkit.collect import Collected, Written
from refkit.compare import DEFAULT_THRESHOLD
from refkit.dedupe import cluster, dedupe
from refkit.dedupe.against import find_known
from refkit.dedupe.explain import explanation
from refkit.enrich import enrich
from refkit.errors import ConfigError, ExportError, ReadError
from refkit.exporters import write
from refkit.extract import pmid_only, references, trial_citation, with_retractions
from refkit.jobs import Parsed, read_parsed
from refkit.keyed import Keyed
from refkit.model import Citation, RawReference, Record, replaced
from refkit.parse import parse_raw
from refkit.plugins import EnrichOptions, Exporter
from refkit.readers import Skipped
from refkit.readers.decode import is_fallback
from refkit.readers.library import read_library
from refkit.report import Problem, Progress, Report
from refkit.views import Picked

# A reference needs two letters in a row to name anything ("42" or "--" does not).
_USABLE = re.compile(r"[^\W\d_]{2}")
# The longest reference in the registry's records is ~800 characters, the longest labelled one
# ~500; a consortium's author list can run to a few thousand. Beyond this, a "reference" is a
# pasted document or a broken file, and parsing and encoding it would only cost time.
MAX_REFERENCE = 10_000


@dataclass
class Run:
    """One command's collection as it passes through the stages, and the report of it."""

    report: Report
    citations: Sequence[Citation] = ()
    collected: Collected = field(default_factory=Collected)  # build: each string held once
    trials: Collection[str] = ()  # build: the NCT ids of the trials read
    # More outputs written with the bibliography, both or neither: path → what writes it.
    outputs: dict[str, Callable[[IO[str]], None]] = field(default_factory=dict)


Stage = Callable[[Run], None]


def run(
    command: str,
    stages: Sequence[Stage],
    output: str,
    *,
    fmt: str | None = None,
    report_path: str | None = None,
    more_outputs: Sequence[str] = (),
    jobs: int = 1,
) -> Report:
    """Run ``stages`` in order over one collection and write what it holds to ``output``
    (``jobs`` processes render it, when the format is written in runs).

    Raises ConfigError (nothing written) for a bad format or output place, before any stage.
    """
    exporter = plugins.exporter(fmt, output=output)
    for target in (output, report_path or "-", *more_outputs):
        check_output(target)  # a wrong place fails now, not after the whole run
    current = Run(Report(command=command, output=output, format=exporter.name))
    with _few_collections():
        for stage in stages:
            stage(current)
        if current.report.records_read or current.report.library_entries:
            _write(current, exporter, output, report_path, jobs)
        # else: inputs that read as nothing never replace an existing output
    return current.report


def _write(
    current: Run, exporter: Exporter, output: str, report_path: str | None, jobs: int
) -> None:
    """The bibliography, the report and any more outputs: all written or none (each is a temp
    file until every one of them has been written)."""
    report = current.report
    keyed = Keyed(current.citations, keep_given=True, jobs=jobs)
    if report.command != "build":
        report.renamed = keyed.renamed()
    with ExitStack() as stack:
        for target, write_more in current.outputs.items():
            write_more(stack.enter_context(open_output(target)))
        report_stream = stack.enter_context(_optional_output(report_path))
        stream = stack.enter_context(open_output(output))
        with report.timing("export"):
            write(exporter, keyed, stream, jobs=jobs)
        report.written = True
        if report_stream is not None:
            _dump(report, report_stream, str(report_path))


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
    listed in ``Report.known``. ``jobs`` processes read, parse and write (the output is the
    same).
    ``progress(records, references, stage)`` is told of each record read and each stage begun.

    Raises ConfigError (nothing written) for a bad format or output place; every problem with
    an input is counted in the returned Report and the run goes on.
    """
    stages: list[Stage] = [
        partial(_collect_stage, paths, progress, dedupe_references, jobs),
        partial(_begin_stage, progress, "enrich"),
    ]
    if not offline:
        stages.append(partial(_enrich_library, enrich_options))
    stages.append(partial(_dedupe_stage, dedupe_references, progress, jobs))
    if against:
        stages.append(partial(_against_stage, against))
    stages += [partial(_found_any, paths), partial(_begin_stage, progress, "export")]
    return run("build", stages, output, fmt=fmt, report_path=report_path, jobs=jobs)


def convert(
    paths: Iterable[str | Path],
    output: str,
    *,
    fmt: str | None = None,
    report_path: str | None = None,
) -> Report:
    """Every entry of the libraries under ``paths``, in ``output``'s format, keys kept (an
    entry without a usable key gets one, listed in ``Report.renamed``).

    Raises ConfigError (nothing written) for an unknown format or output place.
    """
    stages: list[Stage] = [partial(_read_libraries, paths), _as_read]
    return run("convert", stages, output, fmt=fmt, report_path=report_path)


def dedupe_files(
    paths: Iterable[str | Path],
    output: str,
    *,
    fmt: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    explain: str | None = None,
    report_path: str | None = None,
) -> Report:
    """Read every library under ``paths``, merge the same works, write them to ``output``
    (and, with ``explain``, which inputs each output item holds and why).

    Raises ConfigError (nothing written) for a bad format or threshold; an unreadable file or
    entry is named in the report and the others go through.
    """
    if not 0.0 < threshold <= 1.0:
        raise ConfigError(f"threshold {threshold} is outside (0, 1]", hint="try 0.5 to 0.99")
    stages: list[Stage] = [
        partial(_read_libraries, paths),
        partial(_dedupe_library, threshold, explain),
    ]
    more = (explain,) if explain else ()
    return run("dedupe", stages, output, fmt=fmt, report_path=report_path, more_outputs=more)


def enrich_files(
    paths: Iterable[str | Path],
    output: str,
    *,
    fmt: str | None = None,
    options: EnrichOptions | None = None,
    offline: bool = False,
    report_path: str | None = None,
) -> Report:
    """Complete every entry of the libraries under ``paths`` (PubMed, Crossref) and write them
    all to ``output`` in the same order, keys kept; ``offline``: written as read.

    Raises ConfigError (nothing written) for a bad format, output or option.
    """
    stages: list[Stage] = [partial(_read_libraries, paths)]
    if not offline:
        stages.append(partial(_enrich_library, options))
    stages.append(_as_read)
    return run("enrich", stages, output, fmt=fmt, report_path=report_path)


# --- the stages -------------------------------------------------------------------------------


def _begin_stage(progress: Progress | None, stage: str, current: Run) -> None:
    _begin(progress, stage)


def _collect_stage(
    paths: Iterable[str | Path], progress: Progress | None, fold: bool, jobs: int, current: Run
) -> None:
    current.collected = _collect(paths, current.report, progress, fold=fold, jobs=jobs)
    current.citations = current.collected.citations


def _dedupe_stage(enabled: bool, progress: Progress | None, jobs: int, current: Run) -> None:
    if enabled:
        _begin(progress, "dedupe")
    current.citations = _dedupe(
        current.citations, current.collected, current.report, enabled=enabled, jobs=jobs
    )
    current.trials = current.collected.trials
    current.collected = Collected()  # what is still needed lives on in the citations


def _against_stage(against: Sequence[str | Path], current: Run) -> None:
    current.citations = _leave_out_known(current.citations, current.trials, against, current.report)


def _found_any(paths: Iterable[str | Path], current: Run) -> None:
    report = current.report
    if report.records_read == 0 and report.library_entries == 0 and not report.problems:
        where = ", ".join(map(str, paths))
        message = f"{where}: no trial records found (give the folder of downloaded records)"
        report.problems.append(Problem(where, message, where, "", "no trial records found"))


def _read_libraries(paths: Iterable[str | Path], current: Run) -> None:
    """Every entry of the libraries under ``paths``; each file or entry that cannot be read is
    a problem, each file that is no library a skipped one."""
    report = current.report
    found: list[Citation] = []
    with report.timing("read"):
        for item in read_library(paths):
            if isinstance(item, Citation):
                found.append(item)
            elif isinstance(item, ReadError):
                report.problems.append(Problem.of(item))
            else:
                report.files_skipped += 1
                report.skipped.append(Problem(item.path, item.reason))
    current.citations = found
    report.library_entries = report.references_found = len(current.citations)
    report.warnings += [w for c in current.citations for w in c.warnings if is_fallback(w)]
    if not current.citations:
        report.problems.append(
            Problem("", f"no bibliography entries found in the inputs; {report.output} not written")
        )


def _as_read(current: Run) -> None:
    current.report.references_written = len(current.citations)


def _dedupe_library(threshold: float, explain: str | None, current: Run) -> None:
    report, inputs = current.report, current.citations
    with report.timing("dedupe"):
        result = dedupe(inputs, threshold, look_alikes=bool(explain))
    current.citations = list(result.citations)
    report.references_written, report.references_merged = len(result.citations), result.merged
    if explain:
        keyed = Keyed(result.citations, keep_given=True)

        def write(stream: IO[str]) -> None:
            json.dump(explanation(inputs, keyed, result), stream, indent=2)
            stream.write("\n")

        current.outputs[explain] = write


def _enrich_library(options: EnrichOptions | None, current: Run) -> None:
    current.citations = _enrich(current.citations, current.report, options)


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
                    collected.add_pmid_only(replaced(citation, cited_by=tags), raw)
                    continue
                if problem:
                    report.references_rejected += 1
                    report.problems.append(problem)
                    continue
                same = collected.same_as(raw)
                if same is not None:  # a copy of an earlier string: parsed and held once
                    collected.add_copy(same, raw, tags)
                    if raw.retractions:
                        first = collected.citations[same]
                        report.retracted.extend(with_retractions(first, raw)[1])
                    continue
                done = parsed[number] if parsed else None
                citation, retracted = with_retractions(
                    parse_raw(raw) if done is None else done, raw
                )
                report.retracted.extend(retracted)
                collected.add(replaced(citation, cited_by=tags), raw=raw)
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


def _enrich(
    citations: Sequence[Citation], report: Report, options: EnrichOptions | None
) -> list[Citation]:
    with report.timing("enrich"):
        result = enrich(citations, options)
    report.enrichment = result.counts
    report.warnings.extend(result.warnings)
    report.retracted += result.retracted
    return result.citations


def _dedupe(
    citations: Sequence[Citation],
    collected: Collected,
    report: Report,
    *,
    enabled: bool,
    jobs: int = 1,
) -> Sequence[Citation]:
    """One citation per work (``Written``: each merged only when it is written)."""
    is_trial = collected.is_trial
    with report.timing("dedupe"):
        found = (
            cluster(citations, counts=collected.counts(), jobs=jobs, on_disk=True)
            if enabled
            else None
        )
    if found is None:
        report.trials_written = sum(is_trial)
        report.references_written = len(citations) - report.trials_written
        return citations
    kept = Written(citations, collected, found.clusters)
    merged = 0
    for position, members in enumerate(found.clusters):
        count = sum(collected.count(i) for i in members if not is_trial[i])
        trial = any(is_trial[i] for i in members)
        merged += count - (0 if trial else 1)
        report.trials_written += trial
        if count + trial > 1:
            work = kept[position]
            cited_by = list(work.cited_by)
            report.duplicates.append(
                {"title": work.title, "references": count + trial, "cited_by": cited_by}
            )
    report.references_merged = merged
    report.references_written = len(kept) - report.trials_written
    return kept


def _leave_out_known(
    citations: Sequence[Citation],
    trials: Collection[str],
    against: Sequence[str | Path],
    report: Report,
) -> Sequence[Citation]:
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
    references = Picked(citations, (i for i, c in enumerate(citations) if c.id not in trials))
    known = find_known(references, library)
    for position, entry in sorted(known.items()):
        citation = references[position]
        where = citation.provenance[0].where() if citation.provenance else citation.title
        report.known.append(Problem(where, f"already in the library as {entry.id or entry.title}"))
    report.references_known = len(known)
    report.references_written -= len(known)
    dropped = {references.position(at) for at in known}
    return Picked(citations, (i for i in range(len(citations)) if i not in dropped))
