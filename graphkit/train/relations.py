"""Training the relation classifier (:mod:`graphkit.extract.classify`) on annotated corpora.

Each training document is parsed and its actor mentions paired exactly as the extractor pairs them
(:func:`~graphkit.extract.classify.candidate_pairs`), so the classifier learns from the candidates it will
see. A candidate direction (first mention as subject, or second) is labelled with the category of a gold
relation whose head overlaps the subject's span and whose tail overlaps the object's
(``corpus_types.json`` maps each corpus's relation types to categories), else ``"none"``. A pair that
matches only a relation type without a category (RE3D's HasAttrOf) is left out rather than taught as
``"none"``; a pair with a mention outside every gold entity is taught as ``"none"`` (``unannotated_none``).
Documents are parsed on the corpus's own words when it has them, as ``graphkit evaluate`` parses them.

The model is scikit-learn's multinomial logistic regression (L2, lbfgs) on binary features seen at least
twice in training. The regularisation and the probability threshold are chosen on ``dev_docs``: the pair
F1 (category and direction right) of the classifier's decisions over the dev candidates.

When the pipeline sets ``doc.tensor``, each direction also gets its dense features
(:func:`~graphkit.extract.classify.dense_features`, 6 x 96 floats with en_core_web_sm) and a second model
is fitted on sparse and dense features together, the dense scaled by :data:`DENSE_SCALE` (a stronger L2
hold on them: at full scale they overfit and lower the dev F1). It is kept when its dev pair F1 beats the
sparse model's, with the sparse model as its fallback and the pipeline's tensor probe; else the sparse model
is (its metadata records the dense model's dev scores). Small MLPs (scikit-learn, one hidden layer of 32
or 64) did worse on CoNLL04 dev pair F1, on sparse and dense features (0.63-0.65) and on dense features with
the sparse model's out-of-fold scores (0.63-0.65), than this (0.68) or the sparse model alone (0.67).

A final model may be *refitted* (``refit_on_dev``): once the model (sparse or dense), C and threshold are
chosen on ``dev_docs``, the same model is fitted again on the training and dev pairs together and keeps
the chosen threshold (SpERT and most CoNLL04 systems train their test models on train + dev). The
classifier learns steeply from more pairs: on CoNLL04, fitted on three quarters of train it scores 0.56 end
to end strict on dev against 0.61 on all of train (seed-0 recognizer; 0.55 against 0.59 with seed 1). Its
dev figures then say nothing (it has seen dev): score it on a test split.

Tried on CoNLL04 dev end to end (seed-0 recognizer, 0.606 strict F1 with this model) and not kept:
direction marks on the between, preposition and path-word features too (0.577; 0.601 with the between
and preposition words alone); the recognizer's entity labels between the two mentions, and their number
(0.597; seed 1: 0.589 against 0.587); C up to 10 (C 0.3 chosen again); one threshold per category (at best
0.611, chosen on dev itself); deciding on a category's probability summed over both directions (0.599);
averaging the dense and sparse models (0.594). No decision broke a category's domain and range (the
actor types of its subject and object): the type features already rule those out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from spacy.language import Language

from graphkit.corpora import AnnotatedDocument
from graphkit.errors import GraphkitError
from graphkit.extract.classify import (
    NONE,
    Candidate,
    DenseWeights,
    RelationClassifier,
    candidate_pairs,
    check_labels,
    dense_matrix,
    instance_features,
    pair_features,
    tensor_probe,
)
from graphkit.extract.lexicon import load_lexicon
from graphkit.extract.nlp import corpus_doc
from graphkit.extract.pipeline import actor_mentions
from graphkit.progress import track
from graphkit.resources import load_json

__all__ = [
    "PairExamples",
    "corpus_relation_categories",
    "fit_relation_classifier",
    "pair_examples",
    "train_relation_classifier",
]

C_GRID = (0.05, 0.1, 0.2, 0.3, 1.0)
"""Inverse regularisation strengths tried."""
THRESHOLDS = tuple(round(0.1 + 0.05 * n, 2) for n in range(17))
"""Probability thresholds tried (0.1 to 0.9)."""
MIN_COUNT = 2
"""A feature seen fewer times in training is dropped: it would only fit noise and grow the file."""
DENSE_SCALE = 0.1
"""The factor of the dense features in training: how strongly L2 holds their weights against the sparse
(chosen on CoNLL04 dev among 0.03, 0.05, 0.1, 0.3 and 1)."""


def corpus_relation_categories() -> dict[str, str]:
    """Every corpus's relation type -> category local name, from ``corpus_types.json``.

    >>> corpus_relation_categories()["Work_For"], corpus_relation_categories()["AlliesOf"]
    ('works-for', 'ally-with')
    """
    table: dict[str, str] = {}
    for corpus, entry in load_json("corpus_types.json").items():
        if not corpus.startswith("_"):
            table.update(entry["relations"])
    return table


@dataclass
class PairExamples:
    """The labelled candidate pairs of some documents: two directions per pair.

    ``features[2n]``/``labels[2n]`` are pair n with its first mention as subject, ``[2n + 1]`` reversed;
    ``documents[n]`` is the id of pair n's document; ``dense[n]`` holds pair n's two rows of dense features
    (:func:`~graphkit.extract.classify.dense_features`), ``None`` when its doc had no tensor.
    """

    features: list[list[str]]
    labels: list[str]
    documents: list[str]
    dense: list[np.ndarray | None] = field(default_factory=list)

    def dense_matrix(self) -> np.ndarray | None:
        """The dense features, one row per direction; ``None`` unless every pair has them, of one width."""
        if not self.dense or any(rows is None for rows in self.dense):
            return None
        if len({rows.shape for rows in self.dense if rows is not None}) != 1:
            return None
        return np.concatenate([rows for rows in self.dense if rows is not None])

    def __len__(self) -> int:
        return len(self.documents)

    def __add__(self, other: PairExamples) -> PairExamples:
        return PairExamples(
            self.features + other.features,
            self.labels + other.labels,
            self.documents + other.documents,
            self.dense + other.dense,
        )


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _direction_label(
    gold: AnnotatedDocument, subject: tuple[int, int], obj: tuple[int, int], categories: Mapping[str, str]
) -> str | None:
    """The category of a gold relation from ``subject`` to ``obj``; ``None`` when only uncategorised
    relations link them; ``"none"`` when nothing does."""
    uncategorised = False
    for link in gold.relations:
        head, tail = gold.entities[link.head], gold.entities[link.tail]
        if _overlaps(subject, (head.start, head.end)) and _overlaps(obj, (tail.start, tail.end)):
            if link.type in categories:
                return categories[link.type]
            uncategorised = True
    return None if uncategorised else NONE


def _span(candidate: Candidate, which: int) -> tuple[int, int]:
    resolved = candidate.first_resolved if which == 0 else candidate.second_resolved
    return resolved.argument.start, resolved.argument.end


def pair_examples(
    documents: Sequence[AnnotatedDocument],
    nlp: Language,
    *,
    categories: Mapping[str, str] | None = None,
    unannotated_none: bool = True,
    progress: bool = False,
) -> PairExamples:
    """Parse ``documents`` with ``nlp`` and label every candidate pair in both directions.

    Parameters
    ----------
    documents : sequence of AnnotatedDocument
    nlp : Language
        The pipeline the extractor will parse with (see :func:`graphkit.extract.nlp.load_pipeline`).
    categories : mapping, optional
        Gold relation type -> category (default :func:`corpus_relation_categories`).
    unannotated_none : bool
        Label ``"none"`` a pair with a mention outside every gold entity (a nominal, a pronoun, a span
        the recognizer got wrong): the extractor meets such pairs, and a corpus that annotates every
        entity of its types (CoNLL04) relates none of them. ``False`` leaves them out.
    progress : bool
        Draw a progress bar on standard error.
    """
    categories = corpus_relation_categories() if categories is None else categories
    lexicon = load_lexicon()
    examples = PairExamples([], [], [], [])
    # parsed on the corpus's own words when it has them, as the evaluation parses them
    stream = nlp.pipe(((corpus_doc(nlp, gold), gold) for gold in documents), as_tuples=True, batch_size=16)
    for doc, gold in track(stream, total=len(documents), description="pairing", enabled=progress):
        mentions, resolver = actor_mentions(gold.document(), doc, lexicon)
        candidates = candidate_pairs(doc, mentions, resolver)
        dense = dense_matrix(doc, candidates)  # one pass over the document's tensor, not one per candidate
        for n, candidate, forward, backward in labelled_candidates(
            gold, candidates, categories, unannotated_none=unannotated_none
        ):
            features = pair_features(doc, candidate)
            examples.features += [instance_features(features, False), instance_features(features, True)]
            examples.labels += [forward, backward]
            examples.documents.append(gold.id)
            examples.dense.append(dense[2 * n : 2 * n + 2] if dense is not None else None)
    return examples


def labelled_candidates(
    gold: AnnotatedDocument,
    candidates: Sequence[Candidate],
    categories: Mapping[str, str],
    *,
    unannotated_none: bool = True,
) -> Iterator[tuple[int, Candidate, str, str]]:
    """The candidates the gold labels, each with its position and its forward and backward labels.

    A pair whose two mentions overlap gold entities takes the gold relation's category in each direction
    (``"none"`` where none links them); one whose labels the gold leaves ambiguous is skipped. A pair with a
    mention outside every gold entity is ``"none"`` both ways with ``unannotated_none`` (see
    :func:`pair_examples`), else skipped.
    """
    entities = [(e.start, e.end) for e in gold.entities]
    for n, candidate in enumerate(candidates):
        first, second = _span(candidate, 0), _span(candidate, 1)
        if all(any(_overlaps(span, e) for e in entities) for span in (first, second)):
            forward = _direction_label(gold, first, second, categories)
            backward = _direction_label(gold, second, first, categories)
            if forward is None or backward is None:
                continue
        elif unannotated_none:
            forward = backward = NONE
        else:
            continue  # the corpus annotates relations between its entities only: no label here
        yield n, candidate, forward, backward


def _pair_f1(
    probabilities: np.ndarray, labels: Sequence[str], names: Sequence[str], threshold: float
) -> dict:
    """Pair-level micro scores of the classifier's decisions (see module docstring)."""
    gold = predicted = correct = 0
    for n in range(0, len(labels), 2):
        truth = {(labels[n], False), (labels[n + 1], True)} - {(NONE, False), (NONE, True)}
        gold += bool(truth)
        pair = probabilities[n : n + 2, 1:]
        direction, column = np.unravel_index(int(pair.argmax()), pair.shape)
        if pair[direction, column] >= threshold:
            predicted += 1
            correct += (names[column + 1], bool(direction)) in truth
    precision = correct / predicted if predicted else 0.0
    recall = correct / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), "gold": gold}


