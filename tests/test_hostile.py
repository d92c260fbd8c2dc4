"""Hostile input through the real CLI: over a thousand malformed files (tests/hostile_corpus.py) go in, the ingest
ends with exit code 0, nothing crashes, every file is either stored or skipped with a clear reason, every valid
line of a broken JSONL file is stored, and pages in Armenian, Russian and Azerbaijani are stored but not coded."""

from __future__ import annotations

import re
import time
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from diplograph.cli import main
from hostile_corpus import BIG_FILE_BYTES, HostileCorpus, generate

pytestmark = pytest.mark.slow


class Ingested:
    def __init__(self, corpus: HostileCorpus, db: Path, result, seconds: float):
        self.corpus, self.db, self.result, self.seconds = corpus, db, result, seconds
        with duckdb.connect(str(db), read_only=True) as con:
            self.paths = dict(con.execute("SELECT path, article_id FROM article_paths").fetchall())
            self.articles = {row[0]: row[1:] for row in con.execute(
                "SELECT id, coded, language FROM articles").fetchall()}
            self.skipped: dict[str, list[str]] = defaultdict(list)
            for path, reason in con.execute("SELECT path, reason FROM skipped").fetchall():
                self.skipped[path].append(reason)
            self.coded_rows = con.execute(
                "SELECT (SELECT count(*) FROM sentences s JOIN articles a ON a.id = s.article_id WHERE NOT a.coded),"
                " (SELECT count(*) FROM events e JOIN articles a ON a.id = e.article_id WHERE NOT a.coded)"
            ).fetchone()

    def outcomes(self, path: Path) -> tuple[list[str], list[str]]:
        """(stored paths, skip reasons) of a file: itself, or its lines for JSONL."""
        name = str(path)
        stored = [p for p in self.paths if p == name or p.startswith(name + "#L")]
        reasons = [r for p, rs in self.skipped.items() if p == name or p.startswith(name + "#L") for r in rs]
        return stored, reasons


@pytest.fixture(scope="module")
def ingested(tmp_path_factory) -> Ingested:
    root = tmp_path_factory.mktemp("hostile")
    started = time.perf_counter()
    corpus = generate(root / "corpus")
    generated = time.perf_counter() - started
    assert generated < 10, f"generating the corpus took {generated:.1f} s"
    db = root / "hostile.duckdb"
    started = time.perf_counter()
    result = CliRunner().invoke(main, ["ingest", str(corpus.root), "--db", str(db), "--quiet"])
    return Ingested(corpus, db, result, time.perf_counter() - started)


def clear(reason: str) -> bool:
    """A reason a person can act on: some words, no traceback, no bare exception or object repr."""
    reason = reason.strip()
    return (len(reason) >= 10 and " " in reason and "Traceback" not in reason and reason != "None"
            and not re.search(r"\bobject at 0x|^\w+Error\b|^\w+Exception\b", reason))


def test_the_corpus_is_big_and_hostile(ingested: Ingested) -> None:
    corpus = ingested.corpus
    counts = corpus.counts()
    assert len(corpus.files) >= 1000
    for category in ("binary", "empty", "whitespace", "big", "utf8_truncated", "legacy_cp1251", "utf16_no_bom",
                     "html_unclosed", "html_deep", "html_script_only", "jsonl", "zip_bomb", "foreign_hy",
                     "foreign_ru", "foreign_az", "english"):
        assert counts[category], category
    assert corpus.big_file is not None and corpus.big_file.stat().st_size == BIG_FILE_BYTES
    assert len(corpus.english) + 4 <= 40  # the parse stage is the slow one: few English pages


def test_the_ingest_exits_0_without_a_crash(ingested: Ingested) -> None:
    result = ingested.result
    assert result.exception is None or (isinstance(result.exception, SystemExit) and not result.exception.code), \
        result.output[-3000:]
    assert result.exit_code == 0, result.output[-3000:]
    assert "Traceback" not in result.output
    assert "articles:" in result.output and "skipped:" in result.output


def test_every_file_is_stored_or_skipped_with_a_clear_reason(ingested: Ingested) -> None:
    lost, unclear = [], []
    for path in ingested.corpus.files:
        stored, reasons = ingested.outcomes(path)
        if not stored and not reasons:
            lost.append(str(path))
        unclear += [(str(path), reason) for reason in reasons if not clear(reason)]
    assert not lost, f"{len(lost)} files neither stored nor skipped: {lost[:10]}"
    assert not unclear, unclear[:10]
    assert all(clear(reason) for reasons in ingested.skipped.values() for reason in reasons)


def test_skip_reasons_name_the_problem(ingested: Ingested) -> None:
    wrong = {}
    for path, expected in ingested.corpus.expected_reason.items():
        stored, reasons = ingested.outcomes(path)
        if stored or not any(expected in reason for reason in reasons):
            wrong[str(path)] = (expected, reasons, stored)
    assert not wrong, list(wrong.items())[:10]


def test_the_50_mb_file_is_skipped_naming_its_size_and_the_cap(ingested: Ingested) -> None:
    reasons = ingested.skipped[str(ingested.corpus.big_file)]
    assert reasons == ["file is 50.0 MiB, over the 20.0 MiB cap (max_file_bytes)"]


