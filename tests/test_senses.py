"""The learned senses of ambiguous trigger words (src/diplograph/senses.py), on sentences of ours that are not
among its training sentences (data/trigger_senses.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest

from diplograph.annotate import Analyzer
from diplograph.senses import SenseModel, decide, features, fit, key_of, training_examples
from diplograph.settings import DATA_DIR

HELD_OUT = [
    ("Greece and North Macedonia struck a deal over the name dispute.", "struck", "AGREE"),
    ("Ukrainian drones struck an oil depot in the Russian city of Belgorod.", "struck", "ASSAULT"),
    ("A powerful earthquake struck eastern Turkey on Monday.", "struck", "NONE"),
    ("Port workers in Antwerp began a strike against the new rules.", "strike", "PROTEST"),
    ("The strike destroyed a radar station near the coast.", "strike", "ASSAULT"),
    ("The Houthis released the crew of the cargo ship.", "released", "RETREAT"),
    ("The Pentagon released a statement on the incident.", "released", "NONE"),
    ("The government vowed to fight corruption in the police.", "fight", "NONE"),
    ("Sudanese army troops fought paramilitary units in Khartoum.", "fought", "ASSAULT"),
    ("The United States hit Russia with new sanctions on Friday.", "hit", "SANCTION"),
    ("Turkish President Erdogan attacked the French president over his comments on Islam.", "attacked", "ACCUSE"),
    ("Armed men attacked a military checkpoint in northern Mali.", "attacked", "ASSAULT"),
]


@pytest.mark.parametrize(("text", "word", "sense"), HELD_OUT, ids=[case[1] + "-" + case[2] for case in HELD_OUT])
def test_the_shipped_model_tells_senses_apart(analyzer: Analyzer, text: str, word: str, sense: str) -> None:
    token = next(t for t in analyzer.nlp(text) if t.text == word)
    assert analyzer.coder.senses.predict(token, analyzer.coder.people) == sense


def test_the_coder_follows_the_sense(analyzer: Analyzer) -> None:
    deal, = analyzer.code_text("Armenia and Iran struck a deal on gas supplies on Tuesday.")[:1]
    assert deal.type == "AGREE"
    assert analyzer.code_text("An earthquake struck Armenia on Tuesday.") == []


def test_retraining_from_our_sentences_gives_the_shipped_model(analyzer: Analyzer) -> None:
    examples = training_examples(DATA_DIR / "trigger_senses.yaml", analyzer.nlp, analyzer.coder.people)
    retrained = {key: fit(rows) for key, rows in examples.items()}
    for text, word, _sense in HELD_OUT:
        token = next(t for t in analyzer.nlp(text) if t.text == word)
        shipped = analyzer.coder.senses.predict(token, analyzer.coder.people)
        assert decide(retrained[key_of(token)], features(token, analyzer.coder.people)) == shipped


def test_a_missing_model_leaves_the_patterns_alone(tmp_path: Path, analyzer: Analyzer) -> None:
    model = SenseModel(tmp_path / "absent.json")
    token = next(t for t in analyzer.nlp("Missiles struck the port.") if t.text == "struck")
    assert model.predict(token) is None
