"""The main job: articles in, ``graph.ttl``, ``triples.jsonl`` and ``graph.html`` out.

ingest -> extract -> records / RDF -> networkx view -> HTML. Every output is written only once all
documents are done, each file atomically, so a failed build never leaves half a file behind.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from graphkit.extract.nlp import DEFAULT_MODEL
from graphkit.extract.pipeline import Extractor
from graphkit.fileio import atomic_write_text
from graphkit.ingest import read_documents
from graphkit.network.view import actor_network
from graphkit.progress import track
from graphkit.rdf.formats import write_graph
from graphkit.rdf.mapping import to_rdf
from graphkit.records import to_jsonl, to_tsv_rows, tsv_header
from graphkit.types import BuildSummary, Extraction
from graphkit.viz import write_html

OUTPUT_FILES = {"graph": "graph.ttl", "triples": "triples.jsonl", "html": "graph.html"}
EXTRACT_FORMATS = ("jsonl", "tsv")


def extract_documents(
    inputs: Iterable[str], *, model: str = DEFAULT_MODEL, progress: bool = False
) -> Iterator[Extraction]:
    """Read the documents named by ``inputs`` and yield their extractions, in input order.

    Parameters
    ----------
    inputs : iterable of str
        Files (``.txt``, ``.jsonl``), directories or ``-`` (see :func:`graphkit.ingest.read_documents`).
    model : str
        spaCy pipeline to parse with.
    progress : bool
        Draw a progress bar on standard error.
    """
    documents = list(read_documents(inputs))
    extractor = Extractor(model)
    stream = extractor.extract_many(documents)
    yield from track(stream, total=len(documents), description="extracting", enabled=progress)


def format_triples(extractions: Iterable[Extraction], fmt: str = "jsonl") -> Iterator[str]:
    """Yield the triples of ``extractions`` as text chunks in format ``fmt`` (``jsonl`` or ``tsv``)."""
    if fmt == "tsv":
        yield tsv_header()
    serializer = to_tsv_rows if fmt == "tsv" else to_jsonl
    for extraction in extractions:
        yield serializer(extraction.triples)


def build(
    inputs: Iterable[str],
    out_dir: str | Path,
    *,
    model: str = DEFAULT_MODEL,
    title: str = "graphkit",
    progress: bool = False,
) -> BuildSummary:
    """Build the graph of ``inputs`` into ``out_dir``: ``graph.ttl``, ``triples.jsonl`` and ``graph.html``.

    Parameters
    ----------
    inputs : iterable of str
        Files (``.txt``, ``.jsonl``), directories or ``-``.
    out_dir : path
        Output directory, created when missing; existing outputs are replaced whole.
    model : str
        spaCy pipeline to parse with.
    title : str
        Title of the HTML page.
    progress : bool
        Draw a progress bar on standard error.

    Returns
    -------
    BuildSummary
        Counts of documents, sentences, actors and relations, the seconds taken and the output paths.
    """
    started = time.perf_counter()
    extractions = list(extract_documents(inputs, model=model, progress=progress))
    graph = to_rdf(extractions)
    network = actor_network(graph)
    out = Path(out_dir)
    paths = {name: out / filename for name, filename in OUTPUT_FILES.items()}
    atomic_write_text(paths["triples"], "".join(format_triples(extractions)))
    write_graph(graph, paths["graph"], "ttl")
    write_html(network, paths["html"], title=title)
    actors = {a.key for e in extractions for a in e.actors}
    return BuildSummary(
        documents=len(extractions),
        sentences=sum(e.sentences for e in extractions),
        actors=len(actors),
        relations=sum(len(e.triples) for e in extractions),
        seconds=round(time.perf_counter() - started, 2),
        outputs={name: str(path) for name, path in paths.items()},
    )
