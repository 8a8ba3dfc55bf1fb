"""The ``refkit`` command: a thin shell over the library API.

Exit status: 0 every input went through; 1 output written but some inputs were rejected (each
named on stderr); 2 usage or configuration error, or an output that could not be written (no
folder, read-only, full disk), nothing written: when ``--report`` cannot be written, the
bibliography is not written either; 130 interrupted (Ctrl-C or SIGTERM), nothing written.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import click

from refkit import plugins
from refkit.atomic import open_output
from refkit.commands import build, convert, dedupe_files, enrich_files
from refkit.compare import DEFAULT_THRESHOLD
from refkit.errors import RefkitError
from refkit.exporters.keys import assign_keys
from refkit.jobs import default_jobs
from refkit.parse import parse_reference
from refkit.plugins import EnrichOptions
from refkit.report import Progress, Report, skipped_summary
from refkit.version import VERSION

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2
MAILTO_HELP = (
    "Your e-mail address, sent to Crossref (its polite pool) and NCBI; default $REFKIT_MAILTO."
)
CACHE_HELP = "Folder of the PubMed and Crossref answer cache; default: the user cache directory."


class Shell(click.Group):
    """Turns RefkitError into one line on stderr and the contract's exit status."""

    def invoke(self, ctx: click.Context) -> Any:
        with _terminate_as_interrupt():
            try:
                return super().invoke(ctx)
            except RefkitError as error:
                _fail(ctx, error, EXIT_USAGE)
            except KeyboardInterrupt:
                click.echo("refkit: interrupted; nothing was written", err=True)
                ctx.exit(130)


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (``kill``, ``timeout``) ends a run like Ctrl-C: temp files removed, cache closed."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _fail(ctx: click.Context, error: RefkitError, status: int) -> None:
    if ctx.obj and ctx.obj.get("debug"):
        raise error
    click.echo(f"refkit: {error.one_line()}", err=True)
    ctx.exit(status)


@click.group(
    cls=Shell,
    epilog="""\b
Examples:
  refkit build examples/records -o refs.bib
  refkit build records/ -o refs.json --offline --report report.json
  refkit build records/ -o - --format csl-json | jq .
  refkit dedupe refs.bib mylibrary.json -o merged.bib --explain why.json
  echo "Sun L, Akiyama K. Title. Stem Cells. 2009 Jun;27(6):1421-32." | refkit parse
""",
)
@click.version_option(VERSION, prog_name="refkit")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Turn folders of clinical-trial records into a clean bibliography."""
    ctx.obj = {"debug": debug}


F = TypeVar("F", bound=Callable[..., Any])


def output_options(command: F) -> F:
    """``-o``, ``--format``, ``--report`` and ``--quiet``: every command that writes has them."""
    for option in reversed(
        [
            click.option(
                "-o",
                "--output",
                required=True,
                help="Output file (suffix picks the format), or - for stdout.",
            ),
            click.option(
                "--format",
                "fmt",
                type=click.Choice(plugins.names(plugins.EXPORTERS)),
                help="Output format.",
            ),
            click.option(
                "--report", "report_path", type=click.Path(), help="Write the counts as JSON here."
            ),
            click.option("--quiet", is_flag=True, help="Print no summary."),
        ]
    ):
        command = option(command)
    return command


def lookup_options(command: F) -> F:
    """``--offline``, ``--mailto``, ``--cache-dir``: every command that looks things up."""
    for option in reversed(
        [
            click.option("--offline", is_flag=True, help="Never look anything up on the network."),
            click.option("--mailto", metavar="EMAIL", help=MAILTO_HELP),
            click.option("--cache-dir", type=click.Path(file_okay=False), help=CACHE_HELP),
        ]
    ):
        command = option(command)
    return command


@main.command("build")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@output_options
@lookup_options
@click.option("--no-dedupe", is_flag=True, help="Keep every reference, even the same work twice.")
@click.option(
    "--against",
    multiple=True,
    type=click.Path(),
    help="Your library (.bib, .json, .ris): references it holds are left out and listed.",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=default_jobs,
    show_default="the machine's cores",
    help="Processes that read, parse, deduplicate and write; the output is the same for any "
    "number.",
)
def build_command(
    paths: tuple[str, ...],
    output: str,
    fmt: str | None,
    report_path: str | None,
    quiet: bool,
    offline: bool,
    mailto: str | None,
    cache_dir: str | None,
    no_dedupe: bool,
    against: tuple[str, ...],
    jobs: int,
) -> None:
    """Read every record under PATHS and write one bibliography, completed online.

    PATHS may also hold bibliographies (.bib, CSL-JSON, .ris): their entries join the output.

    \b
    Examples:
      refkit build examples/records -o refs.bib
      refkit build records/ trial.xml -o refs.json --report report.json
      refkit build records/ -o new.bib --against my-library.bib
    """
    if output == "-" and fmt is None:
        fmt = "bibtex"
    bars = not quiet and sys.stderr.isatty()
    with _progress(enabled=bars) as tick, _lookup_progress(enabled=bars) as looked_up:
        report = build(
            paths,
            output,
            fmt=fmt,
            offline=offline,
            dedupe_references=not no_dedupe,
            report_path=report_path,
            progress=tick,
            against=against,
            enrich_options=EnrichOptions(mailto, cache_dir, looked_up),
            jobs=jobs,
        )
    _finish(report, quiet=quiet or output == "-")


@contextmanager
def _progress(*, enabled: bool) -> Iterator[Progress | None]:
    """A bar of the records read, with the references found and the stage running."""
    if not enabled:
        yield None
        return
    from tqdm import tqdm

    with tqdm(unit=" records", desc="read", leave=False, file=sys.stderr) as bar:
        references = 0

        def tick(records: int, found: int, stage: str) -> None:
            nonlocal references
            references += found
            if stage != bar.desc:
                bar.set_description_str(stage, refresh=False)
                bar.set_postfix_str(f"{references:,} references", refresh=True)
            elif found:
                bar.set_postfix_str(f"{references:,} references", refresh=False)
            bar.update(records)

        yield tick


@contextmanager
def _lookup_progress(*, enabled: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A bar for Crossref look-ups, shown from the first one that finishes."""
    if not enabled:
        yield None
        return
    from tqdm import tqdm

    bars: list[tqdm[Any]] = []

    def tick(done: int, total: int) -> None:
        if not bars:
            bars.append(tqdm(total=total, unit=" look-ups", leave=False, file=sys.stderr))
        bars[0].update(done)

    try:
        yield tick
    finally:
        for bar in bars:
            bar.close()


