"""The build job's RDF wiring: provenance of the build, curation and stores."""

from __future__ import annotations

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
from graphkit.build import OUTPUT_FILES, build
from graphkit.rdf.dataset import union_graph
from graphkit.rdf.formats import read_graph
from graphkit.rdf.ontology import GK, PROV
from graphkit.rdf.read import read_actors
from graphkit.rdf.store import open_source, read_source
from graphkit.rdf.validate import validate_graph

pytestmark = pytest.mark.model

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


def test_the_store_holds_what_the_files_hold(article, tmp_path):
    summary = build([article], tmp_path / "out", store=str(tmp_path / "store"))
    assert summary.outputs["store"] == str(tmp_path / "store")
    assert isomorphic(union_graph(read_source(str(tmp_path / "store"))), read_graph(summary.outputs["graph"]))


def test_curation_applies_to_records_and_rdf(tmp_path):
    article = tmp_path / "kerry.txt"
    article.write_text("John Kerry met Sergei Lavrov in Geneva. Kerry criticized Russia.", encoding="utf-8")
    curation = tmp_path / "curation.json"
    # A person merged into a country: the target is written as a key, with its family.
    rules = {"merge": {"Sergei Lavrov": "russia.place"}, "rename": {"Russia": "Russian Federation"}}
    curation.write_text(json.dumps(rules), encoding="utf-8")
    summary = build([str(article)], tmp_path / "out", curation=curation)
    lines = Path(summary.outputs["triples"]).read_text(encoding="utf-8").splitlines()
    assert {json.loads(line)["object"]["label"] for line in lines} == {"Russian Federation"}
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
