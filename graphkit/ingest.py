"""Inputs to documents: ``.txt``, ``.jsonl``, ``.html`` and ``.csv`` files (each also gzipped, ``.gz``),
directories of them, and ``-`` for stdin.

A ``.txt`` file is one article, its id the file name. A ``.jsonl`` file holds one article per line with
``text`` required and ``id``, ``title``, ``date``, ``url``, ``source`` optional; a line's id is its ``id``
field when given, else ``<file name>:<line number>``. A ``.csv`` file is the same as a table with a header:
a ``text`` column and optional ``id``, ``title``, ``date``, ``url``, ``source`` columns; a row's id is
``<file name>:<row number>`` without an ``id``. An ``.html`` (``.htm``) file is one article: its markup is
stripped by an HTML parser (scripts, styles and other non-text elements dropped, block elements ending
lines) and its ``<title>`` becomes the title. A directory contributes its files of these kinds,
recursively, in sorted order. An article whose text repeats one read before (whitespace and case aside: a
syndicated or re-posted copy) is counted once, under the first id, with a warning; so is a near-duplicate,
whose word 5-grams overlap those of an earlier article by a Jaccard similarity of 0.8 or more (the same
story with a changed line or byline; see :mod:`graphkit.dedupe`), with a warning naming both ids.

Input from scrapers and archives is often broken. What cannot be an article (an empty file or record, a
binary file, a malformed JSONL line, a record without text) is skipped with a warning on the
``graphkit.ingest`` logger; text that is not UTF-8 is decoded as cp1252, else Latin-1, with a warning.
With ``strict=True`` each of these is an :class:`~graphkit.errors.InputError` instead. A path that does
not exist or cannot be read is always an error.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import hashlib
import io
import json
import logging
import re
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, TextIO

from graphkit.dedupe import NearDuplicates
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


class _TextOfHtml(HTMLParser):
    """The readable text of a page: what a reader sees, without scripts, styles or markup."""

    SKIPPED = frozenset({"script", "style", "noscript", "template", "svg", "head", "iframe", "object"})
    BLOCKS = frozenset(
        {
            "p",
            "div",
            "br",
            "li",
            "ul",
            "ol",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "tr",
            "table",
            "section",
            "article",
            "header",
            "footer",
            "blockquote",
            "pre",
            "hr",
            "figcaption",
            "dd",
            "dt",
        }
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self._skipping = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        elif tag in self.SKIPPED:
            self._skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in self.SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
        elif not self._skipping:
            self.parts.append(data)


def html_text(markup: str) -> tuple[str, str | None]:
    r"""The text of an HTML page, paragraphs on lines of their own, and its title.

    >>> html_text("<html><head><title>Raid</title><script>x()</script></head>"
    ...           "<body><p>Rebels <b>attacked</b>.</p><p>Two died.</p></body></html>")
    ('Rebels attacked.\nTwo died.', 'Raid')
    """
    parser = _TextOfHtml()
    parser.feed(markup)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    title = " ".join("".join(parser.title).split()) or None
    return "\n".join(line for line in lines if line), title


def text_fingerprint(text: str) -> str:
    r"""The fingerprint under which copies of one article meet: whitespace and case do not count.

    >>> text_fingerprint("Rebels  attacked.\n") == text_fingerprint("rebels attacked.")
    True
    """
    return hashlib.sha256(" ".join(text.split()).casefold().encode("utf-8")).hexdigest()


def _first_bad_byte(payload: bytes) -> int:
    try:
        payload.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start
    return -1


class _Reader:
    """Reads sources into documents and reports what it cannot read: a warning and a skip (or another
    ``consequence``), or an error under ``strict``. ``skipped`` receives one message per skip."""

    def __init__(self, strict: bool, skipped: list[str] | None, deduplicate: bool = True) -> None:
        self.strict = strict
        self.skipped = skipped
        self.read = self.skips = 0
        self.deduplicate = deduplicate
        self.seen: dict[str, str] = {}  # fingerprint of a text -> id of the document that had it first
        self.near = NearDuplicates()

    def repeated(self, message: str, summary: str) -> None:
        """A syndicated or re-posted article is one article: counted once, under its first id."""
        logger.warning("%s; counted once", message)
        self.skips += 1
        if self.skipped is not None:
            self.skipped.append(summary)

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
        text, doc_id = _clean(text), _clean(doc_id)
        if self.deduplicate:
            fingerprint = text_fingerprint(text)
            first = self.seen.get(fingerprint)
            if first is not None:
                self.repeated(f"{name} repeats the text of {first!r}", f"{name} repeats {first!r}")
                return
            near = self.near.add(doc_id, text)
            if near is not None:
                first, estimate = near
                message = (
                    f"{name} ({doc_id!r}) nearly repeats {first!r} (Jaccard similarity about {estimate:.2f})"
                )
                self.repeated(message, f"{name} nearly repeats {first!r}")
                return
            self.seen[fingerprint] = doc_id
        self.read += 1
        yield Document(id=doc_id, text=text, **metadata)

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

    def csv_documents(self, text: str, name: str) -> Iterator[Document]:
        rows = csv.DictReader(io.StringIO(text, newline=""))
        if rows.fieldnames is None or "text" not in rows.fieldnames:
            self.problem(f'{name}: a CSV file needs a "text" column', fix="name the article column text")
            return
        for number, row in enumerate(rows, start=2):  # row 1 is the header
            where = f"{name} row {number}"
            metadata = {field: _clean(row[field]) for field in METADATA_FIELDS if row.get(field)}
            yield from self.document(
                row.get("text") or "", row.get("id") or f"{name}:{number}", where, **metadata
            )

    def html_documents(self, text: str, name: str, where: str) -> Iterator[Document]:
        body, title = html_text(text)
        yield from self.document(body, name, where, **({"title": _clean(title)} if title else {}))

    def text_documents(self, text: str, name: str, where: str) -> Iterator[Document]:
        yield from self.document(text, name, where)

    def file_documents(self, path: Path) -> Iterator[Document]:
        kind = input_kind(path)
        if kind is None:
            known = ", ".join(sorted(READERS))
            raise InputError(f"{str(path)!r}: unsupported file type; use {known} (or any of them .gz)")
        try:
            payload = path.read_bytes()
            if path.suffix.lower() == ".gz":
                payload = gzip.decompress(payload)
        except OSError as error:
            if isinstance(error, gzip.BadGzipFile | EOFError):
                self.problem(f"{str(path)!r} is not a valid gzip file", fix="recompress or remove it")
                return
            raise InputError(f"cannot read {str(path)!r}: {error.strerror}") from error
        except (EOFError, zlib.error):
            self.problem(f"{str(path)!r} is not a valid gzip file", fix="recompress or remove it")
            return
        name = repr(str(path))
        text = self.decode(payload, name)
        if text is None:
            return
        yield from READERS[kind](self, text, path.name, name)

    def stdin_documents(self, stream: TextIO) -> Iterator[Document]:
        buffer = getattr(stream, "buffer", None)
        text = self.decode(buffer.read(), "standard input") if buffer is not None else stream.read()
        if text is None:
            return
        if text.lstrip().startswith("{"):
            yield from self.jsonl_documents(text, "stdin")
        else:
            yield from self.document(text, "stdin", "standard input")


#: File kind -> how its text becomes documents (reader, text, file name, name for messages).
READERS: dict[str, Callable[[_Reader, str, str, str], Iterator[Document]]] = {
    ".txt": lambda reader, text, file, where: reader.text_documents(text, file, where),
    ".jsonl": lambda reader, text, file, where: reader.jsonl_documents(text, file),
    ".csv": lambda reader, text, file, where: reader.csv_documents(text, file),
    ".html": lambda reader, text, file, where: reader.html_documents(text, file, where),
    ".htm": lambda reader, text, file, where: reader.html_documents(text, file, where),
}


def input_kind(path: Path) -> str | None:
    """The kind of an input file by its extension, looking through ``.gz`` ("a.jsonl.gz" -> ".jsonl").

    >>> input_kind(Path("news.jsonl.gz")), input_kind(Path("page.HTML")), input_kind(Path("x.pdf"))
    ('.jsonl', '.html', None)
    """
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes and suffixes[-1] in READERS else None


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
            found = sorted(p for p in path.rglob("*") if p.is_file() and input_kind(p) is not None)
            if not found:
                raise InputError(f"directory {item!r} holds no {', '.join(sorted(READERS))} files")
            sources.extend(found)
        elif path.is_file():
            sources.append(path)
        else:
            raise InputError(
                f"input {item!r} does not exist; give a .txt, .jsonl, .csv or .html file, a directory or -"
            )
    return sources


def read_documents(
    inputs: Iterable[str],
    stdin: TextIO | None = None,
    *,
    strict: bool = False,
    skipped: list[str] | None = None,
    deduplicate: bool = True,
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
    deduplicate : bool
        Count an article that repeats or nearly repeats one read before once (see the module's docstring).

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
    reader = _Reader(strict, skipped, deduplicate)
    for source in expand_inputs(inputs):
        if source == STDIN:
            yield from reader.stdin_documents(stdin or sys.stdin)
        else:
            yield from reader.file_documents(Path(source))
    if not reader.read and reader.skips:
        raise InputError(f"no document left to read: {reader.skips} skipped (see the warnings)")
