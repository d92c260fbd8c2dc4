"""The command line on a temporary DuckDB file: ingest, idempotent re-ingest, bad input, export and code."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from click.testing import CliRunner

from diplograph.cli import main

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "examples" / "corpus"
MODALITIES = {"asserted", "negated", "hypothetical", "future"}


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def table_counts(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("articles", "article_paths", "sentences", "actor_mentions", "events", "near_duplicates")}


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("db") / "corpus.duckdb"
    result = run("ingest", str(CORPUS), "--db", str(db), "--quiet")
    assert result.exit_code == 0, result.output
    return db


def test_ingest_reports_a_summary_and_fills_every_table(corpus_db: Path) -> None:
    counts = table_counts(corpus_db)
    assert counts["articles"] >= 15
    assert counts["sentences"] > counts["articles"] * 5
    assert counts["actor_mentions"] > counts["articles"] * 5
    assert counts["events"] > counts["articles"]


def test_reingesting_the_same_files_changes_nothing(corpus_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.duckdb"
    shutil.copy(corpus_db, copy)
    before = table_counts(copy)
    result = run("ingest", str(CORPUS), "--db", str(copy), "--quiet")
    assert result.exit_code == 0
    assert "0 new" in result.output
    assert table_counts(copy) == before


def test_a_bad_file_is_reported_and_the_good_ones_are_ingested(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    good = sorted(CORPUS.glob("*.txt"))[:2]
    for page in good:
        shutil.copy(page, folder / page.name)
    (folder / "broken.html").write_bytes(b"PK\x03\x04" + bytes(range(256)) * 8)
    (folder / "empty.txt").write_text("   \n")
    db = tmp_path / "mixed.duckdb"
    result = run("ingest", str(folder), "--db", str(db), "--quiet")
    assert result.exit_code == 0, result.output
    assert "broken.html" in result.output and "empty.txt" in result.output
    assert table_counts(db)["articles"] == 2
    with duckdb.connect(str(db), read_only=True) as con:
        reasons = dict(con.execute("SELECT path, reason FROM skipped").fetchall())
    assert {Path(p).name for p in reasons} == {"broken.html", "empty.txt"}
    assert all(reason for reason in reasons.values())


def test_only_bad_input_exits_non_zero(tmp_path: Path) -> None:
    bad = tmp_path / "blob.txt"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    result = CliRunner().invoke(main, ["ingest", str(bad), "--db", str(tmp_path / "x.duckdb"), "--quiet"])
    assert result.exit_code != 0
    assert "blob.txt" in result.output


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["ingest", str(tmp_path / "nope"), "--db", str(tmp_path / "x.duckdb")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_export_articles_and_events_as_jsonl_in_the_scoring_shape(corpus_db: Path) -> None:
    articles = [json.loads(line) for line in run("export", "articles", "--db", str(corpus_db)).output.splitlines()]
    assert {"path", "published", "title", "outlet", "body"} <= set(articles[0])
    events = [json.loads(line) for line in run("export", "events", "--db", str(corpus_db)).output.splitlines()]
    assert events and {"path", "source", "target", "type", "modality", "sentence"} <= set(events[0])
    assert all(event["target"] for event in events), "the default export holds dyadic events only"
    for event in events:
        assert event["modality"] in MODALITIES
        assert event["trigger"] in event["sentence"]


def test_export_csv_and_parquet_hold_the_same_rows(corpus_db: Path, tmp_path: Path) -> None:
    csv_path, parquet_path = tmp_path / "events.csv", tmp_path / "events.parquet"
    assert run("export", "events", "--all", "--db", str(corpus_db), "--format", "csv",
               "--output", str(csv_path)).exit_code == 0
    assert run("export", "events", "--all", "--db", str(corpus_db), "--format", "parquet",
               "--output", str(parquet_path)).exit_code == 0
    assert len(pd.read_csv(csv_path)) == len(pd.read_parquet(parquet_path)) == table_counts(corpus_db)["events"]


def test_export_actors_shows_how_each_mention_was_resolved(corpus_db: Path) -> None:
    rows = [json.loads(line) for line in run("export", "actors", "--db", str(corpus_db)).output.splitlines()]
    assert {"text", "code", "sector", "person", "method", "start_char", "end_char"} <= set(rows[0])
    assert {"gazetteer", "metonym"} <= {row["method"] for row in rows}


def test_export_from_a_missing_database_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["export", "events", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1
    assert "no such database" in result.output


def test_code_follows_the_scoring_contract() -> None:
    lines = [
        {"id": "a", "text": "France condemned the Russian attack on Ukraine.", "date": "2023-05-02"},
        {"id": "b", "text": "The weather in Paris was mild.", "date": None},
    ]
    result = run("code", "--input", "-", "--output", "-", input="".join(json.dumps(x) + "\n" for x in lines))
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [r["id"] for r in records] == ["a", "b"]
    (event,) = [e for e in records[0]["events"] if e["type"] == "ACCUSE"]
    assert (event["source"].split("-")[0], event["target"].split("-")[0]) == ("FRA", "RUS")
    assert event["modality"] == "asserted"
    assert lines[0]["text"][event["trigger_start"]:event["trigger_end"]] == event["trigger"] == "condemned"
    assert {"start", "end", "trigger", "cameo", "plover_score", "quad_class", "event_date"} <= set(event)
    assert records[1]["events"] == []


def test_code_reports_broken_lines_and_still_codes_the_rest(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "ok", "text": "Germany urged Iran to release the prisoners."}\nnot json\n')
    output = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["code", "--input", str(source), "--output", str(output)])
    assert result.exit_code == 1
    assert "in.jsonl:2" in result.output
    (record,) = [json.loads(line) for line in output.read_text().splitlines()]
    assert record["id"] == "ok" and record["events"][0]["type"] == "REQUEST"
