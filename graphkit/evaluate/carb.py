"""The CaRB benchmark: graphkit's triples as open information extraction, scored the way CaRB scores.

CaRB (Bhardwaj, Aggarwal & Mausam, EMNLP 2019) annotates 1,282 sentences with the tuples an open
extractor should find: a relation and its arguments, in the sentence's own words. This module is our own
implementation of its published scorer (the default ``binary_linient_tuple_match`` of CaRB's
``matcher.py`` and the curve of its ``carb.py``), kept apart from running the extractor:
:func:`match_score` and :func:`score_carb` take tuples in and give numbers out. Extractions travel in
CaRB's tab format (:func:`write_extractions`, :func:`read_extractions`), so that CaRB's own script can
score the same file (``carb.py --tabbed``) and :func:`score_extractions` can score another system's.

graphkit's triples become CaRB tuples by :data:`graphkit.extract.phrases.PHRASE_MAPPINGS`: CaRB
arguments are whole phrases ("the minimum wage") and its relations carry auxiliaries, negation and
prepositions ("would be restarted from"), while a triple holds the words of a mention and a predicate.
CaRB scores open extraction, so the extractor always runs in open mode here.
"""

from __future__ import annotations

import string
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from graphkit.errors import InputError, OutputError
from graphkit.extract.nlp import DEFAULT_MODEL
from graphkit.extract.phrases import PHRASE_MAPPINGS, OpenTuple, open_tuples
from graphkit.extract.pipeline import Extractor
from graphkit.extract.triples import ATTRIBUTION_PATTERN
from graphkit.progress import track
from graphkit.types import Document

CarbTuple = OpenTuple
"""One CaRB extraction: relation, arguments (subject first), confidence (see
:class:`graphkit.extract.phrases.OpenTuple`)."""


_FORMS_OF_BE = frozenset({"be", "is", "am", "are", "was", "were", "been", "being"})

SAID_VERBS = ("said", "told", "added", "adds", "says")
"""A gold relation containing one of these (as a substring, as in CaRB) may also match with the
predicted arguments swapped: "X said Y" is as often extracted as (Y, said, X)."""


def _shared(gold: list[str], predicted: list[str]) -> tuple[int, list[str]]:
    """How many gold words the predicted words hold (each predicted word used once), and those left over."""
    left = list(predicted)
    found = 0
    for word in gold:
        if word in left:
            left.remove(word)
            found += 1
    return found, left


def _two_arguments(arguments: tuple[str, ...]) -> tuple[str, ...]:
    return (arguments[0], " ".join(arguments[1:])) if len(arguments) >= 2 else arguments


def _part_overlap(gold: CarbTuple, predicted: CarbTuple) -> tuple[float, float]:
    gold_words = gold.relation.split()
    found, left = _shared(gold_words, predicted.relation.split())
    if "be" in left and _FORMS_OF_BE.intersection(gold_words):
        found += 1  # CaRB lets a predicted "be" stand for any form of it in the gold relation
    if found == 0:
        return 0.0, 0.0
    predicted_total, gold_total = len(predicted.relation.split()), len(gold_words)
    for i, argument in enumerate(gold.arguments):
        words = argument.split()
        gold_total += len(words)
        if i >= len(predicted.arguments):
            if i < 2:
                return 0.0, 0.0
            continue
        predicted_words = predicted.arguments[i].split()
        predicted_total += len(predicted_words)
        found += _shared(words, predicted_words)[0]
    return (found / predicted_total if predicted_total else 0.0), (found / gold_total if gold_total else 0.0)


