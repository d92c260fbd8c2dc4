"""Measuring diplograph against labelled data of our own: actor mentions and coded sentences.

Used by the tests and by `make bench`; the file formats are described in tests/data/README.md.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .annotate import Analyzer, parse_iso
from .models import ActorMention


def read_jsonl(path: str | Path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def nth_occurrence(text: str, needle: str, n: int) -> int:
    start = -1
    for _ in range(n):
        start = text.find(needle, start + 1)
        if start < 0:
            raise ValueError(f"{needle!r} does not occur {n} times")
    return start


@dataclass
class MentionResult:
    row: dict
    found: ActorMention | None

    @property
    def code_ok(self) -> bool:
        return self.found is not None and self.found.code == self.row["code"]

    @property
    def sector_ok(self) -> bool:
        return self.found is not None and (self.row.get("sector") or None) == (self.found.sector or None)

    @property
    def person_ok(self) -> bool:
        expected = self.row.get("person")
        return expected is None or (self.found is not None and self.found.person is not None
                                    and same_name(self.found.person, expected))


def same_name(a: str, b: str) -> bool:
    return a.split()[-1].lower() == b.split()[-1].lower()


def resolve_mention(analyzer: Analyzer, row: dict) -> MentionResult:
    """Resolve the actors of the row's text and return the mention covering the labelled span."""
    start = nth_occurrence(row["text"], row["mention"], int(row.get("occurrence", 1)))
    end = start + len(row["mention"])
    doc = analyzer.nlp(row["text"])
    actors = analyzer.resolver.resolve(doc, parse_iso(row.get("published")))
    overlapping = [m for m in actors.mentions if m.start < end and start < m.end]
    overlapping.sort(key=lambda m: (-min(end, m.end) + max(start, m.start), m.start))
    return MentionResult(row, overlapping[0] if overlapping else None)


@dataclass
class MentionReport:
    results: list[MentionResult]
    by_rule: Counter = field(default_factory=Counter)
    ok_by_rule: Counter = field(default_factory=Counter)

    @property
    def accuracy(self) -> float:
        return sum(r.code_ok for r in self.results) / len(self.results) if self.results else 0.0

    def rate(self, attribute: str) -> float:
        return sum(getattr(r, attribute) for r in self.results) / len(self.results) if self.results else 0.0


def mention_report(analyzer: Analyzer, rows: list[dict]) -> MentionReport:
    report = MentionReport([resolve_mention(analyzer, row) for row in rows])
    for result in report.results:
        rule = result.row.get("rule", "?")
        report.by_rule[rule] += 1
        report.ok_by_rule[rule] += result.code_ok
    return report


def country_key(code: str | None) -> str | None:
    from .store import country_of

    return country_of(code)


def coded_sentence_matches(row: dict, events: list) -> tuple[list, list]:
    """(gold events not produced, produced events not in gold), comparing country-level source and target,
    type (or an accepted alternative), modality and event date."""
    produced = {(country_key(e.source), country_key(e.target), e.type, e.modality, e.event_date) for e in events}
    used: set[tuple] = set()
    missing = []
    for gold in row["events"]:
        types = {gold["plover"], *gold.get("alt", [])}
        key = (country_key(gold["source"]), country_key(gold.get("target")), gold["modality"], gold.get("date"))
        hits = {p for p in produced if (p[0], p[1], p[3], p[4]) == key and p[2] in types}
        if not hits:
            missing.append((key[0], key[1], gold["plover"], key[2], key[3]))
        used |= hits
    return missing, sorted(produced - used, key=str)


def sentence_scores(rows: list[dict], coded: dict[str, list]) -> tuple[float, float]:
    """Precision and recall of (source, target, type) over scored modalities, as score_events.py counts them."""
    scored = {"asserted", "future"}
    true_predicted = predicted = true_gold = gold_total = 0
    for row in rows:
        produced = {(country_key(e.source), country_key(e.target), e.type) for e in coded[row["id"]]
                    if e.modality in scored}
        gold = [(country_key(g["source"]), country_key(g.get("target")), {g["plover"], *g.get("alt", [])})
                for g in row["events"] if g["modality"] in scored]
        predicted += len(produced)
        true_predicted += sum(any(p[0] == g[0] and p[1] == g[1] and p[2] in g[2] for g in gold) for p in produced)
        gold_total += len(gold)
        true_gold += sum(any(p[0] == g[0] and p[1] == g[1] and p[2] in g[2] for p in produced) for g in gold)
    return (true_predicted / predicted if predicted else 0.0, true_gold / gold_total if gold_total else 0.0)
