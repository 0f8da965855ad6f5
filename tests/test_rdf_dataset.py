"""Named graphs: one per document, shared facts in the default graph, the union is the graph."""

from __future__ import annotations

from rdflib import RDF, URIRef
from rdflib.compare import isomorphic

from graphkit import identity
from graphkit.rdf.dataset import default_graph, document_graphs, union_graph
from graphkit.rdf.mapping import to_rdf
from graphkit.rdf.ontology import GK, PROV, SKOS

A1 = URIRef(identity.document_iri("a1"))
B2 = URIRef(identity.document_iri("b2"))
SOLEIMANI = URIRef(identity.actor_iri("qassem-soleimani"))
QUDS = URIRef(identity.actor_iri("quds-force"))
COMMAND = URIRef(identity.relation_iri("command"))


def _named(dataset):
    default = default_graph(dataset).identifier
    return {g.identifier: g for g in dataset.graphs() if len(g) and g.identifier != default}


def test_one_named_graph_per_document_and_the_union_is_the_graph(sample_extractions):
    graph = to_rdf(sample_extractions)
    dataset = document_graphs(graph)
    assert set(_named(dataset)) == {A1, B2}
    assert isomorphic(union_graph(dataset), graph)


def test_a_document_graph_holds_its_document_and_statements(sample_extractions):
    named = _named(document_graphs(to_rdf(sample_extractions)))
    assert (A1, RDF.type, GK.Document) in named[A1]
    statements = set(named[A1].subjects(RDF.type, RDF.Statement))
    assert statements and all(named[A1].value(s, PROV.wasDerivedFrom) == A1 for s in statements)
    assert not set(named[B2].subjects(PROV.wasDerivedFrom, A1))


def test_a_relation_read_in_two_documents_is_in_both_graphs(sample_extractions):
    named = _named(document_graphs(to_rdf(sample_extractions)))
    assert (SOLEIMANI, COMMAND, QUDS) in named[A1]
    assert (SOLEIMANI, COMMAND, QUDS) in named[B2]


def test_actors_and_relation_properties_are_shared(sample_extractions):
    dataset = document_graphs(to_rdf(sample_extractions))
    shared = default_graph(dataset)
    assert (SOLEIMANI, SKOS.prefLabel, None) in shared
    assert (COMMAND, RDF.type, None) in shared
    assert all((SOLEIMANI, SKOS.prefLabel, None) not in g for g in _named(dataset).values())


def test_a_plain_graph_union_is_a_copy(sample_extractions):
    graph = to_rdf(sample_extractions)
    copy = union_graph(graph)
    assert copy is not graph and isomorphic(copy, graph)
