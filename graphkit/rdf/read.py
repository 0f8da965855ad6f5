"""Plain records read back out of a graphkit RDF graph, so that rdflib objects never leave the RDF stage.

Downstream stages (the networkx view, exports, the HTML explorer) work from these records alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from urllib.parse import unquote

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.term import Node

from graphkit.rdf.ontology import (
    DCTERMS,
    GK,
    PROV,
    SCHEMA,
    SKOS,
    actor_class_names,
    local_name,
    ontology_graph,
)
from graphkit.types import Actor


@dataclass(frozen=True)
class CategoryRecord:
    """A relation category the ontology declares (``gk:attack``, ``gk:conflict``...).

    ``name`` is its local name, ``label`` its preferred label, ``polarity`` +1 (cooperative), -1
    (conflictual) or 0 (neutral), ``broader`` the local name of the category above it (``None`` at the top).
    """

    name: str
    label: str
    polarity: int
    broader: str | None = None


__all__ = ["CategoryRecord", "RelationRecord", "read_actors", "read_categories", "read_relations"]


@dataclass(frozen=True)
class RelationRecord:
    """One extracted statement: who did what to whom, where it was read, and how.

    IRIs are plain strings; ``subject_key``/``object_key`` are the actors' alias keys. Offsets are character
    offsets into the document's text. Optional document metadata and quantities are ``None`` when absent.
    ``categories`` are the local names of the statement's relation categories (sorted; possibly empty), or
    ``None`` when the graph carries no category at all (a graph built before graphkit had them).
    """

    statement: str
    subject: str
    subject_key: str
    relation: str
    label: str
    lemma: str
    object: str
    object_key: str
    negated: bool
    confidence: float
    pattern: str
    doc_id: str
    doc_title: str | None
    doc_date: str | None
    doc_url: str | None
    sentence: int
    evidence: str
    sentence_start: int
    sentence_end: int
    subject_text: str
    subject_start: int
    subject_end: int
    predicate_text: str
    predicate_start: int
    predicate_end: int
    object_text: str
    object_start: int
    object_end: int
    subject_quantity: str | None = None
    object_quantity: str | None = None
    categories: tuple[str, ...] | None = None


def _key(iri: Node) -> str:
    """An actor's alias key: the last path segment of its IRI, percent-decoded."""
    return unquote(local_name(str(iri)))


def _text(graph: Graph, node: Node, predicate: URIRef, default: str | None = None) -> str | None:
    """The smallest value of ``predicate`` on ``node`` as text (the same every run), else ``default``."""
    values = sorted(str(value) for value in graph.objects(node, predicate))
    return values[0] if values else default


def _python(graph: Graph, node: Node, predicate: URIRef, default: object) -> object:
    value = graph.value(node, predicate)
    return value.toPython() if isinstance(value, Literal) else default


def _document(graph: Graph, node: Node | None) -> tuple[str, str | None, str | None, str | None]:
    """A statement's document as (id, title, date, url)."""
    if node is None:
        return "", None, None, None
    return (
        _text(graph, node, DCTERMS.identifier) or _key(node),
        _text(graph, node, DCTERMS.title),
        _text(graph, node, DCTERMS.date),
        _text(graph, node, SCHEMA.url),
    )


@cache
def _class_depths() -> dict[URIRef, int]:
    """How many classes stand above each actor class, so the most specific of several types can win."""
    ontology = ontology_graph()
    return {
        GK[name]: len(list(ontology.transitive_objects(GK[name], RDFS.subClassOf)))
        for name in actor_class_names()
    }


@cache
def read_categories() -> dict[str, CategoryRecord]:
    """Return the relation categories declared in the packaged ontology, by local name.

    Returns
    -------
    dict of str to CategoryRecord
        Sorted by name.

    Examples
    --------
    >>> categories = read_categories()
    >>> categories["kill"].broader, categories["conflict"].polarity, categories["member-of"].polarity
    ('conflict', -1, 0)
    """
    ontology = ontology_graph()
    records = {}
    for node in ontology.subjects(RDF.type, GK.RelationCategory):
        broader = ontology.value(node, SKOS.broader)
        records[local_name(node)] = CategoryRecord(
            name=local_name(node),
            label=_text(ontology, node, SKOS.prefLabel) or local_name(node),
            polarity=int(_python(ontology, node, GK.polarity, 0)),
            broader=local_name(broader) if broader is not None else None,
        )
    return dict(sorted(records.items()))


