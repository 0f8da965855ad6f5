"""Within-document coreference: a small sieve in the manner of Stanford's deterministic coreference.

Passes, each a function over the mentions seen so far:

1. names: the same gazetteer entry ("Daesh", "ISIL": Islamic State); the same alias key; a person's
   partial name ("Jamaa", "Kerry") joins the full name seen before it whatever label the recognizer gave
   it; an acronym ("OPCW") meets the name whose initials it spells;
2. nominal groups: a capitalised head ("the Observatory", "the Coalition") joins the organisation whose
   name holds its words; otherwise the same phrase within the document is one group;
3. "I" and "we": their speaker, the subject of the reporting verb they are quoted under; "we" outside any
   quote (and "I"), the document's publisher when it is known (a government's or an army's press release);
4. anaphors ("the group") and pronouns ("he", "it", "they"): the most salient compatible actor within a
   window of sentences — compatible in class (animacy: "it" is an organisation or a country, "they" a
   group, never an operation or a place), in number ("their" is not "a member") and in gender when an
   honorific, title, first name or earlier pronoun tells it ("Mrs", "King", "Doris"); never the subject
   of the pronoun's own clause ("Kerry urged him") nor the speaker of the quote it stands in. Salience:
   the nearest sentence, then subjects before objects, then the shallowest, then the latest; a resolved
   pronoun keeps its actor salient. "It" in a later sentence reaches only a subject or an object there,
   not a name that modifies one or sits in a prepositional phrase. When a thing that is no actor ("the
   budget", "Mokha") outranks every actor, "it" means that thing and stays unresolved;

Finally an apposition ("a top intelligence officer, Major General Jamaa Jamaa") merges its two chains.

Unresolved pronouns and anaphors are left out of chains: no triple is ever built on a bare pronoun.
The output is plain data (:class:`Chain`), with the canonical label, class, key, aliases and roles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from graphkit.extract.lexicon import Lexicon
from graphkit.extract.mentions import ANAPHOR, NAME, NOMINAL, PRONOUN, Mention, load_coref_data
from graphkit.identity import actor_key
from graphkit.identity import alias_key as _alias_key

PUBLISHER_TYPE = "Organization"
PRONOUN_WINDOW = 2  # sentences back a pronoun may reach
ANAPHOR_WINDOW = 3
MAX_THING_PROMINENCE = 2  # "it" in a later sentence: a subject (0, 1) or an object (2)
_KIND_RANK = {NAME: 0, NOMINAL: 1, ANAPHOR: 2, PRONOUN: 3}


@dataclass
class Chain:
    """Mentions of one actor, and the actor's canonical description."""

    mentions: list[Mention] = field(default_factory=list)
    label: str = ""
    type: str = ""
    key: str = ""
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    # Indexes kept as mentions are added, so that matching a mention against a chain does not reread it:
    publisher: str | None = None  # the chain stands for the document's publisher ("we" in a press release)
    spellings: dict[tuple, Mention] = field(default_factory=dict)  # one name mention per distinct spelling
    nominals: dict[str, Mention] = field(default_factory=dict)  # latest common-noun mention per phrase key

    def add(self, mention: Mention) -> None:
        self.mentions.append(mention)
        if mention.kind == NAME:
            self.spellings.setdefault((mention.label, mention.type, mention.canonical), mention)
        elif mention.kind == NOMINAL:
            self.nominals[alias_key(mention.label)] = mention

    @property
    def names(self) -> list[Mention]:
        return [m for m in self.mentions if m.kind == NAME]


# Names recur many times in a document and across documents: fold each spelling once.
alias_key = lru_cache(maxsize=65536)(_alias_key)


@lru_cache(maxsize=65536)
def _words(label: str) -> tuple[str, ...]:
    return tuple(w for w in alias_key(label).split("-") if w)


@lru_cache(maxsize=65536)
def _initials(label: str, stopwords: frozenset[str]) -> str:
    return "".join(
        w[0] for w in label.replace("-", " ").split() if w.lower() not in stopwords and w[:1].isalpha()
    )


@lru_cache(maxsize=65536)
def _is_acronym(label: str) -> bool:
    letters = label.replace(".", "")
    return 2 <= len(letters) <= 8 and letters.isalpha() and letters.isupper()


