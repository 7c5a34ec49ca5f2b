"""Bytes to text: encodings, BOMs, gzip, binary and empty input, size caps."""

from __future__ import annotations

import codecs
import gzip

import pytest

from newsdesk.errors import BinaryInputError, CompressionError, EmptyInputError, EncodingError, TooLargeError
from newsdesk.extract.decode import check_not_binary, check_size, decode_bytes, gunzip, normalize_text

TEXT = "Café owners in Valmont say the “new rules” will cost them €2,000 a year – or more."


@pytest.mark.parametrize(
    ("data", "expected_encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16"),
        (TEXT.encode("cp1252"), "cp1252"),
    ],
)
def test_decodes_common_encodings(data: bytes, expected_encoding: str) -> None:
    text, used = decode_bytes(data, "sample.txt")
    assert text == TEXT
    assert used == expected_encoding


def test_latin1_text_decodes_without_loss() -> None:
    sample = "Ærø and Zürich: façades, naïve señores."
    text, used = decode_bytes(sample.encode("latin-1"), "latin.txt")
    assert text == sample
    assert used in {"cp1252", "latin-1"}


def test_declared_charset_is_used_when_bytes_are_not_utf8() -> None:
    page = '<html><head><meta charset="iso-8859-15"></head><body>Prix: 5 €</body></html>'
    text, used = decode_bytes(page.encode("iso-8859-15"), "page.html")
    assert "5 €" in text
    assert used == "iso8859-15" or used == "iso-8859-15"


def test_explicit_wrong_encoding_is_a_clear_error() -> None:
    with pytest.raises(EncodingError) as info:
        decode_bytes("naïve".encode("cp1252"), "notes.txt", encoding="utf-8")
    message = str(info.value)
    assert message.startswith("notes.txt: does not decode as utf-8")
    assert "--encoding" in message


def test_unknown_encoding_name_is_a_clear_error() -> None:
    with pytest.raises(EncodingError, match="unknown encoding 'klingon'"):
        decode_bytes(b"hello", "a.txt", encoding="klingon")


def test_crlf_and_lone_cr_become_newlines_and_invisible_characters_go() -> None:
    text, _ = decode_bytes(b"Title\r\n\r\nFirst line\rsecond\xc2\xa0word\xe2\x80\x8b.\r\n", "crlf.txt")
    assert text == "Title\n\nFirst line\nsecond word.\n"


def test_normalize_text_composes_accents() -> None:
    assert normalize_text("Cafe\u0301") == "Café"


def test_gzip_round_trip_and_multiple_members() -> None:
    data = gzip.compress(b"first part ", mtime=0) + gzip.compress(b"second part", mtime=0)
    assert gunzip(data, "two.txt.gz", 1000) == b"first part second part"


def test_truncated_gzip_names_the_file_and_the_fix() -> None:
    data = gzip.compress(b"a story about a harbour strike " * 200, mtime=0)
    with pytest.raises(CompressionError) as info:
        gunzip(data[: len(data) // 2], "cut.html.gz", 10_000_000)
    assert str(info.value) == (
        "cut.html.gz: truncated gzip file: the compressed stream ends early (re-download or re-compress the file)"
    )


def test_gzip_bomb_is_stopped_at_the_cap() -> None:
    bomb = gzip.compress(b"\0" * 5_000_000, mtime=0)
    with pytest.raises(TooLargeError, match=r"decompresses to more than the 1\.0 MB cap"):
        gunzip(bomb, "bomb.gz", 1_000_000)


def test_corrupt_gzip_is_a_compression_error() -> None:
    with pytest.raises(CompressionError, match="corrupt gzip data"):
        gunzip(b"\x1f\x8b\x08\x00garbage-garbage-garbage", "bad.gz", 1000)


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"%PDF-1.7\n...", "a PDF document"),
        (b"\x89PNG\r\n\x1a\n\0\0", "a PNG image"),
        (b"PK\x03\x04rest", "a ZIP archive"),
        (b"abc\x00\x01\x02def", "binary data"),
    ],
)
def test_binary_input_is_refused_with_its_kind(data: bytes, what: str) -> None:
    with pytest.raises(BinaryInputError, match=what):
        check_not_binary(data, "thing.txt")


def test_control_characters_mean_not_text() -> None:
    with pytest.raises(BinaryInputError):
        decode_bytes(bytes(range(1, 9)) * 50, "noise.txt")


def test_empty_and_whitespace_input_is_refused() -> None:
    with pytest.raises(EmptyInputError, match=r"empty\.txt: is empty"):
        check_not_binary(b"  \n\t\n", "empty.txt")


def test_size_cap_message_says_how_to_raise_it() -> None:
    with pytest.raises(TooLargeError) as info:
        check_size(25_000_000, "big.html", 10_000_000)
    assert str(info.value) == (
        "big.html: 25.0 MB is over the 10.0 MB cap (raise the cap with --max-bytes if the input is genuine)"
    )
