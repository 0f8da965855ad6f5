"""Extractions to RDF: compared as graphs, never as text."""

from __future__ import annotations

from dataclasses import replace

import pytest
import rdflib
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from graphkit import identity
from graphkit.errors import OntologyError
from graphkit.rdf.mapping import to_rdf
from graphkit.rdf.ontology import GK, SKOS
from graphkit.rdf.read import read_categories
from graphkit.types import Actor, Argument, Document, Extraction, Predicate, Provenance, Triple

TEXT = "Rebels killed 3 soldiers."


def _rebels_kill_soldiers(
    *, negated: bool = False, doc_id: str = "d1", keys=("rebels", "soldiers")
) -> Extraction:
    triple = Triple(
        subject=Argument("rebels", keys[0], "Group", "Rebels", 0, 6),
        predicate=Predicate("killed", "kill", "killed", 7, 13),
        object=Argument("soldiers", keys[1], "Group", "3 soldiers", 14, 24, quantity="3"),
        provenance=Provenance(doc_id, 0, TEXT, 0, 25, "nsubj-verb-dobj"),
        confidence=0.9,
        negated=negated,
        categories=("kill",),
    )
    document = Document(doc_id, TEXT, title="Clashes", date="2024-03-01")
    return Extraction(document, sentences=1, triples=(triple,))


EXPECTED = """
@prefix gk: <https://w3id.org/graphkit/ontology#> .
@prefix gka: <https://w3id.org/graphkit/actor/> .
@prefix gkr: <https://w3id.org/graphkit/relation/> .
@prefix gkd: <https://w3id.org/graphkit/document/> .
@prefix gks: <https://w3id.org/graphkit/statement/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

gkd:d1 a gk:Document, prov:Entity ;
    dcterms:identifier "d1" ;
    dcterms:title "Clashes" ;
    dcterms:date "2024-03-01"^^xsd:date .

gka:rebels a gk:Group ; rdfs:label "rebels" ; skos:prefLabel "rebels" .
gka:soldiers a gk:Group ; rdfs:label "soldiers" ; skos:prefLabel "soldiers" .

gkr:kill a owl:ObjectProperty ; rdfs:subPropertyOf gk:relatedTo ; rdfs:label "killed" ; gk:category gk:kill .

gka:rebels gkr:kill gka:soldiers .

<https://w3id.org/graphkit/statement/d1/0/rebels/kill/soldiers> a rdf:Statement ;
    rdf:subject gka:rebels ;
    rdf:predicate gkr:kill ;
    rdf:object gka:soldiers ;
    prov:wasDerivedFrom gkd:d1 ;
    gk:evidence "Rebels killed 3 soldiers." ;
    gk:sentenceIndex 0 ;
    gk:sentenceStart 0 ;
    gk:sentenceEnd 25 ;
    gk:predicateLabel "killed" ;
    gk:predicateLemma "kill" ;
    gk:predicateText "killed" ;
    gk:predicateStart 7 ;
    gk:predicateEnd 13 ;
    gk:subjectText "Rebels" ;
    gk:subjectStart 0 ;
    gk:subjectEnd 6 ;
    gk:objectText "3 soldiers" ;
    gk:objectStart 14 ;
    gk:objectEnd 24 ;
    gk:objectQuantity "3" ;
    gk:confidence "0.9"^^xsd:double ;
    gk:negated false ;
    gk:pattern "nsubj-verb-dobj" ;
    gk:category gk:kill .
"""


def test_one_triple_maps_to_the_expected_graph():
    expected = Graph().parse(data=EXPECTED, format="turtle")
    assert isomorphic(to_rdf([_rebels_kill_soldiers()]), expected)


def test_literals_are_typed():
    graph = to_rdf([_rebels_kill_soldiers()])
    statement = next(graph.subjects(RDF.type, RDF.Statement))
    assert graph.value(statement, GK.subjectStart).datatype == rdflib.XSD.integer
    assert graph.value(statement, GK.negated).datatype == rdflib.XSD.boolean
    assert graph.value(statement, GK.confidence).datatype == rdflib.XSD.double


def test_same_input_gives_an_isomorphic_graph(sample_extractions):
    assert isomorphic(to_rdf(sample_extractions), to_rdf(list(sample_extractions)))


def test_adds_to_the_graph_given_and_returns_it(sample_extractions):
    graph = to_rdf(sample_extractions[:1])
    assert to_rdf(sample_extractions[1:], graph) is graph
    assert isomorphic(graph, to_rdf(sample_extractions))


def test_negated_triple_keeps_its_statement_but_is_not_asserted():
    graph = to_rdf([_rebels_kill_soldiers(negated=True)])
    rebels, kill, soldiers = (
        URIRef(identity.actor_iri("rebels")),
        URIRef(identity.relation_iri("kill")),
        URIRef(identity.actor_iri("soldiers")),
    )
    assert (rebels, kill, soldiers) not in graph
    statement = URIRef(identity.statement_iri("d1", 0, "rebels", "kill", "soldiers"))
    assert (statement, RDF.subject, rebels) in graph
    assert graph.value(statement, GK.negated) == Literal(True)