def _acronym_of(short: str, long: str, stopwords: frozenset[str]) -> bool:
    return (
        _is_acronym(short)
        and not _is_acronym(long)
        and short.replace(".", "") == _initials(long, stopwords).upper()
    )


def _name_matches(mention: Mention, chain: Chain, lexicon: Lexicon) -> bool:
    words = _words(mention.label)
    for name in chain.spellings.values():
        if mention.canonical and mention.canonical == name.canonical:  # "Daesh" and "ISIL": one group
            return True
        if alias_key(name.label) == alias_key(mention.label):
            return True
        full = _words(name.label)
        if name.type == "Person" and words and len(words) < len(full) and set(words) <= set(full):
            return True
        stop = lexicon.acronym_stopwords
        if _acronym_of(mention.label, name.label, stop) or _acronym_of(name.label, mention.label, stop):
            return True
    return False


def _find_name_chain(mention: Mention, chains: list[Chain], lexicon: Lexicon) -> Chain | None:
    """The chain a name joins: of those whose names it matches (the same alias key, a part of a person's
    name, an acronym), the most mentioned so far, then the first introduced. A bare surname two people
    share goes to the one the article is about: "Mugabe" after "Robert Mugabe ... Mugabe ... Grace Mugabe"
    is Robert; "Baker" after "Ginger Baker ... his daughter Nettie Baker" is Ginger."""
    matching = [
        n for n, chain in enumerate(chains) if chain.spellings and _name_matches(mention, chain, lexicon)
    ]
    if not matching:
        return None
    return chains[max(matching, key=lambda n: (len(chains[n].mentions), -n))]


def _find_nominal_chain(mention: Mention, chains: list[Chain], group_types: frozenset[str]) -> Chain | None:
    key = alias_key(mention.label)
    if mention.proper:  # "the Observatory" after "the Syrian Observatory for Human Rights": head match
        words = set(_words(mention.label))
        for chain in reversed(chains):
            named = [
                m for m in chain.spellings.values() if m.type in group_types and words <= set(_words(m.label))
            ]
            if named:
                return chain
    for chain in reversed(chains):
        same = chain.nominals.get(key)
        # "the rebels" refers back; "several people" after "115,000 people" is another group.
        if not chain.spellings and same and (mention.definite or same.quantity == mention.quantity):
            return chain
    return None


def _salience(candidate: Mention, mention: Mention) -> tuple[int, int, int, int]:
    """Rank of an antecedent candidate (lower is better): the nearest sentence first, then the most
    prominent (subjects before objects before the rest), then the shallowest in the parse (main clauses
    before nouns buried in appositions), then the latest. Within the pronoun's own sentence prominence
    counts only for a subject pronoun ("the Agency told the Post it was...": the Agency); an object or a
    possessive goes to the nearest ("supported the Iraqi forces in its efforts": the forces)."""
    distance = mention.sentence - candidate.sentence
    prominence = candidate.prominence if distance or mention.prominence <= 1 else 0
    return (distance, prominence, candidate.depth, -candidate.start)


def _compatible(mention: Mention, chain: Chain) -> bool:
    if _canonical(chain).type not in mention.compatible:
        return False
    genders = {m.gender for m in chain.mentions if m.gender}
    return not (mention.gender and genders and mention.gender not in genders)  # "she" is not "Mr Kerry"


def _agrees(mention: Mention, candidate: Mention, collective_types: frozenset[str]) -> bool:
    """Number agreement: "their" is not "a previous member", "it" not "the rebels". A name may be either
    ("the Coalition ... they"), and so may a noun for an organisation ("the Army ... They claim")."""
    if candidate.kind == NAME or not (mention.number and candidate.number):
        return True
    collective = (
        candidate.kind == NOMINAL and candidate.type in collective_types and mention.number == "plural"
    )
    return mention.number == candidate.number or collective


def _rivals(mention: Mention, candidate: Mention, inanimate_types: frozenset[str]) -> bool:
    """Whether ``candidate`` is a thing "it" or "they" may stand for although no actor: an event, a place, a
    weapon ("Mokha ... since it was recaptured", "the operation ... they")."""
    if "Person" in mention.compatible or mention.kind != PRONOUN:
        return False
    if not (candidate.inanimate or candidate.type in inanimate_types):
        return False
    return candidate.number == mention.number or (candidate.number is None and mention.number == "singular")


