"""Export tables as JSONL, CSV or Parquet (the JSONL shapes are those ../shared/tools/score_articles.py reads)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from .store import Store

TABLES = ("articles", "events", "actors", "near_duplicates", "skipped", "runs")
FORMATS = ("jsonl", "csv", "parquet")

QUERIES = {
    "articles": """
        SELECT a.path, strftime(a.published, '%Y-%m-%d') AS published, a.title, a.outlet, a.author, a.language,
               a.date_note, a.url, a.id, a.coded, a.captions, a.body,
               (SELECT list(p.path ORDER BY p.path) FROM article_paths p WHERE p.article_id = a.id) AS paths
        FROM articles a ORDER BY a.path""",
    "events": """
        SELECT a.path, e.source, e.target, e.type, e.mode, e.modality, e.event_date, e.speaker, e.speaker_name,
               e.cameo, e.plover_score, e.quad_class, e.trigger, e.trigger_start, e.trigger_end,
               e.start_char, e.end_char, e.sentence_index, e.sentence, e.source_text, e.target_text,
               e.article_id, e.id, a.outlet, strftime(a.published, '%Y-%m-%d') AS published
        FROM events e JOIN articles a ON a.id = e.article_id ORDER BY a.path, e.event_index""",
    "actors": """
        SELECT a.path, m.text, m.code, m.sector, m.person, m.role, m.method, m.start_char, m.end_char,
               m.sentence_index, m.article_id
        FROM actor_mentions m JOIN articles a ON a.id = m.article_id ORDER BY a.path, m.mention_index""",
    "near_duplicates": """
        SELECT a.path, b.path AS other_path, n.similarity, n.article_id, n.other_id
        FROM near_duplicates n JOIN articles a ON a.id = n.article_id JOIN articles b ON b.id = n.other_id
        ORDER BY a.path""",
    "skipped": "SELECT run_id, path, reason FROM skipped ORDER BY run_id, path",
    "runs": "SELECT * FROM runs ORDER BY id",
}


def table_frame(store: Store, table: str, dyadic_only: bool = False) -> pd.DataFrame:
    """A table as a DataFrame; `dyadic_only` keeps the events between two parties: a recipient of another country
    or organisation than the actor (domestic events, such as police dispersing protesters, are left out)."""
    if table not in QUERIES:
        raise ValueError(f"unknown table {table!r}; choose one of {', '.join(TABLES)}")
    frame = store.query(QUERIES[table])
    if dyadic_only and table == "events":
        source_party = frame["source"].str.split("-").str[0]
        target_party = frame["target"].str.split("-").str[0]
        frame = frame[frame["target"].notna() & (source_party != target_party)].reset_index(drop=True)
    if "captions" in frame:
        frame["captions"] = frame["captions"].map(lambda text: json.loads(text) if text else [])
    return frame


def write_frame(frame: pd.DataFrame, fmt: str, output: str) -> None:
    """Write to a file path, or to standard output when output is '-'."""
    if fmt == "parquet":
        if output == "-":
            if sys.stdout.isatty():
                raise ValueError("Parquet is binary: give --output FILE instead of writing it to a terminal")
            write_parquet(frame, sys.stdout.buffer)
        else:
            frame.to_parquet(output, index=False)
        return
    text = to_jsonl(frame) if fmt == "jsonl" else frame.to_csv(index=False)
    if output == "-":
        sys.stdout.write(text)
    else:
        Path(output).write_text(text, encoding="utf-8")


def write_parquet(frame: pd.DataFrame, stream: BinaryIO) -> None:
    frame.to_parquet(stream, index=False)


def to_jsonl(frame: pd.DataFrame) -> str:
    records = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
    return "".join(json.dumps(record, ensure_ascii=False, default=str) + "\n" for record in records)
