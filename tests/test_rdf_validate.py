"""SHACL validation: graphkit's own output conforms; each broken rule is reported on one readable line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import PROV

from graphkit.rdf.dataset import document_graphs
from graphkit.rdf.mapping import to_rdf
from graphkit.rdf.ontology import GK, SKOS
from graphkit.rdf.validate import format_report, validate, validate_graph
from graphkit.types import BuildActivity, Document

STARTED = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
ACTIVITY = BuildActivity("test-build", STARTED, STARTED + timedelta(seconds=3), "0.1.0", "en_core_web_sm")


@pytest.fixture
def rdf_graph(sample_extractions):
    return to_rdf(sample_extractions, activity=ACTIVITY)


def _statement(graph):
    return sorted(graph.subjects(RDF.type, RDF.Statement))[0]


@pytest.mark.parametrize("activity", [None, ACTIVITY])
def test_graphs_built_from_extractions_conform(sample_extractions, activity):
    report = validate_graph(to_rdf(sample_extractions, activity=activity))
    assert report.conforms and report.violations == ()


def test_a_dataset_with_named_graphs_conforms(rdf_graph):
    assert validate_graph(document_graphs(rdf_graph)).conforms


@pytest.mark.model
def test_a_real_extraction_conforms(extract_model):
    text = (
        "Rebels killed a top intelligence officer and executed 10 soldiers, the Syrian Observatory for "
        "Human Rights said. The army did not attack the rebels. John Kerry met Sergei Lavrov in Geneva."
    )
    extraction = extract_model.extract(Document("real", text, title="Clashes", date="2024-06-01"))
    assert extraction.triples
    report = validate_graph(to_rdf([extraction], activity=ACTIVITY))
    assert report.conforms, format_report(report)


def _break_confidence(graph):
    graph.set((_statement(graph), GK.confidence, Literal(1.5)))


def _drop_label(graph):
    graph.remove((URIRef("https://w3id.org/graphkit/actor/john-kerry"), SKOS.prefLabel, None))


def _drop_document(graph):
    graph.remove((_statement(graph), PROV.wasDerivedFrom, None))


def _untyped_subject(graph):
    graph.remove((URIRef("https://w3id.org/graphkit/actor/quds-force"), RDF.type, None))


def _end_before_start(graph):
    build = URIRef("https://w3id.org/graphkit/build/test-build")
    graph.set((build, PROV.endedAtTime, Literal(STARTED - timedelta(days=1))))


def _two_labels(graph):
    graph.add((URIRef("https://w3id.org/graphkit/actor/john-kerry"), SKOS.prefLabel, Literal("Kerry")))


@pytest.mark.parametrize(
    ("damage", "focus", "path"),
    [
        (_break_confidence, "statement/a1/0", "gk:confidence"),
        (_drop_label, "gka:john-kerry", "skos:prefLabel"),
        (_drop_document, "statement/a1/0", "prov:wasDerivedFrom"),
        (_untyped_subject, "gka:quds-force", None),
        (_end_before_start, "gkb:test-build", "prov:startedAtTime"),
        (_two_labels, "gka:john-kerry", "skos:prefLabel"),
    ],
)
def test_each_broken_rule_is_a_violation_naming_node_and_property(rdf_graph, damage, focus, path):
    damage(rdf_graph)
    report = validate_graph(rdf_graph)
    assert not report.conforms
    assert any(focus in v.focus and (path is None or v.path == path) for v in report.violations), (
        report.violations
    )


def test_report_is_one_line_per_violation_and_a_count(rdf_graph):
    _break_confidence(rdf_graph)
    _drop_label(rdf_graph)
    text = format_report(validate_graph(rdf_graph))
    *lines, closing = text.splitlines()
    assert closing.endswith("triples") and closing.startswith(f"{len(lines)} violation")
    assert any("gk:confidence" in line and "[0, 1]" in line and '"1.5"' in line for line in lines)


def test_conforming_report_says_so(rdf_graph):
    assert format_report(validate_graph(rdf_graph)).startswith("conforms:")


def test_validate_reads_a_file(rdf_graph, tmp_path):
    path = tmp_path / "graph.ttl"
    path.write_text(rdf_graph.serialize(format="turtle"), encoding="utf-8")
    assert validate(str(path)).conforms
