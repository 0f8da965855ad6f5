"""Extractions to RDF: documents, actors, relations and one reified statement per relation read.

The graph has two layers. The direct layer asserts what was read: ``actor relation actor``, with the
relation a property under ``https://w3id.org/graphkit/relation/`` declared as a sub-property of
gk:relatedTo. The statement layer keeps, for every triple, an ``rdf:Statement`` with its evidence: the
document, the sentence, the words and offsets, the rule and the confidence. A negated triple ("did not
attack") gets only the statement (with gk:negated true), never the direct assertion. Given the build that
made the extractions, the graph also records it as a gk:Build (PROV-O activity) the statements came from.

Relation categories (the ontology's gk:RelationCategory concepts: gk:attack, gk:member-of...) are linked
with gk:category from each statement and from its relation property. A relation property's categories
follow from its lemma, so every statement of one property has the same ones; they are a gk:category link
rather than skos:broader because a relation property is an OWL property, not a SKOS concept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

import rdflib  # rdflib.XSD, not a bare XSD global: pytest's doctest finder makes that warn
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

from graphkit import identity
from graphkit.errors import OntologyError
from graphkit.rdf.ontology import DCTERMS, GK, PROV, SCHEMA, SKOS, actor_class, bind_prefixes
from graphkit.rdf.read import read_categories
from graphkit.types import Actor, Argument, BuildActivity, Document, Extraction, Triple

__all__ = ["rename_build", "to_rdf"]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def to_rdf(
    extractions: Iterable[Extraction], graph: Graph | None = None, *, activity: BuildActivity | None = None
) -> Graph:
    """Map extractions to an RDF graph.

    Parameters
    ----------
    extractions : iterable of graphkit.types.Extraction
        What was extracted, one per document. Read once.
    graph : rdflib.Graph, optional
        A graph to add to; a new one when omitted. Nothing already in it is removed: an actor it knows
        keeps its type and preferred label (other labels become aliases), a statement it holds is kept.
    activity : graphkit.types.BuildActivity, optional
        The build that made the extractions: written as a gk:Build (a ``prov:Activity``) that
        ``prov:used`` each document and that every statement ``prov:wasGeneratedBy``.

    Returns
    -------
    rdflib.Graph
        ``graph`` (or the new graph) with graphkit's prefixes bound. The same extractions always give an
        isomorphic graph.

    Raises
    ------
    OntologyError
        When an actor's ``type`` is not an actor class of the ontology, or a triple's category not one of
        its relation categories.

    Examples
    --------
    >>> from graphkit.types import Argument, Document, Extraction, Predicate, Provenance, Triple
    >>> text = "Rebels killed an officer."
    >>> triple = Triple(
    ...     subject=Argument("rebels", "rebels", "Group", "Rebels", 0, 6),
    ...     predicate=Predicate("killed", "kill", "killed", 7, 13),
    ...     object=Argument("officer", "officer", "Group", "an officer", 14, 24),
    ...     provenance=Provenance("a1", 0, text, 0, 25, "nsubj-verb-dobj"),
    ...     confidence=0.9,
    ... )
    >>> graph = to_rdf([Extraction(Document("a1", text), sentences=1, triples=(triple,))])
    >>> from rdflib import URIRef
    >>> kill = URIRef("https://w3id.org/graphkit/relation/kill")
    >>> [str(o) for o in graph.objects(URIRef("https://w3id.org/graphkit/actor/rebels"), kill)]
    ['https://w3id.org/graphkit/actor/officer']
    """
    graph = bind_prefixes(Graph() if graph is None else graph)
    build = URIRef(identity.build_iri(activity.id)) if activity else None
    actors: dict[str, Actor] = {}
    for extraction in extractions:
        document = _add_document(graph, extraction.document)
        if build is not None:
            graph.add((build, PROV.used, document))
        for actor in _actors_of(extraction):
            actors[actor.key] = _merge(actors[actor.key], actor) if actor.key in actors else actor
        for triple in extraction.triples:
            _add_triple(graph, triple, build)
    for actor in actors.values():
        _add_actor(graph, actor)
    if activity is not None:
        _add_activity(graph, activity)
    return graph


def rename_build(graph: Graph, provisional: BuildActivity, final: BuildActivity) -> Graph:
    """Turn the record of a build still running into its final one, in place.

    A build that streams its documents into ``graph`` (:func:`to_rdf` one document at a time) links them
    to a ``provisional`` record before it knows its end time, or, for a reproducible build, its id. The
    provisional record's facts are replaced by ``final``'s and every link to or from it moves to it.

    Returns
    -------
    rdflib.Graph
        ``graph``.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from graphkit.types import Document, Extraction
    >>> when = datetime(2024, 1, 1, tzinfo=UTC)
    >>> running, done = BuildActivity("running", when, when, "1"), BuildActivity("done", when, when, "1")
    >>> graph = to_rdf([Extraction(Document("a1", "Hi."), sentences=1)], activity=running)
    >>> _ = rename_build(graph, running, done)
    >>> [str(build).rsplit("/", 1)[-1] for build in graph.subjects(RDF.type, GK.Build)]
    ['done']
    """
    old = URIRef(identity.build_iri(provisional.id))
    new = URIRef(identity.build_iri(final.id))
    for triple in list(graph.triples((old, None, None))):
        graph.remove(triple)
        if triple[1] == PROV.used:
            graph.add((new, PROV.used, triple[2]))
    for subject, predicate, _old in list(graph.triples((None, None, old))):
        graph.remove((subject, predicate, old))
        graph.add((subject, predicate, new))
    _add_activity(graph, final)
    return graph


def _add_activity(graph: Graph, activity: BuildActivity) -> None:
    node = URIRef(identity.build_iri(activity.id))
    facts = [
        (RDF.type, GK.Build),
        (RDF.type, PROV.Activity),
        (PROV.startedAtTime, Literal(activity.started)),
        (PROV.endedAtTime, Literal(activity.ended)),
        (GK.graphkitVersion, Literal(activity.version)),
    ]
    if activity.model:
        facts.append((GK.model, Literal(activity.model)))
    for predicate, value in facts:
        graph.add((node, predicate, value))


def _actors_of(extraction: Extraction) -> list[Actor]:
    """The document's actors, then those only seen as a triple's argument (which carry no aliases)."""
    listed = {actor.key for actor in extraction.actors}
    arguments = [
        Actor(key=argument.key, label=argument.label, type=argument.type)
        for triple in extraction.triples
        for argument in (triple.subject, triple.object, triple.attribution)
        if argument is not None and argument.key not in listed
    ]
    return [*extraction.actors, *arguments]


def _merge(first: Actor, other: Actor) -> Actor:
    """One actor from two sightings: the first label and type win, every other name becomes an alias."""
    aliases = {*first.aliases, *other.aliases, other.label} - {first.label}
    return replace(first, aliases=tuple(sorted(aliases)), roles=tuple(sorted({*first.roles, *other.roles})))


def _date_literal(date: str) -> Literal:
    """An ISO calendar date is typed xsd:date; anything else is kept as written."""
    return Literal(date, datatype=rdflib.XSD.date) if _ISO_DATE.fullmatch(date) else Literal(date)


def _add_document(graph: Graph, document: Document) -> URIRef:
    node = URIRef(identity.document_iri(document.id))
    graph.add((node, RDF.type, GK.Document))
    graph.add((node, RDF.type, PROV.Entity))
    graph.add((node, DCTERMS.identifier, Literal(document.id)))
    metadata = (
        (DCTERMS.title, document.title, Literal),
        (DCTERMS.date, document.date, _date_literal),
        (SCHEMA.url, document.url, lambda url: Literal(url, datatype=rdflib.XSD.anyURI)),
        (GK.source, document.source, Literal),
    )
    for predicate, value, literal in metadata:
        if value:
            graph.add((node, predicate, literal(value)))
    return node


def _add_actor(graph: Graph, actor: Actor) -> None:
    node = URIRef(identity.actor_iri(actor.key))
    cls = actor_class(actor.type)
    if graph.value(node, RDF.type) is None:
        graph.add((node, RDF.type, cls))
    preferred = graph.value(node, SKOS.prefLabel)
    if preferred is None:
        preferred = Literal(actor.label)
        graph.add((node, SKOS.prefLabel, preferred))
        graph.add((node, RDFS.label, preferred))
    for alias in sorted({actor.label, *actor.aliases} - {str(preferred)}):
        graph.add((node, SKOS.altLabel, Literal(alias)))
    for role in actor.roles:
        graph.add((node, GK.role, Literal(role)))


def _category(name: str) -> URIRef:
    """The IRI of a relation category the ontology declares (a triple carries its local name)."""
    if name not in read_categories():
        choices = ", ".join(read_categories())
        raise OntologyError(f"{name!r} is not a relation category of the graphkit ontology; valid: {choices}")
    return URIRef(identity.category_iri(name))


def _add_relation_property(graph: Graph, relation: URIRef, label: str, categories: list[URIRef]) -> None:
    """Declare a relation property below gk:relatedTo, linked to its categories with gk:category."""
    graph.add((relation, RDF.type, OWL.ObjectProperty))
    graph.add((relation, RDFS.subPropertyOf, GK.relatedTo))
    if graph.value(relation, RDFS.label) is None:
        graph.add((relation, RDFS.label, Literal(label)))
    for category in categories:
        graph.add((relation, GK.category, category))


def _argument_facts(argument: Argument, role: str) -> list[tuple[URIRef, Literal]]:
    """The words standing for one end of the relation, with ``role`` "subject" or "object"."""
    facts = [
        (GK[f"{role}Text"], Literal(argument.text)),
        (GK[f"{role}Start"], Literal(argument.start)),
        (GK[f"{role}End"], Literal(argument.end)),
    ]
    if argument.quantity:
        facts.append((GK[f"{role}Quantity"], Literal(argument.quantity)))
    return facts


def _add_triple(graph: Graph, triple: Triple, build: URIRef | None) -> None:
    subject = URIRef(identity.actor_iri(triple.subject.key))
    obj = URIRef(identity.actor_iri(triple.object.key))
    relation = URIRef(identity.relation_iri(triple.predicate.lemma))
    categories = [_category(name) for name in triple.categories]
    _add_relation_property(graph, relation, triple.predicate.label, categories)
    if not triple.negated:
        graph.add((subject, relation, obj))

    provenance = triple.provenance
    keys = (triple.subject.key, triple.predicate.lemma, triple.object.key)
    statement = URIRef(identity.statement_iri(provenance.doc_id, provenance.sentence, *keys))
    # The statement IRI names the evidence (document, sentence, subject, verb, object): the first reading
    # of that evidence is kept, so a second rule matching the same words does not give it two confidences.
    if (statement, RDF.type, RDF.Statement) in graph:
        return
    predicate = triple.predicate
    facts = [
        (RDF.type, RDF.Statement),
        (RDF.subject, subject),
        (RDF.predicate, relation),
        (RDF.object, obj),
        (PROV.wasDerivedFrom, URIRef(identity.document_iri(provenance.doc_id))),
        (GK.evidence, Literal(provenance.evidence)),
        (GK.sentenceIndex, Literal(provenance.sentence)),
        (GK.sentenceStart, Literal(provenance.sentence_start)),
        (GK.sentenceEnd, Literal(provenance.sentence_end)),
        (GK.predicateLabel, Literal(predicate.label)),
        (GK.predicateLemma, Literal(predicate.lemma)),
        (GK.predicateText, Literal(predicate.text)),
        (GK.predicateStart, Literal(predicate.start)),
        (GK.predicateEnd, Literal(predicate.end)),
        *_argument_facts(triple.subject, "subject"),
        *_argument_facts(triple.object, "object"),
        (GK.confidence, Literal(float(triple.confidence), datatype=rdflib.XSD.double)),
        (GK.negated, Literal(bool(triple.negated))),
        (GK.pattern, Literal(provenance.pattern)),
        *((GK.category, category) for category in categories),
    ]
    if triple.modality:
        facts.append((GK.modality, Literal(triple.modality)))
    if triple.attribution:
        facts.append((GK.attributedTo, URIRef(identity.actor_iri(triple.attribution.key))))
    if build is not None:
        facts.append((PROV.wasGeneratedBy, build))
    for predicate_iri, value in facts:
        graph.add((statement, predicate_iri, value))
