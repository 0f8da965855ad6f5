"""Annotated corpora: documents with gold entities and relations, for training and evaluation.

Two formats are read into one record, :class:`AnnotatedDocument`:

- SpERT JSON (CoNLL04 as SpERT and REBEL use it): a JSON list of sentences, each with its ``tokens``,
  ``entities`` [{type, start, end}] as token indices (``end`` exclusive) and ``relations``
  [{type, head, tail}] indexing ``entities``. The text is the tokens joined by single spaces, so every
  token has a character span and the corpus's own tokens are kept in ``words``.
- RE3D JSONL: one document a line with ``text``, ``entities`` [{start, end, type}] as character offsets
  and ``relations`` [{type, source {start, end}, target {start, end}}]. A relation's argument that is not
  listed among the entities is added as an entity of unknown type (``""``).

Every offset of an :class:`AnnotatedDocument` is a character offset into its ``text``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from graphkit.errors import GraphkitError, InputError
from graphkit.resources import load_json
from graphkit.types import Document

CORPUS_TYPES_FILE = "corpus_types.json"

UNKNOWN_TYPE = ""
"""The type of an entity the corpus names only as a relation's argument."""


@dataclass(frozen=True)
class GoldEntity:
    """An annotated entity: a half-open character span ``[start, end)`` of the text and its type.

    >>> GoldEntity(0, 3, "Peop").end
    3
    """

    start: int
    end: int
    type: str


@dataclass(frozen=True)
class GoldLink:
    """An annotated relation of ``type`` from entity number ``head`` to entity number ``tail``."""

    type: str
    head: int
    tail: int


@dataclass(frozen=True)
class AnnotatedDocument:
    """A document with its gold annotation.

    Parameters
    ----------
    id : str
        The corpus's id of the document (for SpERT JSON: the file's stem and ``orig_id``, else position).
    text : str
        The text every offset points into.
    entities : tuple of GoldEntity
    relations : tuple of GoldLink
        Each indexes ``entities``.
    words : tuple of str, optional
        The corpus's own tokens when it has them; then ``text == " ".join(words)``.
    title, url, source : str, optional
        Metadata carried into :meth:`document`.

    Examples
    --------
    >>> gold = AnnotatedDocument("d", "Ann met Bob", (GoldEntity(0, 3, "Peop"),), (), ("Ann", "met", "Bob"))
    >>> gold.token_spans()
    [(0, 3), (4, 7), (8, 11)]
    """

    id: str
    text: str
    entities: tuple[GoldEntity, ...]
    relations: tuple[GoldLink, ...]
    words: tuple[str, ...] | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None

    def document(self) -> Document:
        """The document as the extractor takes it (id, text and metadata)."""
        return Document(id=self.id, text=self.text, title=self.title, url=self.url, source=self.source)

    def token_spans(self) -> list[tuple[int, int]]:
        """The character span of each of ``words`` (empty without words)."""
        spans, start = [], 0
        for word in self.words or ():
            spans.append((start, start + len(word)))
            start += len(word) + 1
        return spans


@dataclass(frozen=True)
class CorpusTypes:
    """How a corpus's types map onto graphkit's: read from ``data/corpus_types.json`` by :func:`corpus_types`.

    ``relations``: corpus relation type -> relation category (local name); ``categories``: category ->
    corpus relation type, the inverse of ``relations`` plus the narrower categories that count as a type;
    ``entities``: corpus entity type -> actor class; ``actor_classes``: actor class -> corpus entity type.
    """

    relations: dict[str, str]
    categories: dict[str, str]
    entities: dict[str, str]
    actor_classes: dict[str, str]

    def relation_type(self, categories: tuple[str, ...]) -> str | None:
        """The corpus relation type of a triple with these categories: the first that maps, else None.

        >>> corpus_types("re3d").relation_type(("attribution", "leads"))
        'InChargeOf'
        """
        return next((self.categories[c] for c in categories if c in self.categories), None)


