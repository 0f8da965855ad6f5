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


@pytest.fixture
def broken_folder(tmp_path):
    """One good article, an empty file and a JSONL file with a malformed line."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "article.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "news.jsonl").write_text('{"text": "The army attacked the rebels."}\n{oops\n', encoding="utf-8")
    return folder


def test_build_warns_one_line_per_skipped_input_and_counts_them(broken_folder, tmp_path):
    result = CliRunner().invoke(main, ["build", str(broken_folder), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("graphkit: warning: ")]
    assert len(warnings) == 2
    assert "empty.txt' is empty; skipped" in warnings[0]
    assert "news.jsonl line 2: not valid JSON" in warnings[1]
    assert "2 documents, 2 skipped (see the warnings), 3 sentences" in result.stderr
    assert len((tmp_path / "out" / "triples.jsonl").read_text().splitlines()) == 4


@pytest.mark.parametrize("command", ["build", "extract"])
def test_strict_makes_a_skipped_input_an_error(broken_folder, tmp_path, command):
    out = ["--out", str(tmp_path / "out")] if command == "build" else []
    result = CliRunner().invoke(main, [command, str(broken_folder), *out, "--strict"])
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0 and "empty.txt' is empty; remove it" in result.stderr
    assert not (tmp_path / "out").exists()


def test_extract_warns_and_goes_on_without_strict(broken_folder):
    result = CliRunner().invoke(main, ["extract", str(broken_folder), "--format", "tsv"])
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 1 + 4
    assert result.stderr.count("graphkit: warning: ") == 2


def test_a_malformed_source_date_epoch_is_a_user_error(article, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    result = CliRunner().invoke(main, ["build", str(article), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and "SOURCE_DATE_EPOCH='yesterday' is not a number" in result.stderr


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


def test_jobs_must_not_be_negative(article):
    result = CliRunner().invoke(main, ["extract", str(article), "--jobs", "-1"])
    assert result.exit_code == 2 and "--jobs" in result.output


@pytest.mark.parametrize("command", ["build", "extract"])
def test_engine_and_scheduler_are_offered(command):
    result = CliRunner().invoke(main, [command, "--help"])
    assert "--engine [dask|local]" in result.output and "--scheduler" in result.output


def test_extract_is_quiet_on_request_and_draws_no_bar_off_a_terminal(article):
    for quiet in ([], ["--quiet"]):
        result = CliRunner().invoke(main, ["extract", str(article), *quiet])
        assert result.exit_code == 0 and result.stderr == ""


def test_a_rerun_into_a_store_says_what_was_unchanged(article, tmp_path):
    args = ["build", str(article), "--out", str(tmp_path / "out"), "--store", str(tmp_path / "store")]
    CliRunner().invoke(main, args)
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0 and "1 unchanged" in result.stderr


def test_rules_only_leaves_the_classifier_out():
    text = "Mary Jones of Acme Corp met the rebels."  # met: a pattern; works for: the classifier (0.94)
    patterns = {
        flag: {
            json.loads(line)["pattern"]
            for line in CliRunner().invoke(main, ["extract", "-", *flag], input=text).output.splitlines()
        }
        for flag in ((), ("--rules-only",))
    }
    assert "classifier" in patterns[()]
    assert patterns[("--rules-only",)] and "classifier" not in patterns[("--rules-only",)]


def test_min_confidence_drops_the_less_sure_triples():
    text = "John Smith, a lawyer from Boston, joined Microsoft. Rebels killed ten soldiers."

    def confidences(*flags):
        output = CliRunner().invoke(main, ["extract", "-", *flags], input=text).output
        return sorted(json.loads(line)["confidence"] for line in output.splitlines())

    every = confidences()
    cut = (every[0] + every[-1]) / 2
    kept = confidences("--min-confidence", str(cut))
    assert every[0] < cut <= every[-1]
    assert kept == [c for c in every if c >= cut]


def test_a_min_confidence_outside_0_1_is_a_usage_error(article):
    result = CliRunner().invoke(main, ["extract", str(article), "--min-confidence", "50"])
    assert result.exit_code == 2 and "--min-confidence" in result.output and "Traceback" not in result.output