def _buried(candidate: Mention, mention: Mention) -> bool:
    """Whether ``candidate``, in an earlier sentence than the pronoun, is out of reach of "it": "it" looks
    back to a subject or an object, not to a name that only modifies one or sits in a prepositional phrase
    ("The new Boeing 737 Max was not airworthy... It was commencing a journey": the aircraft, not Boeing)."""
    thing = mention.kind == PRONOUN and "Person" not in mention.compatible and mention.number == "singular"
    return thing and candidate.sentence < mention.sentence and candidate.prominence > MAX_THING_PROMINENCE


def _find_antecedent(
    mention: Mention,
    history: list[tuple[Mention, Chain]],
    window: int,
    chain_of: dict[int, Chain],
    inanimate_types: frozenset[str],
    collective_types: frozenset[str],
) -> Chain | None:
    """The most salient compatible actor mentioned before ``mention`` within ``window`` sentences, unless a
    thing that is no actor is more salient still (then the pronoun means that thing, and stays unresolved).

    ``history`` holds the mentions seen so far, in document order, with their chains: only its tail within
    the window is read, so a long document costs no more per pronoun than a short one.
    """
    best: tuple[tuple[int, int, int, int], Chain] | None = None
    rival = None
    if mention.rival is not None:
        sentence, prominence, depth, start = mention.rival
        rival = (mention.sentence - sentence, prominence, depth, -start)
    excluded = {id(chain_of[i]) for i in mention.disjoint if i in chain_of}  # "Kerry urged him": not Kerry
    checked: dict[int, bool] = {}
    for candidate, chain in reversed(history):
        if mention.sentence - candidate.sentence > window:
            break
        if id(chain) in excluded or not _agrees(mention, candidate, collective_types):
            continue
        rank = _salience(candidate, mention)
        if _rivals(mention, candidate, inanimate_types):
            rival = rank if rival is None else min(rival, rank)
            continue
        if candidate.inanimate or _buried(candidate, mention):
            continue
        if id(chain) not in checked:
            checked[id(chain)] = _compatible(mention, chain)
        if checked[id(chain)] and (best is None or rank < best[0]):
            best = (rank, chain)
    if best is None or (rival is not None and rival < best[0]):
        return None
    return best[1]


def nominal_key(label: str, doc_id: str, sentence: int) -> str:
    """Key of a common-noun group ("soldiers"): such groups are specific to the article that mentions them,
    and to where it first mentions them (two groups of "people" in one article stay apart).

    >>> nominal_key("soldiers", "afp-1", 3)
    'soldiers.afp-1.3'
    """
    return f"{alias_key(label)}.{alias_key(doc_id)}.{sentence}"


def _canonical(chain: Chain) -> Mention:
    """The most informative mention: a name over a common noun, the full name over a surname."""
    return min(
        chain.mentions, key=lambda m: (_KIND_RANK[m.kind], -len(_words(m.label)), -len(m.label), m.start)
    )


def _finish(chain: Chain, doc_id: str) -> None:
    """Fill in the canonical description: the most informative name, its class, key, aliases and roles."""
    if chain.publisher is not None:
        chain.label, chain.type = chain.publisher, PUBLISHER_TYPE
        chain.key = actor_key(chain.publisher, PUBLISHER_TYPE)
        return
    canonical = _canonical(chain)
    # A group the gazetteer knows keeps the article's own name as label, and the gazetteer's name as its
    # key and an alias, so its spellings meet across documents.
    known = sorted({m.canonical for m in chain.names if m.canonical})
    chain.label = canonical.label
    chain.type = canonical.type
    if canonical.kind == NAME:
        chain.key = actor_key(known[0] if known else chain.label, chain.type)
    else:
        chain.key = nominal_key(canonical.label, doc_id, chain.mentions[0].sentence)
    chain.aliases = tuple(sorted(({m.label for m in chain.names} | set(known)) - {chain.label}))
    chain.roles = tuple(sorted({r for m in chain.mentions for r in m.roles}))


