"""The packaged ontology and its Python face: declared terms only, unknown ones raise."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef

from graphkit import identity
from graphkit.errors import OntologyError
from graphkit.rdf.ontology import GK, actor_class, actor_class_names, bind_prefixes, ontology_graph

ACTOR_CLASSES = [
    "Actor",
    "Person",
    "Organization",
    "ArmedGroup",
    "GovernmentBody",
    "Place",
    "Country",
    "NationalGroup",
    "Group",
    "Facility",
    "Event",
    "Work",
    "Weapon",
]


def test_ontology_namespace_is_the_one_identity_mints():
    assert str(GK) == identity.ONTOLOGY_NS
    assert dict(ontology_graph().namespaces())["gk"] == URIRef(identity.ONTOLOGY_NS)


@pytest.mark.parametrize("name", ACTOR_CLASSES)
def test_actor_classes_are_declared_below_actor(name):
    assert actor_class(name) == URIRef(identity.ONTOLOGY_NS + name)
    assert (GK[name], RDF.type, OWL.Class) in ontology_graph()


def test_actor_class_names_are_exactly_the_actor_hierarchy():
    assert sorted(actor_class_names()) == sorted(ACTOR_CLASSES)


def test_document_is_a_prov_entity_and_not_an_actor():
    from rdflib.namespace import PROV

    assert (GK.Document, RDFS.subClassOf, PROV.Entity) in ontology_graph()
    with pytest.raises(OntologyError, match="'Document' is not an actor class"):
        actor_class("Document")


def test_every_term_has_a_label_and_a_comment():
    graph = ontology_graph()
    for name in dir(GK):
        assert graph.value(GK[name], RDFS.label) is not None, name
        assert graph.value(GK[name], RDFS.comment) is not None, name


def test_related_to_is_an_object_property_between_actors():
    graph = ontology_graph()
    assert (GK.relatedTo, RDF.type, OWL.ObjectProperty) in graph
    assert (GK.relatedTo, RDFS.domain, GK.Actor) in graph
    assert (GK.relatedTo, RDFS.range, GK.Actor) in graph


@pytest.mark.parametrize("lookup", [lambda name: getattr(GK, name), lambda name: GK[name]])
def test_unknown_term_raises_with_close_choices(lookup):
    with pytest.raises(OntologyError, match=r"'Persn' is not a term .* did you mean Person"):
        lookup("Persn")


def test_unknown_actor_class_lists_close_choices():
    with pytest.raises(OntologyError, match=r"'Organisation' .* did you mean Organization"):
        actor_class("Organisation")


def test_private_names_are_not_terms():
    assert not hasattr(GK, "_private")


def test_bind_prefixes_binds_graphkit_and_standard_prefixes():
    bound = {prefix: str(namespace) for prefix, namespace in bind_prefixes(Graph()).namespaces()}
    assert {prefix: bound[prefix] for prefix in identity.PREFIXES} == identity.PREFIXES
    assert {"prov", "skos", "schema", "dcterms", "owl", "xsd"} <= bound.keys()


@pytest.mark.parametrize(
    "name",
    [
        *(
            f"{part}{field}"
            for part in ("subject", "predicate", "object")
            for field in ("Text", "Start", "End")
        ),
        *("evidence", "sentenceIndex", "sentenceStart", "sentenceEnd", "predicateLabel", "predicateLemma"),
        *("subjectQuantity", "objectQuantity", "confidence", "negated", "pattern", "role", "source"),
    ],
)
def test_statement_and_provenance_properties_are_declared(name):
    assert (GK[name], RDF.type, OWL.DatatypeProperty) in ontology_graph()


def test_a_build_is_a_prov_activity_with_version_and_model():
    graph = ontology_graph()
    assert (GK.Build, RDFS.subClassOf, URIRef("http://www.w3.org/ns/prov#Activity")) in graph
    for name in ("graphkitVersion", "model"):
        assert (GK[name], RDFS.domain, GK.Build) in graph


def test_the_shapes_parse_and_use_only_declared_graphkit_terms():
    from graphkit.rdf.validate import shapes_graph

    shapes = shapes_graph()
    used = {str(term) for triple in shapes for term in triple if str(term).startswith(identity.ONTOLOGY_NS)}
    assert used and all(GK[term[len(identity.ONTOLOGY_NS) :]] for term in used)
