"""Relation patterns as data: loading and validating ``data/patterns.jsonl``.

Each line is one pattern::

    {"id": "active-svo", "description": "...",
     "pattern": [... spaCy DependencyMatcher pattern ...],
     "subject": "subj", "object": "obj", "predicate": ["verb"],
     "lemma": "command", "label": "commanded",          # optional: a fixed, normalized predicate
     "qualifiers": ["charge"],              # optional: nodes whose place modifiers qualify the object
     "constraints": [{"node": "verb", "no_child_dep": ["nsubj"]},     # optional
                     {"node": "verb", "not_object_complement": "prep"}],
     "lemma_from": {"node": "noun", "table": "light_verb_nouns"},     # optional: predicate from a table
     "voice": "passive",                    # optional: label "was <participle>", lemma "be <lemma>"
     "phrase": true,                        # optional: a role noun keeps its compounds ("prime minister")
     "suffix": "of",                        # optional: a word appended to the predicate ("minister of")
     "modality": "control",                 # optional: the node whose word qualifies the relation ("agreed")
     "supersedes": ["active-svo"],          # optional: drop these patterns' matches on the same head
     "object_types": ["Organization"],      # optional: the classes the object's actor must have
     "own_words": ["obj"],                  # optional: nodes that stand for themselves, not their owner
     "confidence": 0.8}

``subject``, ``object``, every ``predicate`` node, every qualifier and every constraint name a node of
``pattern`` (its ``RIGHT_ID``). The first predicate node is the head of the clause: negation is read from it.
Inside ``IN`` / ``NOT_IN``, a string ``"@name"`` stands for the lexicon's word list ``pattern_lists[name]``,
or for ``@member_nouns``, the nouns that stand for their group ("fighters of X").

A constraint checks what the matcher cannot say: ``no_child_dep``, that the node has no child with one of
these dependencies; ``not_object_complement``, that the preposition bound to the named node is not the
complement of the node's direct object, read off the parse's misattachment: the lexicon's
``pattern_lists["object_complement_nouns"]`` lists, by preposition, the nouns that take a phrase of their
own with it ("supported the Amendment to the Constitution", "built a pipeline to Italy": the phrase is the
noun's, not the verb's argument). The object counts through "of" ("built two of the pipelines to
Greece") when the phrase follows it.

A node in ``own_words`` names what its own words name, not the owner or group they stand for elsewhere:
the tank of "an ISIL-held tank", the members of "70 members of the tribe" (see
:meth:`graphkit.extract.triples.ArgumentResolver.resolve_own`), so a pattern can relate the two.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphkit.errors import PatternError
from graphkit.extract.lexicon import Lexicon, load_lexicon
from graphkit.resources import data_file

_REQUIRED = ("id", "pattern", "subject", "object", "predicate", "confidence")
_CONSTRAINT_KINDS = ("no_child_dep", "not_object_complement")
_VOICES = ("active", "passive")


@dataclass(frozen=True)
class Constraint:
    """A condition the matcher cannot express: ``node`` has no child with a dependency in ``no_child_dep``,
    and no direct object whose own complement is the preposition node ``not_object_complement``."""

    node: str
    no_child_dep: tuple[str, ...] = ()
    not_object_complement: str | None = None


@dataclass(frozen=True)
class RelationPattern:
    """One validated relation pattern (see the module docstring for the fields)."""

    id: str
    pattern: tuple[dict[str, Any], ...]
    subject: str
    object: str
    predicate: tuple[str, ...]
    confidence: float
    lemma: str | None = None
    label: str | None = None
    qualifiers: tuple[str, ...] = ()
    constraints: tuple[Constraint, ...] = ()
    lemma_from: tuple[str, str] | None = None  # (node, lexicon table)
    voice: str = "active"
    phrase: bool = False
    suffix: str | None = None
    modality: str | None = None
    supersedes: tuple[str, ...] = ()  # ids of patterns whose matches on the same predicate head this replaces
    subject_types: tuple[str, ...] = ()  # classes the subject's actor must have (any when empty)
    object_types: tuple[str, ...] = ()
    own_words: tuple[str, ...] = ()  # nodes resolved to their own words ("an ISIL-held tank": the tank)
    description: str = ""

    @property
    def node_names(self) -> tuple[str, ...]:
        return tuple(step["RIGHT_ID"] for step in self.pattern)


def _fail(where: str, message: str) -> PatternError:
    return PatternError(f"{where}: {message}")


def _expand_lists(steps: list[dict[str, Any]], lexicon: Lexicon, where: str) -> list[dict[str, Any]]:
    """Replace ``"@name"`` in ``IN``/``NOT_IN`` with the lexicon's word list ``name``."""
    expanded = []
    for step in steps:
        attrs = {}
        for attr, value in step.get("RIGHT_ATTRS", {}).items():
            if isinstance(value, dict):
                value = dict(value)
                for op in ("IN", "NOT_IN"):
                    if isinstance(value.get(op), str) and value[op].startswith("@"):
                        name = value[op][1:]
                        lists = {**lexicon.pattern_lists, "member_nouns": lexicon.member_nouns}
                        if name not in lists:
                            known = ", ".join(sorted(lists))
                            raise _fail(where, f"unknown word list @{name}; known: {known}")
                        words = {w for w in lists[name] if not w.startswith("_")}  # a table's notes
                        if attr == "LEMMA":  # a proper noun keeps its case in its lemma ("Minister")
                            words |= {w[:1].upper() + w[1:] for w in words}
                        value[op] = sorted(words)
            attrs[attr] = value
        expanded.append({**step, "RIGHT_ATTRS": attrs})
    return expanded


