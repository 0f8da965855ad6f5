"""The CoNLL04 benchmark, end to end and strict, as SpERT and REBEL score it.

A predicted relation counts when its type, both arguments' spans and both arguments' entity types equal a
gold relation's (:func:`score_strict`). The relation type of a triple is the CoNLL04 type its category maps
to, and an argument is the predicted entity its mention falls in, typed by the entity's label; both
mappings are data (``data/corpus_types.json``, ``data/actor_types.json``). Sentences are parsed on the
corpus's own tokens, so a span means the same tokens on both sides; spans are compared as character
offsets into the sentence's text, the tokens joined by single spaces.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from spacy.tokens import Doc

from graphkit.corpora import AnnotatedDocument, CorpusTypes, corpus_types, read_corpus
from graphkit.errors import InputError
from graphkit.extract.nlp import DEFAULT_MODEL, corpus_doc
from graphkit.extract.pipeline import Extractor
from graphkit.extract.triples import ATTRIBUTION_PATTERN
from graphkit.progress import track
from graphkit.resources import load_json
from graphkit.types import Extraction

CONLL04 = "conll04"

Entity = tuple[int, int, str]
"""A typed span: ``(start, end, type)`` in characters of the sentence's text."""

Relation = tuple[str, Entity, Entity]
"""A typed relation: ``(type, head, tail)``."""


class SentenceTuples(NamedTuple):
    """What the strict scorer sees of one sentence: gold and predicted entities and relations."""

    gold_entities: frozenset[Entity]
    gold_relations: frozenset[Relation]
    predicted_entities: frozenset[Entity]
    predicted_relations: frozenset[Relation]


def _prf(correct: int, predicted: int, gold: int) -> dict[str, float]:
    precision = correct / predicted if predicted else 0.0
    recall = correct / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def _rounded(scores: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 4) for k, v in scores.items()}


def _score(pairs: Iterable[tuple[frozenset, frozenset]], types: Iterable[str], kind) -> dict[str, Any]:
    gold: Counter[str] = Counter()
    predicted: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    for gold_items, predicted_items in pairs:
        gold.update(kind(item) for item in gold_items)
        predicted.update(kind(item) for item in predicted_items)
        correct.update(kind(item) for item in gold_items & predicted_items)
    per_type = {
        type_: {
            **_prf(correct[type_], predicted[type_], gold[type_]),
            "n_gold": gold[type_],
            "n_pred": predicted[type_],
        }
        for type_ in sorted(set(types) | set(gold) | set(predicted))
    }
    macro = {
        k: sum(row[k] for row in per_type.values()) / len(per_type) if per_type else 0.0
        for k in ("precision", "recall", "f1")
    }
    return {
        "micro": _rounded(_prf(sum(correct.values()), sum(predicted.values()), sum(gold.values()))),
        "macro": _rounded(macro),
        "per_type": {
            type_: {
                **_rounded({k: row[k] for k in ("precision", "recall", "f1")}),
                "n_gold": row["n_gold"],
                "n_pred": row["n_pred"],
            }
            for type_, row in per_type.items()
        },
        "n_gold": sum(gold.values()),
        "n_pred": sum(predicted.values()),
    }


