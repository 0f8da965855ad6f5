"""From pattern matches to triples: resolve each argument to an actor, build the predicate, score it.

Arguments are resolved through the parse and the coreference chains: a relative pronoun stands for the
noun its clause modifies; a member noun ("fighters of the Al-Nusra Front") stands for its group; a
pronoun or anaphor for its chain's actor; a coordination ("the rebels and the regime") gives one triple
per conjunct. An argument that resolves to no actor drops the match: triples hold actors, never "he"
or "which".
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from graphkit.extract.coref import Chain, nominal_key
from graphkit.extract.inflect import past_tense
from graphkit.extract.lexicon import Lexicon
from graphkit.extract.mentions import NAME, NOMINAL, Mention
from graphkit.extract.relations import Match
from graphkit.types import Actor, Argument, Predicate, Provenance, Triple


@dataclass(frozen=True)
class _Resolved:
    argument: Argument
    how: str  # how it was found: a key of the lexicon's resolution_confidence
    actor: Actor


class ArgumentResolver:
    """Resolves token positions to actors for one document."""

    def __init__(
        self, doc: Doc, mentions: list[Mention], chain_of: dict[int, Chain], lexicon: Lexicon, doc_id: str
    ):
        self.doc, self.chain_of, self.lexicon, self.doc_id = doc, chain_of, lexicon, doc_id
        self._by_token: dict[int, Mention] = {}
        for mention in mentions:
            for i in range(mention.start, mention.end):
                self._by_token.setdefault(i, mention)
        for mention in mentions:
            self._by_token[mention.head] = mention

    def mention_at(self, i: int) -> Mention | None:
        """The mention token ``i`` belongs to; a place noun ("Deir Ezzor province") gives its named place."""
        mention = self._by_token.get(i)
        token = self.doc[i]
        if mention is None and token.lemma_.lower() in self.lexicon.place_nouns:
            for child in token.children:
                named = self._by_token.get(child.i)
                if child.dep_ == "compound" and named and named.kind == NAME:
                    return named
        return mention

    def _chain(self, mention: Mention | None) -> Chain | None:
        return self.chain_of.get(mention.head) if mention else None

    def _group_of(self, head: Token) -> Mention | None:
        """The organisation a member noun stands for: "fighters of X", "X fighters"."""
        candidates = [p for c in head.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children]
        candidates += [c for c in head.lefts if c.dep_ in {"compound", "poss"}]
        for token in candidates:
            mention = self.mention_at(token.i)
            chain = self._chain(mention)
            if mention and mention.kind == NAME and chain and chain.type in self.lexicon.group_types:
                return mention
        return None

    def resolve(self, i: int, qualifiers: tuple[int, ...] = ()) -> _Resolved | None:
        """Resolve the argument whose head is token ``i``; ``qualifiers`` may add a place to a common noun."""
        token = self.doc[i]
        how = None
        if token.lower_ in self.lexicon.relative_pronouns and token.head.dep_ == "relcl":
            token, how = token.head.head, "relative_pronoun"
        mention = self.mention_at(token.i)
        if mention is None:
            return None
        start_char, end_char = mention.start_char, mention.end_char
        if mention.kind == NOMINAL and self.doc[mention.head].lemma_.lower() in self.lexicon.member_nouns:
            group = self._group_of(self.doc[mention.head])
            if group is not None:
                start_char, end_char = min(start_char, group.start_char), max(end_char, group.end_char)
                mention, how = group, how or "member_of_group"
        chain = self._chain(mention)
        if chain is None:
            return None
        actor = Actor(
            key=chain.key, label=chain.label, type=chain.type, aliases=chain.aliases, roles=chain.roles
        )
        if not chain.names:
            place = self._place_qualifier((mention.head, *qualifiers))
            if place is not None:
                label = f"{chain.label} {place.label}"
                actor = Actor(key=nominal_key(label, self.doc_id), label=label, type=chain.type)
        argument = Argument(
            label=actor.label,
            key=actor.key,
            type=actor.type,
            text=self.doc.text[start_char:end_char],
            start=start_char,
            end=end_char,
            quantity=mention.quantity,
        )
        return _Resolved(argument=argument, how=how or mention.kind, actor=actor)

    def _place_qualifier(self, heads: tuple[int, ...]) -> Chain | None:
        """A place that qualifies a common noun: "intelligence in Deir Ezzor province" -> Deir Ezzor."""
        for head in heads:
            for prep in self.doc[head].children:
                if prep.dep_ != "prep" or prep.lower_ != "in":
                    continue
                for pobj in prep.children:
                    chain = self._chain(self.mention_at(pobj.i))
                    if (
                        pobj.dep_ == "pobj"
                        and chain
                        and chain.names
                        and chain.type in self.lexicon.place_types
                    ):
                        return chain
        return None


def conjuncts(token: Token) -> list[Token]:
    """The token and every token coordinated with it ("the rebels and the regime" -> rebels, regime)."""
    found, frontier = [token], [token]
    while frontier:
        children = [c for t in frontier for c in t.children if c.dep_ == "conj"]
        found += children
        frontier = children
    return found


def _predicate(doc: Doc, match: Match) -> Predicate:
    pattern = match.pattern
    head = doc[match.token(pattern.predicate[0])]
    particles = [c for c in head.children if c.dep_ == "prt"]
    rest = [doc[match.token(name)] for name in pattern.predicate[1:]]
    tokens = sorted([head, *particles, *rest], key=lambda t: t.i)
    tail = [t.lower_ for t in particles + rest]
    lemma = pattern.lemma or " ".join([head.lemma_.lower(), *tail])
    past = head.lower_ if head.tag_ == "VBD" else past_tense(head.lemma_)
    label = pattern.label or " ".join([past, *tail])
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    return Predicate(label=label, lemma=lemma, text=" ".join(t.text for t in tokens), start=start, end=end)


def _negated(doc: Doc, match: Match) -> bool:
    head = doc[match.token(match.pattern.predicate[0])]
    return any(c.dep_ == "neg" for c in head.children)


def build_triples(
    doc: Doc, sentences: list[Span], matches: list[Match], resolver: ArgumentResolver, doc_id: str
) -> tuple[list[Triple], dict[str, Actor]]:
    """Turn matches into triples between actors, one per pair of coordinated arguments.

    Returns the triples (at most one per sentence, subject, predicate and object: the most confident) and
    the actors they involve, by key.
    """
    weights = resolver.lexicon.resolution_confidence
    best: dict[tuple, Triple] = {}
    actors: dict[str, Actor] = {}
    sentence_index = {s.start: n for n, s in enumerate(sentences)}
    for match in matches:
        pattern = match.pattern
        predicate = _predicate(doc, match)
        negated = _negated(doc, match)
        qualifiers = tuple(match.token(name) for name in pattern.qualifiers)
        sentence = doc[match.token(pattern.predicate[0])].sent
        number = sentence_index[sentence.start]
        evidence = sentence.text.strip()
        offset = sentence.start_char + (len(sentence.text) - len(sentence.text.lstrip()))
        provenance = Provenance(
            doc_id=doc_id,
            sentence=number,
            evidence=evidence,
            sentence_start=offset,
            sentence_end=offset + len(evidence),
            pattern=pattern.id,
        )
        subjects = [resolver.resolve(t.i) for t in conjuncts(doc[match.token(pattern.subject)])]
        objects = [resolver.resolve(t.i, qualifiers) for t in conjuncts(doc[match.token(pattern.object)])]
        for subject in filter(None, subjects):
            for obj in filter(None, objects):
                if subject.argument.key == obj.argument.key:
                    continue
                confidence = round(pattern.confidence * weights[subject.how] * weights[obj.how], 3)
                triple = Triple(
                    subject=subject.argument,
                    predicate=predicate,
                    object=obj.argument,
                    provenance=provenance,
                    confidence=confidence,
                    negated=negated,
                )
                key = (number, subject.argument.key, predicate.lemma, obj.argument.key, negated)
                if key not in best or best[key].confidence < confidence:
                    best[key] = triple
                actors.setdefault(subject.actor.key, subject.actor)
                actors.setdefault(obj.actor.key, obj.actor)
    ordered = sorted(
        best.values(),
        key=lambda t: (t.provenance.sentence, t.predicate.start, t.subject.start, t.object.start),
    )
    return ordered, actors
