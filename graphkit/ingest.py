"""Inputs to documents: ``.txt`` files, ``.jsonl`` files, directories of them, and ``-`` for stdin.

A ``.txt`` file is one article, its id the file name. A ``.jsonl`` file holds one article per line with
``text`` required and ``id``, ``title``, ``date``, ``url``, ``source`` optional; a line's id is its ``id``
field when given, else ``<file name>:<line number>``. A directory contributes its ``.txt`` and ``.jsonl``
files, recursively, in sorted order.

Input from scrapers and archives is often broken. What cannot be an article (an empty file or record, a
binary file, a malformed JSONL line, a record without text) is skipped with a warning on the
``graphkit.ingest`` logger; text that is not UTF-8 is decoded as cp1252, else Latin-1, with a warning.
With ``strict=True`` each of these is an :class:`~graphkit.errors.InputError` instead. A path that does
not exist or cannot be read is always an error.
"""

from __future__ import annotations

import codecs
import json
import logging
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from graphkit.errors import InputError
from graphkit.types import Document

STDIN = "-"
METADATA_FIELDS = ("title", "date", "url", "source")
#: Encodings tried, in order, on text that is not UTF-8 (Latin-1 decodes any byte).
FALLBACK_ENCODINGS = ("cp1252", "latin-1")
#: How much of a file is inspected to tell binary from text (git looks at as much).
SNIFF_CHARS = 8000
#: Share of control characters (other than tab, line breaks and form feed) above which text is binary.
BINARY_CONTROL_SHARE = 0.05

logger = logging.getLogger(__name__)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
# A lone surrogate (from a JSON "\ud800" escape) cannot be written as UTF-8: it becomes U+FFFD, one
# character for one, so offsets still point into the text.
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _clean(value: Any) -> str:
    return _SURROGATE.sub("\ufffd", str(value))


def _decode(payload: bytes) -> tuple[str | None, str]:
    """The text of ``payload`` and the encoding it was read with: UTF-16 when it starts with a byte order
    mark (None when it is not UTF-16 after all), else UTF-8, else the first fallback that decodes it."""
    if payload.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return payload.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            return None, "utf-16"
    for encoding in ("utf-8", *FALLBACK_ENCODINGS):
        try:
            return payload.decode("utf-8-sig" if encoding == "utf-8" else encoding), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("Latin-1 decodes any byte")  # pragma: no cover


def _first_bad_byte(payload: bytes) -> int:
    try:
        payload.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start
    return -1


