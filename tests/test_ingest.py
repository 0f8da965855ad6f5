from __future__ import annotations

import io
import json

import pytest

from graphkit.errors import InputError
from graphkit.ingest import read_documents


def _write_jsonl(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def test_txt_file_is_one_document_named_after_the_file(tmp_path):
    (tmp_path / "a.txt").write_text("Rebels attacked.", encoding="utf-8")
    (doc,) = read_documents([str(tmp_path / "a.txt")])
    assert (doc.id, doc.text) == ("a.txt", "Rebels attacked.")


def test_jsonl_ids_metadata_and_fallback_ids(tmp_path):
    path = tmp_path / "news.jsonl"
    _write_jsonl(
        path,
        [
            {
                "id": "x1",
                "text": "One.",
                "title": "T",
                "date": "2020-01-01",
                "url": "https://e.org",
                "source": "S",
            },
            {"text": "Two."},
        ],
    )
    first, second = read_documents([str(path)])
    assert (first.id, first.title, first.date, first.url, first.source) == (
        "x1",
        "T",
        "2020-01-01",
        "https://e.org",
        "S",
    )
    assert second.id == "news.jsonl:2" and second.title is None


def test_directory_is_read_recursively_in_sorted_order(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.txt").write_text("B.", encoding="utf-8")
    (tmp_path / "sub" / "a.txt").write_text("A.", encoding="utf-8")
    _write_jsonl(tmp_path / "c.jsonl", [{"id": "c", "text": "C."}])
    (tmp_path / "ignored.csv").write_text("x", encoding="utf-8")
    assert [d.id for d in read_documents([str(tmp_path)])] == ["b.txt", "c", "a.txt"]


@pytest.mark.parametrize(
    ("stdin", "ids"),
    [("Rebels attacked.", ["stdin"]), ('{"id": "s1", "text": "x"}\n{"text": "y"}\n', ["s1", "stdin:2"])],
)
def test_stdin_is_text_or_jsonl(stdin, ids):
    assert [d.id for d in read_documents(["-"], stdin=io.StringIO(stdin))] == ids


def test_missing_path_names_the_input():
    with pytest.raises(InputError, match="'nowhere.txt' does not exist"):
        list(read_documents(["nowhere.txt"]))


def test_bad_jsonl_line_names_file_and_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "fine"}\n{not json\n', encoding="utf-8")
    with pytest.raises(InputError, match="bad.jsonl line 2"):
        list(read_documents([str(path)]))


def test_record_without_text_is_refused(tmp_path):
    path = tmp_path / "notext.jsonl"
    _write_jsonl(path, [{"id": "x", "body": "no text field"}])
    with pytest.raises(InputError, match='needs a "text"'):
        list(read_documents([str(path)]))


def test_non_utf8_file_is_a_clear_error(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("caf\xe9".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        list(read_documents([str(path)]))


def test_empty_directory_is_an_error(tmp_path):
    with pytest.raises(InputError, match="holds no .txt or .jsonl"):
        list(read_documents([str(tmp_path)]))
