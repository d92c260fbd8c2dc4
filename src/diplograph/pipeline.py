"""The pipeline at a glance:

    ingest  (files, folders, JSONL)      -> RawDocument | Skipped          ingest.iter_documents
    clean   (furniture, metadata, lang)  -> Article                        clean.clean_document
    dedup   (exact hash, MinHash LSH)    -> new articles + duplicate links dedup.NearDuplicateIndex
    parse   (spaCy, nlp.pipe batches)    -> Doc                            parse.load_nlp     } annotate.Analyzer
    actors  (gazetteer, roles, coref)    -> ArticleActors                  actors.ActorResolver }
    events  (PLOVER triggers on parse)   -> Event                          events.EventCoder    }
    store   (DuckDB, one transaction per batch)                             store.Store
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path

from .annotate import Analyzer
from .clean import Unusable, clean_document
from .dedup import NearDuplicateIndex
from .ingest import iter_documents
from .models import Article, RawDocument, Skipped
from .settings import Settings
from .store import RunCounts, Store

Progress = Callable[[int], None]


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


class Ingestor:
    """Runs the whole pipeline over files and folders into one database."""

    def __init__(self, store: Store, settings: Settings, analyzer: Analyzer | None = None):
        self.store = store
        self.settings = settings
        self.analyzer = analyzer or Analyzer(settings)
        self.near_index = NearDuplicateIndex(threshold=settings.near_duplicate_threshold)
        for article_id, body in store.article_bodies():
            self.near_index.add(article_id, body)

    def run(self, paths: Sequence[str | Path], progress: Progress | None = None) -> RunCounts:
        counts = RunCounts()
        run_id = self.store.start_run()
        status = "failed"
        try:
            for batch in batched(iter_documents(paths, self.settings), self.settings.batch_size):
                self.ingest_batch(run_id, batch, counts)
                if progress:
                    progress(len({doc.path.split("#L")[0] for doc in batch}))
            status = "done"
        except KeyboardInterrupt:
            status = "interrupted"
            raise
        finally:
            self.store.finish_run(run_id, counts, status)
        return counts

    def ingest_batch(self, run_id: int, batch: list[RawDocument | Skipped], counts: RunCounts) -> None:
        skipped: list[Skipped] = []
        articles: list[Article] = []
        for item in batch:
            counts.files_read += 1
            if isinstance(item, Skipped):
                skipped.append(item)
                continue
            try:
                articles.append(clean_document(item, self.settings))
            except Unusable as err:
                skipped.append(Skipped(item.path, err.reason))
        known = self.store.known_ids(a.id for a in articles)
        fresh: dict[str, Article] = {}
        paths: list[tuple[str, str]] = []
        for article in articles:
            paths.append((article.path, article.id))
            if article.id in known or article.id in fresh:
                counts.duplicates += 1
            else:
                fresh[article.id] = article
        near = [(a.id, other, sim) for a in fresh.values() for other, sim in self.near_index.add(a.id, a.body)]
        coded = self.analyzer.code_articles(list(fresh.values()))
        self.store.write_batch(run_id, coded, paths, near, skipped)
        counts.skipped += len(skipped)
        counts.skipped_reasons.extend(skipped)
        counts.articles += len(coded)
        counts.sentences += sum(len(c.sentences) for c in coded)
        counts.events += sum(len(c.events) for c in coded)
