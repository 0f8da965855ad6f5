"""Exports of the actor network for other tools: they read back with networkx and csv."""

from __future__ import annotations

import csv
import json

import networkx as nx
import pytest

from graphkit.errors import OutputError
from graphkit.network.export import EXPORT_FORMATS, export_network, flat_network
from graphkit.network.view import actor_network
from graphkit.rdf.mapping import to_rdf


@pytest.fixture
def network(sample_extractions):
    return actor_network(to_rdf(sample_extractions), include_negated=True)


@pytest.mark.parametrize(("fmt", "reader"), [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graphml_and_gexf_read_back_with_lists_as_json(network, tmp_path, fmt, reader):
    (path,) = export_network(network, tmp_path / f"net.{fmt}", format=fmt)
    graph = reader(path)
    assert sorted(graph.nodes) == sorted(network.nodes)
    assert graph.number_of_edges() == network.number_of_edges()
    soleimani = next(node for node in network if network.nodes[node]["label"] == "Qassem Soleimani")
    attrs = graph.nodes[soleimani]
    assert json.loads(attrs["aliases"]) == ["Qasem Soleimani", "Soleimani"]
    assert attrs["community"] >= 0 and 0 < attrs["pagerank"] < 1
    evidence = [json.loads(data["evidence"]) for *_, data in graph.edges(data=True)]
    assert any(item["text"].startswith("Major General") for items in evidence for item in items)


def test_csv_writes_node_and_edge_tables(network, tmp_path):
    paths = export_network(network, tmp_path / "net.csv", format="csv")
    assert [path.name for path in paths] == ["net.nodes.csv", "net.edges.csv"]
    nodes = list(csv.DictReader(paths[0].open(encoding="utf-8")))
    edges = list(csv.DictReader(paths[1].open(encoding="utf-8")))
    assert len(nodes) == 3 and len(edges) == network.number_of_edges()
    command = next(edge for edge in edges if edge["key"] == "command")
    assert (command["weight"], command["polarity"], json.loads(command["categories"])) == (
        "2", "0", ["in-charge-of"],
    )  # fmt: skip
    assert len(json.loads(command["evidence"])) == 2


def test_node_link_json_keeps_structure(network, tmp_path):
    (path,) = export_network(network, tmp_path / "net.json", format="json")
    graph = nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="edges")
    assert graph.is_multigraph() and graph.is_directed()
    assert nx.utils.edges_equal(graph.edges(keys=True), network.edges(keys=True))
    assert isinstance(next(iter(graph.edges(data=True)))[2]["evidence"], list)


def test_flat_network_does_not_change_the_network(network):
    before = nx.node_link_data(network, edges="edges")
    flat_network(network)
    assert nx.node_link_data(network, edges="edges") == before


def test_unknown_format_names_the_choices(network, tmp_path):
    with pytest.raises(OutputError, match="choose one of " + ", ".join(EXPORT_FORMATS)):
        export_network(network, tmp_path / "net.dot", format="dot")
