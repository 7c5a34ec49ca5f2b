"""Shared helpers for the benchmark scripts: where the shared data is, and writing results to docs."""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def shared_dir() -> Path:
    """The shared data folder: ``$NEWSDESK_SHARED``, else ``../shared`` beside the checkout."""
    path = Path(os.environ.get("NEWSDESK_SHARED", ROOT.parent / "shared"))
    if not path.is_dir():
        sys.exit(
            f"benchmark data not found at {path}: put the shared folder beside the checkout or set NEWSDESK_SHARED"
        )
    return path


def machine() -> str:
    cores = os.cpu_count() or 1
    return f"{platform.python_implementation()} {platform.python_version()}, {cores} cores, {platform.machine()}"


def write_section(doc: Path, name: str, body: str) -> None:
    """Replace (or append) the section between ``<!-- bench:NAME -->`` markers in ``doc``."""
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{start}\n{body.rstrip()}\n{end}"
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmarks\n"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block + "\n"
    doc.write_text(text, encoding="utf-8")


def today() -> str:
    return dt.datetime.now(dt.UTC).date().isoformat()


def run_sections(
    name: str, heading: str, script: str, parts: list[Callable[[], list[str]]], write: Path | None
) -> None:
    """Run each part (a function returning Markdown lines), print it as it ends, and write the section."""
    sections = []
    for part in parts:
        lines = part()
        print("\n".join(lines), flush=True)
        sections.append("\n".join(lines))
    report = "\n\n".join(
        [f"## {heading}", f"Command: `make bench` (runs `python bench/{script}`), {today()}, {machine()}.", *sections]
    )
    if write:
        write_section(write if write.is_absolute() else ROOT / write, name, report)
