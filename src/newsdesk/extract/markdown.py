"""Markdown posts with YAML (``---``) or TOML (``+++``) front matter, as blogs and static sites write them.

The front matter gives the metadata and never reaches the body; the Markdown body becomes plain
paragraphs (links keep their text, images and raw HTML go, template tags such as ``{% include %}``
are dropped).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from typing import Any

import yaml
from markdown_it import MarkdownIt

from newsdesk.errors import FrontMatterError, InputError
from newsdesk.extract.bounds import MAX_DEPTH, MAX_NUMBER_DIGITS, check_depth
from newsdesk.extract.dates import parse_date

_FRONT_MATTER = re.compile(
    r"\A(?P<fence>---|\+\+\+)[ \t]*\n(?P<meta>.*?)\n(?:(?P=fence)|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL
)
# Template tags ({% include x %}, {{ site.name }}) are dropped; none is longer than this.
_TEMPLATE_TAG_MOST = 2000
_MARKDOWN = MarkdownIt("commonmark")

_TITLE_KEYS = ("title", "headline", "name")
_DATE_KEYS = ("date", "published", "pubdate", "publishdate", "published_at", "created", "created_at")
_AUTHOR_KEYS = ("author", "authors", "byline", "creator")
_EXCERPT_KEYS = ("excerpt", "description", "summary", "subtitle", "standfirst", "lead")
_URL_KEYS = ("canonical_url", "canonical", "url", "link", "permalink", "source_url", "original_url")
_SOURCE_KEYS = ("source", "publisher", "site", "site_name", "outlet")


@dataclass
class MarkdownExtraction:
    title: str | None = None
    published: str | None = None
    author: str | None = None
    excerpt: str | None = None
    url: str | None = None
    source: str | None = None
    language: str | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    has_front_matter: bool = False


def has_front_matter(text: str) -> bool:
    return bool(_FRONT_MATTER.match(text))


def extract_markdown(text: str, location: str) -> MarkdownExtraction:
    result = MarkdownExtraction()
    body = text
    match = _FRONT_MATTER.match(text)
    if match:
        result.has_front_matter = True
        meta = _parse_front_matter(match.group("fence"), match.group("meta"), location)
        _apply_meta(result, meta)
        body = text[match.end() :]
    elif text.startswith(("---\n", "+++\n")):
        raise FrontMatterError(
            location,
            f"front matter opened with {text[:3]} is never closed",
            f"add a closing {text[:3]} line after the metadata, or remove the opening one",
        )
    result.paragraphs = markdown_paragraphs(body)
    return result


def markdown_paragraphs(source: str) -> list[str]:
    """Plain-text paragraphs of a Markdown document."""
    source = _remove_spans(_remove_spans(source, "{%", "%}"), "{{", "}}")
    paragraphs: list[str] = []
    for token in _MARKDOWN.parse(source):
        if token.type == "inline":
            text = _inline_text(token.children or [])
            text = " ".join(text.split())
            if text:
                paragraphs.append(text)
    return paragraphs


def _remove_spans(text: str, opener: str, closer: str, longest: int = _TEMPLATE_TAG_MOST) -> str:
    """``text`` without each ``opener ... closer`` span of at most ``longest`` characters.

    What a regex such as ``\\{%.*?%\\}`` does, in linear time: the position of the next closer is kept
    between openings, so an unclosed "{% {% {% ..." does not rescan the rest of the text at each one.
    """
    parts: list[str] = []
    kept_from = search_from = 0
    close = -1
    while True:
        start = text.find(opener, search_from)
        if start < 0:
            break
        if close < start + len(opener):
            close = text.find(closer, start + len(opener))
            if close < 0:
                break
        if close + len(closer) - start <= longest:
            parts.append(text[kept_from:start])
            kept_from = search_from = close + len(closer)
        else:
            search_from = start + 1
    parts.append(text[kept_from:])
    return "".join(parts)


def _inline_text(children: list[Any]) -> str:
    # Images (whose alt text is not article text) and inline HTML are left out.
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


class _Refused(Exception):
    """Front matter that parses but that newsdesk will not build: (problem, fix)."""

    def __init__(self, problem: str, fix: str) -> None:
        super().__init__(problem)
        self.problem, self.fix = problem, fix


class _FrontMatterLoader(yaml.SafeLoader):
    """PyYAML's safe loader without aliases and with bounded nesting.

    An alias (``*name``) lets a few bytes stand for gigabytes ("billion laughs"); front matter has no
    need of them, so they are refused rather than expanded. Nesting is counted as nodes are composed,
    so a document 50,000 levels deep stops at level :data:`MAX_DEPTH` instead of overflowing the stack.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise _Refused(
                "uses a YAML alias (*name), which newsdesk does not expand",
                "write each value out instead of pointing to an anchor (&name)",
            )
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _Refused(
                f"nests lists or mappings more than {MAX_DEPTH} levels deep",
                "flatten the metadata: front matter needs only a few levels",
            )
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _load_yaml(raw: str) -> Any:
    loader = _FrontMatterLoader(raw)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def _parse_front_matter(fence: str, raw: str, location: str) -> dict[str, Any]:
    fix = (
        "fix the TOML between the +++ lines or remove it"
        if fence == "+++"
        else "fix the YAML between the --- lines (quote values that contain a colon) or remove it"
    )
    try:
        meta = tomllib.loads(raw) if fence == "+++" else _load_yaml(raw)
    except _Refused as exc:
        raise FrontMatterError(location, f"YAML front matter {exc.problem}", exc.fix) from None
    except RecursionError:
        raise FrontMatterError(
            location, f"front matter nests lists or tables more than {MAX_DEPTH} levels deep", fix
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise FrontMatterError(
            location,
            f"broken YAML front matter{where}: {problem}",
            "fix the YAML between the --- lines (quote values that contain a colon) or remove it",
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise FrontMatterError(location, f"broken TOML front matter: {exc}", fix) from exc
    except ValueError as exc:  # a number of more than 4,300 digits, which Python will not convert
        raise FrontMatterError(
            location,
            f"front matter holds a value newsdesk cannot read (a number of more than {MAX_NUMBER_DIGITS} digits?)",
            fix,
        ) from exc
    try:
        check_depth(meta, location, what="the front matter")
    except InputError as exc:
        raise FrontMatterError(location, exc.problem, fix) from None
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        raise FrontMatterError(
            location,
            f"front matter is a {type(meta).__name__}, not a set of key: value pairs",
            "write the metadata as key: value lines between the --- lines",
        )
    return {str(k).lower(): v for k, v in meta.items()}


def _apply_meta(result: MarkdownExtraction, meta: dict[str, Any]) -> None:
    result.title = _first_text(meta, _TITLE_KEYS)
    for key in _DATE_KEYS:
        if key in meta:
            result.published = parse_date(meta[key])
            if result.published:
                break
    result.author = _names(next((meta[k] for k in _AUTHOR_KEYS if k in meta), None))
    result.excerpt = _first_text(meta, _EXCERPT_KEYS)
    url = _first_text(meta, _URL_KEYS)
    result.url = url if url and url.startswith(("http://", "https://")) else None
    result.source = _names(next((meta[k] for k in _SOURCE_KEYS if k in meta), None))
    result.language = _first_text(meta, ("lang", "language", "locale"))
    result.categories = _words(meta.get("categories") or meta.get("category"))
    result.tags = _words(meta.get("tags") or meta.get("keywords"))


def _first_text(meta: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = meta.get(key)
        if isinstance(value, str | int | float) and not isinstance(value, bool) and str(value).strip():
            return " ".join(str(value).split())
    return None


def _names(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return " ".join(value.split()) or None
    if isinstance(value, dict):
        return _names(value.get("name") or value.get("display_name"))
    if isinstance(value, list):
        names = [n for n in (_names(v) for v in value) if n]
        return ", ".join(names) or None
    return None


def _words(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [w for w in re.split(r"[,\s]+", value) if w]
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [str(value)]
