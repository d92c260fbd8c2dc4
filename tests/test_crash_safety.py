"""Hard stops: an ingest killed with SIGKILL in the middle and run again ends exactly where an uninterrupted ingest
ends, and reading the database while an ingest writes it either works or fails with a clear message.

The ingests run as real subprocesses (`python -m diplograph.cli ingest ... --batch-size 2`). A batch has landed
when DuckDB's write-ahead log grows: every batch is one committed transaction, about 40 KB of log here.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from diplograph.cli import main

pytestmark = pytest.mark.slow

CORPUS = Path(__file__).resolve().parent.parent / "examples" / "corpus"
ARTICLES = 20
BATCH = 2
WAL_AFTER_SETUP = 16_000  # the log holds the schema and the run row (~5 KB) before the first batch commits
WAL_AFTER_SOME_BATCHES = 90_000  # two or three batches of two articles


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """Twenty copies of the example articles, each with its own closing sentence (distinct content hashes)."""
    out = tmp_path_factory.mktemp("crash") / "articles"
    out.mkdir()
    sources = sorted(CORPUS.glob("*.txt"))
    for i in range(ARTICLES):
        source = sources[i % len(sources)]
        text = source.read_text(encoding="utf-8").rstrip("\n")
        (out / f"{i:02d}_{source.name}").write_text(
            f"{text}\n\nIn a separate statement, officials said the talks would resume (copy {i}).\n", encoding="utf-8")
    return out


def ingest_command(folder: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "diplograph.cli", "ingest", str(folder), "--db", str(db), "--batch-size", str(BATCH),
            "--quiet"]


def start(folder: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen(ingest_command(folder, db), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def finish(proc: subprocess.Popen, timeout: float = 60) -> str:
    output, _ = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, output
    assert "Traceback" not in output
    return output


def wal_size(db: Path) -> int:
    wal = Path(f"{db}.wal")
    return wal.stat().st_size if wal.exists() else 0


def snapshot(db: Path) -> dict:
    with duckdb.connect(str(db), read_only=True) as con:
        def rows(sql: str) -> list[tuple]:
            return con.execute(sql).fetchall()

        return {
            "ids": [row[0] for row in rows("SELECT id FROM articles")],
            "event_ids": [row[0] for row in rows("SELECT id FROM events")],
            "events_per_article": dict(rows(
                "SELECT a.id, count(e.id) FROM articles a LEFT JOIN events e ON e.article_id = a.id GROUP BY a.id")),
            "sentences_per_article": dict(rows(
                "SELECT a.id, count(s.sentence_index) FROM articles a LEFT JOIN sentences s ON s.article_id = a.id"
                " GROUP BY a.id")),
            "paths": rows("SELECT path, article_id FROM article_paths"),
            "runs": rows("SELECT id, status FROM runs ORDER BY id"),
        }


@pytest.fixture(scope="module")
def reference(folder: Path, tmp_path_factory) -> tuple[Path, dict, list[tuple[int, str]]]:
    """An uninterrupted ingest: its database, its contents, and what `diplograph export` said each time it was
    tried while the ingest ran."""
    db = tmp_path_factory.mktemp("reference") / "reference.duckdb"
    proc = start(folder, db)
    attempts: list[tuple[int, str]] = []
    try:
        while proc.poll() is None:
            if db.exists():
                result = CliRunner().invoke(main, ["export", "articles", "--db", str(db)])
                attempts.append((result.exit_code, result.output))
            time.sleep(0.3)
    finally:
        output = finish(proc)
    assert f"articles: {ARTICLES} new" in output
    return db, snapshot(db), attempts


def test_the_reference_ingest_stores_every_article_once(reference) -> None:
    _, state, _ = reference
    assert len(state["ids"]) == ARTICLES == len(set(state["ids"]))
    assert len(state["event_ids"]) == len(set(state["event_ids"])) > ARTICLES
    assert state["runs"] == [(1, "done")]


def test_a_killed_ingest_resumes_to_the_same_database(folder: Path, tmp_path: Path, reference) -> None:
    _, expected, _ = reference
    db = tmp_path / "killed.duckdb"
    proc = start(folder, db)
    deadline = time.monotonic() + 60
    while proc.poll() is None and wal_size(db) < WAL_AFTER_SOME_BATCHES and time.monotonic() < deadline:
        time.sleep(0.01)
    assert proc.poll() is None, "the ingest ended before it could be killed: " + proc.communicate()[0]
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL

    partial = snapshot(db)  # the killed database opens, with whole batches only
    assert 0 < len(partial["ids"]) < ARTICLES, f"killed after {len(partial['ids'])} of {ARTICLES} articles"
    assert len(partial["ids"]) == len(set(partial["ids"]))
    for article_id in partial["ids"]:  # a batch lands whole: no article without its sentences and events
        assert partial["events_per_article"][article_id] == expected["events_per_article"][article_id]
        assert partial["sentences_per_article"][article_id] == expected["sentences_per_article"][article_id]
    assert partial["runs"] == [(1, "running")]  # SIGKILL leaves no chance to mark the run

    output = finish(start(folder, db))
    assert f"{ARTICLES - len(partial['ids'])} new, {len(partial['ids'])} already in the database" in output
    resumed = snapshot(db)
    assert sorted(resumed["ids"]) == sorted(expected["ids"])
    assert len(resumed["ids"]) == len(set(resumed["ids"]))
    assert len(resumed["event_ids"]) == len(set(resumed["event_ids"]))
    assert resumed["events_per_article"] == expected["events_per_article"]
    assert resumed["sentences_per_article"] == expected["sentences_per_article"]
    assert sorted(resumed["paths"]) == sorted(expected["paths"])
    assert resumed["runs"] == [(1, "running"), (2, "done")]


def test_export_during_an_ingest_works_or_fails_clearly_and_never_corrupts(reference) -> None:
    db, expected, attempts = reference
    assert attempts, "the ingest finished before export could be tried"
    for exit_code, output in attempts:
        if exit_code == 0:
            rows = [json.loads(line) for line in output.splitlines() if line.strip()]
            assert all("id" in row for row in rows)
        else:
            assert "reference.duckdb" in output and "Traceback" not in output, output
            assert "Error:" in output
    # After the ingest, the database opens and export reads every article.
    result = CliRunner().invoke(main, ["export", "articles", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert sorted(json.loads(line)["id"] for line in result.output.splitlines()) == sorted(expected["ids"])


def test_export_while_the_database_is_held_fails_naming_the_file(reference, tmp_path: Path) -> None:
    """Deterministic variant: hold the write lock while export runs, then check the database is intact."""
    db = tmp_path / "held.duckdb"
    shutil.copy(reference[0], db)
    before = snapshot(db)
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]);"
                               " print('open', flush=True); time.sleep(60)", str(db)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        result = CliRunner().invoke(main, ["export", "events", "--db", str(db)])
        assert result.exit_code != 0
        assert str(db) in result.output and "cannot open database" in result.output, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
    finally:
        holder.kill()
        holder.wait(timeout=10)
    assert snapshot(db) == before