def score_strict(
    sentences: Iterable[SentenceTuples],
    *,
    relation_types: Iterable[str] = (),
    entity_types: Iterable[str] = (),
) -> dict[str, Any]:
    """Strict precision, recall and F1 of relations and entities: exact spans and types, or nothing.

    A predicted relation is correct when a gold relation of the same sentence has its type, its head and
    tail spans and their entity types; a predicted entity when a gold entity has its span and type.
    Duplicates count once. Micro figures pool every type; macro figures are the means of the per-type
    precision, recall and F1 over ``relation_types`` (``entity_types``) and any other type seen.

    Parameters
    ----------
    sentences : iterable of SentenceTuples
    relation_types, entity_types : iterable of str
        The benchmark's types, each scored (with zeros) even when neither gold nor prediction has it.

    Returns
    -------
    dict
        ``micro`` and ``macro`` (``precision``, ``recall``, ``f1``), ``per_type`` (type -> the three and
        ``n_gold``, ``n_pred``), ``n_gold``, ``n_pred``, and ``entities`` holding the same for entities.
        Figures are rounded to 4 decimals; a ratio with a zero denominator is 0.0.

    Examples
    --------
    >>> ann, acme = (0, 3, "Peop"), (10, 14, "Org")
    >>> acme_as_place = (10, 14, "Loc")
    >>> sentence = SentenceTuples(
    ...     frozenset({ann, acme}), frozenset({("Work_For", ann, acme)}),
    ...     frozenset({ann, acme_as_place}), frozenset({("Work_For", ann, acme_as_place)}))
    >>> result = score_strict([sentence], relation_types=["Work_For", "Kill"])
    >>> result["micro"], result["macro"]["f1"], result["entities"]["micro"]["f1"]
    ({'precision': 0.0, 'recall': 0.0, 'f1': 0.0}, 0.0, 0.5)
    """
    sentences = list(sentences)
    relations = _score(((s.gold_relations, s.predicted_relations) for s in sentences), relation_types, _first)
    entities = _score(((s.gold_entities, s.predicted_entities) for s in sentences), entity_types, _last)
    return {**relations, "entities": entities}


def _first(relation: Relation) -> str:
    return relation[0]


def _last(entity: Entity) -> str:
    return entity[2]


# --- running the extractor -----------------------------------------------------------------------------


def gold_tuples(document: AnnotatedDocument) -> tuple[frozenset[Entity], frozenset[Relation]]:
    """The gold entities and relations of a document as scorer tuples."""
    entities = [(e.start, e.end, e.type) for e in document.entities]
    relations = frozenset((r.type, entities[r.head], entities[r.tail]) for r in document.relations)
    return frozenset(entities), relations


class _Typing:
    """Maps predicted labels, actor classes and categories onto CoNLL04 types."""

    def __init__(self, types: CorpusTypes) -> None:
        self.types = types
        self.corpus_labels = set(types.entities) | set(types.actor_classes.values())
        self.actor_types = {k: v for k, v in load_json("actor_types.json").items() if not k.startswith("_")}

    def label(self, label: str) -> str | None:
        if label in self.corpus_labels:
            return label
        return self.types.actor_classes.get(self.actor_types.get(label, ""))

    def predicted(self, doc: Doc, extraction: Extraction) -> tuple[frozenset[Entity], frozenset[Relation]]:
        entities = [
            (ent.start_char, ent.end_char, type_) for ent in doc.ents if (type_ := self.label(ent.label_))
        ]

        def argument(start: int, end: int, actor_class: str) -> Entity | None:
            inside = [e for e in entities if e[0] <= start and end <= e[1]]
            if inside:
                return inside[0]
            span = doc.char_span(start, end, alignment_mode="expand")
            type_ = self.types.actor_classes.get(actor_class)
            return (span.start_char, span.end_char, type_) if span is not None and type_ else None

        relations = set()
        for triple in extraction.triples:
            type_ = self.types.relation_type(triple.categories)
            if triple.provenance.pattern == ATTRIBUTION_PATTERN or type_ is None:
                continue
            head = argument(triple.subject.start, triple.subject.end, triple.subject.type)
            tail = argument(triple.object.start, triple.object.end, triple.object.type)
            if head and tail and head != tail:
                relations.add((type_, head, tail))
        return frozenset(entities), frozenset(relations)


def _parse(
    documents: list[AnnotatedDocument], extractor: Extractor, progress: bool
) -> Iterator[tuple[Doc, Extraction]]:
    docs = (corpus_doc(extractor.nlp, document) for document in documents)
    parsed = extractor.nlp.pipe(docs, batch_size=64)
    for document, doc in track(
        zip(documents, parsed, strict=True), total=len(documents), description="extracting", enabled=progress
    ):
        yield doc, extractor.from_doc(document.document(), doc)


