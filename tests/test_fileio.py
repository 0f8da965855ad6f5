"""Atomic outputs: a step's files appear whole and together, or not at all."""

from __future__ import annotations

import pytest

from graphkit.errors import OutputError
from graphkit.fileio import StagedFiles, atomic_write_all, staged_directory


def test_a_failed_step_leaves_the_old_files_and_no_temporary_file(tmp_path):
    old = {tmp_path / "a.txt": "old a", tmp_path / "b.txt": "old b"}
    atomic_write_all(old)
    with pytest.raises(RuntimeError), StagedFiles(old) as staged:
        staged.open(tmp_path / "a.txt").write("new a, half written")
        raise RuntimeError("killed")
    assert {path: path.read_text() for path in old} == old
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a.txt", "b.txt"]


def test_streamed_and_whole_files_are_renamed_together_and_stale_ones_removed(tmp_path):
    (tmp_path / ".a.txt.crashed.tmp").write_text("left by a killed build")
    with StagedFiles([tmp_path / "a.txt", tmp_path / "b.txt"]) as staged:
        stream = staged.open(tmp_path / "a.txt")
        for line in ("one\n", "two\n"):
            stream.write(line)
        staged.write_text(tmp_path / "b.txt", "B")
        assert not (tmp_path / "a.txt").exists()
    assert (tmp_path / "a.txt").read_text() == "one\ntwo\n" and (tmp_path / "b.txt").read_text() == "B"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a.txt", "b.txt"]


def test_only_the_step_s_destinations_can_be_staged(tmp_path):
    with StagedFiles([tmp_path / "a.txt"]) as staged, pytest.raises(ValueError):
        staged.open(tmp_path / "other.txt")


def test_a_staged_directory_replaces_the_old_one_whole(tmp_path):
    out = tmp_path / "model"
    out.mkdir()
    (out / "old.bin").write_text("old")
    (tmp_path / ".model-partial-killed").mkdir()  # left by a run that was killed
    with staged_directory(out) as staged:
        staged.mkdir()
        (staged / "new.bin").write_text("new")
        assert (out / "old.bin").read_text() == "old"  # untouched until the block ends
    assert sorted(p.name for p in out.iterdir()) == ["new.bin"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]


def test_a_failed_or_interrupted_staged_directory_leaves_the_old_one(tmp_path):
    out = tmp_path / "model"
    out.mkdir()
    (out / "old.bin").write_text("old")
    for interruption in (RuntimeError("disk full"), KeyboardInterrupt()):
        with pytest.raises(type(interruption)), staged_directory(out) as staged:
            staged.mkdir()
            (staged / "half.bin").write_text("half")
            raise interruption
        assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]
        assert sorted(p.name for p in out.iterdir()) == ["old.bin"]
    with pytest.raises(OutputError, match="nothing was written"), staged_directory(out):
        pass
    assert (out / "old.bin").read_text() == "old"
