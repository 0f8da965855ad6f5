"""Where graphs live beyond one run: an embedded Oxigraph store on disk, or a SPARQL 1.1 endpoint.

Both keep the layout of :mod:`graphkit.rdf.dataset`: one named graph per document, shared facts (actors,
relation properties, builds) in the default graph. Writing a document is one SPARQL update, so one
transaction: its named graph is dropped and written anew (rebuilding a document replaces what it said,
never duplicates it), and the shared facts are merged the way :func:`graphkit.rdf.mapping.to_rdf` merges
them in memory: an actor keeps the first type and preferred label it was written with, other names
become aliases. Stores accumulate: documents written by earlier builds stay until rebuilt.

For incremental builds, a document's graph also records its build fingerprint (``schema:sha256``, see
:func:`graphkit.build.document_digest`): a rerun asks :meth:`GraphStore.holds` and skips a document whose
fingerprint is unchanged. A build links its statements to a provisional build node while it runs and
renames it once it knows its final id and end time (:func:`build_update`).

The text of every update is built from graphkit's own RDF terms, written in N-Triples syntax (each term
escaped by rdflib); values users give to queries are bound, never pasted (:mod:`graphkit.rdf.query`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pyoxigraph as ox
from rdflib import RDF, RDFS, BNode, Dataset, Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore
from rdflib.term import Node

from graphkit import identity
from graphkit.errors import InputError, StoreError
from graphkit.rdf.dataset import default_graph, document_graphs
from graphkit.rdf.formats import read_dataset, serialize, write_graph
from graphkit.rdf.mapping import to_rdf
from graphkit.rdf.ontology import DCTERMS, GK, SCHEMA, SKOS, actor_class_names, bind_prefixes
from graphkit.types import BuildActivity, Extraction

__all__ = [
    "STORES",
    "Answer",
    "build_update",
    "EndpointStore",
    "GraphStore",
    "OxigraphStore",
    "document_update",
    "export",
    "open_source",
    "open_store",
    "read_source",
    "store_kind",
]

Bindings = Mapping[str, Node]

PREFIXES: dict[str, str] = {prefix: str(ns) for prefix, ns in bind_prefixes(Graph()).namespaces()}
"""The prefixes every query may use without declaring them: graphkit's and the standard ones it writes."""

_PREFIX_DECLARATION = re.compile(r"PREFIX\s+([\w.-]*):", re.IGNORECASE)


def _first_line(error: Exception) -> str:
    """An error's message on one line, cut short (parsers list every token they expected)."""
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return text if len(text) <= 160 else text[:159] + "…"


@dataclass(frozen=True)
class Answer:
    """What a query returned, still as rdflib terms (this never leaves the RDF stage).

    ``kind`` is ``select`` (``variables`` and ``rows``), ``ask`` (``boolean``) or ``graph`` (``graph``,
    for CONSTRUCT and DESCRIBE).
    """

    kind: str
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Node | None, ...], ...] = ()
    boolean: bool | None = None
    graph: Graph | None = None


