"""Readable past-tense predicate labels from verb lemmas."""

from __future__ import annotations

from functools import cache

from graphkit.resources import load_json

_VOWELS = frozenset("aeiou")


@cache
def _irregular() -> dict[str, str]:
    return load_json("irregular_verbs.json")["past"]


@cache
def _doubled_final() -> frozenset[str]:
    return frozenset(load_json("irregular_verbs.json")["doubled_final"])


@cache
def _prefixes() -> tuple[tuple[str, ...], frozenset[str]]:
    """The prefixes an irregular verb keeps ("retake" -> "retook") and the verbs that only look prefixed."""
    table = load_json("irregular_verbs.json")
    return tuple(table["prefixes"]), frozenset(table["not_prefixed"])


def past_tense(lemma: str) -> str:
    """Return the simple past of an English verb lemma.

    Irregular verbs come from ``data/irregular_verbs.json``, with a prefix kept ("retake" -> "retook");
    regular ones follow the spelling rules, with the verbs stressed on their last syllable that double its
    consonant listed there too ("control" -> "controlled").

    Examples
    --------
    >>> [past_tense(v) for v in ["kill", "execute", "push", "deny", "stop", "meet", "play", "visit"]]
    ['killed', 'executed', 'pushed', 'denied', 'stopped', 'met', 'played', 'visited']
    >>> [past_tense(v) for v in ["retake", "overrun", "rebuild", "reach", "relay"]]
    ['retook', 'overran', 'rebuilt', 'reached', 'relayed']
    >>> [past_tense(v) for v in ["control", "commit", "visit", "offer"]]
    ['controlled', 'committed', 'visited', 'offered']
    """
    word = lemma.lower()
    irregular = _irregular().get(word)
    if irregular:
        return irregular
    prefixes, not_prefixed = _prefixes()
    for prefix in prefixes:
        rest = word[len(prefix) :]
        if word.startswith(prefix) and len(rest) > 2 and rest in _irregular() and word not in not_prefixed:
            return prefix + _irregular()[rest]
    if word.endswith("e"):
        return word + "d"
    if len(word) > 1 and word.endswith("y") and word[-2] not in _VOWELS:
        return word[:-1] + "ied"
    if _doubles_final_consonant(word) or word in _doubled_final():
        return word + word[-1] + "ed"
    return word + "ed"


def _doubles_final_consonant(word: str) -> bool:
    # One-syllable consonant-vowel-consonant verbs double the last letter (stop -> stopped, not visit).
    if len(word) < 3 or word[-1] in _VOWELS or word[-1] in "wxy":
        return False
    vowel_groups = sum(
        1 for i, c in enumerate(word) if c in _VOWELS and (i == 0 or word[i - 1] not in _VOWELS)
    )
    return vowel_groups == 1 and word[-2] in _VOWELS and word[-3] not in _VOWELS
