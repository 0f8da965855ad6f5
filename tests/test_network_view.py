"""The networkx view of the RDF graph."""

from __future__ import annotations

import networkx as nx
import pytest
from rdflib import RDF, Literal, URIRef

from graphkit import identity
from graphkit.extract.classify import CLASSIFIER_PATTERN
from graphkit.network.view import actor_network
from graphkit.rdf.mapping import to_rdf
from graphkit.rdf.ontology import GK, PROV

SOLEIMANI = identity.actor_iri("qassem-soleimani")
QUDS = identity.actor_iri("quds-force")
KERRY = identity.actor_iri("john-kerry")


@pytest.fixture
def rdf_sample_graph(sample_extractions):
    return to_rdf(sample_extractions)


def test_nodes_are_actors_with_plain_attributes(rdf_sample_graph):
    network = actor_network(rdf_sample_graph)
    assert isinstance(network, nx.MultiDiGraph)
    assert sorted(network.nodes) == sorted([SOLEIMANI, QUDS, KERRY])
    assert network.nodes[SOLEIMANI] == {
        "label": "Qassem Soleimani",
        "type": "Person",
        "aliases": ["Qasem Soleimani", "Soleimani"],
        "roles": ["Major General"],
        "degree": 2,
    }
    assert network.nodes[QUDS]["degree"] == 2
    assert network.nodes[KERRY]["degree"] == 0


def test_one_edge_per_relation_with_evidence_from_both_documents(rdf_sample_graph):
    network = actor_network(rdf_sample_graph)
    assert sorted(network.edges(keys=True)) == [(SOLEIMANI, QUDS, "command"), (SOLEIMANI, QUDS, "lead")]
    command = network.edges[SOLEIMANI, QUDS, "command"]
    assert {
        key: command[key] for key in ("label", "lemma", "relation", "negated", "weight", "confidence")
    } == {
        "label": "commanded",
        "lemma": "command",
        "relation": identity.relation_iri("command"),
        "negated": False,
        "weight": 2,
        "confidence": 0.9,
    }
    assert [(e["doc"], e["sentence"], e["pattern"]) for e in command["evidence"]] == [
        ("a1", 0, "nsubj-verb-dobj"),
        ("b2", 1, "pron-verb-dobj"),
    ]
    assert command["evidence"][0] == {
        "doc": "a1",
        "title": "Soleimani in Iraq",
        "date": "2020-01-02",
        "url": "https://example.org/a1",
        "sentence": 0,
        "text": "Major General Qassem Soleimani commanded the Quds Force.",
        "confidence": 0.9,
        "pattern": "nsubj-verb-dobj",
    }
    assert command["evidence"][1]["title"] is None
    assert network.edges[SOLEIMANI, QUDS, "lead"]["weight"] == 1


def test_negated_relations_are_left_out_unless_asked_for(rdf_sample_graph):
    assert not actor_network(rdf_sample_graph).has_edge(SOLEIMANI, KERRY)
    network = actor_network(rdf_sample_graph, include_negated=True)
    edge = network.edges[SOLEIMANI, KERRY, "not meet"]
    assert (edge["negated"], edge["lemma"], edge["weight"]) == (True, "meet", 1)
    assert network.nodes[SOLEIMANI]["degree"] == 3
    assert network.nodes[KERRY]["degree"] == 1


def test_building_the_view_does_not_touch_the_graph(rdf_sample_graph):
    before = set(rdf_sample_graph)
    actor_network(rdf_sample_graph, include_negated=True)
    assert set(rdf_sample_graph) == before


def test_view_is_deterministic(sample_extractions):
    first, second = actor_network(to_rdf(sample_extractions)), actor_network(to_rdf(sample_extractions[::-1]))
    assert nx.utils.edges_equal(first.edges(keys=True, data=True), second.edges(keys=True, data=True))
    assert list(actor_network(to_rdf(sample_extractions)).edges(keys=True, data=True)) == list(
        first.edges(keys=True, data=True)
    )


def test_edges_carry_categories_and_polarity(rdf_sample_graph):
    network = actor_network(rdf_sample_graph, include_negated=True)
    command = network.edges[SOLEIMANI, QUDS, "command"]
    assert (command["categories"], command["polarity"]) == (["in-charge-of"], 0)  # a state: neutral
    not_met = network.edges[SOLEIMANI, KERRY, "not meet"]
    assert (not_met["categories"], not_met["polarity"]) == (["communicate"], 0)  # negated: neutral


def test_edges_take_the_categories_of_the_graph_over_the_table(rdf_sample_graph):
    command = URIRef(identity.relation_iri("command"))
    for statement in set(rdf_sample_graph.subjects(RDF.predicate, command)):
        rdf_sample_graph.set((statement, GK.category, URIRef(identity.category_iri("kill"))))
    edge = actor_network(rdf_sample_graph).edges[SOLEIMANI, QUDS, "command"]
    assert (edge["categories"], edge["polarity"]) == (["kill"], -1)


def test_a_graph_without_categories_gets_them_from_the_table(rdf_sample_graph):
    rdf_sample_graph.remove((None, GK.category, None))
    edge = actor_network(rdf_sample_graph).edges[SOLEIMANI, QUDS, "lead"]
    assert edge["categories"] == ["leads"]


def _found_by_classifier(graph, lemma: str, doc: str | None = None) -> None:
    """Make the statements of ``lemma`` (in document ``doc``, or all) the classifier's."""
    relation = URIRef(identity.relation_iri(lemma))
    for statement in set(graph.subjects(RDF.predicate, relation)):
        if doc is None or (statement, PROV.wasDerivedFrom, URIRef(identity.document_iri(doc))) in graph:
            graph.set((statement, GK.pattern, Literal(CLASSIFIER_PATTERN)))


def test_edges_say_whether_patterns_the_classifier_or_both_found_them(rdf_sample_graph):
    assert {edge["found_by"] for *_, edge in actor_network(rdf_sample_graph).edges(data=True)} == {"patterns"}
    _found_by_classifier(rdf_sample_graph, "lead")
    _found_by_classifier(rdf_sample_graph, "command", doc="b2")
    network = actor_network(rdf_sample_graph)
    assert network.edges[SOLEIMANI, QUDS, "lead"]["found_by"] == "classifier"
    command = network.edges[SOLEIMANI, QUDS, "command"]
    assert command["found_by"] == "both"
    assert [(item["doc"], item["pattern"]) for item in command["evidence"]] == [
        ("a1", "nsubj-verb-dobj"),
        ("b2", CLASSIFIER_PATTERN),
    ]


def test_read_network_reads_an_rdf_file(rdf_sample_graph, tmp_path):
    from graphkit.network.view import read_network
    from graphkit.rdf.formats import write_graph

    path = write_graph(rdf_sample_graph, tmp_path / "graph.ttl")
    assert nx.utils.edges_equal(
        read_network(path).edges(keys=True, data=True),
        actor_network(rdf_sample_graph).edges(keys=True, data=True),
    )