def _matrix(features: Sequence[Sequence[str]], index: Mapping[str, int]) -> Any:
    """The binary instance x feature matrix (scipy CSR) of known features."""
    from scipy.sparse import csr_matrix

    rows, columns = [], []
    for row, instance in enumerate(features):
        found = sorted({index[f] for f in instance if f in index})
        rows += [row] * len(found)
        columns += found
    data = np.ones(len(rows), dtype=np.float64)
    return csr_matrix((data, (rows, columns)), shape=(len(features), len(index)))


def train_relation_classifier(
    train_docs: Sequence[AnnotatedDocument],
    dev_docs: Sequence[AnnotatedDocument],
    *,
    nlp: Language,
    seed: int = 0,
    unannotated_none: bool = True,
    progress: bool = False,
    metadata: Mapping[str, Any] | None = None,
    refit_on_dev: bool = False,
) -> RelationClassifier:
    """Train a relation classifier on ``train_docs``, choosing regularisation and threshold on ``dev_docs``.

    Parameters
    ----------
    train_docs, dev_docs : sequence of AnnotatedDocument
        Corpora read by :func:`graphkit.corpora.read_corpus`; relation types are mapped to categories by
        ``corpus_types.json``.
    nlp : Language
        The pipeline the extractor will parse with.
    seed : int
        Seed of the solver (lbfgs is deterministic; kept for the record and other solvers).
    unannotated_none : bool
        Teach (and select on) the pairs with a mention outside every gold entity as ``"none"`` (see
        :func:`pair_examples`).
    progress : bool
        Draw progress bars on standard error.
    metadata : mapping, optional
        More to record in the classifier's metadata (corpora, split).
    refit_on_dev : bool
        Once the choice is made, fit the chosen model again on ``train_docs`` and ``dev_docs`` together (a
        final model: see the module docstring).

    Returns
    -------
    RelationClassifier
        Its ``trained_on`` holds the training documents' ids (and the dev documents' when refitted), its
        ``metadata`` the choice made and the dev scores of the model chosen.

    Raises
    ------
    GraphkitError
        When the training documents hold no relation the corpora tables map to a category.
    """
    train = pair_examples(train_docs, nlp, unannotated_none=unannotated_none, progress=progress)
    dev = pair_examples(dev_docs, nlp, unannotated_none=unannotated_none, progress=progress)
    return fit_relation_classifier(
        train,
        dev,
        seed=seed,
        trained_on={d.id for d in train_docs} | ({d.id for d in dev_docs} if refit_on_dev else set()),
        # the pipeline whose tensor the dense features read, named in the warning of another one's
        metadata={
            "spacy_model": f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}",
            **(metadata or {}),
            "unannotated_none": unannotated_none,
        },
        probe=tensor_probe(nlp),
        refit=train + dev if refit_on_dev else None,
    )


