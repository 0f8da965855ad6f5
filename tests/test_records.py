from __future__ import annotations

import json
from dataclasses import replace

from graphkit.identity import actor_iri, category_iri, relation_iri
from graphkit.records import TSV_COLUMNS, to_jsonl, to_tsv_rows, triple_record


def test_record_has_the_documented_shape(sample_extractions):
    triple = sample_extractions[0].triples[0]
    record = triple_record(triple)
    assert set(record) == {
        "doc",
        "sentence",
        "evidence",
        "subject",
        "predicate",
        "object",
        "categories",
        "confidence",
        "negated",
        "modality",
        "attributed_to",
        "pattern",
    }
    assert set(record["subject"]) >= {"label", "text", "start", "end", "type", "iri"}
    assert set(record["predicate"]) == {"label", "lemma", "text", "start", "end", "relation"}
    assert record["subject"]["iri"] == actor_iri(triple.subject.key)
    assert record["predicate"]["relation"] == relation_iri("command")
    assert record["categories"] == [category_iri("in-charge-of")]


def test_a_triple_without_categories_has_an_empty_list(sample_extractions):
    triple = replace(sample_extractions[0].triples[0], categories=())
    assert triple_record(triple)["categories"] == []


def test_jsonl_is_one_parsable_record_per_triple(sample_extractions):
    triples = [t for e in sample_extractions for t in e.triples]
    lines = to_jsonl(triples).splitlines()
    assert [json.loads(line)["doc"] for line in lines] == [t.provenance.doc_id for t in triples]


def test_tsv_rows_have_one_cell_per_column_even_with_tabs_in_text(sample_extractions):
    rows = to_tsv_rows(sample_extractions[0].triples).splitlines()
    assert all(len(row.split("\t")) == len(TSV_COLUMNS) for row in rows)


def test_tsv_categories_column_holds_local_names(sample_extractions):
    triple = replace(sample_extractions[0].triples[0], categories=("attack", "kill"))
    (row,) = to_tsv_rows([triple]).splitlines()
    cells = dict(zip(TSV_COLUMNS, row.split("\t"), strict=True))
    assert cells["categories"] == "attack,kill"
    assert cells["evidence"] == triple.provenance.evidence
