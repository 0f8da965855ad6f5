"""Stable names: alias keys for actors and the IRIs minted from them.

An actor's IRI is derived from its canonical alias key, never from a counter, so "John Kerry" gets the
same IRI in every document and every run. Keys survive case, punctuation, diacritics and the Arabic
article's spellings (al-/Al-/el-), so "Al-Nusra Front" and "al Nusra Front" meet.

All IRIs graphkit writes are built here from one base; the ontology in ``ontologies/graphkit.ttl``
declares the same namespace (a test checks that they agree).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from urllib.parse import quote

from graphkit.resources import load_json

BASE = "https://w3id.org/graphkit/"
ONTOLOGY_NS = BASE + "ontology#"
ACTOR_NS = BASE + "actor/"
RELATION_NS = BASE + "relation/"
DOCUMENT_NS = BASE + "document/"
STATEMENT_NS = BASE + "statement/"
BUILD_NS = BASE + "build/"

PREFIXES = {
    "gk": ONTOLOGY_NS,
    "gka": ACTOR_NS,
    "gkr": RELATION_NS,
    "gkd": DOCUMENT_NS,
    "gks": STATEMENT_NS,
    "gkb": BUILD_NS,
}

_WORD = re.compile(r"[^\W_]+")
# Words that carry no identity in a name: English articles and the Arabic definite article.
_NOISE_WORDS = frozenset({"the", "al", "el", "ad", "ash", "as", "an", "ar", "at", "az"})


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def alias_key(name: str) -> str:
    """Return the key under which spellings of one name meet.

    Parameters
    ----------
    name : str
        Any surface form of a name.

    Returns
    -------
    str
        Lower-case words joined by ``-``: diacritics, punctuation and articles dropped. Empty when the
        name has no word characters.

    Examples
    --------
    >>> alias_key("Al-Nusra Front")
    'nusra-front'
    >>> alias_key("the  al-Nusra front") == alias_key("Nusra Front")
    True
    >>> alias_key("Bashar al-Assad")
    'bashar-assad'
    >>> alias_key("Médecins Sans Frontières")
    'medecins-sans-frontieres'
    """
    words = _WORD.findall(_fold(name))
    kept = [w for w in words if w not in _NOISE_WORDS]
    return "-".join(kept or words)


@cache
def _families() -> dict[str, str]:
    return {k: v for k, v in load_json("actor_families.json").items() if not k.startswith("_")}


def family(actor_class: str) -> str:
    """The identity family of an actor class (``data/actor_families.json``); ``thing`` when unknown.

    >>> family("ArmedGroup"), family("Country"), family("Spaceship")
    ('org', 'place', 'thing')
    """
    return _families().get(actor_class, "thing")


def actor_key(name: str, actor_class: str) -> str:
    """The key of a named actor: its name's alias key and its class's family.

    "John Kerry" in two articles is one actor; "Jordan" the country and "Jordan" a person are two.

    >>> actor_key("Al-Nusra Front", "ArmedGroup") == actor_key("al Nusra Front", "Organization")
    True
    >>> actor_key("Jordan", "Country") != actor_key("Jordan", "Person")
    True
    """
    return f"{alias_key(name)}.{family(actor_class)}"


def name_part(key: str) -> str:
    """A key without its family suffix: ``john-kerry.person`` -> ``john-kerry`` (other keys unchanged).

    >>> name_part("john-kerry.person"), name_part("soldiers.afp-1.3")
    ('john-kerry', 'soldiers.afp-1.3')
    """
    base, _, suffix = key.rpartition(".")
    return base if base and suffix in set(_families().values()) else key


def _segment(value: str) -> str:
    """Percent-encode ``value`` so it is safe as one IRI path segment (no spaces, quotes or brackets)."""
    return quote(value, safe="-._~") or "_"


def actor_iri(key: str) -> str:
    """Return the IRI of the actor with alias key ``key``.

    >>> actor_iri("john-kerry")
    'https://w3id.org/graphkit/actor/john-kerry'
    """
    return ACTOR_NS + _segment(key)


def relation_iri(lemma: str) -> str:
    """Return the IRI of the relation property for a predicate lemma ("push for" -> ``.../push-for``).

    >>> relation_iri("push for")
    'https://w3id.org/graphkit/relation/push-for'
    """
    return RELATION_NS + _segment(alias_key(lemma) or "related")


def category_iri(name: str) -> str:
    """Return the IRI of the ontology's relation category named ``name`` (see ``data/categories.json``).

    >>> category_iri("fight-against")
    'https://w3id.org/graphkit/ontology#fight-against'
    """
    return ONTOLOGY_NS + _segment(name)


def document_iri(doc_id: str) -> str:
    """Return the IRI of a document from its id (any string; unsafe characters are percent-encoded).

    >>> document_iri("news.jsonl:3")
    'https://w3id.org/graphkit/document/news.jsonl%3A3'
    """
    return DOCUMENT_NS + _segment(doc_id)


def statement_iri(doc_id: str, sentence: int, subject_key: str, lemma: str, object_key: str) -> str:
    """Return the IRI of one extracted statement; the same evidence always gives the same IRI.

    >>> statement_iri("a1", 3, "rebels", "kill", "officer")
    'https://w3id.org/graphkit/statement/a1/3/rebels/kill/officer'
    """
    parts = [doc_id, str(sentence), subject_key, alias_key(lemma), object_key]
    return STATEMENT_NS + "/".join(_segment(p) for p in parts)


def build_iri(build_id: str) -> str:
    """Return the IRI of one build (a ``prov:Activity``) from its id.

    >>> build_iri("20240601T120000Z-3f2a")
    'https://w3id.org/graphkit/build/20240601T120000Z-3f2a'
    """
    return BUILD_NS + _segment(build_id)