def _select(
    x_train: Any, y_train: np.ndarray, x_dev: Any, dev_labels: Sequence[str], names: Sequence[str], seed: int
) -> tuple[Any, float, float, dict]:
    """The logistic regression of the best dev pair F1 over :data:`C_GRID` x :data:`THRESHOLDS`: the model,
    its C, its threshold and its dev scores."""
    from sklearn.linear_model import LogisticRegression  # training only: inference needs numpy alone

    best: tuple[float, float, float, Any, dict] | None = None
    for c in C_GRID:
        model = LogisticRegression(C=c, max_iter=2000, random_state=seed)
        model.fit(x_train, y_train)
        probabilities = model.predict_proba(x_dev)
        for threshold in THRESHOLDS:
            scores = _pair_f1(probabilities, dev_labels, names, threshold)
            if best is None or scores["f1"] > best[0]:
                best = (scores["f1"], c, threshold, model, scores)
    assert best is not None
    _, c, threshold, model, scores = best
    return model, c, threshold, scores


def _label_columns(model: Any) -> tuple[np.ndarray, np.ndarray]:
    """The weights (inputs x labels) and bias (labels) of a fitted logistic regression, as float32; a
    binary model's one column of scores becomes two (zeros for ``"none"``: the same softmax)."""
    coef, intercept = model.coef_.T, model.intercept_
    if coef.shape[1] == 1:
        coef, intercept = np.hstack([np.zeros_like(coef), coef]), np.concatenate([[0.0], intercept])
    return coef.astype(np.float32), intercept.astype(np.float32)


