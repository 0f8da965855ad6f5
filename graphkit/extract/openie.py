"""Clause tuples for open mode: every verb's subject, relation and object, after ClausIE.

The relation patterns find the relations between actors that graphkit knows how to name; open
information extraction (``Extractor(open_arguments=True)``, ``graphkit extract --open``, the CaRB
benchmark) wants every statement of a sentence. Here, in the manner of ClausIE (Del Corro & Gemulla,
WWW 2013), each verb (and each copula) with a subject gives a clause tuple: its subject, its relation (the
verb with its auxiliaries, negation and particle, and the preposition of a prepositional object), its
object or complement. A verb without a subject of its own takes one from its head (a conjoined verb, a
controlled infinitive, a relative clause's antecedent); an apposition ("X, the Y of Z") states that X
is the Y of Z, a possessive ("X 's Y") that X has Y. A clause takes the place of the patterns' triples on
its verb (see :func:`open_triples`). Which dependency labels play which part, and the confidences, are
data (``graphkit/data/openie.json``).

Clause tuples leave as :class:`~graphkit.types.Triple` records of pattern ``open-clause``,
``open-apposition`` or ``open-possessive``, their arguments resolved to actors where they name one (a
relative pronoun or a pronoun stands for its antecedent) and of the generic class ``Actor`` where they do
not; the verb's other prepositional phrases are added again when a triple is written as an open tuple
(:mod:`graphkit.extract.phrases`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from spacy.tokens import Doc, Span, Token

from graphkit.errors import PatternError
from graphkit.extract.categories import relation_categories
from graphkit.extract.coref import nominal_key
from graphkit.extract.mentions import OPEN_TYPE
from graphkit.extract.triples import ATTRIBUTION_PATTERN, ArgumentResolver
from graphkit.resources import load_json
from graphkit.types import Actor, Argument, Predicate, Provenance, Triple

OPEN_PATTERN_PREFIX = "open-"

_RULE_KEYS = (
    "subject_deps",
    "object_deps",
    "clause_object_deps",
    "preposition_deps",
    "relation_deps",
    "relation_adverb_deps",
    "verb_pos",
    "noun_pos",
    "apposition_pos",
    "possessor_pos",
    "implicit_relations",
    "subject_from_head",
    "confidence",
)


@cache
def load_rules(name: str = "openie.json") -> dict[str, Any]:
    """The packaged clause rules, checked for their keys (sets for the label lists).

    >>> "dobj" in load_rules()["object_deps"]
    True
    """
    rules = load_json(name)
    missing = [key for key in _RULE_KEYS if key not in rules]
    if missing:
        raise PatternError(
            f"open extraction rules {name!r} lack {', '.join(missing)}; restore the packaged file"
        )
    return {key: frozenset(value) if isinstance(value, list) else value for key, value in rules.items()}


@dataclass(frozen=True)
class Clause:
    """One clause tuple, in tokens: its subject's head, relation words, object's head and how it was found.

    ``shape`` and ``subject_from`` are keys of the rules' confidence tables; ``object`` is None for an
    intransitive clause.
    """

    subject: Token
    relation: tuple[Token, ...]
    object: Token | None
    shape: str
    subject_from: str


def _subject(verb: Token, rules: dict[str, Any], depth: int = 0) -> tuple[Token, str] | None:
    """The verb's subject and where it came from: its own, else its head's (by ``subject_from_head``)."""
    own = [c for c in verb.children if c.dep_ in rules["subject_deps"]]
    if own:
        return own[0], "own"
    source = rules["subject_from_head"].get(verb.dep_)
    if source == "head" and verb.head.pos_ in rules["noun_pos"]:
        return verb.head, verb.dep_
    if source == "subject" and depth < 5 and verb.head.pos_ in rules["verb_pos"]:
        found = _subject(verb.head, rules, depth + 1)
        return (found[0], verb.dep_) if found else None
    return None


def _relation(verb: Token, rules: dict[str, Any]) -> list[Token]:
    """The verb with its auxiliaries, negation and particle; a controlled infinitive ("wants to leave")
    with its controller's."""
    words = [verb, *(c for c in verb.children if c.dep_ in rules["relation_deps"])]
    first = min(w.i for w in words)  # an adverb just before or among them joins: "was never vaulted"
    words += [c for c in verb.lefts if c.dep_ in rules["relation_adverb_deps"] and c.i >= first - 1]
    if verb.dep_ == "xcomp" and verb.head.pos_ in rules["verb_pos"]:
        words = _relation(verb.head, rules) + words
    return words


