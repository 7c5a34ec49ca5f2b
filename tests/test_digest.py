"""Aggregator digests: recognised, with citation markers kept as structure."""

from __future__ import annotations

from newsdesk.extract.digest import looks_like_digest, remove_updated_line, strip_markers
from newsdesk.records import DigestMarker

DIGEST = [
    "Port strike ends after nine days",
    "Deal reached Union members accepted the offer on Monday [1]. Cranes moved again by evening [2][3].",
    "Backlog Ships waited offshore for days [2]. The port expects to clear them within a week [1-2].",
    "Timeline",
    "Oct 8, 2026 – Dockworkers walk out [1].",
    "Oct 19, 2026 – Members accept the deal [2].",
]


def test_updated_line_is_metadata() -> None:
    text, count = remove_updated_line("Headline\nUpdated (4 articles)\nBody text.")
    assert count == 4
    assert "Updated" not in text


def test_digest_recognised_from_markers_and_timeline() -> None:
    assert looks_like_digest(DIGEST, None)
    assert not looks_like_digest(["A report with one footnote [1].", "And more text."], None)
    assert looks_like_digest(["Anything"], 3)


def test_markers_are_removed_and_kept_with_offsets() -> None:
    body = "Members accepted [1]. Cranes moved [2][3]. Clear soon [1-2]."
    clean, markers = strip_markers(body)
    assert clean == "Members accepted. Cranes moved. Clear soon."
    assert markers == (
        DigestMarker(offset=16, refs=(1,)),
        DigestMarker(offset=30, refs=(2, 3)),
        DigestMarker(offset=42, refs=(1, 2)),
    )
    assert clean[:16].endswith("accepted")
