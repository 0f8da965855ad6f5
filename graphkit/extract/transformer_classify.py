"""The transformer relation classifier: the candidate pairs of :mod:`graphkit.extract.classify`, decided by a
fine-tuned transformer encoder (``graphkit[transformer]``: PyTorch and Hugging Face ``transformers``).

Each sentence holding candidates is encoded once, on the pipeline's own tokens split into word pieces. A
candidate direction (subject, object) is represented by the word pieces of the subject mention, max-pooled,
those of the object mention, those strictly between the two mentions, the sentence's first (``[CLS]``)
vector, the learnt embeddings of each argument's actor type, entity label and kind of mention, and whether
the subject comes first; a small MLP gives its probabilities over the labels (``"none"`` and categories).
The encoder and the head are fine-tuned together (:mod:`graphkit.train.transformer`).

:class:`TransformerRelationClassifier` answers as :class:`~graphkit.extract.classify.RelationClassifier`
does (``labels``, ``threshold``, ``for_pipeline``, ``for_doc``, ``decide``), so the extractor and
:func:`~graphkit.extract.classify.classifier_triples` use either. A saved classifier is a directory:

``classifier.json``
    ``format`` (:data:`FORMAT`), ``labels``, ``threshold``, ``features`` (the vocabulary of each
    categorical feature: index 0 is an unseen value), ``head`` (:func:`build_head` options beyond its
    sizes), ``max_length`` (word pieces a sentence is cut to), ``trained_on`` and ``metadata``.
``encoder/``
    The fine-tuned encoder and its tokenizer, written by ``save_pretrained``.
``head.safetensors``
    The head's weights (its categorical embeddings and MLP), a safetensors file: tensors, no code.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

from graphkit.errors import ModelError
from graphkit.extract import extra
from graphkit.extract.classify import Candidate, Decision
from graphkit.extract.extra import INSTALL_HINT

if TYPE_CHECKING:  # torch and transformers are the optional extra: imported where they are used
    import torch
    from transformers import PreTrainedTokenizerBase

__all__ = [
    "FEATURES",
    "FORMAT",
    "INSTALL_HINT",
    "SentencePairs",
    "TransformerRelationClassifier",
    "build_head",
    "encode_sentences",
    "pair_logits",
    "require_extra",
    "sentence_pairs",
]

FORMAT = "graphkit-relations-transformer/1"
FEATURES = ("type", "entity", "kind")
"""The categorical features of each argument: its actor's type, its head's entity label, its kind."""
MAX_LENGTH = 256
"""Word pieces a sentence is cut to; a mention beyond them is represented by zeros."""
BATCH_SENTENCES = 32
"""Sentences encoded at once at inference."""
_MODEL_FILE, _ENCODER_DIRECTORY, _HEAD_FILE = "classifier.json", "encoder", "head.safetensors"


def require_extra() -> None:
    """Raise a ModelError naming what to install when torch or transformers is missing (and silence
    transformers' progress bars)."""
    extra.require_extra("the transformer relation classifier")


def argument_features(doc: Doc, candidate: Candidate) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The :data:`FEATURES` values of a candidate's first and second mention.

    >>> from spacy.vocab import Vocab
    >>> from types import SimpleNamespace
    >>> from graphkit.extract.mentions import Mention
    >>> doc = Doc(Vocab(), words=["Ann", "met", "Bob"], ents=["B-PERSON", "O", "O"])
    >>> ann, bob = (Mention(n, n + 1, n, 0, "name", "Person", w, 0, 0) for n, w in ((0, "Ann"), (2, "Bob")))
    >>> person = SimpleNamespace(actor=SimpleNamespace(type="Person"))
    >>> argument_features(doc, Candidate(0, ann, bob, person, person))
    (('Person', 'PERSON', 'name'), ('Person', 'O', 'name'))
    """
    return tuple(
        (resolved.actor.type, doc[mention.head].ent_type_ or "O", mention.kind)
        for mention, resolved in (
            (candidate.first, candidate.first_resolved),
            (candidate.second, candidate.second_resolved),
        )
    )  # type: ignore[return-value]


@dataclass
class SentencePairs:
    """The candidate pairs of one sentence: its words and, per pair, the token spans of its two mentions
    (relative to the sentence) and their :func:`argument_features`."""

    words: list[str]
    spans: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    features: list[tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.spans)


def sentence_pairs(doc: Doc, candidates: Sequence[Candidate]) -> tuple[list[SentencePairs], list[int]]:
    """Group candidates by sentence: the sentences and, per candidate, its row in the order they are
    encoded (sentence by sentence, each sentence's pairs in order)."""
    by_start: dict[int, SentencePairs] = {}
    rows: list[tuple[int, int]] = []
    for candidate in candidates:
        sentence = doc[candidate.first.start].sent
        pairs = by_start.setdefault(sentence.start, SentencePairs([t.text for t in sentence]))
        offset = sentence.start
        rows.append((sentence.start, len(pairs)))
        pairs.spans.append(
            (
                (candidate.first.start - offset, candidate.first.end - offset),
                (candidate.second.start - offset, candidate.second.end - offset),
            )
        )
        pairs.features.append(argument_features(doc, candidate))
    starts = list(by_start)
    before, total = {}, 0
    for start in starts:
        before[start] = total
        total += len(by_start[start])
    return [by_start[s] for s in starts], [before[s] + n for s, n in rows]


def encode_sentences(
    tokenizer: PreTrainedTokenizerBase,
    sentences: Sequence[SentencePairs],
    vocabularies: Sequence[Mapping[str, int]],
    max_length: int = MAX_LENGTH,
) -> dict[str, Any]:
    """The model inputs of the pairs of ``sentences``: the tokenizer's batch, each pair's sentence, its
    three word-piece masks (first mention, second mention, between) and its categorical feature ids."""
    import torch

    batch = tokenizer(
        [s.words for s in sentences],
        is_split_into_words=True,
        truncation=True,
        max_length=max_length,
        padding=True,
        return_tensors="pt",
    )
    length = batch["input_ids"].shape[1]
    sentence_of, masks, first_ids, second_ids = [], [], [], []
    for n, sentence in enumerate(sentences):
        pieces_of: dict[int, list[int]] = {}  # word -> its word pieces (none past the cut)
        for piece, word in enumerate(batch.word_ids(n)):
            if word is not None:
                pieces_of.setdefault(word, []).append(piece)

        def pieces(span: tuple[int, int], pieces_of=pieces_of) -> tuple[int, int] | None:
            found = [piece for word in range(*span) for piece in pieces_of.get(word, ())]
            return (found[0], found[-1] + 1) if found else None

        for (first, second), (first_values, second_values) in zip(
            sentence.spans, sentence.features, strict=True
        ):
            mask = torch.zeros(3, length, dtype=torch.bool)
            a, b = pieces(first), pieces(second)
            if a:
                mask[0, a[0] : a[1]] = True
            if b:
                mask[1, b[0] : b[1]] = True
            if a and b and a[1] < b[0]:
                mask[2, a[1] : b[0]] = True
            sentence_of.append(n)
            masks.append(mask)
            first_ids.append([v.get(x, 0) for v, x in zip(vocabularies, first_values, strict=True)])
            second_ids.append([v.get(x, 0) for v, x in zip(vocabularies, second_values, strict=True)])
    return {
        "batch": batch,
        "sentence": torch.tensor(sentence_of, dtype=torch.long),
        "masks": torch.stack(masks, dim=1) if masks else torch.zeros(3, 0, length, dtype=torch.bool),
        "first": torch.tensor(first_ids, dtype=torch.long).reshape(len(first_ids), len(vocabularies)),
        "second": torch.tensor(second_ids, dtype=torch.long).reshape(len(second_ids), len(vocabularies)),
    }


def build_head(
    width: int,
    labels: int,
    vocabulary_sizes: Sequence[int],
    feature_width: int = 32,
    hidden: int = 256,
    dropout: float = 0.1,
) -> torch.nn.ModuleDict:
    """The pair head over an encoder of hidden size ``width``: an embedding table per categorical feature
    (``vocabulary_sizes``, unseen value at 0 included) and an MLP (``hidden`` wide) to ``labels`` logits;
    :func:`pair_logits` applies it."""
    from torch import nn

    size = 4 * width + 2 * len(vocabulary_sizes) * feature_width + 1
    return nn.ModuleDict(
        {
            "features": nn.ModuleList(nn.Embedding(n, feature_width) for n in vocabulary_sizes),
            "mlp": nn.Sequential(
                nn.Dropout(dropout),
                nn.Linear(size, hidden),
                nn.GELU(),
                nn.Dropout(dropout),
                nn.Linear(hidden, labels),
            ),
        }
    )


def pair_logits(encoder: Any, head: torch.nn.ModuleDict, inputs: Mapping[str, Any]) -> torch.Tensor:
    """Logits ``[pairs, 2, labels]`` of the pairs of :func:`encode_sentences`: direction 0 takes the first
    mention as subject, 1 the second."""
    import torch

    states = encoder(**inputs["batch"]).last_hidden_state[inputs["sentence"]]  # [pairs, pieces, width]

    def pool(mask: torch.Tensor) -> torch.Tensor:
        pooled = states.masked_fill(~mask[:, :, None], -1e4).max(dim=1).values
        return torch.where(mask.any(dim=1, keepdim=True), pooled, torch.zeros_like(pooled))

    first, second, between = (pool(mask) for mask in inputs["masks"])
    cls = states[:, 0]
    tables = head["features"]
    first_features = torch.cat([e(inputs["first"][:, k]) for k, e in enumerate(tables)], dim=1)
    second_features = torch.cat([e(inputs["second"][:, k]) for k, e in enumerate(tables)], dim=1)
    ones, zeros = torch.ones(len(first), 1), torch.zeros(len(first), 1)
    forward = torch.cat([first, second, between, cls, first_features, second_features, ones], dim=1)
    backward = torch.cat([second, first, between, cls, second_features, first_features, zeros], dim=1)
    return head["mlp"](torch.stack([forward, backward], dim=1))


class TransformerRelationClassifier:
    """A fine-tuned encoder and pair head, deciding candidates as
    :class:`~graphkit.extract.classify.RelationClassifier` does.

    Parameters
    ----------
    encoder : transformers.PreTrainedModel
    head : torch.nn.ModuleDict
        Built by :func:`build_head`.
    tokenizer : PreTrainedTokenizerBase
    labels : sequence of str
        ``"none"`` first, then the categories: the head's outputs.
    vocabularies : sequence of mapping
        Per :data:`FEATURES`, value -> embedding row (0: unseen).
    threshold : float
        The least probability of a category that makes a triple.
    trained_on : iterable of str
    metadata : mapping, optional
    head_config : mapping, optional
        The :func:`build_head` keyword arguments beyond its sizes, recorded on save.
    max_length : int
    """

    def __init__(
        self,
        encoder: Any,
        head: torch.nn.ModuleDict,
        tokenizer: PreTrainedTokenizerBase,
        labels: Sequence[str],
        vocabularies: Sequence[Mapping[str, int]],
        threshold: float,
        trained_on: Sequence[str] = (),
        metadata: Mapping[str, Any] | None = None,
        head_config: Mapping[str, Any] | None = None,
        max_length: int = MAX_LENGTH,
    ) -> None:
        self.encoder, self.head, self.tokenizer = encoder.eval(), head.eval(), tokenizer
        self.labels = tuple(labels)
        self.vocabularies = [dict(v) for v in vocabularies]
        self.threshold = float(threshold)
        self.trained_on = frozenset(trained_on)
        self.metadata = dict(metadata or {})
        self.head_config = dict(head_config or {})
        self.max_length = max_length

    def for_pipeline(self, nlp: Language) -> TransformerRelationClassifier:
        """This classifier: it reads the pipeline's tokens, not its tensor."""
        return self

    def for_doc(self, doc: Doc) -> TransformerRelationClassifier:
        """This classifier, whatever the doc."""
        return self

    def sentence_probabilities(self, sentences: Sequence[SentencePairs]) -> np.ndarray:
        """Label probabilities of the pairs of ``sentences``: rows ``2n`` and ``2n + 1`` are pair ``n``
        (in sentence order) with its first, then its second mention as subject."""
        import torch

        rows = []
        with torch.inference_mode():
            for n in range(0, len(sentences), BATCH_SENTENCES):
                chunk = [s for s in sentences[n : n + BATCH_SENTENCES] if len(s)]
                if not chunk:
                    continue
                inputs = encode_sentences(self.tokenizer, chunk, self.vocabularies, self.max_length)
                logits = pair_logits(self.encoder, self.head, inputs)
                rows.append(torch.softmax(logits, dim=-1).reshape(-1, len(self.labels)).numpy())
        return np.concatenate(rows) if rows else np.zeros((0, len(self.labels)), dtype=np.float32)

    def decide(self, doc: Doc, candidates: Sequence[Candidate]) -> list[Decision]:
        """The best category of each candidate over both directions."""
        if not candidates:
            return []
        sentences, rows = sentence_pairs(doc, candidates)
        probabilities = self.sentence_probabilities(sentences)
        decisions = []
        for row in rows:
            forward, backward = probabilities[2 * row], probabilities[2 * row + 1]
            pair = np.stack([forward[1:], backward[1:]])
            direction, column = divmod(int(pair.argmax()), pair.shape[1])
            decisions.append(
                Decision(
                    label=self.labels[column + 1],
                    probability=float(pair[direction, column]),
                    reverse=bool(direction),
                    forward=dict(zip(self.labels, forward.tolist(), strict=True)),
                    backward=dict(zip(self.labels, backward.tolist(), strict=True)),
                )
            )
        return decisions

    def save(self, directory: str | Path) -> Path:
        """Write ``classifier.json``, ``encoder/`` and ``head.safetensors`` into ``directory``."""
        from safetensors.torch import save_file

        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        self.encoder.save_pretrained(directory / _ENCODER_DIRECTORY)
        self.tokenizer.save_pretrained(directory / _ENCODER_DIRECTORY)
        state = {name: tensor.contiguous() for name, tensor in self.head.state_dict().items()}
        save_file(state, str(directory / _HEAD_FILE))
        description = {
            "format": FORMAT,
            "labels": list(self.labels),
            "threshold": self.threshold,
            "features": {name: v for name, v in zip(FEATURES, self.vocabularies, strict=True)},
            "head": self.head_config,
            "max_length": self.max_length,
            "trained_on": sorted(self.trained_on),
            "metadata": self.metadata,
        }
        (directory / _MODEL_FILE).write_text(
            json.dumps(description, indent=0, ensure_ascii=False) + "\n", "utf-8"
        )
        return directory

    @classmethod
    def load(cls, directory: str | Path) -> TransformerRelationClassifier:
        """Read a classifier written by :meth:`save`, offline.

        Raises
        ------
        ModelError
            When torch or transformers is missing, or a file is missing or does not hold such a classifier.
        """
        require_extra()
        from safetensors.torch import load_file
        from transformers import AutoModel, AutoTokenizer

        directory = Path(directory)
        try:
            description = json.loads((directory / _MODEL_FILE).read_text(encoding="utf-8"))
            if description.get("format") != FORMAT:
                raise ValueError(f"format {description.get('format')!r}")
            vocabularies = [description["features"][name] for name in FEATURES]
            labels = description["labels"]
            encoder = AutoModel.from_pretrained(directory / _ENCODER_DIRECTORY, local_files_only=True)
            tokenizer = AutoTokenizer.from_pretrained(directory / _ENCODER_DIRECTORY, local_files_only=True)
            head = build_head(
                encoder.config.hidden_size,
                len(labels),
                [len(v) + 1 for v in vocabularies],
                **description.get("head", {}),
            )
            head.load_state_dict(load_file(str(directory / _HEAD_FILE)))
        except (OSError, ValueError, KeyError, TypeError, RuntimeError) as error:
            raise ModelError(
                f"{str(directory)!r} holds no readable {FORMAT} relation classifier ({error}); "
                "retrain it with 'graphkit train --relation-encoder'"
            ) from error
        return cls(
            encoder,
            head,
            tokenizer,
            labels,
            vocabularies,
            description["threshold"],
            description.get("trained_on", ()),
            description.get("metadata"),
            head_config=description.get("head"),
            max_length=description.get("max_length", MAX_LENGTH),
        )
