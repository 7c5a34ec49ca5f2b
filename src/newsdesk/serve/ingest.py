"""``POST /api/articles``: ingest one article through the same path as ``newsdesk ingest``.

Writing needs a token (``NEWSDESK_TOKEN`` on the server, sent as ``Authorization: Bearer TOKEN``);
without a configured token writing is off. The write uses its own short-lived store connection,
one at a time, while pages keep reading through their read-only connections.
"""

from __future__ import annotations

import hmac
import json
import tempfile
import threading
from pathlib import Path
from typing import Any

from newsdesk.pipeline import ingest
from newsdesk.serve.errors import ApiError
from newsdesk.serve.models import IngestIn
from newsdesk.settings import Settings
from newsdesk.store import open_store

BEARER = "bearer "


def check_token(configured: str | None, authorization: str | None) -> None:
    """Raise the right ApiError unless ``authorization`` carries the configured token."""
    if not configured:
        raise ApiError(
            403,
            "writing is off: start the server with NEWSDESK_TOKEN set to accept POST /api/articles",
            code="writing_disabled",
        )
    challenge = {"WWW-Authenticate": 'Bearer realm="newsdesk"'}
    if not authorization or not authorization.lower().startswith(BEARER):
        raise ApiError(401, "send the token as 'Authorization: Bearer TOKEN'", code="unauthorized", headers=challenge)
    given = authorization[len(BEARER) :].strip()
    if not hmac.compare_digest(given.encode("utf-8"), configured.encode("utf-8")):
        challenge = {"WWW-Authenticate": 'Bearer realm="newsdesk", error="invalid_token"'}
        raise ApiError(401, "the token is not the one this server accepts", code="invalid_token", headers=challenge)


class Writer:
    """Ingests posted articles into the store at ``db_url``, one request at a time."""

    def __init__(self, db_url: str, settings: Settings) -> None:
        self.db_url = db_url
        self.settings = settings
        self._lock = threading.Lock()

    def write(self, item: IngestIn) -> tuple[bool, dict[str, Any]]:
        """Ingest ``item``; returns whether anything new was stored, and the API answer."""
        with tempfile.TemporaryDirectory(prefix="newsdesk-post-") as folder:
            if item.url:
                inputs = [item.url]
            else:
                record = item.model_dump(exclude={"url"}, exclude_none=True)
                path = Path(folder) / "posted.jsonl"
                # ASCII escapes keep a lone surrogate ("\\ud800") writable; the records reader replaces it.
                path.write_text(json.dumps(record) + "\n", encoding="utf-8")
                inputs = [str(path)]
            with self._lock, open_store(self.db_url) as store:
                report = ingest(inputs, store, self.settings)
                stored = report.new + report.unchanged
                stories = store.stories_of(stored)
        failures = [{"location": _shown(f.location, item), "message": f.problem} for f in report.failures]
        if not stored and failures:
            raise ApiError(422, f"the article could not be used: {failures[0]['message']}", code="unusable_input")
        articles = [{"id": i, "new": i in report.new, "story": stories.get(i)} for i in stored]
        return bool(report.new), {"articles": articles, "failures": failures}


def _shown(location: str, item: IngestIn) -> str:
    """The location as the client knows it (never the server's temporary file)."""
    return item.url or location.rsplit("/", 1)[-1].replace("posted.jsonl", "request body")
