"""Training the transformer entity recognizer (:mod:`graphkit.extract.transformer_ner`).

The training examples are the corpus's typed entities on the pipeline's tokens (as
:func:`graphkit.train.ner.ner_example` snaps them), as BIO tags over the units the recognizer encodes (the
sentences of a long document). The features are read from the base pipeline's parse, run as graphkit runs
it (its OntoNotes recognizer, the gazetteer and the places): the same it will read at extraction time, and
never trained on the corpus. The encoder (``minilm`` by default, see
:func:`graphkit.train.transformer.encoder_directory`) and the head are fine-tuned together with AdamW (the
encoder at :data:`ENCODER_LR`, the head at :data:`HEAD_LR`, linear warm-up and decay), cross-entropy over the
tokens' tags, units batched by length. The word-piece embeddings stay frozen. After each epoch the dev
documents are tagged and scored (strict entity F1: span and label); the epoch of the best dev F1 is kept.
Without dev documents (a refit) training stops after ``stop_after`` epochs of the same schedule.

Measured on CoNLL04 dev (strict entity F1, best epoch) with MiniLM: 0.841 and 0.849 (seeds 0, 1; a spike
script of the same recipe, drawing random numbers in another order, 0.854 and 0.850), against 0.829, 0.820
and 0.820 for the spaCy recognizer of :mod:`graphkit.train.ner` (seeds 0-2). End to end with the MiniLM
relation classifier the relations' strict F1 fell (0.618, 0.606 against 0.632): see the README. Not kept:
5 epochs at an encoder rate of 5e-5 (0.838, 0.845); an exponential moving average of the weights (decay
0.99: 0.854, 0.846, steadier across epochs); a tag-bigram prior from train in the decoding (weights
0.25-1: 0.840 against 0.841). What the feature embeddings add was not measured. An epoch takes about a
minute on one free CPU thread.
"""

from __future__ import annotations

import math
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from spacy.language import Language

from graphkit.corpora import AnnotatedDocument
from graphkit.errors import InputError, ModelError
from graphkit.extract import transformer_ner
from graphkit.progress import track
from graphkit.train.ner import ner_example
from graphkit.train.transformer import DEFAULT_ENCODER, encoder_directory, fine_tuning

__all__ = ["EPOCHS", "TaggedUnits", "TrainedRecognizer", "tagged_units", "train_transformer_ner"]

EPOCHS = 8
"""Passes over the training units the learning-rate schedule is set for (see the module's text)."""
ENCODER_LR, HEAD_LR = 1e-4, 1e-3
BATCH_SIZE = 8
WARMUP = 0.1


@dataclass
class TaggedUnits:
    """The units of some documents: their words, features and gold BIO tags, and which document each
    unit is of."""

    words: list[list[str]] = field(default_factory=list)
    features: list[list[tuple[str, str, str]]] = field(default_factory=list)
    tags: list[list[str]] = field(default_factory=list)
    document: list[int] = field(default_factory=list)


def tagged_units(
    documents: Sequence[AnnotatedDocument], nlp: Language, progress: bool = False
) -> TaggedUnits:
    """Parse ``documents`` with ``nlp`` and cut them into :func:`~graphkit.extract.transformer_ner.units`
    with the gold entities as BIO tags."""
    examples = [ner_example(nlp, document) for document in documents]
    parsed = nlp.pipe((example.predicted for example in examples), batch_size=64)
    found = TaggedUnits()
    for n, (example, doc) in enumerate(
        track(
            zip(examples, parsed, strict=True), total=len(examples), description="parsing", enabled=progress
        )
    ):
        tags = ["O"] * len(doc)
        for entity in example.reference.ents:
            inside = [f"I-{entity.label_}"] * (len(entity) - 1)
            tags[entity.start : entity.end] = [f"B-{entity.label_}", *inside]
        for start, end in transformer_ner.units(doc):
            found.words.append([t.text for t in doc[start:end]])
            found.features.append(transformer_ner.token_features(doc, start, end))
            found.tags.append(tags[start:end])
            found.document.append(n)
    return found


