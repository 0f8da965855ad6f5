"""The RE3D benchmark: how well graphkit's extractor finds the relations of Dstl's RE3D documents.

The scoring is kept apart from running the extractor: :func:`score_relations` takes spans in and gives
numbers out, so it is tested on hand-made spans with known answers.

RE3D (Dstl's Relationship and Entity Extraction Evaluation Dataset) annotates conflict documents with
typed relations between entity spans. A triple is scored on its argument spans alone (see
:func:`score_relations`) and, *typed*, on its spans and its RE3D type: the type its relation category maps
to in ``data/corpus_types.json``. RE3D does not annotate who reported what, so
graphkit's ``reported`` triples (the source of a claim towards its subject, pattern
``attribution-reported``) are left out of its score: every one would count as wrong.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from graphkit.corpora import AnnotatedDocument, CorpusTypes, corpus_types, read_corpus
from graphkit.extract.nlp import DEFAULT_MODEL
from graphkit.extract.pipeline import Extractor
from graphkit.extract.triples import ATTRIBUTION_PATTERN
from graphkit.progress import track
from graphkit.types import Document, Extraction

Span = tuple[int, int]
"""A half-open character span ``(start, end)`` into a document's text."""

SpanPair = tuple[Span, Span]
"""The ``(subject, object)`` spans of one extracted triple."""

RE3D_CONFIGURATIONS: dict[str, frozenset[str]] = {
    "all": frozenset(),
    # Location and synonym links rather than relations between actors.
    "actor_relations": frozenset({"CoLocated", "IsSynonymOf", "HasAttrOf"}),
}
"""RE3D scoring configurations: name -> gold relation types left out."""


@dataclass(frozen=True)
class GoldRelation:
    """One annotated relation: its type and the spans of its two arguments (direction is not scored)."""

    type: str
    source: Span
    target: Span


class DocumentSpans(NamedTuple):
    """What the scorer sees of one document: gold relations, gold entity spans, the triples' spans and,
    for typed scoring, each triple's RE3D type (``None`` when its category maps to none)."""

    relations: tuple[GoldRelation, ...]
    entities: tuple[Span, ...]
    triples: tuple[SpanPair, ...]
    triple_types: tuple[str | None, ...] = ()


@dataclass(frozen=True)
class GoldDocument:
    """A benchmark document with its gold annotation."""

    document: Document
    entities: tuple[Span, ...]
    relations: tuple[GoldRelation, ...]


def overlaps(a: Span, b: Span) -> bool:
    """Whether two half-open spans share at least one character; touching spans do not overlap.

    >>> overlaps((0, 5), (4, 9)), overlaps((0, 5), (5, 9))
    (True, False)
    """
    return a[0] < b[1] and b[0] < a[1]


