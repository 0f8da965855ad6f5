"""From pattern matches to triples: resolve each argument to an actor, build the predicate, score it.

Arguments are resolved through the parse and the coreference chains: a relative pronoun stands for the
noun its clause modifies (not a place in a prepositional phrase when the clause's verb wants a doer:
"attacks in Hasaka Province, which killed civilians"); a member noun ("fighters of the Al-Nusra Front")
stands for its group; an amount ("thousands of civilians") for what it counts; a deed named without its
owner ("three strikes destroyed...") for the actor who carried such deeds out ("the Coalition conducted 12
strikes"); a pronoun or anaphor for its chain's actor, a pronoun with the words of the name or noun its
sentence gave the actor before it, if any; a coordination ("the rebels and the regime") gives one triple
per conjunct. An argument that resolves to no actor drops the match: triples hold actors, never "he" or
"which".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span, Token

from graphkit.extract.categories import relation_categories
from graphkit.extract.coref import Chain, nominal_key
from graphkit.extract.inflect import past_tense
from graphkit.extract.lexicon import Lexicon
from graphkit.extract.mentions import NAME, NOMINAL, PRONOUN, Mention, noun_phrase
from graphkit.extract.relations import Match, control_chain, control_word
from graphkit.types import Actor, Argument, Predicate, Provenance, Triple


@dataclass(frozen=True)
class Resolved:
    """An argument resolved to its actor, and how (for the confidence)."""

    argument: Argument
    how: str  # how it was found: a key of the lexicon's resolution_confidence
    actor: Actor


class ArgumentResolver:
    """Resolves token positions to actors for one document."""

    def __init__(
        self,
        doc: Doc,
        mentions: list[Mention],
        chain_of: dict[int, Chain],
        lexicon: Lexicon,
        doc_id: str,
        *,
        open_arguments: bool = False,
    ):
        self.doc, self.chain_of, self.lexicon, self.doc_id = doc, chain_of, lexicon, doc_id
        self.open_arguments = open_arguments
        self.text = doc.text  # Doc.text joins every token: read it once
        self.sentences = list(doc.sents)
        self.sentence_of = [0] * len(doc)  # Token.sent walks the document: look sentences up instead
        for number, sentence in enumerate(self.sentences):
            self.sentence_of[sentence.start : sentence.end] = [number] * len(sentence)
        self._by_token: dict[int, Mention] = {}
        for mention in mentions:
            for i in range(mention.start, mention.end):
                self._by_token.setdefault(i, mention)
        for mention in mentions:
            self._by_token[mention.head] = mention
        self._deeds: list[tuple[int, int]] | None = None  # (deed, its agent) of "X conducted strikes"

    def mention_at(self, i: int) -> Mention | None:
        """The mention token ``i`` belongs to; a place noun ("Deir Ezzor province", "the city of Mosul")
        gives its named place."""
        mention = self._by_token.get(i)
        token = self.doc[i]
        if mention is None and token.lemma_.lower() in self.lexicon.place_nouns:
            for child in token.children:  # "Deir Ezzor province"
                named = self._by_token.get(child.i)
                if child.dep_ == "compound" and named and named.kind == NAME:
                    return named
            of = [p for c in token.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children]
            for child in of:  # "the city of Mosul": the place noun's words stay in the argument
                named = self._by_token.get(child.i)
                if named and named.kind == NAME:
                    start = min([c.idx for c in token.lefts if c.dep_ != "det"] + [token.idx])
                    return replace(named, start_char=start)
        return mention

    def larger_unit(self, unit: Token, other: Token) -> bool:
        """Whether ``other``, in apposition to the unit ``unit``, names the larger unit it belongs to ("2nd
        Battalion, 5th Special Forces Group"): a designation, not a list of two units."""
        if other.dep_ != "appos" or other.head.i != unit.i:
            return False
        first, second = self._by_token.get(unit.i), self._by_token.get(other.i)
        if first is None or second is None or first.kind != NAME or second.kind != NAME:
            return False
        return 0 < self._echelon(self.doc[first.head]) < self._echelon(self.doc[second.head])

    def _echelon(self, token: Token) -> int:
        echelons = self.lexicon.unit_echelons
        return echelons.get(token.lemma_.lower(), echelons.get(token.lower_, 0))

    def _chain(self, mention: Mention | None) -> Chain | None:
        return self.chain_of.get(mention.head) if mention else None

    def _group_of(self, head: Token) -> Mention | None:
        """The actor a member, deed or belonging stands for: "fighters of X", "a team from X", "X officials",
        "regime air strikes" (an organisation, government or country; after "of" also a nationality or a
        body named by a collective noun: "members of the tribe"). A bare item of a list shares the owner
        that opens the list: "ISIL heavy weapons, vehicles and fortifications" are all ISIL's."""
        lexicon = self.lexicon
        of = [p for c in head.children if c.dep_ == "prep" and c.lower_ in {"of", "from"} for p in c.children]
        collective = lexicon.pattern_lists["collective_nouns"]
        for token in of:
            mention = self.mention_at(token.i)
            chain = self._chain(mention)
            named_body = chain is not None and (
                chain.type in lexicon.group_types or self.doc[mention.head].lemma_.lower() in collective
            )
            if mention and named_body and mention.kind != PRONOUN:
                return mention
        owners = self._owners(head)
        first = self.list_opener(head)
        if not owners and first is not None:
            owners = self._owners(first)
        for token in owners:
            mention = self.mention_at(token.i)
            chain = self._chain(mention)
            # "its weapons" are the weapons, not the group: only a name or a noun speaks for its owner
            if mention and chain and chain.type in lexicon.owner_types and mention.kind != PRONOUN:
                return mention
        return None

    def _owners(self, head: Token) -> list[Token]:
        """The modifiers of a noun that may name its owner ("regime air strikes": the owner may modify a
        modifier; "ISIL-held buildings": it hangs from the participle). A modifier that is itself a
        belonging names a kind, not an owner ("VBIED facility", "weapons caches")."""
        holding = self.lexicon.pattern_lists["holding_participles"]
        belonging = self.lexicon.pattern_lists["belonging_nouns"]
        owners, frontier = [], [head]
        while frontier:
            frontier = [
                c
                for t in frontier
                for c in t.lefts
                if c.dep_ in _OWNER_DEPS and c.lemma_.lower() not in belonging
            ]
            frontier += [
                c
                for t in frontier
                if t.lower_ in holding
                for c in t.lefts
                if c.dep_ in {"npadvmod", "compound"}
            ]
            owners += frontier
        return owners

    def list_opener(self, item: Token) -> Token | None:
        """The first item of the list ``item`` is a bare later item of, when an owner before that first item
        speaks for the whole list: in "ISIL heavy weapons, vehicles, fortifications" the vehicles and
        fortifications are ISIL's. A later item with words of its own before it (an owner, a determiner, a
        count: "four ISIL vehicles, three rockets and a tunnel") or a counted first item keeps its own."""
        if any(self._owner_word(c) or c.dep_ in _OWN_DETERMINER_DEPS for c in item.lefts):
            return None
        first = item
        while first.dep_ == "conj" or (first.dep_ == "appos" and _list_item(first.head, first)):
            first = first.head
        if first is item or any(c.dep_ in _COUNT_DEPS for c in first.lefts):
            return None
        return first if any(self._owner_word(c) for c in first.lefts) else None

    def resolve(self, i: int, qualifiers: tuple[int, ...] = ()) -> Resolved | None:
        """Resolve the argument whose head is token ``i``; ``qualifiers`` may add a place to a common noun."""
        token = self.doc[i]
        how = None
        if token.lower_ in self.lexicon.relative_pronouns and token.head.dep_ == "relcl":
            token, how = self._antecedent(token.head), "relative_pronoun"
        mention = self.mention_at(token.i)
        counted = self.counted(token)
        counted_mention = self.mention_at(counted.i)
        if mention is None and counted_mention is not None and counted.pos_ != "PRON":
            # the amount's words stay in the argument: "thousands of innocent people"
            mention, token = replace(counted_mention, start_char=min(token.idx, counted.idx)), counted
        head = self.doc[mention.head] if mention else token
        if mention is None and counted.pos_ != "PRON":  # "a series of U.S. airstrikes": the airstrikes
            head = counted
        if self._stands_for_owner(head) and (mention is None or mention.kind == NOMINAL):
            group = self._group_of(head)
            if group is not None:
                start = min(mention.start_char if mention else head.idx, group.start_char)
                end = max(mention.end_char if mention else head.idx + len(head.text), group.end_char)
                mention, how = replace(group, start_char=start, end_char=end), how or "member_of_group"
        if mention is None and _acts(head, self.lexicon):
            agent = self._deed_agent(head)
            if agent is not None:
                return agent
        if mention is None:
            return self._open_argument(token, how) if self.open_arguments else None
        chain = self._chain(mention)
        if chain is None:  # a pronoun with no antecedent, a word no chain took up
            return self._open_argument(token, how) if self.open_arguments else None
        # Open mode keeps the sentence's own words: it states an apposition as a triple of its own ("X is
        # Y") and a pronoun as written; otherwise the words are the most informative for the actor.
        if not self.open_arguments and mention.kind == PRONOUN:
            how = how or PRONOUN  # found through the pronoun, whatever words stand for it
            mention = _naming_mention(mention, chain) or mention  # "The U.S. reaffirms its commitment"
        start_char, end_char = mention.start_char, mention.end_char
        if not self.open_arguments:
            start_char, end_char = self._with_appositions(mention, chain.key, start_char, end_char)
        actor = Actor(
            key=chain.key, label=chain.label, type=chain.type, aliases=chain.aliases, roles=chain.roles
        )
        if not chain.names:
            place = self._place_qualifier(qualifiers)
            if place is not None:
                label = f"{chain.label} {place.label}"
                key = nominal_key(label, self.doc_id, chain.mentions[0].sentence)
                actor = Actor(key=key, label=label, type=chain.type)
        argument = Argument(
            label=actor.label,
            key=actor.key,
            type=actor.type,
            text=self.text[start_char:end_char],
            start=start_char,
            end=end_char,
            quantity=mention.quantity,
        )
        return Resolved(argument=argument, how=how or mention.kind, actor=actor)

    def resolve_own(self, i: int) -> Resolved | None:
        """Resolve the argument whose head is token ``i`` to what its own words name, not to the owner or
        group :meth:`resolve` lets them stand for: "an ISIL-held tank" is the tank, "ISIL heavy weapons"
        the heavy weapons, "70 members of the tribe" the members. A name stays the actor it names.

        The words leave out the owner ("ISIL", "Al-Qaida's", "ISIL-held") and what follows the noun ("of
        the tribe"); the class is the noun's in the lexicon's ``belonging_nouns``, else in ``actor_nouns``;
        a noun in neither resolves to nothing. The actor is the sentence's own, like an open argument's.
        """
        token = self.doc[i]
        mention = self.mention_at(i)
        resolved = self.resolve(i)
        owner_words = [t.i for c in token.lefts if self._owner_word(c) for t in c.subtree]
        if token.pos_ == "PROPN" or (mention is not None and mention.kind == NAME):
            return resolved
        if resolved is not None and resolved.how not in STANDING_FOR and not owner_words:
            return resolved  # "70 members of a tribe" (no group they stand for): the members' own actor
        lemma = token.lemma_.lower()
        belonging = self.lexicon.pattern_lists["belonging_nouns"]
        type_ = belonging.get(lemma) or self.lexicon.actor_nouns.get(lemma)
        if token.pos_ != "NOUN" or type_ is None:
            return None
        sentence = self.sentence_of[i]
        phrase = noun_phrase(token, sentence, self.lexicon)
        start = max([phrase.start, *(j + 1 for j in owner_words)])
        words = [t for t in self.doc[start : i + 1] if not t.is_punct]
        # a name's words and acronyms keep their case ("IED facilities"), common words are lower case
        cased = [t.text if t.pos_ == "PROPN" or t.text[1:] != t.lower_[1:] else t.lower_ for t in words]
        label = " ".join(cased)
        key = nominal_key(label, self.doc_id, sentence)
        start_char, end_char = words[0].idx, token.idx + len(token.text)
        argument = Argument(
            label=label,
            key=key,
            type=type_,
            text=self.text[start_char:end_char],
            start=start_char,
            end=end_char,
            quantity=phrase.quantity,
        )
        return Resolved(argument=argument, how=OWN_WORDS, actor=Actor(key=key, label=label, type=type_))

    def unowned(self, items: list[Token]) -> list[Token]:
        """The first item of a list and the others its owner speaks for (see :meth:`list_opener`): in "two
        ISIL vehicles and an al-Qaida headquarters" the headquarters are al-Qaida's, not ISIL's; in "four
        ISIL vehicles and three rockets" the rockets are nobody's."""
        return items[:1] + [t for t in items[1:] if self.list_opener(t) is not None]

    def _stands_for_owner(self, head: Token) -> bool:
        """Whether a noun stands for the group or owner it names: a member or deed ("fighters of X",
        "regime strikes") or a thing held ("ISIL vehicles", "ISIL fortifications"), not ground held."""
        lemma = head.lemma_.lower()
        held = self.lexicon.pattern_lists["belonging_nouns"].get(lemma)
        return lemma in self.lexicon.member_nouns or (
            held is not None and held not in self.lexicon.place_types
        )

    def _owner_word(self, modifier: Token) -> bool:
        """Whether a modifier of a noun names its owner: a possessive ("Al-Qaida's network"), a name
        ("ISIL vehicles"), a noun of an owner class ("regime tanks") or a holding participle ("ISIL-held
        terrain")."""
        if modifier.dep_ == "poss" or modifier.lower_ in self.lexicon.pattern_lists["holding_participles"]:
            return True
        if modifier.lemma_.lower() in self.lexicon.pattern_lists["belonging_nouns"]:
            return False  # a kind of thing: "VBIED facility"
        mention = self.mention_at(modifier.i)
        if modifier.dep_ not in _OWNER_DEPS or mention is None or mention.kind == PRONOUN:
            return False
        chain = self._chain(mention)
        return mention.kind == NAME or (chain is not None and chain.type in self.lexicon.owner_types)

    def _antecedent(self, clause: Token) -> Token:
        """The noun a relative clause is about: the one it hangs from, unless that is a place in a
        prepositional phrase and the clause's verb wants an agent ("ISIL's attacks in the town of Tel Tamer
        in Hasaka Province, which killed civilians": the attacks, not the province); then the nearest
        noun before it that is no place."""
        antecedent = clause.head
        if not set(relation_categories(clause.lemma_.lower())) & self.lexicon.agent_categories:
            return antecedent
        candidate = antecedent
        while candidate.dep_ == "pobj" and candidate.head.dep_ == "prep" and self._place(candidate):
            candidate = candidate.head.head
        return candidate if candidate.pos_ in _NOUN_POS and not self._place(candidate) else antecedent

    def _place(self, token: Token) -> bool:
        """Whether ``token`` names a place or is a place noun ("town", "province")."""
        chain = self._chain(self.mention_at(token.i))
        return token.lemma_.lower() in self.lexicon.place_nouns or (
            chain is not None and chain.type in self.lexicon.place_types
        )

    def _with_appositions(self, mention: Mention, key: str, start: int, end: int) -> tuple[int, int]:
        """The argument's words with a name in apposition to them for the same actor ("the Iraqi Foreign
        Minister, Ibrahim al-Jaafari"; "the Syrian Democratic Forces (SDF)"): both stand for it in the
        sentence. A role in apposition to a name ("Abu Jandal, an ISIL leader") is left out: a pattern may
        read a relation off it."""
        head = self.doc[mention.head]
        beside = [c for c in head.children if c.dep_ == "appos"]
        beside += [head.head] if head.dep_ == "appos" else []
        for token in beside:
            other = self.mention_at(token.i)
            chain = self._chain(other)
            if other is not None and other.kind == NAME and chain is not None and chain.key == key:
                start, end = min(start, other.start_char), max(end, other.end_char)
        words = self.text[start:end]
        if words.count("(") > words.count(")") and self.text[end : end + 1] == ")":
            end += 1  # "Kurdistan Workers' Party (PKK)": the bracket the acronym opened
        return start, end

    def counted(self, token: Token) -> Token:
        """What an amount counts: "tens of thousands of innocent people" -> people, "a number of
        ministers" -> ministers; a token that names an actor itself stays."""
        counts = self.lexicon.pattern_lists["quantity_nouns"]
        while self.mention_at(token.i) is None and (token.pos_ == "NUM" or token.lower_ in counts):
            counted = [p for c in token.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children]
            if not counted or counted[0].dep_ != "pobj":
                break
            token = counted[0]
        return token

    def _deed_agent(self, deed: Token) -> Resolved | None:
        """The actor behind a deed named without its owner: "three strikes destroyed a position" after
        "the Coalition conducted 12 strikes" are the Coalition's strikes. The agent is the subject of the
        last deed verb ("conducted", "launched") taking a deed of the same kind before this one; the
        argument keeps the deed's own words."""
        if self._deeds is None:
            lists = self.lexicon.pattern_lists
            self._deeds = [
                (token.i, subject.i)
                for token in self.doc
                if token.dep_ == "dobj"
                and token.lemma_.lower() in lists["attack_nouns"]
                and token.head.lemma_.lower() in lists["deed_verbs"]
                for subject in token.head.children
                if subject.dep_ == "nsubj" and subject.lemma_.lower() not in lists["attack_nouns"]
            ]
        if any(d == deed.i for d, _ in self._deeds):
            return None  # "X conducted strikes against Y": the clause itself says it (a light-verb triple)
        kind = deed.lemma_.lower()
        earlier = [a for d, a in self._deeds if d < deed.i and _same_kind(self.doc[d].lemma_.lower(), kind)]
        agent = self.resolve(earlier[-1]) if earlier else None
        if agent is None or agent.how == "deed_of_agent":
            return None
        start, end = deed.idx, deed.idx + len(deed.text)
        argument = replace(agent.argument, text=self.text[start:end], start=start, end=end, quantity=None)
        return Resolved(argument=argument, how="deed_of_agent", actor=agent.actor)

    def _open_argument(self, token: Token, how: str | None) -> Resolved | None:
        """In open mode, a noun phrase that names no actor still makes an argument ("peace talks"), and so
        does a pronoun or number that resolves to none ("it", "2,310")."""
        if token.pos_ not in _OPEN_ARGUMENT_POS:
            return None
        mention = noun_phrase(token, self.sentence_of[token.i], self.lexicon)
        key = nominal_key(mention.label, self.doc_id, mention.sentence)
        actor = Actor(key=key, label=mention.label, type=mention.type)
        argument = Argument(
            label=mention.label,
            key=key,
            type=mention.type,
            text=self.text[mention.start_char : mention.end_char],
            start=mention.start_char,
            end=mention.end_char,
            quantity=mention.quantity,
        )
        return Resolved(argument=argument, how=how or "open", actor=actor)

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


def _naming_mention(pronoun: Mention, chain: Chain) -> Mention | None:
    """The mention that names a pronoun's actor earlier in its sentence, if any: the nearest name, else the
    nearest noun ("the rebels ... as they confront ISIL" -> "the rebels")."""
    earlier = [
        m
        for m in chain.mentions
        if m.sentence == pronoun.sentence and m.end <= pronoun.start and m.kind in {NAME, NOMINAL}
    ]
    return max(earlier, key=lambda m: (m.kind == NAME, m.start), default=None)


def _acts(deed: Token, lexicon: Lexicon) -> bool:
    """Whether a deed noun stands where its doer would: as the subject ("three strikes destroyed"), the
    agent ("was destroyed by strikes") or aimed at someone ("strikes against ISIL"); as an object ("Trump
    approved the strike") it is the act itself, not its doer."""
    if deed.lemma_.lower() not in lexicon.pattern_lists["attack_nouns"]:
        return False
    aimed = any(c.dep_ == "prep" and c.lower_ in {"against", "on"} for c in deed.children)
    return deed.dep_ == "nsubj" or (deed.dep_ == "pobj" and deed.head.dep_ == "agent") or aimed


def _same_kind(deed: str, other: str) -> bool:
    """Whether two deed nouns name the same kind of act ("strike" and "airstrike" do)."""
    return deed.endswith(other) or other.endswith(deed)


def _list_item(token: Token, child: Token) -> bool:
    """Whether ``child``, in apposition to ``token``, is the next item of a list (see :func:`conjuncts`)."""
    if child.dep_ != "appos":
        return False
    if child.pos_ == token.pos_ == "NOUN":
        return any(c.dep_ == "nummod" for c in child.children)
    return child.pos_ == token.pos_ == "PROPN" and any(c.dep_ == "conj" for c in child.children)


def conjuncts(
    token: Token, beyond: Callable[[Token, Token], bool] = lambda token, child: False
) -> list[Token]:
    """The token and every token coordinated with it ("the rebels and the regime" -> rebels, regime).

    In a list the parser often hangs an item as an apposition: a counted common noun in apposition to a
    common noun ("three units, four vehicles") and a name in apposition to a name that heads a
    coordination ("the UK, the Coalition and Iraq") are items too. Other appositions name the same actor
    or a title's organisation ("Joseph Votel, commander, U.S. Central Command"; "his wife, Blanche").
    A child that ``beyond`` tells apart from the list (the larger unit in "2nd Battalion, 5th Special
    Forces Group, Fort Campbell") is no item, and neither is what hangs from it.
    """
    found, frontier = [token], [token]
    while frontier:
        children = [
            c
            for t in frontier
            for c in t.children
            if (c.dep_ == "conj" or _list_item(t, c)) and not beyond(t, c)
        ]
        found += children
        frontier = children
    return found


def _argument_heads(token: Token, resolver: ArgumentResolver) -> list[Token]:
    """The heads of the arguments a pattern's node stands for: its :func:`conjuncts`, and those of what an
    amount counts, coordinated under the counted noun ("met a number of ministers and senior officials",
    "dozens of soldiers and policemen")."""
    heads = conjuncts(token, resolver.larger_unit)
    counted = resolver.counted(token)
    if counted.i != token.i:
        heads += conjuncts(counted, resolver.larger_unit)[1:]
    return heads


_NOUN_POS = frozenset({"NOUN", "PROPN"})
# Modifiers that may name an owner ("regime forces", "Russia's jets"); "amod" for names the parser takes
# for adjectives ("ISIL tactical units"): only a name or noun of an owner class counts.
_OWNER_DEPS = frozenset({"compound", "poss", "nmod", "amod"})
_OPEN_ARGUMENT_POS = _NOUN_POS | {"PRON", "NUM"}
# Words before a list item that make it a phrase of its own ("a tunnel", "three rockets", "their tanks")
_COUNT_DEPS = frozenset({"nummod", "quantmod"})
_OWN_DETERMINER_DEPS = _COUNT_DEPS | {"det", "poss"}


def _predicate_words(doc: Doc, match: Match, lexicon: Lexicon) -> tuple[list[Token], str, str]:
    """The predicate's tokens, its lemma and its readable label, by the pattern's recipe."""
    pattern = match.pattern
    head = doc[match.token(pattern.predicate[0])]
    rest = [doc[match.token(name)] for name in pattern.predicate[1:]]
    suffix = [pattern.suffix] if pattern.suffix else []
    if pattern.lemma:
        return [head, *rest], pattern.lemma, pattern.label or pattern.lemma
    particles = [c for c in head.children if c.dep_ == "prt"]
    tokens = [head, *particles, *rest]
    if pattern.lemma_from:  # "had meetings with" -> met; an event noun: "the capture of Mosul" -> captured
        node, table = pattern.lemma_from
        entry = getattr(lexicon, table)[doc[match.token(node)].lemma_.lower()]
        return tokens, entry["lemma"], entry["label"]
    if head.pos_ in _NOUN_POS:  # a role noun: "member of", "deputy prime minister of"
        keeps_compounds = pattern.phrase or head.lemma_.lower() in lexicon.compound_role_nouns
        modifiers = [c for c in head.lefts if c.dep_ == "compound"] if keeps_compounds else []
        words = [t.lower_ for t in modifiers] + [head.lemma_.lower()]
        phrase = " ".join([*words, *(t.lower_ for t in rest), *suffix])
        return [*modifiers, head, *rest], phrase, phrase
    tail = [t.lower_ for t in particles + rest] + suffix
    if pattern.voice == "passive":
        return tokens, " ".join(["be", head.lemma_.lower(), *tail]), " ".join(["was", head.lower_, *tail])
    past = head.lower_ if head.tag_ == "VBD" else past_tense(head.lemma_)
    return tokens, " ".join([head.lemma_.lower(), *tail]), " ".join([past, *tail])


def _predicate(doc: Doc, match: Match, lexicon: Lexicon) -> Predicate:
    tokens, lemma, label = _predicate_words(doc, match, lexicon)
    tokens = sorted(set(tokens), key=lambda t: t.i)
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    return Predicate(label=label, lemma=lemma, text=" ".join(t.text for t in tokens), start=start, end=end)


def _clause_levels(doc: Doc, match: Match, lexicon: Lexicon) -> list[tuple[Token, str]]:
    """The predicate's head and the words above it that qualify it, innermost first, each with its part:
    ``"head"``; a controller (``"subject"`` / ``"object"``, see :func:`control_chain`) or ``"host"``;
    the ``"clause"`` whose subject a controller lent, when that is not the head ("will continue to strike
    targets in support of X": "strike"); ``"modality"``, the pattern's own qualifying node. Each word
    brings the chain above it."""
    lists = lexicon.pattern_lists
    pattern = match.pattern
    words = [(doc[match.token(pattern.predicate[0])], "head")]
    parents = {step["RIGHT_ID"]: step.get("LEFT_ID") for step in pattern.pattern}
    words += [(doc[match.token(parents[name])], "clause") for name in match.controlled]
    words += [(doc[match.token(pattern.modality)], "modality")] if pattern.modality else []
    levels: list[tuple[Token, str]] = []
    for word, part in words:
        if all(word.i != token.i for token, _ in levels):
            levels += [(word, part), *control_chain(word, lists)]
    return levels


def _negated(levels: list[tuple[Token, str]], lexicon: Lexicon) -> bool:
    """Negation anywhere in the chain negates: "did not agree to stop attacking"; so does a negating
    adverb of the lexicon, whatever the parser calls it: "can never unite", "no longer control"."""
    adverbs = lexicon.pattern_lists["negating_adverbs"]
    for token, _ in levels:
        for child in token.children:
            if child.dep_ == "neg":
                return True
            if child.dep_ == "advmod" and " ".join(t.lower_ for t in child.subtree) in adverbs:
                return True
    return False


def _modality(levels: list[tuple[Token, str]], lexicon: Lexicon) -> str | None:
    """The outermost hedge of the chain: a modal ("could", "will" continue to...), or a controlling word
    ("decided" to start supporting, "expected" to begin, "due" to attend); failing one, the outermost
    aspect ("began" attacking); never a feeling about what took place ("pleased" to welcome)."""
    lists = lexicon.pattern_lists
    aspect = None
    for token, part in reversed(levels):
        for child in token.children:
            if child.dep_ == "aux" and child.lower_ in lists["modal_verbs"]:
                return lexicon.modal_forms.get(child.lower_, child.lower_)
        if part == "head":
            for child in token.lefts:  # "threatened US military action against Assad's regime"
                if child.dep_ == "amod" and child.lower_ in lists["modal_adjectives"]:
                    return child.lower_
            continue
        lemma = token.lemma_.lower()
        if part in {"host", "clause"} or lemma in lists["factive_adjectives"]:
            continue
        if part != "modality" and not control_word(lemma, lists):
            continue  # "carrying out his duties to defend Syria": a verb with a purpose hedges nothing
        if token.tag_ in {"VBD", "VBN"}:  # already past: "committed" (spelling rules would give "commited")
            word = token.lower_
        else:
            word = past_tense(token.lemma_) if token.pos_ in {"VERB", "AUX"} else lemma
        if lemma not in lists["aspectual_verbs"]:
            return word
        aspect = aspect or word
    return aspect


def _reporter(head: Token, lexicon: Lexicon) -> tuple[Token, Token] | None:
    """The reporting verb a claim is under and the words naming its source ("the Observatory said...")."""
    reporting = lexicon.pattern_lists["reporting_verbs"]
    for token in (head, *head.ancestors):
        for child in token.children:  # "according to state television"
            if child.dep_ == "prep" and child.lower_ == "according":
                for to in child.children:
                    for source in to.children:
                        if source.dep_ == "pobj":
                            return child, source
        parent = token.head
        if token.dep_ in {"ccomp", "parataxis"} and parent.lemma_.lower() in reporting:
            subjects = [child for child in parent.children if child.dep_ == "nsubj"]
            return (parent, subjects[0]) if subjects else None
    return None


def _overlap(first: Argument, second: Argument) -> bool:
    return first.start < second.end and second.start < first.end


def _allowed(resolved: Resolved, types: tuple[str, ...]) -> bool:
    return not types or resolved.argument.type in types


OWN_WORDS = "own_words"
"""How an argument is found by :meth:`ArgumentResolver.resolve_own` (a key of ``resolution_confidence``)."""
ATTRIBUTION_PATTERN = "attribution-reported"
CONTROLLED = "controlled"
"""The key of the lexicon's ``resolution_confidence`` for a subject lent by a controlling verb."""
CONTROLLED_SUFFIX = "+control"
"""Added to a pattern's id in the provenance of a triple whose argument a controlling verb lent its clause
("Russia has decided to start supporting the regime": ``active-svo+control``)."""
ATTRIBUTION_CONFIDENCE = 0.7
REPORTED_LEMMA = "report"


def provenance_of(sentence: Span, number: int, doc_id: str, pattern: str) -> Provenance:
    """The provenance of a triple found by ``pattern`` in ``sentence`` (number ``number`` of the document)."""
    text = sentence.text  # built from the tokens at each call: once here
    evidence = text.strip()
    offset = sentence.start_char + (len(text) - len(text.lstrip()))
    return Provenance(
        doc_id=doc_id,
        sentence=number,
        evidence=evidence,
        sentence_start=offset,
        sentence_end=offset + len(evidence),
        pattern=pattern,
    )


STANDING_FOR = frozenset({"member_of_group", "deed_of_agent"})
"""How an argument is found when its words name something of the actor's, not the actor: its members, deeds
or belongings ("ISIL vehicles", "Coalition strikes"). Two of them in a sentence are two facts ("destroyed four
ISIL vehicles and an ISIL-held building"); two names, pronouns or nouns of one actor are one ("Iraqi forces
maintained their positions")."""


def thing_types(lexicon: Lexicon) -> frozenset[str]:
    """The classes of things an actor holds that are no actors nor places: the classes of the lexicon's
    ``belonging_nouns`` less its ``place_types`` and ``group_types``.

    >>> from graphkit.extract.lexicon import load_lexicon
    >>> sorted(thing_types(load_lexicon()))
    ['Facility', 'Weapon']
    """
    belonging = lexicon.pattern_lists["belonging_nouns"]
    classes = {cls for word, cls in belonging.items() if not word.startswith("_")}
    return frozenset(classes - lexicon.place_types - lexicon.group_types)


def _standing_for(resolved: Resolved) -> str:
    """The words of an argument that stands for its actor through something of the actor's, else ``""``."""
    return resolved.argument.text if resolved.how in STANDING_FOR else ""


class _Collector:
    """Keeps the most confident triple per sentence, subject, predicate, object and polarity.

    For a predicate in ``symmetric`` ("meet": "Kerry, Lavrov and Zarif met" says Lavrov met Zarif and Zarif
    met Lavrov) the subject and object are one unordered pair; of two equally confident triples the one
    whose subject comes first in the text is kept.
    """

    def __init__(self, symmetric: frozenset[str] = frozenset()) -> None:
        self.symmetric = symmetric
        self.best: dict[tuple, Triple] = {}
        self.actors: dict[str, Actor] = {}

    def add(self, triple: Triple, subject: Resolved, obj: Resolved) -> None:
        ends = [(triple.subject.key, _standing_for(subject)), (triple.object.key, _standing_for(obj))]
        if triple.predicate.lemma == REPORTED_LEMMA:  # a source reports on an actor, whatever words named it
            ends = [(key, "") for key, _ in ends]
        if triple.predicate.lemma in self.symmetric:
            ends.sort()
        key = (triple.provenance.sentence, triple.predicate.lemma, triple.negated, *ends)
        kept = self.best.get(key)
        rank = (triple.confidence, -triple.subject.start)  # then reading order
        if kept is None or (kept.confidence, -kept.subject.start) < rank:
            self.best[key] = triple
        for resolved in (subject, obj):
            self.actors.setdefault(resolved.actor.key, resolved.actor)

    def triples(self) -> list[Triple]:
        return sorted(
            self.best.values(),
            key=lambda t: (t.provenance.sentence, t.predicate.start, t.subject.start, t.object.start),
        )


def build_triples(
    doc: Doc, matches: list[Match], resolver: ArgumentResolver, doc_id: str
) -> tuple[list[Triple], dict[str, Actor]]:
    """Turn matches into triples between actors, one per pair of coordinated arguments.

    A claim under a reporting verb ("the Observatory said rebels killed...") carries its source as
    ``attribution``, and the source gets a ``reported`` triple towards the claim's subject.

    Returns the triples (at most one per sentence, subject, predicate and object: the most confident) and
    the actors they involve, by key.
    """
    lexicon = resolver.lexicon
    weights = lexicon.resolution_confidence
    things = thing_types(lexicon)
    inert = frozenset() if resolver.open_arguments else lexicon.inert_types
    collected = _Collector(lexicon.symmetric_predicates)
    provenances: dict[tuple[int, str], Provenance] = {}  # a sentence's text is built from its tokens

    def provenance(number: int, pattern: str) -> Provenance:
        if (number, pattern) not in provenances:
            sentence = resolver.sentences[number]
            provenances[number, pattern] = provenance_of(sentence, number, doc_id, pattern)
        return provenances[number, pattern]

    for match in matches:
        pattern = match.pattern
        head = doc[match.token(pattern.predicate[0])]
        number = resolver.sentence_of[head.i]
        predicate = _predicate(doc, match, lexicon)
        categories = relation_categories(predicate.lemma)
        levels = _clause_levels(doc, match, lexicon)
        negated = _negated(levels, lexicon)
        modality = _modality(levels, lexicon)
        # an argument lent by a controller: the pattern read a clause it was written for, one step removed
        pattern_id = f"{pattern.id}{CONTROLLED_SUFFIX}" if match.controlled else pattern.id
        control = weights[CONTROLLED] if match.controlled else 1.0
        reporter = _reporter(head, lexicon)
        source = resolver.resolve(reporter[1].i) if reporter else None
        qualifiers = tuple(match.token(name) for name in pattern.qualifiers)
        subject_heads = _argument_heads(doc[match.token(pattern.subject)], resolver)
        object_heads = _argument_heads(doc[match.token(pattern.object)], resolver)
        if pattern.subject in pattern.own_words:
            subjects = [resolver.resolve_own(t.i) for t in resolver.unowned(subject_heads)]
        else:
            subjects = [resolver.resolve(t.i) for t in subject_heads]
        if pattern.object in pattern.own_words:
            objects = [resolver.resolve_own(t.i) for t in resolver.unowned(object_heads)]
        else:
            objects = [resolver.resolve(t.i, qualifiers) for t in object_heads]
        subjects = [
            s
            for s in subjects
            if s
            and _allowed(s, pattern.subject_types)
            and (pattern.subject_types or s.argument.type not in inert)
        ]
        objects = [o for o in objects if o and _allowed(o, pattern.object_types)]
        # a preposition of the predicate inside the object's name is a misparse: "host ministers of the
        # Global Coalition to Counter ISIL" is no "hosted to"
        prepositions = [doc[match.token(name)] for name in pattern.predicate]
        prepositions = [t.idx for t in prepositions if t.pos_ == "ADP"]
        objects = [
            o for o in objects if not any(o.argument.start <= i < o.argument.end for i in prepositions)
        ]
        for subject in subjects:
            for obj in objects:
                if subject.argument.key == obj.argument.key or (
                    pattern.own_words and _overlap(subject.argument, obj.argument)
                ):  # "Syria's disclosed weapons" holding "disclosed weapons": one phrase read twice
                    continue
                if not resolver.open_arguments and {subject.argument.type, obj.argument.type} <= things:
                    continue  # no actor at either end: "a rocket propelled a building"
                confidence = round(pattern.confidence * control * weights[subject.how] * weights[obj.how], 3)
                attribution = (
                    source.argument if source and source.argument.key != subject.argument.key else None
                )
                triple = Triple(
                    subject=subject.argument,
                    predicate=predicate,
                    object=obj.argument,
                    provenance=provenance(number, pattern_id),
                    confidence=confidence,
                    negated=negated,
                    modality=modality,
                    attribution=attribution,
                    categories=categories,
                )
                collected.add(triple, subject, obj)
                if attribution is not None and reporter is not None:
                    verb = reporter[0]
                    reported = Triple(
                        subject=attribution,
                        predicate=Predicate(
                            "reported", REPORTED_LEMMA, verb.text, verb.idx, verb.idx + len(verb.text)
                        ),
                        object=subject.argument,
                        provenance=provenance(number, ATTRIBUTION_PATTERN),
                        confidence=round(
                            ATTRIBUTION_CONFIDENCE * weights[source.how] * weights[subject.how], 3
                        ),
                        categories=relation_categories(REPORTED_LEMMA),
                    )
                    collected.add(reported, source, subject)
    return collected.triples(), collected.actors
