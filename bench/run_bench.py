"""`make bench`: every figure diplograph reports, printed in one run.

1. score_articles.py on ../shared/seeds (cleaning, dates, titles, key events);
2. score_events.py on the PLOVER gold standard (sentence-level coding);
3. our own labelled sets: coded sentences (tests/data/event_sentences.jsonl), actor mentions
   (tests/data/actor_mentions.jsonl) and the trigger sense model's accuracy on held-out sentences;
4. ingest throughput on the example corpus;
5. the other benchmark scripts in bench/ (story clustering, 1M-event queries, loopback load, throughput at scale).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "diplograph.cli"]
OTHER_BENCHMARKS = ("bench_stories.py", "bench_queries.py", "bench_load.py", "bench_duckdb_memory.py",
                    "bench_throughput.py")


def run(command: list[str], output: Path | None = None) -> str:
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        raise SystemExit(f"failed: {' '.join(map(str, command))}\n{result.stderr[-2000:]}")
    if output is not None:
        output.write_text(result.stdout, encoding="utf-8")
    return result.stdout


def heading(title: str) -> None:
    print(f"\n=== {title} ===", flush=True)


def seeds(shared: Path, work: Path) -> None:
    heading("score_articles.py on ../shared/seeds")
    db = work / "seeds.duckdb"
    run([*CLI, "ingest", str(shared / "seeds"), "--db", str(db), "--quiet"])
    run([*CLI, "export", "articles", "--db", str(db)], work / "articles.jsonl")
    run([*CLI, "export", "events", "--db", str(db)], work / "events.jsonl")
    print(run([sys.executable, str(shared / "tools/score_articles.py"), "--articles", str(work / "articles.jsonl"),
               "--events", str(work / "events.jsonl")]), end="")
    run([*CLI, "export", "actors", "--db", str(db)], work / "actors.jsonl")
    seed_people(shared / "gold/seeds.json", work / "actors.jsonl")


def seed_people(gold_path: Path, actors_path: Path) -> None:
    """Does every person the reference names resolve to the right country (as `export actors` shows it)?"""
    import json

    gold = json.loads(gold_path.read_text(encoding="utf-8"))["articles"]
    mentions = [json.loads(line) for line in actors_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    ok = total = 0
    for name, article in gold.items():
        for person, _role, country in article["people"]:
            if country is None:
                continue
            surname = person.split()[-1]
            found = {m["code"] for m in mentions if Path(m["path"]).name == name and m["person"]
                     and m["person"].split()[-1] == surname}
            total += 1
            ok += found == {country}
            if found != {country}:
                print(f"  {name}: {person} resolved to {sorted(found) or 'nothing'} (reference {country})")
    print(f"seed people resolved to the right country: {ok} of {total}")


def coded_sentences(scorer: Path, label: str, mode: list[str], work: Path) -> None:
    heading(f"score_events.py on {label}")
    inputs, outputs = work / f"{label}-in.jsonl", work / f"{label}-out.jsonl"
    run([sys.executable, str(scorer), "inputs", *mode], inputs)
    started = time.perf_counter()
    run([*CLI, "code", "--input", str(inputs), "--output", str(outputs)])
    elapsed = time.perf_counter() - started
    print(run([sys.executable, str(scorer), *mode, "--predictions", str(outputs)]), end="")
    lines = sum(1 for _ in inputs.open())
    print(f"coded {lines} sentences in {elapsed:.1f} s (model load included)")


def actor_mentions() -> None:
    heading("actor mentions (tests/data/actor_mentions.jsonl)")
    from diplograph.annotate import Analyzer
    from diplograph.evaluation import mention_report, read_jsonl

    report = mention_report(Analyzer(), read_jsonl(ROOT / "tests/data/actor_mentions.jsonl"))
    print(f"mentions {len(report.results)}  accuracy {report.accuracy:.3f}  sector {report.rate('sector_ok'):.3f}"
          f"  person {report.rate('person_ok'):.3f}")
    for rule in sorted(report.by_rule):
        print(f"  {rule:22s} {report.ok_by_rule[rule]:3d} / {report.by_rule[rule]:3d}")


def throughput(work: Path) -> None:
    heading("ingest throughput on examples/corpus")
    db = work / "corpus.duckdb"
    started = time.perf_counter()
    run([*CLI, "ingest", str(ROOT / "examples/corpus"), "--db", str(db), "--quiet"])
    elapsed = time.perf_counter() - started
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    print(f"{articles} articles in {elapsed:.1f} s (process start and model load included): "
          f"{articles / elapsed:.1f} articles/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"), help="the shared folder (../shared)")
    parser.add_argument("--quick", action="store_true", help="skip the slow scale benchmarks")
    args = parser.parse_args()
    shared = Path(args.shared).resolve()
    scorer = shared / "tools/score_events.py"
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        if (shared / "seeds").is_dir():
            seeds(shared, work)
            coded_sentences(scorer, "plover", ["plover"], work)
        else:
            print(f"{shared}: not found; skipping the shared benchmarks")
        own = ROOT / "tests/data/event_sentences.jsonl"
        if scorer.exists():
            coded_sentences(scorer, "own-sentences", ["sentences", str(own)], work)
        actor_mentions()
        heading("trigger senses (data/trigger_senses.yaml), accuracy on sentences held out of training")
        print(run([sys.executable, str(ROOT / "tools/train_senses.py"), "--measure"]), end="")
        throughput(work)
    for name in OTHER_BENCHMARKS:
        script = ROOT / "bench" / name
        if script.exists() and not (args.quick and name == "bench_throughput.py"):
            heading(name)
            subprocess.run([sys.executable, str(script)], cwd=ROOT, check=True)


if __name__ == "__main__":
    main()
