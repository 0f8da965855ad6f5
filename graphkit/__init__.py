"""graphkit: news articles in, a graph of actors and what they did to each other out.

The public API, stage by stage: :func:`read_documents` (ingest), :class:`Extractor` (spaCy parse to
triples), :func:`to_rdf` and :func:`serialize` / :func:`write_graph` (RDF), :func:`actor_network`
(networkx view), :func:`write_html` (offline explorer), and :func:`build`, which runs them all;
:func:`extract_stream` runs extraction on an engine (local processes or Dask); :func:`evaluate` scores it
on a benchmark, and ``graphkit.train.train`` adapts it to annotated documents.
"""

__version__ = "0.1.0"

from graphkit.build import build, extract_documents
from graphkit.engines import extract_stream
from graphkit.errors import GraphkitError
from graphkit.evaluate import evaluate
from graphkit.extract.pipeline import Extractor
from graphkit.ingest import read_documents
from graphkit.network.analysis import analyze
from graphkit.network.view import actor_network
from graphkit.rdf.formats import serialize, write_graph
from graphkit.rdf.mapping import to_rdf
from graphkit.rdf.query import run_query
from graphkit.rdf.validate import validate_graph
from graphkit.records import triple_record
from graphkit.types import Actor, Argument, BuildSummary, Document, Extraction, Predicate, Provenance, Triple
from graphkit.viz import write_html

__all__ = [
    "Actor",
    "Argument",
    "BuildSummary",
    "Document",
    "Extraction",
    "Extractor",
    "GraphkitError",
    "Predicate",
    "Provenance",
    "Triple",
    "__version__",
    "actor_network",
    "analyze",
    "build",
    "evaluate",
    "extract_documents",
    "extract_stream",
    "read_documents",
    "run_query",
    "serialize",
    "to_rdf",
    "triple_record",
    "validate_graph",
    "write_graph",
    "write_html",
]
