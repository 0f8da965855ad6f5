"""Matching relation patterns against a parse: which tokens play subject, predicate and object.

A verb with no subject of its own gets the one its controller gives it before the patterns run, so every
pattern written for a clause with a subject reads controlled clauses too, however deeply they nest: "Russia
has decided to start supporting the Assad regime" gives "supporting" the subject "Russia" (through
"start", through "decided"); "the rebels are determined to keep fighting" climbs an adjective and its
copula; "we remain committed to working with X" a gerund after "committed to"; in "urged the regime to
release" (object control) the infinitive's subject is the controller's object. The links climbed are
listed in :func:`controller`; their words are the lexicon's ``pattern_lists``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from graphkit.errors import PatternError
from graphkit.extract.lexicon import Lexicon, load_lexicon
from graphkit.extract.patterns import Constraint, RelationPattern
from graphkit.extract.treematch import TreePattern, TreeTable

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})
# the complement of a copula or of "remain", "seem": "the rebels are determined", "we remain committed"
_COMPLEMENT_DEPS = frozenset({"acomp", "oprd"})
_MAX_DEPTH = 8  # links climbed at most: parses with cycles of control do not exist, but a bound is cheap


@dataclass(frozen=True)
class Match:
    """One pattern matched in a document: the token index bound to each of the pattern's nodes."""

    pattern: RelationPattern
    nodes: tuple[tuple[str, int], ...]
    controlled: tuple[str, ...] = ()  # nodes bound through a controller (a subject the clause lacks)

    def token(self, name: str) -> int:
        return dict(self.nodes)[name]


def controller(verb: Token, lists: Mapping[str, Sequence[str]]) -> tuple[Token, str] | None:
    """The word that controls ``verb``, a clause with no subject of its own, and what it lends the clause:
    ``"subject"`` (its own subject), ``"object"`` (its object) or :data:`PREPOSITIONAL_OBJECT` (the
    object of its preposition, for a verb of ``prepositional_object_control``: "called on the regime to
    release"); ``None`` for a clause with a subject or no controller.

    Links: an open complement ("decided to start", "start supporting", "determined to keep"; not after a
    reporting verb, nor after an object of a verb that is no :func:`control_word`, where it is often the
    object's: "discussed plans for operations to free the city"); a gerund after "to" of a word in
    ``gerund_control_words`` ("committed to working"); a verb coordinated with a controlled one ("vowed to
    attack and destroy"). An ``object_control_verbs`` verb with an object lends that object ("urged the
    regime to release"), also through an infinitive the parser hung as an adverbial clause ("support Iraqi
    forces in their campaign to defeat ISIL").
    """
    if any(child.dep_ in SUBJECT_DEPS for child in verb.children):
        return None
    head = verb.head
    if verb.dep_ in {"xcomp", "advcl"} and _prepositional_object(head, lists) is not None:
        return head, PREPOSITIONAL_OBJECT  # "called on the regime to release"
    if verb.dep_ == "xcomp" and head.lemma_.lower() not in lists["reporting_verbs"]:
        objects = [child for child in head.children if child.dep_ == "dobj"]
        if objects and head.lemma_.lower() in lists["object_control_verbs"]:
            return head, "object"
        if objects and not control_word(head.lemma_.lower(), lists):
            return None  # "discussed planning for operations to free the city": the noun's infinitive
        return head, "subject"
    objects = [child for child in head.children if child.dep_ == "dobj"]
    if verb.dep_ == "advcl" and verb.tag_ == "VB" and objects:  # "support X in its campaign to defeat Y"
        return (head, "object") if head.lemma_.lower() in lists["object_control_verbs"] else None
    if (
        verb.dep_ == "pcomp"
        and head.dep_ == "prep"
        and head.lower_ == "to"
        and head.head.lemma_.lower() in lists["gerund_control_words"]
    ):
        return head.head, "subject"
    if verb.dep_ == "conj" and verb.pos_ in _VERB_POS and head.pos_ in _VERB_POS:
        return controller(head, lists)
    return None


PREPOSITIONAL_OBJECT = "prepositional object"
"""What a verb of ``prepositional_object_control`` lends the clause it controls: the object of its
preposition ("called on the regime to release": the regime)."""