class GraphStore:
    """A dataset graphkit writes documents into and queries.

    Subclasses implement :meth:`update` (one transaction), :meth:`answer` and :meth:`dataset`; the rest
    is shared.
    """

    location: str

    def update(self, text: str) -> None:
        """Run one SPARQL 1.1 update as one transaction."""
        raise NotImplementedError

    def answer(self, query: str, bindings: Bindings) -> Answer:
        """Run a SPARQL query over the union of all graphs, with ``bindings`` bound (never pasted)."""
        raise NotImplementedError

    def select(self, query: str, bindings: Bindings | None = None) -> Answer:
        """Run a SELECT query (see :meth:`answer`); another kind of query is an :class:`InputError`."""
        answer = self.answer(query, bindings or {})
        if answer.kind != "select":
            raise InputError(f"expected a SELECT query, got {answer.kind.upper()}")
        return answer

    def dataset(self) -> Dataset:
        """Return everything in the store as an rdflib dataset (named graphs kept)."""
        raise NotImplementedError

    def close(self) -> None:
        """Release the store (flush to disk, drop connections)."""

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def holds(self, doc_id: str, digest: str) -> bool:
        """True when the store holds document ``doc_id`` written with the build fingerprint ``digest``.

        Examples
        --------
        >>> from graphkit.types import Document, Extraction
        >>> store = OxigraphStore()
        >>> store.update(document_update(Extraction(Document("a1", "Hi."), sentences=1), digest="f00d"))
        >>> store.holds("a1", "f00d"), store.holds("a1", "beef"), store.holds("a2", "f00d")
        (True, False, False)
        """
        name = URIRef(identity.document_iri(doc_id)).n3()
        query = f"ASK {{ GRAPH {name} {{ {name} {SCHEMA.sha256.n3()} {Literal(digest).n3()} }} }}"
        return bool(self.answer(query, {}).boolean)

    def write(self, extractions: Iterable[Extraction], *, activity: BuildActivity | None = None) -> int:
        """Write each extraction as its document's named graph, one transaction per document.

        Parameters
        ----------
        extractions : iterable of graphkit.types.Extraction
            Read once; a document already in the store is replaced.
        activity : graphkit.types.BuildActivity, optional
            The build, linked from every statement (``prov:wasGeneratedBy``).

        Returns
        -------
        int
            The number of documents written.
        """
        written = 0
        for extraction in extractions:
            self.update(document_update(extraction, activity=activity))
            written += 1
        return written

    def documents(self) -> list[str]:
        """Return the ids of the documents in the store, sorted."""
        query = (
            f"SELECT DISTINCT ?id WHERE {{ ?document a {GK.Document.n3()} ; {DCTERMS.identifier.n3()} ?id }}"
        )
        return sorted(str(row[0]) for row in self.select(query).rows)


# --- SPARQL update text -------------------------------------------------------------------------------------


def _nt(triples: Iterable[tuple[Node, Node, Node]]) -> str:
    return "\n".join(f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in sorted(triples))


def _first_wins(triple: tuple[Node, Node, Node], actor_classes: frozenset[Node]) -> bool:
    """Facts a node keeps from the first document that names it: an actor's class, a preferred label."""
    _subject, predicate, obj = triple
    return predicate in (SKOS.prefLabel, RDFS.label) or (predicate == RDF.type and obj in actor_classes)


def document_update(
    extraction: Extraction, *, activity: BuildActivity | None = None, digest: str | None = None
) -> str:
    """Return the SPARQL update that writes one document into a store (see the module's docstring).

    Parameters
    ----------
    extraction : graphkit.types.Extraction
        The document's extraction.
    activity : graphkit.types.BuildActivity, optional
        The build that made it.
    digest : str, optional
        The document's build fingerprint, recorded in its graph as ``schema:sha256`` (see
        :meth:`GraphStore.holds`).

    Returns
    -------
    str
        One update request: drop the document's graph, insert it anew, merge the shared facts.

    Examples
    --------
    >>> from graphkit.types import Document, Extraction
    >>> update = document_update(Extraction(Document("a1", "Nothing happened."), sentences=1))
    >>> update.splitlines()[0]
    'DROP SILENT GRAPH <https://w3id.org/graphkit/document/a1> ;'
    """
    dataset = document_graphs(to_rdf([extraction], activity=activity))
    name = URIRef(identity.document_iri(extraction.document.id))
    if digest is not None:
        dataset.graph(name).add((name, SCHEMA.sha256, Literal(digest)))
    actor_classes = frozenset(GK[cls] for cls in actor_class_names())
    shared = list(default_graph(dataset))
    kept = [t for t in shared if _first_wins(t, actor_classes)]
    added = [t for t in shared if not _first_wins(t, actor_classes)]
    labels = [(s, o) for s, p, o in kept if p == SKOS.prefLabel]
    alt, pref = SKOS.altLabel.n3(), SKOS.prefLabel.n3()
    operations = [
        f"DROP SILENT GRAPH {name.n3()}",
        f"INSERT DATA {{\n{_nt(added)}\nGRAPH {name.n3()} {{\n{_nt(dataset.graph(name))}\n}}\n}}",
    ]
    if labels:
        rows = "\n".join(f"({node.n3()} {label.n3()})" for node, label in sorted(labels))
        # A name other than the one the store already prefers becomes an alias (the same merge as in memory).
        operations.append(
            f"INSERT {{ ?node {alt} ?label }} WHERE {{ VALUES (?node ?label) {{\n{rows}\n}}\n"
            f"?node {pref} ?known FILTER(?known != ?label) }}"
        )
    if kept:
        rows = "\n".join(f"({s.n3()} {p.n3()} {o.n3()})" for s, p, o in sorted(kept))
        operations.append(
            f"INSERT {{ ?node ?property ?value }} WHERE {{ VALUES (?node ?property ?value) {{\n{rows}\n}}\n"
            "FILTER NOT EXISTS { ?node ?property ?any } }"
        )
    if labels:
        nodes = " ".join(sorted({node.n3() for node, _label in labels}))
        # An alias equal to the preferred name is no alias.
        operations.append(
            f"DELETE {{ ?node {alt} ?label }} WHERE {{ VALUES ?node {{ {nodes} }}\n"
            f"?node {pref} ?label ; {alt} ?label }}"
        )
    return " ;\n".join(operations)


