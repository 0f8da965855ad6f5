"""Relation categories and polarity of the network's edges: the ontology's categories, by local name."""

from __future__ import annotations

import pytest

from graphkit.network import categories
from graphkit.rdf.read import read_categories


@pytest.mark.parametrize(
    ("lemma", "expected"),
    [
        ("attack", ["attack"]),
        ("clash with", ["fight-against"]),
        ("break with", ["oppose"]),
        ("meet with", ["communicate"]),
        ("member of", ["member-of"]),
        ("Support", ["support"]),
        ("say", []),
        ("head to", []),
        ("", []),
    ],
)
def test_relation_categories_fall_back_to_the_extractors_table(lemma, expected):
    assert categories.relation_categories(lemma) == expected


@pytest.mark.parametrize(
    ("attrs", "polarity"),
    [
        ({"lemma": "kill"}, -1),
        ({"lemma": "negotiate"}, 1),
        ({"lemma": "say"}, 0),
        ({"lemma": "command"}, 0),
        ({"lemma": "kill", "negated": True}, 0),
        ({"lemma": "say", "polarity": -3}, -1),
        ({"lemma": "kill", "categories": ["support"]}, 1),
        ({"lemma": "kill", "categories": []}, 0),
        ({"lemma": "kill", "categories": ["not-a-category"]}, 0),
    ],
)
def test_edge_polarity(attrs, polarity):
    assert categories.edge_polarity(attrs) == polarity


def test_labels_are_the_ontologys_preferred_labels():
    labels = categories.category_labels()
    assert set(labels) == set(read_categories())
    assert (labels["location"], labels["attribution"]) == ("place", "reported")
