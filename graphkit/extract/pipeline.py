"""The extraction stage: documents in, :class:`~graphkit.types.Extraction` records out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.tokens import Doc

from graphkit.extract.coref import resolve
from graphkit.extract.lexicon import load_lexicon
from graphkit.extract.mentions import find_mentions
from graphkit.extract.nlp import DEFAULT_MODEL, load_pipeline
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

    Examples
    --------
    >>> extraction = Extractor().extract(Document("a", "Rebels killed ten soldiers."))  # doctest: +SKIP
    >>> [t.predicate.label for t in extraction.triples]  # doctest: +SKIP
    ['killed']
    """

    def __init__(
        self, model: str = DEFAULT_MODEL, patterns: str | Path | None = None, *, open_arguments: bool = False
    ) -> None:
        self.model = model
        self.open_arguments = open_arguments
        self.nlp = load_pipeline(model)
        self.matcher = RelationMatcher(load_patterns(patterns))
        self.lexicon = load_lexicon()

    def from_doc(self, document: Document, doc: Doc) -> Extraction:
        """Extract from an already parsed ``doc`` of ``document``."""
        mentions = find_mentions(doc, self.lexicon)
        _, chain_of = resolve(mentions, self.lexicon, document.id)
        resolver = ArgumentResolver(
            doc, mentions, chain_of, self.lexicon, document.id, open_arguments=self.open_arguments
        )
        triples, actors = build_triples(doc, self.matcher.match(doc), resolver, document.id)
        return Extraction(
            document=document,
            sentences=sum(1 for s in resolver.sentences if s.text.strip()),
            actors=tuple(sorted(actors.values(), key=lambda a: a.key)),
            triples=tuple(triples),
        )

    def extract(self, document: Document) -> Extraction:
        """Extract the triples of one document."""
        return self.from_doc(document, self.nlp(document.text))

    def extract_many(self, documents: Iterable[Document], batch_size: int = 16) -> Iterator[Extraction]:
        """Extract from a stream of documents, parsing them in batches with ``nlp.pipe``."""
        pairs = ((document.text, document) for document in documents)
        for doc, document in self.nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
            yield self.from_doc(document, doc)