def build_update(provisional: BuildActivity, final: BuildActivity) -> str:
    r"""Return the SPARQL update that turns the build node a running build wrote into its final record.

    The provisional node's facts (in the default graph) are dropped; when the id changed, every link to
    and from it in the documents' graphs moves to the final node; the final facts are written.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> when = datetime(2024, 1, 1, tzinfo=UTC)
    >>> old = BuildActivity("running", when, when, "1.0")
    >>> len(build_update(old, BuildActivity("done", when, when, "1.0")).split(" ;\n"))  # drop, move 2, add
    4
    >>> len(build_update(old, BuildActivity("running", when, when, "1.0")).split(" ;\n"))
    2
    """
    old = URIRef(identity.build_iri(provisional.id)).n3()
    new = URIRef(identity.build_iri(final.id)).n3()
    operations = [f"DELETE WHERE {{ {old} ?p ?o }}"]
    if old != new:
        operations += [
            f"DELETE {{ GRAPH ?g {{ {old} ?p ?o }} }} INSERT {{ GRAPH ?g {{ {new} ?p ?o }} }} "
            f"WHERE {{ GRAPH ?g {{ {old} ?p ?o }} }}",
            f"DELETE {{ GRAPH ?g {{ ?s ?p {old} }} }} INSERT {{ GRAPH ?g {{ ?s ?p {new} }} }} "
            f"WHERE {{ GRAPH ?g {{ ?s ?p {old} }} }}",
        ]
    operations.append(f"INSERT DATA {{\n{_nt(to_rdf([], activity=final))}\n}}")
    return " ;\n".join(operations)


# --- term conversion ----------------------------------------------------------------------------------------


def _to_oxigraph(term: Node) -> ox.NamedNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise StoreError(f"cannot bind {term!r}: only IRIs and literals can be bound")


def _from_oxigraph(term: object) -> Node | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        plain = datatype == "http://www.w3.org/2001/XMLSchema#string"
        return Literal(term.value) if plain else Literal(term.value, datatype=URIRef(datatype))
    return BNode(getattr(term, "value", str(term)))


# --- Oxigraph -----------------------------------------------------------------------------------------------


