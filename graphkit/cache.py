"""The extraction cache of incremental builds: extractions by build fingerprint, in one SQLite file.

A build into a store keeps each document's extraction here (``DIR/.graphkit-cache.sqlite``), so a rerun
writes its whole outputs without parsing unchanged documents again (see :mod:`graphkit.build`).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import sqlite3
from pathlib import Path
from typing import Any

from graphkit.errors import OutputError
from graphkit.types import Actor, Argument, Document, Extraction, Predicate, Provenance, Triple

logger = logging.getLogger(__name__)


class ExtractionCache:
    """Extractions by build fingerprint, in a SQLite file: what lets an incremental build write its whole
    outputs without parsing unchanged documents again.

    Each row records the build that last used it; :meth:`forget_all_but` drops the rest after a build,
    so the cache holds the current corpus only. A row is committed as soon as it is written, so an
    interrupted build keeps what it extracted. A file that is not a readable database is replaced by a new
    cache, with a warning (its documents are parsed again).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "cache.sqlite"
    >>> extraction = Extraction(Document("a", "Hi."), sentences=1)
    >>> with ExtractionCache(path) as cache:
    ...     cache.keep("f00d", extraction, build="b1")
    ...     "f00d" in cache, cache.get("f00d") == extraction
    (True, True)
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        try:
            try:
                self._db = self._open()
            except sqlite3.OperationalError:  # cannot open or write: not the file's fault
                raise
            except sqlite3.DatabaseError as error:  # not a database, or damaged: only a cache, so start anew
                logger.warning(
                    "the build cache %s is unreadable (%s); starting a new one (documents are parsed again)",
                    self.path,
                    str(error),  # not the exception: its traceback would keep the build's store open
                )
                for stale in (
                    self.path,
                    *(self.path.with_name(self.path.name + x) for x in ("-wal", "-shm")),
                ):
                    stale.unlink(missing_ok=True)
                self._db = self._open()
        except (OSError, sqlite3.Error) as error:
            raise OutputError(
                f"cannot open the build cache {str(self.path)!r} ({error}); delete it or choose another --out"
            ) from error

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute(
                "CREATE TABLE IF NOT EXISTS extraction "
                "(digest TEXT PRIMARY KEY, build TEXT NOT NULL, record TEXT NOT NULL)"
            )
        except sqlite3.Error:
            db.close()
            raise
        return db

    def __enter__(self) -> ExtractionCache:
        return self

    def __exit__(self, *_exc: object) -> None:
        self._db.close()

    def __contains__(self, digest: str) -> bool:
        return self._db.execute("SELECT 1 FROM extraction WHERE digest = ?", (digest,)).fetchone() is not None

    def get(self, digest: str) -> Extraction:
        """The extraction cached under ``digest`` (a ``KeyError`` when there is none)."""
        row = self._db.execute("SELECT record FROM extraction WHERE digest = ?", (digest,)).fetchone()
        if row is None:
            raise KeyError(digest)
        return extraction_from_record(json.loads(row[0]))

    def keep(self, digest: str, extraction: Extraction | None, build: str) -> None:
        """Keep ``extraction`` under ``digest`` for ``build``; with None, mark the cached one used by it."""
        if extraction is None:
            self._db.execute("UPDATE extraction SET build = ? WHERE digest = ?", (build, digest))
        else:
            record = json.dumps(dataclasses.asdict(extraction), ensure_ascii=False)
            self._db.execute("INSERT OR REPLACE INTO extraction VALUES (?, ?, ?)", (digest, build, record))

    def forget_all_but(self, build: str) -> None:
        """Drop the extractions ``build`` did not use."""
        self._db.execute("DELETE FROM extraction WHERE build != ?", (build,))


def extraction_from_record(record: dict[str, Any]) -> Extraction:
    """Rebuild an :class:`~graphkit.types.Extraction` from its ``dataclasses.asdict`` form (lists back to
    tuples).

    >>> extraction = Extraction(Document("a", "Hi."), sentences=1, actors=(Actor("x", "X", "Person"),))
    >>> extraction_from_record(dataclasses.asdict(extraction)) == extraction
    True
    """

    def plain(fields: dict[str, Any]) -> dict[str, Any]:
        return {name: tuple(value) if isinstance(value, list) else value for name, value in fields.items()}

    def argument(fields: dict[str, Any] | None) -> Argument | None:
        return Argument(**fields) if fields is not None else None

    triples = tuple(
        Triple(
            **{
                **plain(fields),
                "subject": argument(fields["subject"]),
                "predicate": Predicate(**fields["predicate"]),
                "object": argument(fields["object"]),
                "provenance": Provenance(**fields["provenance"]),
                "attribution": argument(fields.get("attribution")),
            }
        )
        for fields in record["triples"]
    )
    return Extraction(
        **{
            **plain(record),
            "document": Document(**record["document"]),
            "actors": tuple(Actor(**plain(fields)) for fields in record["actors"]),
            "triples": triples,
        }
    )
