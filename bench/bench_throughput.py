"""Throughput and memory of `diplograph ingest` at scale, against bare spaCy on the same texts.

For each size (1,000 and 10,000 articles by default) the script writes a synthetic corpus into a temporary folder,
built from the example corpus: every article keeps the furniture and headline of one example page, a varied date,
and a random draw of body paragraphs from all the pages, so that content hashes differ and articles are not near
duplicates of each other. Then, each in a fresh process:

1. the full pipeline (read, clean, dedup, parse, actors, events, DuckDB) with --workers processes;
2. bare spaCy: `nlp.pipe` over the article bodies the pipeline parsed, same model, one process, no custom component.

It prints articles/s for both, their ratio, and the peak RSS of the main process and of the largest worker.
Generated corpora live in a temporary folder and are deleted afterwards (--keep keeps them).

    python bench/bench_throughput.py --sizes 1000,10000 --workers 2
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "examples" / "corpus"
_DATE = re.compile(r"\b(20\d\d)-(\d\d)-(\d\d)\b|\b(\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)")


# ------------------------------------------------------------------------------------------- corpus generation
def _blocks(text: str) -> list[str]:
    return [b.strip("\n") for b in re.split(r"\n\s*\n", text) if b.strip()]


def _is_prose(block: str) -> bool:
    return len(block) > 160 and ". " in block and "\n" not in block


def load_templates() -> tuple[list[tuple[list[str], int, list[str]]], list[str]]:
    """(header blocks, number of body paragraphs, footer blocks) per example page, and the pool of paragraphs."""
    templates, pool = [], []
    for path in sorted(CORPUS.glob("*.txt")):
        blocks = _blocks(path.read_text(encoding="utf-8"))
        prose = [i for i, b in enumerate(blocks) if _is_prose(b)]
        if not prose:
            continue
        first, last = prose[0], prose[-1]
        body = [b for b in blocks[first:last + 1] if _is_prose(b)]
        templates.append((blocks[:first], len(body), blocks[last + 1:]))
        pool.extend(body)
    return templates, pool


def _vary_date(block: str, rng: random.Random) -> str:
    def swap(match: re.Match) -> str:
        if match.group(1):
            return f"{rng.randint(2020, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        return f"{rng.randint(1, 28)} {match.group(5)}"
    return _DATE.sub(swap, block)


def generate_corpus(folder: Path, size: int, seed: int = 8) -> int:
    """Write `size` distinct articles into `folder` (100 per subfolder); return the total bytes written."""
    rng = random.Random(seed)
    templates, pool = load_templates()
    seen: set[tuple[int, ...]] = set()
    total = 0
    for number in range(size):
        header, paragraphs, footer = templates[number % len(templates)]
        while True:
            draw = tuple(rng.sample(range(len(pool)), paragraphs))
            if draw not in seen:
                seen.add(draw)
                break
        text = "\n\n".join([*(_vary_date(b, rng) for b in header), *(pool[i] for i in draw), *footer]) + "\n"
        sub = folder / f"{number // 100:05d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"article_{number:06d}.txt").write_text(text, encoding="utf-8")
        total += len(text.encode("utf-8"))
    return total


# ------------------------------------------------------------------------------------------- child processes
def peak_rss_mib() -> tuple[float, float]:
    """Peak resident set size of this process and of its largest reaped child, in MiB (Linux: ru_maxrss is KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def cpu_seconds() -> float:
    """User and system CPU time of this process and its reaped children: a rate that other load on the machine
    does not skew as much as wall time."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def child_ingest(corpus: str, db: str, workers: int, batch_size: int, engine: str) -> dict:
    from diplograph.pipeline import Ingestor
    from diplograph.settings import Settings
    from diplograph.store import Store

    settings = Settings(db_path=db, batch_size=batch_size, workers=workers)
    started = time.perf_counter()
    with Store(db) as store:
        if engine == "ray":
            from diplograph.engine_ray import RayIngestor

            ingestor = RayIngestor(store, settings)
        else:
            ingestor = Ingestor(store, settings)
        counts = ingestor.run([corpus])
        db_memory = store.con.execute("SELECT sum(memory_usage_bytes) FROM duckdb_memory()").fetchone()[0] or 0
    elapsed = time.perf_counter() - started
    own, children = peak_rss_mib()
    return {"seconds": elapsed, "articles": counts.articles, "events": counts.events, "files": counts.files_read,
            "rss_main_mib": own, "rss_worker_mib": children, "duckdb_mib": db_memory / 2**20,
            "cpu_seconds": cpu_seconds(), **{f"{k}_seconds": v for k, v in ingestor.timings.items()}}


def child_spacy(db: str, limit: int, batch_size: int) -> dict:
    import duckdb

    from diplograph.parse import load_model_package
    from diplograph.settings import SPACY_MODEL

    with duckdb.connect(db, read_only=True) as con:
        sql = "SELECT body FROM articles WHERE coded ORDER BY path" + (f" LIMIT {int(limit)}" if limit else "")
        texts = [row[0] for row in con.execute(sql).fetchall()]
    nlp = load_model_package(SPACY_MODEL)
    started, cpu_started = time.perf_counter(), time.process_time()
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=batch_size))
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    own, _ = peak_rss_mib()
    return {"seconds": elapsed, "articles": len(texts), "tokens": tokens, "pipe_names": nlp.pipe_names,
            "rss_main_mib": own, "cpu_seconds": cpu}


def run_child(*args: str) -> dict:
    result = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        raise SystemExit(f"child {args[0]} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------------------------------- main
def bench_size(size: int, args: argparse.Namespace, work: Path) -> dict:
    corpus, db = work / f"corpus-{size}", work / f"bench-{size}.duckdb"
    started = time.perf_counter()
    written = generate_corpus(corpus, size)
    print(f"\n-- {size} articles ({written / size / 1024:.1f} KiB each on average, generated in "
          f"{time.perf_counter() - started:.1f} s)", flush=True)
    full = run_child("ingest", str(corpus), str(db), str(args.workers), str(args.batch_size), args.engine)
    full_rate = full["articles"] / full["seconds"]
    print(f"full pipeline ({args.engine}, {args.workers} workers): {full['articles']} articles, {full['events']} "
          f"events in {full['seconds']:.1f} s = {full_rate:.2f} articles/s (worker start-up and model loads included)",
          flush=True)
    limit = min(size, args.bare_limit) if args.bare_limit else 0
    bare = run_child("spacy", str(db), str(limit), str(args.batch_size))
    bare_rate = bare["articles"] / bare["seconds"]
    print(f"bare spaCy nlp.pipe ({'+'.join(bare['pipe_names'])}, 1 process): {bare['articles']} articles "
          f"in {bare['seconds']:.1f} s = {bare_rate:.2f} articles/s ({bare['tokens'] / bare['articles']:.0f} tokens "
          f"per article)", flush=True)
    print(f"ratio full / bare spaCy: {full_rate / bare_rate:.2f}", flush=True)
    full_cpu, bare_cpu = full["cpu_seconds"] / full["articles"], bare["cpu_seconds"] / bare["articles"]
    print(f"CPU per article: full {1000 * full_cpu:.0f} ms (all processes, model loads included), bare spaCy "
          f"{1000 * bare_cpu:.0f} ms; main process: dedup {1000 * full['dedup_seconds'] / full['articles']:.1f} ms, "
          f"database writes {1000 * full['write_seconds'] / full['articles']:.1f} ms", flush=True)
    print(f"peak RSS: main process {full['rss_main_mib']:.0f} MiB (DuckDB buffers at the end "
          f"{full['duckdb_mib']:.0f} MiB), largest worker {full['rss_worker_mib']:.0f} MiB; bare spaCy "
          f"{bare['rss_main_mib']:.0f} MiB; database file {db.stat().st_size / 2**20:.0f} MiB", flush=True)
    return {"size": size, "full_rate": full_rate, "bare_rate": bare_rate, "ratio": full_rate / bare_rate,
            "cpu_ratio": bare_cpu / full_cpu, "rss_main_mib": full["rss_main_mib"],
            "rss_worker_mib": full["rss_worker_mib"], "duckdb_mib": full["duckdb_mib"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated corpus sizes (articles)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="ingest worker processes")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--engine", choices=["local", "ray"], default="local")
    parser.add_argument("--bare-limit", type=int, default=1000,
                        help="parse at most this many texts with bare spaCy (its rate is per article; 0: all)")
    parser.add_argument("--keep", help="write the corpora and databases into this folder and keep them")
    parser.add_argument("--child", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "ingest":
            corpus, db, workers, batch_size, engine = rest
            print(json.dumps(child_ingest(corpus, db, int(workers), int(batch_size), engine)))
        else:
            db, limit, batch_size = rest
            print(json.dumps(child_spacy(db, int(limit), int(batch_size))))
        return
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    print(f"throughput benchmark: sizes {sizes}, {args.workers} workers, batch size {args.batch_size}, "
          f"{os.cpu_count()} CPUs")
    if args.keep:
        work = Path(args.keep)
        work.mkdir(parents=True, exist_ok=True)
        results = [bench_size(size, args, work) for size in sizes]
    else:
        with tempfile.TemporaryDirectory(prefix="diplograph-bench-") as folder:
            results = [bench_size(size, args, Path(folder)) for size in sizes]
    print("\nsize     full art/s  bare art/s  ratio  CPU ratio  main RSS MiB  (DuckDB)  worker RSS MiB")
    for r in results:
        print(f"{r['size']:<8d} {r['full_rate']:10.2f}  {r['bare_rate']:10.2f}  {r['ratio']:5.2f}  "
              f"{r['cpu_ratio']:9.2f}  {r['rss_main_mib']:12.0f}  {r['duckdb_mib']:8.0f}  {r['rss_worker_mib']:14.0f}")
    print("ratio: articles/s of the full pipeline over bare spaCy's (wall time); CPU ratio: bare spaCy's CPU time "
          "per article over the full pipeline's, all processes (1.0: the pipeline costs no more CPU than parsing)")


if __name__ == "__main__":
    main()
