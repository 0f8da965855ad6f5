"""Mentions of actors in a parsed document: names, nominal groups, anaphors and pronouns.

This is the one place that turns spaCy tokens into :class:`Mention` records (token indices and plain
strings), which coreference and relation building then work from.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from functools import cache
from types import MappingProxyType

from spacy.tokens import Doc, Span, Token

from graphkit.extract.lexicon import Lexicon
from graphkit.resources import load_json

NAME, NOMINAL, ANAPHOR, PRONOUN = "name", "nominal", "anaphor", "pronoun"

_EDGE_DEPS = frozenset({"det", "punct", "case", "cc"})
_MODIFIER_DEPS = frozenset({"amod", "compound", "nmod"})
_DEFINITE = frozenset({"the", "this", "that", "these", "those"})
_PRONOUN_TAGS = frozenset({"PRP", "PRP$"})
_NOUN_POS = frozenset({"NOUN", "PROPN"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_OBJECT_DEPS = frozenset({"dobj", "dative", "iobj"})
_PLURAL_TAGS = frozenset({"NNS", "NNPS"})
_SINGULAR_TAGS = frozenset({"NN", "NNP"})
_QUOTE_MARKS = frozenset({'"', "“", "”", "''", "``"})
_COPULAS = frozenset({"be", "seem", "appear", "become", "remain"})
_EXTRAPOSED_DEPS = frozenset({"ccomp", "xcomp", "csubj"})
RIVAL_WINDOW = 2  # sentences back a pronoun's rival (a noun it may stand for that is no actor) is looked for


@dataclass(frozen=True)
class CorefData:
    """Tables that steer coreference (``data/coreference.json``): see its ``_comment``."""

    given_names: MappingProxyType  # lower-case first name -> "male" / "female"
    pronoun_number: MappingProxyType  # pronoun -> "singular" / "plural"
    inanimate_types: frozenset[str]
    event_name_words: frozenset[str]
    place_prepositions: frozenset[str]
    person_name_classes: frozenset[str]
    provenance_marks: tuple[str, ...]  # a source containing one names where a text came from, not a publisher


@cache
def load_coref_data() -> CorefData:
    """Return the packaged coreference tables (read once per process).

    >>> load_coref_data().given_names["margaret"]
    'female'
    """
    raw = load_json("coreference.json")
    names = {name: gender for gender, listed in raw["given_names"].items() for name in listed}
    return CorefData(
        given_names=MappingProxyType(names),
        pronoun_number=MappingProxyType(raw["pronoun_number"]),
        inanimate_types=frozenset(raw["inanimate_types"]),
        event_name_words=frozenset(raw["event_name_words"]),
        place_prepositions=frozenset(raw["place_prepositions"]),
        person_name_classes=frozenset(raw["person_name_classes"]),
        provenance_marks=tuple(mark.lower() for mark in raw["provenance_marks"]),
    )


@dataclass(frozen=True)
class Mention:
    """One mention of an actor: token span ``[start, end)``, head token, and what kind of mention it is."""

    start: int
    end: int
    head: int
    sentence: int
    kind: str
    type: str
    label: str
    start_char: int
    end_char: int
    depth: int = 0  # number of syntactic heads above the mention's head: a measure of salience
    quantity: str | None = None
    roles: tuple[str, ...] = ()
    compatible: tuple[str, ...] = ()  # for anaphors and pronouns: the classes they may refer to
    proper: bool = False  # a common noun written as a name ("the Observatory"): it may stand for one
    definite: bool = False  # "the rebels", "its fighters": refers back rather than introducing a group
    appositive_of: int | None = None  # head token of the noun this mention is in apposition to
    speaker: int | None = None  # for "I" and "we": the head token of whoever says it
    canonical: str | None = None  # the gazetteer's name for a known group ("Islamic State" for "Daesh")
    gender: str | None = None  # "male" / "female" when an honorific, title, first name or pronoun tells
    number: str | None = None  # "singular" / "plural" for common nouns and pronouns; names may be either
    prominence: int = 3  # 0 subject of the main clause, 1 other subject, 2 object, 3 anything else
    inanimate: bool = False  # an event or a thing under a name ("Operation Inherent Resolve"): never "they"
    # For pronouns: head tokens of mentions it cannot stand for (the subject of its own clause when it is an
    # object: "Kerry urged him"; the speaker of the quote it is in), and the place of the most prominent
    # noun before it that agrees with it but names no actor ("the budget ... it"), as (sentence,
    # prominence, depth, start): an actor less salient than that noun is not what the pronoun means.
    disjoint: tuple[int, ...] = ()
    rival: tuple[int, int, int, int] | None = None


def _depth(token: Token) -> int:
    return sum(1 for _ in token.ancestors)


def _prominence(token: Token) -> int:
    """How prominent a mention's head is in its sentence: the main clause's subject (0), another subject or
    a subject's possessor (1: "his" in "His Chief of Staff is..."), an object (2), anything else (3)."""
    if token.dep_ in _SUBJECT_DEPS:
        return 0 if token.head.dep_ == "ROOT" else 1
    if token.dep_ == "poss" and token.head.dep_ in _SUBJECT_DEPS:
        return 1
    return 2 if token.dep_ in _OBJECT_DEPS else 3


