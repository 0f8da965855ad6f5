"""A user-editable curation file, applied to every build: merge actors, split them by type, rename, retype.

Identity is automatic first (:mod:`graphkit.identity`: one alias key, one IRI, in every document); a
curation file corrects what the keys get wrong. It is JSON with up to four tables, each written with
actors' names (or their keys)::

    {
      "merge":  {"Qasem Soleimani": "Qassem Soleimani"},
      "split":  {"Georgia": {"Place": "Georgia (U.S. state)"}},
      "rename": {"Qassem Soleimani": "Qassem Soleimani (IRGC)"},
      "retype": {"Quds Force": "ArmedGroup"}
    }

- ``merge``: the first actor joins the second (its key becomes the second's; chains are followed). A
  target written as a name stays in the family of the actor merged into it ("Kerry" -> "John Kerry", both
  people); write the target's key to cross families (``"Sergei Lavrov": "russia.place"``).
- ``split``: the actor of that key and of the given type becomes a new actor with the given name (and the
  key of that name); others of the same key stay.
- ``rename``: the preferred label of that actor (after merging).
- ``retype``: its class in the ontology (after merging); its key's family follows.

Entries written as names apply to every actor of that name, whatever its family (a key's family is its
kind: ``john-kerry.person``, ``jordan.place``; see :func:`graphkit.identity.actor_key`).

Rules apply in that order, to the actors and every triple's arguments, before anything is written: the
triple records, the RDF and the HTML agree.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from graphkit.errors import InputError
from graphkit.identity import actor_key, alias_key, family, name_part
from graphkit.rdf.ontology import actor_class_names
from graphkit.types import Actor, Argument, Extraction, Triple

__all__ = ["Curation", "curate", "load_curation"]

_TABLES = ("merge", "split", "rename", "retype")


def _key(name: str) -> str:
    """The key a curation entry names: a key as written (``john-kerry.person``, ``soldiers.a1.3``) or a
    name's alias key, which stands for every actor of that name whatever its family."""
    return name if "." in name and " " not in name else alias_key(name)


def _lookup(table: Mapping[str, object], key: str) -> object | None:
    """A rule for this exact key, else for its name."""
    return table.get(key, table.get(name_part(key)))


def _with_family(target: str, key: str) -> str:
    """A merge target written as a name keeps the family of the actor merged into it."""
    suffix = key[len(name_part(key)) + 1 :] if name_part(key) != key else ""
    return f"{target}.{suffix}" if suffix and name_part(target) == target and "." not in target else target


@dataclass(frozen=True)
class Curation:
    """Curation rules by actor key (see the module's docstring). Build one with :func:`load_curation`."""

    merge: Mapping[str, str] = field(default_factory=dict)
    split: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    rename: Mapping[str, str] = field(default_factory=dict)
    retype: Mapping[str, str] = field(default_factory=dict)

    def resolve(self, key: str, label: str, type_: str) -> tuple[str, str, str]:
        """Return the curated (key, label, type) of an actor.

        Examples
        --------
        >>> curation = Curation(merge={"kerry": "john-kerry"}, rename={"john-kerry": "John F. Kerry"})
        >>> curation.resolve("kerry", "Kerry", "Person")
        ('john-kerry', 'John F. Kerry', 'Person')
        """
        by_type = _lookup(self.split, key)
        new_name = by_type.get(type_) if isinstance(by_type, Mapping) else None
        if new_name is not None:
            key, label = actor_key(new_name, type_), new_name
        target = _lookup(self.merge, key)
        if isinstance(target, str):
            key = _with_family(target, key)
        label = str(_lookup(self.rename, key) or label)
        new_type = _lookup(self.retype, key)
        if isinstance(new_type, str) and new_type != type_:
            type_ = new_type
            if name_part(key) != key:  # the family follows the class
                key = f"{name_part(key)}.{family(type_)}"
        return key, label, type_


def _table(document: Mapping[str, object], name: str, source: str) -> dict[str, object]:
    table = document.get(name, {})
    if not isinstance(table, dict):
        raise InputError(f"{source}: {name!r} must be an object of name -> value, not {type(table).__name__}")
    return table