def fit_relation_classifier(
    train: PairExamples,
    dev: PairExamples,
    *,
    seed: int = 0,
    trained_on: Iterable[str] = (),
    metadata: Mapping[str, Any] | None = None,
    probe: Sequence[Sequence[float]] = (),
    refit: PairExamples | None = None,
) -> RelationClassifier:
    """Fit the classifier on labelled pairs, choosing C and threshold on ``dev`` (see
    :func:`train_relation_classifier`, which pairs the documents and calls this: refitting on pairs
    already made spares parsing the corpora again).

    The sparse model is always fitted. When both ``train`` and ``dev`` hold dense features and ``probe``
    (:func:`~graphkit.extract.classify.tensor_probe` of the pipeline that parsed them) is given, a model
    on sparse and dense features is fitted too; it is returned, with the sparse one as its fallback, when
    its dev pair F1 is higher, else the sparse one is. With ``refit`` (``train + dev`` for a final model),
    the model chosen is fitted again on those pairs, with the C and threshold chosen (its fallback with
    the fallback's); its metadata's ``refit`` records them.
    """
    from scipy.sparse import csr_matrix, hstack

    names = [NONE, *sorted(set(train.labels) - {NONE})]
    if len(names) < 2:
        raise GraphkitError(
            "the training documents hold no relation between actor mentions that corpus_types.json maps "
            "to a category; give annotated documents (conll04 train.json, re3d_dev.jsonl)"
        )
    check_labels(names)
    counts = Counter(f for instance in train.features for f in set(instance))
    vocabulary = sorted(f for f, n in counts.items() if n >= MIN_COUNT)
    index = {f: n for n, f in enumerate(vocabulary)}
    x_train, x_dev = _matrix(train.features, index), _matrix(dev.features, index)
    y_train = np.array([names.index(label) for label in train.labels])
    dev_labels = [label if label in names else NONE for label in dev.labels]
    model, c, threshold, scores = _select(x_train, y_train, x_dev, dev_labels, names, seed)
    # every label occurs in training (names come from its labels), so the columns are the labels in order
    weights, bias = _label_columns(model)
    record = {
        **(metadata or {}),
        "model": "multinomial logistic regression (scikit-learn lbfgs, L2)",
        "C": c,
        "seed": seed,
        "min_count": MIN_COUNT,
        "train_pairs": len(train),
        "dev_pairs": len(dev),
        "train_label_counts": dict(sorted(Counter(train.labels).items())),
        "dev_scores": scores,
        "selection": "pair F1 (category and direction) over the dev candidates, best of C x threshold",
    }
    sparse = RelationClassifier(names, vocabulary, weights, bias, threshold, trained_on, metadata=record)
    dense_train, dense_dev = train.dense_matrix(), dev.dense_matrix()
    if not probe or dense_train is None or dense_dev is None or dense_train.shape[1] != dense_dev.shape[1]:
        return sparse if refit is None else _refitted(sparse, refit, seed)
    x_train = hstack([x_train, csr_matrix(dense_train * DENSE_SCALE)], format="csr")
    x_dev = hstack([x_dev, csr_matrix(dense_dev * DENSE_SCALE)], format="csr")
    model, c, threshold, scores = _select(x_train, y_train, x_dev, dev_labels, names, seed)
    if scores["f1"] <= sparse.metadata["dev_scores"]["f1"]:
        sparse.metadata["dense_dev_scores"] = scores  # for the record: the tensor did not help
        return sparse if refit is None else _refitted(sparse, refit, seed)
    coef, bias = _label_columns(model)
    features_only = len(vocabulary)
    # scaling the inputs by DENSE_SCALE is scaling their weights at inference
    dense = DenseWeights((coef[features_only:] * DENSE_SCALE).astype(np.float32), [list(p) for p in probe])
    record = {
        **record,
        "model": "multinomial logistic regression (scikit-learn lbfgs, L2) on sparse and tensor features",
        "C": c,
        "dense_scale": DENSE_SCALE,
        "dev_scores": scores,
        "sparse_dev_scores": sparse.metadata["dev_scores"],
    }
    chosen = RelationClassifier(
        names,
        vocabulary,
        coef[:features_only],
        bias,
        threshold,
        trained_on,
        metadata=record,
        dense=dense,
        fallback=sparse,
    )
    return chosen if refit is None else _refitted(chosen, refit, seed)


