"""The main job: articles in, ``graph.ttl``, ``triples.jsonl`` and ``graph.html`` out.

ingest -> extract -> (curation) -> records / RDF (and a store) -> networkx view -> HTML. Every output is
written only once all documents are done, each file atomically, so a failed build never leaves half a file
behind; a store gets one transaction per document.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
import uuid
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from graphkit import __version__
from graphkit.errors import InputError
from graphkit.extract.nlp import DEFAULT_MODEL
from graphkit.extract.pipeline import Extractor
from graphkit.fileio import atomic_write_all
from graphkit.ingest import read_documents
from graphkit.network.view import actor_network
from graphkit.progress import track
from graphkit.rdf.curation import curate, load_curation
from graphkit.rdf.formats import serialize
from graphkit.rdf.mapping import to_rdf
from graphkit.rdf.store import open_store
from graphkit.records import to_jsonl, to_tsv_rows, tsv_header
from graphkit.types import BuildActivity, BuildSummary, Extraction
from graphkit.viz import render_html

OUTPUT_FILES = {"graph": "graph.ttl", "triples": "triples.jsonl", "html": "graph.html"}
EXTRACT_FORMATS = ("jsonl", "tsv")
#: The reproducible-builds.org variable: when set, a build's time and id come from it and the inputs.
SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"


def extract_documents(
    inputs: Iterable[str],
    *,
    model: str = DEFAULT_MODEL,
    progress: bool = False,
    open_arguments: bool = False,
    jobs: int = 1,
    strict: bool = False,
    skipped: list[str] | None = None,
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
    strict : bool
        Make an input that would be skipped with a warning (empty, binary, not UTF-8, a malformed JSONL
        line) an error (see :func:`graphkit.ingest.read_documents`).
    skipped : list, optional
        Receives one message for each input file or record skipped.
    """
    documents = list(read_documents(inputs, strict=strict, skipped=skipped))
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
    strict: bool = False,
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
    strict : bool
        Make an input that would be skipped with a warning an error.

    Returns
    -------
    BuildSummary
        Counts of documents (read and skipped), sentences, actors and relations, the seconds taken and the
        output paths.

    Raises
    ------
    GraphkitError
        For unreadable input (:class:`~graphkit.errors.InputError`, also for a malformed
        ``SOURCE_DATE_EPOCH``), a model that cannot load, an unwritable output or a failing store.

    Notes
    -----
    With the environment variable ``SOURCE_DATE_EPOCH`` set, the build's recorded times and id are
    reproducible (see :func:`build_activity`), so the same inputs give the same outputs.
    """
    started_at = datetime.now(UTC)
    started = time.perf_counter()
    fixed_time = source_date(os.environ.get(SOURCE_DATE_EPOCH))
    skipped: list[str] = []
    rules = load_curation(curation) if curation is not None else None
    with contextlib.ExitStack() as stack:
        # Opened before the long extraction, so that a locked or unreachable store fails fast.
        target = stack.enter_context(open_store(store)) if store is not None else None
        extractions = list(
            extract_documents(
                inputs,
                model=model,
                progress=progress,
                open_arguments=open_arguments,
                jobs=jobs,
                strict=strict,
                skipped=skipped,
            )
        )
        if rules is not None:
            extractions = [curate(extraction, rules) for extraction in extractions]
        activity = build_activity(extractions, model=model, started=started_at, fixed_time=fixed_time)
        graph = to_rdf(extractions, activity=activity)
        network = actor_network(graph)
        out = Path(out_dir)
        paths = {name: str(out / filename) for name, filename in OUTPUT_FILES.items()}
        atomic_write_all(
            {
                paths["triples"]: "".join(format_triples(extractions)),
                paths["graph"]: serialize(graph, "ttl"),
                paths["html"]: render_html(network, title=title),
            }
        )
        if target is not None:
            target.write(extractions, activity=activity)
            paths["store"] = target.location
    actors = {a.key for e in extractions for a in e.actors}
    return BuildSummary(
        documents=len(extractions),
        skipped=len(skipped),
        sentences=sum(e.sentences for e in extractions),
        actors=len(actors),
        relations=sum(len(e.triples) for e in extractions),
        seconds=round(time.perf_counter() - started, 2),
        outputs=paths,
    )


def source_date(epoch: str | None) -> datetime | None:
    """The moment ``SOURCE_DATE_EPOCH`` names (https://reproducible-builds.org/specs/source-date-epoch/).

    Parameters
    ----------
    epoch : str or None
        The variable's value: whole seconds since 1970-01-01 UTC.

    Returns
    -------
    datetime or None
        Timezone-aware (UTC); None when ``epoch`` is None.

    Raises
    ------
    InputError
        When ``epoch`` is not a whole number of seconds.

    Examples
    --------
    >>> source_date("1700000000").isoformat(), source_date(None)
    ('2023-11-14T22:13:20+00:00', None)
    """
    if epoch is None:
        return None
    try:
        return datetime.fromtimestamp(int(epoch), UTC)
    except (ValueError, OverflowError, OSError) as error:
        raise InputError(
            f"{SOURCE_DATE_EPOCH}={epoch!r} is not a number of seconds since 1970-01-01 UTC; "
            "unset it or give one, e.g. $(git log -1 --format=%ct)"
        ) from error


def build_activity(
    extractions: Iterable[Extraction],
    *,
    model: str,
    started: datetime,
    fixed_time: datetime | None = None,
) -> BuildActivity:
    """The record of one build (a ``prov:Activity``): its id, start and end times, version and model.

    By default the times are the clock's and the id holds a random part. Given ``fixed_time`` (from
    ``SOURCE_DATE_EPOCH``, see :func:`source_date`), both times are that moment and the id is derived from
    it and from a hash of the documents read (ids, texts, metadata), the triples extracted, the model and
    graphkit's version, so the same inputs give the same graph.

    Parameters
    ----------
    extractions : iterable of graphkit.types.Extraction
        What the build extracted (after curation).
    model : str
        The spaCy pipeline.
    started : datetime
        When the build started (timezone-aware), used without ``fixed_time``.
    fixed_time : datetime, optional
        The reproducible time of the build.

    Examples
    --------
    >>> when = source_date("0")
    >>> first = build_activity([], model="m", started=datetime.now(UTC), fixed_time=when)
    >>> first.started.isoformat(), first.id.startswith("19700101T000000Z-")
    ('1970-01-01T00:00:00+00:00', True)
    >>> first == build_activity([], model="m", started=datetime.now(UTC), fixed_time=when)
    True
    """
    if fixed_time is None:
        return BuildActivity(
            id=f"{started:%Y%m%dT%H%M%S}Z-{uuid.uuid4().hex[:8]}",
            started=started,
            ended=datetime.now(UTC),
            version=__version__,
            model=model,
        )
    digest = hashlib.sha256(f"{__version__}\n{model}\n".encode())
    for extraction in extractions:
        document = extraction.document
        fields = [document.id, document.text, document.title, document.date, document.url, document.source]
        digest.update(json.dumps(fields).encode())
        digest.update(to_jsonl(extraction.triples).encode())
    return BuildActivity(
        id=f"{fixed_time:%Y%m%dT%H%M%S}Z-{digest.hexdigest()[:8]}",
        started=fixed_time,
        ended=fixed_time,
        version=__version__,
        model=model,
    )