def match_score(gold: CarbTuple, predicted: CarbTuple) -> tuple[float, float]:
    """CaRB's match of a predicted tuple against a gold one: ``(precision, recall)`` by shared tokens.

    Both tuples are first made binary: the arguments after the first are joined into one. Tokens are
    split on whitespace and compared exactly (case and stopwords count, as in CaRB). Part by part — the
    relation, then each gold argument against the predicted one in the same place — precision counts the
    predicted tokens found in the gold part and recall the gold tokens found in the predicted part, each
    token used once; the sums over the parts are divided by all predicted and all gold tokens. A relation
    that shares no token, or a missing first or second argument, scores ``(0, 0)``. A predicted argument
    beyond the gold's is not counted. For a "said" relation (:data:`SAID_VERBS`) the better of the
    straight and the swapped arguments counts.

    Examples
    --------
    >>> gold = CarbTuple("made an offer on", ("President Bush", "the minimum wage"))
    >>> match_score(gold, CarbTuple("made offer on", ("Bush", "minimum wage")))
    (1.0, 0.6666666666666666)
    >>> match_score(gold, CarbTuple("raised", ("Bush", "the minimum wage")))
    (0.0, 0.0)
    >>> match_score(CarbTuple("said", ("he", "prices rose")), CarbTuple("said", ("prices rose", "he")))
    (1.0, 1.0)
    """
    gold = gold._replace(arguments=_two_arguments(gold.arguments))
    binary = _two_arguments(predicted.arguments)
    score = _part_overlap(gold, predicted._replace(arguments=binary))
    if any(verb in gold.relation for verb in SAID_VERBS) and len(binary) == 2:
        score = max(score, _part_overlap(gold, predicted._replace(arguments=binary[::-1])))
    return score


def _one_to_one_precision(scores: list[list[tuple[float, float]]], kept: list[int]) -> float:
    """Sum of precisions of a greedy one-to-one matching: the best pair first, as in CaRB."""
    rows, columns = set(), set()
    total = 0.0
    for _ in range(min(len(scores), len(kept))):
        best, pair = -1.0, (0, 0)
        for i, row in enumerate(scores):
            if i in rows:
                continue
            for j in kept:
                if j not in columns and row[j][0] > best:
                    best, pair = row[j][0], (i, j)
        rows.add(pair[0])
        columns.add(pair[1])
        total += best
    return total


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def score_carb(sentences: Iterable[tuple[Sequence[CarbTuple], Sequence[CarbTuple]]]) -> dict[str, Any]:
    """CaRB's figures for predicted tuples against gold ones, over the extractor's confidence thresholds.

    Every distinct confidence of a prediction is a threshold; at each, only the predictions at least that
    confident count. Recall is the sum, over gold tuples, of the best :func:`match_score` recall of any
    kept prediction of the sentence (a prediction may serve several gold tuples), over all gold tuples.
    Precision pairs kept predictions with gold tuples one to one, greedily by best precision first, and
    divides the sum of the pairs' precisions by the number of kept predictions (an unpaired prediction
    counts zero). F1 is the best over the thresholds, reported with its precision, recall and threshold;
    AUC is the area under the precision-recall curve by the trapezoid rule, the curve closed with the
    point (recall 0, precision 1), as CaRB does.

    These figures are CaRB's ``carb.py`` figures (default matcher), checked on the same inputs to six
    decimals, with one exception: where precision and recall are both 0 at some threshold (the most
    confident predictions all wrong), CaRB's script reports F1 ``nan``; here that threshold's F1 is 0 and
    the best of the others is reported, as in the copy of the script OpenIE6 published its figures with.

    Parameters
    ----------
    sentences : iterable of (gold, predicted) pairs
        Per sentence, its gold tuples and the predicted ones. Tuples of different sentences are never
        compared; a sentence's gold tuples count in recall even when nothing was predicted for it.

    Returns
    -------
    dict
        ``precision``, ``recall``, ``f1`` (at the best threshold), ``auc``, ``threshold`` (the confidence
        at the best F1; None without predictions), ``thresholds`` (the curve's points), ``n_gold`` and
        ``n_pred`` (all predictions), ``sentences``. Figures are rounded to 4 decimals.

    Examples
    --------
    >>> gold = [CarbTuple("killed", ("rebels", "ten soldiers"))]
    >>> predicted = [CarbTuple("killed", ("rebels", "ten soldiers"), 0.9), CarbTuple("met", ("x", "y"), 0.5)]
    >>> result = score_carb([(gold, predicted)])
    >>> result["precision"], result["recall"], result["f1"], result["auc"], result["threshold"]
    (1.0, 1.0, 1.0, 1.0, 0.9)
    """
    pairs = [(list(gold), list(predicted)) for gold, predicted in sentences]
    thresholds = sorted({p.confidence for _, predicted in pairs for p in predicted})
    precision_sum, kept_count, recall_sum = ([0.0] * len(thresholds) for _ in range(3))
    for gold, predicted in pairs:
        scores = [[match_score(g, p) for p in predicted] for g in gold]
        low = 0
        for confidence in sorted({p.confidence for p in predicted}):
            high = bisect_right(thresholds, confidence)  # thresholds low..high-1 keep these predictions
            kept = [j for j, p in enumerate(predicted) if p.confidence >= confidence]
            recall = sum(max(row[j][1] for j in kept) for row in scores)
            precision = _one_to_one_precision(scores, kept)
            for k in range(low, high):
                precision_sum[k] += precision
                kept_count[k] += len(kept)
                recall_sum[k] += recall
            low = high
    n_gold = sum(len(gold) for gold, _ in pairs)
    curve = [
        (s / n if n else 1.0, r / n_gold if n_gold else 0.0)
        for s, n, r in zip(precision_sum, kept_count, recall_sum, strict=True)
    ]
    best = max(range(len(curve)), key=lambda k: (_f1(*curve[k]), -k), default=None)
    precision, recall = curve[best] if best is not None else (0.0, 0.0)
    closed = [*curve, (1.0, 0.0)] if curve else []
    auc = sum((r0 - r1) * (p0 + p1) / 2 for (p0, r0), (p1, r1) in zip(closed, closed[1:], strict=False))
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(_f1(precision, recall), 4),
        "auc": round(auc, 4),
        "threshold": thresholds[best] if best is not None else None,
        "thresholds": len(thresholds),
        "n_gold": n_gold,
        "n_pred": sum(len(predicted) for _, predicted in pairs),
        "sentences": len(pairs),
    }


