"""Serving speed: the web app over a store of 10,000+ articles, under a bounded loopback load.

The store holds every T17 article (``../shared/bench/t17``), texts derived from them the ways the
seeds show (copies, excerpts, summaries, rewrites: ``bench/derive.py``, seeded) so that it passes
10,000 articles, and the sample corpus. It is filled through the normal ingest path (a JSONL file
of records, then ``newsdesk.pipeline.ingest``: extract, relate, group), which takes minutes, so
the filled store is kept in ``out/bench/serve/`` and reused while the code's version and the data
are unchanged (``--rebuild`` refills it).

The app runs as ``newsdesk serve`` on 127.0.0.1 in its own process; a second process drives it
with a fixed number of requests from ``--clients`` concurrent HTTP clients and measures requests
per second and the latency percentiles of each kind of page. Nothing leaves the machine.

    python bench/serve.py [--write docs/benchmarks.md] [--clients 16] [--requests 1000] [--rebuild]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import httpx

from common import ROOT, run_sections, shared_dir
from data import t17_articles
from derive import DERIVATIONS
from newsdesk._version import __version__
from newsdesk.pipeline import ingest
from newsdesk.settings import Settings
from newsdesk.store import open_store
from newsdesk.write import write_story
from newsdesk.write.units import FOCUS_ARTICLES

CORPUS = ROOT / "examples" / "corpus"
STORE_DIR = ROOT / "out" / "bench" / "serve"
TARGET_ARTICLES = 10_000
GOAL_P95_MS = 100.0


# -- the store -----------------------------------------------------------------------------------------------


def records(shared: Path, seed: int) -> list[dict[str, str]]:
    """JSONL records: every T17 article, then derived texts until the store passes TARGET_ARTICLES."""
    topics = t17_articles(shared)
    originals = [(topic, a) for topic, articles in sorted(topics.items()) for a in articles]
    out = [
        {"text": a.body, "published": a.published or "", "source": f"T17 {topic.capitalize()} Desk"}
        for topic, a in originals
    ]
    rng = random.Random(seed)
    kinds = sorted(DERIVATIONS)
    number = 0
    while len(out) + 18 < TARGET_ARTICLES + 100:
        topic, source = originals[rng.randrange(len(originals))]
        kind = kinds[number % len(kinds)]
        body = DERIVATIONS[kind](source.body, random.Random(seed * 100_003 + number))
        number += 1
        if body.strip():
            record = {"text": body, "source": f"Aggregator {number % 7 + 1}", "title": f"{topic} {kind} {number}"}
            if source.published:
                record["published"] = source.published
            out.append(record)
    return [{k: v for k, v in r.items() if v} for r in out]


def filled_store(shared: Path, seed: int, rebuild: bool) -> tuple[Path, dict[str, Any]]:
    """The benchmark store, filled once through the ingest path and reused while nothing changed."""
    db = STORE_DIR / "newsdesk.db"
    marker = STORE_DIR / "filled.json"
    fingerprint = {"newsdesk": __version__, "seed": seed, "target": TARGET_ARTICLES, "t17": t17_fingerprint(shared)}
    wanted = json.loads(json.dumps(fingerprint))  # as the marker file gives it back
    if not rebuild and db.exists() and marker.exists():
        info = json.loads(marker.read_text(encoding="utf-8"))
        if info.get("fingerprint") == wanted:
            return db, info
    shutil.rmtree(STORE_DIR, ignore_errors=True)
    STORE_DIR.mkdir(parents=True)
    source = STORE_DIR / "t17-and-derived.jsonl"
    with source.open("w", encoding="utf-8") as handle:
        for record in records(shared, seed):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    done = 0
    started = time.perf_counter()

    def progress(_: str) -> None:
        nonlocal done
        done += 1
        if done % 500 == 0:
            rate = done / (time.perf_counter() - started)
            print(f"  ingested {done} articles ({rate:.0f}/s)", file=sys.stderr, flush=True)

    print(f"filling the benchmark store {db} (minutes; reused afterwards)", file=sys.stderr, flush=True)
    with open_store(str(db)) as store:
        settings = Settings(offline=True, max_bytes=source.stat().st_size + 1)
        report = ingest([str(source), str(CORPUS)], store, settings, progress=progress)
        articles, stories = store.count_articles(), store.count_stories()
    if report.failures or articles < TARGET_ARTICLES:
        failed = "; ".join(str(f) for f in report.failures[:3])
        raise SystemExit(f"the benchmark store holds {articles} articles, fewer than {TARGET_ARTICLES}: {failed}")
    seconds = time.perf_counter() - started
    info = {
        "fingerprint": wanted, "articles": articles, "stories": stories, "failures": len(report.failures),
        "ingest_seconds": round(seconds, 1),
    }  # fmt: skip
    marker.write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    return db, info


def t17_fingerprint(shared: Path) -> list[tuple[str, int]]:
    root = shared / "bench" / "t17" / "docs"
    return [(p.parent.name, p.stat().st_size) for p in sorted(root.glob("*/articles.csv"))]


# -- the server and the load ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(db: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "NEWSDESK_TOKEN": ""}
    command = [sys.executable, "-m", "newsdesk", "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port)]
    with log.open("wb") as out:
        server = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"newsdesk serve stopped at start; see {log}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/static/style.css", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit(f"newsdesk serve did not answer within 60 s; see {log}")


def drive(base: str, paths: list[str], clients: int) -> tuple[list[float], float, dict[int, int]]:
    """Request every path once over ``clients`` concurrent keep-alive connections.

    Returns the latency of each request in seconds, the wall time and the count of each status. The
    client is a minimal HTTP/1.1 one on asyncio streams: a general-purpose client would spend more
    CPU per request than the server under test, on a machine that has only two cores for both.
    """
    return asyncio.run(_drive(base, paths, clients))


async def _drive(base: str, paths: list[str], clients: int) -> tuple[list[float], float, dict[int, int]]:
    host, port = base.removeprefix("http://").split(":")
    pending = list(reversed(paths))
    latencies: list[float] = []
    statuses: Counter[int] = Counter()

    async def worker() -> None:
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            while pending:
                path = pending.pop()
                tick = time.perf_counter()
                writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode("latin-1"))
                head = await reader.readuntil(b"\r\n\r\n")
                status = int(head.split(b" ", 2)[1])
                length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
                if length:
                    await reader.readexactly(int(length.group(1)))
                latencies.append(time.perf_counter() - tick)
                statuses[status] += 1
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    return latencies, time.perf_counter() - started, dict(statuses)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def query_words(db: Path, count: int, seed: int) -> list[str]:
    """Search queries: one or two words common enough to match, drawn from stored titles and bodies."""
    with open_store(str(db), readonly=True) as store:
        texts = [a.body[:2000] for a in store.list_articles(limit=400)]
    counts = Counter(w for text in texts for w in re.findall(r"[a-z]{5,}", text.lower()))
    common = [w for w, n in counts.most_common(400) if n >= 5]
    rng = random.Random(seed)
    return [" ".join(rng.sample(common, 1 + (n % 2))) for n in range(count)]


def largest_story_write(db: Path) -> tuple[int, float]:
    """Seconds to write the page of the store's largest story, alone (what its first reader waits for)."""
    with open_store(str(db), readonly=True) as store:
        largest = max(store.list_stories(), key=lambda s: s.article_count)
        tick = time.perf_counter()
        write_story(store, largest.id)
        return largest.article_count, time.perf_counter() - tick


