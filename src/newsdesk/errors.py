"""Exceptions raised by newsdesk.

Every error names the input it is about and says how to fix the problem. The tree::

    NewsdeskError                 base of everything newsdesk raises on purpose
    ├── InputError                one input (file, URL, feed entry, JSONL line) cannot be used
    │   ├── EmptyInputError       nothing but whitespace
    │   ├── BinaryInputError      bytes that are not text (images, PDFs, executables)
    │   ├── UnsupportedInputError an extension or content type newsdesk does not read
    │   ├── EncodingError         bytes that do not decode in the requested encoding
    │   ├── CompressionError      a truncated or corrupt gzip file
    │   ├── TooLargeError         over the size cap (``--max-bytes``, ``--max-file-bytes``)
    │   ├── LimitError            over a bound on work: nesting, digits, words, attributes
    │   ├── FrontMatterError      YAML/TOML front matter that does not parse
    │   ├── RecordError           a JSON/JSONL record without usable fields
    │   ├── FeedError             an RSS/Atom feed (or one of its entries) that cannot be used
    │   └── FetchError            an http(s) URL that cannot be fetched
    │       └── RefusedAddressError  a private or loopback address without ``--allow-private``
    ├── StoreError                the database cannot be opened, migrated or written
    │   └── NotFoundError         no stored record with that id
    └── WriterError               the optional language-model writer is not configured or failed

Domain errors become ``click.ClickException`` only at the command-line edge (:mod:`newsdesk.cli`).
"""

from __future__ import annotations


class NewsdeskError(Exception):
    """Base class of every error newsdesk raises on purpose."""


class InputError(NewsdeskError):
    """One input cannot be used. ``location`` names it; the message says what to do."""

    def __init__(self, location: str, problem: str, fix: str | None = None) -> None:
        self.location = location
        self.problem = problem
        self.fix = fix
        message = f"{location}: {problem}"
        if fix:
            message += f" ({fix})"
        super().__init__(message)


class EmptyInputError(InputError):
    pass


class BinaryInputError(InputError):
    pass


class UnsupportedInputError(InputError):
    pass


class EncodingError(InputError):
    pass


class CompressionError(InputError):
    pass


class TooLargeError(InputError):
    pass


class LimitError(InputError):
    """Over a bound on the work one input may cost (see :mod:`newsdesk.extract.bounds`)."""


class FrontMatterError(InputError):
    pass


class RecordError(InputError):
    pass


class FeedError(InputError):
    pass


class FetchError(InputError):
    pass


class RefusedAddressError(FetchError):
    pass


class StoreError(NewsdeskError):
    """The store cannot be opened, migrated or written."""


class NotFoundError(StoreError):
    """No stored record has the requested id."""


class WriterError(NewsdeskError):
    """The optional writer (``--writer llm``) is not configured, or its endpoint failed or answered nonsense."""
