"""Scaling: worker processes, the Ray engine and resumed runs leave the database exactly as a plain local run does."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest

from diplograph.annotate import Analyzer
from diplograph.pipeline import Ingestor
from diplograph.settings import Settings
from diplograph.store import Store

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "examples" / "corpus"

# Every table the pipeline fills, without the columns that differ from run to run.
TABLES = {
    "articles": ["run_id", "ingested_at"],
    "article_paths": ["run_id"],
    "sentences": [],
    "actor_mentions": [],
    "events": [],
    "near_duplicates": [],
    "skipped": ["run_id"],
}
ORDER = {"articles": "id", "article_paths": "path", "sentences": "article_id, sentence_index",
         "actor_mentions": "article_id, mention_index", "events": "id", "near_duplicates": "article_id, other_id",
         "skipped": "path"}


def rows(db: Path, table: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        columns = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall() if r[0] not in TABLES[table]]
        quoted = ", ".join(f'"{c}"' for c in columns)
        return con.execute(f"SELECT {quoted} FROM {table} ORDER BY {ORDER[table]}").fetchall()


def make_inputs(folder: Path) -> list[str]:
    """A handful of pages: text, HTML, JSONL, a near duplicate, an exact duplicate, unusable and missing inputs."""
    folder.mkdir()
    for page in sorted(CORPUS.glob("0[1-5]_*.txt"))[:4] + sorted(CORPUS.glob("*.html"))[:1]:
        shutil.copy(page, folder / page.name)
    first = sorted(CORPUS.glob("01_*.txt"))[0]
    text = first.read_text(encoding="utf-8")
    (folder / "near_copy.txt").write_text(text.replace("Armenia has yet to respond", "Yerevan has not yet replied"),
                                          encoding="utf-8")
    (folder / "sub").mkdir()
    shutil.copy(first, folder / "sub" / "exact_copy.txt")
    lines = (CORPUS / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    (folder / "two.jsonl").write_text("\n".join(lines[:2]) + "\nnot json\n", encoding="utf-8")
    (folder / "broken.html").write_bytes(b"PK\x03\x04" + bytes(range(256)))
    (folder / "blank.txt").write_text("  \n", encoding="utf-8")
    return [str(folder), str(CORPUS / "06_continental_post_granada_syndicated.txt"), str(folder / "missing.txt")]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list[str]:
    return make_inputs(tmp_path_factory.mktemp("inputs") / "pages")


@pytest.fixture(scope="module")
def local_db(tmp_path_factory, inputs: list[str], analyzer: Analyzer) -> Path:
    db = tmp_path_factory.mktemp("local") / "local.duckdb"
    with Store(db) as store:
        counts = Ingestor(store, Settings(db_path=str(db)), analyzer=analyzer).run(inputs)
    assert counts.articles >= 8 and counts.duplicates == 1 and counts.skipped == 4
    return db


def assert_same_tables(db: Path, reference: Path) -> None:
    for table in TABLES:
        assert rows(db, table) == rows(reference, table), table
    assert rows(reference, "events") and rows(reference, "near_duplicates")


@pytest.mark.slow
def test_worker_processes_write_what_one_process_writes(tmp_path: Path, inputs: list[str], local_db: Path) -> None:
    db = tmp_path / "workers.duckdb"
    with Store(db) as store:
        Ingestor(store, Settings(db_path=str(db), workers=2, batch_size=3)).run(inputs)
    assert_same_tables(db, local_db)


@pytest.mark.slow
def test_ray_engine_writes_what_the_local_engine_writes(tmp_path: Path, inputs: list[str], local_db: Path) -> None:
    ray = pytest.importorskip("ray")
    from diplograph.engine_ray import RayIngestor

    db = tmp_path / "ray.duckdb"
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        with Store(db) as store:
            counts = RayIngestor(store, Settings(db_path=str(db), batch_size=4)).run(inputs)
    finally:
        ray.shutdown()
    assert counts.duplicates == 1 and counts.skipped == 4
    assert rows(db, "events") == rows(local_db, "events")
    assert_same_tables(db, local_db)
    assert not list(tmp_path.glob(".diplograph-parts-*")), "the Parquet parts are removed once loaded"


def test_resume_skips_files_already_ingested_without_reading_them(tmp_path: Path, analyzer: Analyzer) -> None:
    inputs = make_inputs(tmp_path / "pages")
    db = tmp_path / "resumed.duckdb"

    def ingest():
        with Store(db) as store:
            return Ingestor(store, Settings(db_path=str(db)), analyzer=analyzer, resume=True).run(inputs)

    assert ingest().articles == 9
    # Every existing file was stamped by the first run; only the missing path is looked at again.
    counts = ingest()
    assert (counts.resumed, counts.files_read, counts.articles) == (11, 1, 0)
    changed = tmp_path / "pages" / "near_copy.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("has not yet replied", "has still not replied"),
                       encoding="utf-8")
    os.utime(changed, ns=(changed.stat().st_atime_ns, changed.stat().st_mtime_ns + 10**9))
    counts = ingest()
    assert (counts.resumed, counts.files_read, counts.articles) == (10, 2, 1)
    assert ingest().files_read == 1


def test_near_duplicates_are_found_in_databases_written_before_signatures_were_stored(
        tmp_path: Path, local_db: Path, analyzer: Analyzer) -> None:
    db = tmp_path / "old.duckdb"
    shutil.copy(local_db, db)
    with duckdb.connect(str(db)) as con:
        con.execute("DELETE FROM minhash_signatures; DELETE FROM minhash_bands")
    page = tmp_path / "another_copy.txt"
    text = sorted(CORPUS.glob("01_*.txt"))[0].read_text(encoding="utf-8")
    page.write_text(text.replace("Armenia has yet to respond", "Armenia did not respond at once"), encoding="utf-8")
    with Store(db) as store:
        Ingestor(store, Settings(db_path=str(db)), analyzer=analyzer).run([str(page)])
        found = store.query("SELECT n.similarity FROM near_duplicates n JOIN articles a ON a.id = n.article_id"
                            " WHERE a.path = ?", [str(page)])
        signed = store.query("SELECT count(*) AS n FROM minhash_signatures")["n"][0]
        articles = store.query("SELECT count(*) AS n FROM articles")["n"][0]
    assert len(found) >= 2 and signed == articles