def load(db: Path, info: dict[str, Any], clients: int, requests: int, seed: int) -> list[str]:
    largest, largest_seconds = largest_story_write(db)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(db, port, STORE_DIR / "server.log")
    rng = random.Random(seed)
    try:
        with open_store(str(db), readonly=True) as store:
            story_ids = [s.id for s in store.list_stories(limit=max(200, requests))]
            article_ids = [a.id for a in store.list_articles()]
        tick = time.perf_counter()
        first = httpx.get(base + "/", timeout=600)
        cold_list = time.perf_counter() - tick
        assert first.status_code == 200, first.status_code
        shown = story_ids[: min(len(story_ids), requests)]
        queries = query_words(db, requests, seed)
        plan = [
            ("story list (`/?page=N`, pages 1-10)", [f"/?page={1 + n % 10}" for n in range(requests)]),
            ("story page, first view of each (`/stories/ID`, written on demand)", [f"/stories/{i}" for i in shown]),
            ("story page, repeat views (`/stories/ID`)", [f"/stories/{rng.choice(shown)}" for _ in range(2*requests)]),
            ("story JSON (`/api/stories/ID`)", [f"/api/stories/{rng.choice(shown)}" for _ in range(requests)]),
            ("search (`/search?q=`, distinct queries)", [f"/search?{urlencode({'q': q})}" for q in queries]),
            ("article page (`/articles/ID`)", [f"/articles/{quote(rng.choice(article_ids))}" for _ in range(requests)]),
        ]  # fmt: skip
        rows = []
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as client_process:
            client_process.submit(drive, base, ["/static/style.css"] * clients, clients).result()  # warm the client
            for name, paths in plan:
                latencies, wall, statuses = client_process.submit(drive, base, paths, clients).result()
                errors = sum(n for status, n in statuses.items() if status != 200)
                rows.append((name, len(paths), len(paths) / wall, latencies, errors))
    finally:
        server.terminate()
        server.wait(timeout=30)
    lines = [
        "### Serving under load",
        "",
        f"Store: {info['articles']} articles in {info['stories']} stories (every T17 article, seeded derived "
        "copies, excerpts, summaries and rewrites of them, and the sample corpus), filled through the ingest "
        f"path in {info['ingest_seconds']} s ({info['articles'] / max(info['ingest_seconds'], 0.001):.0f} articles/s). "
        f"Server: `newsdesk serve` (one uvicorn process) on 127.0.0.1. Load: a second process with {clients} "
        "concurrent keep-alive HTTP clients, each request counted once; the rows run one after another.",
        "",
        f"First request after start (`/`: reads the catalogue of all articles and writes the first 20 story "
        f"pages): {cold_list * 1000:.0f} ms. Writing the page of the largest story ({largest} articles) takes "
        f"{largest_seconds:.1f} s alone, before any load.",
        "",
        "| requests of | count | req/s | p50 ms | p95 ms | max ms | non-200 |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, count, rate, latencies, errors in rows:
        lines.append(
            f"| {name} | {count} | {rate:.0f} | {statistics.median(latencies) * 1000:.1f} | "
            f"{percentile(latencies, 0.95) * 1000:.1f} | {max(latencies) * 1000:.0f} | {errors} |"
        )
    repeat = next(r for r in rows if r[0].startswith("story page, repeat"))
    first_view = next(r for r in rows if r[0].startswith("story page, first"))
    p95_repeat, p95_first = percentile(repeat[3], 0.95) * 1000, percentile(first_view[3], 0.95) * 1000
    verdict = "met" if p95_repeat < GOAL_P95_MS else "not met"
    lines += [
        "",
        f"Goal: p95 under {GOAL_P95_MS:.0f} ms for a story page with {clients} clients on 2 cores: **{verdict}** for "
        f"repeat views ({p95_repeat:.1f} ms); a story's first view after the store changed writes the page "
        f"(p95 {p95_first:.1f} ms). Rendered responses are cached per store generation (dropped when an ingest "
        "adds articles) and written story pages per story state (kept until their story changes); a page being "
        "written is written once however many readers ask for it, and the 60 newest stories are written in the "
        "background when the store changes. First views of other stories cost what `write_story` costs: a page "
        f"is written from at most the latest {FOCUS_ARTICLES} articles of its story (its timeline from all of them).",
    ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", type=Path, help="update this Markdown file's serve section")
    parser.add_argument("--clients", type=int, default=16, help="concurrent HTTP clients")
    parser.add_argument("--requests", type=int, default=1000, help="requests per kind of page")
    parser.add_argument("--rebuild", action="store_true", help="fill the benchmark store again")
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    shared = shared_dir()
    db, info = filled_store(shared, args.seed, args.rebuild)
    run_sections(
        "serve",
        "Serve: the web app under load",
        "serve.py",
        [lambda: load(db, info, args.clients, args.requests, args.seed)],
        args.write,
    )


if __name__ == "__main__":
    main()
