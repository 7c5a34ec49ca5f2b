"""Hostile inputs, written by the tests themselves: each one an attack on one bound of the readers.

Every input is a (file name, bytes) pair that ``newsdesk extract`` and ``newsdesk ingest`` must answer
within seconds, with a clear error naming the input or with a good article, never a traceback. The
same corpus feeds ``tests/test_hostile.py`` and ``bench/hostile.py``.
"""

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Callable
from dataclasses import dataclass

PROSE = (
    "The harbour authority of Norrvik said on Tuesday that the ferry link to the islands would reopen "
    "next week after repairs to the pier, which was damaged in a storm last month."
)


# The source of ``peak_mb()`` for the subprocesses that run hostile inputs (the test driver and the
# benchmark's worker): VmHWM is the program's own high-water mark, while ru_maxrss would start at the
# size of the parent that forked it.
PEAK_MB_SOURCE = """
import resource


def peak_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""


@dataclass(frozen=True)
class Hostile:
    """One hostile input. ``expect`` is ``error``, ``article`` or ``either``."""

    name: str
    filename: str
    make: Callable[[], bytes]
    expect: str = "error"


def _record(**fields: object) -> dict[str, object]:
    return {"title": "Ferry link to reopen", "text": PROSE, "source": "Norrvik Post", **fields}


def _jsonl(*records: object) -> bytes:
    return "\n".join(json.dumps(r) for r in records).encode()


def _nested_json(depth: int) -> str:
    return "[" * depth + "]" * depth


def _alias_bomb(key: str, levels: int = 9) -> bytes:
    lines = ["---", "title: Ferry link to reopen", 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        previous = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([previous] * 9)}]")
    lines += [f"{key}: *a{levels - 1}", "---", "", PROSE, ""]
    return "\n".join(lines).encode()


def _attributes(count: int) -> bytes:
    attrs = " ".join(f'data-a{i}="{i}"' for i in range(count))
    return (
        f"<html><head><title>Ferry</title></head><body><article><p {attrs}>{PROSE}</p></article></body></html>".encode()
    )


def _repeated_sentence(size: int, unit: str = "The ferry link to the islands will reopen next week. ") -> bytes:
    return ("Ferry link to reopen\n\n" + unit * (size // len(unit))).encode()


def _paragraphs_html(words: int) -> bytes:
    rng = random.Random(11)
    vocabulary = PROSE.replace(",", "").replace(".", "").split()
    paragraphs = []
    for _ in range(words // 40):
        paragraphs.append("<p>" + " ".join(rng.choice(vocabulary) for _ in range(39)) + ".</p>")
    return (
        "<html><head><title>Ferry</title></head><body><article>" + "".join(paragraphs) + "</article></body></html>"
    ).encode()


def _short_lines(count: int) -> bytes:
    rng = random.Random(7)
    words = PROSE.split()
    return "\n".join(" ".join(rng.sample(words, 3)) for _ in range(count)).encode()


def _links(count: int) -> bytes:
    body = " ".join("[a](/)" for _ in range(count))
    return ("---\ntitle: Ferry link to reopen\n---\n\n" + PROSE + "\n\n" + body + "\n").encode()


def _markdown(body: str) -> bytes:
    return f"---\ntitle: Ferry link to reopen\n---\n\n{PROSE}\n\n{body}\n".encode()


def _deep_html(depth: int) -> bytes:
    return ("<html><body>" + "<div>" * depth + f"<p>{PROSE}</p>" + "</div>" * depth + "</body></html>").encode()


def _gzip_bomb() -> bytes:
    return gzip.compress(b" " * 60_000_000, compresslevel=9)


def _entity_bomb() -> bytes:
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    ]
    return (
        '<?xml version="1.0"?><!DOCTYPE rss [' + "".join(entities) + ']><rss version="2.0"><channel>'
        "<title>&lol9;</title><item><title>&lol9;</title><description>&lol9;</description></item></channel></rss>"
    ).encode()


def _xxe() -> bytes:
    return (
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        '<rss version="2.0"><channel><title>x</title><item><title>Ferry link</title>'
        f"<description>&xxe; {PROSE}</description></item></channel></rss>"
    ).encode()


HOSTILE: tuple[Hostile, ...] = (
    Hostile(
        "lone surrogate in a record",
        "surrogate.jsonl",
        lambda: _jsonl(_record()).replace(b"pier", b"pier \\ud800"),
        "article",
    ),
    Hostile(
        "5,000-digit integer in a JSONL record",
        "bigint.jsonl",
        lambda: _jsonl(_record()).replace(b"{", b'{"n": ' + b"9" * 5000 + b", ", 1),
    ),
    Hostile(
        "5,000-digit integer in a JSON file",
        "bigint.json",
        lambda: json.dumps([_record()]).replace('{"', '{"n": ' + "9" * 5000 + ', "', 1).encode(),
    ),
    Hostile(
        "5,000-digit integer in TOML front matter",
        "bigint-toml.md",
        lambda: f"+++\ntitle = 'Ferry'\nn = {'9' * 5000}\n+++\n\n{PROSE}\n".encode(),
    ),
    Hostile(
        "5,000-digit integer in YAML front matter",
        "bigint-yaml.md",
        lambda: f"---\ntitle: Ferry\nn: {'9' * 5000}\n---\n\n{PROSE}\n".encode(),
    ),
    Hostile("JSON nested 100,000 deep", "deep.json", lambda: _nested_json(100_000).encode()),
    Hostile(
        "JSONL record nested 100,000 deep", "deep.jsonl", lambda: ('{"text": ' + _nested_json(100_000) + "}").encode()
    ),
    Hostile(
        "YAML front matter nested 50,000 deep",
        "deep-yaml.md",
        lambda: f"---\ntitle: {_nested_json(50_000)}\n---\n\n{PROSE}\n".encode(),
    ),
    Hostile(
        "TOML front matter nested 50,000 deep",
        "deep-toml.md",
        lambda: f"+++\ntitle = {_nested_json(50_000)}\n+++\n\n{PROSE}\n".encode(),
    ),
    Hostile("YAML alias bomb in categories", "alias-categories.md", lambda: _alias_bomb("categories")),
    Hostile("YAML alias bomb in tags", "alias-tags.md", lambda: _alias_bomb("tags")),
    Hostile("YAML alias bomb in author", "alias-author.md", lambda: _alias_bomb("author")),
    Hostile("HTML element with 200,000 attributes", "attributes.html", lambda: _attributes(200_000)),
    Hostile("HTML nested 100,000 deep", "deep.html", lambda: _deep_html(100_000), "either"),
    Hostile("9.9 MB of one sentence repeated", "repeated.txt", lambda: _repeated_sentence(9_900_000)),
    Hostile("7 MB of 300,000 short lines", "lines.txt", lambda: _short_lines(300_000)),
    Hostile("8.4 MB Markdown with 600,000 links", "links.md", lambda: _links(600_000)),
    Hostile(
        '1 M "AD" lines', "ads.txt", lambda: ("Ferry link to reopen\n\n" + PROSE + "\n" + "AD\n" * 1_000_000).encode()
    ),
    Hostile(
        "Markdown of 40,000 unclosed template tags", "template-tags.md", lambda: _markdown("{% " * 40_000), "either"
    ),
    Hostile("Markdown of 40,000 unclosed {{", "template-braces.md", lambda: _markdown("{{" * 40_000), "either"),
    Hostile('Markdown of 40,000 "![" openings', "brackets.md", lambda: _markdown("![" * 40_000)),
    Hostile("HTML of 400,000 <br>", "br.html", lambda: f"<html><body><p>{PROSE}{'<br>' * 400_000}".encode()),
    # Just under the default bounds (50,000 words): these must be read in time, not refused.
    Hostile(
        "47,000 words of one sentence repeated", "repeated-under.txt", lambda: _repeated_sentence(254_000), "either"
    ),
    Hostile(
        "47,000 words without a full stop",
        "run-on-under.txt",
        lambda: _repeated_sentence(282_000, "ferry link pier islands "),
        "either",
    ),
    Hostile("9,500 short lines", "lines-under.txt", lambda: _short_lines(9_500), "either"),
    Hostile("Markdown with 4,700 links", "links-under.md", lambda: _links(4_700), "either"),
    Hostile(
        '9,500 "AD" lines',
        "ads-under.txt",
        lambda: ("Ferry link to reopen\n\n" + PROSE + "\n" + "AD\n" * 9_500).encode(),
        "either",
    ),
    Hostile(
        "HTML page of 47,000 words in paragraphs", "paragraphs-under.html", lambda: _paragraphs_html(47_000), "either"
    ),
    Hostile("gzip bomb", "bomb.txt.gz", _gzip_bomb),
    Hostile("XML entity bomb in a feed", "entities.rss", _entity_bomb),
    Hostile("XXE in a feed", "xxe.rss", _xxe),
)