@cache
def corpus_types(corpus: str) -> CorpusTypes:
    """Return the type mappings of ``corpus`` (``conll04``, ``re3d``).

    Raises
    ------
    InputError
        For a corpus the table does not hold.

    Examples
    --------
    >>> corpus_types("conll04").relations["Work_For"]
    'works-for'
    >>> corpus_types("conll04").categories["works-for"]
    'Work_For'
    """
    table = {k: v for k, v in load_json(CORPUS_TYPES_FILE).items() if not k.startswith("_")}
    if corpus not in table:
        raise InputError(f"no type mapping for corpus {corpus!r}; choose one of {', '.join(sorted(table))}")
    entry = table[corpus]
    try:
        relations = dict(entry["relations"])
        categories = {category: type_ for type_, category in relations.items()}
        return CorpusTypes(
            relations,
            {**categories, **entry["narrower_categories"]},
            dict(entry["entities"]),
            dict(entry["actor_classes"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise GraphkitError(f"{CORPUS_TYPES_FILE}: entry {corpus!r} is malformed ({error})") from error


def read_corpus(path: str | Path) -> list[AnnotatedDocument]:
    """Read an annotated corpus: SpERT JSON (a ``.json`` list of sentences) or RE3D JSONL.

    Parameters
    ----------
    path : str or Path
        A SpERT JSON file (its content starts with ``[``) or an RE3D JSONL file (one object a line).

    Returns
    -------
    list of AnnotatedDocument

    Raises
    ------
    InputError
        When the file is missing, unreadable or empty, or a record lacks a field or holds a bad one; the
        message names the record.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(
            f"corpus file {str(path)!r} does not exist; give a SpERT JSON file (conll04/train.json) "
            "or an RE3D JSONL file (re3d_dev.jsonl)"
        )
    try:
        content = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read corpus file {str(path)!r}: {error}") from error
    documents = _read_spert(content, path) if content.lstrip().startswith("[") else _read_jsonl(content, path)
    if not documents:
        raise InputError(f"corpus file {str(path)!r} holds no documents")
    return documents


# --- SpERT JSON ----------------------------------------------------------------------------------------


def _read_spert(content: str, path: Path) -> list[AnnotatedDocument]:
    try:
        records = json.loads(content)
    except json.JSONDecodeError as error:
        raise InputError(f"{path.name}: not valid JSON ({error.msg} at line {error.lineno})") from error
    return [_spert_document(record, path, number) for number, record in enumerate(records)]


def _spert_document(record: Any, path: Path, number: int) -> AnnotatedDocument:
    where = f"{path.name} sentence {number}"
    if not isinstance(record, dict):
        raise InputError(f"{where}: a SpERT record is an object with tokens, entities and relations")
    tokens = record.get("tokens")
    if not isinstance(tokens, list) or not tokens or not all(isinstance(t, str) and t for t in tokens):
        raise InputError(f'{where}: needs a "tokens" list of non-empty strings')
    for field in ("entities", "relations"):
        if not isinstance(record.get(field), list):
            raise InputError(f'{where}: needs a "{field}" list')
    words = tuple(tokens)
    starts, offset = [], 0
    for word in words:
        starts.append(offset)
        offset += len(word) + 1
    entities = []
    for i, entity in enumerate(record["entities"]):
        if not (
            isinstance(entity, dict)
            and isinstance(entity.get("type"), str)
            and type(entity.get("start")) is int
            and type(entity.get("end")) is int
            and 0 <= entity["start"] < entity["end"] <= len(words)
        ):
            raise InputError(
                f"{where} entity {i}: needs a 'type' and token indices 0 <= start < end <= {len(words)}"
            )
        end = starts[entity["end"] - 1] + len(words[entity["end"] - 1])
        entities.append(GoldEntity(starts[entity["start"]], end, entity["type"]))
    relations = []
    for i, relation in enumerate(record["relations"]):
        if not (
            isinstance(relation, dict)
            and isinstance(relation.get("type"), str)
            and all(
                type(relation.get(k)) is int and 0 <= relation[k] < len(entities) for k in ("head", "tail")
            )
        ):
            raise InputError(f"{where} relation {i}: needs a 'type' and 'head', 'tail' indexing the entities")
        relations.append(GoldLink(relation["type"], relation["head"], relation["tail"]))
    identifier = f"{path.stem}:{record.get('orig_id', number)}"
    return AnnotatedDocument(identifier, " ".join(words), tuple(entities), tuple(relations), words)


# --- RE3D JSONL ----------------------------------------------------------------------------------------


def _span(record: Any, where: str, length: int) -> tuple[int, int]:
    if not isinstance(record, dict) or not all(type(record.get(k)) is int for k in ("start", "end")):
        raise InputError(f"{where}: needs integer 'start' and 'end' offsets")
    if not 0 <= record["start"] <= record["end"] <= length:
        raise InputError(f"{where}: offsets {record['start']}..{record['end']} are outside the text")
    return record["start"], record["end"]


def _read_jsonl(content: str, path: Path) -> list[AnnotatedDocument]:
    documents = []
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path.name} line {number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise InputError(f"{where}: not valid JSON ({error.msg}); fix or remove the line") from error
        documents.append(_re3d_document(record, where))
    return documents


def _re3d_document(record: Any, where: str) -> AnnotatedDocument:
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        raise InputError(
            f'{where}: an RE3D record needs a "text" string field (a corpus is RE3D JSONL, one document '
            "with its entities and relations a line, or SpERT JSON, a list of sentences)"
        )
    for field in ("entities", "relations"):
        if not isinstance(record.get(field), list):
            raise InputError(f'{where}: an RE3D record needs a "{field}" list')
    length = len(record["text"])
    entities: list[GoldEntity] = []
    index_of: dict[tuple[int, int], int] = {}
    for i, entity in enumerate(record["entities"]):
        start, end = _span(entity, f"{where} entity {i}", length)
        kind = entity.get("type")
        index_of.setdefault((start, end), len(entities))
        entities.append(GoldEntity(start, end, kind if isinstance(kind, str) else UNKNOWN_TYPE))

    def entity_index(span: tuple[int, int]) -> int:
        if span not in index_of:
            index_of[span] = len(entities)
            entities.append(GoldEntity(*span, UNKNOWN_TYPE))
        return index_of[span]

    relations = []
    for i, relation in enumerate(record["relations"]):
        if not isinstance(relation, dict) or not isinstance(relation.get("type"), str):
            raise InputError(f'{where} relation {i}: needs a "type" string')
        source = _span(relation.get("source"), f"{where} relation {i} source", length)
        target = _span(relation.get("target"), f"{where} relation {i} target", length)
        relations.append(GoldLink(relation["type"], entity_index(source), entity_index(target)))
    metadata = {k: str(record[k]) for k in ("title", "url", "source") if record.get(k) not in (None, "")}
    return AnnotatedDocument(
        str(record.get("id") or where), record["text"], tuple(entities), tuple(relations), **metadata
    )
