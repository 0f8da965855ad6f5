"""The execution engines: local and Dask give the same extractions, in input order."""

from __future__ import annotations

import logging
import pickle
import sys
import types
from pathlib import Path

import pytest

try:
    import distributed
except ImportError:
    distributed = None

from graphkit import engines
from graphkit.engines import extract_stream
from graphkit.errors import GraphkitError, ModelError
from graphkit.types import Document

# A second cluster's health endpoint moves off a busy port 8787 and says so.
pytestmark = pytest.mark.filterwarnings("ignore:Port .* is already in use:UserWarning")

SEED = Path(__file__).parent / "fixtures" / "seed_article.txt"
SENTENCES = [
    "Rebels killed ten soldiers in Deir Ezzor.",
    "Nothing happened today.",
    "The army attacked the rebels in Homs.",
    "John Kerry met Sergei Lavrov in Geneva.",
]


@pytest.fixture(scope="module")
def documents() -> list[Document]:
    """Short news sentences, some with triples and one without, plus the seed article."""
    short = [Document(id=f"s{number}", text=text) for number, text in enumerate(SENTENCES * 3)]
    seed = Document(id="seed", text=SEED.read_text(encoding="utf-8"))
    return [*short[:6], seed, *short[6:]]


@pytest.fixture(scope="module")
def local_extractions(extract_model, documents):
    return list(extract_model.extract_many(documents))


@pytest.mark.model
def test_local_engine_yields_what_the_extractor_does_in_input_order(documents, local_extractions):
    extractions = list(extract_stream(documents, engine="local"))
    assert [e.document.id for e in extractions] == [d.id for d in documents]
    assert extractions == local_extractions
    assert any(e.triples for e in extractions)


@pytest.mark.model
def test_local_worker_pool_yields_the_same_in_input_order(documents, local_extractions, monkeypatch):
    monkeypatch.setattr(engines, "BATCH_SIZE", 2)  # several batches per process, so order is put to the test
    extractions = list(extract_stream(documents, engine="local", jobs=2))
    assert [e.document.id for e in extractions] == [d.id for d in documents]
    assert extractions == local_extractions


def test_local_worker_pool_names_a_model_that_cannot_load(monkeypatch):
    monkeypatch.setattr(engines, "BATCH_SIZE", 1)
    with pytest.raises(ModelError, match="in a worker process: .*no_such_model"):
        list(extract_stream([Document("a", "Text.")] * 2, model="no_such_model", jobs=2))


@pytest.mark.model
def test_too_little_work_for_the_pool_stays_in_this_process(monkeypatch, documents, local_extractions):
    def no_pool(*args, **kwargs):
        raise AssertionError("no worker process should start")

    monkeypatch.setattr(engines, "ProcessPoolExecutor", no_pool)
    monkeypatch.setattr(engines, "BATCH_SIZE", len(documents))  # one batch for two processes
    assert list(extract_stream(documents, jobs=2)) == local_extractions


def test_unknown_engine_names_the_choices():
    with pytest.raises(GraphkitError, match=r"unknown engine 'spark': choose one of local, dask"):
        extract_stream([], engine="spark")


def test_scheduler_without_dask_engine_is_refused():
    with pytest.raises(GraphkitError, match="needs --engine dask"):
        extract_stream([], engine="local", scheduler="tcp://127.0.0.1:8786")


def test_missing_dask_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # makes `import distributed` raise ImportError
    with pytest.raises(GraphkitError, match=r"pip install 'graphkit\[dask\]'"):
        extract_stream([], engine="dask")


@pytest.mark.model
def test_extractions_survive_pickling_as_sent_between_processes(local_extractions):
    assert pickle.loads(pickle.dumps(local_extractions)) == local_extractions


# --- Dask: slower (each worker process imports spaCy and loads the model), so kept to a few documents ----


def dask_test(test):
    """Mark a test as running Dask workers (slower), skipped when Dask is not installed."""
    needs_dask = pytest.mark.skipif(
        distributed is None, reason="the Dask engine needs pip install 'graphkit[dask]'"
    )
    return pytest.mark.dask(needs_dask(test))


@pytest.fixture(scope="module")
def cluster():
    """A 2-worker LocalCluster on 127.0.0.1 (one thread each), shared by the Dask tests."""
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        silence_logs=logging.CRITICAL,
    ) as local_cluster:
        yield local_cluster


