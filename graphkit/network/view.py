"""The actor network: a networkx view of a graphkit RDF graph, for analysis, exports and the HTML explorer.

Built from :mod:`graphkit.rdf.read`'s plain records, so nothing downstream of this module sees an rdflib
term: node ids, labels and attributes are plain strings, numbers, lists and dicts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import networkx as nx

from graphkit.extract.classify import CLASSIFIER_PATTERN
from graphkit.identity import actor_iri
from graphkit.network.categories import category_polarity, relation_categories
from graphkit.rdf.formats import read_graph
from graphkit.rdf.read import RelationRecord, read_actors, read_relations

if TYPE_CHECKING:
    import os

    from rdflib import Graph

__all__ = [
    "CLASSIFIER_PATTERN",
    "FOUND_BY",
    "NEGATED_KEY_PREFIX",
    "actor_network",
    "found_by",
    "read_network",
]

NEGATED_KEY_PREFIX = "not "
"""Prefix of the edge key of a negated relation ("not attack"), so it never merges with the asserted one."""
FOUND_BY = ("patterns", "classifier", "both")
"""The values of an edge's ``found_by``: what found its statements (see :func:`found_by`)."""


def actor_network(graph: Graph, *, include_negated: bool = False) -> nx.MultiDiGraph:
    """Return the network of actors and the relations between them.

    Parameters
    ----------
    graph : rdflib.Graph
        A graph built by :func:`graphkit.rdf.mapping.to_rdf` (or read back from one of its exports). Not
        modified.
    include_negated : bool, default False
        Also add an edge for relations the text denies ("did not attack"). Such an edge has
        ``negated=True`` and key ``"not " + lemma``, apart from the asserted edge of the same verb.

    Returns
    -------
    networkx.MultiDiGraph
        One node per actor, id the actor's IRI, with attributes

        - ``label`` (str), ``type`` (str, an ontology class such as ``"Person"``),
        - ``aliases`` and ``roles`` (sorted lists of str),
        - ``degree`` (int): edges in plus edges out in this view.

        One edge per (subject, verb lemma, object), key the lemma, with attributes

        - ``label`` (the readable predicate, e.g. ``"commanded"``), ``lemma``, ``relation`` (property IRI),
        - ``negated`` (bool), ``weight`` (int, the number of evidence sentences),
          ``confidence`` (float, the highest of the evidence),
        - ``found_by`` (str): ``"patterns"`` when hand-written patterns found every statement,
          ``"classifier"`` when the relation classifier guessed them all, ``"both"`` otherwise,
        - ``categories`` (list of str: local names of the ontology's relation categories, from the
          statements' ``gk:category``; see :mod:`graphkit.network.categories`) and ``polarity`` (-1
          conflict, 1 cooperation, 0 neutral or negated),
        - ``evidence``: list of dicts with keys ``doc`` (document id), ``title``, ``date``, ``url`` (str or
          None), ``sentence`` (int, index in the document), ``text`` (the sentence), ``confidence`` and
          ``pattern``; sorted by document, then sentence.

        Actors that take part in no (shown) relation are nodes of degree 0.

    Examples
    --------
    >>> from graphkit.types import Argument, Document, Extraction, Predicate, Provenance, Triple
    >>> from graphkit.rdf.mapping import to_rdf
    >>> text = "Rebels killed an officer."
    >>> triple = Triple(
    ...     subject=Argument("rebels", "rebels", "Group", "Rebels", 0, 6),
    ...     predicate=Predicate("killed", "kill", "killed", 7, 13),
    ...     object=Argument("officer", "officer", "Group", "an officer", 14, 24),
    ...     provenance=Provenance("a1", 0, text, 0, 25, "svo"),
    ...     confidence=0.9,
    ... )
    >>> network = actor_network(to_rdf([Extraction(Document("a1", text), 1, triples=(triple,))]))
    >>> rebels, officer = actor_iri("rebels"), actor_iri("officer")
    >>> network.nodes[rebels]["label"], network.nodes[rebels]["degree"]
    ('rebels', 1)
    >>> edge = network.edges[rebels, officer, "kill"]
    >>> edge["label"], edge["weight"], edge["evidence"][0]["text"]
    ('killed', 1, 'Rebels killed an officer.')
    """
    network = nx.MultiDiGraph()
    for actor in read_actors(graph):
        network.add_node(
            actor_iri(actor.key),
            label=actor.label,
            type=actor.type,
            aliases=list(actor.aliases),
            roles=list(actor.roles),
        )

    edges: dict[tuple[str, str, str], list[RelationRecord]] = defaultdict(list)
    for record in read_relations(graph):
        if record.negated and not include_negated:
            continue
        key = NEGATED_KEY_PREFIX + record.lemma if record.negated else record.lemma
        edges[record.subject, key, record.object].append(record)

    for (subject, key, obj), records in sorted(edges.items()):
        for node, actor_key in ((subject, records[0].subject_key), (obj, records[0].object_key)):
            if node not in network:  # a statement about an actor the graph gives no type to
                network.add_node(node, label=actor_key, type="Actor", aliases=[], roles=[])
        network.add_edge(subject, obj, key=key, **_edge_attributes(records))

    for node, degree in network.degree():
        network.nodes[node]["degree"] = degree
    return network