def test_same_actor_in_two_documents_is_one_node_with_accumulated_aliases(sample_extractions):
    graph = to_rdf(sample_extractions)
    soleimani = URIRef(identity.actor_iri("qassem-soleimani"))
    assert set(graph.objects(soleimani, RDF.type)) == {GK.Person}
    assert set(graph.objects(soleimani, SKOS.prefLabel)) == {Literal("Qassem Soleimani")}
    assert set(graph.objects(soleimani, SKOS.altLabel)) == {Literal("Soleimani"), Literal("Qasem Soleimani")}
    assert set(graph.objects(soleimani, GK.role)) == {Literal("Major General")}
    assert len(set(graph.subjects(RDF.type, GK.Document))) == 2


def test_a_second_label_for_a_known_actor_becomes_an_alias():
    first = Extraction(Document("a", "."), 1, actors=(Actor("kerry", "John Kerry", "Person"),))
    second = Extraction(Document("b", "."), 1, actors=(Actor("kerry", "Kerry", "Person"),))
    graph = to_rdf([second], to_rdf([first]))
    kerry = URIRef(identity.actor_iri("kerry"))
    assert set(graph.objects(kerry, RDFS.label)) == {Literal("John Kerry")}
    assert set(graph.objects(kerry, SKOS.altLabel)) == {Literal("Kerry")}


def test_relation_is_declared_below_related_to(sample_extractions):
    graph = to_rdf(sample_extractions)
    relations = set(graph.subjects(RDFS.subPropertyOf, GK.relatedTo))
    assert relations == {URIRef(identity.relation_iri(lemma)) for lemma in ("command", "lead", "meet")}
    assert graph.value(URIRef(identity.relation_iri("command")), RDFS.label) == Literal("commanded")


def test_every_graphkit_term_used_is_declared_in_the_ontology(sample_extractions):
    graph = to_rdf([*sample_extractions, _rebels_kill_soldiers()])
    used = {term for triple in graph for term in triple if isinstance(term, URIRef)}
    used |= set(graph.objects(None, RDF.type))
    ontology_terms = {term for term in used if str(term).startswith(identity.ONTOLOGY_NS)}
    assert ontology_terms, "the mapping uses no ontology term at all"
    categories = {URIRef(identity.category_iri(name)) for name in read_categories()}
    undeclared = {term for term in ontology_terms if term not in GK and term not in categories}
    assert not undeclared


def test_unknown_relation_category_raises():
    extraction = _rebels_kill_soldiers()
    triple = replace(extraction.triples[0], categories=("slaughter",))
    with pytest.raises(OntologyError, match="'slaughter' is not a relation category"):
        to_rdf([replace(extraction, triples=(triple,))])


def test_unknown_actor_type_raises():
    extraction = Extraction(Document("a", "."), 1, actors=(Actor("x", "X", "Spaceship"),))
    with pytest.raises(OntologyError, match="'Spaceship'"):
        to_rdf([extraction])


NASTY_DOC_IDS = ["news file.jsonl:3", 'a"b<c>d{e}|f\\g^h`i', "ë/ü?#&=", " "]
NASTY_KEYS = [("al qaeda", 'the "boss"'), ("<x>", "y z"), ("", "دمشق")]


@pytest.mark.parametrize("doc_id", NASTY_DOC_IDS)
@pytest.mark.parametrize("keys", NASTY_KEYS)
def test_iris_are_safe_for_nasty_ids_and_n_triples_parse_back(doc_id, keys):
    graph = to_rdf([_rebels_kill_soldiers(doc_id=doc_id, keys=keys)])
    for term in {term for triple in graph for term in triple if isinstance(term, URIRef)}:
        assert not set(str(term)) & set(' "<>{}|\\^`'), term
    assert isomorphic(Graph().parse(data=graph.serialize(format="nt"), format="nt"), graph)


def test_a_build_activity_is_recorded_and_linked_from_every_statement():
    from datetime import UTC, datetime

    from rdflib.namespace import PROV

    from graphkit.types import BuildActivity

    when = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
    graph = to_rdf([_rebels_kill_soldiers()], activity=BuildActivity("b1", when, when, "0.1.0", "sm"))
    build = URIRef(identity.build_iri("b1"))
    assert (build, RDF.type, PROV.Activity) in graph and (build, GK.model, Literal("sm")) in graph
    assert (build, PROV.used, URIRef(identity.document_iri("d1"))) in graph
    assert graph.value(build, PROV.startedAtTime).toPython() == when
    statements = set(graph.subjects(RDF.type, RDF.Statement))
    assert statements and all((s, PROV.wasGeneratedBy, build) in graph for s in statements)


def test_without_a_build_the_graph_has_no_activity():
    from rdflib.namespace import PROV

    graph = to_rdf([_rebels_kill_soldiers()])
    assert not set(graph.subjects(RDF.type, PROV.Activity))