def matches(triple: SpanPair, relation: GoldRelation) -> bool:
    """Whether a triple's subject overlaps one argument of ``relation`` and its object the other.

    >>> matches(((0, 3), (10, 14)), GoldRelation("AlliesOf", source=(9, 12), target=(1, 2)))
    True
    """
    subject, obj = triple
    return (overlaps(subject, relation.source) and overlaps(obj, relation.target)) or (
        overlaps(subject, relation.target) and overlaps(obj, relation.source)
    )


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def _micro(correct: int, scored: int, found: int, gold: int) -> dict[str, float]:
    precision, recall = _ratio(correct, scored), _ratio(found, gold)
    f1 = _ratio(2 * precision * recall, precision + recall)
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def score_relations(
    documents: Iterable[DocumentSpans], *, excluded_types: Collection[str] = (), typed: bool = False
) -> dict[str, Any]:
    """Micro precision, recall and F1 of extracted triples against gold relations, by argument overlap.

    A gold relation is *found* when some triple's subject span overlaps one of its argument spans and the
    triple's object span overlaps the other, in either direction (:func:`matches`); a relation found by
    several triples counts once, and one triple may find several relations. Recall is found / gold.

    The gold annotates relations only between annotated entities, so precision is computed over the triples
    whose subject and object both overlap a gold entity span (*scored* triples); a scored triple is
    correct when it matches at least one gold relation.

    With ``excluded_types``, gold relations of those types are not counted in recall, and a triple that
    matches only relations of excluded types is left out of the precision denominator: it found a real
    (if excluded) relation, so counting it wrong would punish a correct extraction, and counting it right
    would credit types the configuration means to ignore. Triples matching no relation stay in as wrong.

    ``typed`` asks more: a triple matches a relation only when its type (``triple_types``) is the relation's
    type, and triples without a type are not scored (they claim no RE3D relation).

    Parameters
    ----------
    documents : iterable of DocumentSpans
        Per document: gold relations, gold entity spans and the ``(subject, object)`` spans of the
        triples. Spans of different documents are never compared.
    excluded_types : collection of str
        Gold relation types to leave out.
    typed : bool
        Also require the triple's type to be the relation's.

    Returns
    -------
    dict
        ``micro`` (``precision``, ``recall``, ``f1``), ``per_type`` (gold type -> ``recall``, ``n_gold``),
        ``n_gold`` (gold relations counted) and ``n_pred`` (triples scored). A ratio with a zero
        denominator is 0.0; figures are rounded to 4 decimals.

    Examples
    --------
    >>> gold = (GoldRelation("AlliesOf", (0, 5), (10, 15)), GoldRelation("CoLocated", (0, 5), (20, 25)))
    >>> spans = DocumentSpans(gold, ((0, 5), (10, 15), (20, 25)), (((11, 12), (1, 2)), ((0, 5), (20, 25))))
    >>> score_relations([spans])["micro"]
    {'precision': 1.0, 'recall': 1.0, 'f1': 1.0}
    >>> score_relations([spans], excluded_types={"CoLocated"})["n_pred"]
    1
    >>> score_relations([spans._replace(triple_types=("AlliesOf", None))], typed=True)["micro"]
    {'precision': 1.0, 'recall': 0.5, 'f1': 0.6667}
    """
    excluded = frozenset(excluded_types)
    gold_by_type: Counter[str] = Counter()
    found_by_type: Counter[str] = Counter()
    scored = correct = 0
    for relations, entities, all_triples, triple_types in documents:
        if typed:
            triples = [(t, type_) for t, type_ in zip(all_triples, triple_types, strict=True) if type_]
        else:
            triples = [(t, None) for t in all_triples]

        def found(triple: SpanPair, type_: str | None, relation: GoldRelation) -> bool:
            return matches(triple, relation) and (not typed or type_ == relation.type)

        counted = [r for r in relations if r.type not in excluded]
        gold_by_type.update(r.type for r in counted)
        found_by_type.update(r.type for r in counted if any(found(t, type_, r) for t, type_ in triples))
        for triple, type_ in triples:
            if not all(any(overlaps(arg, e) for e in entities) for arg in triple):
                continue
            matched_types = {r.type for r in relations if found(triple, type_, r)}
            if matched_types and matched_types <= excluded:
                continue
            scored += 1
            correct += bool(matched_types)
    n_gold = sum(gold_by_type.values())
    return {
        "micro": _micro(correct, scored, sum(found_by_type.values()), n_gold),
        "per_type": {
            type_: {"recall": round(_ratio(found_by_type[type_], n), 4), "n_gold": n}
            for type_, n in sorted(gold_by_type.items())
        },
        "n_gold": n_gold,
        "n_pred": scored,
    }


# --- RE3D --------------------------------------------------------------------------------------------


def _gold_document(annotated: AnnotatedDocument) -> GoldDocument:
    spans = [(e.start, e.end) for e in annotated.entities]
    relations = tuple(GoldRelation(r.type, spans[r.head], spans[r.tail]) for r in annotated.relations)
    return GoldDocument(annotated.document(), tuple(spans), relations)


def read_re3d(path: str | Path) -> list[GoldDocument]:
    """Read an RE3D JSONL file: one document a line with its entities and relations.

    Each line holds ``id, source, url, title, text``, ``entities`` [{start, end, type, text}] and
    ``relations`` [{type, source {start, end, text}, target {...}, trigger {...}, confidence}], offsets
    being character offsets into ``text`` (read by :func:`graphkit.corpora.read_corpus`).

    Raises
    ------
    InputError
        When the file is missing, empty, or a line is not JSON or lacks a field the scorer needs.
    """
    return [_gold_document(annotated) for annotated in read_corpus(path)]


def _document_spans(gold: GoldDocument, extraction: Extraction, types: CorpusTypes) -> DocumentSpans:
    # Relation arguments are entities by definition, even if a file forgot to list them.
    arguments = tuple(span for r in gold.relations for span in (r.source, r.target))
    scored = [t for t in extraction.triples if t.provenance.pattern != ATTRIBUTION_PATTERN]
    return DocumentSpans(
        gold.relations,
        gold.entities + arguments,
        tuple(((t.subject.start, t.subject.end), (t.object.start, t.object.end)) for t in scored),
        tuple(types.relation_type(t.categories) for t in scored),
    )