def _prepositional_object(preposition: Token) -> Token | None:
    return next((c for c in preposition.children if c.dep_ in {"pobj", "pcomp"}), None)


def _clause_of(verb: Token, rules: dict[str, Any]) -> Clause | None:
    found = _subject(verb, rules)
    if found is None:
        return None
    subject, subject_from = found
    relation = _relation(verb, rules)
    children = list(verb.children)
    objects = [c for c in children if c.dep_ in rules["object_deps"]]
    verbal = [c for c in children if c.dep_ == "xcomp" and c.pos_ in rules["verb_pos"]]
    if verbal and not objects:
        return None  # the controlled verb's clause carries this one's relation ("wants to leave")
    objects += [c for c in children if c.dep_ == "xcomp" and c.pos_ not in rules["verb_pos"]]
    if objects:
        shape = "object" if objects[0].dep_ == "dobj" else "complement"
        return Clause(subject, tuple(relation), objects[0], shape, subject_from)
    preps = [
        (c, _prepositional_object(c))
        for c in children
        if c.dep_ in rules["preposition_deps"] and c.i > verb.i and _prepositional_object(c) is not None
    ]
    agents = [(prep, pobj) for prep, pobj in preps if prep.dep_ == "agent"]
    for shape, chosen in (("passive_agent", agents), ("preposition", preps)):
        if chosen:
            prep, pobj = chosen[0]
            return Clause(subject, (*relation, prep), pobj, shape, subject_from)
    clausal = [c for c in children if c.dep_ in rules["clause_object_deps"]]
    if clausal:
        return Clause(subject, tuple(relation), clausal[0], "clause", subject_from)
    if verb.dep_ == "relcl" and subject_from == "own" and subject.i != verb.head.i:
        return Clause(subject, tuple(relation), verb.head, "object", subject_from)  # "the book I read"
    return Clause(subject, tuple(relation), None, "intransitive", subject_from)


def clauses(sentence: Span, rules: dict[str, Any] | None = None) -> list[Clause]:
    """The clause tuples of a parsed sentence, verb by verb, then its appositions.

    Parameters
    ----------
    sentence : Span
        A sentence of a parsed ``Doc``.
    rules : dict, optional
        Rules as :func:`load_rules` gives them (default: the packaged ones).

    Returns
    -------
    list of Clause
        In the order of their verbs; intransitive clauses (no object) included.
    """
    rules = rules or load_rules()
    found = []
    for token in sentence:
        if token.pos_ in rules["verb_pos"] and token.dep_ not in rules["relation_deps"]:
            clause = _clause_of(token, rules)
            if clause is not None:
                found.append(clause)
    for token in sentence:
        if (
            token.dep_ == "appos"
            and token.head.pos_ in rules["noun_pos"]
            and token.pos_ in rules["apposition_pos"]
            and token.head.i < token.i
            and token.doc[token.left_edge.i - 1].text == ","
        ):
            named, described = token, token.head  # "His son, John Crozier Jr.": the name is the subject
            if not (token.pos_ == "PROPN" and token.head.pos_ != "PROPN"):
                named, described = described, named
            found.append(Clause(named, (), described, "apposition", "own"))
        if token.dep_ == "poss" and token.pos_ in rules["possessor_pos"] and token.head.pos_ == "NOUN":
            found.append(Clause(token, (), token.head, "possessive", "own"))  # "Roach 's partner"
    return found


def _confidence(clause: Clause, rules: dict[str, Any]) -> float:
    table = rules["confidence"]
    return round(table["shape"][clause.shape] * table["subject"][clause.subject_from], 3)


_LEFT_OUT = frozenset({"relcl", "punct", "advcl", "parataxis", "appos"})


def _phrase(token: Token) -> list[Token]:
    """The phrase a token heads, without relative or adverbial clauses, appositions and punctuation."""
    words, frontier = [token], [token]
    while frontier:
        frontier = [c for t in frontier for c in t.children if c.dep_ not in _LEFT_OUT]
        words += frontier
    return sorted(words, key=lambda t: t.i)


def _open_argument(token: Token, sentence: int, doc_id: str) -> tuple[Argument, Actor]:
    """An argument that names no actor: the words of the phrase ``token`` heads, of class ``Actor``."""
    words = _phrase(token)
    label = " ".join(t.text for t in words)
    actor = Actor(key=nominal_key(label, doc_id, sentence), label=label, type=OPEN_TYPE)
    start, end = words[0].idx, words[-1].idx + len(words[-1].text)
    argument = Argument(label, actor.key, OPEN_TYPE, token.doc.text[start:end], start, end)
    return argument, actor


