"""HTML pages: the body through trafilatura, the metadata from the page's own markup.

The page is parsed once. Metadata is read from JSON-LD, ``<meta>`` tags, ``<link rel=canonical>``,
``<time>`` elements and the URL, in that order, so ``published_from`` can say where the date came
from; htmldate's text search is the last resort. The parsed tree then goes to trafilatura (which
works on its own copy) for the main text, and page furniture trafilatura lets through is removed
with the same line rules the plain-text extractor uses.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

import trafilatura
from lxml import etree
from lxml import html as lxml_html
from trafilatura.utils import HTML_PARSER, load_html

from newsdesk.extract.dates import date_from_url, parse_date, parse_date_line
from newsdesk.extract.decode import normalize_text
from newsdesk.extract.furniture import is_furniture
from newsdesk.extract.language import normalize_language
from newsdesk.extract.titles import parse_byline

# trafilatura and htmldate log every page they find too short or undated; newsdesk reports itself.
for _name in ("trafilatura", "htmldate", "courlan"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)

_ARTICLE_TYPES = {
    "newsarticle", "article", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
    "opinionnewsarticle", "backgroundnewsarticle", "reviewnewsarticle", "liveblogposting",
    "socialmediaposting", "report", "scholarlyarticle", "techarticle",
}  # fmt: skip
_DATE_META = (
    "article:published_time", "og:article:published_time", "article:published", "datepublished",
    "date_published", "publishdate", "publish_date", "publish-date", "pubdate", "date", "dc.date",
    "dc.date.issued", "dcterms.date", "dcterms.created", "dc.date.created", "sailthru.date",
    "parsely-pub-date", "citation_publication_date", "originalpublicationdate", "og:published_time",
    "article.published", "release_date", "timestamp",
)  # fmt: skip
_AUTHOR_META = (
    "author",
    "article:author",
    "byl",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "dcterms.creator",
    "twitter:creator",
)
# Below this many characters the fast path may have missed the article; the fallbacks get a try.
_SHORT_MAIN_TEXT = 600
_SITE_META = ("og:site_name", "application-name", "publisher", "dc.publisher", "twitter:site")


@dataclass
class HtmlExtraction:
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


def parse_html(text: str) -> Any:
    """An lxml tree of ``text`` (None when there is nothing to parse).

    trafilatura's own loader is used so the tree is exactly what its extractor expects (comments
    and processing instructions removed, faulty markup repaired).
    """
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    try:
        tree = load_html(text)
    except (etree.ParserError, ValueError, TypeError):
        return None
    if tree is None or tree.tag != "html":
        try:
            tree = lxml_html.document_fromstring(text, parser=HTML_PARSER)
        except (etree.ParserError, ValueError):
            return None
    return tree


def extract_html(text: str, url: str | None = None, *, boilerplate: bool = True) -> HtmlExtraction:
    """Metadata and main text of one page. ``boilerplate=False`` keeps all paragraphs (fragments)."""
    result = HtmlExtraction()
    tree = parse_html(text)
    if tree is None:
        return result
    _read_metadata(tree, url, result)
    if boilerplate:
        main = _main_text(tree, url)
        lines = main.split("\n") if main else _all_paragraphs(tree)
    else:
        lines = _all_paragraphs(tree)
    result.paragraphs = _clean_lines(lines, result.title)
    return result


def _main_text(tree: Any, url: str | None) -> str | None:
    """trafilatura's main text: its fast path first, its fallback extractors only for short results."""
    options: dict[str, Any] = {
        "url": url,
        "include_comments": False,
        "include_tables": True,
        "with_metadata": False,
        "output_format": "txt",
    }
    main: str | None = trafilatura.extract(tree, fast=True, **options)
    if main is None or len(main) < _SHORT_MAIN_TEXT:
        rescued: str | None = trafilatura.extract(tree, **options)
        if rescued and len(rescued) > len(main or ""):
            main = rescued
    return main


def fragment_paragraphs(fragment: str) -> list[str]:
    """Paragraphs of an HTML fragment (a feed entry's content, a record's ``html``), nothing removed."""
    tree = parse_html(f"<html><body>{fragment}</body></html>")
    return _clean_lines(_all_paragraphs(tree), None) if tree is not None else []


