"""Relation categories and polarity (conflict, cooperation, neutral) of the actor network's edges.

Categories are the ontology's relation categories (``gk:RelationCategory`` in ``ontologies/graphkit.ttl``)
by local name ("attack", "member-of"); their labels and polarities are the ontology's. An edge carries the
categories its statements have in the graph (``gk:category``); in a graph built before graphkit had
categories, the edge gets those the extractor's table gives its lemma (:mod:`graphkit.extract.categories`).
An edge's own ``categories`` and ``polarity`` attributes win.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphkit.extract.categories import relation_categories as _table_categories
from graphkit.rdf.read import read_categories

__all__ = [
    "POLARITY_NAMES",
    "UNCATEGORIZED",
    "category_labels",
    "category_polarity",
    "edge_categories",
    "edge_polarity",
    "relation_categories",
]

#: Names of the three polarities, as reports and the explorer show them.
POLARITY_NAMES: dict[int, str] = {-1: "conflict", 0: "neutral", 1: "cooperation"}
#: The category reports count an edge under when it has none.
UNCATEGORIZED = "uncategorized"


def category_labels() -> dict[str, str]:
    """Return the readable label of every relation category of the ontology, by local name.

    >>> category_labels()["communicate"]
    'meet or communicate with'
    """
    return {name: category.label for name, category in read_categories().items()}


def relation_categories(lemma: str) -> list[str]:
    """Return the categories the extractor's table gives a relation lemma (see
    :func:`graphkit.extract.categories.relation_categories`): the fallback for graphs without categories.

    >>> relation_categories("attack"), relation_categories("clash with"), relation_categories("say")
    (['attack'], ['fight-against'], [])
    """
    return list(_table_categories(lemma))


def category_polarity(categories: list[str]) -> int:
    """Return the polarity of a set of categories: their common sign, 0 when none or when they disagree.

    >>> category_polarity(["kill"]), category_polarity(["support", "oppose"]), category_polarity(["leads"])
    (-1, 0, 0)
    """
    known = read_categories()
    signs = {known[name].polarity for name in categories if name in known} - {0}
    return signs.pop() if len(signs) == 1 else 0


def edge_categories(attrs: Mapping[str, Any]) -> list[str]:
    """Return an edge's categories: its ``categories`` attribute, else the table's for its lemma.

    >>> edge_categories({"lemma": "kill"}), edge_categories({"lemma": "kill", "categories": ["x"]})
    (['kill'], ['x'])
    """
    if attrs.get("categories") is not None:
        return [str(category) for category in attrs["categories"]]
    return relation_categories(str(attrs.get("lemma") or attrs.get("label") or ""))


def edge_polarity(attrs: Mapping[str, Any]) -> int:
    """Return an edge's polarity (-1, 0 or 1): its ``polarity`` attribute, else its categories' sign.

    A negated relation ("did not attack") is neutral: it states no conflict and no cooperation.

    >>> edge_polarity({"lemma": "attack"}), edge_polarity({"lemma": "attack", "negated": True})
    (-1, 0)
    >>> edge_polarity({"lemma": "attack", "polarity": 1})
    1
    """
    if attrs.get("polarity") is not None:
        value = attrs["polarity"]
        return (value > 0) - (value < 0)
    if attrs.get("negated"):
        return 0
    return category_polarity(edge_categories(attrs))
