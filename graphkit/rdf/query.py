"""SPARQL over a graph file, an Oxigraph store or an endpoint, with users' values bound, never pasted.

Queries see the union of all graphs as their default graph and may use graphkit's prefixes (``gk:``,
``gka:``, ``gkr:``, ``gkd:``, ``gks:``, ``gkb:``, ``prov:``, ``skos:``, ``schema:``, ``dcterms:``, ``rdf:``,
``rdfs:``, ``owl:``, ``xsd:``) without declaring them. A few analyst questions are kept by name in
:data:`NAMED_QUERIES`.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.term import Node

from graphkit.errors import InputError
from graphkit.rdf.formats import serialize
from graphkit.rdf.store import PREFIXES, GraphStore, open_source

__all__ = [
    "NAMED_QUERIES",
    "QUERY_FORMATS",
    "NamedQuery",
    "QueryResult",
    "format_result",
    "query",
    "run_query",
]


@dataclass(frozen=True)
class NamedQuery:
    """An analyst question kept by name: its SPARQL and the variables a user binds (``--bind``)."""

    description: str
    sparql: str
    parameters: tuple[str, ...] = ()


NAMED_QUERIES: dict[str, NamedQuery] = {
    "top-actors": NamedQuery(
        "The 20 actors with most relations (distinct subject-relation-object, not negated), with their "
        "number of evidence sentences.",
        """
        SELECT ?actor (SAMPLE(?name) AS ?label) (COUNT(DISTINCT ?link) AS ?degree)
               (COUNT(DISTINCT ?statement) AS ?statements)
        WHERE {
          ?statement rdf:subject ?subject ; rdf:predicate ?relation ; rdf:object ?object ;
                     gk:negated false .
          VALUES ?end { rdf:subject rdf:object }
          ?statement ?end ?actor .
          ?actor skos:prefLabel ?name .
          BIND(CONCAT(STR(?subject), " ", STR(?relation), " ", STR(?object)) AS ?link)
        }
        GROUP BY ?actor
        ORDER BY DESC(?degree) DESC(?statements) ?actor
        LIMIT 20
        """,
    ),
    "relations-between": NamedQuery(
        "Every relation read between two actors, either way, named by a label or an alias "
        "(bind first and second).",
        """
        SELECT ?first ?second ?subject ?relation ?object ?negated ?confidence ?document ?sentence ?evidence
        WHERE {
          ?a skos:prefLabel|skos:altLabel ?first .
          ?b skos:prefLabel|skos:altLabel ?second .
          { ?statement rdf:subject ?a ; rdf:object ?b } UNION { ?statement rdf:subject ?b ; rdf:object ?a }
          ?statement rdf:subject ?s ; rdf:object ?o ; gk:predicateLabel ?relation ; gk:negated ?negated ;
                     gk:confidence ?confidence ; gk:sentenceIndex ?sentence ; gk:evidence ?evidence ;
                     prov:wasDerivedFrom ?doc .
          ?s skos:prefLabel ?subject .
          ?o skos:prefLabel ?object .
          ?doc dcterms:identifier ?document .
        }
        ORDER BY ?document ?sentence ?subject ?relation ?object
        """,
        ("first", "second"),
    ),
    "reported-by": NamedQuery(
        "Everything a source reported: statements attributed to an actor of that label or alias "
        "('the Observatory said...'), or read in documents of that news source (bind source).",
        """
        SELECT ?source ?subject ?relation ?object ?negated ?document ?sentence ?evidence
        WHERE {
          {
            ?reporter skos:prefLabel|skos:altLabel ?source .
            ?statement gk:attributedTo ?reporter .
          } UNION {
            ?doc gk:source ?source .
            ?statement prov:wasDerivedFrom ?doc .
          }
          ?statement rdf:subject ?s ; rdf:object ?o ; gk:predicateLabel ?relation ; gk:negated ?negated ;
                     gk:sentenceIndex ?sentence ; gk:evidence ?evidence ; prov:wasDerivedFrom ?read .
          ?s skos:prefLabel ?subject .
          ?o skos:prefLabel ?object .
          ?read dcterms:identifier ?document .
        }
        ORDER BY ?document ?sentence ?subject ?relation ?object
        """,
        ("source",),
    ),
}
"""Analyst questions by name; run one with ``graphkit query TARGET NAME --bind var=value``."""


@dataclass(frozen=True)
class QueryResult:
    """A query's answer as plain values.

    SELECT fills ``variables`` and ``rows`` (IRIs as full strings, literals as their text, ``None`` for
    unbound); ASK fills ``boolean``; CONSTRUCT and DESCRIBE fill ``turtle``.
    """

    variables: tuple[str, ...] = ()
    rows: tuple[tuple[str | None, ...], ...] = ()
    boolean: bool | None = None
    turtle: str | None = None


_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|\\^`]')


def _term(value: str) -> Node:
    """A bound value: ``<...>`` is an IRI, anything else a plain string literal."""
    if value.startswith("<") and value.endswith(">"):
        iri = value[1:-1]
        if not iri or _IRI_FORBIDDEN.search(iri):
            raise InputError(
                f"cannot bind {value!r}: not an IRI (no spaces, quotes, braces or angle brackets)"
            )
        return URIRef(iri)
    return Literal(value)


_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def query(store: GraphStore, sparql: str, bindings: Mapping[str, str] | None = None) -> QueryResult:
    """Run a SPARQL query (or the name of one of :data:`NAMED_QUERIES`) on an open store.

    Parameters
    ----------
    store : graphkit.rdf.store.GraphStore
        An open store (:func:`graphkit.rdf.store.open_source`).
    sparql : str
        SPARQL 1.1 query text, or a key of :data:`NAMED_QUERIES`.
    bindings : mapping of str to str, optional
        Values for variables the query selects, by variable name without ``?``: ``"<...>"`` is an IRI,
        anything else a string literal. Bound through the store's API, never pasted into the text.

    Returns
    -------
    QueryResult

    Raises
    ------
    InputError
        For invalid SPARQL, a bad variable name or a named query's missing parameter.
    """
    bindings = dict(bindings or {})
    named = NAMED_QUERIES.get(sparql.strip())
    if named is not None:
        missing = [name for name in named.parameters if name not in bindings]
        if missing:
            raise InputError(
                f"query {sparql.strip()!r} needs {', '.join(missing)}: "
                + " ".join(f"--bind {name}=VALUE" for name in missing)
            )
        sparql = named.sparql
    for name in bindings:
        if not _VARIABLE.fullmatch(name):
            raise InputError(f"cannot bind {name!r}: a variable name is letters, digits and _ (no '?')")
    terms = {name: _term(value) for name, value in bindings.items()}
    try:
        answer = store.answer(sparql, terms)
    except (ValueError, RuntimeError) as error:  # the engine refusing a binding, e.g. an unselected variable
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise InputError(f"cannot run the query with these bindings: {first_line}") from error
    if answer.kind == "ask":
        return QueryResult(boolean=answer.boolean)
    if answer.kind == "graph":
        return QueryResult(turtle=serialize(answer.graph, "ttl") if answer.graph is not None else "")
    rows = tuple(tuple(None if value is None else str(value) for value in row) for row in answer.rows)
    return QueryResult(variables=answer.variables, rows=rows)


def run_query(location: str, sparql: str, bindings: Mapping[str, str] | None = None) -> QueryResult:
    """Open ``location`` (an RDF file, an Oxigraph directory or an endpoint URL) and run one query on it.

    Parameters
    ----------
    location : str
        See :func:`graphkit.rdf.store.open_source`.
    sparql, bindings
        See :func:`query`.

    Returns
    -------
    QueryResult

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from graphkit.types import Actor, Document, Extraction
    >>> from graphkit.rdf.formats import write_graph
    >>> from graphkit.rdf.mapping import to_rdf
    >>> kerry = Actor("john-kerry", "John Kerry", "Person", aliases=("Kerry",))
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "graph.ttl"
    >>> _ = write_graph(to_rdf([Extraction(Document("a1", "..."), 1, actors=(kerry,))]), path)
    >>> result = run_query(str(path), "SELECT ?actor ?alias WHERE { ?actor skos:altLabel ?alias }")
    >>> result.rows
    (('https://w3id.org/graphkit/actor/john-kerry', 'Kerry'),)
    >>> run_query(str(path), "ASK { ?actor skos:prefLabel ?name }", {"name": "Kerry"}).boolean
    False
    """
    with open_source(location) as store:
        return query(store, sparql, bindings)


# --- output formats -----------------------------------------------------------------------------------------


def _short(value: str | None, namespaces: list[tuple[str, str]]) -> str:
    if value is None:
        return ""
    for prefix, namespace in namespaces:
        if value.startswith(namespace) and "/" not in value[len(namespace) :]:
            return f"{prefix}:{value[len(namespace) :]}"
    return value


def _table(result: QueryResult, width: int = 60) -> str:
    namespaces = sorted(PREFIXES.items(), key=lambda entry: -len(entry[1]))
    cells = [
        [
            (text if len(text) <= width else text[: width - 1] + "…")
            for text in (_short(v, namespaces) for v in row)
        ]
        for row in result.rows
    ]
    widths = [max([len(name), *(len(row[i]) for row in cells)]) for i, name in enumerate(result.variables)]
    lines = ["  ".join(name.ljust(w) for name, w in zip(result.variables, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _csv(result: QueryResult) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(result.variables)
    writer.writerows(["" if value is None else value for value in row] for row in result.rows)
    return buffer.getvalue()


def _json(result: QueryResult) -> str:
    rows = [dict(zip(result.variables, row, strict=True)) for row in result.rows]
    return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"


QUERY_FORMATS: dict[str, Callable[[QueryResult], str]] = {"table": _table, "csv": _csv, "json": _json}
"""How SELECT results are printed: an aligned ``table`` (IRIs shortened), ``csv``, or ``json`` objects."""


def format_result(result: QueryResult, format: str = "table") -> str:
    """Return a query result as text.

    SELECT rows in ``format`` (a key of :data:`QUERY_FORMATS`); ASK as ``true``/``false`` (JSON when
    ``format`` is ``json``); CONSTRUCT and DESCRIBE as Turtle.

    Examples
    --------
    >>> result = QueryResult(("actor", "n"), (("https://w3id.org/graphkit/actor/john-kerry", "3"),))
    >>> print(format_result(result), end="")
    actor           n
    --------------  -
    gka:john-kerry  3
    (1 row)
    >>> print(format_result(result, "csv"), end="")
    actor,n
    https://w3id.org/graphkit/actor/john-kerry,3
    """
    if format not in QUERY_FORMATS:
        raise InputError(f"unknown query output format {format!r}; choose one of {', '.join(QUERY_FORMATS)}")
    if result.turtle is not None:
        return result.turtle
    if result.boolean is not None:
        return json.dumps(result.boolean) + "\n"
    return QUERY_FORMATS[format](result)
