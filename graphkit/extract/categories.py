"""Relation categories of a predicate, by its lemma, from the data table ``graphkit/data/categories.json``.

The categories are the local names of the relation categories the ontology declares (``gk:attack``,
``gk:member-of``...); this module knows them only as names and never reads RDF: the RDF and record stages
turn them into IRIs (a test checks every name of the table against the ontology).
"""

from __future__ import annotations

from functools import cache

from graphkit.errors import GraphkitError
from graphkit.resources import load_json

__all__ = ["CATEGORY_FILE", "category_table", "relation_categories"]

CATEGORY_FILE = "categories.json"


@cache
def category_table() -> dict[str, tuple[str, ...]]:
    """Return the table, lemma -> category names, checked once.

    Raises
    ------
    GraphkitError
        When an entry is not a list of names or a lemma is not in lower case with single spaces.

    Examples
    --------
    >>> category_table()["clash"]
    ('fight-against',)
    """
    table: dict[str, tuple[str, ...]] = {}
    for lemma, names in load_json(CATEGORY_FILE)["lemmas"].items():
        if lemma != " ".join(lemma.lower().split()):
            raise GraphkitError(f"{CATEGORY_FILE}: lemma {lemma!r} must be lower case with single spaces")
        if not isinstance(names, list) or not all(isinstance(name, str) and name for name in names):
            raise GraphkitError(f"{CATEGORY_FILE}: {lemma!r} needs a list of category names, got {names!r}")
        table[lemma] = tuple(names)
    return table


def relation_categories(lemma: str) -> tuple[str, ...]:
    """Return the relation categories of a predicate lemma (local names; empty when none fits).

    The lemma is looked up as written, then without its leading words, longest first (a role: "deputy
    prime minister of" -> "prime minister of" -> "minister of"), then by its head verb, its first word
    ("clash with" -> "clash"). The first entry found wins, even an empty one.

    Parameters
    ----------
    lemma : str
        A predicate lemma, such as ``"attack"``, ``"clash with"`` or ``"adviser for"``.

    Returns
    -------
    tuple of str

    Examples
    --------
    >>> relation_categories("clash with"), relation_categories("adviser for"), relation_categories("say")
    (('fight-against',), ('works-for',), ())
    >>> relation_categories("deputy prime minister of"), relation_categories("foreign minister of")
    (('works-for',), ('works-for',))
    >>> relation_categories("call"), relation_categories("call for")
    (('communicate',), ())
    """
    table = category_table()
    words = lemma.lower().split()
    candidates = [" ".join(words[start:]) for start in range(len(words) - 1)] + words[:1]
    for candidate in candidates:
        if candidate in table:
            return table[candidate]
    return ()
