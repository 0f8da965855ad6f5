from __future__ import annotations

import codecs
import io
import json
import logging
import re
from pathlib import Path

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


PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"


@pytest.mark.parametrize(
    ("name", "payload", "problem"),
    [
        ("empty.txt", b"", "is empty"),
        ("blank.txt", b" \n\t\n", "is empty"),
        ("empty.jsonl", b"\n\n", "is empty"),
        ("image.txt", PNG_HEADER, "looks binary, not text"),
        ("noise.txt", bytes(range(1, 256)) * 10, "looks binary, not text"),  # no NUL byte, control chars
        ("utf16.txt", b"\xff\xfe" + b"\x00\xd8", "looks binary, not text"),  # a BOM, then a lone surrogate
    ],
)
def test_an_unusable_file_is_skipped_with_a_warning_naming_it(tmp_path, caplog, name, payload, problem):
    (tmp_path / name).write_bytes(payload)
    (tmp_path / "good.txt").write_text("Rebels attacked.", encoding="utf-8")
    skipped: list[str] = []
    documents = list(read_documents([str(tmp_path / name), str(tmp_path / "good.txt")], skipped=skipped))
    assert [d.id for d in documents] == ["good.txt"]
    (warning,) = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert name in warning and problem in warning and warning.endswith("skipped")
    assert len(skipped) == 1 and problem in skipped[0]
    with pytest.raises(InputError, match=problem):
        list(read_documents([str(tmp_path / name), str(tmp_path / "good.txt")], strict=True))


@pytest.mark.parametrize(
    ("payload", "text", "encoding", "position"),
    [
        (b"caf\xe9 \x93quoted\x94", "café “quoted”", "cp1252", 3),
        (b"A" * 40 + b" \x81", "A" * 40 + " \x81", "latin-1", 41),  # 0x81 has no cp1252 character
    ],
)
def test_non_utf8_text_is_decoded_with_a_fallback_and_a_warning(
    tmp_path, caplog, payload, text, encoding, position
):
    path = tmp_path / "legacy.txt"
    path.write_bytes(payload)
    skipped: list[str] = []
    (doc,) = read_documents([str(path)], skipped=skipped)
    assert doc.text == text and skipped == []
    (warning,) = [r.getMessage() for r in caplog.records]
    assert warning.endswith(f"legacy.txt' is not UTF-8 (byte {position}); read as {encoding}")
    with pytest.raises(InputError, match="legacy.txt' is not UTF-8 .* convert it to UTF-8"):
        list(read_documents([str(path)], strict=True))


@pytest.mark.parametrize(
    ("payload", "text"),
    [
        (codecs.BOM_UTF8 + b"Rebels attacked.", "Rebels attacked."),
        (codecs.BOM_UTF16_LE + "Rebels “attacked”.".encode("utf-16-le"), "Rebels “attacked”."),
        (codecs.BOM_UTF16_BE + "Rebels attacked.".encode("utf-16-be"), "Rebels attacked."),
    ],
)
def test_unicode_with_a_byte_order_mark_is_read_without_warning(tmp_path, caplog, payload, text):
    path = tmp_path / "bom.txt"
    path.write_bytes(payload)
    (doc,) = read_documents([str(path)], strict=True)
    assert doc.text == text and not caplog.records


def test_malformed_jsonl_lines_are_skipped_with_file_and_line(tmp_path, caplog):
    path = tmp_path / "bad.jsonl"
    lines = ['{"text": "fine"}', "{not json", '["a list"]', '{"id": "x", "body": "no text"}', '{"text": " "}']
    path.write_text("\n".join([*lines, '{"text": "also fine"}']) + "\n", encoding="utf-8")
    skipped: list[str] = []
    documents = list(read_documents([str(path)], skipped=skipped))
    assert [d.id for d in documents] == ["bad.jsonl:1", "bad.jsonl:6"]
    warnings = [r.getMessage() for r in caplog.records]
    assert [w.split(":")[0] for w in warnings] == [f"bad.jsonl line {n}" for n in (2, 3, 4)] + [
        "bad.jsonl line 5 is empty; skipped"
    ]
    assert "not valid JSON" in warnings[0] and 'needs a "text" string field' in warnings[2]
    assert len(skipped) == 4


def test_jsonl_lines_end_only_at_newlines(tmp_path):
    path = tmp_path / "separators.jsonl"
    text = "Rebels\u2028attacked\x85the\x1carmy.\rThen\x0cleft."
    path.write_text(json.dumps({"text": text}, ensure_ascii=False) + "\r\n" + '{"text": "Two."}\n', "utf-8")
    assert [d.text for d in read_documents([str(path)], strict=True)] == [text, "Two."]


@pytest.mark.parametrize(
    ("line", "message"),
    [("{not json", "bad.jsonl line 2: not valid JSON"), ('{"body": "x"}', 'line 2: a record needs a "text"')],
)
def test_strict_makes_a_malformed_line_an_error(tmp_path, line, message):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "fine"}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(message)):
        list(read_documents([str(path)], strict=True))


def test_lone_surrogates_from_json_escapes_become_replacement_characters(tmp_path):
    path = tmp_path / "odd.jsonl"
    path.write_text('{"id": "a\\ud800", "text": "Rebels\\udfff attacked.", "title": "\\ud83d"}\n')
    (doc,) = read_documents([str(path)])
    assert (doc.id, doc.text, doc.title) == ("a\ufffd", "Rebels\ufffd attacked.", "\ufffd")
    assert doc.text.encode("utf-8")


