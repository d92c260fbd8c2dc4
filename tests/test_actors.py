"""Actor resolution on our own labelled mentions (tests/data/actor_mentions.jsonl, written for diplograph)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from diplograph.annotate import Analyzer
from diplograph.evaluation import MentionReport, mention_report, read_jsonl

DATA = Path(__file__).parent / "data" / "actor_mentions.jsonl"
RULES = {"country_name", "demonym", "capital_metonym", "seat_metonym", "institution", "igo", "defacto",
         "person_title", "apposition", "role_table", "surname", "pronoun", "definite_description", "compound",
         "ner_trap"}


@pytest.fixture(scope="module")
def report(analyzer: Analyzer) -> MentionReport:
    return mention_report(analyzer, read_jsonl(DATA))


def test_the_table_covers_every_rule_with_enough_cases(report: MentionReport) -> None:
    assert len(report.results) >= 150
    assert set(report.by_rule) == RULES
    assert min(report.by_rule.values()) >= 8


def test_overall_accuracy_is_at_least_95_percent(report: MentionReport) -> None:
    assert report.accuracy >= 0.95, [r.row["id"] for r in report.results if not r.code_ok]


@pytest.mark.parametrize("rule", sorted(RULES))
def test_each_rule_resolves_at_least_nine_in_ten(report: MentionReport, rule: str) -> None:
    assert report.ok_by_rule[rule] / report.by_rule[rule] >= 0.9


def test_roles_resolve_to_the_office_holder_at_the_article_date(report: MentionReport) -> None:
    cases = [r for r in report.results if r.row["rule"] == "role_table"]
    assert len(cases) >= 20
    wrong = [(r.row["id"], r.row["person"], r.found and r.found.person) for r in cases if not r.person_ok]
    assert not wrong


def test_the_same_title_names_different_people_on_different_dates(analyzer: Analyzer) -> None:
    text = "The French foreign minister arrived in Yerevan."
    people = []
    for day in ("2023-04-27", "2024-02-22"):
        row = {"text": text, "published": day, "mention": "French foreign minister", "code": "FRA"}
        people.append(mention_report(analyzer, [row]).results[0].found.person)
    assert people[0] != people[1] and all(people)


def test_every_mention_keeps_its_span_and_method(analyzer: Analyzer) -> None:
    doc = analyzer.nlp("Armenian Defense Minister Suren Papikyan met the French ambassador. He thanked Paris.")
    mentions = analyzer.resolver.resolve(doc, None).mentions
    for mention in mentions:
        assert doc.text[mention.start:mention.end] == mention.text
        assert mention.method in {"gazetteer", "metonym", "institution", "role_table", "apposition", "coreference",
                                  "surname", "context", "person"}
    assert {"apposition", "coreference", "metonym"} <= {m.method for m in mentions}


def test_a_whole_name_beats_an_office_holder_sharing_its_surname(analyzer: Analyzer) -> None:
    doc = analyzer.nlp("Jan Fischer met Heinz Fischer in Prague.")
    people = {m.text: m.full_code for m in analyzer.resolver.resolve(doc, date(2009, 6, 1)).mentions if m.person}
    assert people == {"Jan Fischer": "CZE-GOV", "Heinz Fischer": "AUT-GOV"}


@pytest.mark.parametrize(("text", "expected"), [
    ("Gunmen clashed in Tripoli, Lebanon's second city, on Friday.", "LBN"),
    ("Libyan militias clashed in Tripoli on Friday.", "LBY"),
    ("Militias clashed in Tripoli on Friday.", "LBY"),
])
def test_an_ambiguous_place_takes_the_country_the_article_names(analyzer: Analyzer, text: str, expected: str) -> None:
    doc = analyzer.nlp(text)
    places = {m.code for m in analyzer.resolver.resolve(doc, date(2024, 5, 3)).mentions if m.text == "Tripoli"}
    assert places == {expected}