# --- CaRB's gold file --------------------------------------------------------------------------------


def _tab_lines(path: Path, kind: str, hint: str) -> list[tuple[int, str]]:
    """The non-blank lines of a tab-separated file, stripped, with their line numbers; a missing or
    unreadable file is an :class:`InputError` naming ``kind`` and, when missing, what to do (``hint``)."""
    if not path.is_file():
        raise InputError(f"{kind} {str(path)!r} does not exist; {hint}")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read {kind} {str(path)!r}: {error}") from error
    return [(number, line.strip()) for number, line in enumerate(lines, start=1) if line.strip()]


def read_carb(path: str | Path) -> dict[str, list[CarbTuple]]:
    """Read a CaRB gold file: ``sentence \\t relation \\t arg1 \\t arg2 \\t [more args]`` a line.

    As CaRB's reader does, a line is stripped before it is split, so trailing empty arguments drop out,
    and each field is stripped.

    Returns
    -------
    dict
        Sentence -> its gold tuples, in file order (confidence 1).

    Raises
    ------
    InputError
        When the file is missing, not UTF-8, holds no tuple, or a line lacks a relation or argument.
    """
    path = Path(path)
    gold: dict[str, list[CarbTuple]] = {}
    for number, line in _tab_lines(path, "CaRB file", "give the path of gold_dev.tsv"):
        fields = [field.strip() for field in line.split("\t")]
        if len(fields) < 3:
            raise InputError(
                f"{path.name} line {number}: needs sentence, relation and at least one argument, "
                "separated by tabs"
            )
        sentence, relation, *arguments = fields
        gold.setdefault(sentence, []).append(CarbTuple(relation, tuple(arguments)))
    if not gold:
        raise InputError(f"CaRB file {str(path)!r} holds no extractions")
    return gold


# CaRB undoes Penn Treebank bracket escapes before it drops punctuation from a sentence's key.
_PTB_ESCAPES = (
    ("(", "-LRB-"),
    (")", "-RRB-"),
    ("[", "-LSB-"),
    ("]", "-RSB-"),
    ("{", "-LCB-"),
    ("}", "-RCB-"),
)
_NO_PUNCTUATION = str.maketrans("", "", string.punctuation)


