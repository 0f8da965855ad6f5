"""SPARQL queries: named analyst questions, values bound (never pasted), results as plain text."""

from __future__ import annotations

import json

import pytest

from graphkit.errors import InputError
from graphkit.rdf.formats import write_graph
from graphkit.rdf.mapping import to_rdf
from graphkit.rdf.query import NAMED_QUERIES, QueryResult, format_result, run_query


@pytest.fixture
def graph_file(sample_extractions, tmp_path):
    return str(write_graph(to_rdf(sample_extractions), tmp_path / "graph.ttl"))


def test_top_actors_counts_distinct_relations_and_evidence(graph_file):
    result = run_query(graph_file, "top-actors")
    assert result.variables == ("actor", "label", "degree", "statements")
    top = {row[1]: (row[2], row[3]) for row in result.rows}
    # command and lead, from three statements; the negated meeting with Kerry does not count.
    assert top == {"Qassem Soleimani": ("2", "3"), "Quds Force": ("2", "3")}


def test_relations_between_two_actors_by_alias_either_way(graph_file):
    result = run_query(graph_file, "relations-between", {"first": "Quds Force", "second": "Soleimani"})
    columns = [result.variables.index(name) for name in ("relation", "document", "sentence")]
    assert sorted(tuple(row[i] for i in columns) for row in result.rows) == [
        ("commanded", "a1", "0"),
        ("commanded", "b2", "1"),
        ("led", "b2", "0"),
    ]


def test_reported_by_a_news_source(graph_file):
    result = run_query(graph_file, "reported-by", {"source": "Example News"})
    assert {row[result.variables.index("document")] for row in result.rows} == {"a1"}
    assert len(result.rows) == 2


@pytest.mark.parametrize("value", ['Example News" } ?s ?p ?o {', "Example News' . ?x ?y ?z", "<urn:x>"])
def test_bound_values_are_never_pasted_into_the_query(graph_file, value):
    assert run_query(graph_file, "reported-by", {"source": value}).rows == ()


def test_a_named_query_without_its_value_names_the_option(graph_file):
    with pytest.raises(InputError, match="--bind first=VALUE --bind second=VALUE"):
        run_query(graph_file, "relations-between")


def test_ask_and_construct(graph_file):
    assert run_query(graph_file, "ASK { gka:john-kerry a gk:Person }").boolean is True
    turtle = run_query(graph_file, "CONSTRUCT { ?a skos:prefLabel ?l } WHERE { ?a skos:prefLabel ?l }").turtle
    assert "John Kerry" in turtle


def test_invalid_sparql_is_a_one_line_input_error(graph_file):
    with pytest.raises(InputError, match="not valid") as caught:
        run_query(graph_file, "SELECT ?x WHERE {")
    assert "\n" not in str(caught.value)


def test_a_bad_variable_name_is_refused(graph_file):
    with pytest.raises(InputError, match="variable name"):
        run_query(graph_file, "SELECT ?x WHERE { ?x ?p ?o }", {"x y": "1"})


RESULT = QueryResult(("actor", "n"), (("https://w3id.org/graphkit/actor/a", "1"), ("urn:b", None)))


def test_formats():
    assert format_result(RESULT, "csv") == "actor,n\nhttps://w3id.org/graphkit/actor/a,1\nurn:b,\n"
    assert json.loads(format_result(RESULT, "json")) == [
        {"actor": "https://w3id.org/graphkit/actor/a", "n": "1"},
        {"actor": "urn:b", "n": None},
    ]
    table = format_result(RESULT, "table").splitlines()
    assert (
        table[0].split() == ["actor", "n"] and table[2].split() == ["gka:a", "1"] and table[-1] == "(2 rows)"
    )
    assert format_result(QueryResult(boolean=False), "table") == "false\n"


def test_unknown_format_lists_choices():
    with pytest.raises(InputError, match="table, csv, json"):
        format_result(RESULT, "xml")


def test_named_queries_declare_their_parameters_in_the_projection():
    for name, named in NAMED_QUERIES.items():
        projection = named.sparql.split("WHERE")[0]
        assert all(f"?{parameter}" in projection for parameter in named.parameters), name


def test_queries_run_the_same_on_an_endpoint(rdf_oxigraph_server, sample_extractions, graph_file):
    from graphkit.rdf.store import open_store

    with open_store(rdf_oxigraph_server) as store:
        store.update("CLEAR ALL")
        store.write(sample_extractions)
    for name, bindings in [
        ("top-actors", {}),
        ("relations-between", {"first": "Quds Force", "second": "Soleimani"}),
    ]:
        assert run_query(rdf_oxigraph_server, name, bindings) == run_query(graph_file, name, bindings)
