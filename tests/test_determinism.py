"""The same input gives the same outputs: with SOURCE_DATE_EPOCH set, even the build's own record."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rdflib import RDF, Literal
from rdflib.compare import isomorphic

from graphkit.build import build, build_activity, source_date
from graphkit.errors import InputError
from graphkit.rdf.formats import read_graph
from graphkit.rdf.ontology import GK, PROV
from graphkit.types import Document, Extraction

SEED_ARTICLE = Path(__file__).parents[1] / "examples" / "seed"
EPOCH = "1700000000"


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory) -> tuple[dict[str, str], dict[str, str]]:
    """The seed article built twice with SOURCE_DATE_EPOCH: here, and in a process of another hash seed."""
    folder = tmp_path_factory.mktemp("determinism")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        here = build([str(SEED_ARTICLE)], folder / "here").outputs
    command = [
        sys.executable,
        "-m",
        "graphkit.cli",
        "build",
        str(SEED_ARTICLE),
        "--out",
        str(folder / "there"),
    ]
    environment = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONHASHSEED": "random"}
    subprocess.run([*command, "--quiet"], env=environment, check=True, timeout=120)
    there = {name: str(Path(folder / "there", Path(path).name)) for name, path in here.items()}
    return here, there


def _bytes(path: str) -> bytes:
    return Path(path).read_bytes()


@pytest.mark.model
def test_same_input_gives_the_same_triples_and_an_isomorphic_graph(two_builds):
    here, there = two_builds
    assert _bytes(here["triples"]) == _bytes(there["triples"]) and _bytes(here["triples"])
    first, second = read_graph(here["graph"]), read_graph(there["graph"])
    assert isomorphic(first, second)
    (activity,) = first.subjects(RDF.type, GK.Build)
    moment = Literal(datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC))
    assert first.value(activity, PROV.startedAtTime) == moment == first.value(activity, PROV.endedAtTime)


@pytest.mark.model
def test_same_input_gives_the_same_page_in_another_process(two_builds):
    here, there = two_builds
    assert _bytes(here["html"]) == _bytes(there["html"])


def _extraction(text: str) -> Extraction:
    return Extraction(Document(id="a1", text=text), sentences=1)


def test_the_reproducible_build_id_follows_inputs_and_model():
    when = source_date(EPOCH)
    started = datetime.now(UTC)

    def activity_id(text: str, model: str = "m") -> str:
        return build_activity([_extraction(text)], model=model, started=started, fixed_time=when).id

    assert activity_id("Rebels attacked.") == activity_id("Rebels attacked.")
    assert activity_id("Rebels attacked.") != activity_id("Rebels attacked!")
    assert activity_id("Rebels attacked.") != activity_id("Rebels attacked.", model="other")
    assert activity_id("x").startswith("20231114T221320Z-")


def test_without_source_date_epoch_every_build_is_its_own_activity():
    started = datetime.now(UTC)
    first, second = (build_activity([_extraction("x")], model="m", started=started) for _ in range(2))
    assert first.id != second.id and first.started == started <= first.ended


@pytest.mark.parametrize("epoch", ["yesterday", "1.5", "", "99999999999999999999"])
def test_a_malformed_source_date_epoch_is_refused(epoch):
    with pytest.raises(InputError, match="SOURCE_DATE_EPOCH"):
        source_date(epoch)