def carb_key(sentence: str) -> str:
    """The key by which CaRB pairs a system's sentences with the gold ones: no spaces, no ASCII punctuation.

    Penn Treebank bracket escapes (``-LRB-``...) are undone first, so a system that escaped brackets still
    finds its sentence.

    >>> carb_key("Mr. Baker found it -LRB- twice -RRB- .")
    'MrBakerfoundittwice'
    """
    for bracket, escape in _PTB_ESCAPES:
        sentence = sentence.replace(escape, bracket)
    return sentence.replace(" ", "").translate(_NO_PUNCTUATION)


def score_extractions(
    gold: Mapping[str, Sequence[CarbTuple]], predicted: Mapping[str, Sequence[CarbTuple]]
) -> dict[str, Any]:
    """:func:`score_carb` for a system's extractions by sentence, paired with the gold as CaRB pairs them.

    A sentence is found by its :func:`carb_key`; predictions for sentences the gold lacks are not scored.
    (Two gold sentences with one key would both be scored here, where CaRB keeps the later one; no
    two sentences of CaRB's dev split share a key.)

    >>> gold = {"Rebels killed ten soldiers .": [CarbTuple("killed", ("Rebels", "ten soldiers"))]}
    >>> predicted = {"Rebels killed ten soldiers": [CarbTuple("killed", ("Rebels", "soldiers"), 0.7)]}
    >>> score_extractions(gold, predicted)["recall"]
    0.75
    """
    by_key = {carb_key(sentence): tuples for sentence, tuples in predicted.items()}
    return score_carb((tuples, by_key.get(carb_key(sentence), [])) for sentence, tuples in gold.items())


def read_extractions(path: str | Path) -> dict[str, list[CarbTuple]]:
    """Read extractions in CaRB's tab format: ``sentence \\t confidence \\t relation \\t arg1 \\t ...``.

    As CaRB's reader does, a line is stripped before it is split (trailing empty arguments drop out) and
    blank lines are skipped.

    Returns
    -------
    dict
        Sentence -> its extractions, in file order.

    Raises
    ------
    InputError
        When the file is missing or not UTF-8, or a line lacks a relation or has a confidence that is not
        a number.
    """
    path = Path(path)
    extractions: dict[str, list[CarbTuple]] = {}
    for number, line in _tab_lines(path, "extractions file", "write one with --write-extractions"):
        fields = line.split("\t")
        if len(fields) < 3:
            raise InputError(
                f"{path.name} line {number}: needs sentence, confidence and relation, separated by tabs"
            )
        sentence, confidence, relation, *arguments = fields
        try:
            score = float(confidence)
        except ValueError:
            raise InputError(
                f"{path.name} line {number}: confidence {confidence!r} is not a number"
            ) from None
        extractions.setdefault(sentence, []).append(CarbTuple(relation, tuple(arguments), score))
    return extractions


def write_extractions(extractions: Mapping[str, Sequence[CarbTuple]], path: str | Path) -> None:
    """Write extractions in CaRB's tab format (see :func:`read_extractions`), for CaRB's own script.

    Whitespace inside a field becomes single spaces (both scorers split on whitespace, so the scores are
    unchanged); the confidence is written exactly (``repr``).

    Raises
    ------
    OutputError
        When the file cannot be written.
    """
    lines = [
        "\t".join(
            " ".join(field.split()) for field in (sentence, repr(t.confidence), t.relation, *t.arguments)
        )
        for sentence, tuples in extractions.items()
        for t in tuples
    ]
    try:
        Path(path).write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    except OSError as error:
        raise OutputError(f"cannot write extractions to {str(path)!r}: {error}") from error