def _prepositional_object(verb: Token, lists: Mapping[str, Sequence[str]]) -> Token | None:
    """The object of the preposition through which ``verb`` controls a clause ("on the regime" of "called
    on the regime to release"), else ``None``."""
    prepositions = lists["prepositional_object_control"].get(verb.lemma_.lower(), ())
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in prepositions:
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


_VERB_POS = frozenset({"VERB", "AUX"})
CONTROL_LISTS = (
    "control_verbs",
    "object_control_verbs",
    "prepositional_object_control",
    "control_adjectives",
    "purpose_verbs",
    "gerund_control_words",
    "aspectual_verbs",
)
"""The lexicon's lists of words known to control a clause (``pattern_lists``)."""


def control_word(lemma: str, lists: Mapping[str, Sequence[str]]) -> bool:
    """Whether ``lemma`` is known to control a clause and to say something of it: a hedge ("decided",
    "due"), an aspect ("began"), a joint or sustained action ("worked" to defeat)."""
    return any(lemma in lists[name] for name in CONTROL_LISTS)


def control_chain(verb: Token, lists: Mapping[str, Sequence[str]]) -> list[tuple[Token, str]]:
    """The words above a controlled ``verb``, innermost first, each with its part: a controller lending its
    ``"subject"`` or its ``"object"`` (see :func:`controller`), or the ``"host"`` an adjective complements
    (the copula or "remain" that has the subject); empty for a clause with a subject of its own.

    >>> import spacy
    >>> from spacy.tokens import Doc
    >>> words = ["Russia", "decided", "to", "start", "supporting", "Assad"]
    >>> doc = Doc(spacy.blank("en").vocab, words=words, heads=[1, 1, 3, 1, 3, 4],
    ...     deps=["nsubj", "ROOT", "aux", "xcomp", "xcomp", "dobj"])
    >>> [(t.text, part) for t, part in control_chain(doc[4], load_lexicon().pattern_lists)]
    [('start', 'subject'), ('decided', 'subject')]
    """
    chain: list[tuple[Token, str]] = []
    token = verb
    for _ in range(_MAX_DEPTH):
        found = controller(token, lists)
        if found is None:
            if token is verb or token.dep_ not in _COMPLEMENT_DEPS:
                break
            token = token.head  # "are determined": the copula has the subject
            chain.append((token, "host"))
            continue
        token = found[0]
        chain.append(found)
        if found[1] != "subject":  # an object lent: the chain ends at its lender
            break
    return chain


def inherited_subject(verb: Token, lists: Mapping[str, Sequence[str]]) -> Token | None:
    """The subject a controlled ``verb`` shares with the top of its :func:`control_chain`: that word's
    object for object control, else its subject."""
    chain = control_chain(verb, lists)
    if not chain:
        return None
    top, part = chain[-1]
    if part == PREPOSITIONAL_OBJECT:
        return _prepositional_object(top, lists)
    deps = {"dobj"} if part == "object" else {"nsubj", "nsubjpass"}
    return next((child for child in top.children if child.dep_ in deps), None)


def control_edges(doc: Doc, lexicon: Lexicon) -> list[tuple[int, int, str]]:
    """The virtual edges that lend controlled clauses their subjects, as ``(verb, subject, label)`` for
    :class:`~graphkit.extract.treematch.TreeTable`; and, for an object-control verb whose object the
    parser took for the infinitive's subject ("helped [the army to retake]", "help [Ukraine defend]"), that
    subject as the verb's object (label ``dobj``) — not for a verb of ``exceptional_case_verbs``, whose
    object belongs to the clause alone ("wants [foreign forces to leave]")."""
    lists = lexicon.pattern_lists
    edges = []
    for token in doc:
        if token.pos_ not in _VERB_POS:
            continue
        subject = inherited_subject(token, lists)
        if subject is not None:
            passive = any(child.dep_ == "auxpass" for child in token.children)
            edges.append((token.i, subject.i, "nsubjpass" if passive else "nsubj"))
        lemma = token.lemma_.lower()
        # "wants foreign forces to leave": the forces are the wish's, not the Taliban's object
        lends = lemma in lists["object_control_verbs"] and lemma not in lists["exceptional_case_verbs"]
        if lends and not any(child.dep_ == "dobj" for child in token.children):
            for clause in token.children:  # "helped the army to retake", "help Ukraine defend itself"
                to = any(child.dep_ == "aux" and child.lower_ == "to" for child in clause.children)
                if clause.dep_ == "ccomp" and (to or clause.tag_ == "VB"):
                    edges += [(token.i, c.i, "dobj") for c in clause.children if c.dep_ == "nsubj"]
    return edges