def evaluate_re3d(
    path: str | Path,
    *,
    model: str = DEFAULT_MODEL,
    open_arguments: bool = False,
    progress: bool = False,
    classifier: bool = True,
) -> dict[str, Any]:
    """Score the extractor on an RE3D file, for every configuration of :data:`RE3D_CONFIGURATIONS`.

    Parameters
    ----------
    path : path
        An RE3D JSONL file (see :func:`read_re3d`).
    model : str
        spaCy pipeline to parse with.
    open_arguments : bool
        Run the extractor in open mode (arguments that name no actor kept as noun phrases).
    progress : bool
        Draw a progress bar on standard error.
    classifier : bool
        Extract with the relation classifier that goes with ``model``; ``False``: the patterns alone.
        Documents the classifier was trained on are left out of the score.

    Returns
    -------
    dict
        ``benchmark``, ``open_arguments``, ``classifier``, ``configurations`` (name ->
        :func:`score_relations` result), ``typed`` (the same, typed), ``triples_per_sentence`` (all
        triples over all sentences: a junk indicator), ``documents`` (scored) and ``left_out`` (documents
        the classifier was trained on).
    """
    every = read_re3d(path)
    extractor = Extractor(model, open_arguments=open_arguments, classifier=classifier)
    trained_on = extractor.classifier.trained_on if extractor.classifier is not None else frozenset()
    documents = [gold for gold in every if gold.document.id not in trained_on]
    stream = extractor.extract_many(gold.document for gold in documents)
    extractions = list(track(stream, total=len(documents), description="extracting", enabled=progress))
    return {
        "benchmark": "re3d",
        "open_arguments": open_arguments,
        "classifier": extractor.classifier is not None,
        **score_re3d(documents, extractions),
        "documents": len(documents),
        "left_out": len(every) - len(documents),
    }


def score_re3d(documents: Sequence[GoldDocument], extractions: Sequence[Extraction]) -> dict[str, Any]:
    """Score the extractions of RE3D documents (in the same order): ``configurations`` (name ->
    :func:`score_relations` result, for every configuration of :data:`RE3D_CONFIGURATIONS`), ``typed``
    (the same, typed: a triple's category must map to the gold type) and ``triples_per_sentence``."""
    types = corpus_types("re3d")
    spans = [_document_spans(g, e, types) for g, e in zip(documents, extractions, strict=True)]
    sentences = sum(e.sentences for e in extractions)
    triples = sum(len(e.triples) for e in extractions)
    return {
        "configurations": {
            name: score_relations(spans, excluded_types=excluded)
            for name, excluded in RE3D_CONFIGURATIONS.items()
        },
        "typed": {
            name: score_relations(spans, excluded_types=excluded, typed=True)
            for name, excluded in RE3D_CONFIGURATIONS.items()
        },
        "triples_per_sentence": round(_ratio(triples, sentences), 4),
    }


def format_re3d(result: dict[str, Any]) -> str:
    """Render an :func:`evaluate_re3d` result as a readable table, one block per configuration.

    >>> print(format_re3d({"benchmark": "x", "configurations": {"all": {
    ...     "micro": {"precision": 0.5, "recall": 0.25, "f1": 0.3333}, "n_gold": 4, "n_pred": 2,
    ...     "per_type": {"AlliesOf": {"recall": 0.25, "n_gold": 4}}}}}))
    x
    <BLANKLINE>
    all: precision 0.500  recall 0.250  F1 0.333  (4 gold relations, 2 triples scored)
      type                  recall  n_gold
      AlliesOf               0.250       4
    """
    lines = [result["benchmark"]]
    extras = {k: v for k, v in result.items() if k not in ("benchmark", "configurations", "typed")}
    lines.extend(f"  {key.replace('_', ' ')}: {value}" for key, value in extras.items())
    blocks = [*result["configurations"].items()]
    blocks += [(f"{name} typed", scores) for name, scores in result.get("typed", {}).items()]
    for name, scores in blocks:
        micro = scores["micro"]
        lines += [
            "",
            f"{name}: precision {micro['precision']:.3f}  recall {micro['recall']:.3f}  "
            f"F1 {micro['f1']:.3f}  ({scores['n_gold']} gold relations, {scores['n_pred']} triples scored)",
            f"  {'type':<20}  recall  n_gold",
        ]
        lines.extend(
            f"  {type_:<20}  {row['recall']:6.3f}  {row['n_gold']:6d}"
            for type_, row in scores["per_type"].items()
        )
    return "\n".join(lines)