def _pleonastic(token: Token) -> bool:
    """An "it" that stands for no one: the subject of an extraposed clause ("it can be tough to maintain
    focus", "It's fun working with...", "It is claimed that...")."""
    if token.lower_ != "it" or token.dep_ not in {"nsubj", "nsubjpass", "expl"}:
        return False
    verb = token.head
    complements = [verb, *(c for c in verb.children if c.dep_ in {"acomp", "attr"})]
    if token.dep_ == "nsubj" and verb.lemma_.lower() not in _COPULAS:
        return False
    return any(c.dep_ in _EXTRAPOSED_DEPS for t in complements for c in t.children)


def _number(token: Token) -> str | None:
    if token.tag_ in _PLURAL_TAGS:
        return "plural"
    return "singular" if token.tag_ in _SINGULAR_TAGS else None


def _trim(span: Span) -> Span | None:
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].dep_ in _EDGE_DEPS or doc[start].is_punct):
        start += 1
    while end > start and (
        doc[end - 1].dep_ in _EDGE_DEPS or doc[end - 1].is_punct or doc[end - 1].tag_ == "POS"
    ):
        end -= 1
    return doc[start:end] if end > start else None


def _name_before_bracket(span: Span) -> str:
    """The name a recognised span gives, without the bracketed acronym or gloss the recognizer took into it:
    "National Hurricane Center (NHC" names the National Hurricane Center."""
    bracket = next((t.i for t in span if t.tag_ == "-LRB-" and t.i > span.start), span.end)
    return span.doc[span.start : bracket].text


def _roles(span: Span, lexicon: Lexicon) -> tuple[tuple[str, ...], set[int]]:
    """Titles written before a person's name ("Deputy Prime Minister Qadri Jamil"), and their tokens."""
    doc = span.doc
    i = span.start - 1
    words: list[Token] = []
    while (
        i >= 0
        and doc[i].lower_.rstrip(".") in lexicon.titles | {"of"}
        and doc[i].lower_ not in lexicon.honorifics
    ):
        words.insert(0, doc[i])
        i -= 1
    honorific = {doc[i].i} if i >= 0 and doc[i].lower_.rstrip(".") in lexicon.honorifics else set()
    while words and words[0].lower_ == "of":
        words.pop(0)
    tokens = {t.i for t in words} | honorific
    role = " ".join(t.text for t in words)
    return ((role,) if role else ()), tokens


def _after_preposition(span: Span, cls: str, lexicon: Lexicon) -> bool:
    """Whether a name is a place after a sentence's first preposition that the recognizer or the parser took
    into the name: inside a person's name ("Near Raqqah" as a ``PERSON``), or hanging from the name as its
    modifier ("Near Rawah, two strikes engaged...", parsed as a compound subject)."""
    prepositions = lexicon.pattern_lists["locative_prepositions"]
    if cls == "Person" and span[0].lower_ in prepositions:
        return True
    before = span.doc[span.start - 1] if span.start else None
    return before is not None and before.lower_ in prepositions and before.head.i == span.root.i


def _without_titles(span: Span, lexicon: Lexicon) -> Span:
    """A person's name without the titles the recognizer took into it ("President Bashar al-Assad")."""
    words = lexicon.titles | lexicon.honorifics
    words = words | {w.rstrip(".") for w in words}
    while len(span) > 1 and span[0].lower_.rstrip(".") in words:
        span = span.doc[span.start + 1 : span.end]
    return span


