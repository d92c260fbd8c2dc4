"""Story clustering against tests/data/story_labels.csv, and event de-duplication, on the example corpus.

    .venv/bin/python bench/bench_stories.py              # ingest examples/corpus into a temporary DB, then score
    .venv/bin/python bench/bench_stories.py --db FILE    # score an existing database (rebuilds its story tables)

Prints purity, inverse purity and their F (Amigó et al. 2009), pairwise precision/recall/F, a sweep of the two text
thresholds to show how much margin the defaults have, and raw event mentions against de-duplicated event groups.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from diplograph import framing, stories
from diplograph.pipeline import Ingestor
from diplograph.settings import Settings
from diplograph.store import Store

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "examples" / "corpus"
LABELS = ROOT / "tests" / "data" / "story_labels.csv"


def ingest(path: Path) -> float:
    start = time.perf_counter()
    with Store(path) as store:
        Ingestor(store, Settings(db_path=str(path))).run([str(CORPUS)])
    return time.perf_counter() - start


def line(name: str, scores: dict) -> str:
    return (f"{name:28s} clusters {scores['clusters']:3d}/{scores['classes']:3d}  purity {scores['purity']:.3f}  "
            f"inverse {scores['inverse_purity']:.3f}  F {scores['f_purity']:.3f}  "
            f"pairs P {scores['pair_precision']:.3f} R {scores['pair_recall']:.3f} F {scores['pair_f']:.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="existing database (default: ingest examples/corpus into a temporary one)")
    parser.add_argument("--labels", default=str(LABELS))
    args = parser.parse_args(argv)
    gold = stories.load_labels(args.labels)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.db) if args.db else Path(tmp) / "corpus.duckdb"
        if not args.db:
            print(f"ingest examples/corpus: {ingest(path):.1f} s")
        con = duckdb.connect(str(path))
        try:
            start = time.perf_counter()
            built = stories.build(con)
            story_seconds = time.perf_counter() - start
            start = time.perf_counter()
            framing.build(con)
            framing_seconds = time.perf_counter() - start
            print(f"stories.build {story_seconds:.2f} s, framing.build {framing_seconds:.2f} s; "
                  f"{built['articles']} articles, {built['stories']} stories "
                  f"({built['multi_article_stories']} with several articles)")
            predicted = stories.predicted_stories(con)
            unlabelled = sorted(set(predicted) - set(gold))
            if unlabelled:
                print(f"not in {Path(args.labels).name} (left out of the scores): {', '.join(unlabelled)}")
            print("\n== story clustering against the labels ==")
            print(line("defaults", stories.cluster_scores(predicted, gold)))
            print("\n== sensitivity (one setting changed at a time) ==")
            base = stories.SETTINGS
            sweep = [("text_threshold", v) for v in (0.15, 0.20, 0.22, 0.30, 0.35)]
            sweep += [("undated_text_threshold", v) for v in (0.30, 0.40, 0.50)]
            sweep += [("date_window_days", v) for v in (1, 7, 30)]
            sweep += [("linkage", "single")]
            for name, value in sweep:
                stories.build(con, dataclasses.replace(base, **{name: value}))
                print(line(f"{name}={value}", stories.cluster_scores(stories.predicted_stories(con), gold)))
            stories.build(con)
            framing.build(con)
            print("\n== event de-duplication ==")
            counts = stories.dedup_counts(con)
            print(f"raw event mentions        {counts['raw_mentions']}")
            print(f"de-duplicated events      {counts['event_groups']}  "
                  f"({counts['merged_mentions']} mentions merged, redundant share {counts['redundant_share']:.3f})")
            print(f"groups in several outlets {counts['groups_in_several_outlets']}")
            print(f"duplicate ratio (same source, target, type, modality, date): "
                  f"before {counts['duplicate_ratio_before']:.3f}  after {counts['duplicate_ratio_after']:.3f}")
        finally:
            con.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
