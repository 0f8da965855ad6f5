"""Writing outputs so that a reader never sees half a file: write a temporary file, then rename."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

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


def _temporary(target: Path) -> str:
    """Create an empty temporary file beside ``target`` (its directory made when missing); return its path."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as error:
        raise OutputError(
            f"cannot write {str(target)!r}: {error.strerror}; choose a writable location"
        ) from error
    os.close(handle)
    return temporary


def _stage(target: Path, payload: bytes) -> str:
    """Write ``payload`` to a temporary file beside ``target`` (flushed to disk) and return its path."""
    temporary = _temporary(target)
    try:
        with open(temporary, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary


class StagedFiles:
    """Several output files written as one step, some of them streamed: each is staged in full in a
    temporary file beside its destination, and on a clean exit all are renamed into place together, so a
    crash leaves the old set or the new set (or, within the last instant, whole files of both), never a
    partial file. Temporary files left by an earlier crash are removed on entry; on an error, the staged
    files are removed and the destinations left as they were.

    Parameters
    ----------
    paths : iterable of path-like
        Every destination the step may write.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> with StagedFiles([out / "a.txt", out / "b.txt"]) as staged:
    ...     stream = staged.open(out / "a.txt")
    ...     _ = stream.write("A")
    ...     staged.write_text(out / "b.txt", "B")
    ...     sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    []
    >>> (out / "a.txt").read_text(), (out / "b.txt").read_text()
    ('A', 'B')
    """

    def __init__(self, paths: Iterable[str | os.PathLike[str]]) -> None:
        self.targets = [Path(path) for path in paths]
        self._staged: dict[Path, tuple[str, TextIO]] = {}

    def __enter__(self) -> StagedFiles:
        for target in self.targets:
            for stale in target.parent.glob(f".{target.name}.*.tmp") if target.parent.is_dir() else ():
                stale.unlink(missing_ok=True)
        return self

    def open(self, path: str | os.PathLike[str]) -> TextIO:
        """Stage ``path`` and return a UTF-8 text stream to write its whole content to (not closed by the
        caller)."""
        target = Path(path)
        if target not in self.targets or target in self._staged:
            raise ValueError(f"{str(target)!r} is not a destination of this step, or is staged already")
        temporary = _temporary(target)
        self._staged[target] = (temporary, open(temporary, "w", encoding="utf-8", newline=""))  # noqa: SIM115
        return self._staged[target][1]

    def write_text(self, path: str | os.PathLike[str], text: str) -> None:
        """Stage ``path`` with the whole ``text``."""
        self.open(path).write(text)

    def __exit__(self, error_type: type[BaseException] | None, *_exc: object) -> None:
        try:
            if error_type is None:
                for temporary, stream in self._staged.values():
                    stream.flush()
                    os.fsync(stream.fileno())
                    stream.close()
                    os.chmod(temporary, 0o666 & ~_umask())
                for target, (temporary, _stream) in self._staged.items():
                    os.replace(temporary, target)
        except OSError as error:
            raise OutputError(
                f"cannot write the outputs: {error.strerror}; choose a writable location"
            ) from error
        finally:
            for temporary, stream in self._staged.values():
                stream.close()
                Path(temporary).unlink(missing_ok=True)


def atomic_write_all(contents: dict[str | os.PathLike[str], str]) -> list[Path]:
    """Write several text files as one step (see :class:`StagedFiles`): every file is staged in full
    first, then all are renamed into place together.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> [p.name for p in atomic_write_all({out / "a.txt": "A", out / "b.txt": "B"})]
    ['a.txt', 'b.txt']
    """
    with StagedFiles(contents) as staged:
        for path, text in contents.items():
            staged.write_text(path, text)
    return [Path(path) for path in contents]


STAGING_MARK = "-partial-"
"""What the hidden directory a :func:`staged_directory` fills is named with, after a dot and the target's
name: ``.NAME-partial-XXXX``."""


@contextmanager
def staged_directory(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Write a whole directory so that a reader never sees half of it.

    Yields a path, not yet created, inside a fresh hidden directory beside ``path``
    (``.NAME-partial-XXXX``) for the caller to fill. When the block ends without an error the filled
    directory replaces ``path`` by renames (the old directory or the whole new one, never a mix); on an
    error or an interruption it is removed and ``path`` is left as it was. Hidden directories that a killed
    run left behind for the same ``path`` are removed on entry.

    Raises
    ------
    OutputError
        When nothing can be written beside ``path``, or the block wrote nothing.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "model"
    >>> with staged_directory(out) as staged:
    ...     staged.mkdir()
    ...     _ = (staged / "weights.bin").write_text("W")
    ...     out.exists()
    False
    >>> sorted(p.name for p in out.parent.iterdir()), (out / "weights.bin").read_text()
    (['model'], 'W')
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        for stale in target.parent.glob(f".{target.name}{STAGING_MARK}*"):
            shutil.rmtree(stale, ignore_errors=True)
        holder = Path(tempfile.mkdtemp(prefix=f".{target.name}{STAGING_MARK}", dir=target.parent))
    except OSError as error:
        raise OutputError(
            f"cannot write beside {str(target)!r}: {error.strerror}; choose a writable location"
        ) from error
    staged, replaced = holder / target.name, holder / "replaced"
    try:
        yield staged
        if not staged.is_dir():
            raise OutputError(f"nothing was written for {str(target)!r}")
        try:
            if target.exists():
                target.rename(replaced)
            staged.rename(target)
        except OSError as error:
            if replaced.exists() and not target.exists():
                replaced.rename(target)  # put the old one back
            raise OutputError(
                f"cannot replace {str(target)!r}: {error.strerror}; choose a writable location"
            ) from error
    finally:
        shutil.rmtree(holder, ignore_errors=True)