def _people_named(doc: Doc, lexicon: Lexicon) -> set[tuple[str, ...]]:
    """The names of several words of the people the recognizer found in ``doc``, whole and their last word
    (the surname a later mention goes by: "Qanbar" for "Abboud Qanbar"), but for those describing a thing."""
    names: set[tuple[str, ...]] = set()
    # what the recognizer calls each name most often: "Red Hat" taken for a person 13 times and for an
    # organisation 36 times in one article names no person
    votes: dict[str, Counter[bool]] = {}
    for ent in doc.ents:
        votes.setdefault(ent.text, Counter())[lexicon.entity_classes.get(ent.label_) == "Person"] += 1
    for ent in doc.ents:
        span = _trim(ent) if lexicon.entity_classes.get(ent.label_) == "Person" else None
        if span is not None and votes[ent.text][False] <= votes[ent.text][True]:
            words = tuple(t.text for t in _without_titles(span, lexicon))
            # a lone word is too weak a sign against the other label ("Wikinews"), and so is a "name" that
            # modifies a common noun ("Female Magellanic penguins", "the Crew Dragon capsule")
            describes = span.root.dep_ in _MODIFIER_DEPS and span.root.head.pos_ == "NOUN"
            if len(words) > 1 and not describes:
                names.add(words)
                if len(words[-1]) > 2 and words[-1][:1].isupper():
                    names.add(words[-1:])
    return names


def _person_in(span: Span, cls: str, people: set[tuple[str, ...]], coref: CorefData) -> Span | None:
    """The person's name that an entity of another class is, or ends with, by what the document says
    elsewhere: a person of that name ("Qanbar" ``ORG`` after "Abboud Qanbar"; "Middle East Tobias Ellwood"
    ``ORG``, the end of a title, after "Tobias Ellwood"), or, for a nationality, a name of several words
    whose first is a given name or kunya ("Abu Ghadiya" ``NORP``). ``None`` when it is no person."""
    if cls not in coref.person_name_classes:
        return None
    words = [t.text for t in span]
    for start in range(len(words)):
        if tuple(words[start:]) in people and (start == 0 or len(words) - start > 1):
            return span.doc[span.start + start : span.end]
    if cls == "NationalGroup" and len(span) > 1 and span[0].lower_ in coref.given_names:
        return span
    return None


def _entity_mentions(doc: Doc, sentence_of: list[int], lexicon: Lexicon) -> list[Mention]:
    coref = load_coref_data()
    mentions: list[Mention] = []
    title_tokens: set[int] = set()
    people = _people_named(doc, lexicon)
    ordered = sorted(doc.ents, key=lambda e: (e.label_ != "PERSON", e.start))  # people first: their titles
    for ent in ordered:
        cls = lexicon.entity_classes.get(ent.label_)
        span = _trim(ent) if cls else None
        if (
            span is None
            or any(t.i in title_tokens for t in span)
            or span.text.lower() in lexicon.non_actor_names
        ):
            continue  # "contracted COVID-19": a disease the recognizer took for an organisation
        person = None if ent.ent_id_ else _person_in(span, cls, people, coref)
        if person is not None:
            cls, span = "Person", person
        if all(t.lemma_.lower() in lexicon.actor_nouns for t in span):
            continue  # a capitalised common noun the recognizer took for a name ("Rebels said...")
        if _after_preposition(span, cls, lexicon):
            continue  # a place after a capitalised preposition, taken into a name ("Near Raqqah")
        if cls == "Person" and span.root.dep_ == "pobj" and span.root.head.lower_ in coref.place_prepositions:
            cls = "Place"  # "captured in Fialaka": a place the recognizer took for a person
        roles: tuple[str, ...] = ()
        gender = None
        if cls == "Person":
            # Titles inside the recognised name ("Mrs Clinton", "President Bashar al-Assad") leave the label
            # and become roles, like those written before it.
            span = _without_titles(span, lexicon)
            roles, tokens = _roles(span, lexicon)
            title_tokens |= tokens
            words = [doc[i].lower_ for i in sorted(tokens)] + [w.lower() for r in roles for w in r.split()]
            gender = next((lexicon.gendered_words[w] for w in words if w in lexicon.gendered_words), None)
            if gender is None and len(span) > 1:  # a lone "Kerry" may be a surname
                gender = coref.given_names.get(span[0].lower_)
        named = span.text.lower().replace("-", " ").split()
        mentions.append(
            Mention(
                start=span.start,
                end=span.end,
                head=span.root.i,
                sentence=sentence_of[span.root.i],
                kind=NAME,
                depth=_depth(span.root),
                type=cls,
                label=_name_before_bracket(span),
                start_char=span.start_char,
                end_char=span.end_char,
                roles=roles,
                canonical=ent.ent_id_ or None,
                gender=gender,
                prominence=_prominence(span.root),
                inanimate=cls != "Person" and bool({named[0], named[-1]} & coref.event_name_words),
            )
        )
    return mentions