def read_actors(graph: Graph) -> list[Actor]:
    """Return every actor in ``graph``: a node typed with gk:Actor or one of its subclasses.

    Parameters
    ----------
    graph : rdflib.Graph
        A graph built by :func:`graphkit.rdf.mapping.to_rdf` (or read back from one of its exports).

    Returns
    -------
    list of graphkit.types.Actor
        Sorted by key. ``key`` is the IRI's last path segment, decoded; ``type`` the local name of the
        actor's most specific class; ``aliases`` and ``roles`` sorted.

    Examples
    --------
    >>> from graphkit.types import Actor, Document, Extraction
    >>> from graphkit.rdf.mapping import to_rdf
    >>> kerry = Actor("john-kerry", "John Kerry", "Person", aliases=("Kerry",), roles=("Secretary of State",))
    >>> read_actors(to_rdf([Extraction(Document("a1", "..."), sentences=1, actors=(kerry,))])) == [kerry]
    True
    """
    depths = _class_depths()
    types: dict[Node, set[URIRef]] = {}
    for cls in depths:
        for node in graph.subjects(RDF.type, cls):
            types.setdefault(node, set()).add(cls)
    actors = []
    for node, classes in types.items():
        key = _key(node)
        most_specific = min(classes, key=lambda cls: (-depths[cls], str(cls)))
        actors.append(
            Actor(
                key=key,
                label=_text(graph, node, SKOS.prefLabel) or _text(graph, node, RDFS.label, key),
                type=local_name(most_specific),
                aliases=tuple(sorted({str(alias) for alias in graph.objects(node, SKOS.altLabel)})),
                roles=tuple(sorted({str(role) for role in graph.objects(node, GK.role)})),
            )
        )
    return sorted(actors, key=lambda actor: actor.key)


def read_relations(graph: Graph) -> list[RelationRecord]:
    """Return every extracted statement in ``graph``, negated ones included.

    Parameters
    ----------
    graph : rdflib.Graph
        A graph built by :func:`graphkit.rdf.mapping.to_rdf` (or read back from one of its exports).

    Returns
    -------
    list of RelationRecord
        One per ``rdf:Statement`` whose subject, predicate and object are IRIs, sorted by document,
        sentence, subject, lemma, object.

    Examples
    --------
    >>> from graphkit.types import Argument, Document, Extraction, Predicate, Provenance, Triple
    >>> from graphkit.rdf.mapping import to_rdf
    >>> triple = Triple(
    ...     subject=Argument("Rebels", "rebels", "Group", "Rebels", 0, 6),
    ...     predicate=Predicate("killed", "kill", "killed", 7, 13),
    ...     object=Argument("officer", "officer", "Group", "an officer", 14, 24),
    ...     provenance=Provenance("a1", 0, "Rebels killed an officer.", 0, 25, "svo"),
    ...     confidence=0.75,
    ... )
    >>> graph = to_rdf([Extraction(Document("a1", "Rebels killed an officer."), 1, triples=(triple,))])
    >>> [(r.subject_key, r.label, r.object_key, r.confidence) for r in read_relations(graph)]
    [('rebels', 'killed', 'officer', 0.75)]
    """
    categorized = (None, GK.category, None) in graph
    statements = set(graph.subjects(RDF.type, RDF.Statement))
    records = (_relation(graph, statement, categorized) for statement in statements)
    return sorted(
        (record for record in records if record is not None),
        key=lambda r: (r.doc_id, r.sentence, r.subject_key, r.lemma, r.object_key, r.statement),
    )


def _relation(graph: Graph, statement: Node, categorized: bool) -> RelationRecord | None:
    subject = graph.value(statement, RDF.subject)
    relation = graph.value(statement, RDF.predicate)
    obj = graph.value(statement, RDF.object)
    if not (isinstance(subject, URIRef) and isinstance(relation, URIRef) and isinstance(obj, URIRef)):
        return None

    def text(predicate: URIRef, default: str | None = "") -> str | None:
        return _text(graph, statement, predicate, default)

    def integer(predicate: URIRef) -> int:
        return int(_python(graph, statement, predicate, 0))

    doc_id, doc_title, doc_date, doc_url = _document(graph, graph.value(statement, PROV.wasDerivedFrom))
    lemma = text(GK.predicateLemma, local_name(relation))
    return RelationRecord(
        statement=str(statement),
        subject=str(subject),
        subject_key=_key(subject),
        relation=str(relation),
        label=text(GK.predicateLabel, None) or _text(graph, relation, RDFS.label, lemma),
        lemma=lemma,
        object=str(obj),
        object_key=_key(obj),
        negated=bool(_python(graph, statement, GK.negated, False)),
        confidence=float(_python(graph, statement, GK.confidence, 1.0)),
        pattern=text(GK.pattern),
        doc_id=doc_id,
        doc_title=doc_title,
        doc_date=doc_date,
        doc_url=doc_url,
        sentence=integer(GK.sentenceIndex),
        evidence=text(GK.evidence),
        sentence_start=integer(GK.sentenceStart),
        sentence_end=integer(GK.sentenceEnd),
        subject_text=text(GK.subjectText),
        subject_start=integer(GK.subjectStart),
        subject_end=integer(GK.subjectEnd),
        predicate_text=text(GK.predicateText),
        predicate_start=integer(GK.predicateStart),
        predicate_end=integer(GK.predicateEnd),
        object_text=text(GK.objectText),
        object_start=integer(GK.objectStart),
        object_end=integer(GK.objectEnd),
        subject_quantity=text(GK.subjectQuantity, None),
        object_quantity=text(GK.objectQuantity, None),
        categories=_categories(graph, statement) if categorized else None,
    )


def _categories(graph: Graph, statement: Node) -> tuple[str, ...]:
    return tuple(sorted({local_name(category) for category in graph.objects(statement, GK.category)}))
