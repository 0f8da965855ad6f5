"""The triple record: the stable JSON shape of ``triples.jsonl`` and ``graphkit extract``, and its TSV view.

One JSON object per triple::

    {"doc": "<document id>", "sentence": 0, "evidence": "<sentence text>",
     "subject":   {"label", "text", "start", "end", "type", "iri", "quantity"},
     "predicate": {"label", "lemma", "text", "start", "end", "relation"},
     "object":    {same fields as subject},
     "categories": ["<relation category IRI>", ...],
     "confidence": 0.0, "negated": false, "modality": null, "attributed_to": null,
     "pattern": "<rule id>"}

Offsets are character offsets into the document's text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from graphkit.identity import actor_iri, category_iri, relation_iri
from graphkit.types import Argument, Triple

TSV_COLUMNS = (
    "doc",
    "sentence",
    "subject",
    "predicate",
    "object",
    "confidence",
    "negated",
    "modality",
    "attributed_to",
    "subject_type",
    "object_type",
    "categories",
    "evidence",
)


def _argument(argument: Argument) -> dict[str, Any]:
    record: dict[str, Any] = {
        "label": argument.label,
        "text": argument.text,
        "start": argument.start,
        "end": argument.end,
        "type": argument.type,
        "iri": actor_iri(argument.key),
    }
    if argument.quantity is not None:
        record["quantity"] = argument.quantity
    return record


def triple_record(triple: Triple) -> dict[str, Any]:
    """Return the JSON-ready record of one triple (see the module docstring)."""
    predicate = triple.predicate
    return {
        "doc": triple.provenance.doc_id,
        "sentence": triple.provenance.sentence,
        "evidence": triple.provenance.evidence,
        "subject": _argument(triple.subject),
        "predicate": {
            "label": predicate.label,
            "lemma": predicate.lemma,
            "text": predicate.text,
            "start": predicate.start,
            "end": predicate.end,
            "relation": relation_iri(predicate.lemma),
        },
        "object": _argument(triple.object),
        "categories": [category_iri(name) for name in triple.categories],
        "confidence": triple.confidence,
        "negated": triple.negated,
        "modality": triple.modality,
        "attributed_to": triple.attribution.label if triple.attribution else None,
        "pattern": triple.provenance.pattern,
    }


# Characters that JSON allows raw in strings but that line readers (str.splitlines) take for line breaks.
_LINE_BREAKS = {"\u2028": "\\u2028", "\u2029": "\\u2029", "\u0085": "\\u0085"}


def _json_line(record: dict[str, Any]) -> str:
    line = json.dumps(record, ensure_ascii=False)
    for character, escape in _LINE_BREAKS.items():
        line = line.replace(character, escape)
    return line + "\n"


def to_jsonl(triples: Iterable[Triple]) -> str:
    """Serialize triples as JSON Lines, one record per line, in the order given.

    >>> from graphkit.types import Argument, Predicate, Provenance, Triple
    >>> a = Argument("A", "a.person", "Person", "A", 0, 1)
    >>> evidence = Provenance("d", 0, "A\u2028met", 0, 5, "p")
    >>> t = Triple(a, Predicate("met", "meet", "met", 2, 5), a, evidence, 1.0)
    >>> len(to_jsonl([t]).splitlines())
    1
    """
    return "".join(_json_line(triple_record(t)) for t in triples)


def _cell(value: object) -> str:
    return str(value).replace("\t", " ").replace("\r", " ").replace("\n", " ")


def tsv_header() -> str:
    return "\t".join(TSV_COLUMNS) + "\n"


def to_tsv_rows(triples: Iterable[Triple]) -> str:
    """Serialize triples as tab-separated rows (no header): the columns of :data:`TSV_COLUMNS`.

    ``categories`` holds the local names of the relation's categories, comma-separated (``attack,kill``).
    """
    rows = []
    for t in triples:
        values = (
            t.provenance.doc_id,
            t.provenance.sentence,
            t.subject.label,
            t.predicate.label,
            t.object.label,
            t.confidence,
            str(t.negated).lower(),
            t.modality or "",
            t.attribution.label if t.attribution else "",
            t.subject.type,
            t.object.type,
            ",".join(t.categories),
            t.provenance.evidence,
        )
        rows.append("\t".join(_cell(v) for v in values) + "\n")
    return "".join(rows)