def extract_carb(
    sentences: Iterable[str],
    *,
    model: str = DEFAULT_MODEL,
    progress: bool = False,
    mapping: str = "surface",
    classifier: bool = True,
) -> dict[str, list[CarbTuple]]:
    """Run the extractor in open mode on CaRB's sentences, each a document of its own.

    Sentences are parsed as given (CaRB's are tokenized, "U.S. ,"). Every triple but graphkit's
    ``reported`` triples (the source of a claim towards the claim's subject: not a tuple of the sentence's
    own) becomes a CaRB tuple by ``mapping``, with the triple's confidence.

    Parameters
    ----------
    sentences : iterable of str
        The sentences, as CaRB gives them.
    model, progress, mapping, classifier
        As for :func:`evaluate_carb`.

    Returns
    -------
    dict
        Sentence -> its predicted tuples (every sentence given, with or without tuples).

    Raises
    ------
    InputError
        For an unknown mapping.
    """
    if mapping not in PHRASE_MAPPINGS:
        raise InputError(f"unknown CaRB mapping {mapping!r}; choose one of {', '.join(PHRASE_MAPPINGS)}")
    sentences = list(dict.fromkeys(sentences))
    extractor = Extractor(model, open_arguments=True, classifier=classifier)
    documents = [Document(id=f"carb-{i}", text=sentence) for i, sentence in enumerate(sentences, start=1)]
    docs = extractor.nlp.pipe(d.text for d in documents)
    predicted = {}
    for document, doc in track(
        zip(documents, docs, strict=True), total=len(documents), description="extracting", enabled=progress
    ):
        extraction = extractor.from_doc(document, doc)
        own = [t for t in extraction.triples if t.provenance.pattern != ATTRIBUTION_PATTERN]
        predicted[document.text] = open_tuples(doc, own, mapping)
    return predicted


def evaluate_carb(
    path: str | Path,
    *,
    model: str = DEFAULT_MODEL,
    open_arguments: bool = False,
    progress: bool = False,
    mapping: str = "surface",
    classifier: bool = True,
) -> dict[str, Any]:
    """Score the extractor on a CaRB gold file: :func:`extract_carb`, then :func:`score_carb`.

    Parameters
    ----------
    path : path
        A CaRB gold file (see :func:`read_carb`).
    model : str
        spaCy pipeline to parse with.
    open_arguments : bool
        Ignored: CaRB scores open extraction, so the extractor always runs in open mode (arguments that
        name no actor kept as noun phrases). Accepted so that every benchmark takes the same options.
    progress : bool
        Draw a progress bar on standard error.
    mapping : str
        A name in :data:`graphkit.extract.phrases.PHRASE_MAPPINGS`.
    classifier : bool
        ``False``: extract with the patterns alone, without the relation classifier.

    Returns
    -------
    dict
        ``benchmark``, ``open_arguments``, ``mapping``, ``classifier``, then the :func:`score_carb` figures.

    Raises
    ------
    InputError
        For a missing or malformed file, or an unknown mapping.
    """
    gold = read_carb(path)
    predicted = extract_carb(gold, model=model, progress=progress, mapping=mapping, classifier=classifier)
    return {
        "benchmark": "carb",
        "open_arguments": True,
        "mapping": mapping,
        "classifier": classifier,
        **score_carb((gold[sentence], predicted[sentence]) for sentence in gold),
    }


def format_carb(result: dict[str, Any]) -> str:
    """Render an :func:`evaluate_carb` result as readable lines.

    >>> print(format_carb({"benchmark": "carb", "open_arguments": True, "mapping": "phrase",
    ...     "precision": 0.5, "recall": 0.25, "f1": 0.3333, "auc": 0.2, "threshold": 0.4, "thresholds": 9,
    ...     "n_gold": 8, "n_pred": 4, "sentences": 2}))
    carb (open mode, mapping phrase)
    F1 0.333  AUC 0.200  (precision 0.500  recall 0.250 at confidence >= 0.4)
    8 gold tuples in 2 sentences, 4 predicted, 9 thresholds
    """
    mode = "open mode" if result["open_arguments"] else "actor triples"
    if not result.get("classifier", True):
        mode += ", patterns only"
    return "\n".join(
        [
            f"{result['benchmark']} ({mode}, mapping {result['mapping']})",
            f"F1 {result['f1']:.3f}  AUC {result['auc']:.3f}  (precision {result['precision']:.3f}  "
            f"recall {result['recall']:.3f} at confidence >= {result['threshold']})",
            f"{result['n_gold']} gold tuples in {result['sentences']} sentences, "
            f"{result['n_pred']} predicted, {result['thresholds']} thresholds",
        ]
    )
