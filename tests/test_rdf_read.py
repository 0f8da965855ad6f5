"""Plain records read back out of RDF."""

from __future__ import annotations

import dataclasses

from graphkit import identity
from graphkit.rdf.formats import read_graph, write_graph
from graphkit.rdf.mapping import to_rdf
from graphkit.rdf.ontology import GK
from graphkit.rdf.read import CategoryRecord, RelationRecord, read_actors, read_categories, read_relations
from graphkit.types import Actor, Document, Extraction


def test_read_actors_merges_documents_and_sorts(sample_extractions):
    actors = read_actors(to_rdf(sample_extractions))
    assert actors == [
        Actor("john-kerry", "John Kerry", "Person"),
        Actor(
            "qassem-soleimani",
            "Qassem Soleimani",
            "Person",
            aliases=("Qasem Soleimani", "Soleimani"),
            roles=("Major General",),
        ),
        Actor("quds-force", "Quds Force", "ArmedGroup"),
    ]


def test_actor_key_is_decoded_so_it_mints_the_same_iri():
    actor = Actor("دمشق-x y", "Damascus", "Place")
    (read,) = read_actors(to_rdf([Extraction(Document("d", "."), 1, actors=(actor,))]))
    assert read.key == actor.key
    assert identity.actor_iri(read.key) == identity.actor_iri(actor.key)


def test_read_relations_gives_every_statement_sorted(sample_extractions):
    records = read_relations(to_rdf(sample_extractions))
    assert [(r.doc_id, r.sentence, r.lemma, r.negated) for r in records] == [
        ("a1", 0, "command", False),
        ("a1", 1, "meet", True),
        ("b2", 0, "lead", False),
        ("b2", 1, "command", False),
    ]


def test_relation_record_carries_evidence_and_document_metadata(sample_extractions):
    first = read_relations(to_rdf(sample_extractions))[0]
    triple = sample_extractions[0].triples[0]
    assert first == RelationRecord(
        statement=identity.statement_iri("a1", 0, "qassem-soleimani", "command", "quds-force"),
        subject=identity.actor_iri("qassem-soleimani"),
        subject_key="qassem-soleimani",
        relation=identity.relation_iri("command"),
        label="commanded",
        lemma="command",
        object=identity.actor_iri("quds-force"),
        object_key="quds-force",
        negated=False,
        confidence=0.9,
        pattern="nsubj-verb-dobj",
        doc_id="a1",
        doc_title="Soleimani in Iraq",
        doc_date="2020-01-02",
        doc_url="https://example.org/a1",
        sentence=0,
        evidence=triple.provenance.evidence,
        sentence_start=triple.provenance.sentence_start,
        sentence_end=triple.provenance.sentence_end,
        subject_text=triple.subject.text,
        subject_start=triple.subject.start,
        subject_end=triple.subject.end,
        predicate_text=triple.predicate.text,
        predicate_start=triple.predicate.start,
        predicate_end=triple.predicate.end,
        object_text=triple.object.text,
        object_start=triple.object.start,
        object_end=triple.object.end,
        categories=("in-charge-of",),
    )


def test_records_hold_only_plain_values(sample_extractions):
    for record in read_relations(to_rdf(sample_extractions)):
        for value in dataclasses.asdict(record).values():
            plain = type(value) in (str, int, float, bool, type(None))
            assert plain or (type(value) is tuple and all(type(item) is str for item in value)), value


def test_categories_are_read_per_statement_and_none_for_graphs_without_any(sample_extractions):
    graph = to_rdf(sample_extractions)
    assert {r.lemma: r.categories for r in read_relations(graph)} == {
        "command": ("in-charge-of",),
        "lead": ("leads",),
        "meet": ("communicate",),
    }
    graph.remove((None, GK.category, None))
    assert {r.categories for r in read_relations(graph)} == {None}


def test_read_categories_reads_the_hierarchy_and_polarity_of_the_ontology():
    categories = read_categories()
    assert {name for name, c in categories.items() if c.broader is None} == {
        "conflict",
        "cooperation",
        "affiliation",
        "location",
        "identity",
        "attribution",
    }
    assert categories["fight-against"] == CategoryRecord("fight-against", "fight against", -1, "conflict")
    assert all(c.broader in categories for c in categories.values() if c.broader is not None)


def test_records_survive_a_file_round_trip(sample_extractions, tmp_path):
    graph = to_rdf(sample_extractions)
    path = write_graph(graph, tmp_path / "graph.jsonld")
    assert read_relations(read_graph(path)) == read_relations(graph)
    assert read_actors(read_graph(path)) == read_actors(graph)