@dask_test
@pytest.mark.model
def test_dask_engine_gives_the_local_extractions_in_input_order(
    cluster, documents, local_extractions, monkeypatch
):
    monkeypatch.setattr(engines, "BATCH_SIZE", 2)  # several batches per worker, so order is put to the test
    extractions = list(extract_stream(documents, engine="dask", scheduler=cluster.scheduler_address))
    assert [e.document.id for e in extractions] == [d.id for d in documents]
    assert extractions == local_extractions


@dask_test
@pytest.mark.model
def test_dask_workers_load_the_model_once_each(cluster, documents, monkeypatch):
    monkeypatch.setattr(engines, "BATCH_SIZE", 1)
    for _ in range(2):  # two streams of 13 one-document batches each
        list(extract_stream(documents, engine="dask", scheduler=cluster.scheduler_address))
    with distributed.Client(cluster, set_as_default=False) as client:
        loads = client.run(engines._worker_loads)
    counts = [count for per_worker in loads.values() for count in per_worker.values()]
    assert len(loads) == 2
    assert counts and all(count == 1 for count in counts)


@dask_test
@pytest.mark.model
def test_dask_engine_reads_only_a_window_of_batches_ahead(cluster, documents, monkeypatch):
    monkeypatch.setattr(engines, "BATCH_SIZE", 1)
    read = []

    def stream():
        for document in documents:
            read.append(document.id)
            yield document

    extractions = extract_stream(stream(), engine="dask", scheduler=cluster.scheduler_address)
    first = next(extractions)
    extractions.close()
    assert first.document.id == documents[0].id
    assert len(read) == engines.BATCHES_PER_WORKER * 2 < len(documents)  # 2 workers of one thread


@dask_test
@pytest.mark.model
def test_dask_engine_starts_its_own_local_cluster_without_scheduler(documents, local_extractions):
    # One worker: the cluster is started and shut down the same way for any number, and sooner.
    extractions = list(extract_stream(documents[:3], engine="dask", jobs=1))
    assert extractions == local_extractions[:3]


@dask_test
def test_worker_that_cannot_load_the_model_names_it(cluster):
    stream = extract_stream(
        [Document("a", "Rebels fled.")],
        engine="dask",
        model="no_such_model",
        scheduler=cluster.scheduler_address,
    )
    with pytest.raises(ModelError, match=r"on a Dask worker: cannot load spaCy model 'no_such_model'"):
        list(stream)


@dask_test
@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("tcp://127.0.0.1:1", r"reach the Dask scheduler at tcp://127\.0\.0\.1:1 \(no answer within 1s"),
        ("tcp://nohost.invalid:8786", r"cannot reach the Dask scheduler at tcp://nohost\.invalid:8786 \("),
        ("nonsense", r"--scheduler nonsense is not a Dask scheduler address .*tcp://HOST:PORT"),
    ],
)
def test_bad_scheduler_is_one_error_naming_the_address(address, message, monkeypatch):
    monkeypatch.setattr(engines, "CONNECT_TIMEOUT", "1s")
    with pytest.raises(GraphkitError, match=message):
        list(extract_stream([Document("a", "Rebels fled.")], engine="dask", scheduler=address))


@dask_test
def test_scheduler_without_workers_says_to_start_them(monkeypatch):
    monkeypatch.setattr(engines, "CONNECT_TIMEOUT", "1s")
    empty = distributed.LocalCluster(
        n_workers=0, host="127.0.0.1", dashboard_address=None, silence_logs=logging.CRITICAL
    )
    stream = extract_stream([Document("a", "Rebels fled.")], engine="dask", scheduler=empty.scheduler_address)
    with empty, pytest.raises(GraphkitError, match="has no workers after 1s: start `dask worker tcp://"):
        list(stream)


def test_a_worker_gives_a_loaded_torch_one_thread(monkeypatch):
    calls = []
    monkeypatch.setitem(sys.modules, "torch", types.SimpleNamespace(set_num_threads=calls.append))
    engines._one_torch_thread()
    assert calls == [1]
    monkeypatch.delitem(sys.modules, "torch")
    engines._one_torch_thread()  # no torch loaded: nothing to limit, nothing imported
    assert calls == [1] and "torch" not in sys.modules
