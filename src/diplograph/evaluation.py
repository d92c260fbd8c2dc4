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