class OxigraphStore(GraphStore):
    """An embedded Oxigraph store: on disk in a directory, or in memory when ``path`` is ``None``.

    Queries see the union of all graphs as their default graph.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, read_only: bool = False) -> None:
        self.location = str(path) if path is not None else ":memory:"
        self._writable = path is not None and not read_only
        try:
            if path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(path))
            else:
                Path(path).mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(path))
        except OSError as error:
            detail = " ".join(str(error).split())[:200]
            raise StoreError(
                f"cannot open the Oxigraph store {self.location!r}: {detail}; is another graphkit using it?"
            ) from error

    @classmethod
    def from_dataset(cls, dataset: Graph) -> OxigraphStore:
        """An in-memory store holding ``dataset`` (or a plain graph, in the default graph)."""
        store = cls()
        store._store.load(serialize(dataset, "nq").encode("utf-8"), format=ox.RdfFormat.N_QUADS)
        return store

    def _run(self, query: str, bindings: Bindings) -> object:
        substitutions = {ox.Variable(name): _to_oxigraph(value) for name, value in bindings.items()}
        try:
            return self._store.query(
                query, prefixes=PREFIXES, use_default_graph_as_union=True, substitutions=substitutions
            )
        except SyntaxError as error:
            raise InputError(f"the SPARQL query is not valid: {_first_line(error)}") from error
        except OSError as error:
            raise StoreError(f"the query failed on {self.location!r}: {error}") from error

    def update(self, text: str) -> None:
        try:
            self._store.update(text)
        except (SyntaxError, OSError) as error:
            raise StoreError(f"the update failed on {self.location!r}: {_first_line(error)}") from error

    def answer(self, query: str, bindings: Bindings) -> Answer:
        result = self._run(query, bindings)
        if isinstance(result, ox.QuerySolutions):
            variables = tuple(variable.value for variable in result.variables)
            rows = tuple(tuple(_from_oxigraph(solution[name]) for name in variables) for solution in result)
            return Answer("select", variables=variables, rows=rows)
        if isinstance(result, ox.QueryBoolean):
            return Answer("ask", boolean=bool(result))
        text = ox.serialize(result, format=ox.RdfFormat.N_TRIPLES) or b""
        return Answer("graph", graph=bind_prefixes(Graph().parse(data=text.decode("utf-8"), format="nt")))

    def dataset(self) -> Dataset:
        text = self._store.dump(format=ox.RdfFormat.N_QUADS) or b""
        dataset = Dataset()
        dataset.parse(data=text.decode("utf-8"), format="nquads")
        return bind_prefixes(dataset)

    def close(self) -> None:
        if self._writable:
            self._store.flush()


# --- SPARQL 1.1 endpoint ------------------------------------------------------------------------------------


def _endpoints(url: str) -> tuple[str, str]:
    """The query and update URLs of an endpoint.

    ``.../query`` updates at ``.../update`` (Oxigraph server, Fuseki); a bare server address queries at
    ``/query`` and updates at ``/update`` (Oxigraph server); any other URL does both.

    >>> _endpoints("http://localhost:7878")
    ('http://localhost:7878/query', 'http://localhost:7878/update')
    >>> _endpoints("http://localhost:3030/ds/query")
    ('http://localhost:3030/ds/query', 'http://localhost:3030/ds/update')
    >>> _endpoints("https://graphdb.example.org/repositories/news")[1]
    'https://graphdb.example.org/repositories/news'
    """
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    if not path:
        base = parts._replace(path="")
        return urlunsplit(base._replace(path="/query")), urlunsplit(base._replace(path="/update"))
    if path.endswith("/query"):
        return url, urlunsplit(parts._replace(path=path[: -len("query")] + "update"))
    return url, url


class EndpointStore(GraphStore):
    """A SPARQL 1.1 endpoint (query and update), through rdflib's SPARQLUpdateStore.

    Queries see what the server's default graph is: serve with the union of all graphs as default graph
    (Oxigraph: ``oxigraph serve --union-default-graph``; Fuseki: ``tdb2:unionDefaultGraph true``) so that
    graphkit's queries see every document. Bound values are sent as SPARQL's closing VALUES clause, so
    bind only variables the query selects.
    """

    def __init__(self, url: str) -> None:
        self.location = url
        query_url, update_url = _endpoints(url)
        self._store = SPARQLUpdateStore(query_url, update_url, method="POST", autocommit=True)

    def _call(self, what: str, action: Callable[[], object]) -> object:
        try:
            return action()
        except Exception as error:  # urllib and rdflib raise many types for a refused or failed request
            raise StoreError(f"the {what} failed at {self.location!r}: {_first_line(error)}") from error

    def update(self, text: str) -> None:
        self._call("update", lambda: self._store.update(text))

    def answer(self, query: str, bindings: Bindings) -> Answer:
        declared = set(_PREFIX_DECLARATION.findall(query))
        namespaces = {prefix: ns for prefix, ns in PREFIXES.items() if prefix not in declared}
        result = self._call(
            "query", lambda: self._store.query(query, initNs=namespaces, initBindings=dict(bindings) or None)
        )
        if result.type == "SELECT":
            variables = tuple(str(variable) for variable in result.vars)
            rows = tuple(tuple(row.get(variable) for variable in result.vars) for row in result.bindings)
            return Answer("select", variables=variables, rows=rows)
        if result.type == "ASK":
            return Answer("ask", boolean=bool(result.askAnswer))
        graph = bind_prefixes(Graph())
        for triple in result.graph:
            graph.add(triple)
        return Answer("graph", graph=graph)

    def dataset(self) -> Dataset:
        # Named graphs by GRAPH; the default graph is what the union holds beyond them, which is right both
        # for servers whose default graph is the union and for those where it is not (in graphkit's layout
        # a triple is either shared or in documents' graphs).
        dataset = bind_prefixes(Dataset())
        named = set()
        quads = self.select("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }").rows
        for name, subject, predicate, obj in quads:
            dataset.graph(name).add((subject, predicate, obj))
            named.add((subject, predicate, obj))
        for triple in self.answer("CONSTRUCT WHERE { ?s ?p ?o }", {}).graph or ():
            if triple not in named:
                default_graph(dataset).add(triple)
        return dataset

    def close(self) -> None:
        self._store.close()


# --- choosing a store ---------------------------------------------------------------------------------------

STORES: dict[str, Callable[[str], GraphStore]] = {
    "sparql": EndpointStore,
    "oxigraph": OxigraphStore,
}
"""Store kinds by name: ``sparql`` (an http(s) endpoint URL), ``oxigraph`` (a directory)."""


def store_kind(location: str) -> str:
    """Return the kind of store a location names: ``sparql`` for an http(s) URL, else ``oxigraph``.

    >>> store_kind("http://localhost:7878/query"), store_kind("out/store")
    ('sparql', 'oxigraph')
    """
    return "sparql" if urlsplit(location).scheme in ("http", "https") else "oxigraph"


def open_store(location: str) -> GraphStore:
    """Open the store at ``location`` for writing: an http(s) SPARQL endpoint, or an Oxigraph directory.

    Parameters
    ----------
    location : str
        A URL (see :class:`EndpointStore` for how query and update URLs are found) or a directory, created
        when missing.

    Returns
    -------
    GraphStore
        Close it when done (it is a context manager).

    Raises
    ------
    StoreError
        When the directory cannot be opened as an Oxigraph store.
    """
    return STORES[store_kind(location)](location)


def open_source(location: str) -> GraphStore:
    """Open a graph to read from: an RDF file (loaded into memory), an Oxigraph directory, or an endpoint.

    Parameters
    ----------
    location : str
        A file in one of :data:`graphkit.rdf.formats.FORMATS`, a store directory or an http(s) URL.

    Returns
    -------
    GraphStore
        Close it when done.

    Raises
    ------
    InputError
        When ``location`` is neither an existing file or directory nor a URL, or the file cannot be read.
    StoreError
        When a directory cannot be opened as an Oxigraph store.
    """
    if store_kind(location) == "sparql":
        return EndpointStore(location)
    path = Path(location)
    if path.is_dir():
        return OxigraphStore(path, read_only=True)
    if path.is_file():
        return OxigraphStore.from_dataset(read_dataset(path))
    raise InputError(
        f"{location!r} does not exist; give an RDF file, an Oxigraph store directory or an http(s) "
        "SPARQL endpoint URL"
    )


def read_source(location: str) -> Dataset:
    """Return everything at ``location`` (an RDF file, an Oxigraph directory or an endpoint) as a dataset.

    Raises
    ------
    InputError, StoreError
        As :func:`open_source`.
    """
    path = Path(location)
    if store_kind(location) == "oxigraph" and path.is_file():
        return read_dataset(path)
    with open_source(location) as store:
        return store.dataset()


def export(location: str, path: str | os.PathLike[str], format: str | None = None) -> Path:
    """Write the graph at ``location`` to an RDF file (named graphs kept in trig and nq).

    Parameters
    ----------
    location : str
        An RDF file, an Oxigraph directory or an endpoint URL.
    path : path-like
        Destination, written atomically.
    format : str, optional
        A key of :data:`graphkit.rdf.formats.FORMATS`; guessed from the extension when omitted.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    return write_graph(read_source(location), path, format)
