"""Execution engines: where extraction runs — on this machine (``local``: in this process or a pool of
worker processes) or on a Dask cluster (``dask``).

Every engine takes a stream of :class:`~graphkit.types.Document` and yields one
:class:`~graphkit.types.Extraction` per document, **in input order**, so a build writes the same outputs
whichever engine ran it. Engines are looked up by name in :data:`ENGINES`.
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing
import os
import sys
import threading
import warnings
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import fields
from typing import Any

from graphkit.errors import GraphkitError, ModelError
from graphkit.extract.nlp import DEFAULT_MODEL
from graphkit.extract.pipeline import Extractor
from graphkit.types import Document, Extraction

# A Dask task holds up to BATCH_SIZE documents and takes no more past BATCH_CHARACTERS of text: a few seconds
# of parsing, long enough that scheduling costs little, short enough that workers share the work evenly.
BATCH_SIZE = 16
BATCH_CHARACTERS = 20_000
BATCHES_PER_WORKER = 2  # batches out per worker: one running, one queued so the worker never waits
CONNECT_TIMEOUT = "10s"


def extract_local(
    documents: Iterable[Document],
    *,
    model: str = DEFAULT_MODEL,
    open_arguments: bool = False,
    classifier: bool = True,
    jobs: int = 1,
    scheduler: str | None = None,
) -> Iterator[Extraction]:
    """Extract on this machine: in this process, or with ``jobs`` > 1 in a pool of worker processes.

    Each worker process loads the pipeline once and does the whole extraction (parse, mentions,
    coreference, rules, classifier) on batches of documents, sending back only the extractions' fields —
    far less than the parsed ``Doc`` objects spaCy's own ``n_process`` would ship back to be worked on
    here. Input that fills fewer batches than ``jobs`` is extracted here, without starting processes. At
    most :data:`BATCHES_PER_WORKER` batches per worker are out at a time and results come back in
    input order, so memory stays flat.

    ``scheduler`` is accepted so every engine takes the same options, and must be ``None``.

    Raises
    ------
    GraphkitError
        When ``scheduler`` is given, or a worker process dies (out of memory on a huge document).
    ModelError
        When the model cannot load.

    Examples
    --------
    >>> [e.document.id for e in extract_local([Document("a", "Rebels killed ten soldiers.")])]
    ['a']
    """
    if scheduler is not None:
        raise GraphkitError(f"--scheduler {scheduler} needs --engine dask; the local engine runs here")
    options = (model, open_arguments, classifier)
    if jobs == 1:
        return Extractor(model, open_arguments=open_arguments, classifier=classifier).extract_many(documents)
    return _stream_pool(documents, options, jobs)


#: The most worker processes ``--jobs 0`` starts: each holds its own copy of the pipeline (about 250 MiB
#: with the small English model), so a large machine is not filled with copies unasked.
MAX_DEFAULT_JOBS = 8


def default_jobs() -> int:
    """Worker processes by default: one per CPU this process may run on, at most :data:`MAX_DEFAULT_JOBS`."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MAX_DEFAULT_JOBS))


def _stream_pool(
    documents: Iterable[Document], options: tuple[str, bool, bool], jobs: int
) -> Iterator[Extraction]:
    batches = _batches(documents, BATCH_SIZE, BATCH_CHARACTERS)
    first = list(itertools.islice(batches, jobs))
    if len(first) < jobs:  # too little work to be worth starting processes: do it here
        extractor = Extractor(options[0], open_arguments=options[1], classifier=options[2])
        yield from extractor.extract_many(document for batch in first for document in batch)
        return
    # fork, as spaCy's own n_process does: spawn would re-import the caller's main module, which breaks
    # scripts without an ``if __name__ == "__main__"`` guard.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        pending: deque[tuple[list[Document], Future]] = deque()
        try:
            for batch in itertools.chain(first, batches):
                pending.append((batch, pool.submit(_extract_batch, batch, *options)))
                if len(pending) >= BATCHES_PER_WORKER * jobs:
                    yield from _collect(*pending.popleft(), where="in a worker process")
            while pending:
                yield from _collect(*pending.popleft(), where="in a worker process")
        except BrokenProcessPool:
            raise GraphkitError(
                "a worker process died while extracting: it may have run out of memory; "
                "use fewer --jobs or send shorter documents"
            ) from None
        finally:
            for _, future in pending:
                future.cancel()


