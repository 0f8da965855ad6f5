"""Hostile and broken articles end to end: markup in names, ids and metadata stays data in every output,
RDF parses strictly, SPARQL values are bound, and an enormous line is read like any other."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from graphkit.build import build
from graphkit.errors import InputError
from graphkit.ingest import read_documents
from graphkit.rdf.formats import read_graph, serialize
from graphkit.rdf.query import run_query

pytestmark = pytest.mark.model

ARMY = "alert(document.cookie)</script Army"
ARTICLES = [
    {
        "id": 'a b"c<d>{e}|f\\g^h`i\nj',
        "title": "<img src=x onerror=alert(1)>",
        "date": '2024-01-01" ; DROP',
        "url": "javascript:alert(3)",
        "source": '"><script>alert(4)</script>',
        "text": 'Soldiers of the "><script>alert(document.cookie)</script> Army attacked the rebels. '
        "The <img src=x onerror=alert(1)> Brigade attacked the army.",
    },
    {"id": "ok", "text": "The army attacked <b>Free Syrian Army</b> rebels."},
]
UNSAFE_IRI_CHARACTERS = set(' "<>{}|\\^`') | {chr(code) for code in range(0x21)}


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("hostile")
    articles = folder / "hostile.jsonl"
    articles.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    return build([str(articles)], folder / "out").outputs


def test_triple_records_keep_hostile_text_as_data(hostile_build):
    lines = Path(hostile_build["triples"]).read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert {record["doc"] for record in records} == {ARTICLES[0]["id"], "ok"}
    assert ARMY in {record["subject"]["label"] for record in records}


def test_every_iri_is_safe_and_n_triples_parse_strictly(hostile_build):
    graph = read_graph(hostile_build["graph"])
    iris = {str(term) for triple in graph for term in triple if isinstance(term, URIRef)}
    assert iris and not [iri for iri in iris if set(iri) & UNSAFE_IRI_CHARACTERS]
    parsed = list(ox.parse(serialize(graph, "nt"), format=ox.RdfFormat.N_TRIPLES))
    assert len(parsed) == len(graph)
    turtle = Path(hostile_build["graph"]).read_bytes()
    assert len(list(ox.parse(turtle, format=ox.RdfFormat.TURTLE))) == len(graph)


@pytest.mark.parametrize(
    ("name", "rows"),
    [(ARMY, 1), ('x" } UNION { ?actor ?p ?name } #', 0), ("x' . ?actor ?p ?name . #", 0)],
)
def test_sparql_values_are_bound_never_pasted(hostile_build, name, rows):
    query = "SELECT ?actor ?name WHERE { ?actor skos:prefLabel ?name }"
    assert len(run_query(hostile_build["graph"], query, {"name": name}).rows) == rows


@pytest.mark.parametrize(
    ("query", "bindings"),
    [
        ("SELECT ?a WHERE { ?a ?p ?o }", {"a": "<x> } #>"}),
        ("SELECT ?a WHERE { ?a skos:prefLabel ?name }", {"name": "x"}),
    ],
)
def test_a_bad_binding_is_a_user_error(hostile_build, query, bindings):
    with pytest.raises(InputError):
        run_query(hostile_build["graph"], query, bindings)


def test_a_100000_character_line_is_read_and_extracted(tmp_path, extract_model):
    sentence = "Rebels attacked the army near the border and the ministry condemned them. "
    path = tmp_path / "long.txt"
    path.write_text((sentence * 1400)[:100_000], encoding="utf-8")
    (document,) = read_documents([str(path)], strict=True)
    assert len(document.text) == 100_000 and "\n" not in document.text
    extraction = extract_model.extract(document)
    assert extraction.sentences > 1000 and len(extraction.triples) > 1000
    for triple in extraction.triples:
        start, end = triple.subject.start, triple.subject.end
        assert document.text[start:end] == triple.subject.text
