"""Training graphkit's statistical parts on an annotated corpus: the entity recognizer, then the relations.

:func:`train` writes a spaCy pipeline directory that ``--model DIR`` loads everywhere (build, extract,
evaluate): the base pipeline with its entity recognizer trained on the corpus's entity types (see
:mod:`graphkit.train.ner`) and, in ``DIR/graphkit_relations/``, the relation classifier trained on the
corpus's relations (:mod:`graphkit.train.relations`, or with ``relation_encoder`` the transformer classifier
of :mod:`graphkit.train.transformer`). With ``entity_encoder`` the base pipeline's recognizer is kept as it
is and a transformer recognizer (:mod:`graphkit.train.transformer_ner`), added after it, reads its labels
as features and sets the entities. Only the recognizer is retrained: the tok2vec, and so the
``doc.tensor`` the relation classifier's dense features read, stay the base pipeline's.

A final model is *refitted* (``refit=True``, SpERT's protocol): a run on the training documents
chooses, on the dev documents, the recognizer's epoch and the relation classifier's settings; then
:func:`refit_model` trains both again, from the start and with the same seed, on train and dev together
with those settings: the recognizer for the chosen number of epochs, the transformer classifier up to its
chosen epoch of the same learning-rate schedule, kept at its chosen threshold. (The logistic regression
chooses its regularisation and threshold again on dev, with the refitted recognizer's candidates, then is
fitted on both.) The refitted model's ``meta.json`` records under ``graphkit_refit`` what was chosen and
the dev figures of the choice: it was trained on dev, so its own dev figures mean nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import spacy

from graphkit.corpora import read_corpus
from graphkit.errors import InputError, ModelError, OutputError
from graphkit.extract.nlp import DEFAULT_MODEL, load_pipeline
from graphkit.fileio import staged_directory
from graphkit.train.ner import NER_MODES, EpochScore, train_ner

__all__ = [
    "NER_MODES",
    "RELATIONS_DIRECTORY",
    "EpochScore",
    "refit_model",
    "spacy_recognizer",
    "train",
    "train_ner",
]

RELATIONS_DIRECTORY = "graphkit_relations"
"""The sub-directory of a trained model holding the relation classifier."""


def _base_pipeline(base: str) -> spacy.language.Language:
    try:
        return spacy.load(base)
    except (OSError, ImportError, ValueError) as error:
        raise ModelError(f"cannot load base spaCy model {base!r}: install it or pass another") from error


def _relations(
    train_docs,
    dev_docs,
    out: Path,
    seed: int,
    progress: bool,
    refit: bool,
    encoder: str | None = None,
    chosen: dict[str, Any] | None = None,
) -> dict[str, Any] | None:
    """Train the relation classifier on the pipeline written to ``out`` and save it there.

    With ``chosen`` (a transformer classifier's summary from a run with dev), ``train_docs`` are train and
    dev together and the classifier is refitted with the epoch and threshold chosen."""
    if encoder is not None:
        from graphkit.train.transformer import train_transformer_classifier

        settings = (
            {}
            if chosen is None
            else {
                "epochs": chosen["epochs"],
                "stop_after": chosen["best_epoch"],
                "threshold": chosen["threshold"],
            }
        )
        transformer = train_transformer_classifier(
            train_docs,
            [] if chosen is not None else dev_docs,
            nlp=load_pipeline(str(out)),
            encoder=encoder,
            seed=seed,
            progress=progress,
            **settings,
        )
        transformer.save(out / RELATIONS_DIRECTORY)
        meta = transformer.metadata
        return {
            "directory": str(out / RELATIONS_DIRECTORY),
            "encoder": encoder,
            "refit_on_dev": chosen is not None,
            "epochs": meta["epochs"],
            "best_epoch": meta["best_epoch"],
            "threshold": transformer.threshold,
            "dev_scores": meta["dev_scores"],
        }
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


def _check_out(out: Path) -> None:
    if out.is_dir() and any(out.iterdir()) and not (out / "meta.json").is_file():
        raise OutputError(
            f"{str(out)!r} is a directory that holds no spaCy model; give a new directory, "
            "or a model directory to replace"
        )


def _write(nlp: spacy.language.Language, staged: Path, out: Path) -> None:
    """Write the pipeline into ``staged``, the directory :func:`~graphkit.fileio.staged_directory` gave for
    ``out``."""
    try:
        nlp.to_disk(staged)
    except OSError as error:
        raise OutputError(f"cannot write the model directory {str(out)!r}: {error}") from error


def _moved(summary: dict[str, Any] | None, out: Path) -> dict[str, Any] | None:
    """A relation classifier's summary with its directory where the finished model is: ``out``."""
    return None if summary is None else {**summary, "directory": str(out / RELATIONS_DIRECTORY)}


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
    refit: bool = False,
    refit_relations: bool = False,
    relation_encoder: str | None = None,
    entity_encoder: str | None = None,
    entity_ensemble: int = 0,
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
    refit : bool
        Write a final model: after choosing on the dev documents (in a temporary directory next to
        ``out``), train the recognizer and the relation classifier again on train and dev together with
        what was chosen (see :func:`refit_model`). Its dev figures mean nothing; score it on a test split.
    refit_relations : bool
        Refit only the logistic-regression relation classifier, on train and dev together (the
        recognizer stays the one chosen on dev; see :mod:`graphkit.train.relations`).
    relation_encoder : str, optional
        Train a transformer relation classifier on this encoder instead (``minilm`` or a local Hugging Face
        model directory; needs ``graphkit[transformer]``, see :mod:`graphkit.train.transformer`).
    entity_encoder : str, optional
        Train a transformer entity recognizer on this encoder instead of the spaCy ``ner`` (``minilm`` or a
        local Hugging Face model directory; see :mod:`graphkit.train.transformer_ner`). ``mode`` and
        ``epochs`` are then unused (but by an ensemble's spaCy recognizer): it trains
        :data:`~graphkit.train.transformer_ner.EPOCHS` epochs.
    entity_ensemble : int
        With ``entity_encoder``: train this many transformer recognizers (seeds ``seed`` ..
        ``seed + entity_ensemble - 1``) and the spaCy one (``mode``, ``epochs``), and set the entities
        they vote for (:mod:`graphkit.train.ensemble`, :mod:`graphkit.extract.entity_vote`).

    Returns
    -------
    dict
        ``model`` (the directory), ``ner`` (``best_epoch``, dev ``precision``, ``recall``, ``f1``,
        ``epochs`` run; with ``entity_encoder`` also ``encoder`` and ``schedule``, the epochs the learning
        rate was set for; with ``entity_ensemble``, the voted entities' dev figures, the spaCy recognizer's
        epochs and ``ensemble``, the members' summaries), ``relations`` (``None`` when the relation
        classifier's training is absent) and, with ``refit``, ``refit`` (the summary of
        :func:`refit_model`; ``ner`` and ``relations`` are then the figures of the run that chose).

    Raises
    ------
    InputError
        When a corpus cannot be read, ``refit_relations`` is given with ``relation_encoder``, or
        ``entity_ensemble`` without ``entity_encoder``.
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
            "--refit-relations applies to the default relation classifier; "
            "with --relation-encoder, give --refit to refit both parts"
        )
    if entity_ensemble and entity_encoder is None:
        raise InputError(
            "--entity-ensemble trains transformer recognizers: give their encoder with --entity-encoder "
            "(e.g. --entity-encoder minilm)"
        )
    for encoder in (relation_encoder, entity_encoder):  # before any training: a missing extra fails at once
        if encoder is not None:
            from graphkit.train.transformer import encoder_directory

            encoder_directory(encoder)
    _check_out(out)
    if refit:
        # the run that chooses writes its model beside the final one, in the same hidden directory: both
        # go when the refit is written, or when the run fails or is interrupted
        with staged_directory(out) as staged:
            chosen = train(
                train_path,
                dev_path,
                staged.parent / "selection",
                base=base,
                mode=mode,
                epochs=epochs,
                seed=seed,
                progress=progress,
                relation_encoder=relation_encoder,
                entity_encoder=entity_encoder,
                entity_ensemble=entity_ensemble,
            )
            final = _refit_into(
                train_path, dev_path, staged, out, chosen, base=base, mode=mode, seed=seed, progress=progress
            )
        if progress:
            print(f"refit: written to {out}", file=sys.stderr)
        # the choosing run's model went with the hidden directory: its figures stay, not its path
        relations = chosen["relations"] and {**chosen["relations"], "directory": None}
        return {**chosen, "model": str(out), "relations": relations, "refit": final}
    train_docs, dev_docs = read_corpus(train_path), read_corpus(dev_path)
    nlp = _base_pipeline(base)
    if entity_ensemble:
        from graphkit.train.ensemble import train_ensemble

        ensemble = train_ensemble(
            nlp,
            base,
            train_docs,
            dev_docs,
            entity_encoder,
            entity_ensemble,
            mode=mode,
            epochs=epochs,
            seed=seed,
            progress=progress,
        )
        ner = {
            "encoder": entity_encoder,
            "best_epoch": ensemble["spacy"]["best_epoch"],
            "epochs": ensemble["spacy"]["epochs"],
            "ensemble": ensemble,
        }
    elif entity_encoder is not None:
        ner = _transformer_recognizer(nlp, base, train_docs, dev_docs, entity_encoder, seed, progress)
    else:
        ner = spacy_recognizer(
            nlp, train_docs, dev_docs, mode=mode, epochs=epochs, seed=seed, progress=progress
        )
    nlp.meta["name"] = f"{nlp.meta.get('name', 'pipeline')}_graphkit"
    nlp.meta["description"] = (
        f"{base} with its entity recognizer trained by graphkit on {Path(train_path).name}"
    )
    with staged_directory(out) as staged:  # the whole model, or nothing: never half a directory
        _write(nlp, staged, out)
        if entity_ensemble:  # the voted entities' figures, with the pipeline as graphkit loads it
            from graphkit.train.ensemble import entity_scores

            ner.update(entity_scores(load_pipeline(str(staged)), dev_docs))
        if progress:
            print(f"ner: best dev F1 {ner['f1']:.3f} at epoch {ner['best_epoch']}", file=sys.stderr)
        relations = _relations(
            train_docs, dev_docs, staged, seed, progress, refit_relations, relation_encoder
        )
    if progress:
        print(f"model written to {out}", file=sys.stderr)
    return {"model": str(out), "ner": ner, "relations": _moved(relations, out)}


def spacy_recognizer(
    nlp: spacy.language.Language,
    train_docs,
    dev_docs,
    *,
    mode: str,
    epochs: int,
    seed: int,
    progress: bool,
) -> dict[str, Any]:
    """Train ``nlp``'s spaCy recognizer (:func:`~graphkit.train.ner.train_ner`); the summary of its best dev
    epoch: ``best_epoch``, ``precision``, ``recall``, ``f1`` and ``epochs`` run."""
    history = train_ner(nlp, train_docs, dev_docs, mode=mode, epochs=epochs, seed=seed, progress=progress)
    best = max(history, key=lambda score: (score.f1, -score.epoch))
    return {
        "best_epoch": best.epoch,
        "precision": best.precision,
        "recall": best.recall,
        "f1": best.f1,
        "epochs": len(history),
    }


def _transformer_recognizer(
    nlp: spacy.language.Language,
    base: str,
    train_docs,
    dev_docs,
    encoder: str,
    seed: int,
    progress: bool,
    chosen: dict[str, Any] | None = None,
    name: str | None = None,
    spans_key: str | None = None,
) -> dict[str, Any]:
    """Train the transformer recognizer and add it to ``nlp``; its summary. With ``chosen`` (the summary of
    a run with dev), ``train_docs`` are train and dev together and it stops at the chosen epoch. ``name``
    and ``spans_key``: see :meth:`~graphkit.train.transformer_ner.TrainedRecognizer.install`."""
    from graphkit.train.transformer_ner import EPOCHS, train_transformer_ner

    settings = (
        {"epochs": EPOCHS}
        if chosen is None
        else {"epochs": chosen["schedule"], "stop_after": chosen["best_epoch"]}
    )
    trained = train_transformer_ner(
        train_docs,
        [] if chosen is not None else dev_docs,
        nlp=load_pipeline(base),  # features as graphkit parses: the base recognizer, gazetteer and places
        encoder=encoder,
        seed=seed,
        progress=progress,
        **settings,
    )
    if name is None:
        trained.install(nlp)
    else:
        trained.install(nlp, name, spans_key)
    meta = trained.metadata
    return {
        "encoder": encoder,
        "seed": seed,
        "best_epoch": meta["best_epoch"],
        **(meta["dev_scores"] or {"precision": None, "recall": None, "f1": None}),
        "epochs": len(meta["history"]),
        "schedule": meta["epochs"],
    }


def refit_model(
    train_path: str | Path,
    dev_path: str | Path,
    out: str | Path,
    chosen: dict[str, Any],
    *,
    base: str = DEFAULT_MODEL,
    mode: str = "transfer",
    seed: int = 0,
    progress: bool = False,
) -> dict[str, Any]:
    """Train the final model on train and dev together with what a run with dev chose; write ``out``.

    Parameters
    ----------
    train_path, dev_path : path
        The corpora the run that chose was given: both are trained on now.
    out : path
        The model directory to write (an existing model directory is replaced).
    chosen : dict
        What :func:`train` returned for that run: ``ner["best_epoch"]`` is the number of epochs the
        recognizer trains (a transformer recognizer's ``ner`` also gives its ``encoder`` and ``schedule``);
        a transformer classifier's ``relations`` give its ``encoder``, ``epochs`` (the
        learning-rate schedule), ``best_epoch`` (where it stops) and ``threshold``.
    base, mode, seed
        As the run that chose was given them.
    progress : bool
        Print progress on standard error.

    Returns
    -------
    dict
        ``model``, ``refit_on_dev``, ``trained_on`` (the two files' names), ``seed``, ``ner_epochs``,
        ``relation_settings`` (what the classifier was refitted with), ``chosen_on_dev`` (the dev figures
        of the choice), ``note`` (all of which ``meta.json`` keeps as ``graphkit_refit``) and
        ``relations`` (the refitted classifier's summary).

    Notes
    -----
    Measured on CoNLL04 with the MiniLM classifier, without reading test: train was cut (seeded) into
    three quarters A (691 sentences) and a quarter B (231, dev's size); a run on A chose on B, then the
    refit trained on A + B; both were scored end to end on dev, which neither saw. Strict micro F1 (entity
    F1): seed 0, 0.576 (0.799) chosen -> 0.596 (0.809) refitted; seed 1, 0.581 (0.815) -> 0.634 (0.822).

    Examples
    --------
    >>> summary = train("train.json", "dev.json", "models/chosen")  # doctest: +SKIP
    >>> refit_model("train.json", "dev.json", "models/final", summary)  # doctest: +SKIP
    """
    out = Path(out)
    _check_out(out)
    with staged_directory(out) as staged:
        summary = _refit_into(
            train_path, dev_path, staged, out, chosen, base=base, mode=mode, seed=seed, progress=progress
        )
    if progress:
        print(f"refit: written to {out}", file=sys.stderr)
    return summary


def _refit_into(
    train_path: str | Path,
    dev_path: str | Path,
    staged: Path,
    out: Path,
    chosen: dict[str, Any],
    *,
    base: str,
    mode: str,
    seed: int,
    progress: bool,
) -> dict[str, Any]:
    """:func:`refit_model`'s work, written into ``staged`` (the directory that becomes ``out``)."""
    train_docs, dev_docs = read_corpus(train_path), read_corpus(dev_path)
    relations = chosen.get("relations") or {}
    encoder = relations.get("encoder")
    entity_encoder = chosen["ner"].get("encoder")
    ner_epochs = chosen["ner"]["best_epoch"]
    if progress:
        print(
            f"refit on {Path(train_path).name} + {Path(dev_path).name}: recognizer {ner_epochs} epochs"
            + (
                f", relations epoch {relations['best_epoch']} of {relations['epochs']} at "
                f"{relations['threshold']}"
                if encoder is not None
                else ""
            ),
            file=sys.stderr,
        )
    nlp = _base_pipeline(base)
    if chosen["ner"].get("ensemble"):
        from graphkit.train.ensemble import train_ensemble

        train_ensemble(
            nlp,
            base,
            [*train_docs, *dev_docs],
            [],
            entity_encoder,
            len(chosen["ner"]["ensemble"]["members"]),
            mode=mode,
            epochs=ner_epochs,
            seed=seed,
            progress=progress,
            chosen=chosen["ner"]["ensemble"],
        )
    elif entity_encoder is not None:
        _transformer_recognizer(
            nlp, base, [*train_docs, *dev_docs], [], entity_encoder, seed, progress, chosen=chosen["ner"]
        )
    else:
        train_ner(
            nlp, [*train_docs, *dev_docs], [], mode=mode, epochs=ner_epochs, seed=seed, progress=progress
        )
    record = {
        "refit_on_dev": True,
        "trained_on": [Path(train_path).name, Path(dev_path).name],
        "seed": seed,
        "ner_epochs": ner_epochs,
        "entity_encoder": entity_encoder,
        "relation_settings": {k: relations.get(k) for k in ("encoder", "epochs", "best_epoch", "threshold")},
        "chosen_on_dev": {
            "ner": chosen["ner"],
            "relations": relations.get("dev_scores"),
        },
        "note": "trained on the dev documents too: its dev figures mean nothing",
    }
    nlp.meta["name"] = f"{nlp.meta.get('name', 'pipeline')}_graphkit"
    nlp.meta["description"] = (
        f"{base} with its entity recognizer trained by graphkit on {Path(train_path).name} and "
        f"{Path(dev_path).name} (refit)"
    )
    nlp.meta["graphkit_refit"] = record
    _write(nlp, staged, out)
    if relations:
        refitted = _relations(
            [*train_docs, *dev_docs] if encoder is not None else train_docs,
            dev_docs,
            staged,
            seed,
            progress,
            True,
            encoder,
            chosen=relations if encoder is not None else None,
        )
    else:
        refitted = None
    return {"model": str(out), **record, "relations": _moved(refitted, out)}
