"""The records that flow between graphkit's stages.

Plain frozen dataclasses with no spaCy, rdflib or networkx in them: every stage takes these in and hands
these on, so a stage can be tested, replaced or run in another process on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Document:
    """One news article.

    Parameters
    ----------
    id : str
        Stable document id (from the input's ``id`` field, else file name and line number).
    text : str
        The article's full text; every character offset in graphkit points into it.
    title, date, url, source : str or None
        Optional metadata, carried into provenance.

    Examples
    --------
    >>> Document(id="a1", text="Rebels killed an officer.").id
    'a1'
    """

    id: str
    text: str
    title: str | None = None
    date: str | None = None
    url: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class Actor:
    """Someone or something that acts in the news: a person, organisation, place or group.

    ``key`` is the canonical alias key (see :func:`graphkit.identity.alias_key`); actor IRIs are minted
    from it, so the same actor gets the same IRI in every document and every run.
    """

    key: str
    label: str
    type: str
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Argument:
    """One end of a relation: the actor, and the words that stand for it in this sentence.

    ``start``/``end`` are character offsets into the document's text of the mention in this sentence
    (for "he", the span of "he"); ``label``/``key``/``type`` are those of the actor it refers to.
    """

    label: str
    key: str
    type: str
    text: str
    start: int
    end: int
    quantity: str | None = None


@dataclass(frozen=True)
class Predicate:
    """What the subject did to the object.

    ``label`` is a readable past-tense phrase ("commanded", "pushed for"), ``lemma`` its base form
    ("command", "push for"), ``text``/``start``/``end`` the words in the sentence it came from.
    """

    label: str
    lemma: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Provenance:
    """Where a triple came from: the document, the sentence (index and character span) and the rule."""

    doc_id: str
    sentence: int
    evidence: str
    sentence_start: int
    sentence_end: int
    pattern: str


@dataclass(frozen=True)
class Triple:
    """One relation between two actors, with its evidence.

    ``negated`` is true for a denied relation ("did not attack"); ``modality`` keeps a hedge or a
    controlling verb ("could", "would", "agreed", "threatened"); ``attribution`` is the actor the claim is
    reported from ("the Observatory said...", "according to state television").
    """

    subject: Argument
    predicate: Predicate
    object: Argument
    provenance: Provenance
    confidence: float
    negated: bool = False
    modality: str | None = None
    attribution: Argument | None = None


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one document."""

    document: Document
    sentences: int
    actors: tuple[Actor, ...] = ()
    triples: tuple[Triple, ...] = ()


@dataclass(frozen=True)
class BuildSummary:
    """What a build did, for the closing line of ``graphkit build``."""

    documents: int
    sentences: int
    actors: int
    relations: int
    seconds: float
    outputs: dict[str, str] = field(default_factory=dict)