def read_network(path: str | os.PathLike[str], *, include_negated: bool = False) -> nx.MultiDiGraph:
    """Return the actor network of an RDF file (any format :func:`graphkit.rdf.formats.read_graph` reads).

    Parameters
    ----------
    path : path-like
        A graph written by ``graphkit build`` (``graph.ttl``) or one of its exports.
    include_negated : bool, default False
        See :func:`actor_network`.

    Returns
    -------
    networkx.MultiDiGraph

    Raises
    ------
    graphkit.errors.InputError
        When the file is missing or not valid RDF.
    """
    return actor_network(read_graph(path), include_negated=include_negated)


def found_by(patterns: Iterable[str]) -> str:
    """Return what found a relation, from the pattern ids of its statements' provenance.

    Parameters
    ----------
    patterns : iterable of str
        The ``pattern`` of each evidence record; the classifier's triples carry
        :data:`graphkit.extract.classify.CLASSIFIER_PATTERN`, any other id is a hand-written pattern.

    Returns
    -------
    str
        One of :data:`FOUND_BY`: ``"patterns"`` (also for no record at all), ``"classifier"`` or ``"both"``.

    Examples
    --------
    >>> found_by(["nsubj-verb-dobj"]), found_by(["classifier"]), found_by(["classifier", "svo"]), found_by([])
    ('patterns', 'classifier', 'both', 'patterns')
    """
    finders = {pattern == CLASSIFIER_PATTERN for pattern in patterns}
    if finders == {True}:
        return "classifier"
    return "both" if True in finders else "patterns"


def _edge_attributes(records: list[RelationRecord]) -> dict[str, Any]:
    """One edge from every statement of the same relation between the same two actors."""
    first = records[0]
    evidence = sorted(
        (
            {
                "doc": record.doc_id,
                "title": record.doc_title,
                "date": record.doc_date,
                "url": record.doc_url,
                "sentence": record.sentence,
                "text": record.evidence,
                "confidence": record.confidence,
                "pattern": record.pattern,
            }
            for record in records
        ),
        key=lambda item: (item["doc"], item["sentence"], item["pattern"]),
    )
    if any(record.categories is not None for record in records):
        categories = sorted({name for record in records for name in record.categories or ()})
    else:  # a graph built before graphkit had relation categories
        categories = relation_categories(first.lemma)
    return {
        "label": first.label,
        "lemma": first.lemma,
        "relation": first.relation,
        "negated": first.negated,
        "categories": categories,
        "polarity": 0 if first.negated else category_polarity(categories),
        "weight": len(evidence),
        "confidence": max(record.confidence for record in records),
        "found_by": found_by(record.pattern for record in records),
        "evidence": evidence,
    }
