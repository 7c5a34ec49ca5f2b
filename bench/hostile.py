"""Hostile inputs: does one bad input ever crash the batch, or take unbounded time or memory?

The corpus of ``tests/hostile.py`` (bombs, deep nesting, huge numbers, long texts) plus generated
inputs: real pages of ``../shared/bench/aeb`` cut, spliced, byte-flipped and repeated, random bytes,
random JSON records, front matter with hostile values, feeds with hostile entries. Every input goes
through :func:`newsdesk.ingest` with default settings (offline), exactly as ``newsdesk ingest`` calls it,
in a worker process that the harness kills when an input runs past the time limit.

Outcomes: ``stored`` (an article), ``refused`` (an InputError with a reason), ``caught`` (an unexpected
exception, turned into that input's failure by the safety net: a reader bug to fix), ``crashed`` (an
exception escaped ``ingest``: the batch would be lost) and ``over time`` (past the limit).

Baseline in the same run: trafilatura's ``extract()`` on the same bytes, with its defaults, the
library a user would otherwise call (crashed = it raised; over time = past the limit).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from common import ROOT, machine, shared_dir, today, write_section

sys.path.insert(0, str(ROOT / "tests"))
from hostile import HOSTILE, PEAK_MB_SOURCE, PROSE

LIMIT_SECONDS = 2.0
KILL_SECONDS = 20.0

WORKER = (
    PEAK_MB_SOURCE
    + r"""
import json, sys, time
system = sys.argv[1]
if system == "newsdesk":
    from newsdesk import Settings, ingest, open_store
    import newsdesk.extract.html, newsdesk.relate, newsdesk.group, feedparser
    store = open_store(sys.argv[2])
    settings = Settings(offline=True)
else:
    import trafilatura
print("ready", flush=True)
for line in sys.stdin:
    path = line.strip()
    started = time.perf_counter()
    outcome, reason = "stored", ""
    try:
        if system == "newsdesk":
            report = ingest([path], store, settings)
            if report.failures:
                problem = report.failures[0].problem
                outcome = "caught" if problem.startswith("could not be read (") else "refused"
                reason = problem
                if report.new or report.unchanged:
                    outcome = "stored"
        else:
            with open(path, "rb") as f:
                text = trafilatura.extract(f.read())
            outcome = "stored" if text else "refused"
    except BaseException as exc:
        outcome, reason = "crashed", f"{type(exc).__name__}: {exc}"[:200]
    elapsed = time.perf_counter() - started
    peak = peak_mb()
    print(json.dumps({"outcome": outcome, "reason": reason[:200], "seconds": elapsed, "peak_mb": peak}), flush=True)
