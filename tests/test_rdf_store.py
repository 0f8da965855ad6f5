"""Stores: an embedded Oxigraph directory and a real Oxigraph server behind SPARQL 1.1, same layout."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from rdflib import RDF, URIRef
from rdflib.compare import isomorphic

from graphkit import identity
from graphkit.errors import InputError, StoreError
from graphkit.rdf.dataset import union_graph
from graphkit.rdf.formats import write_graph
from graphkit.rdf.mapping import to_rdf
from graphkit.rdf.ontology import PROV, SKOS
from graphkit.rdf.store import (
    EndpointStore,
    OxigraphStore,
    document_update,
    export,
    open_source,
    open_store,
    read_source,
    store_kind,
)
from graphkit.types import BuildActivity, Document, Extraction

WHEN = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
ACTIVITY = BuildActivity("b1", WHEN, WHEN, "0.1.0", "en_core_web_sm")


@pytest.fixture(params=["oxigraph", "sparql"])
def rdf_store(request, tmp_path):
    """An empty store of each kind: an Oxigraph directory, and a fresh dataset on the Oxigraph server."""
    if request.param == "oxigraph":
        store = open_store(str(tmp_path / "store"))
    else:
        store = open_store(request.getfixturevalue("rdf_oxigraph_server"))
        store.update("CLEAR ALL")
    with store:
        yield store


def _quads(store):
    return sum(1 for _ in store.dataset().quads())


def test_documents_written_one_by_one_give_the_graph_built_in_memory(rdf_store, sample_extractions):
    assert rdf_store.write(sample_extractions, activity=ACTIVITY) == 2
    assert isomorphic(union_graph(rdf_store.dataset()), to_rdf(sample_extractions, activity=ACTIVITY))
    assert rdf_store.documents() == ["a1", "b2"]


def test_rebuilding_a_document_replaces_it_and_never_duplicates(rdf_store, sample_extractions):
    rdf_store.write(sample_extractions, activity=ACTIVITY)
    before = _quads(rdf_store)
    rdf_store.write(sample_extractions[:1], activity=ACTIVITY)
    assert _quads(rdf_store) == before
    first = sample_extractions[0]
    rdf_store.write([replace(first, triples=first.triples[:1])], activity=ACTIVITY)
    statements = rdf_store.select("SELECT ?s WHERE { ?s a rdf:Statement ; prov:wasDerivedFrom gkd:a1 }").rows
    assert len(statements) == 1


def test_an_actor_keeps_its_first_label_and_other_names_become_aliases(rdf_store, sample_extractions):
    first, second = sample_extractions
    renamed = replace(second, actors=tuple(replace(a, label=a.label.upper()) for a in second.actors))
    rdf_store.write([first, renamed])
    union = union_graph(rdf_store.dataset())
    soleimani = URIRef(identity.actor_iri("qassem-soleimani"))
    assert [str(label) for label in union.objects(soleimani, SKOS.prefLabel)] == ["Qassem Soleimani"]
    assert "QASSEM SOLEIMANI" in {str(a) for a in union.objects(soleimani, SKOS.altLabel)}
    assert isomorphic(union, to_rdf([first, renamed]))


def test_text_with_quotes_backslashes_and_newlines_survives(rdf_store):
    text = "He said \"go\\home\"\nthen {left} 'now' — ünïcode"
    extraction = Extraction(Document("odd", text, title=text), sentences=1)
    rdf_store.write([extraction])
    assert isomorphic(union_graph(rdf_store.dataset()), to_rdf([extraction]))


def test_the_update_is_one_request_dropping_then_inserting_the_document_graph(sample_extractions):
    update = document_update(sample_extractions[0], activity=ACTIVITY)
    operations = update.split(" ;\n")
    assert operations[0] == f"DROP SILENT GRAPH <{identity.document_iri('a1')}>"
    assert operations[1].startswith("INSERT DATA {")


def test_an_oxigraph_store_persists_and_opens_read_only(tmp_path, sample_extractions):
    location = str(tmp_path / "store")
    with open_store(location) as store:
        store.write(sample_extractions)
    with open_source(location) as store:
        assert store.documents() == ["a1", "b2"]
    assert isomorphic(union_graph(read_source(location)), to_rdf(sample_extractions))


def test_a_file_is_a_source_too(tmp_path, sample_extractions):
    graph = to_rdf(sample_extractions)
    path = write_graph(graph, tmp_path / "graph.trig")
    with open_source(str(path)) as store:
        assert store.documents() == ["a1", "b2"]
    assert isomorphic(union_graph(read_source(str(path))), graph)


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "trig", "nq", "xml"])
def test_export_from_a_store_round_trips(tmp_path, sample_extractions, fmt):
    location = str(tmp_path / "store")
    with open_store(location) as store:
        store.write(sample_extractions)
    path = export(location, tmp_path / f"out.{fmt}", fmt)
    assert isomorphic(union_graph(read_source(str(path))), to_rdf(sample_extractions))


def test_store_kind_is_chosen_by_location():
    assert store_kind("https://example.org/sparql") == "sparql" and store_kind("out/store") == "oxigraph"
    assert isinstance(open_source("http://127.0.0.1:9/query"), EndpointStore)


def test_a_missing_source_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        open_source(str(tmp_path / "nowhere.ttl"))


def test_an_unreachable_endpoint_is_a_store_error():
    with pytest.raises(StoreError, match="127.0.0.1:9"):
        EndpointStore("http://127.0.0.1:9").documents()


def test_a_locked_oxigraph_store_is_a_store_error(tmp_path):
    location = str(tmp_path / "store")
    with open_store(location), pytest.raises(StoreError, match="cannot open"):
        OxigraphStore(location)


def test_every_statement_links_the_build(rdf_store, sample_extractions):
    rdf_store.write(sample_extractions, activity=ACTIVITY)
    union = union_graph(rdf_store.dataset())
    build = URIRef(identity.build_iri("b1"))
    statements = set(union.subjects(RDF.type, RDF.Statement))
    assert statements and all((s, PROV.wasGeneratedBy, build) in union for s in statements)
