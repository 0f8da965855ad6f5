"""Triples as open extraction tuples: a relation and its arguments in the sentence's own words.

Open information extraction benchmarks (CaRB) and tools downstream of them want whole phrases ("the
minimum wage", "would be restarted from"), while a triple holds the words of a mention and a predicate.
The mappings here widen them again through the parse; they live in the extraction stage because they read
spaCy's ``Doc`` (the evaluation only sees :class:`OpenTuple` records).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple

from spacy.tokens import Doc, Span, Token

from graphkit.extract.openie import OPEN_PATTERN_PREFIX
from graphkit.types import Triple


class OpenTuple(NamedTuple):
    """One extraction: its relation, its arguments (subject first) and the extractor's confidence."""

    relation: str
    arguments: tuple[str, ...]
    confidence: float = 1.0


# CaRB's arguments keep appositions, coordinations and participle phrases ("the sad and mood `` I 've
# Just Got to Forget You ''"); a relative or adverbial clause is a tuple of its own.
_LEFT_OUT_OF_PHRASES = frozenset({"relcl", "punct", "advcl", "parataxis"})
_RELATION_WORDS = frozenset({"aux", "auxpass", "neg"})
_PREPOSITIONS = frozenset({"prep", "agent", "dative"})
_EXTRA_ARGUMENTS = frozenset({"prep", "npadvmod"})  # "in Istanbul", "In 1717", "last year"


def _span_of(doc: Doc, start: int, end: int) -> Span:
    return doc.char_span(start, end, alignment_mode="expand")


def _words(tokens: Iterable[Token]) -> str:
    return " ".join(t.text for t in sorted(set(tokens), key=lambda t: t.i))


def _phrase_tokens(doc: Doc, start: int, end: int) -> tuple[Token, set[Token]]:
    """The noun phrase around a mention and its root: the root's subtree without relative or adverbial
    clauses, punctuation only inside it ("the `` Five Lucky Stars ''")."""
    span = _span_of(doc, start, end)
    words = set(span)
    frontier = [span.root]
    while frontier:
        children = [c for t in frontier for c in t.children if c.dep_ not in _LEFT_OUT_OF_PHRASES]
        words.update(children)
        frontier = children
    first, last = min(t.i for t in words), max(t.i for t in words)
    inner = [t for t in doc[first:last] if t.is_punct and t.head in words and t.text not in {",", ";", ":"}]
    return span.root, words.union(inner)


def _relation_tokens(doc: Doc, triple: Triple) -> list[Token]:
    """The predicate's words with their auxiliaries and negation ("would be restarted from")."""
    wanted = triple.predicate.text.split(" ")
    words = [t for t in _span_of(doc, triple.predicate.start, triple.predicate.end) if t.text in wanted]
    return [*words, *(c for t in words for c in t.children if c.dep_ in _RELATION_WORDS)]


def _surface_tuple(doc: Doc, triple: Triple) -> OpenTuple:
    """Arguments as noun phrases in the sentence's order (a passive's patient first), the relation with
    its auxiliaries, negation and the preposition before the second argument ("was loved by"), then the
    verb's other prepositional and adverbial phrases as further arguments ("in Istanbul", "In 1717").
    A clause triple of open mode (:mod:`graphkit.extract.openie`) keeps its own order; one whose relation
    the sentence does not spell out ("is" of an apposition, "has" of a possessive) gives its label and
    the two phrases without each other's words."""
    phrases = [_phrase_tokens(doc, a.start, a.end) for a in (triple.subject, triple.object)]
    if not triple.provenance.pattern.startswith(OPEN_PATTERN_PREFIX):  # clause tuples are in order already
        phrases.sort(key=lambda phrase: min(t.i for t in phrase[1]))
    (_, first), (second, last) = phrases
    if not triple.predicate.text:  # a relation the sentence does not spell out: "X, the Y of Z" (X is Y)
        # one phrase holds the other ("Roach 's partner", "Hall, the venue"): each keeps its own words
        first, last = (first - last, last) if last < first else (first, last - first)
        subject = [t for t in first if t.dep_ != "case"]
        return OpenTuple(triple.predicate.label, (_words(subject), _words(last)), triple.confidence)
    relation = _relation_tokens(doc, triple)
    if second.head.dep_ in _PREPOSITIONS and second.head.head in relation:
        relation.append(second.head)
    used = first | last | set(relation)
    extras = [
        set(child.subtree)
        for token in relation
        if token.pos_ in {"VERB", "AUX"}
        for child in token.children
        if child.dep_ in _EXTRA_ARGUMENTS
    ]
    arguments = [first, last, *(extra for extra in extras if not extra & used)]
    return OpenTuple(_words(relation), tuple(_words(a) for a in arguments), triple.confidence)


def _mention_tuple(doc: Doc, triple: Triple) -> OpenTuple:
    return OpenTuple(triple.predicate.text, (triple.subject.text, triple.object.text), triple.confidence)


def _label_tuple(doc: Doc, triple: Triple) -> OpenTuple:
    return OpenTuple(triple.predicate.label, (triple.subject.text, triple.object.text), triple.confidence)


def _phrase_tuple(doc: Doc, triple: Triple) -> OpenTuple:
    arguments = tuple(_words(_phrase_tokens(doc, a.start, a.end)[1]) for a in (triple.subject, triple.object))
    return OpenTuple(_words(_relation_tokens(doc, triple)), arguments, triple.confidence)


PHRASE_MAPPINGS: dict[str, Callable[[Doc, Triple], OpenTuple]] = {
    "mention": _mention_tuple,
    "label": _label_tuple,
    "phrase": _phrase_tuple,
    "surface": _surface_tuple,
}
"""How a triple becomes an open tuple: ``mention`` (the predicate's and the mentions' words), ``label``
(the readable predicate instead), ``phrase`` (each argument widened to its noun phrase, the predicate
given its auxiliaries and negation), ``surface`` (``phrase`` in the sentence's word order, with the
second argument's preposition and the verb's other phrases as extra arguments: the default, best on
CaRB dev)."""


def open_tuples(doc: Doc, triples: Iterable[Triple], mapping: str = "surface") -> list[OpenTuple]:
    """The open tuples of ``triples`` extracted from ``doc``, by ``mapping`` (see :data:`PHRASE_MAPPINGS`).

    Raises
    ------
    KeyError
        For an unknown mapping (callers check names against :data:`PHRASE_MAPPINGS`).
    """
    to_tuple = PHRASE_MAPPINGS[mapping]
    return [to_tuple(doc, triple) for triple in triples]
