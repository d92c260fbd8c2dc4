"""Store stage: an embedded DuckDB file holding articles, sentences, actor mentions, events and runs.

Writes happen one batch at a time inside a transaction, from Arrow-backed DataFrames, so an interrupted ingest
leaves the database as it was before the batch in progress.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from . import __version__
from .models import CodedArticle, Skipped

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id VARCHAR PRIMARY KEY, path VARCHAR, url VARCHAR, outlet VARCHAR, title VARCHAR, author VARCHAR,
    published DATE, date_note VARCHAR, language VARCHAR, coded BOOLEAN, body VARCHAR, raw VARCHAR,
    captions VARCHAR, furniture VARCHAR, run_id INTEGER, ingested_at TIMESTAMP
);
CREATE TABLE IF NOT EXISTS article_paths (path VARCHAR PRIMARY KEY, article_id VARCHAR, run_id INTEGER);
CREATE TABLE IF NOT EXISTS sentences (
    article_id VARCHAR, sentence_index INTEGER, start_char INTEGER, end_char INTEGER, kind VARCHAR, text VARCHAR,
    PRIMARY KEY (article_id, sentence_index)
);
CREATE TABLE IF NOT EXISTS actor_mentions (
    article_id VARCHAR, mention_index INTEGER, sentence_index INTEGER, start_char INTEGER, end_char INTEGER,
    text VARCHAR, code VARCHAR, sector VARCHAR, person VARCHAR, role VARCHAR, method VARCHAR,
    PRIMARY KEY (article_id, mention_index)
);
CREATE TABLE IF NOT EXISTS events (
    id VARCHAR PRIMARY KEY, article_id VARCHAR, event_index INTEGER, sentence_index INTEGER,
    start_char INTEGER, end_char INTEGER, sentence VARCHAR, trigger VARCHAR, trigger_start INTEGER,
    trigger_end INTEGER, source VARCHAR, target VARCHAR, source_country VARCHAR, target_country VARCHAR,
    type VARCHAR, mode VARCHAR, modality VARCHAR, event_date VARCHAR, event_day DATE, speaker VARCHAR,
    speaker_name VARCHAR, cameo VARCHAR, plover_score DOUBLE, quad_class VARCHAR, source_text VARCHAR,
    target_text VARCHAR
);
CREATE TABLE IF NOT EXISTS near_duplicates (
    article_id VARCHAR, other_id VARCHAR, similarity DOUBLE, PRIMARY KEY (article_id, other_id)
);
CREATE TABLE IF NOT EXISTS skipped (run_id INTEGER, path VARCHAR, reason VARCHAR);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY, started_at TIMESTAMP, finished_at TIMESTAMP, version VARCHAR, status VARCHAR,
    files_read INTEGER, skipped INTEGER, articles INTEGER, duplicates INTEGER, sentences INTEGER, events INTEGER
);
CREATE TABLE IF NOT EXISTS input_files (path VARCHAR PRIMARY KEY, size BIGINT, mtime_ns BIGINT, run_id INTEGER);
CREATE TABLE IF NOT EXISTS minhash_signatures (article_id VARCHAR, signature BLOB);
CREATE TABLE IF NOT EXISTS minhash_bands (band UTINYINT, key BLOB, article_id VARCHAR);
CREATE INDEX IF NOT EXISTS events_article ON events (article_id);
CREATE INDEX IF NOT EXISTS events_dyad ON events (source_country, target_country);
"""


APPEND_ONLY = {"skipped", "minhash_signatures", "minhash_bands"}  # tables with no key: every row is new
REPLACED = {"input_files"}  # a file ingested again after a change gets its new size and time


class StoreError(RuntimeError):
    """The database file cannot be opened or written."""


@dataclass
class RunCounts:
    files_read: int = 0
    resumed: int = 0  # input files not read again: same path, size and mtime as an earlier run's (--resume)
    skipped: int = 0
    articles: int = 0
    duplicates: int = 0
    sentences: int = 0
    events: int = 0
    skipped_reasons: list[Skipped] = field(default_factory=list)


def country_of(code: str | None) -> str | None:
    """'ARM-MIL' -> 'ARM', 'IGO:EU-GOV' -> 'IGO:EU': the actor without its sector."""
    if not code:
        return None
    head, _, sector = code.rpartition("-")
    return head if head and sector.isalpha() and sector.isupper() and len(sector) == 3 else code


def event_day(value: str | None) -> str | None:
    """'2022-10' -> '2022-10-01', '2020' -> '2020-01-01': a day for time series; the exact text stays too."""
    if not value:
        return None
    parts = value.split("-") + ["01", "01"]
    return "-".join(parts[:3])


