"""Hand-written relations a careful reader sees in one article, and which of them an extraction found.

A list of expected relations is a small JSON file (``tests/fixtures/seed_relations.json`` is the seed
article's): ``{"relations": [{"sentence": 1, "subject": ["rebels"], "predicate": ["kill"], "object":
["Jamaa", "officer"]}, ...]}``. A triple matches an expected relation when it comes from that sentence
(numbered from 0, as graphkit numbers them), its subject label contains one of ``subject``, its object
label one of ``object`` (case-insensitive) and its predicate's label or lemma one of ``predicate``. The
direction counts: a relation read backwards is not found. Any other key of an entry (``issue``: named by
an issue's list) is kept as a tag.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from graphkit.errors import InputError
from graphkit.types import Extraction, Triple

__all__ = ["ExpectedRelation", "found_relations", "read_expected"]


@dataclass(frozen=True)
class ExpectedRelation:
    """One relation a reader expects: the sentence and the words each part must contain (any one of)."""

    sentence: int
    subject: tuple[str, ...]
    predicate: tuple[str, ...]
    object: tuple[str, ...]
    tags: dict[str, object] = field(default_factory=dict, compare=False, hash=False)

    def __str__(self) -> str:
        return f"{self.subject[0]} -{self.predicate[0]}-> {self.object[0]} (sentence {self.sentence})"

    def matches(self, triple: Triple) -> bool:
        """Whether ``triple`` states this relation (see the module's docstring).

        >>> from graphkit.types import Argument, Predicate, Provenance
        >>> def argument(label):
        ...     return Argument(label, label, "Group", label, 0, 1)
        >>> triple = Triple(argument("rebels"), Predicate("killed", "kill", "killed", 0, 1),
        ...                 argument("Jamaa Jamaa"), Provenance("d", 1, "", 0, 1, "p"), 0.6)
        >>> ExpectedRelation(1, ("Rebels",), ("kill",), ("jamaa",)).matches(triple)
        True
        >>> ExpectedRelation(1, ("Jamaa",), ("kill",), ("rebels",)).matches(triple)
        False
        """
        predicate = f"{triple.predicate.label}\n{triple.predicate.lemma}".lower()
        return (
            triple.provenance.sentence == self.sentence
            and _contains(triple.subject.label, self.subject)
            and _contains(triple.object.label, self.object)
            and any(word.lower() in predicate for word in self.predicate)
        )


def _contains(label: str, words: Iterable[str]) -> bool:
    return any(word.lower() in label.lower() for word in words)


def read_expected(path: str | Path) -> list[ExpectedRelation]:
    """Read a JSON file of expected relations (see the module's docstring).

    Raises
    ------
    InputError
        When the file is missing or not JSON, or an entry lacks a part or gives it as something other than
        a list of strings.
    """
    path = Path(path)
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))["relations"]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as error:
        raise InputError(
            f"cannot read expected relations from {str(path)!r} ({error}); "
            'give a JSON object {"relations": [...]}'
        ) from error
    relations = []
    for number, entry in enumerate(entries, start=1):
        parts = {}
        for part in ("subject", "predicate", "object"):
            words = entry.get(part) if isinstance(entry, dict) else None
            if not (isinstance(words, list) and words and all(isinstance(w, str) and w for w in words)):
                raise InputError(f"{path.name} relation {number}: {part!r} must be a list of words")
            parts[part] = tuple(words)
        if not isinstance(entry.get("sentence"), int):
            raise InputError(f"{path.name} relation {number}: 'sentence' must be a sentence number")
        tags = {k: v for k, v in entry.items() if k not in {"sentence", *parts}}
        relations.append(ExpectedRelation(entry["sentence"], tags=tags, **parts))
    return relations


def found_relations(
    extraction: Extraction, expected: Sequence[ExpectedRelation]
) -> list[tuple[ExpectedRelation, Triple | None]]:
    """Each expected relation with the first triple of ``extraction`` that states it, or ``None``."""
    return [
        (relation, next((t for t in extraction.triples if relation.matches(t)), None))
        for relation in expected
    ]
