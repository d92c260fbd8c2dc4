"""The pipeline at a glance:

    ingest  (files, folders, JSONL)      -> RawDocument | Skipped          ingest.iter_documents
    clean   (furniture, metadata, lang)  -> Article                        clean.clean_document
    dedup   (exact hash, MinHash LSH)    -> new articles + duplicate links StoredNearDuplicates (dedup signatures)
    parse   (spaCy, nlp.pipe batches)    -> Doc                            parse.load_nlp     } annotate.Analyzer
    actors  (gazetteer, roles, coref)    -> ArticleActors                  actors.ActorResolver }
    events  (PLOVER triggers on parse)   -> Event                          events.EventCoder    }
    store   (DuckDB, one transaction per batch)                             store.Store

Everything streams in batches of `Settings.batch_size` documents. With `Settings.workers` > 1, cleaning and
coding (parse, actors, events) run in a pool of worker processes that each load the model once, while the main
process reads files, deduplicates and writes, one batch at a time and in input order, so that the database ends up
exactly as a single-process run leaves it. engine_ray.RayIngestor runs the same stages on a Ray cluster.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

import numpy as np

from .annotate import Analyzer
from .clean import Unusable, clean_document
from .dedup import NearDuplicateIndex
from .ingest import _folder_files, iter_documents
from .models import ActorMention, Article, CodedArticle, Event, RawDocument, Sentence, Skipped
from .settings import Settings
from .store import RunCounts, Store

Progress = Callable[[int], None]
FileStamp = tuple[str, int, int]  # path, size in bytes, modification time in ns
Coding = tuple[list[Sentence], list[ActorMention], list[Event]]
STAT_CHUNK = 512  # input files looked up at once in the database when resuming


def batched(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def count_inputs(paths: Iterable[str | Path], settings: Settings) -> int:
    """How many files an ingest will read (for the progress bar)."""
    total = 0
    for path in map(Path, paths):
        if path.is_dir():
            total += sum(1 for p in path.rglob("*") if p.is_file() and p.suffix.lower() in settings.input_suffixes)
        else:
            total += 1
    return total


def worker_count(settings: Settings) -> int:
    """Settings.workers, where 0 or less means one per CPU core."""
    return settings.workers if settings.workers > 0 else os.cpu_count() or 1


# ------------------------------------------------------------------------------------------------ inputs
@dataclass
class Input:
    doc: RawDocument | Skipped
    stamp: FileStamp | None = None  # set on the last document read from an input file


def file_stamp(path: Path) -> FileStamp | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return str(path), stat.st_size, stat.st_mtime_ns


def iter_input_files(paths: Sequence[str | Path], settings: Settings,
                     already_ingested: Callable[[list[FileStamp]], set[str]] | None = None,
                     on_resumed: Callable[[int], None] | None = None) -> Iterator[tuple[str | Path, FileStamp | None]]:
    """The files an ingest reads, in ingest.iter_documents' order, with their size and mtime (None for a path that
    does not exist); with `already_ingested`, the files it names (same path, size and mtime as an earlier run's)
    are left out, counted by `on_resumed`."""
    for given in paths:
        path = Path(given)
        files: Iterable[str | Path] = _folder_files(path, settings.input_suffixes) if path.is_dir() else [given]
        for chunk in batched(files, STAT_CHUNK):
            stamps = [file_stamp(Path(f)) for f in chunk]
            done = already_ingested([s for s in stamps if s]) if already_ingested else set()
            resumed = 0
            for file, stamp in zip(chunk, stamps, strict=True):
                if stamp and stamp[0] in done:
                    resumed += 1
                else:
                    yield file, stamp
            if resumed and on_resumed:
                on_resumed(resumed)


def read_file(file: str | Path, stamp: FileStamp | None, settings: Settings) -> Iterator[Input]:
    """ingest.iter_documents on one file, with the file's stamp on its last document."""
    docs = list(iter_documents([file], settings))
    for index, doc in enumerate(docs):
        yield Input(doc, stamp if index == len(docs) - 1 else None)


def iter_inputs(paths: Sequence[str | Path], settings: Settings,
                already_ingested: Callable[[list[FileStamp]], set[str]] | None = None,
                on_resumed: Callable[[int], None] | None = None) -> Iterator[Input]:
    """ingest.iter_documents, file by file, with each file's stamp on its last document (see iter_input_files)."""
    for file, stamp in iter_input_files(paths, settings, already_ingested, on_resumed):
        yield from read_file(file, stamp, settings)


def clean_batch(docs: Sequence[RawDocument | Skipped], settings: Settings) -> list[Article | Skipped]:
    """clean.clean_document over a batch; unusable documents become Skipped with the reason."""
    cleaned: list[Article | Skipped] = []
    for doc in docs:
        if isinstance(doc, Skipped):
            cleaned.append(doc)
            continue
        try:
            cleaned.append(clean_document(doc, settings))
        except Unusable as err:
            cleaned.append(Skipped(doc.path, err.reason))
    return cleaned


def code_batch(analyzer: Analyzer, articles: Sequence[Article]) -> list[Coding]:
    """parse -> actors -> events for new articles: what a worker sends back (the main process has the articles)."""
    return [(c.sentences, c.mentions, c.events) for c in analyzer.code_articles(articles)]


# ------------------------------------------------------------------------------------------------ near duplicates
class StoredNearDuplicates:
    """dedup.NearDuplicateIndex's search with its LSH buckets in the database instead of in memory.

    Same signatures (NearDuplicateIndex.signature), same bands, so the same candidates, similarities and order as
    NearDuplicateIndex.add over every stored article; memory holds only the articles not written yet.
    """

    def __init__(self, store: Store, threshold: float):
        self.store = store
        self.index = NearDuplicateIndex(threshold=threshold)
        self.threshold = threshold
        self.ranges: list[tuple[int, int]] = list(self.index._lsh.hashranges)
        self._pending: dict[str, np.ndarray] = {}
        self._pending_bands: dict[tuple[int, bytes], list[str]] = {}

    def signature(self, body: str) -> np.ndarray:
        return np.asarray(self.index.signature(body).hashvalues, dtype="<u8")

    def band_keys(self, values: np.ndarray) -> list[tuple[int, bytes]]:
        return [(band, values[start:end].tobytes()) for band, (start, end) in enumerate(self.ranges)]

    def backfill(self, chunk: int = 1000) -> int:
        """Store signatures for articles written before signatures were stored; returns how many."""
        done = 0
        for rows in self.store.unsigned_bodies(chunk):
            signatures, bands = [], []
            for article_id, body in rows:
                values = self.signature(body)
                signatures.append((article_id, values.tobytes()))
                bands.extend((band, key, article_id) for band, key in self.band_keys(values))
            self.store.write_signatures(signatures, bands)
            done += len(rows)
        return done

    def add_batch(self, articles: Sequence[tuple[str, str]]
                  ) -> tuple[list[tuple[str, str, float]], list[tuple[str, bytes]], list[tuple[int, bytes, str]]]:
        """Index (id, body) pairs in order; return the near-duplicate links (each article against every stored or
        earlier one) and the signature and band rows to store with the batch."""
        values = [self.signature(body) for _, body in articles]
        keys = [(query, band, key) for query, v in enumerate(values) for band, key in self.band_keys(v)]
        stored: dict[int, dict[str, np.ndarray]] = {}
        for (query, other), signature in self.store.near_candidates(keys).items():
            stored.setdefault(query, {})[other] = np.frombuffer(signature, dtype="<u8")
        near, signatures, bands = [], [], []
        for query, ((article_id, _), signature) in enumerate(zip(articles, values, strict=True)):
            own_keys = self.band_keys(signature)
            candidates = stored.get(query, {})
            for key in own_keys:
                for other in self._pending_bands.get(key, ()):
                    candidates[other] = self._pending[other]
            found = []
            for other, other_values in candidates.items():
                if other == article_id:
                    continue
                similarity = float(np.count_nonzero(signature == other_values)) / float(len(signature))
                if similarity >= self.threshold:
                    found.append((other, round(similarity, 3)))
            found.sort(key=lambda pair: (-pair[1], pair[0]))
            near.extend((article_id, other, similarity) for other, similarity in found)
            if article_id not in self._pending:
                self._pending[article_id] = signature
                for key in own_keys:
                    self._pending_bands.setdefault(key, []).append(article_id)
                signatures.append((article_id, signature.tobytes()))
                bands.extend((band, key, article_id) for band, key in own_keys)
        return near, signatures, bands

    def written(self, article_ids: Iterable[str]) -> None:
        """These articles are in the database now: forget their in-memory copies."""
        for article_id in article_ids:
            signature = self._pending.pop(article_id, None)
            if signature is None:
                continue
            for key in self.band_keys(signature):
                others = self._pending_bands.get(key)
                if others is not None:
                    others.remove(article_id)
                    if not others:
                        del self._pending_bands[key]


# ------------------------------------------------------------------------------------------------ the ingestor
@dataclass
class Prepared:
    """A cleaned and deduplicated batch, waiting for its new articles to be coded."""

    files_read: int
    files_done: int  # input files whose last document is in this batch (progress)
    skipped: list[Skipped] = field(default_factory=list)
    fresh: list[Article] = field(default_factory=list)
    paths: list[tuple[str, str]] = field(default_factory=list)
    duplicates: int = 0
    near: list[tuple[str, str, float]] = field(default_factory=list)
    signatures: list[tuple[str, bytes]] = field(default_factory=list)
    bands: list[tuple[int, bytes, str]] = field(default_factory=list)
    stamps: list[FileStamp] = field(default_factory=list)


class Ingestor:
    """Runs the whole pipeline over files and folders into one database.

    resume: skip input files that an earlier run ingested with the same path, size and mtime without reading them
    (without it, they are read and cleaned again and found to be duplicates by their content hash).
    """

    def __init__(self, store: Store, settings: Settings, analyzer: Analyzer | None = None, resume: bool = False):
        self.store = store
        self.settings = settings
        self.resume = resume
        self._analyzer = analyzer
        self.near_index = StoredNearDuplicates(store, settings.near_duplicate_threshold)
        self.near_index.backfill()
        self._in_flight: set[str] = set()  # new articles handed to workers, not written yet
        self.timings: dict[str, float] = {"dedup": 0.0, "write": 0.0}  # seconds of main-process work, for the bench

    @property
    def analyzer(self) -> Analyzer:
        """The in-process analyzer (loaded on first use: with workers, the main process never needs the model)."""
        if self._analyzer is None:
            self._analyzer = Analyzer(self.settings)
        return self._analyzer

    def input_files(self, paths: Sequence[str | Path], counts: RunCounts,
                    progress: Progress | None) -> Iterator[tuple[str | Path, FileStamp | None]]:
        def on_resumed(n: int) -> None:
            counts.resumed += n
            if progress:
                progress(n)

        check = self.store.ingested_files if self.resume else None
        return iter_input_files(paths, self.settings, check, on_resumed)

    def inputs(self, paths: Sequence[str | Path], counts: RunCounts, progress: Progress | None) -> Iterator[Input]:
        for file, stamp in self.input_files(paths, counts, progress):
            yield from read_file(file, stamp, self.settings)

    def run(self, paths: Sequence[str | Path], progress: Progress | None = None) -> RunCounts:
        counts = RunCounts()
        with self.recorded_run(counts) as run_id:
            batches = batched(self.inputs(paths, counts, progress), self.settings.batch_size)
            if worker_count(self.settings) > 1:
                self._run_parallel(run_id, batches, counts, progress)
            else:
                for batch in batches:
                    cleaned = clean_batch([item.doc for item in batch], self.settings)
                    prepared = self.prepare(cleaned, [item.stamp for item in batch])
                    self.finish(run_id, prepared, code_batch(self.analyzer, prepared.fresh), counts, progress)
        return counts

    @contextmanager
    def recorded_run(self, counts: RunCounts) -> Iterator[int]:
        """A row in `runs` for the work inside, marked done, interrupted or failed; new articles make the story
        and framing tables stale, so they are dropped (and rebuilt when next asked for)."""
        run_id = self.store.start_run()
        status = "failed"
        try:
            yield run_id
            if counts.articles:
                from .framing import invalidate  # imported here: its analysis libraries are not needed to ingest

                invalidate(self.store.con)
            status = "done"
        except KeyboardInterrupt:
            status = "interrupted"
            raise
        finally:
            self.store.finish_run(run_id, counts, status)

    def _run_parallel(self, run_id: int, batches: Iterator[list[Input]], counts: RunCounts,
                      progress: Progress | None) -> None:
        """Clean and code in worker processes, a few batches ahead; deduplicate and write here, in input order."""
        workers = worker_count(self.settings)
        ahead = 2 * workers
        context = multiprocessing.get_context("spawn")  # no fork of a process holding DuckDB threads
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=start_worker,
                                   initargs=(self.settings,))
        cleaning: deque[tuple[list[Input], Future]] = deque()
        coding: deque[tuple[Prepared, Future]] = deque()
        more = True
        try:
            while True:
                while more and len(cleaning) + len(coding) < ahead:
                    batch = next(batches, None)
                    if batch is None:
                        more = False
                        break
                    cleaning.append((batch, pool.submit(worker_clean, [item.doc for item in batch])))
                if coding and (not cleaning or coding[0][1].done()):
                    prepared, future = coding.popleft()
                    self.finish(run_id, prepared, future.result(), counts, progress)
                elif cleaning:
                    batch, future = cleaning.popleft()
                    prepared = self.prepare(future.result(), [item.stamp for item in batch])
                    coded: Future = pool.submit(worker_code, prepared.fresh) if prepared.fresh else done_future([])
                    coding.append((prepared, coded))
                else:
                    break
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()

    def prepare(self, cleaned: Sequence[Article | Skipped], stamps: Iterable[FileStamp | None]) -> Prepared:
        """Exact and near-duplicate checks against the database and the batches in flight, in input order.

        cleaned: one item per input document; stamps: the input files whose last document is among them."""
        started = time.perf_counter()
        prepared = Prepared(files_read=len(cleaned), files_done=len({item.path.split("#L")[0] for item in cleaned}))
        articles: list[Article] = []
        for item in cleaned:
            if isinstance(item, Skipped):
                prepared.skipped.append(item)
            else:
                articles.append(item)
        known = self.store.known_ids(a.id for a in articles)
        fresh: dict[str, Article] = {}
        for article in articles:
            prepared.paths.append((article.path, article.id))
            if article.id in known or article.id in fresh or article.id in self._in_flight:
                prepared.duplicates += 1
            else:
                fresh[article.id] = article
        prepared.fresh = list(fresh.values())
        prepared.near, prepared.signatures, prepared.bands = self.near_index.add_batch(
            [(a.id, a.body) for a in prepared.fresh])
        self._in_flight.update(fresh)
        prepared.stamps = list({stamp[0]: stamp for stamp in stamps if stamp}.values())
        self.timings["dedup"] += time.perf_counter() - started
        return prepared

    def finish(self, run_id: int, prepared: Prepared, coding: Sequence[Coding], counts: RunCounts,
               progress: Progress | None) -> None:
        started = time.perf_counter()
        coded = [CodedArticle(article, *parts) for article, parts in zip(prepared.fresh, coding, strict=True)]
        self.store.write_batch(run_id, coded, prepared.paths, prepared.near, prepared.skipped,
                               signatures=prepared.signatures, bands=prepared.bands, files=prepared.stamps)
        ids = [a.id for a in prepared.fresh]
        self.near_index.written(ids)
        self._in_flight.difference_update(ids)
        self.timings["write"] += time.perf_counter() - started
        counts.files_read += prepared.files_read
        counts.duplicates += prepared.duplicates
        counts.skipped += len(prepared.skipped)
        counts.skipped_reasons.extend(prepared.skipped)
        counts.articles += len(coded)
        counts.sentences += sum(len(c.sentences) for c in coded)
        counts.events += sum(len(c.events) for c in coded)
        if progress:
            progress(prepared.files_done)


def done_future(value: object) -> Future:
    future: Future = Future()
    future.set_result(value)
    return future


# ------------------------------------------------------------------------------------------------ worker processes
_worker: dict[str, object] = {}


def start_worker(settings: Settings) -> None:
    """Pool initializer: load the model and the knowledge files once per worker process.

    Ctrl-C is the main process's to handle: it stops feeding the pool and marks the run interrupted; every batch
    written so far is complete, so `--resume` carries on from there."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker["settings"] = settings
    _worker["analyzer"] = Analyzer(settings)


def worker_clean(docs: list[RawDocument | Skipped]) -> list[Article | Skipped]:
    return clean_batch(docs, _worker["settings"])  # type: ignore[arg-type]


def worker_code(articles: list[Article]) -> list[Coding]:
    return code_batch(_worker["analyzer"], articles)  # type: ignore[arg-type]