def extract_dask(
    documents: Iterable[Document],
    *,
    model: str = DEFAULT_MODEL,
    open_arguments: bool = False,
    classifier: bool = True,
    jobs: int = 1,
    scheduler: str | None = None,
) -> Iterator[Extraction]:
    """Extract on a Dask cluster: the one at ``scheduler``, else a local cluster of ``jobs`` processes.

    Documents go to the workers in batches (:data:`BATCH_SIZE`, :data:`BATCH_CHARACTERS`); at most
    :data:`BATCHES_PER_WORKER` batches per worker thread are out at a time (counted from the oldest batch
    not yet yielded), so memory stays flat however long the stream. Each worker process builds its
    :class:`Extractor` once, on its first batch, and keeps it. A worker sends back each extraction's fields
    but the document (sentence count, actors, triples); the extraction is rebuilt here around the original
    :class:`Document`, so the text crosses the wire once.

    The local cluster listens on 127.0.0.1 only, with one thread per worker and no dashboard; it is shut
    down when the stream ends or is closed. With ``scheduler``, ``jobs`` is not used: the cluster's workers
    are.

    Raises
    ------
    GraphkitError
        When Dask is not installed, or the scheduler cannot be reached (when the stream is first read).
    ModelError
        When a worker cannot load ``model``.
    """
    try:
        import distributed  # noqa: F401  (checked here so a missing extra fails before any work)
    except ImportError:
        raise GraphkitError(
            "the dask engine needs Dask: pip install 'graphkit[dask]', or use --engine local"
        ) from None
    return _stream_dask(
        documents,
        model=model,
        open_arguments=open_arguments,
        classifier=classifier,
        jobs=jobs,
        scheduler=scheduler,
    )


def _stream_dask(
    documents: Iterable[Document],
    *,
    model: str,
    open_arguments: bool,
    classifier: bool,
    jobs: int,
    scheduler: str | None,
) -> Iterator[Extraction]:
    from distributed import KilledWorker, LocalCluster

    cluster = None
    if scheduler is None:
        with warnings.catch_warnings():
            # The scheduler's health endpoint moves off a busy port 8787 by itself; no need to say so.
            warnings.filterwarnings("ignore", message="Port .* is already in use", category=UserWarning)
            cluster = LocalCluster(
                n_workers=jobs,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
                # A failed task is reported here as one GraphkitError; the workers' own log of it is noise.
                silence_logs=logging.CRITICAL,
            )
    try:
        client = _connect(cluster.scheduler_address if cluster else scheduler)
        with client:
            pending: deque[tuple[list[Document], Any]] = deque()
            for batch in _batches(documents, BATCH_SIZE, BATCH_CHARACTERS):
                future = client.submit(_extract_batch, batch, model, open_arguments, classifier, pure=False)
                pending.append((batch, future))
                # Workers may join or leave a real cluster while the stream runs: size the window each time.
                if len(pending) >= BATCHES_PER_WORKER * max(sum(client.nthreads().values()), 1):
                    yield from _collect(*pending.popleft(), where=_ON_DASK)  # the oldest: keeps input order
            while pending:
                yield from _collect(*pending.popleft(), where=_ON_DASK)
    except KilledWorker as error:
        raise GraphkitError(
            f"a Dask worker died while extracting ({error}): it may have run out of memory; "
            "give workers more memory or send shorter documents"
        ) from None
    finally:
        if cluster is not None:
            cluster.close()


def _connect(address: str) -> Any:
    from distributed import Client
    from distributed.comm import resolve_address

    # Checked before a Client exists: a Client that fails on a malformed address hangs at exit closing.
    try:
        resolve_address(address)
    except ValueError as error:
        raise GraphkitError(
            f"--scheduler {address} is not a Dask scheduler address ({error}): give it as tcp://HOST:PORT"
        ) from None
    except OSError as error:  # the host name does not resolve
        raise _unreachable(address, str(error)) from None
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError):
        raise _unreachable(address, f"no answer within {CONNECT_TIMEOUT}") from None
    try:
        client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
    except TimeoutError:
        client.close()
        raise GraphkitError(
            f"the Dask scheduler at {address} has no workers after {CONNECT_TIMEOUT}: "
            f"start `dask worker {address}` on the machines that should do the work"
        ) from None
    return client


def _unreachable(address: str, reason: str) -> GraphkitError:
    return GraphkitError(
        f"cannot reach the Dask scheduler at {address} ({reason}): start it with `dask scheduler` and check "
        "the address and port, or leave out --scheduler"
    )


