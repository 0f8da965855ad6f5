"""The transformer entity recognizer: a spaCy component that sets ``doc.ents`` with a fine-tuned encoder
(``graphkit[transformer]``: PyTorch and Hugging Face ``transformers``).

Each sentence is encoded on the pipeline's own tokens split into word pieces. A token is represented by its
first word piece's state and the learnt embeddings of three of its attributes the encoder may not see
(:data:`FEATURES`): its shape (``Xxxxx``, ``dd``: what an uncased encoder loses), the entity label the
pipeline's own recognizer gave it before this component (``B-GPE``; OntoNotes, not the corpus's labels)
and its fine-grained part of speech. A small MLP gives its scores over BIO tags, decoded by Viterbi over
the tag sequences BIO allows (an ``I-X`` only after ``B-X`` or ``I-X``). The encoder and the head are
fine-tuned together (:mod:`graphkit.train.transformer_ner`).

The component (factory :data:`COMPONENT`) runs after the pipeline's ``ner`` and graphkit's gazetteer and
places, reading their entities as features, and replaces ``doc.ents`` with its own (in an ensemble,
:mod:`graphkit.extract.entity_vote`, it writes a span group instead). Saved with the pipeline
(``to_disk``), its directory holds:

``recognizer.json``
    ``format`` (:data:`FORMAT`), ``tags``, ``features`` (the vocabulary of each feature: index 0 is an
    unseen value), ``head`` (:func:`build_head` options beyond its sizes), ``max_length`` and
    ``metadata``.
``encoder/``
    The fine-tuned encoder and its tokenizer, written by ``save_pretrained``.
``head.safetensors``
    The head's weights, a safetensors file: tensors, no code.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span

from graphkit.errors import ModelError
from graphkit.extract.extra import require_extra

if TYPE_CHECKING:  # torch and transformers are the optional extra: imported where they are used
    import torch
    from transformers import PreTrainedTokenizerBase

__all__ = [
    "COMPONENT",
    "FEATURES",
    "FORMAT",
    "TransformerEntityRecognizer",
    "bio_tags",
    "build_head",
    "decode",
    "tag_logits",
    "tag_spans",
    "token_features",
    "units",
]

COMPONENT = "graphkit_transformer_ner"
"""The factory and pipe name of the recognizer."""
FORMAT = "graphkit-ner-transformer/1"
FEATURES = ("shape", "entity", "tag")
"""The token attributes embedded next to the encoder's state (see the module's text)."""
MAX_LENGTH = 512
"""Word pieces a sentence is cut to (the words past the cut are tagged ``O``)."""
MAX_WORDS = 150
"""A sentence longer than this (in tokens) is encoded in pieces of this many tokens."""
BATCH_SENTENCES = 32
_MODEL_FILE, _ENCODER_DIRECTORY, _HEAD_FILE = "recognizer.json", "encoder", "head.safetensors"


def require_torch() -> None:
    """Raise a ModelError naming what to install when torch or transformers is missing."""
    require_extra("the transformer entity recognizer")


def bio_tags(labels: Iterable[str]) -> list[str]:
    """The tags of a BIO scheme over ``labels``: ``O`` first.

    >>> bio_tags(["Peop", "Loc"])
    ['O', 'B-Loc', 'I-Loc', 'B-Peop', 'I-Peop']
    """
    return ["O", *(f"{prefix}-{label}" for label in sorted(set(labels)) for prefix in "BI")]


def token_features(doc: Doc, start: int = 0, end: int | None = None) -> list[tuple[str, str, str]]:
    """The :data:`FEATURES` values of the tokens ``doc[start:end]``.

    >>> import spacy
    >>> doc = Doc(spacy.blank("en").vocab, words=["Ann", "met", "IBM"], ents=["B-PERSON", "O", "B-ORG"])
    >>> token_features(doc)
    [('Xxx', 'B-PERSON', ''), ('xxx', 'O', ''), ('XXX', 'B-ORG', '')]
    """
    return [
        (token.shape_, f"{token.ent_iob_}-{token.ent_type_}" if token.ent_type_ else "O", token.tag_)
        for token in doc[start:end]
    ]


def units(doc: Doc) -> list[tuple[int, int]]:
    """The token ranges encoded one at a time: the sentences (the whole doc without sentence bounds), cut
    into pieces of at most :data:`MAX_WORDS` tokens.

    >>> from spacy.vocab import Vocab
    >>> units(Doc(Vocab(), words=["a"] * 320))
    [(0, 150), (150, 300), (300, 320)]
    """
    if not len(doc):
        return []
    bounds = (
        [(s.start, s.end) for s in doc.sents]
        if doc.has_annotation("SENT_START") or doc.has_annotation("DEP")
        else [(0, len(doc))]
    )
    return [(n, min(n + MAX_WORDS, end)) for start, end in bounds for n in range(start, end, MAX_WORDS)]


def tag_spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """The ``(start, end, label)`` token spans of a BIO tag sequence (an ``I-X`` not after its ``B-X``
    starts a span).

    >>> tag_spans(["B-Peop", "I-Peop", "O", "I-Loc", "B-Org", "B-Org"])
    [(0, 2, 'Peop'), (3, 4, 'Loc'), (4, 5, 'Org'), (5, 6, 'Org')]
    """
    spans: list[tuple[int, int, str]] = []
    for n, tag in enumerate(tags):
        if tag == "O":
            continue
        prefix, label = tag.split("-", 1)
        if prefix == "I" and spans and spans[-1][1] == n and spans[-1][2] == label:
            spans[-1] = (spans[-1][0], n + 1, label)
        else:
            spans.append((n, n + 1, label))
    return spans


def decode(log_probabilities: np.ndarray, tags: Sequence[str]) -> list[str]:
    """The most probable tag sequence BIO allows (Viterbi): no ``I-X`` but after ``B-X`` or ``I-X``.

    >>> tags = ["O", "B-Peop", "I-Peop"]  # each token's best tag is I-Peop, which cannot start
    >>> decode(np.log(np.array([[0.3, 0.2, 0.5], [0.1, 0.2, 0.7]])), tags)
    ['B-Peop', 'I-Peop']
    """
    inside = [tag[2:] if tag.startswith("I-") else None for tag in tags]
    allowed = np.array(
        [[inside[to] is None or previous[2:] == inside[to] for to in range(len(tags))] for previous in tags]
    )
    transition = np.where(allowed, 0.0, -np.inf)
    score = log_probabilities[0] + np.where([label is None for label in inside], 0.0, -np.inf)
    back = []
    for row in log_probabilities[1:]:
        candidates = score[:, None] + transition
        back.append(candidates.argmax(axis=0))
        score = candidates.max(axis=0) + row
    best = [int(score.argmax())]
    for pointers in reversed(back):
        best.append(int(pointers[best[-1]]))
    return [tags[n] for n in reversed(best)]


def build_head(
    width: int,
    tags: int,
    vocabulary_sizes: Sequence[int],
    feature_width: int = 32,
    hidden: int = 256,
    dropout: float = 0.1,
) -> torch.nn.ModuleDict:
    """The tagging head over an encoder of hidden size ``width``: an embedding table per feature
    (``vocabulary_sizes``, unseen value at 0 included) and an MLP (``hidden`` wide) to ``tags`` scores;
    :func:`tag_logits` applies it."""
    from torch import nn

    size = width + len(vocabulary_sizes) * feature_width
    return nn.ModuleDict(
        {
            "features": nn.ModuleList(nn.Embedding(n, feature_width) for n in vocabulary_sizes),
            "mlp": nn.Sequential(
                nn.Dropout(dropout),
                nn.Linear(size, hidden),
                nn.GELU(),
                nn.Dropout(dropout),
                nn.Linear(hidden, tags),
            ),
        }
    )


def encode_units(
    tokenizer: PreTrainedTokenizerBase,
    words: Sequence[Sequence[str]],
    features: Sequence[Sequence[tuple[str, ...]]],
    vocabularies: Sequence[Mapping[str, int]],
    max_length: int = MAX_LENGTH,
) -> dict[str, Any]:
    """The model inputs of some token sequences: the tokenizer's batch, each token's first word piece and
    whether it has one (``mask``), and its feature ids ``[units, tokens, features]``."""
    import torch

    batch = tokenizer(
        [list(w) for w in words],
        is_split_into_words=True,
        truncation=True,
        max_length=max_length,
        padding=True,
        return_tensors="pt",
    )
    longest = max(len(w) for w in words)
    first = torch.zeros(len(words), longest, dtype=torch.long)
    mask = torch.zeros(len(words), longest, dtype=torch.bool)
    for n in range(len(words)):
        for piece, word in enumerate(batch.word_ids(n)):
            if word is not None and not mask[n, word]:
                first[n, word], mask[n, word] = piece, True
    ids = torch.zeros(len(words), longest, len(vocabularies), dtype=torch.long)
    for n, unit in enumerate(features):
        for k, values in enumerate(unit):
            ids[n, k] = torch.tensor([v.get(x, 0) for v, x in zip(vocabularies, values, strict=True)])
    return {"batch": batch, "first": first, "mask": mask, "features": ids}


def tag_logits(encoder: Any, head: torch.nn.ModuleDict, inputs: Mapping[str, Any]) -> torch.Tensor:
    """Tag scores ``[units, tokens, tags]`` of the inputs of :func:`encode_units` (rows past a unit's
    length, or of tokens without a word piece, are to be ignored: see ``inputs["mask"]``)."""
    import torch

    states = encoder(**inputs["batch"]).last_hidden_state
    first = inputs["first"]
    tokens = torch.gather(states, 1, first[:, :, None].expand(-1, -1, states.shape[-1]))
    embedded = [table(inputs["features"][:, :, k]) for k, table in enumerate(head["features"])]
    return head["mlp"](torch.cat([tokens, *embedded], dim=-1))


class TransformerEntityRecognizer:
    """The spaCy component: a fine-tuned encoder and tagging head that set ``doc.ents``.

    Created empty by the factory; :meth:`set_model` (training) or :meth:`from_disk` (loading) gives it its
    weights.
    """

    def __init__(self, nlp: Language, name: str = COMPONENT, spans_key: str | None = None) -> None:
        self.name = name
        self.spans_key = spans_key
        self.encoder: Any = None
        self.head: Any = None
        self.tokenizer: Any = None
        self.tags: list[str] = []
        self.vocabularies: list[dict[str, int]] = []
        self.head_config: dict[str, Any] = {}
        self.max_length = MAX_LENGTH
        self.metadata: dict[str, Any] = {}

    def set_model(
        self,
        encoder: Any,
        head: torch.nn.ModuleDict,
        tokenizer: PreTrainedTokenizerBase,
        tags: Sequence[str],
        vocabularies: Sequence[Mapping[str, int]],
        head_config: Mapping[str, Any] | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        """Give the recognizer its encoder, head (built by :func:`build_head` with ``head_config``), tags
        and feature vocabularies."""
        self.encoder, self.head, self.tokenizer = encoder.eval(), head.eval(), tokenizer
        self.tags = list(tags)
        self.vocabularies = [dict(v) for v in vocabularies]
        self.head_config = dict(head_config or {})
        self.metadata = dict(metadata or {})

    @property
    def labels(self) -> tuple[str, ...]:
        """The entity labels the recognizer sets."""
        return tuple(sorted({tag[2:] for tag in self.tags if tag != "O"}))

    def predict(self, words: Sequence[Sequence[str]], features: Sequence[Sequence[tuple[str, ...]]]) -> list:
        """The BIO tags of token sequences (with their :func:`token_features`)."""
        import torch

        if self.encoder is None:
            raise ModelError(f"the {self.name} component has no weights; train it with 'graphkit train'")
        found: list[list[str]] = []
        with torch.inference_mode():
            for n in range(0, len(words), BATCH_SENTENCES):
                chunk = slice(n, n + BATCH_SENTENCES)
                inputs = encode_units(
                    self.tokenizer, words[chunk], features[chunk], self.vocabularies, self.max_length
                )
                scores = torch.log_softmax(tag_logits(self.encoder, self.head, inputs), dim=-1)
                # a token without a word piece (white space, past the cut) is outside every entity
                outside = torch.full_like(scores, -1e4)
                outside[..., 0] = 0.0
                scores = torch.where(inputs["mask"][..., None], scores, outside).numpy()
                found.extend(decode(scores[k, : len(unit)], self.tags) for k, unit in enumerate(words[chunk]))
        return found

    def set_entities(self, docs: Sequence[Doc]) -> None:
        """Replace the entities of ``docs`` with the recognizer's (or, with a ``spans_key``, set the span
        group ``doc.spans[spans_key]`` to them and leave ``doc.ents`` alone)."""
        ranges = [(doc, start, end) for doc in docs for start, end in units(doc)]
        predicted = self.predict(
            [[t.text for t in doc[start:end]] for doc, start, end in ranges],
            [token_features(doc, start, end) for doc, start, end in ranges],
        )
        entities: dict[int, list[Span]] = {id(doc): [] for doc in docs}
        for (doc, start, _), tags in zip(ranges, predicted, strict=True):
            entities[id(doc)].extend(
                Span(doc, start + a, start + b, label=label) for a, b, label in tag_spans(tags)
            )
        for doc in docs:
            if self.spans_key is None:
                doc.set_ents(entities[id(doc)], default="outside")
            else:
                doc.spans[self.spans_key] = entities[id(doc)]

    def __call__(self, doc: Doc) -> Doc:
        self.set_entities([doc])
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 64) -> Iterator[Doc]:
        batch: list[Doc] = []
        for doc in stream:
            batch.append(doc)
            if len(batch) == batch_size:
                self.set_entities(batch)
                yield from batch
                batch = []
        if batch:
            self.set_entities(batch)
            yield from batch

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Write ``recognizer.json``, ``encoder/`` and ``head.safetensors`` into ``path``."""
        from safetensors.torch import save_file

        if self.encoder is None:
            raise ModelError(f"the {self.name} component has no weights to save; train it first")
        directory = Path(path)
        directory.mkdir(parents=True, exist_ok=True)
        self.encoder.save_pretrained(directory / _ENCODER_DIRECTORY)
        self.tokenizer.save_pretrained(directory / _ENCODER_DIRECTORY)
        state = {name: tensor.contiguous() for name, tensor in self.head.state_dict().items()}
        save_file(state, str(directory / _HEAD_FILE))
        description = {
            "format": FORMAT,
            "tags": self.tags,
            "features": dict(zip(FEATURES, self.vocabularies, strict=True)),
            "head": self.head_config,
            "max_length": self.max_length,
            "metadata": self.metadata,
        }
        (directory / _MODEL_FILE).write_text(
            json.dumps(description, indent=0, ensure_ascii=False) + "\n", "utf-8"
        )

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> TransformerEntityRecognizer:
        """Read what :meth:`to_disk` wrote, offline.

        Raises
        ------
        ModelError
            When torch or transformers is missing, or the directory does not hold such a recognizer.
        """
        require_torch()
        from safetensors.torch import load_file
        from transformers import AutoModel, AutoTokenizer

        directory = Path(path)
        try:
            description = json.loads((directory / _MODEL_FILE).read_text(encoding="utf-8"))
            if description.get("format") != FORMAT:
                raise ValueError(f"format {description.get('format')!r}")
            vocabularies = [description["features"][name] for name in FEATURES]
            encoder = AutoModel.from_pretrained(directory / _ENCODER_DIRECTORY, local_files_only=True)
            tokenizer = AutoTokenizer.from_pretrained(directory / _ENCODER_DIRECTORY, local_files_only=True)
            head = build_head(
                encoder.config.hidden_size,
                len(description["tags"]),
                [len(v) + 1 for v in vocabularies],
                **description.get("head", {}),
            )
            head.load_state_dict(load_file(str(directory / _HEAD_FILE)))
        except (OSError, ValueError, KeyError, TypeError, RuntimeError) as error:
            raise ModelError(
                f"{str(directory)!r} holds no readable {FORMAT} entity recognizer ({error}); "
                "retrain it with 'graphkit train --entity-encoder'"
            ) from error
        self.set_model(
            encoder,
            head,
            tokenizer,
            description["tags"],
            vocabularies,
            description.get("head"),
            description.get("metadata"),
        )
        self.max_length = description.get("max_length", MAX_LENGTH)
        return self


@Language.factory(COMPONENT, default_config={"spans_key": None})
def make_transformer_recognizer(
    nlp: Language, name: str, spans_key: str | None
) -> TransformerEntityRecognizer:
    """Pipeline component factory: an empty :class:`TransformerEntityRecognizer` (weights from
    ``from_disk`` or ``set_model``) that sets ``doc.ents``, or the span group ``spans_key`` (a member of
    an ensemble, :mod:`graphkit.extract.entity_vote`)."""
    return TransformerEntityRecognizer(nlp, name, spans_key)
