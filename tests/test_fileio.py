"""Atomic outputs: a step's files appear whole and together, or not at all."""

from __future__ import annotations

import pytest

from graphkit.fileio import StagedFiles, atomic_write_all


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
