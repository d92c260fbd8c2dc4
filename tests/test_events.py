"""The event coder on our own sentences (tests/data/event_sentences.jsonl, written for diplograph).

Every sentence asserts the exact set of (source, target, type, modality, date) the coder must produce, with the
alternative types the annotator accepted. Sentences the coder does not yet get exactly right are listed, with
the reason, in tests/data/event_sentences_known_gaps.txt: they are expected to fail (strictly, so a fix shows up
as a failure to remove from that list), and the aggregate score below guards against regressions.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from diplograph.annotate import Analyzer, parse_iso
from diplograph.evaluation import coded_sentence_matches, read_jsonl, sentence_scores
from diplograph.knowledge import KnowledgeError
from diplograph.patterns import PatternBook, load_lexicon

DATA = Path(__file__).parent / "data"
SENTENCES = read_jsonl(DATA / "event_sentences.jsonl")
KNOWN_GAPS = {line.split()[0] for line in (DATA / "event_sentences_known_gaps.txt").read_text().splitlines()
              if line.strip() and not line.startswith("#")}


def cases():
    for row in SENTENCES:
        marks = [pytest.mark.xfail(strict=True, reason="known coder gap")] if row["id"] in KNOWN_GAPS else []
        yield pytest.param(row, id=row["id"], marks=marks)


@pytest.fixture(scope="module")
def coded(analyzer: Analyzer) -> dict[str, list]:
    events = analyzer.code_texts([(row["text"], parse_iso(row["published"])) for row in SENTENCES])
    return {row["id"]: found for row, found in zip(SENTENCES, events, strict=True)}


def test_the_set_covers_every_type_and_construction() -> None:
    tags = {tag for row in SENTENCES for tag in row["covers"]}
    types = {event["plover"] for row in SENTENCES for event in row["events"]}
    assert len(SENTENCES) >= 120
    assert len(types) == 16
    assert {"passive", "quote", "control", "compound", "negated", "hypothetical", "future", "date_explicit",
            "date_relative", "metonym", "person_title", "no_event"} <= tags


@pytest.mark.parametrize("row", list(cases()))
def test_sentence_is_coded_exactly(row: dict, coded: dict[str, list]) -> None:
    missing, extra = coded_sentence_matches(row, coded[row["id"]])
    assert not missing and not extra, f"missing {missing}, unexpected {extra}"


def test_aggregate_scores_do_not_regress(coded: dict[str, list]) -> None:
    precision, recall = sentence_scores(SENTENCES, coded)
    assert precision >= 0.65 and recall >= 0.55, (precision, recall)


@pytest.mark.parametrize(("name", "text"), [
    ("event_patterns.yaml", "- verbs: [meet]\n"),
    ("event_patterns.yaml", "- type: CONSULT\n  verbs: [meet\n"),
    ("coder_lexicon.yaml", "speech_verbs: say\n"),
])
def test_broken_knowledge_files_are_named_in_the_error(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeError, match=name):
        PatternBook(path) if name == "event_patterns.yaml" else load_lexicon(path)