def entity_scores(gold: TaggedUnits, predicted: Sequence[Sequence[str]]) -> dict[str, float]:
    """Strict entity precision, recall and F1 of predicted tags against the gold units' tags.

    >>> units = TaggedUnits([["Ann", "left"]], [[("", "", "")] * 2], [["B-Peop", "O"]], [0])
    >>> entity_scores(units, [["B-Peop", "B-Loc"]])
    {'precision': 0.5, 'recall': 1.0, 'f1': 0.6667}
    """
    wanted = {(n, *span) for n, tags in enumerate(gold.tags) for span in transformer_ner.tag_spans(tags)}
    found = {(n, *span) for n, tags in enumerate(predicted) for span in transformer_ner.tag_spans(tags)}
    right = len(wanted & found)
    precision = right / len(found) if found else 0.0
    recall = right / len(wanted) if wanted else 0.0
    f1 = 2 * precision * recall / (precision + recall) if right else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


@dataclass
class TrainedRecognizer:
    """What :func:`train_transformer_ner` trained: the parts of a
    :class:`~graphkit.extract.transformer_ner.TransformerEntityRecognizer` and the epochs' history."""

    encoder: Any
    head: Any
    tokenizer: Any
    tags: list[str]
    vocabularies: list[dict[str, int]]
    metadata: dict[str, Any]

    @property
    def best_epoch(self) -> int:
        return self.metadata["best_epoch"]

    def install(
        self, nlp: Language, name: str = transformer_ner.COMPONENT, spans_key: str | None = None
    ) -> transformer_ner.TransformerEntityRecognizer:
        """Add the recognizer to ``nlp`` as ``name`` (replacing one already there): after its ``ner``, or
        last with a ``spans_key`` (a member of an ensemble, writing that span group)."""
        if name in nlp.component_names:
            nlp.remove_pipe(name)
        where = {"after": "ner"} if spans_key is None else {"last": True}
        component = nlp.add_pipe(
            transformer_ner.COMPONENT, name=name, config={"spans_key": spans_key}, **where
        )
        component.set_model(
            self.encoder, self.head, self.tokenizer, self.tags, self.vocabularies, metadata=self.metadata
        )
        return component


