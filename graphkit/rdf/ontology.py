"""The graphkit ontology as Python sees it: the terms ``ontologies/graphkit.ttl`` declares, and nothing else.

Code never spells an ontology IRI: it asks :data:`GK` for a term by name, and a name the ontology does
not declare raises :class:`~graphkit.errors.OntologyError` listing the close valid ones.
"""

from __future__ import annotations

import difflib
from functools import cache

import rdflib  # rdflib.XSD, not a bare XSD global: pytest's doctest finder makes that warn
from rdflib import OWL, RDF, RDFS, Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS, ClosedNamespace

from graphkit.errors import OntologyError
from graphkit.identity import ONTOLOGY_NS, PREFIXES
from graphkit.resources import ontology_file

__all__ = [
    "DCTERMS",
    "GK",
    "PROV",
    "SCHEMA",
    "SKOS",
    "actor_class",
    "actor_class_names",
    "bind_prefixes",
    "local_name",
    "ontology_graph",
]

SCHEMA = Namespace("https://schema.org/")

# Prefixes written into every graph graphkit builds, besides graphkit's own (graphkit.identity.PREFIXES).
_STANDARD_PREFIXES = {
    "prov": PROV,
    "skos": SKOS,
    "schema": SCHEMA,
    "dcterms": DCTERMS,
    "owl": OWL,
    "xsd": rdflib.XSD,
}

# The kinds of declaration that make a name a term of the ontology.
_TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


@cache
def ontology_graph() -> Graph:
    """Return the packaged ontology, parsed once per process.

    Returns
    -------
    rdflib.Graph
        The triples of ``ontologies/graphkit.ttl``. Shared: do not modify it.

    Examples
    --------
    >>> from rdflib import OWL, RDF
    >>> (GK.Person, RDF.type, OWL.Class) in ontology_graph()
    True
    """
    resource = ontology_file()
    try:
        return Graph().parse(data=resource.read_text(encoding="utf-8"), format="turtle")
    except Exception as error:  # rdflib raises several unrelated types for a malformed file
        detail = " ".join(str(error).split())[:200] or type(error).__name__
        raise OntologyError(f"the packaged ontology {resource.name!r} cannot be parsed: {detail}") from error


def _declared_terms(graph: Graph) -> list[str]:
    names = {
        str(subject)[len(ONTOLOGY_NS) :]
        for kind in _TERM_TYPES
        for subject in graph.subjects(RDF.type, kind)
        if isinstance(subject, URIRef) and str(subject).startswith(ONTOLOGY_NS)
    }
    if not names:
        raise OntologyError(f"the packaged ontology declares no term in {ONTOLOGY_NS!r}; reinstall graphkit")
    return sorted(names)


def _unknown_term(name: str, choices: list[str], what: str) -> OntologyError:
    close = difflib.get_close_matches(name, choices, n=5, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}?" if close else f"valid terms: {', '.join(choices)}"
    return OntologyError(f"{name!r} is not {what} declared in the graphkit ontology; {hint}")


class OntologyNamespace(ClosedNamespace):
    """A closed namespace whose unknown terms raise :class:`~graphkit.errors.OntologyError`.

    Examples
    --------
    >>> GK.Person
    rdflib.term.URIRef('https://w3id.org/graphkit/ontology#Person')
    >>> GK["relatedTo"] in GK
    True
    >>> GK.Persn  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graphkit.errors.OntologyError: 'Persn' is not a term declared ...; did you mean Person, pattern?
    """

    def term(self, name: str) -> URIRef:
        try:
            return super().term(name)
        except KeyError:
            raise _unknown_term(name, dir(self), "a term") from None

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("_"):  # Python and tools probe private names; those are never terms
            raise AttributeError(name)
        return self.term(name)


GK = OntologyNamespace(ONTOLOGY_NS, _declared_terms(ontology_graph()))
"""The terms of the graphkit ontology (``gk:``), read from the packaged Turtle file."""


@cache
def actor_class_names() -> tuple[str, ...]:
    """Return the local names of gk:Actor and every class below it, sorted.

    Examples
    --------
    >>> "Person" in actor_class_names(), "Document" in actor_class_names()
    (True, False)
    """
    graph = ontology_graph()
    classes = graph.transitive_subjects(RDFS.subClassOf, GK.Actor)
    return tuple(sorted(local_name(c) for c in classes if str(c).startswith(ONTOLOGY_NS)))


def actor_class(name: str) -> URIRef:
    """Return the ontology class for an actor type such as ``"Person"``.

    Parameters
    ----------
    name : str
        Local name of gk:Actor or one of its subclasses, as carried in :attr:`graphkit.types.Actor.type`.

    Returns
    -------
    rdflib.URIRef
        The class IRI.

    Raises
    ------
    OntologyError
        When ``name`` is not an actor class of the ontology; the message lists close valid names.

    Examples
    --------
    >>> actor_class("ArmedGroup")
    rdflib.term.URIRef('https://w3id.org/graphkit/ontology#ArmedGroup')
    >>> actor_class("Document")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graphkit.errors.OntologyError: 'Document' is not an actor class declared in the graphkit ontology; ...
    """
    choices = list(actor_class_names())
    if name not in choices:
        raise _unknown_term(name, choices, "an actor class")
    return GK[name]


def local_name(iri: str) -> str:
    """Return the part of ``iri`` after its last ``#`` or ``/``.

    >>> local_name("https://w3id.org/graphkit/ontology#Person")
    'Person'
    >>> local_name("https://w3id.org/graphkit/actor/john-kerry")
    'john-kerry'
    """
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def bind_prefixes(graph: Graph) -> Graph:
    """Bind graphkit's prefixes (gk, gka, gkr, gkd, gks) and the standard ones it uses on ``graph``.

    Parameters
    ----------
    graph : rdflib.Graph
        Bound in place (prefixes are serialization hints, not data).

    Returns
    -------
    rdflib.Graph
        The same graph, for chaining.

    Examples
    --------
    >>> from rdflib import Graph
    >>> dict(bind_prefixes(Graph()).namespaces())["gka"]
    rdflib.term.URIRef('https://w3id.org/graphkit/actor/')
    """
    for prefix, namespace in {**PREFIXES, **_STANDARD_PREFIXES}.items():
        graph.bind(prefix, Namespace(str(namespace)), override=True, replace=True)
    return graph
