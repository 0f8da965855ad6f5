"""The network commands: analyze, export-network, viz. Arrange with the library, run the CLI, check back."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import networkx as nx
import pytest
from click.testing import CliRunner

from graphkit.cli import main
from graphkit.extract.classify import CLASSIFIER_PATTERN
from graphkit.network.analysis import analyze
from graphkit.network.view import read_network
from graphkit.rdf.formats import write_graph
from graphkit.rdf.mapping import to_rdf


@pytest.fixture
def graph_file(sample_extractions, tmp_path):
    return write_graph(to_rdf(sample_extractions), tmp_path / "graph.ttl")


def test_analyze_prints_json_equal_to_the_library_report(graph_file):
    result = CliRunner().invoke(main, ["analyze", str(graph_file), "--json", "--seed", "3", "--by", "month"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == analyze(read_network(graph_file), seed=3, by="month")


def test_analyze_prints_markdown_by_default(graph_file):
    result = CliRunner().invoke(main, ["analyze", str(graph_file)])
    assert result.exit_code == 0
    assert result.stdout.startswith("# Actor network analysis")
    assert "| Qassem Soleimani | Person |" in result.stdout
    assert CliRunner().invoke(main, ["analyze", str(graph_file), "--markdown"]).stdout == result.stdout


def test_analyze_an_ego_network_and_a_path_with_evidence(graph_file):
    result = CliRunner().invoke(
        main,
        [
            "analyze",
            str(graph_file),
            "--actor",
            "Soleimani",
            "--hops",
            "1",
            "--path",
            "Soleimani",
            "Quds Force",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Ego network of **Qassem Soleimani** within 1 hop(s)." in result.stdout
    assert "> Major General Qassem Soleimani commanded the Quds Force." in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["analyze", "missing.ttl"], "cannot read RDF from 'missing.ttl'"),
        (["analyze", "GRAPH", "--actor", "Nobody"], "no actor named 'Nobody'"),
        (["viz", "GRAPH", "-o", "OUT", "--actor", "Nobody"], "no actor named 'Nobody'"),
        (["export-network", "missing.ttl", "-o", "OUT"], "cannot read RDF from 'missing.ttl'"),
    ],
)
def test_user_errors_are_one_line_with_exit_code_2(graph_file, tmp_path, args, message):
    args = [str(graph_file) if a == "GRAPH" else str(tmp_path / "out") if a == "OUT" else a for a in args]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0 and message in result.stderr


def test_analyze_refuses_both_formats(graph_file):
    result = CliRunner().invoke(main, ["analyze", str(graph_file), "--json", "--markdown"])
    assert result.exit_code == 2 and "choose one of --json and --markdown" in result.output


@pytest.mark.parametrize(("fmt", "reader"), [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_export_network_writes_a_file_networkx_reads(graph_file, tmp_path, fmt, reader):
    out = tmp_path / f"network.{fmt}"
    result = CliRunner().invoke(main, ["export-network", str(graph_file), "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(reader(out).nodes) == sorted(read_network(graph_file).nodes)


def test_export_network_csv_writes_two_tables(graph_file, tmp_path):
    result = CliRunner().invoke(
        main, ["export-network", str(graph_file), "-f", "csv", "-o", str(tmp_path / "n.csv")]
    )
    assert result.exit_code == 0
    assert sorted(path.name for path in tmp_path.glob("n.*.csv")) == ["n.edges.csv", "n.nodes.csv"]


def test_viz_writes_the_selected_part_of_the_network(graph_file, tmp_path):
    out = tmp_path / "page.html"
    result = CliRunner().invoke(
        main, ["viz", str(graph_file), "-o", str(out), "--min-evidence", "2", "--title", "Quds <Force>"]
    )
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    payload = json.loads(re.search(r'id="graphkit-data">(.*?)</script>', page, re.DOTALL).group(1))
    assert [edge["label"] for edge in payload["edges"]] == ["commanded"]
    assert {node["label"] for node in payload["nodes"]} == {"Qassem Soleimani", "Quds Force"}
    assert "<title>Quds &lt;Force&gt;</title>" in page


def test_viz_top_keeps_the_actors_of_highest_pagerank(graph_file, tmp_path):
    out = tmp_path / "page.html"
    assert CliRunner().invoke(main, ["viz", str(graph_file), "-o", str(out), "--top", "1"]).exit_code == 0
    payload = json.loads(re.search(r'id="graphkit-data">(.*?)</script>', out.read_text(), re.DOTALL).group(1))
    assert [node["label"] for node in payload["nodes"]] == ["Quds Force"]


def test_viz_tells_the_classifier_s_relations_from_the_patterns(sample_extractions, tmp_path):
    first, second = sample_extractions
    guessed = tuple(
        replace(triple, provenance=replace(triple.provenance, pattern=CLASSIFIER_PATTERN), confidence=0.4)
        if triple.predicate.lemma == "lead"
        else triple
        for triple in second.triples
    )
    graph_file = write_graph(to_rdf([first, replace(second, triples=guessed)]), tmp_path / "graph.ttl")
    out = tmp_path / "page.html"
    assert CliRunner().invoke(main, ["viz", str(graph_file), "-o", str(out)]).exit_code == 0
    payload = json.loads(re.search(r'id="graphkit-data">(.*?)</script>', out.read_text(), re.DOTALL).group(1))
    found = {edge["label"]: (edge["foundBy"], edge["confidence"]) for edge in payload["edges"]}
    assert found == {"commanded": ("patterns", 0.9), "led": ("classifier", 0.4)}
    assert CLASSIFIER_PATTERN in payload["patterns"]


@pytest.mark.parametrize("command", ["analyze", "export-network", "viz"])
def test_help_shows_an_example(command):
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0 and "Examples:" in result.output and f"graphkit {command} " in result.output
