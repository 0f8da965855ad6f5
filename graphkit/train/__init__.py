"""Training graphkit's statistical parts on an annotated corpus: the entity recognizer, then the relations.

:func:`train` writes a spaCy pipeline directory that ``--model DIR`` loads everywhere (build, extract,
evaluate): the base pipeline with its entity recognizer trained on the corpus's entity types (see
:mod:`graphkit.train.ner`) and, in ``DIR/graphkit_relations/``, the relation classifier trained on the
corpus's relations (:mod:`graphkit.train.relations`). Only the recognizer is retrained: the tok2vec, and so
the ``doc.tensor`` the relation classifier's dense features read, stay the base pipeline's.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import spacy

from graphkit.corpora import read_corpus
from graphkit.errors import InputError, ModelError, OutputError
from graphkit.extract.nlp import DEFAULT_MODEL, load_pipeline
from graphkit.train.ner import NER_MODES, EpochScore, train_ner

__all__ = ["NER_MODES", "RELATIONS_DIRECTORY", "EpochScore", "train", "train_ner"]

RELATIONS_DIRECTORY = "graphkit_relations"
"""The sub-directory of a trained model holding the relation classifier."""


def _base_pipeline(base: str) -> spacy.language.Language:
    try:
        return spacy.load(base)
    except (OSError, ImportError, ValueError) as error:
        raise ModelError(f"cannot load base spaCy model {base!r}: install it or pass another") from error


def _relations(
    train_docs, dev_docs, out: Path, seed: int, progress: bool, refit: bool, encoder: str | None = None
) -> dict[str, Any] | None:
    if encoder is not None:
        from graphkit.train.transformer import train_transformer_classifier

        transformer = train_transformer_classifier(
            train_docs, dev_docs, nlp=load_pipeline(str(out)), encoder=encoder, seed=seed, progress=progress
        )
        transformer.save(out / RELATIONS_DIRECTORY)
        return {"directory": str(out / RELATIONS_DIRECTORY), "encoder": encoder, "refit_on_dev": False}
    try:
        from graphkit.train.relations import train_relation_classifier
    except ModuleNotFoundError as error:  # the relation classifier's training is optional until it exists
        if error.name != "graphkit.train.relations":
            raise
        return None
    nlp = load_pipeline(str(out))
    classifier = train_relation_classifier(
        train_docs, dev_docs, nlp=nlp, seed=seed, progress=progress, refit_on_dev=refit
    )
    classifier.save(out / RELATIONS_DIRECTORY)
    return {"directory": str(out / RELATIONS_DIRECTORY), "refit_on_dev": refit}


def train(
    train_path: str | Path,
    dev_path: str | Path,
    out: str | Path,
    *,
    base: str = DEFAULT_MODEL,
    mode: str = "transfer",
    epochs: int = 30,
    seed: int = 0,
    progress: bool = False,
    refit_relations: bool = False,
    relation_encoder: str | None = None,
) -> dict[str, Any]:
    """Train the entity recognizer and the relation classifier; write the model directory ``out``.

    Parameters
    ----------
    train_path, dev_path : path
        Annotated corpora (SpERT JSON or RE3D JSONL, see :func:`graphkit.corpora.read_corpus`): the
        training documents and the documents the best epoch is chosen on.
    out : path
        The model directory to write; an existing model directory is replaced (and nothing else).
    base : str
        The spaCy pipeline whose tagger, parser and lemmatizer are kept (frozen).
    mode : {"transfer", "fresh"}
        Where the recognizer starts from (see :mod:`graphkit.train.ner`).
    epochs : int
        Most passes over the training documents.
    seed : int
        Seed of everything random: two runs with one seed write the same model.
    progress : bool
        Print progress on standard error.
    refit_relations : bool
        Fit the relation classifier chosen on the dev documents again on train and dev together (a final
        model to score on a test split: its dev figures mean nothing; see :mod:`graphkit.train.relations`).
    relation_encoder : str, optional
        Train a transformer relation classifier on this encoder instead (``minilm`` or a local Hugging Face
        model directory; needs ``graphkit[transformer]``, see :mod:`graphkit.train.transformer`); it is
        not refitted.

    Returns
    -------
    dict
        ``model`` (the directory), ``ner`` (``best_epoch``, dev ``precision``, ``recall``, ``f1``,
        ``epochs`` run) and ``relations`` (``None`` when the relation classifier's training is absent).

    Raises
    ------
    InputError
        When a corpus cannot be read.
    ModelError
        When the base pipeline cannot be loaded.
    OutputError
        When ``out`` cannot be written.

    Examples
    --------
    >>> train("conll04/train.json", "conll04/dev.json", "models/conll04")  # doctest: +SKIP
    """
    out = Path(out)
    if relation_encoder is not None and refit_relations:
        raise InputError(
            "--refit-relations applies to the default relation classifier, not to --relation-encoder"
        )
    if relation_encoder is not None:  # before the recognizer's training: a missing extra fails at once
        from graphkit.train.transformer import encoder_directory

        encoder_directory(relation_encoder)
    if out.is_dir() and any(out.iterdir()) and not (out / "meta.json").is_file():
        raise OutputError(
            f"{str(out)!r} is a directory that holds no spaCy model; give a new directory, "
            "or a model directory to replace"
        )
    train_docs, dev_docs = read_corpus(train_path), read_corpus(dev_path)
    nlp = _base_pipeline(base)
    history = train_ner(nlp, train_docs, dev_docs, mode=mode, epochs=epochs, seed=seed, progress=progress)
    best = max(history, key=lambda score: (score.f1, -score.epoch))
    nlp.meta["name"] = f"{nlp.meta.get('name', 'pipeline')}_graphkit"
    nlp.meta["description"] = (
        f"{base} with its entity recognizer trained by graphkit on {Path(train_path).name}"
    )
    try:
        if out.exists():
            shutil.rmtree(out)
        nlp.to_disk(out)
    except OSError as error:
        raise OutputError(f"cannot write the model directory {str(out)!r}: {error}") from error
    if progress:
        print(f"ner: best dev F1 {best.f1:.3f} at epoch {best.epoch}; written to {out}", file=sys.stderr)
    relations = _relations(train_docs, dev_docs, out, seed, progress, refit_relations, relation_encoder)
    return {
        "model": str(out),
        "ner": {
            "best_epoch": best.epoch,
            "precision": best.precision,
            "recall": best.recall,
            "f1": best.f1,
            "epochs": len(history),
        },
        "relations": relations,
    }