def test_every_valid_line_of_a_broken_jsonl_file_is_ingested(ingested: Ingested) -> None:
    assert len(ingested.corpus.jsonl_valid) >= 20
    for path, valid in ingested.corpus.jsonl_valid.items():
        stored, reasons = ingested.outcomes(path)
        assert sorted(stored) == sorted(f"{path}#L{n}" for n in valid), (path, reasons)
        assert all(ingested.paths[p] in ingested.articles for p in stored)
        lines = path.read_bytes().split(b"\n")
        broken = [n for n, line in enumerate(lines, 1) if line.strip() and n not in valid]
        assert sorted(int(p.rsplit("#L", 1)[1]) for p in ingested.skipped if p.startswith(f"{path}#L")) == broken


def test_non_english_pages_are_stored_and_not_coded(ingested: Ingested) -> None:
    assert len(ingested.corpus.foreign) >= 300
    problems = []
    for path in ingested.corpus.foreign:
        article_id = ingested.paths.get(str(path))
        if article_id is None:
            problems.append((str(path), "not stored", ingested.skipped.get(str(path))))
            continue
        coded, language = ingested.articles[article_id]
        if coded or language == "en":
            problems.append((str(path), coded, language))
    assert not problems, problems[:10]
    assert ingested.coded_rows == (0, 0)  # no sentences or events for an article that is not coded


def test_the_english_pages_are_stored_and_coded(ingested: Ingested) -> None:
    for path in ingested.corpus.english:
        article_id = ingested.paths.get(str(path))
        assert article_id is not None, (path, ingested.skipped.get(str(path)))
        assert ingested.articles[article_id] == (True, "en"), path


def test_the_ingest_is_quick_enough(ingested: Ingested) -> None:
    assert ingested.seconds < 90, f"ingest took {ingested.seconds:.0f} s"


def test_a_long_s_in_a_date_does_not_stop_the_ingest(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "trap.txt").write_text(
        "Armenia and France sign accord\n\nFrench Foreign Minister Catherine Colonna met Armenian Foreign Minister "
        "Ararat Mirzoyan in Yerevan on Auguſt 5, 2020, and the two signed a defence accord.\n\n"
        "The ministers said talks would continue.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", str(folder), "--db", str(tmp_path / "trap.duckdb"), "--quiet"],
                                catch_exceptions=False)
    assert result.exit_code == 0


# ------------------------------------------------------------------------------------------------ the fixes, one by one
def read_one(path: Path):
    from diplograph.ingest import iter_documents
    from diplograph.settings import Settings

    items = list(iter_documents([path], Settings()))
    assert len(items) == 1, items
    return items[0]


def test_utf8_cut_inside_its_last_character_loses_only_that_character(tmp_path: Path) -> None:
    path = tmp_path / "cut.txt"
    path.write_bytes("Москва и Ереван".encode()[:-1])
    doc = read_one(path)
    assert doc.encoding == "utf-8" and doc.content == "Москва и Ерева"


def test_utf16_without_bom_cut_to_an_odd_length_is_read(tmp_path: Path) -> None:
    path = tmp_path / "cut16.txt"
    path.write_bytes("Armenia and France signed an accord.".encode("utf-16-le")[:-1])
    doc = read_one(path)
    assert doc.encoding == "utf-16-le" and doc.content == "Armenia and France signed an accord"


def test_utf8_with_a_stray_byte_is_read_with_a_replacement_character(tmp_path: Path) -> None:
    text = "Министр иностранных дел России провёл переговоры со своим армянским коллегой в Москве. " * 3
    path = tmp_path / "stray.txt"
    data = text.encode()
    cut = data.index(b" ", 50)  # between two characters
    path.write_bytes(data[:cut] + b"\xff" + data[cut:])
    doc = read_one(path)
    assert doc.encoding == "utf-8" and doc.content.count("\ufffd") == 1


def test_a_bom_over_invalid_text_is_named_in_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xff\xfe\x00\x00" + b"\xff\xff\xff\xff" * 4)
    assert read_one(path).reason == "undecodable: starts with a UTF-32-LE byte-order mark but is not valid UTF-32-LE"


def test_plain_text_saved_as_html_is_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "plain.html"
    path.write_text("Armenia and France signed an accord.\n\nThe ministers met in Paris.\n", encoding="utf-8")
    assert read_one(path).kind == "text"


@pytest.mark.parametrize(("line", "reason"), [
    ("[" * 100_000 + "]" * 100_000, "unreadable JSON: nested too deeply"),
    ('{"text": "x", "n": 1' + "0" * 5000 + "}", "unreadable JSON: Exceeds the limit (4300 digits)"),
    ('{"text": "unterminated', "invalid JSON: Unterminated string starting at (column 10)"),
])
def test_jsonl_lines_python_cannot_read_are_skipped_with_a_reason(tmp_path: Path, line: str, reason: str) -> None:
    path = tmp_path / "lines.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    assert read_one(path).reason.startswith(reason)


@pytest.mark.parametrize(("given", "stored"), [("EN", "en"), ("en-US", "en"), ("hy_AM", "hy"), ("../../x", None),
                                               ("English", None)])
def test_jsonl_language_is_a_code_or_nothing(tmp_path: Path, given: str, stored: str | None) -> None:
    import json

    path = tmp_path / "lang.jsonl"
    path.write_text(json.dumps({"text": "Armenia and France signed an accord.", "language": given}) + "\n")
    assert read_one(path).language == stored


def test_jsonl_lone_surrogates_are_replaced(tmp_path: Path) -> None:
    path = tmp_path / "surrogate.jsonl"
    path.write_text('{"text": "Armenia \\ud800 and France signed an accord.", "title": "\\udfff"}\n')
    doc = read_one(path)
    assert doc.content == "Armenia \ufffd and France signed an accord." and doc.title == "\ufffd"
