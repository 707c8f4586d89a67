"""Many plan files at once: the one batch runner behind ``planwatch ingest`` and ``extract``.

    paths → (known content hash? skip) → workers: read → outline → extract → signature
          → this process: store in batches of ``batch_size``, one savepoint per file

Extraction runs in worker processes (``jobs``) or on a Dask cluster (``cluster``), with a
bounded number of files in flight, so memory stays flat whatever the batch size; results
come back in input order (a plan and its revision in one batch keep their versions). A file
that fails becomes a ``FileError`` and the batch goes on.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import IngestError, PlanwatchError
from .ingest import READERS, read_document
from .model import Extraction
from .pipeline import process_document

if TYPE_CHECKING:  # concurrent.futures imports logging and threading: 7 ms a run with --jobs 1
    from concurrent.futures import Executor, Future

    from .ingest.similarity import Signature
    from .store.prepared import PreparedPlan

# Files in flight: a whole batch more than the workers need, so that they keep extracting
# while this process stores a batch (with only jobs × 4 in flight they idled through every
# commit); still a bound, so memory stays flat whatever the batch size.
IN_FLIGHT_PER_JOB = 4
# Files per write transaction: one commit per 16 plans cut SQLite's fsyncs 16-fold; larger
# batches gained nothing measurable (benchmarks/batch.py) and lose more work on a crash.
BATCH_SIZE = 16


@dataclass(frozen=True)
class FileError:
    path: str
    error: str
    kind: str  # the exception's class: IngestError, DecodeError, … or the bug's own type


@dataclass(frozen=True)
class Processed:
    path: str
    digest: str | None
    extraction: Extraction | None  # None in an ingest that did not ask to keep it
    signature: Signature | None = None
    prepared: PreparedPlan | None = None  # the rows to store, built in the worker (ingest)


@dataclass(frozen=True)
class Known:
    """A file whose content is already stored: skipped before it was parsed."""

    path: str
    digest: str
    plan_id: int
    title: str
    version: int


# Files a worker process must have before one is started for them: forking and importing the
# pool cost about what extracting three plans of the corpus does, so a handful of files is
# read faster in this process (5 corpus files: 0.24 s in-process against 0.29 s with 2 workers).
FILES_PER_WORKER = 8


@dataclass
class BatchOptions:
    jobs: int | None = None  # None: the machine's cores, or fewer for a small batch (``sized``)
    cluster: str | object | None = None  # a Dask scheduler address (tcp://host:8786) or a distributed.Client
    batch_size: int = BATCH_SIZE


def sized(options: BatchOptions, files: int) -> BatchOptions:
    """``options`` with its worker count fixed for a batch of ``files``: as given, or one worker
    per ``FILES_PER_WORKER`` files up to the machine's cores."""
    if options.jobs is not None:
        return options
    return replace(options, jobs=max(1, min(os.cpu_count() or 1, files // FILES_PER_WORKER)))


def _jobs(options: BatchOptions) -> int:
    return options.jobs or os.cpu_count() or 1  # options not ``sized``: every core


def collect_paths(inputs: Iterable[str]) -> list[str]:
    """Files as given, directories searched recursively for the suffixes planwatch reads, and
    ``@list.txt`` files naming one path a line (relative to the list; ``#`` starts a comment)."""
    out: dict[str, None] = {}
    for item in inputs:
        for path in _expand(str(item)):
            out.setdefault(path, None)
    return list(out)


def _expand(item: str) -> Iterator[str]:
    if item.startswith("@"):
        listing = Path(item[1:])
        try:
            lines = listing.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise IngestError(str(listing), f"cannot read the list of files: {exc}") from exc
        for line in lines:
            line = line.split("#", 1)[0].strip()
            if line:
                yield from _expand(str(listing.parent / line) if not Path(line).is_absolute() else line)
    elif Path(item).is_dir():
        yield from (str(p) for p in sorted(Path(item).rglob("*")) if p.is_file() and p.suffix.lower() in READERS)
    else:
        yield item


def file_digest(path: str) -> str:
    """SHA-256 of the raw bytes: what tells a stored file from a new one before any parsing."""
    import hashlib  # only ingest hashes files

    h = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def extract_file(path: str, digest: str | None = None, for_store: bool = False,
                 what: Collection[str] | None = None, keep_extraction: bool = True) -> Processed | FileError:
    """One file through every stage (extracting only the kinds in ``what``, when given); runs in
    a worker process or on a Dask worker."""
    try:
        doc = read_document(path)
        if not for_store:  # extract: no rows, no signature, and none of hashing's imports
            return Processed(path, digest, process_document(doc, what))
        from .store.prepared import prepare

        extraction = process_document(doc, what)
        prepared = prepare(extraction, digest or file_digest(path))
        # The writer needs only the rows; sending the outline and items back as well cost it a
        # sixth of its time per plan in unpickling.
        return Processed(path, digest, extraction if keep_extraction else None, prepared.signature, prepared)
    except PlanwatchError as exc:
        return FileError(path, str(exc), type(exc).__name__)
    except Exception as exc:  # a bug in a stage on one odd file must not stop the other 999; the kind says which
        return FileError(path, f"{path}: {type(exc).__name__}: {exc}", type(exc).__name__)


def preload(for_store: bool) -> None:
    """Import what a worker imports on its first file here, before the pool forks, so that every
    worker inherits it: left to the workers, each paid 0.8 s for it (datasketch brings scipy)."""
    import planwatch.extract  # noqa: F401

    if for_store:
        import datasketch  # noqa: F401

        import planwatch.store.prepared  # noqa: F401  (SQLAlchemy's schema, for the rows)


def _executor(options: BatchOptions, for_store: bool = False) -> tuple[Executor | None, Callable[[], None]]:
    if options.cluster is not None:
        try:
            from distributed import Client
        except ImportError as exc:
            raise PlanwatchError("--cluster needs Dask: pip install 'planwatch[cluster]'") from exc
        client = options.cluster if isinstance(options.cluster, Client) else Client(options.cluster)
        close = (lambda: None) if client is options.cluster else client.close
        return client.get_executor(), close
    jobs = _jobs(options)
    if jobs <= 1:
        return None, lambda: None
    from concurrent.futures import ProcessPoolExecutor  # multiprocessing costs 30 ms to import: only for jobs > 1

    preload(for_store)
    pool = ProcessPoolExecutor(jobs)
    return pool, lambda: pool.shutdown(cancel_futures=True)


def run_files(items: Iterable[tuple[str, str | None] | Known | FileError], options: BatchOptions,
              for_store: bool = False, what: Collection[str] | None = None,
              keep_extraction: bool = True) -> Iterator[Processed | FileError | Known]:
    """Extract every ``(path, digest)`` item, in input order, at most jobs × 4 + a batch in flight;
    ``Known`` and ``FileError`` items pass straight through in their place."""
    work = partial(_work, for_store=for_store, what=what, keep_extraction=keep_extraction)
    executor, close = _executor(options, for_store)
    if executor is None:
        yield from (work(item) if isinstance(item, tuple) else item for item in items)
        return
    limit = max(_jobs(options), _cluster_workers(options)) * IN_FLIGHT_PER_JOB + options.batch_size
    window: deque[tuple[str, Future | Known | FileError]] = deque()
    try:
        for item in items:
            window.append((item[0], executor.submit(work, item)) if isinstance(item, tuple) else (item.path, item))
            while len(window) >= limit:
                yield _result(*window.popleft())
        while window:
            yield _result(*window.popleft())
    finally:
        close()


def _work(item: tuple[str, str | None], for_store: bool, what: Collection[str] | None,
          keep_extraction: bool) -> Processed | FileError:
    return extract_file(item[0], item[1], for_store, what, keep_extraction)


def _cluster_workers(options: BatchOptions) -> int:
    if options.cluster is None:
        return 0
    from distributed import Client

    client = options.cluster if isinstance(options.cluster, Client) else None
    return sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values()) if client else 8


def _result(path: str, entry: Future | Known | FileError) -> Processed | FileError | Known:
    if isinstance(entry, (Known, FileError)):
        return entry
    try:
        return entry.result()
    except Exception as exc:  # a worker process that died (BrokenProcessPool) or a result that would not pickle
        return FileError(path, f"{path}: worker failed: {type(exc).__name__}: {exc}", type(exc).__name__)


@dataclass
class BatchReport:
    total: int = 0
    stored: int = 0
    skipped: int = 0  # content already stored, or done earlier in a resumed run
    failed: list[FileError] = field(default_factory=list)
    seconds: float = 0.0
    run_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.failed


def extract_paths(inputs: Iterable[str], options: BatchOptions,
                  what: Collection[str] | None = None) -> Iterator[Processed | FileError]:
    """``planwatch extract`` over many files: every result (only the kinds in ``what``, when
    given), in input order, nothing stored."""
    paths = collect_paths(inputs)
    yield from run_files(((p, None) for p in paths), sized(options, len(paths)), what=what)  # type: ignore[misc]


OnFile = Callable[[str, object, "Processed | None"], None]


def ingest_paths(engine, inputs: list[str], options: BatchOptions, actor: str | None = None, resume: bool = False,
                 on_file: OnFile | None = None, keep_extractions: bool = False) -> BatchReport:
    """Store every plan file under ``inputs``; ``on_file(path, outcome, processed)`` after each is
    committed (an ``IngestResult`` or a ``FileError``; ``processed.extraction`` is there with
    ``keep_extractions``). With ``resume``, the latest unfinished run goes on where it stopped:
    its inputs unless others are given, its finished files not read again."""
    from .store.batch import finish_run, start_run, unfinished_run

    start = time.perf_counter()
    run_id, done = None, set()
    if resume and (found := unfinished_run(engine)) is not None:
        run_id, previous_inputs, done = found
        inputs = list(inputs) or previous_inputs
    if not inputs:
        raise PlanwatchError("nothing to ingest: give files, directories or @lists (or --resume an unfinished batch)")
    paths = [p for p in collect_paths(inputs) if p not in done]
    run_id = run_id or start_run(engine, actor, list(inputs))
    report = BatchReport(total=len(paths) + len(done), skipped=len(done), run_id=run_id)
    writer = _Writer(engine, actor, run_id, report, on_file)
    for out in run_files(_screened(engine, paths), sized(options, len(paths)), for_store=True,
                         keep_extraction=keep_extractions):
        writer.add(out)
        if len(writer.buffer) >= options.batch_size:
            writer.flush()
    writer.flush()
    finish_run(engine, run_id)
    return timed_report(start, report)


def _screened(engine, paths: list[str], chunk: int = 256) -> Iterator[tuple[str, str] | Known | FileError]:
    """Each path with its content hash, or ``Known`` when that content is stored already: the
    check costs one read and one query per ``chunk`` files, before anything is parsed."""
    from .store.batch import known_digests

    for start in range(0, len(paths), chunk):
        digests: dict[str, str | FileError] = {}
        for path in paths[start : start + chunk]:
            try:
                digests[path] = file_digest(path)
            except OSError as exc:
                reason = "no such file" if isinstance(exc, FileNotFoundError) else f"cannot read: {exc.strerror or exc}"
                digests[path] = FileError(path, str(IngestError(path, reason)), "IngestError")
        known = known_digests(engine, [d for d in digests.values() if isinstance(d, str)])
        for path, d in digests.items():
            if isinstance(d, FileError):
                yield d
            elif d in known:
                yield Known(path, d, known[d].plan_id, known[d].title, known[d].version)
            else:
                yield path, d


class _Writer:
    """Buffers results in input order and stores them a batch (one transaction) at a time."""

    def __init__(self, engine, actor, run_id, report: BatchReport, on_file: OnFile | None):
        self.engine, self.actor, self.run_id, self.report, self.on_file = engine, actor, run_id, report, on_file
        self.buffer: list[Processed | FileError | Known] = []

    def add(self, out: Processed | FileError | Known) -> None:
        self.buffer.append(out)

    def flush(self) -> None:
        from .store.batch import ToStore, record_outcomes, store_many
        from .store.plans import IngestResult

        if not self.buffer:
            return
        todo = [o for o in self.buffer if isinstance(o, Processed)]
        stored = iter(store_many(self.engine, [ToStore(o.path, o.digest, o.extraction, o.signature, o.prepared) for o in todo],
                                 self.actor, self.run_id))
        outcomes, others = [], []
        for o in self.buffer:
            if isinstance(o, Processed):
                r = next(stored)
                outcomes.append((o.path, r if isinstance(r, IngestResult) else FileError(r.path, r.error, r.kind), o))
                continue
            r = IngestResult(o.plan_id, o.title, o.version, "unchanged") if isinstance(o, Known) else o
            outcomes.append((o.path, r, None))
            others.append((o.path, r))
        record_outcomes(self.engine, self.run_id, others)
        self.buffer = []
        for path, r, processed in outcomes:
            if isinstance(r, FileError):
                self.report.failed.append(r)
            elif r.status == "unchanged":
                self.report.skipped += 1
            else:
                self.report.stored += 1
            if self.on_file:
                self.on_file(path, r, processed)


def timed_report(start: float, report: BatchReport) -> BatchReport:
    report.seconds = time.perf_counter() - start
    return report
