"""Relation categories by predicate lemma: the data table, checked against the ontology's categories."""

from __future__ import annotations

import pytest
from rdflib import RDF, URIRef
from rdflib.namespace import SKOS

from graphkit import identity
from graphkit.errors import GraphkitError
from graphkit.extract import categories
from graphkit.rdf.ontology import GK, ontology_graph
from graphkit.rdf.read import read_categories


def test_every_category_of_the_table_is_declared_in_the_ontology():
    names = {name for entry in categories.category_table().values() for name in entry}
    assert names, "the table gives no category at all"
    assert names <= set(read_categories()), names - set(read_categories())
    for name in names:
        assert (URIRef(identity.category_iri(name)), RDF.type, GK.RelationCategory) in ontology_graph()


def test_every_category_has_a_label_a_definition_and_its_broader_categorys_polarity():
    ontology = ontology_graph()
    declared = read_categories()
    for name, category in declared.items():
        node = URIRef(identity.category_iri(name))
        assert category.polarity in (-1, 0, 1), name
        assert ontology.value(node, SKOS.definition) is not None, name
        if category.broader is not None:
            assert category.polarity == declared[category.broader].polarity, name


@pytest.mark.parametrize(
    ("lemma", "expected"),
    [
        ("kill", ("kill",)),
        ("clash with", ("fight-against",)),  # the head verb
        ("fight against", ("fight-against",)),
        ("deputy prime minister of", ("works-for",)),  # as written, before "prime minister of"
        ("prime minister of", ("leads",)),
        ("foreign minister of", ("works-for",)),  # without its leading words
        ("adviser for", ("works-for",)),
        ("president of", ("leads",)),
        ("member of", ("member-of",)),
        ("report", ("attribution",)),
        ("assist", ("support",)),  # RE3D: 'the coalition is assisting the Iraqi government'
        ("commend", ("support",)),
        ("stand with", ("support",)),
        ("head", ("leads",)),  # 'was headed by his brother'
        ("head to", ()),  # travel, not leadership
        ("found", ("leads",)),  # as 'founder of'
        ("be assign to", ("member-of",)),  # 'Booker was assigned to 2nd Battalion'
        ("act against", ("oppose",)),  # 'maintained their defensive positions against ISIL fighters'
        ("act together with", ("ally-with",)),  # 'the 407th AEG, together with our Coalition partners'
        ("part of", ("member-of",)),  # '2nd Battalion, 5th Special Forces Group'
        ("be base in", ("based-in",)),
        ("perpetrate against", ("attack",)),  # 'the atrocities ISIL has perpetrated against ... people'
        ("use against", ("attack",)),  # 'the regime has used chemical weapons against the Syrian people'
        ("convey to", ("communicate",)),  # 'as I conveyed to Foreign Minister Al-Jubeir today'
        ("visit from", ()),  # 'soldiers visiting from 3rd Battalion': where they come from, not a meeting
        ("be attack", ()),  # a passive is matched as written only
        ("call for", ()),  # an empty entry stops the lookup
        ("Meet  With", ("communicate",)),
        ("say", ()),
        ("", ()),
    ],
)
def test_relation_categories_by_lemma_then_its_last_words_then_its_head_verb(lemma, expected):
    assert categories.relation_categories(lemma) == expected


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"Kill": ["kill"]}, "lower case"),
        ({"kill": "kill"}, "list of category names"),
        ({"kill": [""]}, "list of category names"),
    ],
)
def test_a_malformed_table_is_refused_naming_the_entry(monkeypatch, entry, message):
    monkeypatch.setattr(categories, "load_json", lambda name: {"lemmas": entry})
    categories.category_table.cache_clear()
    try:
        with pytest.raises(GraphkitError, match=message):
            categories.category_table()
    finally:
        monkeypatch.undo()
        categories.category_table.cache_clear()