def _batches(documents: Iterable[Document], size: int, characters: int) -> Iterator[list[Document]]:
    """Consecutive documents, ``size`` at most, cut after the one that passes ``characters`` of text.

    >>> documents = [Document(id, "x" * length) for id, length in zip("abcde", [5, 1, 9, 1, 1])]
    >>> [[d.id for d in batch] for batch in _batches(documents, 2, 5)]
    [['a'], ['b', 'c'], ['d', 'e']]
    """
    batch: list[Document] = []
    length = 0
    for document in documents:
        batch.append(document)
        length += len(document.text)
        if len(batch) == size or length >= characters:
            yield batch
            batch, length = [], 0
    if batch:
        yield batch


_ON_DASK = "on a Dask worker"


def _collect(batch: list[Document], future: Any, where: str) -> Iterator[Extraction]:
    try:
        results = future.result()
    except ModelError as error:
        hint = " (graphkit and the model must be installed on every worker)" if where == _ON_DASK else ""
        raise ModelError(f"{where}: {error}{hint}") from None
    for document, extracted in zip(batch, results, strict=True):
        yield Extraction(document=document, **extracted)


# Worker side. One Extractor per worker process and options, built on the first batch; the lock keeps a
# worker with several threads from building it twice or parsing with it from two threads at once (spaCy
# parsing holds the GIL anyway: run workers with one thread and more processes).
_EXTRACTORS: dict[tuple[str, bool, bool], Extractor] = {}
_LOADS: Counter[tuple[str, bool, bool]] = Counter()
_WORKER_LOCK = threading.Lock()
_EXTRACTED = tuple(field.name for field in fields(Extraction) if field.name != "document")


def _extract_batch(
    documents: list[Document], model: str, open_arguments: bool, classifier: bool
) -> list[dict[str, Any]]:
    """Each document's extraction without the document (the client has it): field name -> value."""
    key = (model, open_arguments, classifier)
    with _WORKER_LOCK:
        if key not in _EXTRACTORS:
            _EXTRACTORS[key] = Extractor(model, open_arguments=open_arguments, classifier=classifier)
            _LOADS[key] += 1
            _one_torch_thread()
        extractor = _EXTRACTORS[key]
        return [
            {name: getattr(extraction, name) for name in _EXTRACTED}
            for extraction in extractor.extract_many(documents)
        ]


def _one_torch_thread() -> None:
    """A worker is one of several sharing the machine's cores: a transformer classifier's torch, when one
    was loaded, computes on one thread (by default it takes a thread per core in every worker, and the
    workers' threads then fight over the cores)."""
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_num_threads(1)


def _worker_loads() -> dict[tuple[str, bool, bool], int]:
    """Extractors this process built, by (model, open_arguments, classifier): for tests and benchmarks."""
    return dict(_LOADS)


Engine = Callable[..., Iterator[Extraction]]

ENGINES: dict[str, Engine] = {"local": extract_local, "dask": extract_dask}


def extract_stream(
    documents: Iterable[Document],
    *,
    model: str = DEFAULT_MODEL,
    open_arguments: bool = False,
    classifier: bool = True,
    jobs: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
) -> Iterator[Extraction]:
    """Extract every document with the engine named ``engine``, yielding extractions in input order.

    Parameters
    ----------
    documents : iterable of Document
        The articles; read lazily, so a large corpus streams through.
    model : str
        spaCy pipeline package name or directory.
    open_arguments : bool
        Open mode (see :class:`graphkit.extract.pipeline.Extractor`).
    classifier : bool
        ``False``: the rules alone, without the relation classifier.
    jobs : int
        Processes to parse with (``local``), or workers of the local cluster started when ``dask`` has no
        ``scheduler``.
    engine : str
        A key of :data:`ENGINES`: ``"local"`` or ``"dask"``.
    scheduler : str, optional
        Address of a running Dask scheduler (``tcp://host:8786``); only with ``engine="dask"``.

    Yields
    ------
    Extraction
        One per document, in the order the documents came in.

    Raises
    ------
    GraphkitError
        When ``engine`` is unknown, or the engine cannot run (see each engine).

    Examples
    --------
    >>> docs = [Document("a", "Rebels killed ten soldiers."), Document("b", "Nothing happened.")]
    >>> [e.document.id for e in extract_stream(docs, engine="local")]
    ['a', 'b']
    """
    try:
        run = ENGINES[engine]
    except KeyError:
        raise GraphkitError(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}") from None
    return run(
        documents,
        model=model,
        open_arguments=open_arguments,
        classifier=classifier,
        jobs=jobs,
        scheduler=scheduler,
    )
