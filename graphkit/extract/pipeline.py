"""The extraction stage: documents in, :class:`~graphkit.types.Extraction` records out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.tokens import Doc

from graphkit.extract.classify import (
    PairClassifier,
    candidate_pairs,
    classifier_triples,
    load_relation_classifier,
)
from graphkit.extract.coref import resolve
from graphkit.extract.lexicon import Lexicon, load_lexicon
from graphkit.extract.mentions import Mention, find_mentions
from graphkit.extract.nlp import DEFAULT_MODEL, load_pipeline
from graphkit.extract.openie import open_triples
from graphkit.extract.patterns import load_patterns
from graphkit.extract.relations import RelationMatcher
from graphkit.extract.triples import ArgumentResolver, build_triples
from graphkit.types import Document, Extraction


class Extractor:
    """Parses documents with spaCy and extracts actor triples with their provenance.

    Parameters
    ----------
    model : str
        spaCy pipeline package name or directory (default: the packaged English model).
    patterns : path, optional
        A relation pattern file to use instead of the packaged one.
    open_arguments : bool
        Open mode: keep arguments that name no actor ("talks", "chemical weapons") as noun phrases of the
        generic class ``Actor``, for open information extraction. Off by default: triples hold actors.
    classifier : bool or PairClassifier
        The relation classifier for the actor pairs of a sentence the patterns leave unlinked (and the
        category of a pattern's triple that has none): ``True`` (default) loads the one that goes with
        ``model`` (:func:`~graphkit.extract.classify.load_relation_classifier`), ``False`` extracts with the
        patterns alone.

    Examples
    --------
    >>> extraction = Extractor().extract(Document("a", "Rebels killed ten soldiers."))
    >>> [t.predicate.label for t in extraction.triples]
    ['killed']
    """

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        patterns: str | Path | None = None,
        *,
        open_arguments: bool = False,
        classifier: bool | PairClassifier = True,
    ) -> None:
        self.model = model
        self.open_arguments = open_arguments
        self.nlp = load_pipeline(model)
        self.matcher = RelationMatcher(load_patterns(patterns))
        self.lexicon = load_lexicon()
        if classifier is True:
            classifier = load_relation_classifier(model)
        # a classifier reading doc.tensor falls back to its sparse weights when nlp's tensor is another
        self.classifier: PairClassifier | None = classifier.for_pipeline(self.nlp) if classifier else None

    def from_doc(self, document: Document, doc: Doc) -> Extraction:
        """Extract from an already parsed ``doc`` of ``document``."""
        mentions, resolver = actor_mentions(document, doc, self.lexicon, open_arguments=self.open_arguments)
        triples, actors = build_triples(doc, self.matcher.match(doc), resolver, document.id)
        if self.classifier is not None:
            candidates = candidate_pairs(doc, mentions, resolver)
            triples, found, more = classifier_triples(
                doc, candidates, self.classifier, resolver, document.id, triples
            )
            triples = sorted(
                [*triples, *found],
                key=lambda t: (t.provenance.sentence, t.predicate.start, t.subject.start, t.object.start),
            )
            actors = {**more, **actors}
        if self.open_arguments:  # open mode: every clause of a sentence, not only the patterns' relations
            triples, more = open_triples(doc, resolver, document.id, triples)
            actors = {**more, **actors}
        return Extraction(
            document=document,
            sentences=sum(1 for s in resolver.sentences if s.text.strip()),
            actors=tuple(sorted(actors.values(), key=lambda a: a.key)),
            triples=tuple(triples),
        )

    def extract(self, document: Document) -> Extraction:
        """Extract the triples of one document."""
        return next(self.extract_many([document]))

    def extract_many(
        self, documents: Iterable[Document], batch_size: int = 16, n_process: int = 1
    ) -> Iterator[Extraction]:
        """Extract from a stream of documents, parsing them in batches with ``nlp.pipe``, in order.

        ``n_process`` parses with that many processes (spaCy's multiprocessing). A document longer than
        the pipeline's ``max_length`` is parsed in pieces cut at line breaks and joined back into one
        ``Doc``, so its offsets still point into its whole text.
        """
        limit = self.nlp.max_length

        def pieces() -> Iterator[tuple[str, tuple[Document, bool]]]:
            for document in documents:
                parts = split_text(document.text, limit)
                for number, part in enumerate(parts, start=1):
                    yield part, (document, number == len(parts))

        parsed: list[Doc] = []
        stream = self.nlp.pipe(pieces(), as_tuples=True, batch_size=batch_size, n_process=n_process)
        for doc, (document, last) in stream:
            parsed.append(doc)
            if last:
                whole = parsed[0] if len(parsed) == 1 else Doc.from_docs(parsed, ensure_whitespace=False)
                parsed = []
                yield self.from_doc(document, whole)


def actor_mentions(
    document: Document, doc: Doc, lexicon: Lexicon, *, open_arguments: bool = False
) -> tuple[list[Mention], ArgumentResolver]:
    """The actor mentions of a parsed document and the resolver that maps them (and any token) to actors
    through coreference: what the patterns and the relation classifier both work from."""
    mentions = find_mentions(doc, lexicon)
    _, chain_of = resolve(mentions, lexicon, document.id, publisher=document.source)
    resolver = ArgumentResolver(doc, mentions, chain_of, lexicon, document.id, open_arguments=open_arguments)
    return mentions, resolver


def split_text(text: str, limit: int) -> list[str]:
    r"""Cut ``text`` into pieces of at most ``limit`` characters that join back into it exactly, cutting
    after a paragraph break, else a line break, else a sentence end, else a space when it can.

    >>> split_text("One. Two.\n\nThree.", 12)
    ['One. Two.\n\n', 'Three.']
    >>> "".join(split_text("x" * 25, 10)) == "x" * 25
    True
    """
    pieces = []
    while len(text) > limit:
        window = text[:limit]
        ends = (window.rfind(mark) + len(mark) for mark in ("\n\n", "\n", ". ", " ") if mark in window)
        cut = next((end for end in ends if end > limit // 2), limit)
        pieces.append(text[:cut])
        text = text[cut:]
    return [*pieces, text]