"""
)


class Worker:
    """A worker process fed one path at a time; killed and restarted when an input runs too long."""

    def __init__(self, system: str, folder: Path) -> None:
        self.system, self.folder, self.count = system, folder, 0
        self.process: subprocess.Popen[str] | None = None

    def start(self) -> None:
        self.count += 1
        db = str(self.folder / f"{self.system}-{self.count}.db")
        self.process = subprocess.Popen(
            [sys.executable, "-c", WORKER, self.system, db],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "ready"

    def run(self, path: Path) -> dict[str, Any]:
        if self.process is None or self.process.poll() is not None:
            self.start()
        assert self.process is not None and self.process.stdin and self.process.stdout
        self.process.stdin.write(f"{path}\n")
        self.process.stdin.flush()
        import selectors

        selector = selectors.DefaultSelector()
        selector.register(self.process.stdout, selectors.EVENT_READ)
        started = time.perf_counter()
        ready = selector.select(timeout=KILL_SECONDS)
        selector.close()
        if not ready:
            self.process.kill()
            self.process.wait()
            self.process = None
            return {"outcome": "over time", "reason": f"killed after {KILL_SECONDS:.0f} s", "seconds": KILL_SECONDS}
        line = self.process.stdout.readline()
        if not line:  # the worker died (out of memory, a segfault): the batch would be lost
            self.process = None
            return {"outcome": "crashed", "reason": "the process died", "seconds": time.perf_counter() - started}
        result: dict[str, Any] = json.loads(line)
        if result["seconds"] > LIMIT_SECONDS and result["outcome"] != "crashed":
            result["outcome"] = "over time"
        return result

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            self.process.wait(timeout=30)


# -- generated inputs ----------------------------------------------------------------------------------------


def real_pages(shared: Path, count: int, rng: random.Random) -> list[bytes]:
    paths = sorted((shared / "bench" / "aeb" / "html").glob("*.html.gz"))
    return [gzip.decompress(p.read_bytes()) for p in rng.sample(paths, min(count, len(paths)))]


def mutate(page: bytes, rng: random.Random) -> tuple[str, str, bytes]:
    kind = rng.choice(["truncate", "flip", "splice", "repeat", "strip-close", "nest", "attrs", "nul"])
    data = bytearray(page)
    if kind == "truncate":
        data = data[: rng.randrange(1, max(2, len(data)))]
    elif kind == "flip":
        for _ in range(rng.randrange(1, 200)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    elif kind == "splice":
        at = rng.randrange(len(data))
        data[at:at] = rng.choice(
            [b"<!--", b"<script>", b"<![CDATA[", b"<svg><svg><svg>", b"&#x", b"\xff\xfe", b"]]>"]
        ) * rng.randrange(1, 5000)
    elif kind == "repeat":
        piece = data[: rng.randrange(100, 5000)]
        data = bytearray(bytes(piece) * max(1, 3_000_000 // max(1, len(piece))))
    elif kind == "strip-close":
        data = bytearray(bytes(data).replace(b"</", b"<"))
    elif kind == "nest":
        depth = rng.choice([1_000, 10_000, 100_000])
        data = bytearray(b"<html><body>" + b"<div><span>" * depth + PROSE.encode() + b"</body></html>")
    elif kind == "attrs":
        count = rng.choice([500, 5_000, 50_000])
        attrs = b" ".join(b'a%d="x"' % i for i in range(count))
        data = bytearray(bytes(data).replace(b"<p", b"<p " + attrs, 1))
    else:
        at = rng.randrange(len(data))
        data[at:at] = b"\x00" * rng.randrange(1, 100)
    return f"page-{kind}", "page.html", bytes(data)


def random_record(rng: random.Random) -> Any:
    def value(depth: int) -> Any:
        roll = rng.random()
        if depth > 3 or roll < 0.3:
            return rng.choice([None, True, 0, -1, 1e308, "", PROSE, "\u202e" + PROSE, "x" * rng.randrange(5000)])
        if roll < 0.6:
            return [value(depth + 1) for _ in range(rng.randrange(4))]
        return {
            rng.choice(["title", "text", "html", "published", "source", "author", "url", "z"]): value(depth + 1)
            for _ in range(rng.randrange(5))
        }

    record = {"title": "Ferry", "text": PROSE}
    extra = value(0)
    if isinstance(extra, dict):
        record.update(extra)
    for key in rng.sample(["title", "text", "html", "published", "source", "author", "url"], rng.randrange(3)):
        record[key] = value(1)
    return record


def _feed(rng: random.Random) -> bytes:
    entries = []
    for _ in range(rng.randrange(1, 30)):
        title = rng.choice(["", PROSE, "&amp;" * 1000])
        link = rng.choice(["", "http://127.0.0.1/x", "javascript:alert(1)", "file:///etc/passwd"])
        text = rng.choice(["", PROSE, "&lt;p&gt;" * 5000])
        date = rng.choice(["", "Mon, 99 Foo 2011", "yesterday"])
        entries.append(
            f"<item><title>{title}</title><link>{link}</link><description>{text}</description>"
            f"<pubDate>{date}</pubDate></item>"
        )
    channel = f"<channel><title>T</title>{''.join(entries)}</channel>"
    return f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'.encode()


def generated(shared: Path, count: int, seed: int) -> list[tuple[str, str, bytes]]:
    rng = random.Random(seed)
    pages = real_pages(shared, 60, rng)
    items: list[tuple[str, str, bytes]] = []
    while len(items) < count:
        roll = rng.random()
        if roll < 0.45:
            items.append(mutate(rng.choice(pages), rng))
        elif roll < 0.6:
            size = rng.choice([10, 1000, 100_000, 3_000_000])
            name = rng.choice(["bytes.txt", "bytes.html", "bytes.md", "bytes.jsonl", "bytes.rss", "bytes"])
            items.append(("random-bytes", name, rng.randbytes(size)))
        elif roll < 0.8:
            lines = [json.dumps(random_record(rng)) for _ in range(rng.randrange(1, 20))]
            items.append(("records", "records.jsonl", "\n".join(lines).encode()))
        elif roll < 0.9:
            key = rng.choice(["title", "date", "author", "tags", "categories", "description"])
            hostile = rng.choice(
                [
                    "[" * 200 + "]" * 200,
                    "9" * 5000,
                    "!!python/object:os.system x",
                    "&a [*a, *a]",
                    "{a: " * 100,
                    "'" + "x" * 100_000 + "'",
                    "2026-13-45T99:99",
                ]
            )
            items.append(("front-matter", "post.md", f"---\n{key}: {hostile}\n---\n\n{PROSE}\n".encode()))
        else:
            items.append(("feed", "feed.rss", _feed(rng)))
    return items


# -- the run ---------------------------------------------------------------------------------------------------


def measure(items: list[tuple[str, str, bytes]], folder: Path, system: str) -> list[dict[str, Any]]:
    worker = Worker(system, folder)
    results = []
    try:
        for number, (family, name, data) in enumerate(items):
            path = folder / "inputs" / f"{number:04d}-{name}"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            result = worker.run(path)
            result.update({"family": family, "name": name, "bytes": len(data)})
            result["reason"] = result["reason"].replace(str(path), name).replace(str(folder), "")
            results.append(result)
            path.unlink()
    finally:
        worker.close()
    return results


def table(label: str, results: list[dict[str, Any]]) -> str:
    counts = Counter(r["outcome"] for r in results)
    cells = [str(counts.get(k, 0)) for k in ("stored", "refused", "caught", "crashed", "over time")]
    peak = max((r.get("peak_mb", 0.0) for r in results), default=0.0)
    return f"| {label} | {len(results)} | " + " | ".join(cells) + f" | {peak:.0f} MB |"


def report(shared: Path, count: int, seed: int) -> list[str]:
    corpus = [(h.name, h.filename, h.make()) for h in HOSTILE]
    items = generated(shared, count, seed)
    with tempfile.TemporaryDirectory(prefix="newsdesk-hostile-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        ours_corpus = measure(corpus, folder, "newsdesk")
        ours_generated = measure(items, folder, "newsdesk")
        ours_seconds = time.perf_counter() - started
        started = time.perf_counter()
        base_corpus = measure(corpus, folder, "trafilatura")
        base_generated = measure(items, folder, "trafilatura")
        base_seconds = time.perf_counter() - started
    lines = [
        f"Inputs: the {len(corpus)} hostile inputs of `tests/hostile.py` and {count} generated ones (seed {seed}): "
        + ", ".join(f"{n} {f}" for f, n in sorted(Counter(i[0].split("-")[0] for i in items).items()))
        + ". Each through `newsdesk.ingest` with default settings (offline), one worker process, "
        f"over time = past {LIMIT_SECONDS:.0f} s (killed at {KILL_SECONDS:.0f} s).",
        "",
        "| system | inputs | stored | refused with a reason | caught by the safety net | crashed | over time "
        "| worker peak memory |",
        "|---|---|---|---|---|---|---|---|",
        table("newsdesk, hostile corpus", ours_corpus),
        table("newsdesk, generated", ours_generated),
        table("baseline: trafilatura `extract()`, hostile corpus", base_corpus),
        table("baseline: trafilatura `extract()`, generated", base_generated),
        "",
        f"Time: newsdesk {ours_seconds:.0f} s, trafilatura {base_seconds:.0f} s for all inputs (wall clock). "
        "Goal: 0 crashed, 0 over time; 'caught' should be 0 too (each one is a reader bug the safety net hid).",
        "",
        "Slowest 10 inputs through newsdesk:",
        "",
        "| input | bytes | outcome | seconds | reason |",
        "|---|---|---|---|---|",
    ]
    everything = [(r, "corpus") for r in ours_corpus] + [(r, "generated") for r in ours_generated]
    for result, origin in sorted(everything, key=lambda pair: -pair[0]["seconds"])[:10]:
        reason = result["reason"].replace("|", "/")[:120]
        lines.append(
            f"| {result['family']} ({origin}, {result['name']}) | {result['bytes']:,} | {result['outcome']} | "
            f"{result['seconds']:.2f} | {reason} |"
        )
    odd = [r for r in ours_corpus + ours_generated if r["outcome"] in ("caught", "crashed", "over time")]
    if odd:
        lines += ["", "Inputs caught, crashed or over time:", ""]
        lines += [
            f"- {r['family']} ({r['name']}, {r['bytes']:,} bytes): {r['outcome']}: {r['reason']}" for r in odd[:20]
        ]
    return lines


def _varied(words: int) -> bytes:
    """Prose of ``words`` words in four-sentence paragraphs, drawn from a vocabulary with many names."""
    rng = random.Random(3)
    vocabulary = PROSE.replace(",", "").replace(".", "").split() + [f"Name{i}" for i in range(300)]
    sentences = [" ".join(rng.choice(vocabulary) for _ in range(19)).capitalize() + "." for _ in range(words // 20)]
    paragraphs = [" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4)]
    return ("Ferry link to reopen\n\n" + "\n\n".join(paragraphs)).encode()


def scaling(sizes: list[int]) -> list[str]:
    """CPU seconds of ``ingest`` for one long input as it doubles: a cost close to linear keeps the ratio near 2."""
    from hostile import _links, _paragraphs_html, _repeated_sentence, _short_lines
    from newsdesk import Settings, ingest, open_store

    shapes = {
        "one sentence repeated (.txt)": ("repeated.txt", lambda w: _repeated_sentence(w * 54 // 10)),
        "short lines, 3 words each (.txt)": ("lines.txt", lambda w: _short_lines(w // 3)),
        "Markdown, one link per word (.md)": ("links.md", _links),
        "HTML paragraphs (.html)": ("page.html", _paragraphs_html),
        "varied prose with names (.txt)": ("varied.txt", _varied),
    }
    lines = [
        "Cost against size: CPU seconds of `newsdesk.ingest` (extract, store, relate, group) for one input, "
        "`max_words` raised so that nothing is refused; each column doubles the words.",
        "",
        "| input | " + " | ".join(f"{w:,} words" for w in sizes) + " | last ÷ first |",
        "|---|" + "---|" * (len(sizes) + 1),
    ]
    for label, (name, make) in shapes.items():
        row = []
        for words in sizes:
            with tempfile.TemporaryDirectory(prefix="newsdesk-scale-") as tmp:
                path = Path(tmp) / name
                path.write_bytes(make(words))
                with open_store(str(Path(tmp) / "s.db")) as store:
                    started = time.process_time()
                    result = ingest([str(path)], store, Settings(offline=True, max_words=10**8))
                    row.append(time.process_time() - started)
                    assert result.ok, result.failures
        ratio = row[-1] / row[0] if row[0] else float("nan")
        lines.append(f"| {label} | " + " | ".join(f"{x:.2f}" for x in row) + f" | {ratio:.1f} |")
    ideal = sizes[-1] / sizes[0]
    lines += ["", f"Linear cost gives last ÷ first = {ideal:.0f}."]
    return lines


def large_inputs(text_mb: int) -> list[str]:
    """The issue's two size cases through the command line: a JSONL export of 1,000 ordinary records a little
    over the per-article cap in all, and one long text, refused by default and then read with both bounds raised."""
    rng = random.Random(5)
    words = PROSE.replace(",", "").replace(".", "").split()
    rows = []
    with tempfile.TemporaryDirectory(prefix="newsdesk-large-") as tmp:
        folder = Path(tmp)
        export = folder / "export.jsonl"
        with export.open("w", encoding="utf-8") as out:
            for number in range(1000):
                text = " ".join(rng.choice(words) for _ in range(2000)) + f" Report {number}."
                out.write(json.dumps({"title": f"Report {number}", "text": text, "source": "Norrvik Post"}) + "\n")
        sentences = [" ".join(rng.choice(words) for _ in range(18)).capitalize() + "." for _ in range(2000)]
        paragraphs = (" ".join(rng.choice(sentences) for _ in range(5)) for _ in range(text_mb * 2000))
        long_text = folder / "long.txt"
        long_text.write_text(("Harbour report\n\n" + "\n\n".join(paragraphs))[: text_mb * 1_000_000], encoding="utf-8")
        raised = ["--max-bytes", str((text_mb + 10) * 1_000_000), "--max-words", "100000000"]
        cases = [
            (f"JSONL export, 1,000 records, {export.stat().st_size / 1e6:.1f} MB", export, []),
            (f"one text of {text_mb} MB, default settings", long_text, []),
            (f"one text of {text_mb} MB, {' '.join(raised)}", long_text, raised),
        ]
        for label, path, extra in cases:
            db = folder / f"{len(rows)}.db"
            command = [sys.executable, "-m", "newsdesk", "ingest", str(path), "--db", str(db), "--quiet", *extra]
            started = time.perf_counter()
            done = subprocess.run(["/usr/bin/time", "-f", "%M", *command], capture_output=True, text=True, check=False)
            seconds = time.perf_counter() - started
            peak = int(done.stderr.strip().splitlines()[-1]) / 1024
            summary = done.stdout.splitlines()[0].split(" (")[0] if done.stdout else ""
            error = next((line for line in done.stderr.splitlines() if line.startswith("error:")), "")
            shown = error.split(": ", 2)[-1] if error else summary
            rows.append(f"| {label} | {done.returncode} | {shown.replace('|', '/')} | {seconds:.1f} | {peak:,.0f} MB |")
    return [
        "Large inputs through `newsdesk ingest` (the size cases of the hostile-inputs issue):",
        "",
        "| input | exit | outcome | seconds | peak memory |",
        "|---|---|---|---|---|",
        *rows,
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", type=Path, help="update this Markdown file's hostile section")
    parser.add_argument("--limit", type=int, default=1000, help="how many generated inputs")
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--text-mb", type=int, default=40, help="size of the long text of the large-input table")
    parser.add_argument(
        "--sizes", default="12500,25000,50000,100000", help="word counts for the cost-against-size table"
    )
    args = parser.parse_args()
    shared = shared_dir()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    lines = report(shared, args.limit, args.seed)
    print("\n".join(lines), flush=True)
    grown = scaling([int(n) for n in args.sizes.split(",")])
    print("\n".join(grown), flush=True)
    lines += ["", *grown]
    large = large_inputs(args.text_mb)
    print("\n".join(large), flush=True)
    lines += ["", *large]
    if args.write:
        body = "\n".join(
            [
                "## Hostile inputs",
                f"Command: `make bench` (runs `python bench/hostile.py`), {today()}, {machine()}.",
                "",
                *lines,
            ]
        )
        write_section(args.write if args.write.is_absolute() else ROOT / args.write, "hostile", body)


if __name__ == "__main__":
    main()
