"""Fetching over real HTTP from a local server on 127.0.0.1: pages, feeds, and everything that goes wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import LocalServer, Route, gzipped, html_page
from newsdesk.errors import FetchError, InputError, RefusedAddressError, TooLargeError
from newsdesk.pipeline import extract_inputs
from newsdesk.records import Article
from newsdesk.settings import Settings
from newsdesk.sources.fetch import Fetcher

pytestmark = pytest.mark.network


def _feed(server: LocalServer) -> bytes:
    return f"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Evening Post feed</title>
<item><title>Tram line approved</title><link>{server.url("/tram.html")}</link>
<pubDate>Tue, 20 Oct 2026 18:05:00 +0100</pubDate><description>Council says yes.</description></item>
<item><title>Budget row deepens</title><link>{server.url("/gone.html")}</link>
<pubDate>Wed, 21 Oct 2026 09:00:00 +0100</pubDate>
<description>&lt;p&gt;Councillors argued over the budget for a second day on Wednesday.&lt;/p&gt;</description></item>
<item><title>Nothing to read</title><link>{server.url("/also-gone.html")}</link></item>
</channel></rss>""".encode()


def _extract(inputs: list[str], settings: Settings) -> tuple[list[Article], list[InputError], list[str]]:
    notes: list[str] = []
    items = list(extract_inputs(inputs, settings, notify=lambda loc, msg: notes.append(f"{loc}: {msg}")))
    return (
        [i for i in items if isinstance(i, Article)],
        [i for i in items if isinstance(i, InputError)],
        notes,
    )


def test_page_is_fetched_with_our_user_agent(http_server: LocalServer, settings: Settings) -> None:
    http_server.routes["/tram.html"] = Route(body=html_page())
    articles, errors, _ = _extract([http_server.url("/tram.html")], settings)
    assert errors == []
    (article,) = articles
    assert article.title == "Tram line approved after marathon council session"
    assert article.location == http_server.url("/tram.html")
    assert article.url == "https://evening-post.example/2026/10/20/tram-line-approved"
    path, headers = http_server.requests[0]
    assert path == "/tram.html"
    assert headers["user-agent"].startswith("newsdesk/")
    assert "gzip" in headers["accept-encoding"]


def test_gzip_content_encoding_is_decoded(http_server: LocalServer, settings: Settings) -> None:
    http_server.routes["/gz.html"] = Route(body=gzipped(html_page()), headers={"Content-Encoding": "gzip"})
    articles, errors, _ = _extract([http_server.url("/gz.html")], settings)
    assert errors == []
    assert articles[0].author == "Mara Lindqvist"


def test_feed_url_fetches_each_entry_and_falls_back_to_entry_text(http_server: LocalServer, settings: Settings) -> None:
    http_server.routes["/feed.xml"] = Route(body=_feed(http_server), content_type="application/rss+xml")
    http_server.routes["/tram.html"] = Route(body=html_page())
    articles, errors, notes = _extract([http_server.url("/feed.xml")], settings)
    assert [a.title for a in articles] == [
        "Tram line approved after marathon council session",
        "Budget row deepens",
    ]
    page, fallback = articles
    assert (page.published, page.published_from, page.format) == ("2026-10-20T18:05:00+01:00", "meta", "html")
    assert page.source == "Example Evening Post"
    assert (fallback.published, fallback.published_from, fallback.format) == (
        "2026-10-21T09:00:00+01:00",
        "feed",
        "feed",
    )
    assert fallback.body == "Councillors argued over the budget for a second day on Wednesday."
    assert fallback.source == "Evening Post feed"
    assert notes == [
        f"{http_server.url('/gone.html')}: page not fetched (HTTP 404 from {http_server.url('/gone.html')}); "
        "used the feed entry's own text"
    ]
    assert len(errors) == 1
    assert str(errors[0]).startswith(
        f"{http_server.url('/also-gone.html')}: entry 3 of {http_server.url('/feed.xml')}: HTTP 404"
    )


def test_feed_entry_page_without_article_falls_back(http_server: LocalServer, settings: Settings) -> None:
    http_server.routes["/feed.xml"] = Route(body=_feed(http_server), content_type="application/rss+xml")
    http_server.routes["/tram.html"] = Route(body=b"<html><body></body></html>")
    articles, _, notes = _extract([http_server.url("/feed.xml")], settings)
    assert articles[0].title == "Tram line approved"
    assert articles[0].body == "Council says yes."
    assert any("no article text found; used the feed entry's own text instead" in n for n in notes)


def test_loopback_is_refused_without_allow_private(http_server: LocalServer) -> None:
    http_server.routes["/tram.html"] = Route(body=html_page())
    with Fetcher(Settings()) as fetcher, pytest.raises(RefusedAddressError) as info:
        fetcher.fetch(http_server.url("/tram.html"))
    assert str(info.value) == (
        f"{http_server.url('/tram.html')}: refused: 127.0.0.1 resolves to 127.0.0.1, a private or local address "
        "(pass --allow-private to fetch from private or local networks)"
    )
    assert http_server.requests == []


