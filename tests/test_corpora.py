"""Annotated corpora: the SpERT and RE3D readers, and the corpus type table checked against the ontology."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Namespace, URIRef
from rdflib.namespace import SKOS

from graphkit.corpora import (
    UNKNOWN_TYPE,
    AnnotatedDocument,
    GoldEntity,
    GoldLink,
    corpus_types,
    read_corpus,
)
from graphkit.errors import InputError
from graphkit.rdf.ontology import ONTOLOGY_NS, actor_class_names, ontology_graph
from graphkit.resources import load_json

FIXTURES = Path(__file__).parent / "fixtures"
BENCH = Path(__file__).resolve().parents[2] / "shared" / "bench"
CATEGORY = Namespace(ONTOLOGY_NS)
SCHEMES = {corpus: Namespace(f"https://w3id.org/graphkit/scheme/{corpus}/") for corpus in ("conll04", "re3d")}


# --- SpERT JSON ----------------------------------------------------------------------------------------


def test_spert_tokens_become_text_and_entities_character_spans():
    documents = read_corpus(FIXTURES / "conll04_tiny.json")
    first = documents[0]
    assert first.id == "conll04_tiny:1"
    assert first.text == " ".join(first.words) and first.text.startswith("John Smith , a spokesman")
    assert [first.text[e.start : e.end] for e in first.entities] == ["John Smith", "Acme Corp.", "Monday"]
    assert first.entities[0] == GoldEntity(0, 10, "Peop")
    assert first.relations == (GoldLink("Work_For", 0, 1),)
    assert first.token_spans()[:3] == [(0, 4), (5, 10), (11, 12)]


def test_spert_ids_fall_back_to_the_position(tmp_path):
    path = tmp_path / "mine.json"
    path.write_text(json.dumps([{"tokens": ["Hi"], "entities": [], "relations": []}]), encoding="utf-8")
    assert read_corpus(path) == [AnnotatedDocument("mine:0", "Hi", (), (), ("Hi",))]


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"tokens": [], "entities": [], "relations": []}, '"tokens" list'),
        ({"tokens": ["a"], "relations": []}, '"entities" list'),
        (
            {"tokens": ["a"], "entities": [{"type": "Peop", "start": 0, "end": 2}], "relations": []},
            "entity 0",
        ),
        (
            {"tokens": ["a"], "entities": [], "relations": [{"type": "Kill", "head": 0, "tail": 0}]},
            "relation 0: needs a 'type' and 'head', 'tail'",
        ),
    ],
)
def test_spert_reader_names_the_bad_record(tmp_path, record, message):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([record]), encoding="utf-8")
    with pytest.raises(InputError, match=f"bad.json sentence 0.*{message}"):
        read_corpus(path)


@pytest.mark.skipif(not (BENCH / "conll04").is_dir(), reason=f"CoNLL04 data not found at {BENCH / 'conll04'}")
@pytest.mark.parametrize(("split", "sentences"), [("train", 922), ("dev", 231), ("test", 288)])
def test_reads_the_conll04_splits(split, sentences):
    documents = read_corpus(BENCH / "conll04" / f"{split}.json")
    assert len(documents) == sentences and len({d.id for d in documents}) == sentences


# --- RE3D JSONL ----------------------------------------------------------------------------------------


def test_re3d_relation_arguments_index_entities_and_unlisted_ones_are_added(tmp_path):
    record = {
        "id": "d1",
        "source": "CENTCOM",
        "text": "Rebels fought the army.",
        "entities": [{"start": 0, "end": 6, "type": "Organisation"}],
        "relations": [
            {"type": "FightingAgainst", "source": {"start": 0, "end": 6}, "target": {"start": 14, "end": 22}}
        ],
    }
    path = tmp_path / "re3d.jsonl"
    path.write_text(json.dumps(record) + "\n\n", encoding="utf-8")
    (document,) = read_corpus(path)
    assert document.entities == (GoldEntity(0, 6, "Organisation"), GoldEntity(14, 22, UNKNOWN_TYPE))
    assert document.relations == (GoldLink("FightingAgainst", 0, 1),)
    assert document.document().source == "CENTCOM" and document.words is None


def test_re3d_offsets_outside_the_text_are_an_error(tmp_path):
    path = tmp_path / "re3d.jsonl"
    record = {"text": "Ann", "entities": [{"start": 0, "end": 9}], "relations": []}
    path.write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(InputError, match="entity 0: offsets 0..9 are outside the text"):
        read_corpus(path)


@pytest.mark.parametrize(("content", "message"), [(None, "does not exist"), ("\n", "holds no documents")])
def test_missing_or_empty_corpus_files_are_input_errors(tmp_path, content, message):
    path = tmp_path / "corpus.jsonl"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_corpus(path)


# --- the type table against the ontology ---------------------------------------------------------------


def _matches(graph, category: URIRef, target: URIRef, predicates) -> bool:
    return any((category, predicate, target) in graph for predicate in predicates)


@pytest.mark.parametrize("corpus", sorted(SCHEMES))
def test_relation_types_map_to_the_category_the_ontology_matches_them_with(corpus):
    graph, scheme = ontology_graph(), SCHEMES[corpus]
    for type_, category in corpus_types(corpus).relations.items():
        assert _matches(graph, CATEGORY[category], scheme[type_], (SKOS.exactMatch, SKOS.closeMatch)), (
            f"{corpus}: gk:{category} has no exact or close match to {type_}"
        )


@pytest.mark.parametrize("corpus", sorted(SCHEMES))
def test_every_exact_or_close_match_of_the_ontology_is_in_the_table(corpus):
    graph, scheme = ontology_graph(), SCHEMES[corpus]
    declared = {
        (str(category).rsplit("#", 1)[1], str(target)[len(str(scheme)) :])
        for predicate in (SKOS.exactMatch, SKOS.closeMatch)
        for category, target in graph.subject_objects(predicate)
        if str(target).startswith(str(scheme))
    }
    assert declared == {(c, t) for t, c in corpus_types(corpus).relations.items()}


@pytest.mark.parametrize("corpus", sorted(SCHEMES))
def test_narrower_categories_are_narrower_in_the_ontology(corpus):
    graph, scheme = ontology_graph(), SCHEMES[corpus]
    types = corpus_types(corpus)
    for category, type_ in types.categories.items():
        if types.relations.get(type_) == category:
            continue
        concept = CATEGORY[category]
        ancestors = set(graph.transitive_objects(concept, SKOS.broader)) - {concept}
        assert (concept, SKOS.broadMatch, scheme[type_]) in graph or any(
            _matches(graph, a, scheme[type_], (SKOS.exactMatch, SKOS.closeMatch)) for a in ancestors
        ), f"{corpus}: gk:{category} is not narrower than {type_}"


@pytest.mark.parametrize("corpus", sorted(SCHEMES))
def test_types_the_ontology_does_not_map_are_named_as_left_out(corpus):
    graph, scheme = ontology_graph(), SCHEMES[corpus]
    in_scheme = {
        str(concept)[len(str(scheme)) :] for concept in graph.subjects(SKOS.inScheme, scheme["scheme"])
    }
    note = load_json("corpus_types.json")[corpus]["_left_out"]
    for type_ in in_scheme - set(corpus_types(corpus).relations):
        assert type_ in note


@pytest.mark.parametrize("corpus", sorted(SCHEMES))
def test_entity_types_map_to_actor_classes_and_back(corpus):
    types, classes = corpus_types(corpus), set(actor_class_names())
    assert set(types.entities.values()) <= classes and set(types.actor_classes) <= classes
    for entity_type, actor_class in types.entities.items():
        assert types.actor_classes[actor_class] == entity_type


def test_an_unknown_corpus_names_the_known_ones():
    with pytest.raises(InputError, match="choose one of conll04, re3d"):
        corpus_types("ace05")