def _check_table_covers(steps: list[dict[str, Any]], lemma_from: dict, lexicon: Lexicon, where: str) -> None:
    """A predicate taken from a table needs an entry for every lemma its node may match."""
    step = next(s for s in steps if s["RIGHT_ID"] == lemma_from["node"])
    lemmas = step.get("RIGHT_ATTRS", {}).get("LEMMA")
    allowed = lemmas.get("IN") if isinstance(lemmas, dict) else [lemmas] if isinstance(lemmas, str) else None
    if allowed is None:
        raise _fail(where, f'"lemma_from" node {lemma_from["node"]!r} needs a LEMMA or LEMMA IN list')
    table = getattr(lexicon, lemma_from["table"])
    missing = sorted({w.lower() for w in allowed} - set(table))
    if missing:
        table_name = lemma_from["table"]
        raise _fail(where, f"no {table_name} entry for {', '.join(missing)}: add them to lexicon.json")


def parse_pattern(entry: Any, where: str, lexicon: Lexicon | None = None) -> RelationPattern:
    """Validate one decoded pattern entry and return it as a :class:`RelationPattern`.

    Raises
    ------
    PatternError
        Naming ``where`` (file and line) and what is wrong.

    Examples
    --------
    >>> p = parse_pattern({"id": "svo", "subject": "s", "object": "o", "predicate": ["v"],
    ...     "confidence": 0.8, "pattern": [{"RIGHT_ID": "v", "RIGHT_ATTRS": {"POS": "VERB"}},
    ...     {"LEFT_ID": "v", "REL_OP": ">", "RIGHT_ID": "s", "RIGHT_ATTRS": {"DEP": "nsubj"}},
    ...     {"LEFT_ID": "v", "REL_OP": ">", "RIGHT_ID": "o", "RIGHT_ATTRS": {"DEP": "dobj"}}]}, "example")
    >>> p.node_names
    ('v', 's', 'o')
    """
    if not isinstance(entry, dict):
        raise _fail(where, "a pattern must be a JSON object")
    missing = [key for key in _REQUIRED if key not in entry]
    if missing:
        raise _fail(where, f"missing field(s) {', '.join(missing)}")
    steps = entry["pattern"]
    if not isinstance(steps, list) or not steps or not all(isinstance(s, dict) for s in steps):
        raise _fail(where, '"pattern" must be a non-empty list of DependencyMatcher steps')
    lexicon = lexicon or load_lexicon()
    steps = _expand_lists(steps, lexicon, where)
    names = [step.get("RIGHT_ID") for step in steps]
    if None in names or len(set(names)) != len(names):
        raise _fail(where, "every step needs a unique RIGHT_ID")
    predicate = entry["predicate"]
    if not isinstance(predicate, list) or not predicate:
        raise _fail(where, '"predicate" must be a non-empty list of node names')
    constraints = []
    for raw in entry.get("constraints", []):
        kinds = [k for k in raw if k != "node"]
        if "node" not in raw or any(k not in _CONSTRAINT_KINDS for k in kinds):
            raise _fail(where, f"constraint {raw} needs a 'node' and one of {', '.join(_CONSTRAINT_KINDS)}")
        constraints.append(
            Constraint(
                node=raw["node"],
                no_child_dep=tuple(raw.get("no_child_dep", ())),
                not_object_complement=raw.get("not_object_complement"),
            )
        )
    lemma_from = entry.get("lemma_from")
    if lemma_from is not None:
        table = lemma_from.get("table") if isinstance(lemma_from, dict) else None
        if table not in ("light_verb_nouns",) or "node" not in lemma_from:
            raise _fail(where, '"lemma_from" needs a "node" and "table": "light_verb_nouns"')
    voice = entry.get("voice", "active")
    if voice not in _VOICES:
        raise _fail(where, f'"voice" must be one of {", ".join(_VOICES)}, not {voice!r}')
    referenced = [entry["subject"], entry["object"], *predicate, *entry.get("qualifiers", [])]
    referenced += [c.node for c in constraints]
    referenced += [c.not_object_complement for c in constraints if c.not_object_complement]
    referenced += [lemma_from["node"]] if lemma_from else []
    referenced += [entry["modality"]] if entry.get("modality") else []
    referenced += list(entry.get("own_words", []))
    unknown = sorted({name for name in referenced if name not in names})
    if unknown:
        raise _fail(where, f"node(s) {', '.join(unknown)} not in the pattern; known: {', '.join(names)}")
    stray = [name for name in entry.get("own_words", []) if name not in (entry["subject"], entry["object"])]
    if stray:
        raise _fail(where, f'"own_words" may name the subject or object node only, not {", ".join(stray)}')
    if lemma_from is not None:
        _check_table_covers(steps, lemma_from, lexicon, where)
    confidence = entry["confidence"]
    if not isinstance(confidence, int | float) or not 0 <= confidence <= 1:
        raise _fail(where, f'"confidence" must be a number in [0, 1], not {confidence!r}')
    return RelationPattern(
        id=str(entry["id"]),
        pattern=tuple(steps),
        subject=entry["subject"],
        object=entry["object"],
        predicate=tuple(predicate),
        confidence=float(confidence),
        lemma=entry.get("lemma"),
        label=entry.get("label"),
        qualifiers=tuple(entry.get("qualifiers", ())),
        constraints=tuple(constraints),
        lemma_from=(lemma_from["node"], lemma_from["table"]) if lemma_from else None,
        voice=voice,
        phrase=bool(entry.get("phrase", False)),
        suffix=entry.get("suffix"),
        modality=entry.get("modality"),
        supersedes=tuple(entry.get("supersedes", ())),
        subject_types=tuple(entry.get("subject_types", ())),
        object_types=tuple(entry.get("object_types", ())),
        own_words=tuple(entry.get("own_words", ())),
        description=entry.get("description", ""),
    )


def load_patterns(path: str | Path | None = None) -> tuple[RelationPattern, ...]:
    """Load and validate relation patterns from a JSONL file (default: the packaged ``patterns.jsonl``).

    Raises
    ------
    PatternError
        When the file is unreadable, a line is not JSON, a pattern is malformed, or two share an id.
    """
    source = Path(path) if path is not None else data_file("patterns.jsonl")
    name = str(path) if path is not None else "patterns.jsonl"
    try:
        lines = source.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise PatternError(f"cannot read pattern file {name!r}: {error.strerror}") from error
    patterns: list[RelationPattern] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{name} line {number}"
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as error:
            raise _fail(where, f"not valid JSON ({error.msg})") from error
        patterns.append(parse_pattern(entry, where))
    ids = [p.id for p in patterns]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise PatternError(f"{name}: pattern id(s) used twice: {', '.join(duplicated)}")
    if not patterns:
        raise PatternError(f"{name}: no patterns")
    unknown = sorted({s for p in patterns for s in p.supersedes if s not in ids})
    if unknown:
        raise PatternError(f"{name}: 'supersedes' names unknown pattern id(s): {', '.join(unknown)}")
    return tuple(patterns)