class _Reader:
    """Reads sources into documents and reports what it cannot read: a warning and a skip (or another
    ``consequence``), or an error under ``strict``. ``skipped`` receives one message per skip."""

    def __init__(self, strict: bool, skipped: list[str] | None) -> None:
        self.strict = strict
        self.skipped = skipped
        self.read = self.skips = 0

    def problem(self, message: str, *, fix: str, consequence: str = "skipped") -> None:
        if self.strict:
            raise InputError(f"{message}; {fix}")
        logger.warning("%s; %s", message, consequence)
        if consequence == "skipped":
            self.skips += 1
            if self.skipped is not None:
                self.skipped.append(message)

    def decode(self, payload: bytes, name: str) -> str | None:
        """The text of ``payload`` (UTF-8, UTF-16 with a byte order mark, else a fallback), or None when
        it is binary."""
        text, encoding = _decode(payload)
        sample = text[:SNIFF_CHARS] if text is not None else ""
        if (
            text is None
            or "\x00" in sample
            or len(_CONTROL.findall(sample)) > BINARY_CONTROL_SHARE * len(sample)
        ):
            self.problem(f"{name} looks binary, not text", fix="give text files only")
            return None
        if encoding not in ("utf-8", "utf-16"):
            position = _first_bad_byte(payload)
            self.problem(
                f"{name} is not UTF-8 (byte {position})",
                fix="convert it to UTF-8",
                consequence=f"read as {encoding}",
            )
        return text

    def document(self, text: str, doc_id: str, name: str, **metadata: str) -> Iterator[Document]:
        if not text.strip():
            self.problem(f"{name} is empty", fix="remove it")
            return
        self.read += 1
        yield Document(id=_clean(doc_id), text=_clean(text), **metadata)

    def jsonl_documents(self, text: str, name: str) -> Iterator[Document]:
        # Only "\n" ends a JSON line: str.splitlines() would also cut at U+2028 or U+0085 inside a string.
        lines = [(number, line) for number, line in enumerate(text.split("\n"), 1) if line.strip()]
        if not lines:
            self.problem(f"{name} is empty", fix="remove it")
        for number, line in lines:
            where = f"{name} line {number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                self.problem(f"{where}: not valid JSON ({error.msg})", fix="fix or remove the line")
                continue
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                self.problem(f'{where}: a record needs a "text" string field', fix="fix or remove the line")
                continue
            metadata = {
                field: _clean(record[field])
                for field in METADATA_FIELDS
                if record.get(field) not in (None, "")
            }
            doc_id = record["id"] if record.get("id") not in (None, "") else f"{name}:{number}"
            yield from self.document(record["text"], doc_id, where, **metadata)

    def file_documents(self, path: Path) -> Iterator[Document]:
        suffix = path.suffix.lower()
        if suffix not in (".jsonl", ".txt"):
            raise InputError(
                f"{str(path)!r}: unsupported file type {suffix or '(none)'!r}; use .txt or .jsonl"
            )
        try:
            payload = path.read_bytes()
        except OSError as error:
            raise InputError(f"cannot read {str(path)!r}: {error.strerror}") from error
        name = repr(str(path))
        text = self.decode(payload, name)
        if text is None:
            return
        if suffix == ".jsonl":
            yield from self.jsonl_documents(text, path.name)
        else:
            yield from self.document(text, path.name, name)

    def stdin_documents(self, stream: TextIO) -> Iterator[Document]:
        buffer = getattr(stream, "buffer", None)
        text = self.decode(buffer.read(), "standard input") if buffer is not None else stream.read()
        if text is None:
            return
        if text.lstrip().startswith("{"):
            yield from self.jsonl_documents(text, "stdin")
        else:
            yield from self.document(text, "stdin", "standard input")


def expand_inputs(inputs: Iterable[str]) -> list[str | Path]:
    """Resolve the user's INPUT arguments to files (directories expanded) or ``-``.

    Raises
    ------
    InputError
        When a path does not exist, or a directory holds no ``.txt``/``.jsonl`` file.
    """
    sources: list[str | Path] = []
    for item in inputs:
        if item == STDIN:
            sources.append(STDIN)
            continue
        path = Path(item)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in {".txt", ".jsonl"}
            )
            if not found:
                raise InputError(f"directory {item!r} holds no .txt or .jsonl files")
            sources.extend(found)
        elif path.is_file():
            sources.append(path)
        else:
            raise InputError(f"input {item!r} does not exist; give a .txt or .jsonl file, a directory or -")
    return sources


def read_documents(
    inputs: Iterable[str],
    stdin: TextIO | None = None,
    *,
    strict: bool = False,
    skipped: list[str] | None = None,
) -> Iterator[Document]:
    """Yield the documents named by ``inputs``, lazily, in the order given.

    Parameters
    ----------
    inputs : iterable of str
        Paths of ``.txt``/``.jsonl`` files or directories, or ``-`` for standard input.
    stdin : text stream, optional
        What ``-`` reads (default ``sys.stdin``): a JSONL stream when it starts with ``{``, else one article.
    strict : bool
        Make an empty or binary file, text that is not UTF-8 and a malformed JSONL line an error, where
        by default they are skipped (or decoded with a fallback) with a warning.
    skipped : list, optional
        Receives one message for each file or record skipped.

    Raises
    ------
    InputError
        For a path that does not exist or cannot be read, when every input was skipped, and under
        ``strict`` for any input that would be skipped or decoded with a fallback.

    Examples
    --------
    >>> import io
    >>> [d.id for d in read_documents(["-"], stdin=io.StringIO('{"id": "a", "text": "Hi."}'))]
    ['a']
    """
    reader = _Reader(strict, skipped)
    for source in expand_inputs(inputs):
        if source == STDIN:
            yield from reader.stdin_documents(stdin or sys.stdin)
        else:
            yield from reader.file_documents(Path(source))
    if not reader.read and reader.skips:
        raise InputError(f"no document left to read: {reader.skips} skipped (see the warnings)")
