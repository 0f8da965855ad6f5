"""The RDF commands: validate, export, query, and build --store/--curation."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from rdflib import Literal
from rdflib.compare import isomorphic

from graphkit.cli import main
from graphkit.rdf.dataset import union_graph
from graphkit.rdf.formats import FORMATS, read_dataset, write_graph
from graphkit.rdf.mapping import to_rdf
from graphkit.rdf.ontology import GK
from graphkit.rdf.store import open_store


@pytest.fixture
def graph_file(sample_extractions, tmp_path):
    return str(write_graph(to_rdf(sample_extractions), tmp_path / "graph.ttl"))


def test_validate_a_conforming_graph_exits_0(graph_file):
    result = CliRunner().invoke(main, ["validate", graph_file])
    assert result.exit_code == 0 and result.stdout.startswith("conforms:")


def test_validate_prints_violations_and_exits_1(sample_extractions, tmp_path):
    graph = to_rdf(sample_extractions)
    statement = next(iter(graph.subjects(GK.confidence, None)))
    graph.set((statement, GK.confidence, Literal(2.0)))
    path = write_graph(graph, tmp_path / "broken.nt")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert "gk:confidence" in result.stdout and "1 violation in" in result.stdout


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_export_writes_each_format(graph_file, tmp_path, sample_extractions, fmt):
    out = tmp_path / f"export.{fmt}"
    result = CliRunner().invoke(main, ["export", graph_file, "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert isomorphic(union_graph(read_dataset(out, fmt)), to_rdf(sample_extractions))


def test_query_a_store_as_csv_and_json(sample_extractions, tmp_path):
    store = str(tmp_path / "store")
    with open_store(store) as opened:
        opened.write(sample_extractions)
    runner = CliRunner()
    csv = runner.invoke(main, ["query", store, "top-actors", "--format", "csv"])
    assert csv.exit_code == 0 and csv.stdout.splitlines()[0] == "actor,label,degree,statements"
    rows = runner.invoke(main, ["query", store, "reported-by", "--bind", "source=Example News", "-f", "json"])
    assert {row["document"] for row in json.loads(rows.stdout)} == {"a1"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "GRAPH", "SELECT ?x WHERE {"], "the SPARQL query is not valid"),
        (["query", "GRAPH", "relations-between"], "needs first, second"),
        (["query", "missing.ttl", "top-actors"], "'missing.ttl' does not exist"),
        (["validate", "missing.ttl"], "'missing.ttl' does not exist"),
        (["export", "GRAPH", "-o", "out.csv"], "cannot tell the RDF format"),
        (["query", "http://127.0.0.1:9", "top-actors"], "the query failed at"),
    ],
)
def test_user_errors_are_one_line_with_exit_code_2(graph_file, args, message):
    result = CliRunner().invoke(main, [graph_file if a == "GRAPH" else a for a in args])
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().count("\n") == 0 and message in result.stderr


def test_a_binding_without_equals_is_a_usage_error(graph_file):
    result = CliRunner().invoke(main, ["query", graph_file, "top-actors", "--bind", "source"])
    assert result.exit_code == 2 and "NAME=VALUE" in result.stderr


@pytest.mark.parametrize("command", ["validate", "export", "query"])
def test_help_shows_an_example(command):
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0 and "Examples:" in result.output and f"graphkit {command} " in result.output


@pytest.mark.model
def test_build_into_a_store_then_query_it(tmp_path):
    article = tmp_path / "article.txt"
    article.write_text("The army attacked the rebels.", encoding="utf-8")
    store = str(tmp_path / "store")
    result = CliRunner().invoke(
        main, ["build", str(article), "--out", str(tmp_path / "out"), "--store", store]
    )
    assert result.exit_code == 0, result.output
    assert f"wrote {store}" in result.stderr
    query = CliRunner().invoke(
        main, ["query", store, "SELECT ?l WHERE { ?s gk:predicateLabel ?l }", "-f", "csv"]
    )
    assert query.stdout.splitlines() == ["l", "attacked"]