def test_redirect_to_a_private_address_is_refused_at_the_hop(http_server: LocalServer) -> None:
    """Every hop is checked: a public page that redirects into the private network is refused."""

    class PublicTestServer(Fetcher):
        # Treat the test server as if it were a public host; every other address gets the real check.
        def _check_address(self, current: str, original: str) -> None:
            if not current.startswith(http_server.base):
                super()._check_address(current, original)

    http_server.routes["/go"] = Route(status=302, headers={"Location": "http://10.0.0.1/admin"})
    with PublicTestServer(Settings()) as fetcher, pytest.raises(RefusedAddressError) as info:
        fetcher.fetch(http_server.url("/go"))
    assert "refused: 10.0.0.1 resolves to 10.0.0.1, a private or local address" in str(info.value)
    assert [path for path, _ in http_server.requests] == ["/go"]


def test_redirects_are_followed_up_to_the_limit(http_server: LocalServer, settings: Settings) -> None:
    for hop in range(3):
        http_server.routes[f"/r{hop}"] = Route(status=301, headers={"Location": f"/r{hop + 1}"})
    http_server.routes["/r3"] = Route(body=html_page())
    with Fetcher(settings) as fetcher:
        result = fetcher.fetch(http_server.url("/r0"))
    assert result.url == http_server.url("/r3")
    with (
        Fetcher(settings.with_(max_redirects=2)) as fetcher,
        pytest.raises(FetchError, match="more than 2 redirects"),
    ):
        fetcher.fetch(http_server.url("/r0"))


def test_redirect_loop(http_server: LocalServer, settings: Settings) -> None:
    http_server.routes["/loop-a"] = Route(status=302, headers={"Location": "/loop-b"})
    http_server.routes["/loop-b"] = Route(status=302, headers={"Location": "/loop-a"})
    with Fetcher(settings) as fetcher, pytest.raises(FetchError) as info:
        fetcher.fetch(http_server.url("/loop-a"))
    assert str(info.value) == (
        f"{http_server.url('/loop-a')}: redirect loop at {http_server.url('/loop-a')} (check the URL in a browser)"
    )


def test_slow_response_times_out(http_server: LocalServer) -> None:
    http_server.routes["/slow"] = Route(body=html_page(), delay=3.0)
    with Fetcher(Settings(allow_private=True, timeout=0.5)) as fetcher, pytest.raises(FetchError) as info:
        fetcher.fetch(http_server.url("/slow"))
    assert str(info.value) == f"{http_server.url('/slow')}: timed out after 0.5 s (try again later or raise --timeout)"


def test_huge_response_is_cut_off_at_the_cap(http_server: LocalServer) -> None:
    http_server.routes["/huge"] = Route(stream_bytes=50_000_000)
    with (
        Fetcher(Settings(allow_private=True, max_bytes=1_000_000)) as fetcher,
        pytest.raises(TooLargeError) as info,
    ):
        fetcher.fetch(http_server.url("/huge"))
    assert "over the 1,000,000-byte cap" in str(info.value)


def test_announced_size_over_the_cap_is_refused_before_reading(http_server: LocalServer) -> None:
    http_server.routes["/big"] = Route(body=b"x" * 2_000_000)
    with (
        Fetcher(Settings(allow_private=True, max_bytes=1_000_000)) as fetcher,
        pytest.raises(TooLargeError) as info,
    ):
        fetcher.fetch(http_server.url("/big"))
    assert "the server announces 2,000,000 bytes" in str(info.value)


def test_non_html_content_type_is_refused(http_server: LocalServer, settings: Settings) -> None:
    http_server.routes["/photo.png"] = Route(body=b"\x89PNG\r\n", content_type="image/png")
    _, errors, _ = _extract([http_server.url("/photo.png")], settings)
    assert [str(e) for e in errors] == [
        f"{http_server.url('/photo.png')}: is image/png, not an HTML page, text or feed "
        "(pass the URL of an article page or an RSS/Atom feed)"
    ]


def test_unreachable_host(settings: Settings) -> None:
    _, errors, _ = _extract(["http://127.0.0.1:9/nothing"], settings)
    assert len(errors) == 1
    assert str(errors[0]).startswith("http://127.0.0.1:9/nothing: could not be fetched")


def test_offline_refuses_urls(http_server: LocalServer) -> None:
    _, errors, _ = _extract([http_server.url("/x")], Settings(offline=True))
    assert [str(e) for e in errors] == [
        f"{http_server.url('/x')}: not fetched: newsdesk runs offline (drop --offline to fetch URLs)"
    ]
    assert http_server.requests == []


def test_plain_text_url_goes_through_the_text_reader(
    http_server: LocalServer, settings: Settings, tmp_path: Path
) -> None:
    http_server.routes["/dump.txt"] = Route(
        body=b"Log In\nAD\nHarbour Cranes Fall Silent\nMarch 2, 2026\nThe cranes stopped at dawn.\nMost Read\n",
        content_type="text/plain; charset=utf-8",
    )
    articles, errors, _ = _extract([http_server.url("/dump.txt")], settings)
    assert errors == []
    assert (articles[0].title, articles[0].published, articles[0].body) == (
        "Harbour Cranes Fall Silent",
        "2026-03-02",
        "The cranes stopped at dawn.",
    )