def _print_enrichment(counts: dict[str, int], warnings: list[str], retracted: list[str]) -> None:
    for warning in warnings:
        click.echo(f"refkit: warning: {warning}", err=True)
    for line in retracted:
        click.echo(f"refkit: retracted: {line}", err=True)
    if counts.get("pubmed_looked_up") or counts.get("pubmed_offline"):
        click.echo(
            "PubMed: {pubmed_looked_up} PMIDs looked up: {pubmed_found} found, "
            "{pubmed_not_found} not found, {pubmed_not_this_work} not the cited work, "
            "{pubmed_failed} failed; {pubmed_offline} skipped offline; {pubmed_cache_hits} from "
            "the cache, {pubmed_requests_sent} requests, {pubmed_retries} retries, "
            "{pubmed_http_429} × 429".format_map(defaultdict(int, counts)),
            err=True,
        )
    if counts.get("looked_up") or counts.get("offline"):
        click.echo(
            "Crossref: {looked_up} looked up: {matched} matched, {not_found} not found, "
            "{ambiguous} ambiguous, {failed} failed; {offline} skipped offline; "
            "{cache_hits} from the cache, {requests_sent} requests, {retries} retries, "
            "{http_429} × 429".format_map(defaultdict(int, counts)),
            err=True,
        )


def _finish(report: Report, *, quiet: bool) -> None:
    """Each problem on its own line, the command's summary, and the exit status."""
    for problem in report.problems:
        click.echo(f"refkit: {problem.message}", err=True)
    if report.skipped:
        click.echo(f"refkit: {skipped_summary(report.skipped)}", err=True)
    if quiet:
        for warning in report.warnings:
            click.echo(f"refkit: warning: {warning}", err=True)
    else:
        _print_enrichment(report.enrichment, report.warnings, report.retracted)
        SUMMARIES[report.command](report)
    sys.exit(EXIT_OK if report.clean else EXIT_REJECTED)


def _build_summary(report: Report) -> None:
    click.echo(
        f"{report.records_read} records read, {report.records_rejected} rejected; "
        f"{report.references_found} references: {report.references_written} written, "
        f"{report.references_merged} merged as duplicates, {report.references_rejected} rejected; "
        f"{report.trials_written} trials written to {report.output} ({report.format})"
        if report.written
        else f"nothing written to {report.output}",
        err=True,
    )
    if report.references_pmid_only:
        click.echo(
            f"{report.references_pmid_only} references with a PMID and no usable text kept "
            "by their PMID",
            err=True,
        )
    if report.library_entries:
        click.echo(f"{report.library_entries} entries read from bibliographies", err=True)
    if report.references_known:
        click.echo(f"{report.references_known} references already in your library:", err=True)
        for known in report.known:
            click.echo(f"  {known.where}: {known.message}", err=True)


def _library_summary(report: Report) -> None:
    for renamed in report.renamed:
        click.echo(f"refkit: new key {renamed}", err=True)
    dedupe = report.command == "dedupe"
    merged_part = f", {report.references_merged} merged as duplicates" if dedupe else ""
    click.echo(
        f"{report.library_entries} entries read, {len(report.problems)} problems, "
        f"{report.files_skipped} files skipped; {report.references_written} written{merged_part} "
        f"to {report.output} ({report.format})"
        if report.written
        else f"{report.library_entries} entries read; nothing written to {report.output}",
        err=True,
    )


