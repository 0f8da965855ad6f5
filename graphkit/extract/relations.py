"""Matching relation patterns against a parse: which tokens play subject, predicate and object."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc

from graphkit.errors import PatternError
from graphkit.extract.patterns import RelationPattern
from graphkit.extract.treematch import TreePattern, TreeTable


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
    patterns : sequence of RelationPattern
        Compiled once (see :mod:`graphkit.extract.treematch` for the pattern subset supported).

    Raises
    ------
    PatternError
        Naming the pattern that uses an unsupported operator or attribute.
    """

    def __init__(self, patterns: Sequence[RelationPattern]) -> None:
        self._compiled: list[tuple[RelationPattern, TreePattern]] = []
        for pattern in patterns:
            try:
                self._compiled.append((pattern, TreePattern(pattern.pattern)))
            except (ValueError, KeyError) as error:
                raise PatternError(f"pattern {pattern.id!r} cannot be compiled: {error}") from error

    def match(self, doc: Doc) -> list[Match]:
        """Return every match in ``doc`` that also meets its pattern's constraints, in a stable order."""
        table = TreeTable(doc)
        found: list[Match] = []
        for pattern, compiled in self._compiled:
            for token_ids in compiled.matches(table):
                candidate = Match(
                    pattern=pattern, nodes=tuple(zip(pattern.node_names, token_ids, strict=True))
                )
                if all(_meets(table, candidate, c.node, c.no_child_dep) for c in pattern.constraints):
                    found.append(candidate)
        found.sort(key=lambda m: (sorted(i for _, i in m.nodes), m.pattern.id))
        return _drop_superseded(found)


def _meets(table: TreeTable, match: Match, node: str, no_child_dep: tuple[str, ...]) -> bool:
    deps = table.columns["dep"]
    return not any(deps[child] in no_child_dep for child in table.children[match.token(node)])


def _head(match: Match) -> int:
    return match.token(match.pattern.predicate[0])


def _drop_superseded(matches: list[Match]) -> list[Match]:
    """A specific reading replaces a general one of the same clause ("had meetings with X" is met X, not
    had meetings): a match is dropped when another match on the same head ``supersedes`` its pattern."""
    superseded = {(pid, _head(m)) for m in matches for pid in m.pattern.supersedes}
    return [m for m in matches if (m.pattern.id, _head(m)) not in superseded]
