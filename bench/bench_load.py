"""A bounded loopback load test: the real server on 127.0.0.1, 2,000 requests at concurrency 20.

Ingests examples/corpus into a temporary database, starts `diplograph serve` on a free loopback port, sends
GET requests to the events and dyad endpoints from 20 threads, and prints the error count and p50/p99 latency.
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
PATHS = ("/api/events?limit=50", "/api/events?source=FRA&limit=20", "/api/dyad?a=FRA&b=AZE&by=month",
         "/api/dyad?a=ARM&b=AZE&by=week", "/api/events?type=ACCUSE&offset=10&limit=10")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(base: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/api/articles?limit=1", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "load.duckdb")
        cli = [sys.executable, "-m", "diplograph.cli"]
        subprocess.run([*cli, "ingest", str(ROOT / "examples/corpus"), "--db", db, "--quiet"], check=True,
                       capture_output=True)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen([*cli, "serve", "--db", db, "--port", str(port)], stderr=subprocess.DEVNULL)
        try:
            wait_until_up(base)
            with httpx.Client(base_url=base, timeout=30) as client:

                def hit(number: int) -> tuple[bool, float]:
                    started = time.perf_counter()
                    try:
                        ok = client.get(PATHS[number % len(PATHS)]).status_code == 200
                    except httpx.HTTPError:
                        ok = False
                    return ok, (time.perf_counter() - started) * 1000

                started = time.perf_counter()
                with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
                    results = list(pool.map(hit, range(args.requests)))
                elapsed = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(timeout=10)
    latencies = [ms for _, ms in results]
    errors = sum(not ok for ok, _ in results)
    print(f"{args.requests} requests at concurrency {args.concurrency} in {elapsed:.1f} s "
          f"({args.requests / elapsed:.0f} req/s): {errors} errors, "
          f"p50 {percentile(latencies, 0.50):.1f} ms, p99 {percentile(latencies, 0.99):.1f} ms")
    if errors:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
