"""Named graphs: a graphkit graph split into one graph per document, and datasets flattened back.

The split is the layout of TriG and N-Quads files and of stores (:mod:`graphkit.rdf.store`):

- the named graph of a document, named by the document's IRI, holds what was read in it: the document's
  description, its statements, the direct relations they assert (a relation read in two documents is in
  both graphs) and the build's ``prov:used`` link to it;
- the default graph holds what documents share: actors (types, labels, aliases, roles), relation
  properties and builds.

Replacing a document's named graph therefore replaces everything that document said, and nothing else.
The union of the graphs is the graph that was split.
"""

from __future__ import annotations

from rdflib import RDF, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from graphkit.rdf.ontology import GK, PROV, bind_prefixes

__all__ = ["default_graph", "document_graphs", "is_dataset", "union_graph"]


def default_graph(dataset: Dataset) -> Graph:
    """The default graph of ``dataset`` (the spelling that works across rdflib 7's releases)."""
    return dataset.graph(DATASET_DEFAULT_GRAPH_ID)


def is_dataset(graph: Graph) -> bool:
    """True when ``graph`` holds named graphs (an rdflib ``Dataset``), false for a plain graph."""
    return isinstance(graph, Dataset)


def _asserted(graph: Graph, statement: Node) -> tuple[Node, Node, Node] | None:
    """The direct triple a statement asserts, when the graph holds it and the statement is not negated."""
    negated = graph.value(statement, GK.negated)
    if isinstance(negated, Literal) and negated.toPython() is True:
        return None
    triple = (
        graph.value(statement, RDF.subject),
        graph.value(statement, RDF.predicate),
        graph.value(statement, RDF.object),
    )
    return triple if None not in triple and triple in graph else None


def document_graphs(graph: Graph) -> Dataset:
    """Split a graphkit graph into a dataset with one named graph per document.

    Parameters
    ----------
    graph : rdflib.Graph
        A graph built by :func:`graphkit.rdf.mapping.to_rdf` (or read back from one of its files). Not
        modified.

    Returns
    -------
    rdflib.Dataset
        Named graphs by document IRI, shared facts in the default graph (see the module's docstring);
        graphkit's prefixes bound.

    Examples
    --------
    >>> from graphkit.types import Argument, Document, Extraction, Predicate, Provenance, Triple
    >>> from graphkit.rdf.mapping import to_rdf
    >>> triple = Triple(
    ...     subject=Argument("rebels", "rebels", "Group", "Rebels", 0, 6),
    ...     predicate=Predicate("killed", "kill", "killed", 7, 13),
    ...     object=Argument("officer", "officer", "Group", "an officer", 14, 24),
    ...     provenance=Provenance("a1", 0, "Rebels killed an officer.", 0, 25, "svo"),
    ...     confidence=0.9,
    ... )
    >>> graph = to_rdf([Extraction(Document("a1", "Rebels killed an officer."), 1, triples=(triple,))])
    >>> dataset = document_graphs(graph)
    >>> sorted(str(g.identifier) for g in dataset.graphs() if len(g))
    ['https://w3id.org/graphkit/document/a1', 'urn:x-rdflib:default']
    >>> len(union_graph(dataset)) == len(graph)
    True
    """
    dataset = Dataset()
    bind_prefixes(dataset)
    documents = set(graph.subjects(RDF.type, GK.Document))
    # Where each subject's triples go (documents and their statements), and where each direct triple goes.
    owner: dict[Node, Node] = {document: document for document in documents}
    assertions: dict[tuple[Node, Node, Node], set[Node]] = {}
    for statement in set(graph.subjects(RDF.type, RDF.Statement)):
        document = graph.value(statement, PROV.wasDerivedFrom)
        if document in documents:
            owner[statement] = document
            asserted = _asserted(graph, statement)
            if asserted is not None:
                assertions.setdefault(asserted, set()).add(document)
    for triple in graph:
        subject, predicate, obj = triple
        if predicate == PROV.used and obj in documents:
            places = {obj}
        elif subject in owner:
            places = {owner[subject]}
        else:
            places = assertions.get(triple, set())
        targets = [dataset.graph(URIRef(str(place))) for place in places] or [default_graph(dataset)]
        for target in targets:
            target.add(triple)
    return dataset


def union_graph(dataset: Graph) -> Graph:
    """Return the triples of every graph of ``dataset`` in one plain graph (a plain graph is copied).

    Parameters
    ----------
    dataset : rdflib.Dataset or rdflib.Graph
        Not modified.

    Returns
    -------
    rdflib.Graph
        A new graph with graphkit's prefixes bound.
    """
    graph = bind_prefixes(Graph())
    triples = (quad[:3] for quad in dataset.quads()) if is_dataset(dataset) else iter(dataset)
    for triple in triples:
        graph.add(triple)
    return graph
