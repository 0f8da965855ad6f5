"""RDF files in and out: a registry of formats, serialization, atomic writes and forgiving-nothing reads."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph

from graphkit.errors import InputError, OutputError
from graphkit.fileio import atomic_write_text
from graphkit.rdf.dataset import default_graph, document_graphs, is_dataset, union_graph
from graphkit.rdf.ontology import bind_prefixes

__all__ = [
    "FORMATS",
    "RdfFormat",
    "format_for_path",
    "read_dataset",
    "read_graph",
    "serialize",
    "write_graph",
]


@dataclass(frozen=True)
class RdfFormat:
    """One RDF syntax graphkit reads and writes.

    ``rdflib_name`` is rdflib's plugin name; ``extensions`` the file suffixes that select it (the first
    is the one to write); ``quads`` marks syntaxes that carry named graphs (one per document, see
    :mod:`graphkit.rdf.dataset`).
    """

    name: str
    rdflib_name: str
    extensions: tuple[str, ...]
    quads: bool = False


FORMATS: dict[str, RdfFormat] = {
    entry.name: entry
    for entry in (
        RdfFormat("ttl", "turtle", (".ttl",)),
        RdfFormat("nt", "nt", (".nt",)),
        RdfFormat("jsonld", "json-ld", (".jsonld", ".json")),
        RdfFormat("trig", "trig", (".trig",), quads=True),
        RdfFormat("nq", "nquads", (".nq",), quads=True),
        RdfFormat("xml", "xml", (".rdf", ".xml", ".owl")),
    )
}
"""The RDF formats by short name: ``ttl``, ``nt``, ``jsonld``, ``trig``, ``nq``, ``xml``."""


def _choices() -> str:
    return ", ".join(FORMATS)


def _lookup(name: str, error: type[InputError | OutputError]) -> RdfFormat:
    """A format by short name or rdflib name ("ttl" or "turtle")."""
    for entry in FORMATS.values():
        if name.lower() in (entry.name, entry.rdflib_name):
            return entry
    raise error(f"unknown RDF format {name!r}; choose one of {_choices()}")


def format_for_path(path: str | os.PathLike[str]) -> str:
    """Return the short name of the format a file's extension selects.

    Raises
    ------
    OutputError
        When the extension selects no format.

    Examples
    --------
    >>> format_for_path("out/graph.ttl"), format_for_path("graph.JSONLD")
    ('ttl', 'jsonld')
    """
    suffix = Path(path).suffix.lower()
    for entry in FORMATS.values():
        if suffix in entry.extensions:
            return entry.name
    raise OutputError(
        f"cannot tell the RDF format of {str(path)!r} from its extension; "
        f"use one of {', '.join(e for f in FORMATS.values() for e in f.extensions)} or give a format "
        f"({_choices()})"
    )


def serialize(graph: Graph, format: str = "ttl") -> str:
    """Return ``graph`` written in an RDF syntax.

    Parameters
    ----------
    graph : rdflib.Graph or rdflib.Dataset
        The graph; not modified. Quad syntaxes (trig, nq) write a dataset's named graphs as they are and
        split a plain graph into one named graph per document; triple syntaxes write a dataset's union.
    format : str
        A key of :data:`FORMATS` (or its rdflib name).

    Returns
    -------
    str
        The document text.

    Raises
    ------
    OutputError
        For an unknown format, or a graph the syntax cannot express.

    Examples
    --------
    >>> from rdflib import Graph, Literal, URIRef
    >>> graph = Graph()
    >>> _ = graph.add((URIRef("https://w3id.org/graphkit/actor/a"), URIRef("urn:p"), Literal(1)))
    >>> print(serialize(graph, "nt").strip())
    <https://w3id.org/graphkit/actor/a> <urn:p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .
    """
    entry = _lookup(format, OutputError)
    if entry.quads:
        source = graph if is_dataset(graph) else document_graphs(graph)
    else:
        source = union_graph(graph) if is_dataset(graph) else graph
    try:
        return source.serialize(format=entry.rdflib_name)
    except Exception as error:  # rdflib's serializers raise assorted types for terms they cannot write
        raise OutputError(f"cannot write the graph as {entry.name}: {error}; try format nt or ttl") from error


def write_graph(graph: Graph, path: str | os.PathLike[str], format: str | None = None) -> Path:
    """Write ``graph`` to ``path`` atomically (the old file or the whole new one, never a part).

    Parameters
    ----------
    graph : rdflib.Graph or rdflib.Dataset
        The graph; not modified (see :func:`serialize` for named graphs).
    path : path-like
        Destination; missing directories are created.
    format : str, optional
        A key of :data:`FORMATS`; guessed from the extension when omitted.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    OutputError
        For an unknown format or extension, or a path that cannot be written.
    """
    return atomic_write_text(path, serialize(graph, format or format_for_path(path)))


def read_graph(path: str | os.PathLike[str], format: str | None = None) -> Graph:
    """Read an RDF file into a graph (the triples of every named graph, for trig and nq).

    Parameters
    ----------
    path : path-like
        The file.
    format : str, optional
        A key of :data:`FORMATS`; guessed from the extension when omitted.

    Returns
    -------
    rdflib.Graph
        A new graph with graphkit's prefixes bound.

    Raises
    ------
    InputError
        When the file is missing, unreadable or not valid in the format; the one-line message names it.
    """
    return union_graph(read_dataset(path, format))


def read_dataset(path: str | os.PathLike[str], format: str | None = None) -> Dataset:
    """Read an RDF file into a dataset: its named graphs for trig and nq, the default graph otherwise.

    Parameters
    ----------
    path : path-like
        The file.
    format : str, optional
        A key of :data:`FORMATS`; guessed from the extension when omitted.

    Returns
    -------
    rdflib.Dataset
        A new dataset with graphkit's prefixes bound.

    Raises
    ------
    InputError
        When the file is missing, unreadable or not valid in the format; the one-line message names it.
    """
    target = Path(path)
    try:
        entry = _lookup(format, InputError) if format else FORMATS[format_for_path(target)]
    except OutputError as error:
        raise InputError(str(error)) from None
    try:
        data = target.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        raise InputError(f"cannot read RDF from {str(target)!r}: {reason}") from error
    dataset = Dataset()
    try:
        if entry.quads:
            dataset.parse(data=data, format=entry.rdflib_name)
        else:
            default_graph(dataset).parse(data=data, format=entry.rdflib_name)
    except Exception as error:  # rdflib's parsers raise assorted types on bad input
        detail = " ".join(str(error).split()) or type(error).__name__
        raise InputError(f"cannot parse {str(target)!r} as {entry.name}: {detail[:200]}") from error
    return bind_prefixes(dataset)