def _argument(token: Token, resolver: ArgumentResolver, doc_id: str) -> tuple[Argument, Actor]:
    resolved = resolver.resolve(token.i) if token.pos_ in load_rules()["noun_pos"] else None
    if resolved is None:
        return _open_argument(token, resolver.sentence_of[token.i], doc_id)
    return resolved.argument, resolved.actor


def _predicate(clause: Clause) -> Predicate:
    if not clause.relation:  # the sentence does not spell it out: the start of its object marks it
        implicit = load_rules()["implicit_relations"][clause.shape]
        start = clause.object.idx if clause.object is not None else clause.subject.idx
        return Predicate(implicit["label"], implicit["lemma"], "", start, start)
    words = sorted(clause.relation, key=lambda t: t.i)
    text = " ".join(t.text for t in words)
    content = [t for t in words if t.dep_ not in {"aux", "auxpass", "neg"}] or words
    lemma = " ".join(t.lemma_.lower() if t.pos_ in {"VERB", "AUX"} else t.lower_ for t in content)
    return Predicate(text, lemma, text, words[0].idx, words[-1].idx + len(words[-1].text))


_VERB_DEPS_LEFT_OUT = frozenset({"aux", "auxpass", "neg", "prt", "prep", "agent", "advmod"})


def _holds_verb_of(triple: Triple, clauses_by_sentence: dict[int, list[Clause]]) -> bool:
    """Whether a clause of the triple's sentence has its verb inside the triple's predicate."""
    predicate = triple.predicate
    return any(
        predicate.start <= verb.idx < predicate.end
        for clause in clauses_by_sentence.get(triple.provenance.sentence, ())
        for verb in clause.relation
        if verb.dep_ not in _VERB_DEPS_LEFT_OUT
    )


def _clause_triple(
    clause: Clause, sentence: Span, number: int, resolver: ArgumentResolver, doc_id: str
) -> tuple[Triple, list[Actor]] | None:
    subject, subject_actor = _argument(clause.subject, resolver, doc_id)
    obj, object_actor = _argument(clause.object, resolver, doc_id)
    if (subject.start, subject.end) == (obj.start, obj.end):
        return None
    evidence = sentence.text.strip()
    offset = sentence.start_char + (len(sentence.text) - len(sentence.text.lstrip()))
    predicate = _predicate(clause)
    pattern = OPEN_PATTERN_PREFIX + ("clause" if clause.relation else clause.shape)
    triple = Triple(
        subject=subject,
        predicate=predicate,
        object=obj,
        provenance=Provenance(doc_id, number, evidence, offset, offset + len(evidence), pattern),
        confidence=_confidence(clause, load_rules()),
        negated=any(t.dep_ == "neg" for t in clause.relation),
        modality=next((t.lower_ for t in clause.relation if t.tag_ == "MD"), None),  # "would hire"
        categories=relation_categories(predicate.lemma),
    )
    return triple, [subject_actor, object_actor]


def open_triples(
    doc: Doc, resolver: ArgumentResolver, doc_id: str, pattern_triples: Iterable[Triple] = ()
) -> tuple[list[Triple], dict[str, Actor]]:
    """The triples of open mode: the clause tuples of ``doc`` with an object, and the pattern triples
    whose verb no clause holds.

    Where a clause and a pattern triple hold the same verb, the clause stands for both: its arguments are
    the verb's own subject and object in the sentence's order, where the pattern's are the actors among
    them (on CaRB dev, the clauses alone score better than with the patterns' triples beside them). The
    patterns' relations without a verb ("member of", roles) and their ``reported`` triples stay.

    Returns
    -------
    tuple
        The triples, in sentence and predicate order, and the actors the clause triples' arguments stand
        for, by key.
    """
    rules = load_rules()
    found: dict[int, list[Clause]] = {}
    triples: list[Triple] = []
    actors: dict[str, Actor] = {}
    for number, sentence in enumerate(resolver.sentences):
        found[number] = [c for c in clauses(sentence, rules) if c.object is not None]
        for clause in found[number]:
            made = _clause_triple(clause, sentence, number, resolver, doc_id)
            if made is not None:
                triples.append(made[0])
                actors.update((actor.key, actor) for actor in made[1] if actor.key not in actors)
    kept = [
        t
        for t in pattern_triples
        if t.provenance.pattern == ATTRIBUTION_PATTERN or not _holds_verb_of(t, found)
    ]
    ordered = sorted(
        [*kept, *triples],
        key=lambda t: (t.provenance.sentence, t.predicate.start, t.subject.start, t.object.start),
    )
    return ordered, actors
