"""The build job's RDF wiring: provenance of the build, curation and stores."""

from __future__ import annotations

import importlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import RDF, Literal
from rdflib.compare import isomorphic

from graphkit import __version__
from graphkit.build import CACHE_FILE, OUTPUT_FILES, build
from graphkit.rdf.dataset import union_graph
from graphkit.rdf.formats import read_graph
from graphkit.rdf.ontology import GK, PROV, SCHEMA
from graphkit.rdf.read import read_actors
from graphkit.rdf.store import open_source, read_source
from graphkit.rdf.validate import validate_graph

pytestmark = pytest.mark.model
build_module = importlib.import_module("graphkit.build")  # graphkit.build is also the function

ARTICLE = "Rebels killed a top intelligence officer and executed 10 soldiers. The army attacked the rebels."


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return str(path)


def test_the_graph_records_the_build_and_conforms(article, tmp_path):
    summary = build([article], tmp_path / "out")
    graph = read_graph(summary.outputs["graph"])
    (activity,) = graph.subjects(RDF.type, GK.Build)
    assert graph.value(activity, GK.graphkitVersion) == Literal(__version__)
    assert graph.value(activity, PROV.startedAtTime) <= graph.value(activity, PROV.endedAtTime)
    statements = set(graph.subjects(RDF.type, RDF.Statement))
    assert len(statements) == 3 and all(graph.value(s, PROV.wasGeneratedBy) == activity for s in statements)
    assert validate_graph(graph).conforms
    assert set(summary.outputs) == {"graph", "triples", "html"}


def test_a_store_accumulates_builds_and_a_rebuilt_document_is_replaced(article, tmp_path):
    store = str(tmp_path / "store")
    other = tmp_path / "other.txt"
    other.write_text("The army attacked the rebels.", encoding="utf-8")
    build([article], tmp_path / "one", store=store)
    first = sum(1 for _ in read_source(store).quads())
    build([article], tmp_path / "two", store=store)
    statements = "SELECT ?s WHERE { ?s a rdf:Statement }"
    with open_source(store) as opened:
        assert len(opened.select(statements).rows) == 3
    build([str(other)], tmp_path / "three", store=store)
    with open_source(store) as opened:
        assert opened.documents() == ["article.txt", "other.txt"]
        assert len(opened.select(statements).rows) == 4
        builds = opened.select("SELECT ?b WHERE { ?b a gk:Build }").rows
    assert len(builds) == 3 and first > 0


def _without_fingerprints(graph):
    """The graph without the build fingerprints a store records for incremental builds."""
    graph.remove((None, SCHEMA.sha256, None))
    return graph


def test_the_store_holds_what_the_files_hold_and_the_fingerprints(article, tmp_path):
    summary = build([article], tmp_path / "out", store=str(tmp_path / "store"))
    assert summary.outputs["store"] == str(tmp_path / "store")
    held = union_graph(read_source(str(tmp_path / "store")))
    assert len(set(held.objects(None, SCHEMA.sha256))) == 1
    assert isomorphic(_without_fingerprints(held), read_graph(summary.outputs["graph"]))


def _three_articles(folder: Path) -> list[str]:
    folder.mkdir()
    texts = ["The army attacked the rebels.", "Rebels killed ten soldiers.", "Police arrested two men."]
    for number, text in enumerate(texts):
        (folder / f"{number}.txt").write_text(text, encoding="utf-8")
    return [str(folder)]


