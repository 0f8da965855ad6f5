"""Matching relation patterns against a parse: which tokens play subject, predicate and object."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc

from graphkit.errors import PatternError
from graphkit.extract.patterns import RelationPattern


@dataclass(frozen=True)
class Match:
    """One pattern matched in a document: the token index bound to each of the pattern's nodes."""

    pattern: RelationPattern
    nodes: tuple[tuple[str, int], ...]

    def token(self, name: str) -> int:
        return dict(self.nodes)[name]


class RelationMatcher:
    """Runs validated :class:`RelationPattern` s over parsed documents.

    Parameters
    ----------
    vocab : spacy Vocab
        The pipeline's vocabulary.
    patterns : sequence of RelationPattern
    """

    def __init__(self, vocab: Language, patterns: Sequence[RelationPattern]) -> None:
        self._matcher = DependencyMatcher(vocab)
        self._patterns = {p.id: p for p in patterns}
        for pattern in patterns:
            try:
                self._matcher.add(pattern.id, [list(pattern.pattern)])
            except ValueError as error:
                first_line = str(error).strip().splitlines()[0]
                message = f"pattern {pattern.id!r} is not a valid DependencyMatcher pattern: {first_line}"
                raise PatternError(message) from error

    def match(self, doc: Doc) -> list[Match]:
        """Return every match in ``doc`` that also meets its pattern's constraints, in a stable order."""
        found: list[Match] = []
        for match_id, token_ids in self._matcher(doc):
            pattern = self._patterns[doc.vocab.strings[match_id]]
            nodes = tuple(zip(pattern.node_names, token_ids, strict=True))
            candidate = Match(pattern=pattern, nodes=nodes)
            if all(_meets(doc, candidate, c.node, c.no_child_dep) for c in pattern.constraints):
                found.append(candidate)
        found.sort(key=lambda m: (sorted(i for _, i in m.nodes), m.pattern.id))
        return _drop_superseded(found)


def _meets(doc: Doc, match: Match, node: str, no_child_dep: tuple[str, ...]) -> bool:
    return not any(child.dep_ in no_child_dep for child in doc[match.token(node)].children)


def _head(match: Match) -> int:
    return match.token(match.pattern.predicate[0])


def _drop_superseded(matches: list[Match]) -> list[Match]:
    """A specific reading replaces a general one of the same clause ("had meetings with X" is met X, not
    had meetings): a match is dropped when another match on the same head ``supersedes`` its pattern."""
    superseded = {(pid, _head(m)) for m in matches for pid in m.pattern.supersedes}
    return [m for m in matches if (m.pattern.id, _head(m)) not in superseded]
