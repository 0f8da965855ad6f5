"""The main job: articles in, ``graph.ttl``, ``triples.jsonl`` and ``graph.html`` out.

ingest -> extract -> (curation) -> records / RDF (and a store) -> networkx view -> HTML, as one stream:
each document's extraction is written to the staged ``triples.jsonl``, added to the RDF graph and written
to the store as it comes, then dropped, so memory grows with the graph alone, not with the texts read.
The outputs are staged in full and renamed into place together once every document is done
(:class:`graphkit.fileio.StagedFiles`), so a failed build never leaves half a file behind; a store gets
one transaction per document, as it goes.

**Incremental builds.** With a store, each document's graph records its build fingerprint
(:func:`document_digest`: the document and everything that changes what is extracted from it), and its
extraction is kept in a cache beside the outputs (``DIR/.graphkit-cache.sqlite``, see
:class:`ExtractionCache`). A rerun skips a document the store holds with the same fingerprint and whose
extraction the cache has: it is neither parsed nor written to the store again, but still flows into the
outputs from the cache, so ``graph.ttl``, ``triples.jsonl`` and ``graph.html`` always describe the whole
corpus given, exactly as a full build would. A changed document is parsed again and replaces its graph in
the store. A build that was interrupted resumes where it stopped: what it wrote to the store and the cache
is not parsed again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
import uuid
from collections import deque
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from graphkit import __version__
from graphkit.cache import ExtractionCache
from graphkit.confidence import check_min_confidence, confident
from graphkit.engines import extract_stream
from graphkit.errors import InputError
from graphkit.extract.nlp import DEFAULT_MODEL
from graphkit.fileio import StagedFiles
from graphkit.ingest import read_documents
from graphkit.network.view import actor_network
from graphkit.progress import track
from graphkit.rdf.curation import curate, load_curation
from graphkit.rdf.formats import serialize
from graphkit.rdf.mapping import rename_build, to_rdf
from graphkit.rdf.store import GraphStore, build_update, document_update, open_store
from graphkit.records import to_jsonl, to_tsv_rows, tsv_header
from graphkit.types import (
    BuildActivity,
    BuildSummary,
    Document,
    Extraction,
)
from graphkit.viz import render_html

OUTPUT_FILES = {"graph": "graph.ttl", "triples": "triples.jsonl", "html": "graph.html"}
#: The extraction cache of incremental builds, beside the outputs (only with a store).
CACHE_FILE = ".graphkit-cache.sqlite"
EXTRACT_FORMATS = ("jsonl", "tsv")
#: The reproducible-builds.org variable: when set, a build's time and id come from it and the inputs.
SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"


def _words(extraction: Extraction) -> int:
    return len(extraction.document.text.split())


def extract_documents(
    inputs: Iterable[str],
    *,
    model: str = DEFAULT_MODEL,
    progress: bool = False,
    open_arguments: bool = False,
    classifier: bool = True,
    min_confidence: float = 0.0,
    jobs: int = 1,
    strict: bool = False,
    skipped: list[str] | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    deduplicate: bool = True,
) -> Iterator[Extraction]:
    """Read the documents named by ``inputs`` and yield their extractions, in input order, as a stream.

    Parameters
    ----------
    inputs : iterable of str
        Files, directories or ``-`` (see :func:`graphkit.ingest.read_documents`).
    model : str
        spaCy pipeline to parse with.
    progress : bool
        Draw a progress bar (documents/s, words/s) on standard error.
    open_arguments : bool
        Open mode: keep arguments that name no actor (see :class:`graphkit.extract.pipeline.Extractor`).
    classifier : bool
        ``False``: the rules alone, without the relation classifier's triples.
    min_confidence : float
        Drop the triples whose confidence is below it, and the actors only they name
        (:func:`graphkit.confidence.confident`).
    jobs : int
        Processes that parse in parallel (with ``engine="dask"`` and no scheduler: local workers).
    strict : bool
        Make an input that would be skipped with a warning (empty, binary, not UTF-8, a malformed JSONL
        line) an error (see :func:`graphkit.ingest.read_documents`).
    skipped : list, optional
        Receives one message for each input file or record skipped.
    engine : str
        Where extraction runs: ``local`` or ``dask`` (see :data:`graphkit.engines.ENGINES`).
    scheduler : str, optional
        The Dask scheduler's address (``tcp://HOST:PORT``), with ``engine="dask"``.
    deduplicate : bool
        Count repeated and nearly repeated articles once (see :mod:`graphkit.ingest`).
    """
    check_min_confidence(min_confidence)
    documents = read_documents(inputs, strict=strict, skipped=skipped, deduplicate=deduplicate)
    stream = extract_stream(
        documents,
        model=model,
        open_arguments=open_arguments,
        classifier=classifier,
        jobs=jobs,
        engine=engine,
        scheduler=scheduler,
    )
    for extraction in track(stream, total=None, description="extracting", enabled=progress, words=_words):
        yield confident(extraction, min_confidence)


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
    classifier: bool = True,
    min_confidence: float = 0.0,
    jobs: int = 1,
    strict: bool = False,
    engine: str = "local",
    scheduler: str | None = None,
    deduplicate: bool = True,
) -> BuildSummary:
    """Build the graph of ``inputs`` into ``out_dir``: ``graph.ttl``, ``triples.jsonl`` and ``graph.html``.

    Parameters
    ----------
    inputs : iterable of str
        Files, directories or ``-`` (see :func:`graphkit.ingest.read_documents`).
    out_dir : path
        Output directory, created when missing; existing outputs are replaced whole.
    model : str
        spaCy pipeline to parse with.
    title : str
        Title of the HTML page.
    progress : bool
        Draw a progress bar (documents/s, words/s) on standard error.
    store : str, optional
        Also write the documents into a store: an Oxigraph directory (created when missing) or an http(s)
        SPARQL endpoint (see :func:`graphkit.rdf.store.open_store`). A document already there is replaced;
        one it holds unchanged is not parsed again (see the module's docstring: incremental builds).
    curation : path, optional
        A curation file (:mod:`graphkit.rdf.curation`) applied to every document before anything is written.
    open_arguments : bool
        Open mode: keep arguments that name no actor.
    classifier : bool
        ``False``: the rules alone, without the relation classifier's triples.
    min_confidence : float
        Drop the triples whose confidence is below it, and the actors only they name, before anything is
        written (:func:`graphkit.confidence.confident`).
    jobs : int
        Processes that parse in parallel.
    strict : bool
        Make an input that would be skipped with a warning an error.
    engine : str
        Where extraction runs: ``local`` or ``dask`` (see :data:`graphkit.engines.ENGINES`).
    scheduler : str, optional
        The Dask scheduler's address (``tcp://HOST:PORT``), with ``engine="dask"``.
    deduplicate : bool
        Count repeated and nearly repeated articles once (see :mod:`graphkit.ingest`).

    Returns
    -------
    BuildSummary
        Counts of documents (read, skipped, and unchanged ones taken from the store's cache), sentences,
        actors and relations, the seconds taken and the output paths.

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
    settings = build_settings(
        model=model,
        open_arguments=open_arguments,
        classifier=classifier,
        curation=curation,
        min_confidence=check_min_confidence(min_confidence),
    )
    out = Path(out_dir)
    paths = {name: str(out / filename) for name, filename in OUTPUT_FILES.items()}
    moment = fixed_time or started_at
    # The build's record while it runs: its end (and, when reproducible, its id) is known only at the end.
    provisional = BuildActivity(
        id=f"{moment:%Y%m%dT%H%M%S}Z-{uuid.uuid4().hex[:8]}",
        started=moment,
        ended=moment,
        version=__version__,
        model=model,
    )
    digest = ActivityDigest(model)
    graph = to_rdf([])
    documents = sentences = relations = unchanged = 0
    actors: set[str] = set()
    with contextlib.ExitStack() as stack:
        # Opened before the long extraction, so that a locked or unreachable store fails fast.
        target = stack.enter_context(open_store(store)) if store is not None else None
        cache = stack.enter_context(ExtractionCache(out / CACHE_FILE)) if target is not None else None
        staged = stack.enter_context(StagedFiles(paths.values()))
        triples_file = None  # staged with the first document, so that bad input leaves no output directory
        stream = _extractions(
            read_documents(inputs, strict=strict, skipped=skipped, deduplicate=deduplicate),
            settings=settings,
            store=target,
            cache=cache,
            model=model,
            open_arguments=open_arguments,
            classifier=classifier,
            jobs=jobs,
            engine=engine,
            scheduler=scheduler,
        )
        for extraction, fingerprint, fresh in track(
            stream, total=None, description="building", enabled=progress, words=lambda item: _words(item[0])
        ):
            if cache is not None:
                cache.keep(fingerprint, extraction if fresh else None, provisional.id)
            if rules is not None:
                extraction = curate(extraction, rules)
            extraction = confident(extraction, min_confidence)
            triples_file = triples_file or staged.open(paths["triples"])
            triples_file.write(to_jsonl(extraction.triples))
            to_rdf([extraction], graph, activity=provisional)
            digest.add(extraction)
            if target is not None and fresh:
                target.update(document_update(extraction, activity=provisional, digest=fingerprint))
            documents += 1
            unchanged += not fresh
            sentences += extraction.sentences
            relations += len(extraction.triples)
            actors.update(actor.key for actor in extraction.actors)
        if triples_file is None:
            staged.write_text(paths["triples"], "")
        activity = digest.activity(started=started_at, fixed_time=fixed_time)
        rename_build(graph, provisional, activity)
        staged.write_text(paths["graph"], serialize(graph, "ttl"))
        staged.write_text(paths["html"], render_html(actor_network(graph), title=title))
        if target is not None and cache is not None:
            target.update(build_update(provisional, activity))
            cache.forget_all_but(provisional.id)
            paths["store"] = target.location
    return BuildSummary(
        documents=documents,
        skipped=len(skipped),
        sentences=sentences,
        actors=len(actors),
        relations=relations,
        seconds=round(time.perf_counter() - started, 2),
        outputs=paths,
        unchanged=unchanged,
    )


def _extractions(
    documents: Iterable[Document],
    *,
    settings: str,
    store: GraphStore | None,
    cache: ExtractionCache | None,
    **engine_options: Any,
) -> Iterator[tuple[Extraction, str, bool]]:
    """Yield ``(extraction, build fingerprint, parsed now)`` for each document, in input order: parsed by
    the engine, or, when the store holds it unchanged and the cache has it, read from the cache.

    Only the fingerprints of cached documents waiting for the parse ahead of them are held, never texts.
    """
    pending: deque[tuple[str, bool]] = deque()  # (fingerprint, cached) of each document read, in order

    def to_parse() -> Iterator[Document]:
        for document in documents:
            fingerprint = document_digest(document, settings)
            cached = (
                store is not None
                and cache is not None
                and fingerprint in cache
                and store.holds(document.id, fingerprint)
            )
            pending.append((fingerprint, cached))
            if not cached:
                yield document

    def cached_ahead() -> Iterator[tuple[Extraction, str, bool]]:
        while pending and pending[0][1]:
            fingerprint = pending.popleft()[0]
            yield cache.get(fingerprint), fingerprint, False  # type: ignore[union-attr]

    for extraction in extract_stream(to_parse(), **engine_options):
        yield from cached_ahead()
        yield extraction, pending.popleft()[0], True
    yield from cached_ahead()


def build_settings(
    *,
    model: str,
    open_arguments: bool = False,
    classifier: bool = True,
    curation: str | os.PathLike[str] | None = None,
    min_confidence: float = 0.0,
) -> str:
    """What, besides a document, decides what a build extracts from it: graphkit's version, the model, open
    mode, the relation classifier, the curation file's content and the minimum confidence (as text, for
    :func:`document_digest`).

    >>> build_settings(model="m") == build_settings(model="m", open_arguments=True)
    False
    >>> build_settings(model="m") == build_settings(model="m", min_confidence=0.5)
    False
    """
    curated = hashlib.sha256(Path(curation).read_bytes()).hexdigest() if curation is not None else None
    settings: list[object] = [__version__, model, open_arguments, classifier, curated]
    if min_confidence:  # absent at 0, so stores built before the option keep their fingerprints
        settings.append(min_confidence)
    return json.dumps(settings)


def document_digest(document: Document, settings: str) -> str:
    """The build fingerprint of ``document``: SHA-256 over ``settings`` (:func:`build_settings`) and the
    document's id, text and metadata. A store records it; an unchanged fingerprint means an unchanged
    extraction.

    >>> settings = build_settings(model="m")
    >>> document_digest(Document("a", "Hi."), settings) == document_digest(Document("a", "Hi!"), settings)
    False
    """
    fields = [document.id, document.text, document.title, document.date, document.url, document.source]
    return hashlib.sha256(f"{settings}\n{json.dumps(fields)}".encode()).hexdigest()


class ActivityDigest:
    """The hash a reproducible build's id comes from, fed one extraction at a time: graphkit's version,
    the model, and each document read (id, text, metadata) with the triples extracted from it.

    >>> digest = ActivityDigest("m")
    >>> digest.add(Extraction(Document("a", "Hi."), sentences=1))
    >>> when = source_date("0")
    >>> digest.activity(started=when, fixed_time=when).id.startswith("19700101T000000Z-")
    True
    """

    def __init__(self, model: str) -> None:
        self.model = model
        self._hash = hashlib.sha256(f"{__version__}\n{model}\n".encode())

    def add(self, extraction: Extraction) -> None:
        document = extraction.document
        fields = [document.id, document.text, document.title, document.date, document.url, document.source]
        self._hash.update(json.dumps(fields).encode())
        self._hash.update(to_jsonl(extraction.triples).encode())

    def activity(self, *, started: datetime, fixed_time: datetime | None = None) -> BuildActivity:
        """The build's record (see :func:`build_activity`)."""
        if fixed_time is None:
            return BuildActivity(
                id=f"{started:%Y%m%dT%H%M%S}Z-{uuid.uuid4().hex[:8]}",
                started=started,
                ended=datetime.now(UTC),
                version=__version__,
                model=self.model,
            )
        return BuildActivity(
            id=f"{fixed_time:%Y%m%dT%H%M%S}Z-{self._hash.hexdigest()[:8]}",
            started=fixed_time,
            ended=fixed_time,
            version=__version__,
            model=self.model,
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
    graphkit's version, so the same inputs give the same graph. A build computes the hash as it goes
    (:class:`ActivityDigest`).

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
    digest = ActivityDigest(model)
    for extraction in extractions:
        digest.add(extraction)
    return digest.activity(started=started, fixed_time=fixed_time)
