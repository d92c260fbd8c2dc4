"""Train the trigger sense model (src/diplograph/data/trigger_senses.json) from our own sentences in
src/diplograph/data/trigger_senses.yaml, and print each word's accuracy on sentences held out of training.

    .venv/bin/python tools/train_senses.py            # retrain and write the model
    .venv/bin/python tools/train_senses.py --measure  # only print the accuracies (make bench)
"""

from __future__ import annotations

import argparse
import json
import sys

from diplograph.knowledge import Knowledge
from diplograph.parse import load_nlp
from diplograph.senses import Example, decide, fit, training_examples
from diplograph.settings import DATA_DIR


def held_out_accuracy(examples: list[Example], folds: int = 5) -> float:
    """Five folds over the written sentences: a sentence and its filled-in copies are never split."""
    right = total = 0
    for fold in range(folds):
        train = [e for e in examples if e[2] % folds != fold]
        model = fit(train)
        for found, sense, group in examples:
            if group % folds == fold:
                right += decide(model, found) == sense
                total += 1
    return right / total if total else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--measure", action="store_true", help="print the accuracies, do not write the model")
    args = parser.parse_args()
    nlp = load_nlp()
    people = frozenset(Knowledge().sector_terms)
    examples = training_examples(DATA_DIR / "trigger_senses.yaml", nlp, people)
    models = {}
    for key, rows in sorted(examples.items()):
        models[key] = fit(rows)
        senses = sorted({sense for _, sense, _ in rows})
        print(f"{key:14s} {len(rows):3d} examples, senses {', '.join(senses)}; "
              f"accuracy on held-out sentences {held_out_accuracy(rows):.3f}")
    if args.measure:
        return 0
    path = DATA_DIR / "trigger_senses.json"
    path.write_text(json.dumps(models, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {path} ({path.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
