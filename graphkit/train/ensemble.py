"""Training an ensemble of entity recognizers (``graphkit train --entity-ensemble N``).

The spaCy recognizer is trained on the corpus as without the option (:func:`~graphkit.train.ner.train_ner`),
and ``N`` transformer recognizers (:mod:`graphkit.train.transformer_ner`) with the seeds ``SEED`` ..
``SEED + N - 1``; the pipeline written keeps the base pipeline's ``ner`` (the transformers read its labels)
and gets the components of :mod:`graphkit.extract.entity_vote`, with the vote's rule of
``data/entity_vote.json``. A refit trains every member again on train and dev with its own chosen epochs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import spacy

from graphkit.corpora import AnnotatedDocument
from graphkit.extract import entity_vote
from graphkit.extract.nlp import (
    CITATIONS_COMPONENT,
    FRAGMENTS_COMPONENT,
    GAZETTEER_COMPONENT,
    PLACES_COMPONENT,
    corpus_doc,
)
from graphkit.extract.transformer_ner import COMPONENT as TRANSFORMER_NER
from graphkit.train.ner import ner_example, train_ner

__all__ = ["CORPUS_NER", "SPACY_VIEW", "add_vote", "entity_scores", "member_key", "train_ensemble"]

CORPUS_NER = "graphkit_corpus_ner"
"""The pipe name of the spaCy recognizer trained on the corpus, in an ensemble."""
SPACY_VIEW = "graphkit_entities_spacy"
"""The span group of the spaCy recognizer's entities (``"spacy"`` in ``entity_vote.json``)."""


def member_key(n: int) -> str:
    """The span group (and, with the prefix of transformer recognizers, the pipe name) of member ``n``.

    >>> member_key(1)
    'graphkit_entities_1'
    """
    return f"graphkit_entities_{n}"


def add_vote(nlp: spacy.language.Language, corpus_nlp: spacy.language.Language, members: int) -> None:
    """Add to ``nlp`` (the base pipeline, with ``members`` transformer recognizers last) the corpus's spaCy
    recognizer (``corpus_nlp``'s ``ner``) between a restart and a view, then the vote."""
    rule = entity_vote.vote_rule()
    nlp.add_pipe(entity_vote.RESTART_COMPONENT, last=True, config={"then": [GAZETTEER_COMPONENT]})
    nlp.add_pipe("ner", name=CORPUS_NER, source=corpus_nlp, last=True)
    nlp.add_pipe(
        entity_vote.VIEW_COMPONENT,
        last=True,
        config={"key": SPACY_VIEW, "then": [FRAGMENTS_COMPONENT, PLACES_COMPONENT, CITATIONS_COMPONENT]},
    )
    keys = [member_key(n) for n in range(1, members + 1)] + [SPACY_VIEW]
    trust = {family: SPACY_VIEW for family, member in rule["trust"].items() if member == "spacy"}
    nlp.add_pipe(
        entity_vote.VOTE_COMPONENT,
        last=True,
        config={"members": keys, "quorum": rule["quorum"], "trust": trust},
    )


def entity_scores(nlp: spacy.language.Language, documents: Sequence[AnnotatedDocument]) -> dict[str, float]:
    """Entity precision, recall and F1 of ``nlp`` on ``documents``: a span counts when its tokens and the
    :func:`~graphkit.extract.entity_vote.family` of its label match a gold entity's (``GPE`` and ``Loc``
    agree)."""
    wanted: set[tuple[int, int, int, str]] = set()
    found: set[tuple[int, int, int, str]] = set()
    family = entity_vote.family
    docs = nlp.pipe((corpus_doc(nlp, document) for document in documents), batch_size=32)
    for n, (document, doc) in enumerate(zip(documents, docs, strict=True)):
        wanted.update(
            (n, e.start, e.end, family(e.label_)) for e in ner_example(nlp, document).reference.ents
        )
        found.update((n, e.start, e.end, family(e.label_)) for e in doc.ents)
    right = len(wanted & found)
    precision = right / len(found) if found else 0.0
    recall = right / len(wanted) if wanted else 0.0
    f1 = 2 * precision * recall / (precision + recall) if right else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def train_ensemble(
    nlp: spacy.language.Language,
    base: str,
    train_docs: Sequence[AnnotatedDocument],
    dev_docs: Sequence[AnnotatedDocument],
    encoder: str,
    members: int,
    *,
    mode: str,
    epochs: int,
    seed: int,
    progress: bool,
    chosen: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Train the members and add them, and the vote, to ``nlp`` (the base pipeline); the summary.

    With ``chosen`` (the ``ensemble`` of a run with dev's summary), ``train_docs`` are train and dev
    together and each member trains for its chosen epochs.

    Returns
    -------
    dict
        ``spacy`` (the spaCy recognizer's ``best_epoch``, dev ``precision``, ``recall``, ``f1``,
        ``epochs``), ``members`` (each transformer recognizer's summary, see
        :func:`graphkit.train.train`), ``encoder`` and ``rule`` (the vote's).
    """
    from graphkit.train import _base_pipeline, _transformer_recognizer, spacy_recognizer

    corpus_nlp = _base_pipeline(base)
    if chosen is None:
        spacy_summary = spacy_recognizer(
            corpus_nlp, train_docs, dev_docs, mode=mode, epochs=epochs, seed=seed, progress=progress
        )
    else:
        spacy_summary = chosen["spacy"]
        train_ner(
            corpus_nlp,
            train_docs,
            [],
            mode=mode,
            epochs=spacy_summary["best_epoch"],
            seed=seed,
            progress=progress,
        )
    summaries = []
    for n in range(1, members + 1):
        summaries.append(
            _transformer_recognizer(
                nlp,
                base,
                train_docs,
                dev_docs,
                encoder,
                seed + n - 1,
                progress,
                chosen=None if chosen is None else chosen["members"][n - 1],
                name=f"{TRANSFORMER_NER}_{n}",
                spans_key=member_key(n),
            )
        )
    add_vote(nlp, corpus_nlp, members)
    return {
        "encoder": encoder,
        "spacy": spacy_summary,
        "members": summaries,
        "rule": entity_vote.vote_rule(),
    }