def _quantity(head: Token, lexicon: Lexicon) -> str | None:
    """A number ("10", "an estimated 115,000") or a vague amount ("several", "dozens of") for a group."""
    for child in head.children:
        if child.dep_ == "nummod":
            words = [t for t in child.subtree if t.dep_ != "det"]
            return " ".join(t.text for t in words) or None
    for child in head.lefts:
        if child.lower_ in lexicon.vague_quantities:
            return child.lower_
    return None


def _common_case(token: Token, lexicon: Lexicon) -> str:
    """Lower-case common nouns ("Rebels" at the start of a sentence is "rebels"); names and words of names
    keep their case ("Iraqi forces")."""
    keep = token.pos_ == "PROPN" or (token.ent_type_ and token.lemma_.lower() not in lexicon.actor_nouns)
    return token.text if keep else token.lower_


OPEN_TYPE = "Actor"  # the class of an open argument: a noun phrase that names no known kind of actor


def noun_phrase(head: Token, sentence: int, lexicon: Lexicon) -> Mention:
    """The noun phrase headed by ``head`` as a mention of the generic class, for the open mode that keeps
    arguments which are not actors ("talks", "chemical weapons")."""
    return _nominal(head, sentence, lexicon, OPEN_TYPE)


def _nominal(head: Token, sentence: int, lexicon: Lexicon, type_: str | None = None) -> Mention:
    modifiers = [
        c
        for c in head.lefts
        if c.dep_ in _MODIFIER_DEPS
        and c.lower_ not in lexicon.dropped_modifiers
        and not c.is_punct
        and c.ent_type_ not in {"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"}
    ]
    words = [t for m in modifiers for t in m.subtree if t.dep_ in _MODIFIER_DEPS or t is m] + [head]
    words += [t for m in modifiers for t in _hyphenated(m)]  # "rocket-propelled grenades"
    words = sorted(set(words), key=lambda t: t.i)
    first = words[0]
    return Mention(
        start=first.i,
        end=head.i + 1,
        head=head.i,
        sentence=sentence,
        kind=NOMINAL,
        depth=_depth(head),
        type=type_ or lexicon.actor_nouns[head.lemma_.lower()],
        label="".join(
            _common_case(t, lexicon) + (t.whitespace_ if after.i == t.i + 1 else " ")
            for t, after in zip(words, words[1:], strict=False)
        )
        + _common_case(head, lexicon),
        start_char=first.idx,
        end_char=head.idx + len(head.text),
        quantity=_quantity(head, lexicon),
        number=_number(head),
        prominence=_prominence(head),
        definite=any(c.lower_ in _DEFINITE or c.dep_ == "poss" for c in head.lefts),
        proper=head.text[:1].isupper() and not head.is_sent_start,
    )


def _hyphenated(modifier: Token) -> list[Token]:
    """The noun and hyphen written as one word with a participle ("rocket-propelled", "vehicle-borne"):
    part of the modifier."""
    doc, i = modifier.doc, modifier.i
    if modifier.tag_ != "VBN" or i < 2 or doc[i - 1].text != "-" or doc[i - 2].dep_ != "npadvmod":
        return []
    return [doc[i - 2], doc[i - 1]] if doc[i - 2].head.i == i else []


def _single(token: Token, sentence: int, kind: str, compatible: tuple[str, ...]) -> Mention:
    return Mention(
        start=token.i,
        end=token.i + 1,
        head=token.i,
        sentence=sentence,
        kind=kind,
        depth=_depth(token),
        type=compatible[0],
        label=token.text,
        start_char=token.idx,
        end_char=token.idx + len(token.text),
        compatible=compatible,
        prominence=_prominence(token),
    )


def _compound_head(token: Token) -> Token:
    while token.dep_ == "compound" and token.head.i != token.i:
        token = token.head
    return token


