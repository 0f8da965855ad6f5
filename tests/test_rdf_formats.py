"""RDF files: every format round-trips, errors name the file and the valid choices."""

from __future__ import annotations

import pytest
from rdflib.compare import isomorphic

from graphkit.errors import InputError, OutputError
from graphkit.rdf.formats import FORMATS, format_for_path, read_graph, serialize, write_graph
from graphkit.rdf.mapping import to_rdf


@pytest.fixture
def rdf_graph(sample_extractions):
    return to_rdf(sample_extractions)


def test_registry_has_the_documented_formats():
    assert {name: entry.rdflib_name for name, entry in FORMATS.items()} == {
        "ttl": "turtle",
        "nt": "nt",
        "jsonld": "json-ld",
        "trig": "trig",
        "nq": "nquads",
        "xml": "xml",
    }


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_each_format_round_trips_to_an_isomorphic_graph(rdf_graph, tmp_path, name):
    path = write_graph(rdf_graph, tmp_path / f"graph{FORMATS[name].extensions[0]}")
    assert isomorphic(read_graph(path), rdf_graph)
    assert isomorphic(read_graph(path, format=name), rdf_graph)


def test_write_leaves_no_temporary_file_and_creates_directories(rdf_graph, tmp_path):
    path = write_graph(rdf_graph, tmp_path / "out" / "graph.data", format="ttl")
    assert [p.name for p in path.parent.iterdir()] == ["graph.data"]


def test_serialize_does_not_modify_the_graph(rdf_graph):
    before = len(rdf_graph)
    serialize(rdf_graph, "nq")
    assert len(rdf_graph) == before


def test_serialize_accepts_rdflib_names(rdf_graph):
    assert serialize(rdf_graph, "turtle") == serialize(rdf_graph, "ttl")


@pytest.mark.parametrize("path", ["graph.ttl", "GRAPH.NT", "g.jsonld", "g.trig", "g.nq", "g.rdf"])
def test_format_is_guessed_from_the_extension(path):
    assert format_for_path(path) in FORMATS


def test_unknown_format_lists_valid_ones(rdf_graph, tmp_path):
    with pytest.raises(OutputError, match=r"'rdfa'.*ttl, nt, jsonld, trig, nq, xml"):
        write_graph(rdf_graph, tmp_path / "graph.ttl", format="rdfa")
    with pytest.raises(OutputError, match="graph.csv"):
        write_graph(rdf_graph, tmp_path / "graph.csv")


def test_missing_file_is_an_input_error_naming_it(tmp_path):
    with pytest.raises(InputError, match="nowhere.ttl"):
        read_graph(tmp_path / "nowhere.ttl")


@pytest.mark.parametrize(
    ("name", "content"), [("bad.ttl", "<a> <b> ."), ("bad.jsonld", "{"), ("bad.nt", "x y z")]
)
def test_parse_error_is_a_one_line_input_error_naming_the_file(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=name) as caught:
        read_graph(path)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_each_format_round_trips_a_dataset(rdf_graph, tmp_path, name):
    from rdflib.compare import isomorphic as same

    from graphkit.rdf.dataset import document_graphs, union_graph
    from graphkit.rdf.formats import read_dataset

    dataset = document_graphs(rdf_graph)
    back = read_dataset(write_graph(dataset, tmp_path / f"graph{FORMATS[name].extensions[0]}"))
    if FORMATS[name].quads:
        graphs = {g.identifier: g for g in dataset.graphs() if len(g)}
        read = {g.identifier: g for g in back.graphs() if len(g)}
        assert graphs.keys() == read.keys() and len(graphs) == 3
        assert all(same(graphs[name], read[name]) for name in graphs)
    assert same(union_graph(back), rdf_graph)


@pytest.mark.parametrize("name", ["trig", "nq"])
def test_quad_formats_split_a_plain_graph_by_document(rdf_graph, tmp_path, name):
    from graphkit.rdf.formats import read_dataset

    back = read_dataset(write_graph(rdf_graph, tmp_path / f"graph.{name}"))
    names = {str(g.identifier) for g in back.graphs() if len(g)}
    assert {"https://w3id.org/graphkit/document/a1", "https://w3id.org/graphkit/document/b2"} <= names
