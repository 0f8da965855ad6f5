"""SHACL validation: a graph against ``ontologies/shapes.ttl``, with pySHACL, as plain readable records."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pyshacl
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from graphkit.errors import OntologyError
from graphkit.rdf.dataset import union_graph
from graphkit.rdf.ontology import bind_prefixes, ontology_graph
from graphkit.rdf.store import read_source
from graphkit.resources import ontology_file

__all__ = ["ValidationReport", "Violation", "format_report", "shapes_graph", "validate", "validate_graph"]


@dataclass(frozen=True)
class Violation:
    """One way a node breaks a shape, as prefixed names and text.

    ``focus`` is the node that breaks it, ``path`` the property (``None`` for a node-level constraint),
    ``value`` the offending value when there is one, ``message`` what the shape asks for and ``severity``
    SHACL's ``Violation``, ``Warning`` or ``Info``.
    """

    focus: str
    path: str | None
    value: str | None
    message: str
    severity: str


@dataclass(frozen=True)
class ValidationReport:
    """The result of :func:`validate_graph`: whether the graph conforms, and every violation, sorted."""

    conforms: bool
    violations: tuple[Violation, ...]
    triples: int


@cache
def shapes_graph() -> Graph:
    """Return the packaged SHACL shapes (``ontologies/shapes.ttl``), parsed once per process.

    Examples
    --------
    >>> from rdflib.namespace import SH
    >>> len(set(shapes_graph().subjects(RDF.type, SH.NodeShape))) >= 5
    True
    """
    resource = ontology_file("shapes.ttl")
    try:
        return Graph().parse(data=resource.read_text(encoding="utf-8"), format="turtle")
    except Exception as error:  # rdflib raises several unrelated types for a malformed file
        detail = " ".join(str(error).split())[:200] or type(error).__name__
        raise OntologyError(f"the packaged shapes {resource.name!r} cannot be parsed: {detail}") from error


def _name(graph: Graph, node: Node | None) -> str | None:
    """A node as a prefixed name where a prefix fits, an IRI in angle brackets, or a literal's text."""
    if node is None:
        return None
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.curie(node, generate=False)
        except (KeyError, ValueError):
            return f"<{node}>"
    return node.n3(graph.namespace_manager) if not isinstance(node, URIRef) else str(node)


def validate_graph(graph: Graph) -> ValidationReport:
    """Check ``graph`` against graphkit's SHACL shapes.

    Parameters
    ----------
    graph : rdflib.Graph or rdflib.Dataset
        The graph (a dataset's graphs are checked as one union). Not modified. The ontology is added to a
        copy, so that a gk:Person counts as a gk:Actor.

    Returns
    -------
    ValidationReport
        ``conforms`` and the violations, sorted by focus node, path and message.

    Examples
    --------
    >>> from rdflib import Literal
    >>> from graphkit.rdf.ontology import GK
    >>> graph = Graph()
    >>> _ = graph.add((URIRef("https://w3id.org/graphkit/actor/kerry"), RDF.type, GK.Person))
    >>> report = validate_graph(graph)
    >>> report.conforms, [(v.focus, v.path) for v in report.violations]
    (False, [('gka:kerry', 'rdfs:label'), ('gka:kerry', 'skos:prefLabel')])
    """
    data = bind_prefixes(union_graph(graph))
    conforms, results, _text = pyshacl.validate(
        data,
        shacl_graph=shapes_graph(),
        ont_graph=ontology_graph(),
        inference="none",
        allow_warnings=True,
    )
    violations = sorted(
        (
            Violation(
                focus=_name(data, results.value(result, SH.focusNode)) or "",
                path=_name(data, results.value(result, SH.resultPath)),
                value=_name(data, results.value(result, SH.value)),
                message=str(results.value(result, SH.resultMessage) or "breaks a shape"),
                severity=_name(Graph(), results.value(result, SH.resultSeverity)) or "",
            )
            for result in results.subjects(RDF.type, SH.ValidationResult)
        ),
        key=lambda v: (v.focus, v.path or "", v.message, v.value or ""),
    )
    return ValidationReport(conforms=bool(conforms), violations=tuple(violations), triples=len(data))


def validate(location: str) -> ValidationReport:
    """Check the graph at ``location`` (an RDF file, an Oxigraph directory or an endpoint URL).

    See :func:`validate_graph`; a store is checked as the union of its graphs.
    """
    return validate_graph(read_source(location))


def format_report(report: ValidationReport) -> str:
    """Return a report as text: one line per violation, then a closing count.

    Examples
    --------
    >>> violation = Violation("gka:x", "skos:prefLabel", None, "needs a label", "sh:Violation")
    >>> report = ValidationReport(False, (violation,), 3)
    >>> print(format_report(report))
    gka:x skos:prefLabel: needs a label
    1 violation in 3 triples
    """
    lines = []
    for violation in report.violations:
        where = f"{violation.focus} {violation.path}" if violation.path else violation.focus
        shown = violation.value and violation.value != violation.focus
        value = f" (value {violation.value})" if shown else ""
        severity = "" if violation.severity in ("sh:Violation", "") else f" [{violation.severity}]"
        lines.append(f"{where}: {violation.message}{value}{severity}")
    count = len(report.violations)
    if report.conforms and not count:
        lines.append(f"conforms: {report.triples} triples, no violation")
    else:
        lines.append(f"{count} violation{'s' if count != 1 else ''} in {report.triples} triples")
    return "\n".join(lines)