def _modifies_a_noun(token: Token, lexicon: Lexicon) -> bool:
    """A noun modifying another ("regime" in "regime forces") is no actor of its own, unless it names the
    actor behind a deed, members or an effort ("regime" in "regime air strikes", "Coalition" in "Coalition
    efforts to support X"). A noun inside a hyphenated participle modifying a noun ("rocket" in
    "rocket-propelled grenades", "vehicle-borne bombs") is part of a description, never an actor; one that
    holds ("regime" in "regime-held areas") owns them."""
    participle = token.head
    if token.dep_ == "npadvmod" and participle.tag_ == "VBN" and participle.dep_ == "amod":
        return participle.lower_ not in lexicon.pattern_lists["holding_participles"]
    if token.dep_ != "compound" or token.head.pos_ not in {"NOUN", "PROPN"}:
        return False
    head = _compound_head(token).lemma_.lower()
    return head not in lexicon.member_nouns and head not in lexicon.pattern_lists["effort_nouns"]


@cache
def _readable_scripts() -> tuple[dict[str, tuple[str, ...]], float]:
    layout = load_json("text_layout.json")
    scripts = {lang: tuple(names) for lang, names in layout["readable_scripts"].items() if lang[0] != "_"}
    return scripts, float(layout["min_foreign_share"])


def foreign_sentences(doc: Doc) -> frozenset[int]:
    """The indices of the sentences the pipeline cannot read: most of their letters are in a script its
    language's model was not trained on (``readable_scripts`` in ``text_layout.json``: an English model
    turns a Hindi sentence into nonsense). Empty for a language the table does not list.

    >>> import spacy
    >>> doc = spacy.blank("en")("हमारे समुदाय से")
    >>> doc[0].is_sent_start = True
    >>> sorted(foreign_sentences(doc)), sorted(foreign_sentences(spacy.blank("en")("Paweł Dogandžić")))
    ([0], [])
    """
    table, threshold = _readable_scripts()
    scripts = table.get(doc.lang_)
    if not scripts or not len(doc):
        return frozenset()
    sentences = doc.sents if doc.has_annotation("SENT_START") or doc.has_annotation("DEP") else [doc[:]]
    foreign = set()
    for index, sentence in enumerate(sentences):
        if sentence.text.isascii():  # the common case, and Latin: no letter to look up
            continue
        letters = [c for c in sentence.text if c.isalpha()]
        known = sum(unicodedata.name(c, "").startswith(scripts) for c in letters)
        if letters and (len(letters) - known) / len(letters) > threshold:
            foreign.add(index)
    return frozenset(foreign)


def _in_inert_phrase(token: Token, lexicon: Lexicon) -> bool:
    """Whether the noun is the word of a set phrase that names no actor (``inert_phrases``): "state" in
    "declared a state of emergency" or "head of state", "staff" in "chief of staff"."""
    phrases = lexicon.pattern_lists["inert_phrases"].get(token.lower_) or ()
    doc = token.doc
    for phrase in phrases:
        words = phrase.split()
        for at, word in enumerate(words):
            start = token.i - at
            if (
                word == token.lower_
                and start >= 0
                and [t.lower_ for t in doc[start : start + len(words)]] == words
            ):
                return True
    return False


def _office(token: Token, lexicon: Lexicon) -> bool:
    """Whether a bare role noun names an office, not someone holding it (``office_nouns``): "ran for
    president", "nominated Carroll for president", "was elected president" — no determiner, possessive or
    number before it, singular, after "for"/"as" or the complement of a verb of appointing."""
    offices = lexicon.pattern_lists["office_nouns"]
    if token.lemma_.lower() not in lexicon.pattern_lists["role_nouns"] or token.tag_ not in {"NN", "NNP"}:
        return False
    if any(c.dep_ in {"det", "poss", "nummod"} for c in token.children):
        return False
    head = token.head
    if token.dep_ == "pobj":
        return head.lower_ in offices["prepositions"]
    return token.dep_ in {"oprd", "attr", "xcomp"} and head.lemma_.lower() in offices["verbs"]