def _all_paragraphs(tree: Any) -> list[str]:
    body = tree.find("body")
    root = body if body is not None else tree
    for bad in root.xpath(".//script|.//style|.//noscript|.//template"):
        bad.drop_tree()
    blocks = root.xpath(
        ".//p|.//h1|.//h2|.//h3|.//h4|.//h5|.//h6|.//li|.//blockquote[not(.//p)]|.//pre|.//td[not(.//p)]"
    )
    if not blocks:
        return [line for line in root.text_content().split("\n") if line.strip()]
    lines = []
    for block in blocks:
        if block.xpath("ancestor::p|ancestor::li"):
            continue
        lines.append(" ".join(block.text_content().split()))
    return lines


def _clean_lines(lines: list[str], title: str | None) -> list[str]:
    title_key = _key(title) if title else None
    kept: list[str] = []
    for raw in lines:
        line = " ".join(normalize_text(raw).split())
        if not line or is_furniture(line):
            continue
        # A leading title, byline or date line is metadata, not body text.
        if not kept and ((title_key and _key(line) == title_key) or parse_byline(line) or parse_date_line(line)):
            continue
        kept.append(line)
    return kept


def _read_metadata(tree: Any, url: str | None, result: HtmlExtraction) -> None:
    meta = _meta_tags(tree)
    ld = _json_ld_article(tree)

    result.source = _first(_text(_get(ld, "publisher", "name")), *(meta.get(k) for k in _SITE_META))
    if result.source and result.source.startswith("@"):
        result.source = result.source[1:]
    raw_title = _first(_text(ld.get("headline")), meta.get("og:title"), meta.get("twitter:title"))
    if raw_title is None:
        h1 = tree.xpath("//h1")
        raw_title = " ".join(h1[0].text_content().split()) if h1 else None
    if raw_title is None:
        title_el = tree.find(".//title")
        raw_title = title_el.text_content() if title_el is not None else None
    result.title = _strip_site_name(normalize_text(raw_title) if raw_title else None, result.source)

    result.author = _first(_authors(ld.get("author")), *(_author_meta(meta.get(k)) for k in _AUTHOR_META))
    if result.author is None:
        result.author = _author_from_markup(tree)

    canonical = tree.xpath('//link[translate(@rel, "CANONICAL", "canonical")="canonical"]/@href')
    candidates = [canonical[0] if canonical else None, meta.get("og:url"), _text(ld.get("url")), url]
    result.url = next((urljoin(url or "", c.strip()) for c in candidates if c and c.strip()), None)
    if result.url and not result.url.startswith(("http://", "https://")):
        result.url = url

    _read_date(tree, meta, ld, url, result)

    lang = tree.get("lang") or tree.get("xml:lang") or meta.get("content-language") or meta.get("og:locale")
    result.language = normalize_language(lang or _text(ld.get("inLanguage")))
    result.excerpt = _first(meta.get("og:description"), meta.get("description"), _text(ld.get("description")))
    section = _first(meta.get("article:section"), _text(ld.get("articleSection")))
    result.categories = [section] if section else []
    keywords = meta.get("keywords") or meta.get("news_keywords") or ""
    tags = [t.strip() for t in keywords.split(",") if t.strip()]
    tags += [t for t in meta.get("article:tag", "").split(",") if t.strip()]
    result.tags = list(dict.fromkeys(tags))[:30]
    kinds = {str(t).lower() for t in _as_list(ld.get("@type"))}
    result.opinion = "opinionnewsarticle" in kinds or (section or "").lower() in {"opinion", "comment"}


def _read_date(tree: Any, meta: dict[str, str], ld: dict[str, Any], url: str | None, result: HtmlExtraction) -> None:
    found = parse_date(_text(ld.get("datePublished")) or "")
    if found:
        result.published, result.published_from = found, "json-ld"
        return
    for key in _DATE_META:
        found = parse_date(meta.get(key, ""))
        if found:
            result.published, result.published_from = found, "meta"
            return
    for value in tree.xpath('//time[@pubdate or @itemprop="datePublished"]/@datetime|//time/@datetime'):
        found = parse_date(value)
        if found:
            result.published, result.published_from = found, "text"
            return
    found = date_from_url(url) or date_from_url(result.url)
    if found:
        result.published, result.published_from = found, "url"
        return
    from htmldate import find_date  # imported lazily: only undated pages pay for it

    try:
        # Markup-based search only: htmldate's extensive text search guesses too freely.
        found = find_date(tree, extensive_search=False, original_date=True, outputformat="%Y-%m-%d")
    except Exception:  # htmldate raises assorted errors on odd pages; an undated page is the answer
        found = None
    found = found or _date_in_dateline_elements(tree)
    if found:
        result.published, result.published_from = found, "text"