class Store:
    def __init__(self, path: str | Path, read_only: bool = False):
        self.path = str(path)
        try:
            if not read_only:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self.con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.Error as err:
            raise StoreError(f"{self.path}: cannot open database ({err})") from err
        if not read_only:
            self.con.execute(SCHEMA)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- runs -----------------------------------------------------------------------------------------------
    def start_run(self) -> int:
        run_id = self.con.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM runs").fetchone()[0]
        self.con.execute("INSERT INTO runs (id, started_at, version, status) VALUES (?, ?, ?, 'running')",
                         [run_id, now(), __version__])
        return run_id

    def finish_run(self, run_id: int, counts: RunCounts, status: str = "done") -> None:
        self.con.execute(
            "UPDATE runs SET finished_at = ?, status = ?, files_read = ?, skipped = ?, articles = ?, duplicates = ?,"
            " sentences = ?, events = ? WHERE id = ?",
            [now(), status, counts.files_read, counts.skipped, counts.articles, counts.duplicates, counts.sentences,
             counts.events, run_id])

    # -- reads used while ingesting ------------------------------------------------------------------------
    def known_ids(self, ids: Iterable[str]) -> set[str]:
        ids = list(ids)
        if not ids:
            return set()
        rows = self.con.execute("SELECT id FROM articles WHERE id IN (SELECT UNNEST(?))", [ids]).fetchall()
        return {row[0] for row in rows}

    def known_paths(self) -> set[str]:
        return {row[0] for row in self.con.execute("SELECT path FROM article_paths").fetchall()}

    def article_bodies(self) -> list[tuple[str, str]]:
        return self.con.execute("SELECT id, body FROM articles ORDER BY id").fetchall()

    def ingested_files(self, stamps: Sequence[tuple[str, int, int]]) -> set[str]:
        """The paths among (path, size, mtime_ns) that an earlier run ingested with the same size and mtime."""
        if not stamps:
            return set()
        frame = pd.DataFrame(list(stamps), columns=["path", "size", "mtime_ns"])
        self.con.register("stamp_frame", frame)
        try:
            rows = self.con.execute(
                "SELECT f.path FROM stamp_frame f JOIN input_files i"
                " ON i.path = f.path AND i.size = f.size AND i.mtime_ns = f.mtime_ns").fetchall()
        finally:
            self.con.unregister("stamp_frame")
        return {row[0] for row in rows}

    def unsigned_bodies(self, chunk: int = 1000) -> Iterator[list[tuple[str, str]]]:
        """(id, body) of the articles that have no MinHash signature yet (databases from before signatures were
        stored), in chunks, in id order."""
        cursor = self.con.cursor()
        try:
            cursor.execute("SELECT id, body FROM articles WHERE id NOT IN (SELECT article_id FROM minhash_signatures)"
                           " ORDER BY id")
            while rows := cursor.fetchmany(chunk):
                yield rows
        finally:
            cursor.close()

    def near_candidates(self, keys: Sequence[tuple[int, int, bytes]]) -> dict[tuple[int, str], bytes]:
        """Stored articles sharing an LSH band with any of the (query, band, key) rows, with their signatures:
        {(query, article_id): signature}."""
        if not keys:
            return {}
        frame = pd.DataFrame(list(keys), columns=["query", "band", "key"])
        self.con.register("band_frame", frame)
        try:
            rows = self.con.execute(
                "WITH hits AS (SELECT DISTINCT q.query, b.article_id FROM band_frame q JOIN minhash_bands b"
                " ON b.band = q.band AND b.key = q.key)"
                " SELECT hits.query, hits.article_id, s.signature FROM hits"
                " JOIN minhash_signatures s ON s.article_id = hits.article_id").fetchall()
        finally:
            self.con.unregister("band_frame")
        return {(query, article_id): signature for query, article_id, signature in rows}

    def write_signatures(self, signatures: Sequence[tuple[str, bytes]],
                         bands: Sequence[tuple[int, bytes, str]]) -> None:
        self.con.execute("BEGIN TRANSACTION")
        try:
            self._insert("minhash_signatures", signatures_frame(signatures))
            self._insert("minhash_bands", bands_frame(bands))
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise

    # -- writes -----------------------------------------------------------------------------------------------
    def write_batch(self, run_id: int, coded: Sequence[CodedArticle], paths: Sequence[tuple[str, str]],
                    near_duplicates: Sequence[tuple[str, str, float]], skipped: Sequence[Skipped],
                    signatures: Sequence[tuple[str, bytes]] = (), bands: Sequence[tuple[int, bytes, str]] = (),
                    files: Sequence[tuple[str, int, int]] = ()) -> None:
        """Write one batch atomically: either all of it lands or none of it.

        signatures and bands are the new articles' MinHash signatures and LSH band keys (near-duplicate search),
        files the (path, size, mtime_ns) of the input files whose last document is in this batch (--resume)."""
        frames = {
            "articles": articles_frame(coded, run_id),
            "sentences": sentences_frame(coded),
            "actor_mentions": mentions_frame(coded),
            "events": events_frame(coded),
            "article_paths": pd.DataFrame(
                [(path, article_id, run_id) for path, article_id in paths],
                columns=["path", "article_id", "run_id"]),
            "near_duplicates": pd.DataFrame(list(near_duplicates), columns=["article_id", "other_id", "similarity"]),
            "skipped": pd.DataFrame([(run_id, s.path, s.reason) for s in skipped],
                                    columns=["run_id", "path", "reason"]),
            "minhash_signatures": signatures_frame(signatures),
            "minhash_bands": bands_frame(bands),
            "input_files": pd.DataFrame([(path, size, mtime, run_id) for path, size, mtime in files],
                                        columns=["path", "size", "mtime_ns", "run_id"]),
        }
        self.con.execute("BEGIN TRANSACTION")
        try:
            for table, frame in frames.items():
                self._insert(table, frame)
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise

    def _insert(self, table: str, frame: pd.DataFrame) -> None:
        if frame.empty:
            return
        self.con.register("batch_frame", frame)
        try:
            columns = ", ".join(f'"{c}"' for c in frame.columns)
            verb = "INSERT" if table in APPEND_ONLY else "INSERT OR REPLACE" if table in REPLACED else \
                "INSERT OR IGNORE"
            self.con.execute(f"{verb} INTO {table} ({columns}) SELECT {columns} FROM batch_frame")
        finally:
            self.con.unregister("batch_frame")

    # -- queries ----------------------------------------------------------------------------------------------
    def query(self, sql: str, params: Sequence | None = None) -> pd.DataFrame:
        return self.con.execute(sql, params or []).fetchdf()


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def signatures_frame(signatures: Sequence[tuple[str, bytes]]) -> pd.DataFrame:
    return pd.DataFrame(list(signatures), columns=["article_id", "signature"])


