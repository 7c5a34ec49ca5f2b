"""The extract stage: one raw document in, one :class:`~newsdesk.records.Article` out.

Which reader runs is decided by the document's format hint and, for ``auto``, by sniffing the
text: HTML, Markdown with front matter, or plain text. All readers give paragraphs plus metadata;
this module merges them with what the source already knew, separates click-bait title prefixes,
recognises digests and derives the content id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape as unescape_entities

from newsdesk.errors import EmptyInputError, UnsupportedInputError
from newsdesk.extract.bounds import check_markup, check_words, scrub_surrogates
from newsdesk.extract.decode import (
    GZIP_MAGIC,
    check_not_binary,
    check_size,
    decode_bytes,
    gunzip,
    normalize_text,
)
from newsdesk.extract.digest import digest_info, looks_like_digest, remove_updated_line
from newsdesk.extract.html import extract_html, fragment_paragraphs
from newsdesk.extract.language import detect_language, normalize_language
from newsdesk.extract.leads import title_from_lead
from newsdesk.extract.markdown import extract_markdown, has_front_matter
from newsdesk.extract.outlets import outlet_from_text
from newsdesk.extract.plaintext import extract_plaintext
from newsdesk.extract.titles import OPINION_PREFIXES, clean_author, clean_title, split_clickbait
from newsdesk.records import Article, DigestInfo, RawDocument, article_id

__all__ = ["extract_document", "sniff_format"]

# Most categories and most tags kept for one article.
MAX_LABELS = 100

_HTML_START = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)
_HTML_TAGS = re.compile(r"<(?:p|div|article|section|h[1-6]|br|span|a\s+href)\b[^>]*>", re.IGNORECASE)
_FEED_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF)\b", re.IGNORECASE | re.DOTALL
)


@dataclass
class _Draft:
    """What a reader found, before merging and finishing."""

    title: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    published: str | None = None
    published_from: str | None = None
    author: str | None = None
    source: str | None = None
    url: str | None = None
    language: str | None = None
    excerpt: str | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    opinion: bool = False
    claimed_count: int | None = None
    fmt: str = "text"


def sniff_format(text: str) -> str:
    """``html``, ``feed``, ``markdown`` (front matter) or ``text`` for decoded input."""
    head = text[:2048]
    if _FEED_START.match(head):
        return "feed"
    if _HTML_START.match(head):
        return "html"
    if has_front_matter(text):
        return "markdown"
    if len(_HTML_TAGS.findall(text[:20000])) >= 3:
        return "html"
    return "text"


def extract_document(
    doc: RawDocument, *, max_bytes: int = 10_000_000, max_words: int = 50_000, encoding: str | None = None
) -> Article:
    """Extract one article; raises :class:`~newsdesk.errors.InputError` subclasses for bad input.

    Bounds on work come before the work: the size cap, HTML elements and attributes, and ``max_words``
    (checked on the text before a plain-text or Markdown reader sees it, and on the extracted body
    of a page).
    """
    data = doc.data
    check_size(len(data), doc.location, max_bytes)
    if data.startswith(GZIP_MAGIC):
        data = gunzip(data, doc.location, max_bytes)
    check_not_binary(data, doc.location)
    text, _ = decode_bytes(data, doc.location, encoding or doc.encoding, normalize=False)

    fmt = doc.fmt
    if fmt in ("auto", "text"):
        sniffed = sniff_format(text)
        if sniffed == "feed":
            raise UnsupportedInputError(
                doc.location, "is an RSS/Atom feed, not an article", "pass it to ingest or extract as a feed"
            )
        fmt = sniffed if fmt == "auto" or sniffed != "text" else fmt
    if fmt in ("html", "fragment"):
        check_markup(data, doc.location, max_words)
    else:
        text = normalize_text(text)
        check_words(text, doc.location, max_words, lines=fmt == "text", links=fmt == "markdown")
    draft = _read(text, fmt, doc)
    if fmt in ("html", "fragment"):
        check_words("\n".join(draft.paragraphs), doc.location, max_words)
    return _finish(draft, doc)


def _read(text: str, fmt: str, doc: RawDocument) -> _Draft:
    draft = _Draft(fmt=fmt)
    if fmt == "html":
        page = extract_html(text, doc.url)
        draft.__dict__.update(
            {k: getattr(page, k) for k in (
                "title", "paragraphs", "published", "published_from", "author", "source", "url",
                "language", "excerpt", "categories", "tags", "opinion",
            )}
        )  # fmt: skip
        draft.paragraphs, draft.claimed_count = _take_updated_line(draft.paragraphs)
    elif fmt == "fragment":
        draft.paragraphs = fragment_paragraphs(text)
        draft.fmt = "html"
    elif fmt == "markdown":
        post = extract_markdown(text, doc.location)
        draft.title, draft.paragraphs = post.title, post.paragraphs
        draft.published = post.published
        draft.published_from = "front-matter" if post.published else None
        draft.author, draft.excerpt, draft.url = post.author, post.excerpt, post.url
        draft.source, draft.language = post.source, normalize_language(post.language)
        draft.categories, draft.tags = post.categories, post.tags
        if draft.title is None and draft.paragraphs and text.lstrip().startswith("# "):
            draft.title = draft.paragraphs.pop(0)
        draft.paragraphs, draft.claimed_count = _take_updated_line(draft.paragraphs)
    elif fmt == "body":
        blocks = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.split("\n")
        draft.paragraphs = [" ".join(b.split()) for b in blocks if b.strip()]
    else:
        without_updated, draft.claimed_count = remove_updated_line(text)
        dump = extract_plaintext(without_updated)
        draft.title, draft.paragraphs = dump.title, dump.paragraphs
        draft.author, draft.excerpt, draft.source = dump.author, dump.excerpt, dump.source
        if dump.published:
            draft.published, draft.published_from = dump.published, "text"
        draft.fmt = "text"
    return draft


def _take_updated_line(paragraphs: list[str]) -> tuple[list[str], int | None]:
    for index, paragraph in enumerate(paragraphs[:5]):
        rest, count = remove_updated_line(paragraph)
        if count is not None and not rest.strip():
            return paragraphs[:index] + paragraphs[index + 1 :], count
    return paragraphs, None


def _finish(draft: _Draft, doc: RawDocument) -> Article:
    known = doc.known
    if known is not None:
        _merge_known(draft, doc)
    if not draft.paragraphs:
        raise EmptyInputError(
            doc.location,
            "no article text found",
            "check that the input is an article page, not an index, login or error page",
        )
    title, prefix = split_clickbait(clean_title(_field(draft.title)))
    body = "\n\n".join(p.replace("\x00", "") for p in draft.paragraphs)
    kind = "opinion" if draft.opinion or (prefix and prefix.lower() in OPINION_PREFIXES) else "report"
    digest: DigestInfo | None = None
    if looks_like_digest(draft.paragraphs, draft.claimed_count):
        kind = "digest"
        body, digest = digest_info(body, draft.claimed_count)
    language = draft.language or detect_language(body)
    source = _field(draft.source)
    source_from: str | None = "metadata"
    if source is None:
        source = outlet_from_text(body)
        source_from = "text" if source else None
    derived = title_from_lead(body) if title is None and kind != "digest" else None
    return Article(
        id=article_id(title, body),
        title=title or derived,
        title_derived=derived is not None,
        body=body,
        published=draft.published,
        published_from=draft.published_from if draft.published else None,
        author=clean_author(_field(draft.author)),
        source=source,
        source_from=source_from,
        url=draft.url or doc.url,
        language=language,
        kind=kind,
        location=doc.location,
        title_prefix=prefix,
        excerpt=_field(draft.excerpt),
        categories=tuple(c for c in (_field(c) for c in draft.categories[:MAX_LABELS]) if c),
        tags=tuple(t for t in (_field(t) for t in draft.tags[:MAX_LABELS]) if t),
        format=doc.origin or draft.fmt,
        raw_sha256=doc.sha256(),
        digest=digest,
    )


_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _field(value: str | None) -> str | None:
    """A metadata value on one line, without NUL characters (which no store accepts) or HTML entities.

    Titles and bylines reach us with entities still written out ("&#8217;", "&#163;71.6m"), sometimes
    twice over ("&amp;#8217;"), from pages, feeds and records alike: they are decoded, at most twice.
    """
    if value is None:
        return None
    for _ in range(2):
        if not _ENTITY.search(value):
            break
        value = unescape_entities(value)
    return " ".join(scrub_surrogates(value.replace("\x00", "")).split()) or None


def _merge_known(draft: _Draft, doc: RawDocument) -> None:
    """Fill gaps from what the source knew; a record's explicit fields win over extraction."""
    known = doc.known
    assert known is not None
    overrides = known.date_origin == "record"
    for name in ("title", "author", "source", "url", "excerpt"):
        value = getattr(known, name)
        if value and (overrides or not getattr(draft, name)):
            setattr(draft, name, value)
    if known.published and (overrides or not draft.published):
        draft.published, draft.published_from = known.published, known.date_origin