def _refitted(chosen: RelationClassifier, examples: PairExamples, seed: int) -> RelationClassifier:
    """``chosen``'s model (its labels, C, threshold; dense or not) fitted again on ``examples``."""
    from scipy.sparse import csr_matrix, hstack
    from sklearn.linear_model import LogisticRegression

    names = list(chosen.labels)
    counts = Counter(f for instance in examples.features for f in set(instance))
    vocabulary = sorted(f for f, n in counts.items() if n >= MIN_COUNT)
    x = _matrix(examples.features, {f: n for n, f in enumerate(vocabulary)})
    y = np.array([names.index(label) if label in names else 0 for label in examples.labels])
    record = {
        "pairs": len(examples),
        "label_counts": dict(sorted(Counter(examples.labels).items())),
        "note": "C and threshold chosen on dev by the model fitted on train alone, then fitted on these",
    }

    def fit(inputs: Any, c: float) -> tuple[np.ndarray, np.ndarray]:
        return _label_columns(LogisticRegression(C=c, max_iter=2000, random_state=seed).fit(inputs, y))

    sparse_chosen = chosen.fallback or chosen
    weights, bias = fit(x, sparse_chosen.metadata["C"])
    sparse = RelationClassifier(
        names,
        vocabulary,
        weights,
        bias,
        sparse_chosen.threshold,
        chosen.trained_on,
        metadata={**sparse_chosen.metadata, "refit": record},
    )
    dense_x = examples.dense_matrix()
    if chosen.dense is None or dense_x is None:
        return sparse
    coef, bias = fit(hstack([x, csr_matrix(dense_x * DENSE_SCALE)], format="csr"), chosen.metadata["C"])
    dense = DenseWeights((coef[len(vocabulary) :] * DENSE_SCALE).astype(np.float32), chosen.dense.probe)
    return RelationClassifier(
        names,
        vocabulary,
        coef[: len(vocabulary)],
        bias,
        chosen.threshold,
        chosen.trained_on,
        metadata={**chosen.metadata, "refit": record},
        dense=dense,
        fallback=sparse,
    )
