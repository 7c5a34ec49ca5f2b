"""Settings as one declarative table: name, default, environment variable, help.

The table feeds the command-line options, ``newsdesk settings`` and the settings list in
``docs/settings.md`` (a test checks that every setting is documented there).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from typing import Any

from newsdesk._version import __version__


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    env: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "newsdesk.db", "NEWSDESK_DB", "SQLite file or postgresql:// URL of the store."),
    Setting("timeout", 20.0, "NEWSDESK_TIMEOUT", "Seconds allowed for one HTTP fetch, from connect to last byte."),
    Setting(
        "max_bytes",
        10_000_000,
        "NEWSDESK_MAX_BYTES",
        "Largest article accepted, in bytes, after gzip decompression: one page, file, download or record.",
    ),
    Setting(
        "max_file_bytes",
        1_000_000_000,
        "NEWSDESK_MAX_FILE_BYTES",
        "Largest file of many articles accepted (JSON, JSONL, RSS/Atom), in bytes, after gzip decompression.",
    ),
    Setting(
        "max_words",
        50_000,
        "NEWSDESK_MAX_WORDS",
        "Most words read as one article (and lines: a fifth of it; Markdown links: a tenth); longer texts are refused.",
    ),
    Setting("max_redirects", 5, "NEWSDESK_MAX_REDIRECTS", "Most HTTP redirects followed for one URL."),
    Setting(
        "user_agent",
        f"newsdesk/{__version__} (+https://github.com/newsdesk-project/newsdesk)",
        "NEWSDESK_USER_AGENT",
        "User-Agent header sent with every HTTP request.",
    ),
    Setting(
        "allow_private",
        False,
        "NEWSDESK_ALLOW_PRIVATE",
        "Fetch from private, loopback and link-local addresses (refused by default).",
    ),
    Setting(
        "offline",
        False,
        "NEWSDESK_OFFLINE",
        "Never touch the network: URL inputs fail, feed entries use their own content.",
    ),
    Setting(
        "encoding",
        None,
        "NEWSDESK_ENCODING",
        "Decode local text files with this encoding instead of detecting it.",
    ),
    Setting(
        "llm_url",
        None,
        "NEWSDESK_LLM_URL",
        "Base URL of an OpenAI-compatible API for `--writer llm` (e.g. http://127.0.0.1:8080/v1).",
    ),
    Setting(
        "log_level",
        "warning",
        "NEWSDESK_LOG_LEVEL",
        "Log level (debug, info, warning, error); debug logs the traceback of an input no reader expected.",
    ),
    Setting("llm_model", None, "NEWSDESK_LLM_MODEL", "Model name sent to that API."),
    Setting("llm_key", None, "NEWSDESK_LLM_KEY", "API key sent as a Bearer token (none for local servers)."),
    Setting(
        "token",
        None,
        "NEWSDESK_TOKEN",
        "Secret that `newsdesk serve` requires for POST /api/articles (as a Bearer token); none: writing is off.",
    ),
)


@dataclass(frozen=True)
class Settings:
    """Resolved settings: defaults, then environment variables, then explicit values."""

    db: str = "newsdesk.db"
    timeout: float = 20.0
    max_bytes: int = 10_000_000
    max_file_bytes: int = 1_000_000_000
    max_words: int = 50_000
    max_redirects: int = 5
    user_agent: str = field(default=SETTINGS[6].default)
    allow_private: bool = False
    offline: bool = False
    encoding: str | None = None
    llm_url: str | None = None
    log_level: str = "warning"
    llm_model: str | None = None
    llm_key: str | None = None
    token: str | None = None

    def __post_init__(self) -> None:
        if self.timeout <= 0:
            raise ValueError(f"timeout must be positive, got {self.timeout}")
        if self.max_bytes <= 0:
            raise ValueError(f"max_bytes must be positive, got {self.max_bytes}")
        if self.max_file_bytes <= 0:
            raise ValueError(f"max_file_bytes must be positive, got {self.max_file_bytes}")
        if self.log_level.lower() not in ("debug", "info", "warning", "error"):
            raise ValueError(f"log_level must be debug, info, warning or error, got {self.log_level!r}")
        if self.max_words <= 0:
            raise ValueError(f"max_words must be positive, got {self.max_words}")
        if self.max_redirects < 0:
            raise ValueError(f"max_redirects must be 0 or more, got {self.max_redirects}")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> Settings:
        environ = dict(os.environ) if environ is None else environ
        values: dict[str, Any] = {}
        types = {f.name: type(getattr(cls(), f.name)) for f in fields(cls)}
        for setting in SETTINGS:
            raw = environ.get(setting.env)
            if raw is None or raw == "":
                continue
            values[setting.name] = _coerce(setting, raw, types[setting.name])
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def _coerce(setting: Setting, raw: str, kind: type) -> Any:
    if kind is bool:
        lowered = raw.strip().lower()
        if lowered in {"1", "true", "yes", "on"}:
            return True
        if lowered in {"0", "false", "no", "off"}:
            return False
        raise ValueError(f"{setting.env}={raw!r}: expected true or false")
    if kind is int:
        return int(raw)
    if kind is float:
        return float(raw)
    return raw