def find_mentions(doc: Doc, lexicon: Lexicon) -> list[Mention]:
    """Return every actor mention in ``doc``, in document order.

    Names come from the entity recognizer (labels mapped to classes by ``actor_types.json``; titles before a
    person's name become roles); nominal groups from nouns in the lexicon's ``actor_nouns`` with the
    modifiers that matter and their quantity; definite anaphors ("the group") and personal pronouns carry
    the classes they may refer to, for coreference to resolve.
    """
    sentence_of = [0] * len(doc)
    for index, sentence in enumerate(doc.sents):
        for token in sentence:
            sentence_of[token.i] = index
    mentions = _entity_mentions(doc, sentence_of, lexicon)
    covered = {i for m in mentions for i in range(m.start, m.end)}
    # only pronouns and nouns can be mentions: pick them out of one array read, not token by token
    strings = doc.vocab.strings
    pronoun_tags = {strings[tag] for tag in _PRONOUN_TAGS}
    noun_pos = {strings[pos] for pos in _NOUN_POS}
    kinds = doc.to_array(["TAG", "POS"]).tolist() if len(doc) else []
    for i, (tag, pos) in enumerate(kinds):
        if i in covered or (tag not in pronoun_tags and pos not in noun_pos):
            continue
        token = doc[i]
        lower, lemma = token.lower_, token.lemma_.lower()
        sentence = sentence_of[token.i]
        if token.tag_ in _PRONOUN_TAGS and lower in lexicon.pronouns and not _pleonastic(token):
            pronoun = _single(token, sentence, PRONOUN, tuple(lexicon.pronouns[lower]))
            gender, number = lexicon.gendered_words.get(lower), load_coref_data().pronoun_number.get(lower)
            mentions.append(replace(pronoun, gender=gender, number=number))
        elif token.pos_ not in _NOUN_POS:
            continue
        elif (
            lemma in lexicon.nominal_anaphors
            and any(c.lower_ in _DEFINITE for c in token.lefts)
            and not any(c.dep_ in _MODIFIER_DEPS for c in token.lefts)
        ):
            mentions.append(_single(token, sentence, ANAPHOR, tuple(lexicon.nominal_anaphors[lemma])))
        elif (
            lemma in lexicon.actor_nouns
            and not _modifies_a_noun(token, lexicon)
            and not _in_inert_phrase(token, lexicon)
            and not _office(token, lexicon)
        ):
            mentions.append(_nominal(token, sentence, lexicon))
    mentions = [
        replace(m, appositive_of=doc[m.head].head.i) if doc[m.head].dep_ == "appos" else m for m in mentions
    ]
    unread = foreign_sentences(doc)
    mentions = [m for m in mentions if m.sentence not in unread]
    mentions = _with_speakers(doc, sorted(mentions, key=lambda m: (m.start, m.end)), lexicon)
    return _with_constraints(doc, mentions, sentence_of, lexicon)


def _speaker_of(token: Token, reporting: frozenset[str]) -> int | None:
    """The subject of the reporting verb a clause hangs from ('"We will win," said Kerry' -> Kerry)."""
    for clause in (token, *token.ancestors):
        if clause.dep_ in {"ccomp", "parataxis"} and clause.head.lemma_.lower() in reporting:
            subjects = [c.i for c in clause.head.children if c.dep_ == "nsubj" and c.i != token.i]
            return subjects[0] if subjects else None
    return None


def _introduces_quote(child: Token) -> bool:
    """A reporting verb's child that opens what it reports: a clause, or the colon before a statement set
    out in the paragraphs that follow ('Minister Ellwood said:' then 'I welcome...')."""
    return child.dep_ in {"ccomp", "parataxis"} or (child.dep_ == "punct" and child.text == ":")


def _with_speakers(doc: Doc, mentions: list[Mention], lexicon: Lexicon) -> list[Mention]:
    """Give each "I"/"we" its speaker: the reporting verb's subject in its sentence, else the last
    speaker quoted within the two sentences before (quotes run on: '"...," he said. "So we are..."')."""
    reporting = frozenset(lexicon.pattern_lists["reporting_verbs"])
    quoted: list[tuple[int, int]] = []  # (token, speaker token) of every quote-taking verb, in order
    for token in doc:
        if token.lemma_.lower() in reporting and any(_introduces_quote(c) for c in token.children):
            subjects = [c.i for c in token.children if c.dep_ == "nsubj"]
            if subjects:
                quoted.append((token.i, subjects[0]))
    sentence_of = {m.head: m.sentence for m in mentions}
    result = []
    for mention in mentions:
        if mention.kind == PRONOUN and mention.label.lower() in lexicon.first_person:
            speaker = _speaker_of(doc[mention.head], reporting)
            if speaker is None:
                earlier = [s for verb, s in quoted if verb < mention.head]
                if earlier and mention.sentence - sentence_of.get(earlier[-1], -99) <= 2:
                    speaker = earlier[-1]
            mention = replace(mention, speaker=speaker)
        result.append(mention)
    return result


