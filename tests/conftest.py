"""Shared fixtures: the shared data folder, stores, and a local HTTP server on 127.0.0.1."""

from __future__ import annotations

import gzip
import os
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from newsdesk.settings import Settings
from newsdesk.store import Store, open_store

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NEWSDESK_SHARED", ROOT.parent / "shared"))
CORPUS = ROOT / "examples" / "corpus"


@pytest.fixture(scope="session")
def shared() -> Path:
    """The shared seeds and benchmark data. Missing data is a failure, never a skip."""
    if not (SHARED / "seeds").is_dir():
        pytest.fail(f"the shared data folder is missing at {SHARED}: put it beside the checkout or set NEWSDESK_SHARED")
    return SHARED


@pytest.fixture(scope="session")
def seeds(shared: Path) -> Path:
    return shared / "seeds"


@pytest.fixture(scope="session")
def pg_url() -> str:
    """The test PostgreSQL server: ``$NEWSDESK_TEST_PG``, else one started by scripts/pg-test-server."""
    url = os.environ.get("NEWSDESK_TEST_PG")
    if url:
        return url
    script = ROOT / "scripts" / "pg-test-server"
    started = subprocess.run([str(script), "start"], capture_output=True, text=True, check=False)
    if started.returncode != 0:
        pytest.fail(f"no PostgreSQL for the tests: {script} start failed: {started.stderr.strip()}")
    return subprocess.run([str(script), "url"], capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture
def pg_schema_url(pg_url: str) -> Iterator[str]:
    """A URL whose connections work in a fresh, private schema (dropped afterwards)."""
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in pg_url else "?"
    try:
        yield f"{pg_url}{separator}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(pg_url, autocommit=True) as admin:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty store, once for each backend."""
    if request.param == "sqlite":
        return str(tmp_path / "test.db")
    return str(request.getfixturevalue("pg_schema_url"))


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with open_store(store_url) as opened:
        yield opened


@pytest.fixture
def settings() -> Settings:
    return Settings(allow_private=True, timeout=2.0)


# -- a local HTTP server -------------------------------------------------------------------------


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    stream_bytes: int = 0  # send this many bytes in chunks instead of ``body`` (no Content-Length)


@dataclass
class LocalServer:
    base: str
    routes: dict[str, Route]
    requests: list[tuple[str, dict[str, str]]]

    def url(self, path: str) -> str:
        return self.base + path


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        return

    def do_GET(self) -> None:
        self.server.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
        route = self.server.routes.get(self.path)
        if route is None:
            route = Route(status=404, body=b"<html><body><p>not here</p></body></html>")
        if route.delay:
            time.sleep(route.delay)
        self.send_response(route.status)
        self.send_header("Content-Type", route.content_type)
        for name, value in route.headers.items():
            self.send_header(name, value)
        if route.stream_bytes:
            self.end_headers()
            chunk = b"<p>" + b"x" * 65_536 + b"</p>\n"
            sent = 0
            try:
                while sent < route.stream_bytes:
                    self.wfile.write(chunk)
                    sent += len(chunk)
            except (BrokenPipeError, ConnectionResetError):
                return
            return
        self.send_header("Content-Length", str(len(route.body)))
        self.end_headers()
        try:
            self.wfile.write(route.body)
        except (BrokenPipeError, ConnectionResetError):
            return


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    routes: dict[str, Route]
    requests: list[tuple[str, dict[str, str]]]


@pytest.fixture
def http_server() -> Iterator[LocalServer]:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.routes = {}
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield LocalServer(base=f"http://{host}:{port}", routes=server.routes, requests=server.requests)
    finally:
        server.shutdown()
        server.server_close()


def gzipped(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


PageFactory = Callable[..., bytes]


def html_page(
    title: str = "Tram line approved after marathon council session",
    paragraphs: tuple[str, ...] = (),
    published: str | None = "2026-10-20T18:05:00+01:00",
    author: str | None = "Mara Lindqvist",
    site: str | None = "Example Evening Post",
) -> bytes:
    """A news page with menus, ads and a footer around the article, written for these tests."""
    paragraphs = paragraphs or (
        "The Eastbrook city council approved the long-debated tram line on Tuesday night after a session "
        "that ran for more than seven hours.",
        "Councillors voted 27 to 14 in favour of the plan, which will link the harbour district with the "
        "university campus by 2030.",
        "\u201cThis is the most important transport decision the city has made in a generation,\u201d said "
        "council leader Ines Haldane after the vote.",
        "Opponents argued that the projected cost of 410 million euros would squeeze spending on schools "
        "and libraries for a decade.",
        "Construction is scheduled to begin next spring, with the first section opening in 2028 if the "
        "national government confirms its share of the funding.",
    )
    meta = []
    if published:
        meta.append(f'<meta property="article:published_time" content="{published}">')
    if author:
        meta.append(f'<meta name="author" content="{author}">')
    if site:
        meta.append(f'<meta property="og:site_name" content="{site}">')
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>{title} | {site or "News"}</title>
{"".join(meta)}
<meta property="og:title" content="{title}">
<link rel="canonical" href="https://evening-post.example/2026/10/20/tram-line-approved">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li>
<li><a href="/login">Log in</a></li></ul></nav>
<div class="cookie-banner">We use cookies to improve your experience. <button>Accept all</button></div>
<div class="ad">Advertisement</div>
<main><article><h1>{title}</h1><p class="byline">By {author or "Staff"}</p>
{body}
</article>
<aside><h3>Most read</h3><ul><li><a href="/a">Harbour ferry timetable changes</a></li>
<li><a href="/b">Local bakery wins regional prize</a></li></ul></aside></main>
<footer><a href="/about">About us</a> <a href="/privacy">Privacy policy</a> <p>© 2026 {site}</p></footer>
</body></html>""".encode()