SUMMARIES: dict[str, Callable[[Report], None]] = {
    "build": _build_summary,
    "convert": _library_summary,
    "dedupe": _library_summary,
    "enrich": _library_summary,
}


@main.command("parse")
@click.argument("strings", nargs=-1)
@click.option(
    "--format", "fmt", default="csl-json", type=click.Choice(plugins.names(plugins.EXPORTERS))
)
@click.option("-o", "--output", default="-", help="Output file, or - for stdout (default).")
def parse_command(strings: tuple[str, ...], fmt: str, output: str) -> None:
    """Parse reference strings (arguments, or one per line on stdin) into citations.

    \b
    Examples:
      refkit parse "Sun L, Akiyama K. Title. Stem Cells. 2009 Jun;27(6):1421-32."
      refkit parse < references.txt > references.json
    """
    lines = (
        list(strings)
        if strings
        else [line for line in sys.stdin.read().splitlines() if line.strip()]
    )
    exporter = plugins.exporter(fmt)
    citations = assign_keys(parse_reference(line) for line in lines)
    with open_output(output) as stream:
        exporter.write(citations, stream)


@main.command("dedupe")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@output_options
@click.option(
    "--explain",
    type=click.Path(),
    help="Write each output item's input ids and the evidence for each merge as JSON here.",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0.0, 1.0, min_open=True),
    default=DEFAULT_THRESHOLD,
    show_default=True,
    help="Score (0-1] a pair needs to be merged; higher merges less.",
)
def dedupe_command(
    paths: tuple[str, ...],
    output: str,
    fmt: str | None,
    report_path: str | None,
    quiet: bool,
    explain: str | None,
    threshold: float,
) -> None:
    """Merge the same works in bibliographies (.bib, CSL-JSON, .ris, refkit output).

    \b
    Examples:
      refkit dedupe refs.bib mylibrary.json -o merged.bib
      refkit dedupe search/*.ris -o merged.json --explain merges.json
    """
    fmt = fmt or ("bibtex" if output == "-" else None)
    report = dedupe_files(
        paths, output, fmt=fmt, threshold=threshold, explain=explain, report_path=report_path
    )
    _finish(report, quiet=quiet or output == "-")


@main.command("convert")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@output_options
def convert_command(
    paths: tuple[str, ...], output: str, fmt: str | None, report_path: str | None, quiet: bool
) -> None:
    """Convert bibliographies (.bib, CSL-JSON, .ris) into one file of another format.

    Every entry keeps its key; one without a usable key gets a readable one (listed).

    \b
    Examples:
      refkit convert library.bib -o library.json
      refkit convert zotero.json pubmed.ris -o all.bib
      refkit convert refs.bib -o refs.biblatex --format biblatex
    """
    fmt = fmt or ("bibtex" if output == "-" else None)
    _finish(convert(paths, output, fmt=fmt, report_path=report_path), quiet=quiet or output == "-")


@main.command("enrich")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@output_options
@lookup_options
def enrich_command(
    paths: tuple[str, ...],
    output: str,
    fmt: str | None,
    report_path: str | None,
    quiet: bool,
    offline: bool,
    mailto: str | None,
    cache_dir: str | None,
) -> None:
    """Complete bibliographies (.bib, CSL-JSON, .ris, refkit output) from PubMed and Crossref.

    \b
    Examples:
      refkit build records/ -o refs.json --offline      # on the train
      refkit enrich refs.json -o refs-full.json --mailto you@example.org
    """
    fmt = fmt or ("csl-json" if output == "-" else None)
    with _lookup_progress(enabled=not quiet and sys.stderr.isatty()) as looked_up:
        options = EnrichOptions(mailto, cache_dir, looked_up)
        report = enrich_files(
            paths, output, fmt=fmt, options=options, offline=offline, report_path=report_path
        )
    _finish(report, quiet=quiet)


@main.group("cache")
def cache_group() -> None:
    """PubMed's and Crossref's answers, kept on disk so that nothing is asked twice."""


@cache_group.command("info")
@click.option("--cache-dir", type=click.Path(file_okay=False), help=CACHE_HELP)
def cache_info_command(cache_dir: str | None) -> None:
    """Where the cache is and what it holds."""
    from refkit.enrich.session import Settings, cache_info

    info = cache_info(Settings.from_env(cache_dir=cache_dir))
    click.echo(
        f"{info.path}: {info.responses} answers ({info.expired} expired), "
        f"{info.size / 1_048_576:.1f} MiB"
    )


@cache_group.command("clear")
@click.option("--cache-dir", type=click.Path(file_okay=False), help=CACHE_HELP)
def cache_clear_command(cache_dir: str | None) -> None:
    """Forget every cached answer."""
    from refkit.enrich.session import Settings, clear_cache

    settings = Settings.from_env(cache_dir=cache_dir)
    click.echo(f"{settings.cache_path}: {clear_cache(settings)} answers removed")
