"""The command line: arrange with the library, run with click's runner, check through the library."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from graphkit.cli import main
from graphkit.rdf.formats import read_graph
from graphkit.rdf.read import read_relations

ARTICLE = "Rebels killed a top intelligence officer and executed 10 soldiers. The army attacked the rebels."


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_build_writes_the_three_outputs_and_a_summary(article, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(article), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 documents, 2 sentences" in result.output and "3 relations" in result.output
    records = [json.loads(line) for line in (out / "triples.jsonl").read_text().splitlines()]
    assert {(r["subject"]["label"], r["predicate"]["label"], r["object"]["label"]) for r in records} == {
        ("rebels", "killed", "intelligence officer"),
        ("rebels", "executed", "soldiers"),
        ("army", "attacked", "rebels"),
    }
    assert len(read_relations(read_graph(out / "graph.ttl"))) == 3
    assert "<canvas" in (out / "graph.html").read_text() or "vis" in (out / "graph.html").read_text()


def test_extract_prints_jsonl_and_tsv(article):
    runner = CliRunner()
    jsonl = runner.invoke(main, ["extract", str(article)])
    assert jsonl.exit_code == 0
    assert len([json.loads(line) for line in jsonl.stdout.splitlines()]) == 3
    tsv = runner.invoke(main, ["extract", str(article), "--format", "tsv"])
    header, *rows = tsv.stdout.splitlines()
    assert header.startswith("doc\tsentence\tsubject") and len(rows) == 3


def test_extract_reads_stdin():
    result = CliRunner().invoke(
        main, ["extract", "-", "--format", "tsv"], input="The army attacked the rebels."
    )
    assert result.exit_code == 0 and "attacked" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["build", "missing.txt", "--out", "x"], "input 'missing.txt' does not exist"),
        (["extract", "missing.txt"], "input 'missing.txt' does not exist"),
        (["extract", "ARTICLE", "--model", "no_such_model"], "cannot load spaCy model 'no_such_model'"),
    ],
)
def test_user_errors_are_one_line_with_exit_code_2(article, args, message):
    args = [str(article) if a == "ARTICLE" else a for a in args]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0 and message in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", ["build", "extract"])
def test_help_shows_an_example(command):
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0 and "Examples:" in result.output and f"graphkit {command} " in result.output


def test_output_directory_that_is_a_file_is_a_clear_error(article, tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("not a directory")
    result = CliRunner().invoke(main, ["build", str(article), "--out", str(blocker / "out")])
    assert result.exit_code == 2 and "cannot write" in result.stderr


def test_open_mode_keeps_arguments_that_name_no_actor():
    text = "The rebels crossed the border and fought with the army."
    closed = CliRunner().invoke(main, ["extract", "-", "--format", "tsv"], input=text)
    opened = CliRunner().invoke(main, ["extract", "-", "--format", "tsv", "--open"], input=text)
    objects = [{row.split("\t")[4] for row in r.stdout.splitlines()[1:]} for r in (closed, opened)]
    assert objects == [{"army"}, {"army", "border"}]


def test_jobs_must_be_positive(article):
    result = CliRunner().invoke(main, ["extract", str(article), "--jobs", "0"])
    assert result.exit_code == 2 and "--jobs" in result.output
