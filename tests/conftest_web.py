"""Fixtures for the analytics, API and browser tests (imported by those test modules, not a conftest.py).

- `example_db`: the example corpus run through the real pipeline into a DuckDB file (once per session), with the
  story and framing tables built (`framing.build_all`) before any app opens it read-only.
- `sql_db`: a tiny hand-made database written with plain SQL into store.SCHEMA, with known counts (and no story or
  framing tables: a database ingested before they existed).
- `live_server(db)`: the real app under uvicorn in a background thread on 127.0.0.1 and a free port.
- `browser`: Debian's Chromium driven by Playwright (skips when Chromium is missing).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "examples" / "corpus"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def ingest(paths: list[str | Path], db_path: Path, framing: bool = True) -> Path:
    """Run the real ingest pipeline over paths into db_path, then (unless framing=False) build the story and framing
    tables on a writable connection, as `diplograph stories` does for a database that lacks them."""
    from diplograph.pipeline import Ingestor
    from diplograph.settings import Settings
    from diplograph.store import Store

    with Store(db_path) as store:
        Ingestor(store, Settings(db_path=str(db_path))).run([str(p) for p in paths])
    if framing:
        build_framing(db_path)
    return db_path


def build_framing(db_path: Path) -> None:
    from diplograph import framing

    con = duckdb.connect(str(db_path))
    try:
        if not framing.is_built(con):  # a pipeline that builds them itself is left alone
            framing.build_all(con)
    finally:
        con.close()


@pytest.fixture(scope="session")
def example_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ingest([CORPUS], tmp_path_factory.mktemp("example") / "example.duckdb")


# Hand-made events: (id, article, day or None, source, target, type, modality, quad_class, score)
SQL_ARTICLES = [
    ("art1", "Outlet One", "2023-01-15", "France and Azerbaijan", "France accused Azerbaijan. Armenia praised France."),
    ("art2", "Outlet Two", "2023-02-10", "Second", "Azerbaijan expelled French diplomats."),
    ("art3", "Outlet One", None, "Undated", "Armenia and Azerbaijan agreed to talks."),
]
SQL_EVENTS = [
    ("art1:0", "art1", "2023-01-15", "FRA-GOV", "AZE-GOV", "ACCUSE", "asserted", "verbal_conflict", -2.0),
    ("art1:1", "art1", "2023-01-20", "AZE", "FRA", "ACCUSE", "asserted", "verbal_conflict", -3.0),
    ("art1:2", "art1", "2023-01-21", "FRA", "AZE", "THREATEN", "negated", "verbal_conflict", -4.0),
    ("art1:3", "art1", "2023-01-22", "FRA", "AZE", "SANCTION", "hypothetical", "material_conflict", -5.0),
    ("art1:4", "art1", None, "ARM", "FRA", "SUPPORT", "asserted", "verbal_cooperation", 5.0),
    ("art2:0", "art2", None, "AZE-GOV", "FRA-GOV", "SANCTION", "asserted", "material_conflict", -6.0),
    ("art2:1", "art2", "2023-02-11", "FRA", "AZE", "CONSULT", "future", "verbal_cooperation", 2.5),
    ("art3:0", "art3", None, "ARM", "AZE", "AGREE", "asserted", "verbal_cooperation", 2.5),
    ("art3:1", "art3", None, "IGO:EU", "ARM", "AID", "asserted", "material_cooperation", 7.0),
    ("art3:2", "art3", None, "ARM", None, "MOBILIZE", "asserted", "material_conflict", -4.0),
]


def build_sql_db(path: Path) -> Path:
    from diplograph.store import SCHEMA, country_of

    con = duckdb.connect(str(path))
    try:
        con.execute(SCHEMA)
        for article_id, outlet, published, title, body in SQL_ARTICLES:
            con.execute("INSERT INTO articles (id, path, outlet, title, published, body, language, coded)"
                        " VALUES (?, ?, ?, ?, ?, ?, 'en', TRUE)",
                        [article_id, f"{article_id}.txt", outlet, title, published, body])
        for index, (event_id, article_id, day, source, target, kind, modality, quad, score) in enumerate(SQL_EVENTS):
            con.execute(
                "INSERT INTO events (id, article_id, event_index, sentence_index, start_char, end_char, sentence,"
                " trigger, trigger_start, trigger_end, source, target, source_country, target_country, type,"
                " modality, event_date, event_day, plover_score, quad_class) VALUES"
                " (?, ?, ?, 0, 0, 25, 'France accused Azerbaijan.', 'accused', 7, 14, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [event_id, article_id, index, source, target, country_of(source), country_of(target), kind, modality,
                 day, day, score, quad])
        con.execute("INSERT INTO near_duplicates VALUES ('art1', 'art2', 0.8)")
    finally:
        con.close()
    return path


@pytest.fixture(scope="session")
def sql_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sql_db(tmp_path_factory.mktemp("sql") / "small.duckdb")


@contextlib.contextmanager
def live_server(db_path: Path | str) -> Iterator[str]:
    """The real app under uvicorn on 127.0.0.1 in a background thread; yields its base URL."""
    from diplograph.serve import running

    with running(db_path) as url:
        yield url


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium")
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="session")
def example_server(example_db: Path) -> Iterator[str]:
    with live_server(example_db) as url:
        yield url
