"""Commands over many files: ``ingest`` (into the ledger) and ``extract`` (to stdout or a file).

Both hand their paths to ``planwatch.batch``; here: options, a progress bar, the summary."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager

import click

from .. import records
from ..batch import BatchOptions, BatchReport, FileError, collect_paths, extract_paths, ingest_paths
from .app import console, db_option, emit_json, engine_for, error_line, escape, format_option, main, one_line, user_option
from .documents import document_summary, print_extraction


def batch_options(command):
    """--jobs, --cluster and --errors, shared by ingest and extract."""
    command = click.option("--errors", "errors_file", type=click.Path(dir_okay=False),
                           help="Write each failed file as a JSON line (path, error, kind).")(command)
    command = click.option("--cluster", help="Dask scheduler (tcp://host:8786): workers extract, this process writes.")(command)
    command = click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
                           help="Worker processes for extraction (default: the machine's cores, one per 8 files for fewer; 1 runs in this process).")(command)
    return command


def _options(jobs: int | None, cluster: str | None) -> BatchOptions:
    return BatchOptions(jobs=jobs, cluster=cluster)


@contextmanager
def progress_bar(total: int):
    """A Rich bar on stderr when it is a terminal; a no-op advance otherwise (scripts, CI, pipes)."""
    if not sys.stderr.isatty():
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeRemainingColumn
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:.1f} files/s" if speed else "– files/s")

    bar = Progress(TextColumn("[bold]files"), BarColumn(), MofNCompleteColumn(), Rate(), TimeRemainingColumn(),
                   console=Console(stderr=True), transient=True)
    with bar:
        task = bar.add_task("files", total=total)
        yield lambda: bar.advance(task)


def finish(report: BatchReport, errors_file: str | None, verb: str = "stored", quiet: bool = False) -> None:
    """The summary line, each failure on its own line, the JSONL file; exit 1 when any failed."""
    if errors_file:
        with open(errors_file, "w", encoding="utf-8") as out:
            for e in report.failed:
                out.write(json.dumps(e.__dict__, ensure_ascii=False) + "\n")
    for e in report.failed:
        error_line(e.error)
    # The count goes to a person at a terminal, or to anyone when something failed; a script's
    # clean run keeps stderr empty.
    if (not quiet and sys.stderr.isatty()) or report.failed:
        skipped = f"{report.skipped} unchanged, " if verb == "stored" else ""
        click.echo(f"{report.total} file(s): {report.stored} {verb}, {skipped}{len(report.failed)} failed in {report.seconds:.1f} s",
                   err=True)
    if report.failed:
        sys.exit(1)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@batch_options
@click.option("--resume", is_flag=True, help="Go on with the latest unfinished ingest (its paths, unless others are given).")
@db_option
@user_option
@format_option
def ingest(paths: tuple[str, ...], jobs: int | None, cluster: str | None, errors_file: str | None, resume: bool,
           db: str | None, user: str | None, fmt: str) -> None:
    """Read plan files, directories (recursively) or @lists of paths and store them in the ledger.

    Each file is one savepoint: a file that fails is reported and the others are stored; the
    exit code is 1 if any failed. A file whose content is stored already is skipped unread; a
    revised file becomes a new version of its plan (same region, title and period), with the
    targets added, removed and changed listed and the ledger of unchanged items carried over.

    Example: planwatch ingest plans/ @more.txt --jobs 4 --errors failed.jsonl
    """
    engine = engine_for(db)
    stored, summaries = [], []

    def on_file(path, outcome, processed):
        if not isinstance(outcome, FileError):
            stored.append({"file": path, **outcome.__dict__})
        if processed is not None and fmt == "json":
            summaries.append(document_summary(processed.extraction.outline))
        if fmt != "json" and not isinstance(outcome, FileError):
            _print_stored(path, outcome)
        advance()

    total = 0 if resume else len(collect_paths(paths))
    with progress_bar(total) as advance:
        report = ingest_paths(engine, list(paths), _options(jobs, cluster), actor=user, resume=resume, on_file=on_file,
                              keep_extractions=fmt == "json")
    if fmt == "json":
        same = [{"a": s["file"], "b": f"#{o['plan_id']} {o['title']}", "a_in_b": o["new_in_stored"], "b_in_a": o["stored_in_new"]}
                for s in stored for o in s["similar"]]
        emit_json({"documents": summaries, "stored": stored, "same_plans": same,
                   "failed": [e.__dict__ for e in report.failed]})
    finish(report, errors_file, quiet=fmt == "json")


def _print_stored(path: str, s) -> None:
    # File names, regions and titles come from outside: escaped so "[" stays text, not Rich markup.
    name = escape(one_line(path.replace("\\", "/").rsplit("/", 1)[-1]))
    region = f" \\[{escape(s.region)}]" if s.region else ""
    console.print(f"{name}: plan #{s.plan_id} v{s.version}{region} {s.status} — {s.counts}", highlight=False)
    for label, items in (("added", s.added), ("removed", s.removed), ("changed", s.changed)):
        for item in items:
            console.print(f"  {label}: {escape(str(item))}", highlight=False)
    if s.carried:
        console.print(f"  carried over: {s.carried}", highlight=False)
    if s.corrections:
        console.print(f"  corrections: {s.corrections}", highlight=False)
    for o in s.similar:
        console.print(f"  same plan as #{o['plan_id']} {escape(str(o['title']))}: {o['new_in_stored']:.0%} of it is in that one, "
                      f"{o['stored_in_new']:.0%} of that one in it", highlight=False)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@batch_options
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv", "xlsx"]), default="table", show_default=True)
@click.option("--what", type=click.Choice(["targets", "tasks", "projects"]), default="targets", show_default=True)
@click.option("-o", "--output", type=click.Path(), help="File to write (required for xlsx).")
def extract(paths: tuple[str, ...], jobs: int | None, cluster: str | None, errors_file: str | None, fmt: str, what: str,
            output: str | None) -> None:
    """Extract targets and reported figures, tasks, or named projects from plan files,
    directories (recursively) or @lists of paths; a file that fails is reported, the rest go on.

    Example: planwatch extract plans/ --what tasks --format jsonl --jobs 2
    """
    import time

    from ..export import write_records

    start = time.perf_counter()
    report = BatchReport(total=len(collect_paths(paths)))
    rows: list[dict] = []
    streaming = fmt == "jsonl" and not output
    with progress_bar(report.total) as advance:
        for out in extract_paths(paths, _options(jobs, cluster), what={what}):
            advance()
            if isinstance(out, FileError):
                report.failed.append(out)
                continue
            report.stored += 1
            found = records.extraction_rows(out.extraction, what)
            if streaming:  # one file's rows at a time: memory stays flat over a thousand files
                write_records(found, "jsonl", None)
            else:
                rows.extend(found)
    if fmt == "table":
        print_extraction(rows, what)
    elif not streaming:
        write_records(rows, fmt, output)
    report.seconds = time.perf_counter() - start
    finish(report, errors_file, verb="extracted", quiet=report.total <= 1)