def evaluate_conll04(
    path: str | Path,
    *,
    model: str = DEFAULT_MODEL,
    open_arguments: bool = False,
    progress: bool = False,
    classifier: bool = True,
) -> dict[str, Any]:
    """Score the extractor end to end on a CoNLL04 file (SpERT JSON), strictly.

    Parameters
    ----------
    path : path
        A SpERT JSON file (``conll04/test.json``).
    model : str
        spaCy pipeline to parse with: a package, or a directory written by ``graphkit train``.
    open_arguments : bool
        Run the extractor in open mode.
    progress : bool
        Draw a progress bar on standard error.
    classifier : bool
        Extract with the relation classifier that goes with ``model``; ``False``: the patterns alone.

    Returns
    -------
    dict
        ``benchmark``, ``model``, ``classifier``, ``documents`` and the :func:`score_strict` figures
        over CoNLL04's five relation types and four entity types.

    Raises
    ------
    InputError
        When the file is missing or malformed, or is not tokenized (not SpERT JSON).
    """
    documents = read_corpus(path)
    if any(document.words is None for document in documents):
        raise InputError(
            f"{str(path)!r} is not a SpERT JSON file (a list of tokenized sentences); give conll04/*.json"
        )
    types = corpus_types(CONLL04)
    typing = _Typing(types)
    extractor = Extractor(model, open_arguments=open_arguments, classifier=classifier)
    sentences = []
    for document, (doc, extraction) in zip(documents, _parse(documents, extractor, progress), strict=True):
        sentences.append(SentenceTuples(*gold_tuples(document), *typing.predicted(doc, extraction)))
    entity_types = sorted({e.type for d in documents for e in d.entities})
    result = score_strict(sentences, relation_types=types.relations, entity_types=entity_types)
    return {
        "benchmark": CONLL04,
        "model": model,
        "classifier": extractor.classifier is not None,
        "documents": len(documents),
        **result,
    }


def format_conll04(result: dict[str, Any]) -> str:
    """Render an :func:`evaluate_conll04` result as a readable table.

    >>> row = {"precision": 0.5, "recall": 0.25, "f1": 0.3333}
    >>> print(format_conll04({"benchmark": "conll04", "micro": row, "macro": row, "n_gold": 4, "n_pred": 2,
    ...     "per_type": {"Kill": {**row, "n_gold": 4, "n_pred": 2}},
    ...     "entities": {"micro": row, "macro": row, "per_type": {}, "n_gold": 0, "n_pred": 0}}))
    conll04 (strict)
    relations  micro: precision 0.500  recall 0.250  F1 0.333  macro F1 0.333  (4 gold, 2 predicted)
      type          precision  recall      F1  n_gold  n_pred
      Kill              0.500   0.250   0.333       4       2
    entities   micro: precision 0.500  recall 0.250  F1 0.333  macro F1 0.333  (0 gold, 0 predicted)
    """
    lines = [f"{result['benchmark']} (strict)"]
    for name, scores in (("relations", result), ("entities", result["entities"])):
        micro = scores["micro"]
        lines.append(
            f"{name:<10} micro: precision {micro['precision']:.3f}  recall {micro['recall']:.3f}  "
            f"F1 {micro['f1']:.3f}  macro F1 {scores['macro']['f1']:.3f}  "
            f"({scores['n_gold']} gold, {scores['n_pred']} predicted)"
        )
        if scores["per_type"]:
            lines.append(f"  {'type':<12}  precision  recall      F1  n_gold  n_pred")
        lines.extend(
            f"  {type_:<12}  {row['precision']:9.3f}  {row['recall']:6.3f}  {row['f1']:6.3f}  "
            f"{row['n_gold']:6d}  {row['n_pred']:6d}"
            for type_, row in scores["per_type"].items()
        )
    return "\n".join(lines)