def _date_in_dateline_elements(tree: Any) -> str | None:
    """A date written in an element whose class or id says it holds the date or byline."""
    xpath = (
        '//*[contains(@class, "date") or contains(@class, "time") or contains(@class, "publish") or '
        'contains(@class, "byline") or contains(@class, "meta") or contains(@id, "date")]'
    )
    for element in tree.xpath(xpath)[:40]:
        text = " ".join(element.text_content().split())
        if 6 <= len(text) <= 200:
            found = parse_date_line(text)
            if found:
                return found.value
    return None


def _meta_tags(tree: Any) -> dict[str, str]:
    meta: dict[str, str] = {}
    for element in tree.xpath("//meta[@content]"):
        key = element.get("property") or element.get("name") or element.get("itemprop") or element.get("http-equiv")
        content = " ".join((element.get("content") or "").split())
        if key and content:
            meta.setdefault(key.strip().lower(), content)
    for element in tree.xpath('//*[@itemprop="datePublished"][@datetime or @content]'):
        meta.setdefault("datepublished", element.get("datetime") or element.get("content"))
    return meta


def _json_ld_article(tree: Any) -> dict[str, Any]:
    """The first Article-like JSON-LD object of the page (empty dict when none)."""
    fallback: dict[str, Any] = {}
    for script in tree.xpath('//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]'):
        raw = (script.text or "").strip()
        raw = re.sub(r"^\s*(?://\s*)?<!\[CDATA\[|\]\]>\s*$", "", raw)
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        for item in _walk_ld(data):
            kinds = {str(t).lower() for t in _as_list(item.get("@type"))}
            if kinds & _ARTICLE_TYPES:
                return item
            if not fallback and kinds & {"webpage", "newsmediaorganization"} and "datePublished" in item:
                fallback = item
    return fallback


def _walk_ld(data: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    stack = [data]
    while stack and len(out) < 200:
        item = stack.pop(0)
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            out.append(item)
            if "@graph" in item:
                stack.extend(_as_list(item["@graph"]))
            if isinstance(item.get("mainEntity"), dict):
                stack.append(item["mainEntity"])
    return out


def _authors(value: Any) -> str | None:
    names: list[str] = []
    for item in _as_list(value):
        name = _text(item.get("name")) if isinstance(item, dict) else _text(item)
        if name and not name.startswith("http"):
            names.append(name)
    return ", ".join(dict.fromkeys(names)) or None


def _author_meta(value: str | None) -> str | None:
    if not value or value.startswith(("http://", "https://", "@")):
        return None
    return parse_byline(value) or value


def _author_from_markup(tree: Any) -> str | None:
    for xpath in ('//*[@rel="author"]', '//*[@itemprop="author"]', '//*[contains(@class, "byline")]'):
        for element in tree.xpath(xpath)[:3]:
            text = " ".join(element.text_content().split())
            if not text or len(text) > 120:
                continue
            name = parse_byline(text) or (text if len(text.split()) <= 5 else None)
            if name:
                return name
    return None


def _strip_site_name(title: str | None, site: str | None) -> str | None:
    if not title:
        return None
    title = " ".join(title.split())
    parts = re.split(r"\s+[|–—·-]\s+", title)
    if len(parts) > 1:
        last, first = parts[-1], parts[0]
        if site and _key(last) == _key(site):
            return title[: title.rfind(last)].rstrip(" |–—·-")
        if site and _key(first) == _key(site):
            return title[len(first) :].lstrip(" |–—·-")
        if len(last.split()) <= 3 and len(title[: title.rfind(last)].split()) >= 4 and not site:
            return title[: title.rfind(last)].rstrip(" |–—·-")
    return title


def _get(data: dict[str, Any], *path: str) -> Any:
    value: Any = data
    for key in path:
        if isinstance(value, list):
            value = value[0] if value else None
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        text = " ".join(str(value).split())
        return text or None
    return None


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _first(*values: str | None) -> str | None:
    return next((v for v in values if v), None)


def _key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))