def test_when_every_input_is_skipped_it_is_an_error(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.txt").write_bytes(PNG_HEADER)
    with pytest.raises(InputError, match="no document left to read: 2 skipped"):
        list(read_documents([str(tmp_path)]))


def test_an_unreadable_file_is_an_error(tmp_path, monkeypatch):
    path = tmp_path / "locked.txt"
    path.write_text("Rebels attacked.", encoding="utf-8")

    def refuse(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(InputError, match="cannot read '.*locked.txt': Permission denied"):
        list(read_documents([str(path)]))


def test_stdin_that_is_not_utf8_is_decoded_with_a_warning(caplog):
    stream = io.TextIOWrapper(io.BytesIO("Rebels attacked the caf\xe9.".encode("cp1252")))
    (doc,) = read_documents(["-"], stdin=stream)
    assert doc.text == "Rebels attacked the café."
    assert "standard input is not UTF-8" in caplog.records[0].getMessage()


def test_empty_directory_is_an_error(tmp_path):
    with pytest.raises(InputError, match="holds no .csv, .htm, .html, .jsonl, .txt files"):
        list(read_documents([str(tmp_path)]))


def test_csv_rows_are_articles_with_metadata_and_row_ids(tmp_path):
    path = tmp_path / "feed.csv"
    path.write_text(
        'id,title,text,url\nc1,Raid,"Rebels attacked, then left.",https://e.org/1\n,,"The army attacked.",\n',
        encoding="utf-8",
    )
    first, second = read_documents([str(path)])
    assert (first.id, first.title, first.text, first.url) == (
        "c1",
        "Raid",
        "Rebels attacked, then left.",
        "https://e.org/1",
    )
    assert second.id == "feed.csv:3" and second.title is None


def test_csv_without_a_text_column_is_skipped_or_refused(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("id,body\n1,x\n", encoding="utf-8")
    (tmp_path / "ok.txt").write_text("The army attacked.", encoding="utf-8")
    assert [d.id for d in read_documents([str(tmp_path)])] == ["ok.txt"]
    with pytest.raises(InputError, match='needs a "text" column'):
        list(read_documents([str(path)], strict=True))


def test_html_markup_scripts_and_styles_are_stripped_and_the_title_kept(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>Clashes &amp; raids</title><style>p{}</style></head><body>"
        "<script>alert(1)</script><p>Rebels <b>attacked</b> the army.</p>"
        "<div>Two&nbsp;died.</div></body></html>",
        encoding="utf-8",
    )
    (document,) = read_documents([str(path)])
    assert document.text == "Rebels attacked the army.\nTwo died."
    assert document.title == "Clashes & raids" and "alert" not in document.text


@pytest.mark.parametrize("name", ["a.txt.gz", "a.jsonl.gz", "a.csv.gz", "a.html.gz"])
def test_gzipped_inputs_read_like_their_plain_kind(tmp_path, name):
    import gzip

    bodies = {
        ".txt": "Rebels attacked the army.",
        ".jsonl": '{"id": "g1", "text": "Rebels attacked the army."}\n',
        ".csv": 'id,text\ng1,"Rebels attacked the army."\n',
        ".html": "<p>Rebels attacked the army.</p>",
    }
    kind = "." + name.split(".")[1]
    (tmp_path / name).write_bytes(gzip.compress(bodies[kind].encode("utf-8")))
    (document,) = read_documents([str(tmp_path)])
    assert document.text == "Rebels attacked the army."


def test_a_broken_gzip_file_is_skipped_with_a_warning(tmp_path, caplog):
    (tmp_path / "broken.txt.gz").write_bytes(b"\x1f\x8b\x08\x00not really gzip")
    (tmp_path / "ok.txt").write_text("The army attacked.", encoding="utf-8")
    assert [d.id for d in read_documents([str(tmp_path)])] == ["ok.txt"]
    assert "not a valid gzip file" in caplog.text


def test_a_repeated_article_is_counted_once_under_its_first_id(tmp_path, caplog):
    _write_jsonl(
        tmp_path / "feed.jsonl",
        [
            {"id": "afp-1", "text": "Rebels attacked the army."},
            {"id": "yahoo-7", "text": "Rebels  attacked the ARMY.\n"},
            {"id": "afp-2", "text": "The army attacked the rebels."},
        ],
    )
    skipped: list[str] = []
    assert [d.id for d in read_documents([str(tmp_path)], skipped=skipped)] == ["afp-1", "afp-2"]
    assert len(skipped) == 1 and "repeats the text of 'afp-1'" in caplog.text


def test_a_near_duplicate_is_counted_once_with_a_warning_naming_both_ids(tmp_path, caplog):
    story = " ".join(f"Rebels attacked army post number {n} near the border town." for n in range(8))
    _write_jsonl(
        tmp_path / "feed.jsonl",
        [
            {"id": "afp-1", "text": story},
            {"id": "yahoo-7", "text": "By staff. " + story.replace("number 3", "number three")},
            {"id": "afp-2", "text": "The army attacked the rebels."},
        ],
    )
    skipped: list[str] = []
    assert [d.id for d in read_documents([str(tmp_path)], skipped=skipped)] == ["afp-1", "afp-2"]
    assert len(skipped) == 1 and "('yahoo-7') nearly repeats 'afp-1'" in caplog.text
    kept = read_documents([str(tmp_path)], deduplicate=False)
    assert [d.id for d in kept] == ["afp-1", "yahoo-7", "afp-2"]