def publisher_name(source: str | None) -> str | None:
    """The publisher a document's ``source`` names, or ``None`` when it names where the text was taken
    from (a URL, a path, "X via Y": ``provenance_marks`` in ``coreference.json``) or nothing.

    >>> publisher_name("CENTCOM")
    'CENTCOM'
    >>> publisher_name("en.wikinews.org via github.com/vanatteveldt/wikinews") is None
    True
    """
    if source is None or not source.strip():
        return None
    lowered = source.lower()
    if any(mark in lowered for mark in load_coref_data().provenance_marks):
        return None
    return source.strip()


def resolve(
    mentions: list[Mention], lexicon: Lexicon, doc_id: str, publisher: str | None = None
) -> tuple[list[Chain], dict[int, Chain]]:
    """Group mentions into chains, one per actor.

    Parameters
    ----------
    mentions : list of Mention
        In document order (as :func:`graphkit.extract.mentions.find_mentions` returns them).
    lexicon : Lexicon
    doc_id : str
        Scopes the keys of common-noun groups to this document.
    publisher : str, optional
        Who publishes the document (its ``source``): "we" outside any quote is the publisher speaking, as in
        a government's or an army's press release. A source that says where the text was taken from
        rather than who published it (:func:`publisher_name`) speaks for nobody.

    Returns
    -------
    chains : list of Chain
    chain_of : dict
        Head token index of each resolved mention -> its chain. Unresolved pronouns are absent.
    """
    chains: list[Chain] = []
    chain_of: dict[int, Chain] = {}
    history: list[tuple[Mention, Chain]] = []  # mentions resolved so far, for pronouns to look back on
    inanimate_types = load_coref_data().inanimate_types
    publisher = publisher_name(publisher)
    for mention in mentions:
        chain: Chain | None
        if mention.kind == NAME:
            chain = _find_name_chain(mention, chains, lexicon)
        elif mention.kind == NOMINAL:
            chain = _find_nominal_chain(mention, chains, lexicon.group_types)
        elif mention.speaker is not None or mention.label.lower() in lexicon.first_person:
            continue  # "I" and "we" are their speaker: resolved once every speaker is known, below
        else:
            window = PRONOUN_WINDOW if mention.kind == PRONOUN else ANAPHOR_WINDOW
            chain = _find_antecedent(mention, history, window, chain_of, inanimate_types, lexicon.group_types)
            if chain is None:
                continue
        if chain is None:
            chain = Chain()
            chains.append(chain)
        chain.add(mention)
        chain_of[mention.head] = chain
        history.append((mention, chain))  # a resolved pronoun keeps its actor salient: "They ... They"
    publishing: Chain | None = None
    for mention in mentions:
        speaker = chain_of.get(mention.speaker) if mention.speaker is not None else None
        # "we" and "us", not the name "US"
        first_person = mention.kind == PRONOUN and mention.label.lower() in lexicon.publisher_pronouns
        unquoted = mention.speaker is None and first_person
        if speaker is None and publisher and unquoted:
            if publishing is None:
                publishing = Chain(publisher=publisher)
                chains.append(publishing)
            speaker = publishing
        if speaker is not None:
            speaker.add(mention)
            chain_of[mention.head] = speaker
    chains = _merge_appositions(mentions, chains, chain_of)
    for chain in chains:
        _finish(chain, doc_id)
    return chains, chain_of


def _merge_appositions(
    mentions: list[Mention], chains: list[Chain], chain_of: dict[int, Chain]
) -> list[Chain]:
    """An apposition names the same actor twice: "a top intelligence officer, Major General Jamaa Jamaa"."""
    for mention in mentions:
        first = chain_of.get(mention.appositive_of) if mention.appositive_of is not None else None
        second = chain_of.get(mention.head)
        if first is None or second is None or first is second:
            continue
        if first.spellings and second.spellings:  # "the SNC, a member of the Coalition": no apposition
            continue
        for moved in sorted(second.mentions, key=lambda m: m.start):
            first.add(moved)
        first.mentions.sort(key=lambda m: m.start)
        for moved in second.mentions:
            chain_of[moved.head] = first
        second.mentions = []
    return [chain for chain in chains if chain.mentions]