def _text(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{where} must be a non-empty string, not {value!r}")
    return value


def _actor_type(value: object, where: str) -> str:
    choices = actor_class_names()
    if value not in choices:
        raise InputError(f"{where}: {value!r} is not an actor class; choose one of {', '.join(choices)}")
    return str(value)


def _follow(merge: dict[str, str], source: str) -> dict[str, str]:
    """Merge targets with chains followed (a -> b -> c gives a -> c); a cycle is an error."""
    resolved = {}
    for start in merge:
        seen, key = [start], merge[start]
        while key in merge:
            if key in seen:
                raise InputError(f"{source}: merge rules form a cycle: {' -> '.join([*seen, key])}")
            seen.append(key)
            key = merge[key]
        resolved[start] = key
    return resolved


def load_curation(path: str | os.PathLike[str]) -> Curation:
    """Read and check a curation file.

    Parameters
    ----------
    path : path-like
        A JSON file (see the module's docstring).

    Returns
    -------
    Curation
        Rules by actor key.

    Raises
    ------
    InputError
        For a missing or malformed file, an unknown table, an empty name, an unknown actor class or a cycle
        of merges; the message names the file and the entry.
    """
    source = str(path)
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError(f"cannot read the curation file {source!r}: {error.strerror}") from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InputError(f"the curation file {source!r} is not valid JSON: {error}") from error
    if not isinstance(document, dict):
        raise InputError(f"the curation file {source!r} must hold one JSON object with {', '.join(_TABLES)}")
    unknown = sorted(set(document) - set(_TABLES))
    if unknown:
        raise InputError(f"{source}: unknown table {unknown[0]!r}; the tables are {', '.join(_TABLES)}")
    merge = {
        _key(_text(name, f"{source}: merge")): _key(_text(target, f"{source}: merge {name!r}"))
        for name, target in _table(document, "merge", source).items()
    }
    split = {}
    for name, by_type in _table(document, "split", source).items():
        if not isinstance(by_type, dict) or not by_type:
            raise InputError(f"{source}: split {name!r} must map actor classes to new names")
        split[_key(_text(name, f"{source}: split"))] = {
            _actor_type(type_, f"{source}: split {name!r}"): _text(new, f"{source}: split {name!r} {type_}")
            for type_, new in by_type.items()
        }
    rename = {
        _key(_text(name, f"{source}: rename")): _text(label, f"{source}: rename {name!r}")
        for name, label in _table(document, "rename", source).items()
    }
    retype = {
        _key(_text(name, f"{source}: retype")): _actor_type(type_, f"{source}: retype {name!r}")
        for name, type_ in _table(document, "retype", source).items()
    }
    return Curation(merge=_follow(merge, source), split=split, rename=rename, retype=retype)


def _curate_actor(actor: Actor, curation: Curation) -> Actor:
    key, label, type_ = curation.resolve(actor.key, actor.label, actor.type)
    aliases = (
        tuple(sorted({*actor.aliases, actor.label} - {label})) if label != actor.label else actor.aliases
    )
    return replace(actor, key=key, label=label, type=type_, aliases=aliases)


def _merged(actors: list[Actor]) -> tuple[Actor, ...]:
    """One actor per key: the first label and type win, other names become aliases."""
    by_key: dict[str, Actor] = {}
    for actor in actors:
        first = by_key.get(actor.key)
        if first is None:
            by_key[actor.key] = actor
            continue
        aliases = {*first.aliases, *actor.aliases, actor.label} - {first.label}
        roles = {*first.roles, *actor.roles}
        by_key[actor.key] = replace(first, aliases=tuple(sorted(aliases)), roles=tuple(sorted(roles)))
    return tuple(by_key.values())


def curate(extraction: Extraction, curation: Curation) -> Extraction:
    """Apply curation rules to one document's actors and triples.

    Parameters
    ----------
    extraction : graphkit.types.Extraction
        Not modified.
    curation : Curation
        The rules (:func:`load_curation`).

    Returns
    -------
    graphkit.types.Extraction
        A new extraction: actors renamed, retyped, merged (one per key) or split; every argument carries
        its actor's curated key, label and type.

    Examples
    --------
    >>> from graphkit.types import Document
    >>> extraction = Extraction(Document("a1", "..."), 1, actors=(Actor("kerry", "Kerry", "Person"),))
    >>> rules = Curation(merge={"kerry": "john-kerry"}, rename={"john-kerry": "John Kerry"})
    >>> curate(extraction, rules).actors
    (Actor(key='john-kerry', label='John Kerry', type='Person', aliases=('Kerry',), roles=()),)
    """
    actors = _merged([_curate_actor(actor, curation) for actor in extraction.actors])
    labels = {actor.key: (actor.label, actor.type) for actor in actors}

    def argument(original: Argument) -> Argument:
        key, label, type_ = curation.resolve(original.key, original.label, original.type)
        label, type_ = labels.get(key, (label, type_))
        return replace(original, key=key, label=label, type=type_)

    def triple(original: Triple) -> Triple:
        attribution = argument(original.attribution) if original.attribution else None
        return replace(
            original,
            subject=argument(original.subject),
            object=argument(original.object),
            attribution=attribution,
        )

    return replace(extraction, actors=actors, triples=tuple(triple(t) for t in extraction.triples))
