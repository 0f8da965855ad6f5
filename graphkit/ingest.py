"""Inputs to documents: ``.txt`` files, ``.jsonl`` files, directories of them, and ``-`` for stdin.

A ``.txt`` file is one article, its id the file name. A ``.jsonl`` file holds one article per line with
``text`` required and ``id``, ``title``, ``date``, ``url``, ``source`` optional; a line's id is its ``id``
field when given, else ``<file name>:<line number>``. A directory contributes its ``.txt`` and ``.jsonl``
files, recursively, in sorted order.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from graphkit.errors import InputError
from graphkit.types import Document

STDIN = "-"
METADATA_FIELDS = ("title", "date", "url", "source")


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            f"{str(path)!r} is not UTF-8 text (byte {error.start}); convert it to UTF-8 first"
        ) from error
    except OSError as error:
        raise InputError(f"cannot read {str(path)!r}: {error.strerror}") from error


def _jsonl_documents(lines: Iterable[str], name: str) -> Iterator[Document]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise InputError(
                f"{name} line {number}: not valid JSON ({error.msg}); fix or remove the line"
            ) from error
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise InputError(f'{name} line {number}: a record needs a "text" string field')
        metadata = {
            field: str(record[field]) for field in METADATA_FIELDS if record.get(field) not in (None, "")
        }
        doc_id = str(record["id"]) if record.get("id") not in (None, "") else f"{name}:{number}"
        yield Document(id=doc_id, text=record["text"], **metadata)


def _file_documents(path: Path) -> Iterator[Document]:
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from _jsonl_documents(_read_text(path).splitlines(), path.name)
    elif suffix == ".txt":
        yield Document(id=path.name, text=_read_text(path))
    else:
        raise InputError(f"{str(path)!r}: unsupported file type {suffix or '(none)'!r}; use .txt or .jsonl")


def _stdin_documents(stream: TextIO) -> Iterator[Document]:
    text = stream.read()
    stripped = text.lstrip()
    if stripped.startswith("{"):
        yield from _jsonl_documents(text.splitlines(), "stdin")
    else:
        yield Document(id="stdin", text=text)


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


def read_documents(inputs: Iterable[str], stdin: TextIO | None = None) -> Iterator[Document]:
    """Yield the documents named by ``inputs``, lazily, in the order given.

    Parameters
    ----------
    inputs : iterable of str
        Paths of ``.txt``/``.jsonl`` files or directories, or ``-`` for standard input.
    stdin : text stream, optional
        What ``-`` reads (default ``sys.stdin``): a JSONL stream when it starts with ``{``, else one article.

    Examples
    --------
    >>> import io
    >>> [d.id for d in read_documents(["-"], stdin=io.StringIO('{"id": "a", "text": "Hi."}'))]
    ['a']
    """
    for source in expand_inputs(inputs):
        if source == STDIN:
            yield from _stdin_documents(stdin or sys.stdin)
        else:
            yield from _file_documents(Path(source))
