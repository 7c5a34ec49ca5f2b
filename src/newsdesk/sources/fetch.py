"""Polite, bounded HTTP fetching with httpx.

Every request has a time limit from connect to last byte, a size cap, a redirect limit and a clear
User-Agent; gzip and deflate are decoded by httpx. Hosts that resolve to private, loopback,
link-local or otherwise non-public addresses are refused unless ``allow_private`` is set, and that
check is repeated for every redirect hop. (A host whose DNS answer changes between the check and the
connection can still slip through; run newsdesk behind an egress proxy where that matters.)
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from newsdesk.errors import FetchError, RefusedAddressError, TooLargeError
from newsdesk.settings import Settings

ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,text/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5"
)
READABLE_TYPES = (
    "text/html", "application/xhtml+xml", "application/rss+xml", "application/atom+xml",
    "application/rdf+xml", "application/xml", "text/xml", "text/plain", "text/markdown",
    "application/feed+json", "application/octet-stream", "application/gzip", "application/x-gzip",
)  # fmt: skip
_REDIRECTS = {301, 302, 303, 307, 308}
_PERMANENT = {301, 308}


@dataclass(frozen=True)
class FetchResult:
    url: str
    data: bytes
    content_type: str | None
    status: int


class Fetcher:
    """Fetches pages and feeds; one instance shares connections across a whole ingest."""

    def __init__(self, settings: Settings, transport: httpx.BaseTransport | None = None) -> None:
        self.settings = settings
        limit = settings.timeout
        self._client = httpx.Client(
            timeout=httpx.Timeout(limit, connect=min(limit, 10.0)),
            headers={"User-Agent": settings.user_agent, "Accept": ACCEPT, "Accept-Encoding": "gzip, deflate"},
            follow_redirects=False,
            transport=transport,
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def fetch(self, url: str) -> FetchResult:
        """GET ``url`` following redirects; raises :class:`FetchError` with the reason and a fix."""
        response, current, _ = self._follow(url, {})
        if response.status >= 400:
            raise FetchError(url, f"HTTP {response.status} from {current}", "check the URL; it may be gone")
        self._check_type(url, response.content_type)
        return FetchResult(url=current, data=response.data, content_type=response.content_type, status=response.status)

    def poll(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> PollResult:
        """A conditional GET of a followed feed: any status comes back, with the headers a schedule needs.

        Redirects are followed under the same address rules as :meth:`fetch`; ``moved_to`` is where
        an unbroken run of permanent redirects (301, 308) from ``url`` ends, if anywhere. Only
        failures to get an answer at all raise :class:`FetchError`.
        """
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        response, current, moved_to = self._follow(url, headers)
        if response.status == 200:
            self._check_type(url, response.content_type)
        return PollResult(
            url=current,
            status=response.status,
            data=response.data if response.status == 200 else b"",
            headers=response.headers,
            moved_to=moved_to,
        )

    def _follow(self, url: str, headers: dict[str, str]) -> tuple[_Response, str, str | None]:
        """The final answer for ``url``, the URL that gave it, and where permanent redirects from ``url`` lead."""
        if self.settings.offline:
            raise FetchError(url, "not fetched: newsdesk runs offline", "drop --offline to fetch URLs")
        deadline = time.monotonic() + self.settings.timeout
        current = url
        seen = {url}
        moved_to: str | None = None
        permanent = True
        for _hop in range(self.settings.max_redirects + 1):
            self._check_address(current, url)
            response = self._get(current, url, deadline, headers)
            if response.status in _REDIRECTS and response.location:
                target = urljoin(current, response.location)
                if target in seen:
                    raise FetchError(url, f"redirect loop at {target}", "check the URL in a browser")
                seen.add(target)
                permanent = permanent and response.status in _PERMANENT
                if permanent:
                    moved_to = target
                current = target
                continue
            return response, current, moved_to
        raise FetchError(
            url,
            f"more than {self.settings.max_redirects} redirects",
            "raise --max-redirects if the site really needs more",
        )

    def _get(self, current: str, original: str, deadline: float, headers: dict[str, str]) -> _Response:
        cap = self.settings.max_bytes
        try:
            with self._client.stream("GET", current, headers=headers) as response:
                if response.status_code in _REDIRECTS or response.status_code == 304:
                    location = response.headers.get("location")
                    return _Response(response.status_code, location, None, b"", response.headers)
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > cap:
                    raise TooLargeError(
                        original,
                        f"the server announces {int(declared):,} bytes, over the {cap:,}-byte cap",
                        "raise the cap with --max-bytes if the page is genuine",
                    )
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > cap:
                        raise TooLargeError(
                            original,
                            f"the response is over the {cap:,}-byte cap",
                            "raise the cap with --max-bytes if the page is genuine",
                        )
                    if time.monotonic() > deadline:
                        raise httpx.ReadTimeout("deadline passed")
                    chunks.append(chunk)
                content_type = response.headers.get("content-type")
                return _Response(response.status_code, None, content_type, b"".join(chunks), response.headers)
        except httpx.TimeoutException as exc:
            raise FetchError(
                original,
                f"timed out after {self.settings.timeout:g} s",
                "try again later or raise --timeout",
            ) from exc
        except httpx.HTTPError as exc:
            reason = str(exc) or type(exc).__name__
            raise FetchError(original, f"could not be fetched: {reason}", "check the URL and the network") from exc

    def _check_address(self, current: str, original: str) -> None:
        parts = urlsplit(current)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(original, f"cannot fetch {current!r}: only http(s) URLs are fetched", None)
        if self.settings.allow_private:
            return
        host = parts.hostname
        try:
            infos = socket.getaddrinfo(host, parts.port or 80, proto=socket.IPPROTO_TCP)
            addresses = {str(info[4][0]) for info in infos}
        except (socket.gaierror, UnicodeError) as exc:
            raise FetchError(original, f"cannot resolve host {host!r}", "check the URL and the network") from exc
        for address in sorted(addresses):
            ip = ipaddress.ip_address(address.split("%")[0])
            if not ip.is_global:
                raise RefusedAddressError(
                    original,
                    f"refused: {host} resolves to {ip}, a private or local address",
                    "pass --allow-private to fetch from private or local networks",
                )

    def _check_type(self, original: str, content_type: str | None) -> None:
        if not content_type:
            return
        mime = content_type.split(";")[0].strip().lower()
        if mime in READABLE_TYPES or mime.startswith("text/") or mime.endswith(("+xml", "+json")):
            return
        raise FetchError(
            original,
            f"is {mime}, not an HTML page, text or feed",
            "pass the URL of an article page or an RSS/Atom feed",
        )


@dataclass(frozen=True)
class PollResult:
    """The answer to a conditional GET: its status and headers, the body of a 200 only."""

    url: str
    status: int
    data: bytes
    headers: httpx.Headers
    moved_to: str | None


@dataclass(frozen=True)
class _Response:
    status: int
    location: str | None
    content_type: str | None
    data: bytes
    headers: httpx.Headers
