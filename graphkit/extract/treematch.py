"""A small dependency-tree matcher for the subset of spaCy's ``DependencyMatcher`` patterns graphkit uses.

Patterns keep spaCy's format (``RIGHT_ID``, ``RIGHT_ATTRS``, ``LEFT_ID``, ``REL_OP``), so they stay
readable to anyone who knows spaCy; matching them here is several times faster than spaCy's general
matcher on graphkit's pattern set, because each pattern starts from the few tokens that can anchor it
(looked up by part of speech, lemma or dependency label) and then only walks children and descendants,
where a node that names its values tests set membership against the tokens looked up for it (once, when
first reached, by its most selective value list). A pattern
whose words the document lacks ("at the hands of" in an article without "hands") is skipped outright.

A table may carry *virtual edges*: a token hung under another token a second time, with a dependency label
of its own ("supporting" in "Russia decided to start supporting the regime" gets "Russia" as an ``nsubj``
child). The copy is a node of the table (after the document's tokens) that only its new head reaches, as an
immediate child: it anchors no pattern and is no descendant, so ``>>`` walks the parse as it stands; its
own children are the token's. :meth:`TreeTable.token` maps a bound node back to its token.

Supported: the operators ``>`` (immediate child) and ``>>`` (descendant); the attributes ``ORTH``,
``TEXT``, ``LOWER``, ``LEMMA``, ``POS``, ``TAG``, ``DEP`` and ``ENT_TYPE``, each a string or a dict with
``IN`` and/or ``NOT_IN`` lists. Different nodes bind different tokens, as in spaCy. Anything else is
refused when the pattern is compiled, naming what is supported.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc

OPERATORS = (">", ">>")
ATTRIBUTES = {
    "ORTH": "orth",
    "TEXT": "orth",
    "LOWER": "lower",
    "LEMMA": "lemma",
    "POS": "pos",
    "TAG": "tag",
    "DEP": "dep",
    "ENT_TYPE": "ent_type",
}
_ARRAY_COLUMNS = {
    "orth": "ORTH",
    "lower": "LOWER",
    "lemma": "LEMMA",
    "pos": "POS",
    "tag": "TAG",
    "dep": "DEP",
    "ent_type": "ENT_TYPE",
}
# Attributes that index tokens, in order of preference, to find a pattern's anchor candidates quickly.
_INDEXED = ("lemma", "lower", "pos", "dep", "tag")
_UNSET: Any = object()
# Attributes whose accepted values a document often lacks altogether: checked before any matching.
_SELECTIVE = ("lemma", "lower", "orth")


class TreeTable:
    """One parsed document as plain columns: what the matcher reads, extracted once per document.

    Parameters
    ----------
    doc : Doc
        The parsed document.
    virtual : sequence of (head, token, dependency label)
        Extra edges: ``token`` hung under ``head`` with the given label (see the module docstring).
    """

    def __init__(self, doc: Doc, virtual: Sequence[tuple[int, int, str]] = ()) -> None:
        # One array read instead of a Token object per token and attribute: the hashes are turned into
        # strings once per distinct value.
        values = doc.to_array([*_ARRAY_COLUMNS.values(), "HEAD"])
        relative_heads = values[:, -1].astype("int64").tolist() if len(doc) else []  # stored unsigned
        strings = doc.vocab.strings
        self.columns: dict[str, list[str]] = {}
        for position, column in enumerate(_ARRAY_COLUMNS):
            hashes = values[:, position].tolist() if len(doc) else []
            names = {value: strings[value] if value else "" for value in set(hashes)}
            self.columns[column] = list(map(names.__getitem__, hashes))
        heads = [i + offset for i, offset in enumerate(relative_heads)]  # HEAD is relative to the token
        self.size = len(heads)  # the document's tokens; virtual nodes come after them
        self.children: list[list[int]] = [[] for _ in heads]
        for i, head in enumerate(heads):
            if head != i:
                self.children[head].append(i)
        self.origin = list(range(self.size))  # the token each node stands for
        for head, token, dep in virtual:
            node = len(self.origin)
            self.origin.append(token)
            for column, values in self.columns.items():
                values.append(dep if column == "dep" else values[token])
            self.children.append(list(self.children[token]))
            self.children[head].append(node)
        self._index: dict[str, dict[str, list[int]]] = {}
        self._descendants: dict[int, list[int]] = {}
        # the tokens a node may bind, by the node's attributes: patterns share many nodes ("a subject")
        self.bindable: dict[tuple[bool, str], Any] = {}

    def __len__(self) -> int:
        return len(self.children)

    def token(self, node: int) -> int:
        """The document token a node stands for (itself, unless the node is virtual)."""
        return self.origin[node]

    def index(self, column: str) -> dict[str, list[int]]:
        """Token positions by value of ``column`` (built on first use)."""
        if column not in self._index:
            positions: dict[str, list[int]] = defaultdict(list)
            for i, value in enumerate(self.columns[column]):
                positions[value].append(i)
            self._index[column] = positions
        return self._index[column]

    def descendants(self, i: int) -> list[int]:
        if i not in self._descendants:
            found, stack = [], list(self.children[i])
            while stack:
                j = stack.pop()
                if j < self.size:  # a virtual node is reached only as its head's immediate child
                    found.append(j)
                    stack.extend(self.children[j])
            self._descendants[i] = sorted(found)
        return self._descendants[i]


Test = Callable[[TreeTable, int], bool]


def _value_test(column: str, spec: Any, where: str) -> tuple[Test, set[str] | None]:
    """A test of one attribute, and the set of values it accepts when that set is finite."""
    if isinstance(spec, str):
        return (lambda table, i: table.columns[column][i] == spec), {spec}
    if not isinstance(spec, dict) or not spec or set(spec) - {"IN", "NOT_IN"}:
        raise ValueError(f"{where}: {spec!r} must be a string or a dict with IN and/or NOT_IN")
    allowed = frozenset(spec["IN"]) if "IN" in spec else None
    refused = frozenset(spec.get("NOT_IN", ()))

    def test(table: TreeTable, i: int) -> bool:
        value = table.columns[column][i]
        return (allowed is None or value in allowed) and value not in refused

    return test, (set(allowed) - refused if allowed is not None else None)


@dataclass(frozen=True)
class _Node:
    name: str
    left: int | None  # position of the node this one hangs from
    operator: str | None
    tests: tuple[Test, ...]
    anchors: tuple[str, frozenset[str]] | None  # (indexed column, accepted values) for the first node
    finite: tuple[tuple[str, frozenset[str]], ...]  # every indexed column whose accepted values are listed
    key: str  # its attributes, written out: nodes of the same key accept the same tokens

    def accepts(self, table: TreeTable, i: int) -> bool:
        return all(test(table, i) for test in self.tests)


class TreePattern:
    """One compiled pattern.

    Raises
    ------
    ValueError
        On an unsupported operator or attribute, or a node hanging from a node not yet defined.
    """

    def __init__(self, steps: Sequence[dict[str, Any]]) -> None:
        names: list[str] = []
        nodes: list[_Node] = []
        required: list[tuple[str, frozenset[str]]] = []
        for position, step in enumerate(steps):
            name = step["RIGHT_ID"]
            where = f"node {name!r}"
            tests, finite = [], {}
            for attribute, spec in step.get("RIGHT_ATTRS", {}).items():
                if attribute not in ATTRIBUTES:
                    raise ValueError(
                        f"{where}: attribute {attribute} is not supported; use {', '.join(ATTRIBUTES)}"
                    )
                test, values = _value_test(ATTRIBUTES[attribute], spec, where)
                tests.append(test)
                if values is not None:
                    finite[ATTRIBUTES[attribute]] = frozenset(values)
            left = operator = None
            if position:
                operator = step.get("REL_OP")
                if operator not in OPERATORS:
                    raise ValueError(
                        f"{where}: operator {operator!r} is not supported; use {', '.join(OPERATORS)}"
                    )
                if step.get("LEFT_ID") not in names:
                    raise ValueError(f"{where}: LEFT_ID {step.get('LEFT_ID')!r} is not an earlier node")
                left = names.index(step["LEFT_ID"])
            anchors = next(((c, finite[c]) for c in _INDEXED if c in finite), None) if not position else None
            indexed = tuple((c, finite[c]) for c in _INDEXED if c in finite)
            names.append(name)
            key = json.dumps(step.get("RIGHT_ATTRS", {}), sort_keys=True)
            nodes.append(_Node(name, left, operator, tuple(tests), anchors, indexed, key))
            required += [(column, finite[column]) for column in _SELECTIVE if column in finite]
        self.nodes = tuple(nodes)
        # words the document must hold for any match: a pattern for "at the hands of" skips the articles
        # without "hands" before walking a single tree
        self.required = tuple(required)

    def _anchor_candidates(self, table: TreeTable) -> list[int]:
        first = self.nodes[0]
        found = table.bindable.get((True, first.key))
        if found is None:
            if first.anchors is None:
                candidates: Sequence[int] = range(table.size)
            else:
                column, values = first.anchors
                index = table.index(column)
                candidates = sorted(i for value in values for i in index.get(value, ()) if i < table.size)
            found = table.bindable[True, first.key] = [i for i in candidates if first.accepts(table, i)]
        return found

    def _bindable(self, table: TreeTable, node: _Node) -> frozenset[int] | None:
        """Every token ``node`` may bind, looked up by the most selective of its named values, so the walk
        tests set membership instead of every attribute; ``None`` when it names no values."""
        if not node.finite:
            return None
        if (False, node.key) in table.bindable:
            return table.bindable[False, node.key]
        lookups = [(table.index(column), values) for column, values in node.finite]
        index, values = min(lookups, key=lambda lookup: sum(len(lookup[0].get(v, ())) for v in lookup[1]))
        found = frozenset(i for v in values for i in index.get(v, ()) if node.accepts(table, i))
        table.bindable[False, node.key] = found
        return found

    def possible(self, table: TreeTable) -> bool:
        """Whether the document holds, for every node that names its words, one of them."""
        # the view of the index's keys looks up the fewer of the two sides' values in the other
        return all(not table.index(column).keys().isdisjoint(values) for column, values in self.required)

    def matches(self, table: TreeTable) -> list[tuple[int, ...]]:
        """Every binding of the pattern's nodes to distinct nodes, in node order (map a virtual node to its
        token with :meth:`TreeTable.token`)."""
        if not self.possible(table):
            return []
        found: list[tuple[int, ...]] = []
        bindable: list[frozenset[int] | None] = [_UNSET] * len(self.nodes)  # looked up when first needed
        for anchor in self._anchor_candidates(table):
            self._extend(table, bindable, [anchor], found)
        return found

    def _extend(
        self,
        table: TreeTable,
        bindable: list[frozenset[int] | None],
        bound: list[int],
        found: list[tuple[int, ...]],
    ) -> None:
        if len(bound) == len(self.nodes):
            found.append(tuple(bound))
            return
        node = self.nodes[len(bound)]
        allowed = bindable[len(bound)]
        if allowed is _UNSET:
            allowed = bindable[len(bound)] = self._bindable(table, node)
        head = bound[node.left]  # type: ignore[index]
        reachable = table.children[head] if node.operator == ">" else table.descendants(head)
        for i in reachable:
            if i not in bound and (i in allowed if allowed is not None else node.accepts(table, i)):
                bound.append(i)
                self._extend(table, bindable, bound, found)
                bound.pop()
