"""Rewrite tests/data/event_sentences_known_gaps.txt from the coder's current output.

Run it after improving the coder: sentences that now pass drop off the list (their tests stop being expected
failures), and any new gap shows up in the diff for review.
"""

from __future__ import annotations

from pathlib import Path

from diplograph.annotate import Analyzer, parse_iso
from diplograph.evaluation import coded_sentence_matches, read_jsonl

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
HEADER = [
    "# Sentences of event_sentences.jsonl the coder does not yet code exactly (expected failures in tests).",
    "# Regenerate with bench/update_known_gaps.py; each line: id, what is missing, what is unexpected.",
    "# Tuples are source/target/type/modality/date.",
]


def describe(items: list[tuple]) -> str:
    return "; ".join("/".join(str(part) for part in item) for item in items) or "-"


def main() -> None:
    rows = read_jsonl(DATA / "event_sentences.jsonl")
    coded = Analyzer().code_texts([(row["text"], parse_iso(row["published"])) for row in rows])
    lines = list(HEADER)
    for row, events in zip(rows, coded, strict=True):
        missing, extra = coded_sentence_matches(row, events)
        if missing or extra:
            lines.append(f"{row['id']}  missing: {describe(missing)}  unexpected: {describe(extra)}")
    (DATA / "event_sentences_known_gaps.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines) - len(HEADER)} of {len(rows)} sentences are known gaps")


if __name__ == "__main__":
    main()