def _clause_subject(token: Token) -> int | None:
    """The subject of the clause whose object ``token`` is, through verbs that share it ("Kerry raised
    concerns and urged him", "police were unable to question him"); None when ``token`` is no object."""
    if token.dep_ not in _OBJECT_DEPS:
        return None
    verb = token.head
    while True:
        subjects = [c.i for c in verb.children if c.dep_ in _SUBJECT_DEPS]
        if subjects:
            return subjects[0]
        # a conjoined verb shares its subject; an infinitive takes its controller's unless that has an
        # object ("asked Lavrov to help him": Lavrov helps, and "him" may be the one who asks)
        shares = verb.dep_ in {"conj", "acomp"} or (
            verb.dep_ == "xcomp" and not any(c.dep_ in _OBJECT_DEPS for c in verb.head.children)
        )
        if not shares or verb.head.i == verb.i:
            return None
        verb = verb.head


def _in_quote(token: Token) -> bool:
    """Whether ``token`` stands between quotation marks opened in its sentence."""
    return sum(1 for t in token.doc[token.sent.start : token.i] if t.text in _QUOTE_MARKS) % 2 == 1


def _rival_nouns(doc: Doc, mentions: list[Mention], lexicon: Lexicon) -> list[Token]:
    """Common nouns that name no actor yet stand where a pronoun's antecedent stands (a subject or an
    object): "the budget" in "For the budget to pass, it must...". Amounts, titles and dates are left out."""
    covered = {i for m in mentions for i in range(m.start, m.end)}
    ignored = (
        lexicon.titles
        | set(lexicon.pattern_lists["quantity_nouns"])
        | set(lexicon.pattern_lists["role_nouns"])
    )
    return [
        token
        for token in doc
        if token.pos_ in _NOUN_POS  # a name the recognizer left unlabelled is some thing too ("Mokha")
        and token.i not in covered
        and (token.dep_ in _SUBJECT_DEPS or token.dep_ in _OBJECT_DEPS)
        and _number(token) is not None
        and not token.ent_type_
        and token.lemma_.lower() not in ignored
    ]


def _with_constraints(
    doc: Doc, mentions: list[Mention], sentence_of: list[int], lexicon: Lexicon
) -> list[Mention]:
    """Give each third-person pronoun what rules out antecedents: the mentions it cannot stand for (see
    :class:`Mention`'s ``disjoint``), and, for "it" and "they", its most prominent rival noun."""
    numbers = load_coref_data().pronoun_number
    reporting = frozenset(lexicon.pattern_lists["reporting_verbs"])
    rivals: dict[int, list[Token]] | None = None  # sentence -> its rival nouns
    result = []
    for mention in mentions:
        lower = mention.label.lower()
        if mention.kind != PRONOUN or lower not in numbers:
            result.append(mention)
            continue
        token = doc[mention.head]
        disjoint = [_clause_subject(token)]
        if _in_quote(token):  # '"He is a criminal," said Kerry': not Kerry
            disjoint.append(_speaker_of(token, reporting))
        rival = None
        if "Person" not in mention.compatible:
            if rivals is None:
                rivals = {}
                for noun in _rival_nouns(doc, mentions, lexicon):
                    rivals.setdefault(sentence_of[noun.i], []).append(noun)
            # ranked as coreference ranks actors: within the pronoun's sentence, prominence counts only
            # for a subject pronoun
            nearby = [
                (distance, _prominence(t) if distance or mention.prominence <= 1 else 0, _depth(t), -t.i)
                for distance in range(min(RIVAL_WINDOW, mention.sentence) + 1)
                for t in rivals.get(mention.sentence - distance, ())
                if t.i < mention.start and _number(t) == mention.number
            ]
            if nearby:
                distance, prominence, depth, start = min(nearby)
                rival = (mention.sentence - distance, prominence, depth, -start)
        result.append(replace(mention, disjoint=tuple(i for i in disjoint if i is not None), rival=rival))
    return result
