"""The main job: articles in, ``graph.ttl``, ``triples.jsonl`` and ``graph.html`` out.

ingest -> extract -> (curation) -> records / RDF (and a store) -> networkx view -> HTML. Every output is
written only once all documents are done, each file atomically, so a failed build never leaves half a file
behind; a store gets one transaction per document.
"""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from graphkit import __version__
from graphkit.extract.nlp import DEFAULT_MODEL
from graphkit.extract.pipeline import Extractor
from graphkit.fileio import atomic_write_text
from graphkit.ingest import read_documents
from graphkit.network.view import actor_network
from graphkit.progress import track
from graphkit.rdf.curation import curate, load_curation
from graphkit.rdf.formats import write_graph
from graphkit.rdf.mapping import to_rdf
from graphkit.rdf.store import open_store
from graphkit.records import to_jsonl, to_tsv_rows, tsv_header
from graphkit.types import BuildActivity, BuildSummary, Extraction
from graphkit.viz import write_html

OUTPUT_FILES = {"graph": "graph.ttl", "triples": "triples.jsonl", "html": "graph.html"}
EXTRACT_FORMATS = ("jsonl", "tsv")


def extract_documents(
    inputs: Iterable[str],
    *,
    model: str = DEFAULT_MODEL,
    progress: bool = False,
    open_arguments: bool = False,
    jobs: int = 1,
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
    open_arguments : bool
        Open mode: keep arguments that name no actor (see :class:`graphkit.extract.pipeline.Extractor`).
    jobs : int
        Processes that parse in parallel.
    """
    documents = list(read_documents(inputs))
    extractor = Extractor(model, open_arguments=open_arguments)
    stream = extractor.extract_many(documents, n_process=jobs)
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
    store: str | None = None,
    curation: str | os.PathLike[str] | None = None,
    open_arguments: bool = False,
    jobs: int = 1,
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
    store : str, optional
        Also write the documents into a store: an Oxigraph directory (created when missing) or an http(s)
        SPARQL endpoint (see :func:`graphkit.rdf.store.open_store`). A document already there is replaced.
    curation : path, optional
        A curation file (:mod:`graphkit.rdf.curation`) applied to every document before anything is written.
    open_arguments : bool
        Open mode: keep arguments that name no actor.
    jobs : int
        Processes that parse in parallel.

    Returns
    -------
    BuildSummary
        Counts of documents, sentences, actors and relations, the seconds taken and the output paths.
    """
    started_at = datetime.now(UTC)
    started = time.perf_counter()
    rules = load_curation(curation) if curation is not None else None
    with contextlib.ExitStack() as stack:
        # Opened before the long extraction, so that a locked or unreachable store fails fast.
        target = stack.enter_context(open_store(store)) if store is not None else None
        extractions = list(
            extract_documents(
                inputs, model=model, progress=progress, open_arguments=open_arguments, jobs=jobs
            )
        )
        if rules is not None:
            extractions = [curate(extraction, rules) for extraction in extractions]
        activity = BuildActivity(
            id=f"{started_at:%Y%m%dT%H%M%S}Z-{uuid.uuid4().hex[:8]}",
            started=started_at,
            ended=datetime.now(UTC),
            version=__version__,
            model=model,
        )
        graph = to_rdf(extractions, activity=activity)
        network = actor_network(graph)
        out = Path(out_dir)
        paths = {name: str(out / filename) for name, filename in OUTPUT_FILES.items()}
        atomic_write_text(paths["triples"], "".join(format_triples(extractions)))
        write_graph(graph, paths["graph"], "ttl")
        write_html(network, paths["html"], title=title)
        if target is not None:
            target.write(extractions, activity=activity)
            paths["store"] = target.location
    actors = {a.key for e in extractions for a in e.actors}
    return BuildSummary(
        documents=len(extractions),
        sentences=sum(e.sentences for e in extractions),
        actors=len(actors),
        relations=sum(len(e.triples) for e in extractions),
        seconds=round(time.perf_counter() - started, 2),
        outputs=paths,
    )