def bands_frame(bands: Sequence[tuple[int, bytes, str]]) -> pd.DataFrame:
    return pd.DataFrame(list(bands), columns=["band", "key", "article_id"])


def articles_frame(coded: Sequence[CodedArticle], run_id: int) -> pd.DataFrame:
    rows = []
    for item in coded:
        a = item.article
        rows.append({
            "id": a.id, "path": a.path, "url": a.url, "outlet": a.outlet, "title": a.title, "author": a.author,
            "published": a.published, "date_note": a.date_note, "language": a.language, "coded": a.coded,
            "body": a.body, "raw": a.raw, "captions": json.dumps(a.captions, ensure_ascii=False),
            "furniture": json.dumps(a.furniture, ensure_ascii=False), "run_id": run_id, "ingested_at": now(),
        })
    frame = pd.DataFrame(rows)
    if not frame.empty:
        frame["published"] = pd.to_datetime(frame["published"], errors="coerce").dt.date
    return frame


def sentences_frame(coded: Sequence[CodedArticle]) -> pd.DataFrame:
    return pd.DataFrame(
        [(c.article.id, s.index, s.start, s.end, s.kind, s.text) for c in coded for s in c.sentences],
        columns=["article_id", "sentence_index", "start_char", "end_char", "kind", "text"])


def mentions_frame(coded: Sequence[CodedArticle]) -> pd.DataFrame:
    return pd.DataFrame(
        [(c.article.id, i, m.sentence_index, m.start, m.end, m.text, m.code, m.sector, m.person, m.role, m.method)
         for c in coded for i, m in enumerate(c.mentions)],
        columns=["article_id", "mention_index", "sentence_index", "start_char", "end_char", "text", "code", "sector",
                 "person", "role", "method"])


def events_frame(coded: Sequence[CodedArticle]) -> pd.DataFrame:
    rows = []
    for item in coded:
        for i, e in enumerate(item.events):
            rows.append({
                "id": f"{item.article.id}:{i}", "article_id": item.article.id, "event_index": i,
                "sentence_index": e.sentence_index, "start_char": e.start, "end_char": e.end, "sentence": e.sentence,
                "trigger": e.trigger, "trigger_start": e.trigger_start, "trigger_end": e.trigger_end,
                "source": e.source, "target": e.target, "source_country": country_of(e.source),
                "target_country": country_of(e.target), "type": e.type, "mode": e.mode, "modality": e.modality,
                "event_date": e.event_date, "event_day": event_day(e.event_date), "speaker": e.speaker,
                "speaker_name": e.speaker_name, "cameo": e.cameo, "plover_score": e.plover_score,
                "quad_class": e.quad_class, "source_text": e.source_text, "target_text": e.target_text,
            })
    frame = pd.DataFrame(rows)
    if not frame.empty:
        frame["event_day"] = pd.to_datetime(frame["event_day"], errors="coerce").dt.date
    return frame
