"""The optional writer: a language model rephrases the page, and every sentence it writes is checked.

It talks to any OpenAI-compatible chat endpoint (``POST {llm_url}/chat/completions``: llama.cpp's server,
vLLM, Ollama, or a hosted API). The model sees only the numbered source sentences the extractive page cites
and must answer JSON in which every sentence lists the numbers of the sentences that support it. Each
sentence is then checked against the quotes it cites (``verify.supported``): unsupported sentences are
dropped and counted in ``StoryPage.dropped_sentences`` (of ``written_sentences``, all it returned); a key
point whose text is dropped falls back to the extractive one, so the page never loses a point to the model,
only a rephrasing.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

import httpx

from newsdesk.analyse import split_sentences
from newsdesk.errors import WriterError
from newsdesk.records import Citation, CitedText, KeyPoint, StoryPage
from newsdesk.settings import Settings
from newsdesk.write.verify import supported

__all__ = ["rewrite_page"]

SYSTEM = (
    "You write the page of a news story for readers who want only what the sources say. You get numbered source "
    "sentences. Write a title, a summary of two or three sentences (latest development first) and one "
    "rephrased text per key point. Use only facts in the sources; keep every number exactly; cite, for every "
    "sentence, the numbers of the source sentences that support it. Answer with JSON only: "
    '{"title": "...", "summary": [{"text": "...", "cite": [1, 2]}], '
    '"key_points": [{"point": 1, "headline": "...", "text": "...", "cite": [3]}]}'
)


def rewrite_page(page: StoryPage, settings: Settings, *, client: httpx.Client | None = None) -> StoryPage:
    """``page`` rephrased by the configured model, keeping only sentences its citations support."""
    if not settings.llm_url or not settings.llm_model:
        raise WriterError(
            "the llm writer needs an OpenAI-compatible endpoint: set NEWSDESK_LLM_URL (e.g. "
            "http://127.0.0.1:8080/v1) and NEWSDESK_LLM_MODEL, or use the default extractive writer"
        )
    sources = _sources(page)
    answer = _ask(settings, _prompt(page, sources), client)
    dropped = written = 0

    def checked(text: Any, cites: Any) -> tuple[str, tuple[Citation, ...]] | None:
        nonlocal dropped, written
        if not isinstance(text, str) or not text.strip():
            return None
        citations = tuple(sources[n - 1] for n in _numbers(cites) if 0 < n <= len(sources))
        quotes = [c.quote for c in citations]
        kept = []
        for sentence in split_sentences(text.strip()):
            written += 1
            if supported(sentence.text, quotes):
                kept.append(sentence.text)
            else:
                dropped += 1
        return (" ".join(kept), citations) if kept else None

    title = page.title
    candidate = answer.get("title")
    if isinstance(candidate, str) and candidate.strip():
        written += 1
        support = [c.quote for c in page.citations()] + [page.title or ""]
        if supported(candidate, support):
            title = candidate.strip()
        else:
            dropped += 1
    summary = []
    for item in _list(answer.get("summary")):
        result = checked(item.get("text"), item.get("cite"))
        if result:
            summary.append(CitedText(*result))
    points = list(page.key_points)
    for item in _list(answer.get("key_points")):
        index = _numbers([item.get("point")])
        if not index or not 0 < index[0] <= len(points):
            continue
        original = points[index[0] - 1]
        text = checked(item.get("text"), item.get("cite"))
        headline = checked(item.get("headline"), item.get("cite"))
        if text:
            points[index[0] - 1] = KeyPoint(
                headline=headline[0] if headline else original.headline,
                text=text[0],
                citations=tuple(dict.fromkeys(text[1] + original.citations)),
                support=original.support,
            )
    return replace(
        page,
        title=title,
        summary=" ".join(s.text for s in summary) if summary else page.summary,
        summary_sentences=tuple(summary) if summary else page.summary_sentences,
        key_points=tuple(points),
        writer=f"llm:{settings.llm_model}",
        dropped_sentences=dropped,
        written_sentences=written,
    )


def _sources(page: StoryPage) -> list[Citation]:
    seen: dict[tuple[str, int, int], Citation] = {}
    for citation in page.citations():
        seen.setdefault((citation.article, citation.start, citation.end), citation)
    return list(seen.values())


def _prompt(page: StoryPage, sources: list[Citation]) -> str:
    lines = ["Source sentences:"]
    lines += [f"[{n}] {c.quote}" for n, c in enumerate(sources, start=1)]
    lines += ["", f"Current title: {page.title or '(none)'}", "Key points to rephrase:"]
    for n, point in enumerate(page.key_points, start=1):
        lines.append(f"point {n}: {point.text}")
    return "\n".join(lines)


def _ask(settings: Settings, prompt: str, client: httpx.Client | None) -> dict[str, Any]:
    url = settings.llm_url.rstrip("/") + "/chat/completions"  # type: ignore[union-attr]
    headers = {"Authorization": f"Bearer {settings.llm_key}"} if settings.llm_key else {}
    body = {
        "model": settings.llm_model,
        "temperature": 0,
        "messages": [{"role": "system", "content": SYSTEM}, {"role": "user", "content": prompt}],
    }
    own = client is None
    http = client or httpx.Client(timeout=max(settings.timeout, 60.0))
    try:
        response = http.post(url, json=body, headers=headers)
    except httpx.HTTPError as error:
        raise WriterError(f"{url}: {error}; check NEWSDESK_LLM_URL and that the server is running") from error
    finally:
        if own:
            http.close()
    if response.status_code != 200:
        raise WriterError(f"{url} answered HTTP {response.status_code}: {response.text[:200]}")
    try:
        content = response.json()["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError) as error:
        raise WriterError(f"{url} did not answer in the OpenAI chat format: {response.text[:200]}") from error
    match = re.search(r"\{.*\}", content or "", re.DOTALL)
    try:
        answer = json.loads(match.group()) if match else None
    except json.JSONDecodeError:
        answer = None
    if not isinstance(answer, dict):
        raise WriterError(f"the model at {url} did not answer with a JSON object: {str(content)[:200]}")
    return answer


def _list(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _numbers(values: Any) -> list[int]:
    if not isinstance(values, list):
        return []
    found = []
    for value in values:
        try:
            found.append(int(value))
        except (TypeError, ValueError):
            continue
    return found
