"""Writing outputs so that a reader never sees half a file: write a temporary file, then rename."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from graphkit.errors import OutputError


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def atomic_write_bytes(path: str | os.PathLike[str], payload: bytes) -> Path:
    """Write ``payload`` to ``path`` atomically: the old file or the complete new one, never a part.

    Parameters
    ----------
    path : path-like
        Destination; its directory is created when missing.
    payload : bytes
        The whole content.

    Returns
    -------
    pathlib.Path
        The destination path.
    """
    target = Path(path)
    temporary = _stage(target, payload)
    try:
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def atomic_write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` as UTF-8 to ``path`` atomically (see :func:`atomic_write_bytes`).

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "a" / "b.txt"
    >>> atomic_write_text(out, "done").read_text()
    'done'
    """
    return atomic_write_bytes(path, text.encode("utf-8"))


def _stage(target: Path, payload: bytes) -> str:
    """Write ``payload`` to a temporary file beside ``target`` (flushed to disk) and return its path."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as error:
        raise OutputError(
            f"cannot write {str(target)!r}: {error.strerror}; choose a writable location"
        ) from error
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary


def atomic_write_all(contents: dict[str | os.PathLike[str], str]) -> list[Path]:
    """Write several text files as one step: every file is staged in full first, then all are renamed into
    place together, so a crash leaves the old set or the new set (or, within the last instant, whole files
    of both), never a partial file. Temporary files left by an earlier crash are removed first.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> [p.name for p in atomic_write_all({out / "a.txt": "A", out / "b.txt": "B"})]
    ['a.txt', 'b.txt']
    """
    targets = [Path(path) for path in contents]
    for target in targets:
        for stale in target.parent.glob(f".{target.name}.*.tmp") if target.parent.is_dir() else ():
            stale.unlink(missing_ok=True)
    staged: list[str] = []
    try:
        for target, text in zip(targets, contents.values(), strict=True):
            staged.append(_stage(target, text.encode("utf-8")))
        for temporary, target in zip(staged, targets, strict=True):
            os.replace(temporary, target)
    except BaseException:
        for temporary in staged:
            Path(temporary).unlink(missing_ok=True)
        raise
    return targets
