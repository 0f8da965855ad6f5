"""Near-duplicate articles: the same story syndicated or re-posted with small edits, found as it streams by.

Two texts are near-duplicates when the Jaccard similarity of their sets of word 5-grams ("shingles",
lower-cased words) is at least :data:`JACCARD_THRESHOLD` (0.8). The similarity is estimated with MinHash
(:data:`PERMUTATIONS` hash functions: the share of equal minima estimates it, with a standard error of
about 0.05 near the threshold) and candidates are found with locality-sensitive hashing: the signature is
cut into :data:`BANDS` bands, and two texts that agree on a whole band are compared. With 16 bands of 4
rows, a pair at similarity 0.8 becomes a candidate with probability 0.9998, a pair at 0.5 with 0.64 (then
rejected by its estimate), so the index never compares every pair.

Memory is a signature (64 numbers) and one bucket entry per band for each text kept, about 2 KB an
article whatever its length: texts themselves are never held. Hashes are stable (CRC-32 of each shingle,
then seeded multiply-shift hash functions), so the same corpus always gives the same verdicts. Texts of
fewer than :data:`MIN_WORDS` words are left to the exact comparison of :mod:`graphkit.ingest`: on a short
brief, one changed word moves the similarity a long way.
"""

from __future__ import annotations

import re
import zlib

import numpy as np

JACCARD_THRESHOLD = 0.8
SHINGLE_WORDS = 5
PERMUTATIONS = 64
BANDS = 16
MIN_WORDS = 20
_EMPTY = np.uint64((1 << 32) - 1)
_WORD = re.compile(r"\w+")
_RANDOM = np.random.default_rng(20240501)
# Multiply-shift hashing (Dietzfelbinger): odd 64-bit multipliers, arithmetic modulo 2**64, high 32 bits.
_A = _RANDOM.integers(0, 1 << 63, size=PERMUTATIONS, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_B = _RANDOM.integers(0, 1 << 63, size=PERMUTATIONS, dtype=np.uint64)


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    """The set of ``size``-word sequences of ``text``, lower-cased, punctuation aside.

    >>> sorted(shingles("Rebels attacked the town, then left.", size=4))
    ['attacked the town then', 'rebels attacked the town', 'the town then left']
    """
    words = _WORD.findall(text.casefold())
    if len(words) <= size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def signature(text: str) -> np.ndarray:
    """The MinHash signature of ``text``'s shingles: :data:`PERMUTATIONS` unsigned integers.

    >>> a = signature("the army shelled the northern districts of the city on Monday night")
    >>> b = signature("the army shelled the northern districts of the city on Monday evening")
    >>> 0.5 < similarity(a, b) < 1.0
    True
    """
    hashes = np.fromiter((zlib.crc32(shingle.encode("utf-8")) for shingle in shingles(text)), dtype=np.uint64)
    if hashes.size == 0:
        return np.full(PERMUTATIONS, _EMPTY, dtype=np.uint64)
    return ((np.outer(hashes, _A) + _B) >> np.uint64(32)).min(axis=0)


def similarity(first: np.ndarray, second: np.ndarray) -> float:
    """The Jaccard similarity two signatures estimate: the share of positions where they agree."""
    return float(np.mean(first == second))


class NearDuplicates:
    """An index of the texts seen so far that tells, for each new text, which earlier one it repeats.

    Parameters
    ----------
    threshold : float
        The Jaccard similarity of shingle sets from which two texts are one article.

    Examples
    --------
    >>> story = " ".join(f"word{n}" for n in range(60))
    >>> index = NearDuplicates()
    >>> index.add("a", story), index.add("b", story.replace("word30", "changed")), index.add("c", "x " * 30)
    (None, ('a', 0.859375), None)
    """

    def __init__(self, threshold: float = JACCARD_THRESHOLD) -> None:
        self.threshold = threshold
        self._rows = PERMUTATIONS // BANDS
        self._buckets: dict[tuple[int, bytes], list[int]] = {}
        self._ids: list[str] = []
        self._signatures: list[np.ndarray] = []

    def add(self, doc_id: str, text: str) -> tuple[str, float] | None:
        """Index ``text`` under ``doc_id`` and return None, or, when it nearly repeats a text indexed
        before, that text's id and the estimated similarity (and do not index it)."""
        if len(_WORD.findall(text)) < MIN_WORDS:
            return None
        mark = signature(text)
        bands = [(band, mark[band * self._rows : (band + 1) * self._rows].tobytes()) for band in range(BANDS)]
        candidates = sorted({index for key in bands for index in self._buckets.get(key, ())})
        best: tuple[str, float] | None = None
        for index in candidates:
            estimate = similarity(mark, self._signatures[index])
            if estimate >= self.threshold and (best is None or estimate > best[1]):
                best = (self._ids[index], estimate)
        if best is not None:
            return best
        for key in bands:
            self._buckets.setdefault(key, []).append(len(self._ids))
        self._ids.append(doc_id)
        self._signatures.append(mark)
        return None
