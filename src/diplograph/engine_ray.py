"""The distributed engine: read -> clean -> parse -> actors -> events on Ray Data, Parquet parts, then the database.

    driver    list input files (sorted like ingest.iter_documents; --resume leaves out files already ingested)
    Ray Data  map_batches(DocumentCoder): an actor class holding the spaCy model and the knowledge files reads each
              file, cleans and codes its documents, one output row per document; write_parquet(parts)
    driver    read the parts back in input order (DuckDB) and load them batch by batch exactly as the local engine
              does: exact and near-duplicate checks, then Store.write_batch

The database ends up as a local run leaves it (tests/test_scale.py checks events row for row). Differences from
the local engine: workers read the input files themselves, so on a cluster the inputs (and the parts folder) must
be on storage every node sees under the same path; and documents whose content is already in the database are
coded anyway (the duplicate check happens at load time), so the engine suits fresh corpora best.
Needs the `scale` extra (ray[data]); see docs/scaling.md.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from pathlib import Path

import duckdb

from .annotate import Analyzer
from .models import ActorMention, Article, Event, Sentence, Skipped
from .pipeline import Coding, FileStamp, Ingestor, Progress, clean_batch, code_batch, read_file
from .settings import Settings
from .store import RunCounts, Store

PART_COLUMNS = ("seq", "sub", "file", "path", "size", "mtime_ns", "last", "article_id", "payload")


class DocumentCoder:
    """Ray Data actor: loads the model once, then turns batches of input files into one row per document."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.analyzer = Analyzer(settings)

    def __call__(self, batch: dict) -> dict[str, list]:
        rows: dict[str, list] = {column: [] for column in PART_COLUMNS}
        documents = []
        for seq, path, size, mtime_ns in zip(batch["seq"], batch["path"], batch["size"], batch["mtime_ns"],
                                             strict=True):
            stamp = (str(path), int(size), int(mtime_ns)) if size >= 0 else None
            for sub, item in enumerate(read_file(str(path), stamp, self.settings)):
                documents.append((int(seq), sub, item))
        cleaned = clean_batch([item.doc for _, _, item in documents], self.settings)
        unique = list({a.id: a for a in cleaned if isinstance(a, Article)}.values())
        codings = dict(zip((a.id for a in unique), code_batch(self.analyzer, unique), strict=True))
        for (seq, sub, item), result in zip(documents, cleaned, strict=True):
            rows["seq"].append(seq)
            rows["sub"].append(sub)
            rows["file"].append(item.stamp[0] if item.stamp else None)
            rows["path"].append(result.path)
            rows["size"].append(item.stamp[1] if item.stamp else -1)
            rows["mtime_ns"].append(item.stamp[2] if item.stamp else -1)
            rows["last"].append(item.stamp is not None)
            if isinstance(result, Skipped):
                rows["article_id"].append(None)
                rows["payload"].append(json.dumps({"reason": result.reason}, ensure_ascii=False))
            else:
                rows["article_id"].append(result.id)
                rows["payload"].append(encode(result, codings[result.id]))
        return rows


def encode(article: Article, coding: Coding) -> str:
    sentences, mentions, events = coding
    return json.dumps({"article": asdict(article), "sentences": [asdict(s) for s in sentences],
                       "mentions": [asdict(m) for m in mentions], "events": [asdict(e) for e in events]},
                      ensure_ascii=False)


def decode(payload: str) -> tuple[Article, Coding]:
    data = json.loads(payload)
    coding = ([Sentence(**s) for s in data["sentences"]], [ActorMention(**m) for m in data["mentions"]],
              [Event(**e) for e in data["events"]])
    return Article(**data["article"]), coding


class RayIngestor(Ingestor):
    """Ingestor whose clean/parse/actors/events stages run on Ray Data; deduplication and writes stay here.

    address: a Ray cluster ("auto", "ray://head:10001"), or None for a local Ray instance with `num_cpus` CPUs
    (Settings.workers when > 0). parts_dir: where the Parquet parts go (shared storage on a cluster); by default a
    temporary folder beside the database, removed once loaded.
    """

    def __init__(self, store: Store, settings: Settings, address: str | None = None, parts_dir: str | None = None,
                 resume: bool = False, num_cpus: int | None = None, actors: int | None = None):
        super().__init__(store, settings, resume=resume)
        self.address = address
        self.parts_dir = parts_dir
        self.num_cpus = num_cpus or (settings.workers if settings.workers > 0 else None)
        self.actors = actors

    def run(self, paths: Sequence[str | Path], progress: Progress | None = None) -> RunCounts:
        counts = RunCounts()
        with self.recorded_run(counts) as run_id:
            parts = Path(self.parts_dir) / f"run-{run_id}" if self.parts_dir else \
                Path(tempfile.mkdtemp(prefix=".diplograph-parts-", dir=Path(self.store.path).resolve().parent))
            try:
                items = [{"seq": seq, "path": str(file), "size": stamp[1] if stamp else -1,
                          "mtime_ns": stamp[2] if stamp else -1}
                         for seq, (file, stamp) in enumerate(self.input_files(paths, counts, progress))]
                if items:
                    self.code_on_ray(items, parts)
                    self.load(run_id, parts, counts, progress)
            finally:
                if not self.parts_dir:
                    shutil.rmtree(parts, ignore_errors=True)
        return counts

    def code_on_ray(self, items: list[dict], parts: Path) -> None:
        import ray

        if not ray.is_initialized():
            options = {"address": self.address} if self.address else {"num_cpus": self.num_cpus}
            ray.init(**options, include_dashboard=False, log_to_driver=False, ignore_reinit_error=True)
        context = ray.data.DataContext.get_current()
        context.execution_options.preserve_order = True
        context.enable_progress_bars = False
        actors = self.actors or max(1, int(ray.available_resources().get("CPU", 1)))
        batch_size = self.settings.batch_size
        blocks = max(1, min(len(items) // batch_size + 1, 4 * actors * 8))
        dataset = ray.data.from_items(items, override_num_blocks=blocks)
        coded = dataset.map_batches(DocumentCoder, fn_constructor_args=(self.settings,), batch_size=batch_size,
                                    concurrency=actors, num_cpus=1)
        coded.write_parquet(str(parts))

    def load(self, run_id: int, parts: Path, counts: RunCounts, progress: Progress | None) -> None:
        """Parts in input order, batch_size documents at a time, through the local engine's prepare and finish."""
        for rows in self.part_rows(parts):
            cleaned: list[Article | Skipped] = []
            codings: dict[str, Coding] = {}
            stamps: list[FileStamp | None] = []
            for _seq, _sub, file, path, size, mtime_ns, last, article_id, payload in rows:
                stamps.append((file, size, mtime_ns) if last and file is not None else None)
                if article_id is None:
                    cleaned.append(Skipped(path, json.loads(payload)["reason"]))
                else:
                    article, coding = decode(payload)
                    cleaned.append(article)
                    codings[article.id] = coding
            prepared = self.prepare(cleaned, stamps)
            self.finish(run_id, prepared, [codings[a.id] for a in prepared.fresh], counts, progress)

    def part_rows(self, parts: Path) -> Iterator[list[tuple]]:
        files = sorted(str(p) for p in parts.rglob("*.parquet"))
        if not files:
            return
        with duckdb.connect() as con:
            con.execute(f"SELECT {', '.join(PART_COLUMNS)} FROM read_parquet(?) ORDER BY seq, sub", [files])
            yield from iter(lambda: con.fetchmany(self.settings.batch_size), [])