def train_transformer_ner(
    train_docs: Sequence[AnnotatedDocument],
    dev_docs: Sequence[AnnotatedDocument],
    *,
    nlp: Language,
    encoder: str = DEFAULT_ENCODER,
    epochs: int = EPOCHS,
    stop_after: int | None = None,
    seed: int = 0,
    threads: int = 2,
    progress: bool = False,
) -> TrainedRecognizer:
    """Fine-tune ``encoder`` and a tagging head on ``train_docs``; keep the epoch of the best entity F1 on
    ``dev_docs``.

    Parameters
    ----------
    train_docs, dev_docs : sequence of AnnotatedDocument
        Without ``dev_docs`` (a refit), nothing is scored and training stops after ``stop_after`` epochs.
    nlp : Language
        The pipeline whose parse gives the features (``graphkit.extract.nlp.load_pipeline(base)``: the one
        the recognizer will be added to).
    encoder : str
        ``minilm`` or a local Hugging Face model directory.
    epochs : int
        Passes over the training units the learning-rate schedule is set for.
    stop_after : int, optional
        The epoch to stop after (all by default).
    seed : int
        Seed of the head's initialisation, dropout and batch order.
    threads : int
        Most CPU threads torch uses.
    progress : bool
        Print one line per epoch on standard error.

    Returns
    -------
    TrainedRecognizer
        Its ``metadata`` holds ``encoder``, ``epochs``, ``best_epoch``, ``dev_scores`` and ``history``.

    Raises
    ------
    ModelError
        When torch, transformers or the encoder is missing.
    InputError
        When the training documents hold no typed entity.
    ValueError
        With ``stop_after`` out of 1..``epochs``.
    """
    stop_after = epochs if stop_after is None else stop_after
    if not 1 <= stop_after <= epochs:
        raise ValueError(f"stop_after must be within 1..{epochs}, not {stop_after}")
    directory = encoder_directory(encoder)
    import torch
    from transformers import AutoModel, AutoTokenizer

    torch.set_num_threads(threads)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    train, dev = tagged_units(train_docs, nlp, progress), tagged_units(dev_docs, nlp, progress)
    labels = {tag[2:] for tags in train.tags for tag in tags if tag != "O"}
    if not labels:
        raise InputError("the training documents hold no typed entity; give an annotated corpus")
    tags = transformer_ner.bio_tags(labels)
    tag_ids = {tag: n for n, tag in enumerate(tags)}
    vocabularies = [
        {value: n + 1 for n, value in enumerate(sorted({f[k] for unit in train.features for f in unit}))}
        for k in range(len(transformer_ner.FEATURES))
    ]
    try:
        tokenizer = AutoTokenizer.from_pretrained(directory, local_files_only=True)
        encoder_model = AutoModel.from_pretrained(directory, local_files_only=True)
    except (OSError, ValueError) as error:
        raise ModelError(f"cannot load the entity encoder {str(directory)!r}: {error}") from error
    head = transformer_ner.build_head(
        encoder_model.config.hidden_size, len(tags), [len(v) + 1 for v in vocabularies]
    )
    model = torch.nn.ModuleDict({"encoder": encoder_model, "head": head})
    index = [n for n, words in enumerate(train.words) if words]
    steps = epochs * math.ceil(len(index) / BATCH_SIZE)
    optimizer, schedule = fine_tuning(
        encoder_model, head, steps, encoder_lr=ENCODER_LR, head_lr=HEAD_LR, warmup=WARMUP
    )
    loss_of = torch.nn.CrossEntropyLoss()
    recognizer = transformer_ner.TransformerEntityRecognizer(nlp)
    recognizer.set_model(encoder_model, head, tokenizer, tags, vocabularies)
    history: list[dict[str, Any]] = []
    best: tuple[float, int, dict[str, float], dict[str, Any]] | None = None
    started = time.monotonic()
    for epoch in range(1, stop_after + 1):
        model.train()
        by_length = sorted(index, key=lambda n: (len(train.words[n]), random.random()))
        batches = [by_length[n : n + BATCH_SIZE] for n in range(0, len(by_length), BATCH_SIZE)]
        random.shuffle(batches)
        total = 0.0
        for batch in batches:
            inputs = transformer_ner.encode_units(
                tokenizer, [train.words[n] for n in batch], [train.features[n] for n in batch], vocabularies
            )
            gold = torch.zeros(inputs["mask"].shape, dtype=torch.long)
            for row, n in enumerate(batch):
                gold[row, : len(train.tags[n])] = torch.tensor([tag_ids[t] for t in train.tags[n]])
            logits = transformer_ner.tag_logits(encoder_model, head, inputs)
            loss = loss_of(logits[inputs["mask"]], gold[inputs["mask"]])
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            total += loss.item()
        model.eval()
        loss = round(total / max(len(batches), 1), 4)
        seconds = round(time.monotonic() - started, 1)
        if not dev_docs:
            history.append({"epoch": epoch, "loss": loss, "dev_scores": None, "seconds": seconds})
            if progress:
                print(f"entities: epoch {epoch} of {stop_after} (no dev), loss {loss:.4f}", file=sys.stderr)
            continue
        scores = entity_scores(dev, recognizer.predict(dev.words, dev.features))
        history.append({"epoch": epoch, "loss": loss, "dev_scores": scores, "seconds": seconds})
        improved = best is None or scores["f1"] > best[0]
        if progress:
            print(
                f"entities: epoch {epoch} loss {loss:.4f} dev P {scores['precision']:.3f} "
                f"R {scores['recall']:.3f} F1 {scores['f1']:.3f}{' *' if improved else ''} ({seconds:.0f} s)",
                file=sys.stderr,
                flush=True,
            )
        if improved:
            state = {k: v.detach().clone() for k, v in model.state_dict().items()}
            best = (scores["f1"], epoch, scores, state)
    if best is None:
        best_epoch, dev_scores = stop_after, None
    else:
        _, best_epoch, dev_scores, state = best
        model.load_state_dict(state)
    model.eval()
    metadata = {
        "encoder": encoder,
        "epochs": epochs,
        "best_epoch": best_epoch,
        "dev_scores": dev_scores,
        "seed": seed,
        "history": history,
    }
    return TrainedRecognizer(encoder_model, head, tokenizer, tags, vocabularies, metadata)