class RelationMatcher:
    """Runs validated :class:`RelationPattern` s over parsed documents.

    Parameters
    ----------
    patterns : sequence of RelationPattern
        Compiled once (see :mod:`graphkit.extract.treematch` for the pattern subset supported).

    Raises
    ------
    PatternError
        Naming the pattern that uses an unsupported operator or attribute.
    """

    def __init__(self, patterns: Sequence[RelationPattern], lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon or load_lexicon()
        self._compiled: list[tuple[RelationPattern, TreePattern]] = []
        for pattern in patterns:
            try:
                self._compiled.append((pattern, TreePattern(pattern.pattern)))
            except (ValueError, KeyError) as error:
                raise PatternError(f"pattern {pattern.id!r} cannot be compiled: {error}") from error

    def match(self, doc: Doc) -> list[Match]:
        """Return every match in ``doc`` that also meets its pattern's constraints, in a stable order."""
        table = TreeTable(doc, control_edges(doc, self.lexicon))
        found: list[Match] = []
        for pattern, compiled in self._compiled:
            seen = set()
            for bound in compiled.matches(table):
                token_ids = tuple(map(table.token, bound))
                if len(set(token_ids)) < len(token_ids) or token_ids in seen:
                    continue  # a token bound twice, as itself and as a controlled clause's subject
                seen.add(token_ids)
                names = pattern.node_names
                candidate = Match(
                    pattern=pattern,
                    nodes=tuple(zip(names, token_ids, strict=True)),
                    controlled=tuple(n for n, i in zip(names, bound, strict=True) if i >= table.size),
                )
                if all(self._meets(table, candidate, c) for c in pattern.constraints):
                    found.append(candidate)
        found.sort(key=lambda m: (sorted(i for _, i in m.nodes), m.pattern.id))
        return _drop_superseded(found)

    def _meets(self, table: TreeTable, match: Match, constraint: Constraint) -> bool:
        deps = table.columns["dep"]  # a clause's own children: not a subject lent by its controller
        children = [child for child in table.children[match.token(constraint.node)] if child < table.size]
        if any(deps[child] in constraint.no_child_dep for child in children):
            return False
        if constraint.not_object_complement is None:
            return True
        preposition = match.token(constraint.not_object_complement)
        nouns = self.lexicon.pattern_lists["object_complement_nouns"].get(table.columns["lower"][preposition])
        objects = [child for child in children if deps[child] == "dobj"]
        return not nouns or not any(_takes(table, noun, preposition, nouns) for noun in objects)


def _takes(table: TreeTable, noun: int, preposition: int, nouns: Sequence[str]) -> bool:
    """Whether ``preposition``, after ``noun``, begins a complement of that noun or of what it counts
    through "of" ("two of the pipelines to Greece")."""
    for _ in range(_MAX_DEPTH):
        if noun > preposition:
            return False
        if table.columns["lemma"][noun].lower() in nouns:
            return True
        of = [c for c in table.children[noun] if c < table.size and table.columns["lower"][c] == "of"]
        counted = [c for c in table.children[of[0]] if table.columns["dep"][c] == "pobj"] if of else []
        if not counted:
            return False
        noun = counted[0]
    return False


def _head(match: Match) -> int:
    return match.token(match.pattern.predicate[0])


def _drop_superseded(matches: list[Match]) -> list[Match]:
    """A specific reading replaces a general one of the same clause ("had meetings with X" is met X, not
    had meetings): a match is dropped when another match on the same head ``supersedes`` its pattern."""
    superseded = {(pid, _head(m)) for m in matches for pid in m.pattern.supersedes}
    return [m for m in matches if (m.pattern.id, _head(m)) not in superseded]
