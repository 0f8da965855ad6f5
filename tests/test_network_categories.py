"""Relation categories and polarity from the provisional table."""

from __future__ import annotations

import pytest

from graphkit.network import categories
from graphkit.resources import load_json


@pytest.mark.parametrize(
    ("lemma", "expected"),
    [
        ("attack", ["material-conflict"]),
        ("clash with", ["material-conflict"]),
        ("break with", ["verbal-conflict"]),
        ("meet with", ["verbal-cooperation"]),
        ("member of", ["affiliation"]),
        ("Support", ["material-cooperation"]),
        ("say", []),
        ("head to", []),
        ("", []),
    ],
)
def test_relation_categories_by_lemma_then_first_word(lemma, expected):
    assert categories.relation_categories(lemma) == expected


@pytest.mark.parametrize(
    ("attrs", "polarity"),
    [
        ({"lemma": "kill"}, -1),
        ({"lemma": "negotiate"}, 1),
        ({"lemma": "say"}, 0),
        ({"lemma": "kill", "negated": True}, 0),
        ({"lemma": "say", "polarity": -3}, -1),
        ({"lemma": "kill", "categories": ["affiliation"]}, 1),
        ({"lemma": "kill", "categories": []}, 0),
    ],
)
def test_edge_polarity(attrs, polarity):
    assert categories.edge_polarity(attrs) == polarity


def test_every_table_lemma_is_in_one_category_with_a_known_polarity():
    table = load_json(categories.POLARITY_FILE)["categories"]
    lemmas = [lemma for entry in table.values() for lemma in entry["lemmas"]]
    assert len(lemmas) == len(set(lemmas))
    assert {entry["polarity"] for entry in table.values()} <= set(categories.POLARITY_NAMES)
    assert set(categories.category_labels()) == set(table)
