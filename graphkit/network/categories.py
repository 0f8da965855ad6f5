"""Relation categories and polarity (conflict, cooperation, neutral) of the actor network's edges.

An edge's own ``categories`` and ``polarity`` attributes win. Until the ontology declares relation
categories, edges without them get them from the provisional table ``graphkit/data/polarity.json``: lemma
(or its first word) -> category -> polarity.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from graphkit.errors import GraphkitError
from graphkit.resources import load_json

__all__ = [
    "POLARITY_NAMES",
    "UNCATEGORIZED",
    "category_labels",
    "category_polarity",
    "edge_categories",
    "edge_polarity",
    "relation_categories",
]

POLARITY_FILE = "polarity.json"
#: Names of the three polarities, as reports and the explorer show them.
POLARITY_NAMES: dict[int, str] = {-1: "conflict", 0: "neutral", 1: "cooperation"}
#: The category reports count an edge under when it has none.
UNCATEGORIZED = "uncategorized"


@cache
def _table() -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """(category -> {label, polarity}, lemma -> category), checked once."""
    raw = load_json(POLARITY_FILE)
    categories: dict[str, dict[str, Any]] = {}
    lemmas: dict[str, str] = {}
    for name, entry in raw["categories"].items():
        if entry.get("polarity") not in POLARITY_NAMES:
            raise GraphkitError(f"{POLARITY_FILE}: category {name!r} needs a polarity of -1, 0 or 1")
        categories[name] = {"label": entry.get("label", name), "polarity": entry["polarity"]}
        for lemma in entry["lemmas"]:
            if lemma in lemmas:
                raise GraphkitError(
                    f"{POLARITY_FILE}: lemma {lemma!r} is in both {lemmas[lemma]!r} and {name!r}; keep one"
                )
            lemmas[lemma] = name
    return categories, lemmas


def category_labels() -> dict[str, str]:
    """Return the readable label of every category in the table, in table order.

    >>> category_labels()["material-conflict"]
    'fighting and force'
    """
    return {name: entry["label"] for name, entry in _table()[0].items()}


def relation_categories(lemma: str) -> list[str]:
    """Return the categories of a relation lemma: the table's entry for it, else for its first word.

    >>> relation_categories("attack"), relation_categories("clash with"), relation_categories("say")
    (['material-conflict'], ['material-conflict'], [])
    """
    lemmas = _table()[1]
    lemma = lemma.strip().lower()
    category = lemmas.get(lemma) or lemmas.get(lemma.split(" ", 1)[0])
    return [category] if category else []


def category_polarity(categories: list[str]) -> int:
    """Return the polarity of a set of categories: their common sign, 0 when none or when they disagree.

    >>> category_polarity(["material-conflict"]), category_polarity(["verbal-conflict", "affiliation"])
    (-1, 0)
    """
    table = _table()[0]
    signs = {table[name]["polarity"] for name in categories if name in table} - {0}
    return signs.pop() if len(signs) == 1 else 0


def edge_categories(attrs: Mapping[str, Any]) -> list[str]:
    """Return an edge's categories: its ``categories`` attribute, else the table's for its lemma.

    >>> edge_categories({"lemma": "kill"}), edge_categories({"lemma": "kill", "categories": ["x"]})
    (['material-conflict'], ['x'])
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
