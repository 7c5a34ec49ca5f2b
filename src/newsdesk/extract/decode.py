"""Bytes to text: gzip, binary detection, encodings, line ends.

Detection order: a byte-order mark, then strict UTF-8, then the charset the document declares,
then Windows-1252, then Latin-1 (which decodes anything; the control-character check catches what
is not text at all).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
import zlib

from newsdesk.errors import (
    BinaryInputError,
    CompressionError,
    EmptyInputError,
    EncodingError,
    TooLargeError,
)

GZIP_MAGIC = b"\x1f\x8b"

_MAGIC_NAMES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.epub)"),
    (b"\x7fELF", "an executable"),
    (b"RIFF", "a RIFF media file"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ", "an xz archive"),
    (b"SQLite format 3", "an SQLite database"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE,
)

_CONTROL = re.compile("[\x00-\x08\x0e-\x1f]")
# Zero-width characters and soft hyphens go (no-break and narrow spaces become spaces).
_INVISIBLE = re.compile("[\x00\u200b\u200c\u200d\u2060\ufeff\u00ad]")

SUPPORTED_FORMATS_HINT = (
    "newsdesk reads HTML, Markdown, plain text, RSS/Atom feeds and JSON/JSONL articles, optionally gzipped"
)


def gunzip(data: bytes, location: str, max_bytes: int, option: str = "--max-bytes") -> bytes:
    """Decompress gzip data (several members allowed) without ever holding more than ``max_bytes``."""
    out = bytearray()
    remaining = data
    while remaining:
        decompressor = zlib.decompressobj(wbits=31)
        try:
            chunk = decompressor.decompress(remaining, max_bytes + 1 - len(out))
        except zlib.error as exc:
            raise CompressionError(
                location, f"corrupt gzip data ({exc})", "re-download or re-compress the file"
            ) from exc
        out += chunk
        if len(out) > max_bytes or decompressor.unconsumed_tail:
            raise TooLargeError(
                location,
                f"decompresses to more than the {_size(max_bytes)} cap",
                f"raise the cap with {option} if the file is genuine",
            )
        if not decompressor.eof:
            raise CompressionError(
                location,
                "truncated gzip file: the compressed stream ends early",
                "re-download or re-compress the file",
            )
        remaining = decompressor.unused_data.lstrip(b"\x00")
        if remaining and not remaining.startswith(GZIP_MAGIC):
            break
    return bytes(out)


def check_size(size: int, location: str, max_bytes: int, option: str = "--max-bytes") -> None:
    if size > max_bytes:
        raise TooLargeError(
            location,
            f"{_size(size)} is over the {_size(max_bytes)} cap",
            f"raise the cap with {option} if the input is genuine",
        )


def check_not_binary(data: bytes, location: str) -> None:
    """Refuse bytes that are clearly not text: known file signatures, or NUL bytes without a BOM."""
    if not data.strip():
        raise EmptyInputError(location, "is empty: there is no text to extract", "check the file or URL")
    for magic, name in _MAGIC_NAMES:
        if data.startswith(magic):
            raise BinaryInputError(location, f"is {name}, not text", SUPPORTED_FORMATS_HINT)
    head = data[:8192]
    if b"\x00" in head and not any(head.startswith(bom) for bom, _ in _BOMS):
        raise BinaryInputError(location, "holds binary data (NUL bytes), not text", SUPPORTED_FORMATS_HINT)


def decode_bytes(data: bytes, location: str, encoding: str | None = None, *, normalize: bool = True) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding used)``.

    With ``normalize`` the text also gets unified line ends and spaces (:func:`normalize_text`);
    HTML skips that, because only its extracted paragraphs need it.
    """
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError as exc:
            raise EncodingError(
                location, f"unknown encoding {encoding!r}", "use a name such as utf-8, cp1252 or latin-1"
            ) from exc
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise EncodingError(
                location,
                f"does not decode as {encoding} (byte {exc.start}: {data[exc.start : exc.start + 1]!r})",
                "try --encoding cp1252 or latin-1, or leave --encoding unset to detect the encoding",
            ) from exc
        return _finish(text, location, normalize), encoding
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return _finish(data.decode(name), location, normalize), name
            except UnicodeDecodeError as exc:
                raise EncodingError(
                    location,
                    f"starts with a {name} byte-order mark but does not decode as {name}",
                    "re-save the file as UTF-8",
                ) from exc
    try:
        return _finish(data.decode("utf-8"), location, normalize), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = _declared_charset(data)
    candidates = [c for c in (declared, "cp1252", "latin-1") if c]
    for name in candidates:
        try:
            return _finish(data.decode(name), location, normalize), name
        except (UnicodeDecodeError, LookupError):
            continue
    raise EncodingError(location, "cannot be decoded", "pass --encoding")  # pragma: no cover - latin-1


def normalize_text(text: str) -> str:
    """Unify line ends and invisible characters so offsets are stable."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2007", " ")
    text = _INVISIBLE.sub("", text)
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def _finish(text: str, location: str, normalize: bool) -> str:
    if normalize:
        text = normalize_text(text)
    sample = text[:20000]
    controls = len(_CONTROL.findall(sample))
    if sample and controls / len(sample) > 0.01:
        raise BinaryInputError(location, "holds control characters, not text", SUPPORTED_FORMATS_HINT)
    if not text.strip():
        raise EmptyInputError(location, "is empty: there is no text to extract", "check the file or URL")
    return text


def _declared_charset(data: bytes) -> str | None:
    match = _DECLARED_CHARSET.search(data[:4096])
    if not match:
        return None
    name = (match.group(1) or match.group(2)).decode("ascii", "replace").lower()
    try:
        codecs.lookup(name)
    except LookupError:
        return None
    # Pages that declare Latin-1 almost always mean Windows-1252 (the HTML standard says so too).
    return "cp1252" if name in {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"} else name


def size_text(n: int) -> str:
    """A byte count as people write it: "10.0 MB", "4.1 kB", "12 bytes"."""
    return _size(n)


def _size(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} MB"
    if n >= 1_000:
        return f"{n / 1_000:.1f} kB"
    return f"{n} bytes"