def test_a_rerun_into_a_store_skips_unchanged_documents_and_writes_the_same_outputs(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    inputs, store = _three_articles(tmp_path / "articles"), str(tmp_path / "store")
    first = build(inputs, tmp_path / "out", store=store)
    before = {name: Path(path).read_bytes() for name, path in first.outputs.items() if name != "store"}
    second = build(inputs, tmp_path / "out", store=store)
    assert (first.unchanged, second.unchanged, second.documents) == (0, 3, 3)
    assert {name: Path(second.outputs[name]).read_bytes() for name in before} == before
    fresh = build(inputs, tmp_path / "fresh")
    assert Path(fresh.outputs["triples"]).read_bytes() == before["triples"]
    assert isomorphic(read_graph(fresh.outputs["graph"]), read_graph(second.outputs["graph"]))
    # The store holds each document once, all linked to the build that wrote it.
    with open_source(store) as opened:
        assert opened.documents() == ["0.txt", "1.txt", "2.txt"]
        assert len(opened.select("SELECT ?b WHERE { ?b a gk:Build }").rows) == 1


def test_a_new_minimum_confidence_rebuilds_the_store_with_only_the_surer_triples(tmp_path):
    inputs, store = _three_articles(tmp_path / "articles"), str(tmp_path / "store")
    # two pattern triples (0.65), one at 0.8 and a classifier guess
    (tmp_path / "articles" / "2.txt").write_text(
        "John Smith, a lawyer from Boston, joined Microsoft.", encoding="utf-8"
    )
    every = build(inputs, tmp_path / "out", store=store)
    lines = Path(every.outputs["triples"]).read_text(encoding="utf-8").splitlines()
    confidences = sorted(json.loads(line)["confidence"] for line in lines)
    cut = (confidences[0] + confidences[-1]) / 2
    surer = build(inputs, tmp_path / "out", store=store, min_confidence=cut)
    assert surer.unchanged == 0 and surer.relations == sum(c >= cut for c in confidences) < len(confidences)
    query = "SELECT ?c WHERE { ?s a rdf:Statement ; gk:confidence ?c }"
    with open_source(store) as opened:
        stored = [float(row[0]) for row in opened.select(query).rows]
    assert len(stored) == surer.relations and min(stored) >= cut


def test_a_changed_document_is_parsed_again_and_replaces_its_statements(tmp_path):
    inputs, store = _three_articles(tmp_path / "articles"), str(tmp_path / "store")
    build(inputs, tmp_path / "out", store=store)
    (tmp_path / "articles" / "1.txt").write_text("Rebels killed a judge.", encoding="utf-8")
    summary = build(inputs, tmp_path / "out", store=store)
    assert summary.unchanged == 2
    query = "SELECT ?text WHERE { ?s a rdf:Statement ; gk:objectText ?text }"
    with open_source(store) as opened:
        objects = sorted(str(row[0]) for row in opened.select(query).rows)
    lines = Path(summary.outputs["triples"]).read_text(encoding="utf-8").splitlines()
    assert objects == sorted(json.loads(line)["object"]["text"] for line in lines)
    assert "soldiers" not in objects and summary.relations == len(objects)


def test_an_unreadable_cache_is_replaced_with_a_warning(tmp_path, caplog):
    inputs, store = _three_articles(tmp_path / "articles"), str(tmp_path / "store")
    first = build(inputs, tmp_path / "out", store=store)
    (tmp_path / "out" / CACHE_FILE).write_bytes(b"not a database")
    with caplog.at_level("WARNING", logger="graphkit"):
        second = build(inputs, tmp_path / "out", store=store)
    assert "build cache" in caplog.text and "unreadable" in caplog.text
    assert (second.documents, second.unchanged, second.relations) == (3, 0, first.relations)
    assert build(inputs, tmp_path / "out", store=store).unchanged == 3  # the new cache serves the next run


def test_an_interrupted_build_resumes_where_it_stopped(tmp_path, monkeypatch):
    inputs, store = _three_articles(tmp_path / "articles"), str(tmp_path / "store")
    real_stream = build_module.extract_stream

    def interrupted(documents, **options):
        for number, extraction in enumerate(real_stream(documents, **options)):
            if number == 2:
                raise KeyboardInterrupt
            yield extraction

    monkeypatch.setattr(build_module, "extract_stream", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(inputs, tmp_path / "out", store=store)
    assert not (tmp_path / "out" / "graph.ttl").exists()
    monkeypatch.undo()
    parsed = []
    monkeypatch.setattr(
        build_module,
        "extract_stream",
        lambda documents, **options: real_stream((parsed.append(d.id) or d for d in documents), **options),
    )
    summary = build(inputs, tmp_path / "out", store=store)
    assert parsed == ["2.txt"] and (summary.documents, summary.unchanged) == (3, 2)
    assert Path(summary.outputs["graph"]).exists()


def test_curation_applies_to_records_and_rdf(tmp_path):
    article = tmp_path / "kerry.txt"
    article.write_text("John Kerry met Sergei Lavrov in Geneva. Kerry criticized Russia.", encoding="utf-8")
    curation = tmp_path / "curation.json"
    # A person merged into a country: the target is written as a key, with its family.
    rules = {"merge": {"Sergei Lavrov": "russia.place"}, "rename": {"Russia": "Russian Federation"}}
    curation.write_text(json.dumps(rules), encoding="utf-8")
    summary = build([str(article)], tmp_path / "out", curation=curation)
    lines = Path(summary.outputs["triples"]).read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    # The rules' triples; the relation classifier may add its own guesses ("lives in Geneva").
    assert {r["object"]["label"] for r in records if r["pattern"] != "classifier"} == {"Russian Federation"}
    assert "Sergei Lavrov" not in {r[end]["label"] for r in records for end in ("subject", "object")}
    actors = {actor.key: actor for actor in read_actors(read_graph(summary.outputs["graph"]))}
    assert "sergei-lavrov.person" not in actors
    russia = actors["russia.place"]
    assert russia.label == "Russian Federation" and "Sergei Lavrov" in russia.aliases


WIKINEWS = Path(__file__).parents[1] / "examples" / "wikinews" / "articles.jsonl"
TEMPORARY = re.compile(r"\.(graph\.ttl|triples\.jsonl|graph\.html)\.\w+\.tmp")


def _write_articles(folder: Path, records: list[dict]) -> None:
    for record in records:
        (folder / f"{record['id']}.txt").write_text(record["text"], encoding="utf-8")


def _outputs(out: Path) -> dict[str, bytes]:
    """The finished outputs in ``out``; any other file must be a temporary file of an atomic write."""
    names = {path.name for path in out.iterdir()} if out.exists() else set()
    assert all(name in OUTPUT_FILES.values() or TEMPORARY.fullmatch(name) for name in names), names
    return {name: (out / name).read_bytes() for name in OUTPUT_FILES.values() if name in names}


def _build_process(folder: Path, out: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "graphkit.cli", "build", str(folder), "--out", str(out), "--quiet"]
    environment = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}  # the same input, the same bytes
    return subprocess.Popen(command, env=environment, stderr=subprocess.DEVNULL)


def _killed_build(folder: Path, out: Path, writing: str | None) -> dict[str, bytes]:
    """Run ``graphkit build`` and SIGKILL it 1.5 s in (parsing), or the moment it starts writing the output
    file ``writing``; return the outputs it left."""
    process = _build_process(folder, out)
    deadline = time.monotonic() + (60 if writing else 1.5)
    while time.monotonic() < deadline and process.poll() is None:
        if writing and any(path.name.startswith(f".{writing}.") for path in out.iterdir()):
            break
        time.sleep(0.0005)
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL, "the build ended before it was killed"
    return _outputs(out)


def test_a_killed_build_leaves_whole_files_and_a_rerun_finishes(tmp_path):
    records = [json.loads(line) for line in WIKINEWS.read_text(encoding="utf-8").splitlines()]
    folder, out = tmp_path / "articles", tmp_path / "out"
    folder.mkdir()
    _write_articles(folder, records[:5])
    build([str(folder)], out)
    previous = _outputs(out)
    _write_articles(folder, records[5:])
    # Killed while parsing, and while writing the last output (the others already replaced).
    killed = [_killed_build(folder, out, writing) for writing in (None, "graph.html")]

    assert _build_process(folder, out).wait(timeout=120) == 0
    finished = _outputs(out)
    assert set(finished) == set(OUTPUT_FILES.values())
    assert all(finished[name] != previous[name] for name in finished)
    for snapshot in killed:
        assert set(snapshot) == set(OUTPUT_FILES.values())
        assert all(content in (previous[name], finished[name]) for name, content in snapshot.items())
    assert killed[0] == previous
