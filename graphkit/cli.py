"""The ``graphkit`` command line: each command parses its options and calls one library function."""

from __future__ import annotations

import functools
import json
import logging
import sys
from collections.abc import Callable
from typing import Any

import click

from graphkit import __version__
from graphkit.build import EXTRACT_FORMATS, build, extract_documents, format_triples
from graphkit.engines import ENGINES, default_jobs
from graphkit.errors import GraphkitError
from graphkit.evaluate import BENCHMARKS, evaluate, format_report
from graphkit.extract.nlp import DEFAULT_MODEL
from graphkit.network.analysis import PERIODS, analyze, format_markdown
from graphkit.network.export import EXPORT_FORMATS, export_network
from graphkit.network.view import read_network
from graphkit.rdf.formats import FORMATS
from graphkit.rdf.query import QUERY_FORMATS, format_result, run_query
from graphkit.rdf.store import export
from graphkit.rdf.validate import format_report as format_validation
from graphkit.rdf.validate import validate
from graphkit.train import NER_MODES, train
from graphkit.viz import write_html

_MODEL_HELP = "spaCy pipeline: an installed package name or a directory."
_RULES_ONLY_HELP = "Extract with the patterns alone, without the relation classifier's triples."
_OPEN_HELP = "Open mode: also keep arguments that name no actor (talks, weapons...), as class Actor."
_JOBS_HELP = (
    "Worker processes that extract in parallel; 0: one per CPU available, at most 8 "
    "(small inputs stay in one)."
)
_ENGINE_HELP = "Where extraction runs: local (this machine, --jobs processes) or dask (a Dask cluster)."
_SCHEDULER_HELP = (
    "With --engine dask: the scheduler of a running cluster, tcp://HOST:PORT "
    "(default: a local cluster of --jobs workers)."
)
_STRICT_HELP = (
    "Stop with an error on an input that is empty, binary, not UTF-8 or a malformed JSONL line "
    "(by default it is skipped, or decoded as cp1252/Latin-1, with a warning)."
)


class _WarningLine(logging.Handler):
    """Prints graphkit's log records as one line each on standard error: ``graphkit: warning: ...``."""

    def emit(self, record: logging.LogRecord) -> None:
        message = " ".join(self.format(record).split())
        click.echo(f"graphkit: {record.levelname.lower()}: {message}", err=True)


def _show_warnings() -> None:
    logger = logging.getLogger("graphkit")
    logger.setLevel(logging.WARNING)
    if not any(isinstance(handler, _WarningLine) for handler in logger.handlers):
        logger.addHandler(_WarningLine())


def _user_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn graphkit's errors into a one-line message and exit code 2 (a traceback only with --debug)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        context = click.get_current_context()
        try:
            return command(*args, **kwargs)
        except GraphkitError as error:
            if context.find_root().params.get("debug"):
                raise
            click.echo(f"graphkit: error: {error}", err=True)
            sys.exit(2)
        except KeyboardInterrupt:
            click.echo("graphkit: interrupted; no output was written", err=True)
            sys.exit(130)

    return wrapper


_MIN_CONFIDENCE_HELP = (
    "Drop triples whose confidence is below P (0-1), and the actors only they name; the relation "
    "classifier's triples carry its probability, the patterns' their documented confidence."
)
_EXTRACTION_OPTIONS = (
    click.option("--open", "open_arguments", is_flag=True, help=_OPEN_HELP),
    click.option("--rules-only", is_flag=True, help=_RULES_ONLY_HELP),
    click.option(
        "--min-confidence",
        type=click.FloatRange(0.0, 1.0),
        default=0.0,
        show_default=True,
        metavar="P",
        help=_MIN_CONFIDENCE_HELP,
    ),
    click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default=True, help=_JOBS_HELP),
    click.option("--strict", is_flag=True, help=_STRICT_HELP),
    click.option(
        "--engine", type=click.Choice(sorted(ENGINES)), default="local", show_default=True, help=_ENGINE_HELP
    ),
    click.option("--scheduler", metavar="tcp://HOST:PORT", help=_SCHEDULER_HELP),
)


def _extraction_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options of every command that extracts (build, extract), in the same order everywhere."""
    for option in reversed(_EXTRACTION_OPTIONS):
        command = option(command)
    return command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="graphkit")
@click.option("--debug", is_flag=True, help="Show a full traceback on errors.")
def main(debug: bool) -> None:
    """graphkit: news articles in, a graph of actors and what they did to each other out.

    \b
    Examples:
      graphkit build examples/seed --out out/seed
      graphkit extract article.txt --format tsv
    """
    _show_warnings()


@main.command(
    "build",
    epilog="""\b
Examples:
  graphkit build examples/seed --out out/seed
  graphkit build examples/wikinews/articles.jsonl --out out/wikinews --model en_core_web_lg
  cat article.txt | graphkit build - --out out/stdin
  graphkit build news.jsonl --out out/news --store out/store --curation curation.json
  graphkit build news.jsonl --out out/news --store http://localhost:7878
  graphkit build corpus/ --out out/corpus --store out/store   # rerun: only new or changed articles parsed
  graphkit build corpus/ --out out/corpus --engine dask --scheduler tcp://10.0.0.5:8786
  graphkit build news.jsonl --out out/sure --min-confidence 0.5   # drop triples below 0.5
""",
)
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option(
    "--out", "-o", "out_dir", required=True, type=click.Path(file_okay=False), help="Output directory."
)
@click.option("--model", "-m", default=DEFAULT_MODEL, show_default=True, help=_MODEL_HELP)
@click.option("--title", default="graphkit", show_default=True, help="Title of the HTML page.")
@click.option(
    "--quiet", "-q", is_flag=True, help="No progress bar (drawn only on a terminal) and no summary."
)
@_extraction_options
@click.option(
    "--store",
    metavar="DIR|URL",
    help="Also write into a store: an Oxigraph directory (created when missing) or a SPARQL endpoint URL. "
    "A document already there is replaced; a rerun parses only new and changed documents "
    "(the others come from DIR/.graphkit-cache.sqlite).",
)
@click.option(
    "--curation",
    type=click.Path(dir_okay=False),
    help="Curation file (JSON: merge, split, rename, retype) applied to every document.",
)
@_user_errors
def build_command(
    inputs: tuple[str, ...],
    out_dir: str,
    model: str,
    title: str,
    quiet: bool,
    store: str | None,
    curation: str | None,
    open_arguments: bool,
    rules_only: bool,
    min_confidence: float,
    jobs: int,
    strict: bool,
    engine: str,
    scheduler: str | None,
) -> None:
    """Build DIR/graph.ttl (RDF), DIR/triples.jsonl and DIR/graph.html (offline explorer) from INPUT.

    INPUT: .txt or .html files (one article each), .jsonl or .csv files (one article per line or row; a
    text column), any of them .gz, directories of them, or - for stdin.
    """
    summary = build(
        inputs,
        out_dir,
        model=model,
        title=title,
        progress=not quiet,
        store=store,
        curation=curation,
        open_arguments=open_arguments,
        classifier=not rules_only,
        min_confidence=min_confidence,
        jobs=jobs or default_jobs(),
        strict=strict,
        engine=engine,
        scheduler=scheduler,
    )
    if not quiet:
        skipped = f", {summary.skipped} skipped (see the warnings)" if summary.skipped else ""
        if summary.unchanged:
            skipped += f", {summary.unchanged} unchanged (from the cache)"
        click.echo(
            f"{summary.documents} documents{skipped}, {summary.sentences} sentences, "
            f"{summary.actors} actors, {summary.relations} relations in {summary.seconds:.1f} s",
            err=True,
        )
        for path in summary.outputs.values():
            click.echo(f"  wrote {path}", err=True)


@main.command(
    "extract",
    epilog="""\b
Examples:
  graphkit extract examples/seed/000_532c7a3618cdb889.txt
  graphkit extract examples/wikinews/articles.jsonl --format tsv > triples.tsv
  echo "Rebels killed ten soldiers." | graphkit extract -
  graphkit extract corpus/ --jobs 2 --quiet > triples.jsonl
  graphkit extract news.jsonl --rules-only   # the patterns' triples alone, no classifier guesses
  graphkit extract news.jsonl --min-confidence 0.5 --format tsv   # only the surer triples
""",
)
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(EXTRACT_FORMATS),
    default="jsonl",
    show_default=True,
    help="jsonl: one triple record per line; tsv: a table with a header.",
)
@click.option("--model", "-m", default=DEFAULT_MODEL, show_default=True, help=_MODEL_HELP)
@_extraction_options
@click.option("--quiet", "-q", is_flag=True, help="No progress bar (it is drawn only on a terminal).")
@_user_errors
def extract_command(
    inputs: tuple[str, ...],
    fmt: str,
    model: str,
    open_arguments: bool,
    rules_only: bool,
    min_confidence: float,
    jobs: int,
    strict: bool,
    engine: str,
    scheduler: str | None,
    quiet: bool,
) -> None:
    """Print the triples extracted from INPUT to standard output.

    INPUT: .txt or .html files (one article each), .jsonl or .csv files (one article per line or row; a
    text column), any of them .gz, directories of them, or - for stdin.
    """
    extractions = extract_documents(
        inputs,
        model=model,
        open_arguments=open_arguments,
        classifier=not rules_only,
        min_confidence=min_confidence,
        jobs=jobs or default_jobs(),
        strict=strict,
        engine=engine,
        scheduler=scheduler,
        progress=not quiet,
    )
    for chunk in format_triples(extractions, fmt):
        click.echo(chunk, nl=False)


@main.command(
    "evaluate",
    epilog="""\b
Examples:
  graphkit evaluate re3d ../shared/bench/re3d/re3d_dev.jsonl
  graphkit evaluate re3d re3d_dev.jsonl --json --model en_core_web_lg > re3d.json
  graphkit evaluate re3d re3d_dev.jsonl --open
  graphkit evaluate conll04 ../shared/bench/conll04/test.json --model models/conll04 --json
  graphkit evaluate re3d re3d_dev.jsonl --rules-only
  graphkit evaluate carb ../shared/bench/carb/gold_dev.tsv --json > carb.json
""",
)
@click.argument("benchmark", type=click.Choice(sorted(BENCHMARKS)), metavar="BENCHMARK")
@click.argument("path", metavar="PATH")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
@click.option("--model", "-m", default=DEFAULT_MODEL, show_default=True, help=_MODEL_HELP)
@click.option("--open", "open_arguments", is_flag=True, help=_OPEN_HELP)
@click.option("--rules-only", is_flag=True, help=_RULES_ONLY_HELP)
@_user_errors
def evaluate_command(
    benchmark: str, path: str, as_json: bool, model: str, open_arguments: bool, rules_only: bool
) -> None:
    """Score the extractor on BENCHMARK's annotated file PATH: precision, recall and F1 of its relations.

    \b
    re3d: Dstl's RE3D JSONL (one document a line with entities and relations); a relation is found when a
    triple's subject and object overlap its two arguments, in either direction; typed, the triple's
    category must also map to the relation's type.
    conll04: SpERT JSON, scored strictly, end to end: a relation counts when its type, both argument spans
    and their entity types match the gold; micro and macro F1 over the five types, and entity F1.
    carb: CaRB's gold TSV (sentence, relation, arguments), scored by our implementation of CaRB's
    token-overlap matcher: best F1 and area under the precision-recall curve over confidence
    thresholds. Always in open mode.
    """
    result = evaluate(
        benchmark, path, model=model, open_arguments=open_arguments, progress=True, classifier=not rules_only
    )
    click.echo(json.dumps(result) if as_json else format_report(result))


@main.command(
    "train",
    epilog="""\b
Examples:
  graphkit train conll04/train.json --dev conll04/dev.json --out models/conll04
  graphkit train train.json --dev dev.json --out models/fresh --mode fresh --epochs 40 --seed 1
  graphkit train conll04/train.json --dev conll04/dev.json --out models/final --refit-relations
  graphkit train conll04/train.json --dev conll04/dev.json --out models/minilm --relation-encoder minilm
  graphkit train conll04/train.json --dev conll04/dev.json --out models/final --refit \\
      --relation-encoder minilm
  graphkit train conll04/train.json --dev conll04/dev.json --out models/tner --entity-encoder minilm \\
      --relation-encoder minilm
  graphkit train conll04/train.json --dev conll04/dev.json --out models/vote --refit \\
      --entity-encoder minilm --entity-ensemble 2 --relation-encoder minilm
  graphkit build news.jsonl --out out/news --model models/conll04
""",
)
@click.argument("train_path", metavar="TRAIN")
@click.option("--dev", "dev_path", required=True, help="Annotated documents the best epoch is chosen on.")
@click.option(
    "--out",
    "-o",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False),
    help="Model directory to write.",
)
@click.option("--base", default=DEFAULT_MODEL, show_default=True, help="spaCy pipeline to start from.")
@click.option(
    "--mode",
    type=click.Choice(NER_MODES),
    default=NER_MODES[0],
    show_default=True,
    help="Retrain the base pipeline's recognizer (transfer) or a new one (fresh).",
)
@click.option("--epochs", default=30, show_default=True, type=click.IntRange(min=1), help="Most epochs.")
@click.option("--seed", default=0, show_default=True, help="Seed: one seed, one model.")
@click.option(
    "--refit",
    is_flag=True,
    help="Final model: choose epochs and threshold on --dev, then train both parts again on TRAIN and --dev "
    "with them (its dev figures then mean nothing; score it on a test split).",
)
@click.option(
    "--refit-relations",
    is_flag=True,
    help="Fit only the logistic-regression relation classifier chosen on --dev again on TRAIN and --dev.",
)
@click.option(
    "--relation-encoder",
    metavar="NAME",
    help="Train a transformer relation classifier on this encoder: 'minilm' or a local Hugging Face model "
    "directory (needs pip install 'graphkit[transformer]').",
)
@click.option(
    "--entity-encoder",
    metavar="NAME",
    help="Train a transformer entity recognizer on this encoder instead of the spaCy one: 'minilm' or a "
    "local Hugging Face model directory (needs pip install 'graphkit[transformer]'; --mode and --epochs "
    "then apply only to the spaCy recognizer of an --entity-ensemble).",
)
@click.option(
    "--entity-ensemble",
    metavar="N",
    default=0,
    type=click.IntRange(min=0),
    help="With --entity-encoder: train N transformer recognizers (seeds SEED..SEED+N-1) and the spaCy one, "
    "and keep the entities most of them give (rule in data/entity_vote.json; N=2 is what the README's "
    "CoNLL04 figure uses). Training and extraction take about N times the transformer's time.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress lines.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
@_user_errors
def train_command(
    train_path: str,
    dev_path: str,
    out_dir: str,
    base: str,
    mode: str,
    epochs: int,
    seed: int,
    refit: bool,
    refit_relations: bool,
    relation_encoder: str | None,
    entity_encoder: str | None,
    entity_ensemble: int,
    quiet: bool,
    as_json: bool,
) -> None:
    """Train the entity recognizer and relation classifier on annotated documents TRAIN.

    TRAIN and --dev are SpERT JSON (CoNLL04) or RE3D JSONL files. The model directory written works as
    --model DIR with build, extract and evaluate.
    """
    summary = train(
        train_path,
        dev_path,
        out_dir,
        base=base,
        mode=mode,
        epochs=epochs,
        seed=seed,
        progress=not quiet,
        refit=refit,
        refit_relations=refit_relations,
        relation_encoder=relation_encoder,
        entity_encoder=entity_encoder,
        entity_ensemble=entity_ensemble,
    )
    ner = summary["ner"]
    click.echo(
        json.dumps(summary)
        if as_json
        else f"wrote {summary['model']}: entity F1 {ner['f1']:.3f} on dev (epoch {ner['best_epoch']})"
        + ("" if summary["relations"] else "; no relation classifier trained")
        + ("; then refitted on TRAIN and --dev (dev figures of the choice)" if refit else "")
    )


# --- the actor network: analysis, exports, the explorer page ----------------------------------------------


@main.command(
    "analyze",
    epilog="""\b
Examples:
  graphkit analyze out/examples/graph.ttl
  graphkit analyze out/examples/graph.ttl --json --seed 7 > analysis.json
  graphkit analyze out/examples/graph.ttl --actor "Donald Trump" --hops 2
  graphkit analyze out/examples/graph.ttl --path "Qasem Soleimani" "Donald Trump" --by month
""",
)
@click.argument("graph_path", metavar="GRAPH")
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@click.option("--markdown", "as_markdown", is_flag=True, help="Print the report as Markdown (the default).")
@click.option("--actor", help="Analyse only this actor's ego network (label, alias or IRI).")
@click.option("--hops", default=1, show_default=True, type=click.IntRange(min=0), help="Radius of --actor.")
@click.option(
    "--path", nargs=2, metavar="A B", help="Also show the shortest paths from A to B, with evidence."
)
@click.option("--by", type=click.Choice(list(PERIODS)), help="Also show the change over time by this period.")
@click.option("--top", default=10, show_default=True, type=click.IntRange(min=1), help="Length of rankings.")
@click.option("--seed", default=0, show_default=True, help="Seed of Louvain and sampled betweenness.")
@_user_errors
def analyze_command(
    graph_path: str,
    as_json: bool,
    as_markdown: bool,
    actor: str | None,
    hops: int,
    path: tuple[str, str] | None,
    by: str | None,
    top: int,
    seed: int,
) -> None:
    """Analyse the actor network of GRAPH: centrality, communities, conflict and cooperation, brokers,
    relation categories, most-cited sources.

    GRAPH: an RDF file written by graphkit build (graph.ttl) or one of its exports.
    """
    if as_json and as_markdown:
        raise click.UsageError("choose one of --json and --markdown")
    report = analyze(
        read_network(graph_path), seed=seed, top=top, actor=actor, hops=hops, path=path or None, by=by
    )
    click.echo(
        json.dumps(report, ensure_ascii=False, indent=1) if as_json else format_markdown(report), nl=False
    )


@main.command(
    "export-network",
    epilog="""\b
Examples:
  graphkit export-network out/examples/graph.ttl --format gexf -o network.gexf
  graphkit export-network out/examples/graph.ttl --format csv -o network.csv
      (writes network.nodes.csv and network.edges.csv)
""",
)
@click.argument("graph_path", metavar="GRAPH")
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(list(EXPORT_FORMATS)),
    default="graphml",
    show_default=True,
    help="graphml or gexf (Gephi), csv (node and edge lists), json (networkx node-link).",
)
@click.option(
    "--output", "-o", "output", required=True, type=click.Path(dir_okay=False), help="File to write."
)
@click.option("--seed", default=0, show_default=True, help="Seed of the Louvain communities written.")
@_user_errors
def export_network_command(graph_path: str, fmt: str, output: str, seed: int) -> None:
    """Write the actor network of GRAPH for other tools (Gephi, Cytoscape, spreadsheets, networkx).

    GRAPH: an RDF file written by graphkit build (graph.ttl) or one of its exports.
    """
    for written in export_network(read_network(graph_path), output, format=fmt, seed=seed):
        click.echo(f"wrote {written}", err=True)


@main.command(
    "viz",
    epilog="""\b
Examples:
  graphkit viz out/examples/graph.ttl -o page.html
  graphkit viz out/examples/graph.ttl -o trump.html --actor "Donald Trump" --hops 2
  graphkit viz big.ttl -o top.html --top 500 --min-evidence 2
""",
)
@click.argument("graph_path", metavar="GRAPH")
@click.option(
    "--output", "-o", "output", required=True, type=click.Path(dir_okay=False), help="Page to write."
)
@click.option("--actor", help="Show only this actor's ego network (label, alias or IRI).")
@click.option("--hops", default=1, show_default=True, type=click.IntRange(min=0), help="Radius of --actor.")
@click.option("--top", type=click.IntRange(min=1), help="Show only the N actors of highest PageRank.")
@click.option(
    "--min-evidence",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    help="Show only relations with at least K evidence sentences.",
)
@click.option("--title", default="graphkit", show_default=True, help="Title of the page.")
@click.option("--seed", default=0, show_default=True, help="Seed of the communities and the layout.")
@_user_errors
def viz_command(
    graph_path: str,
    output: str,
    actor: str | None,
    hops: int,
    top: int | None,
    min_evidence: int,
    title: str,
    seed: int,
) -> None:
    """Write the offline HTML explorer of GRAPH's actor network: one self-contained page.

    GRAPH: an RDF file written by graphkit build (graph.ttl) or one of its exports.
    """
    written = write_html(
        read_network(graph_path),
        output,
        title=title,
        seed=seed,
        actor=actor,
        hops=hops,
        top=top,
        min_evidence=min_evidence,
    )
    click.echo(f"wrote {written}", err=True)


@main.command(
    "validate",
    epilog="""\b
Examples:
  graphkit validate out/seed/graph.ttl
  graphkit validate out/store
""",
)
@click.argument("graph", metavar="GRAPH")
@_user_errors
def validate_command(graph: str) -> None:
    """Check GRAPH against graphkit's SHACL shapes; print each violation; exit 1 on any.

    \b
    GRAPH: an RDF file, an Oxigraph store directory or a SPARQL endpoint URL.
    """
    report = validate(graph)
    click.echo(format_validation(report))
    if not report.conforms:
        sys.exit(1)


@main.command(
    "export",
    epilog="""\b
Examples:
  graphkit export out/seed/graph.ttl --format jsonld -o graph.jsonld
  graphkit export out/store --format trig -o news.trig
""",
)
@click.argument("graph", metavar="GRAPH")
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(sorted(FORMATS)),
    help="RDF syntax; from FILE's extension when omitted.",
)
@click.option(
    "--output", "-o", required=True, type=click.Path(dir_okay=False), metavar="FILE", help="File to write."
)
@_user_errors
def export_command(graph: str, fmt: str | None, output: str) -> None:
    """Write GRAPH to FILE in another RDF syntax (trig and nq keep one named graph per document).

    \b
    GRAPH: an RDF file, an Oxigraph store directory or a SPARQL endpoint URL.
    """
    click.echo(f"wrote {export(graph, output, fmt)}", err=True)


def _bindings(_context: click.Context, _param: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    bindings = {}
    for value in values:
        name, equals, bound = value.partition("=")
        if not equals:
            raise click.BadParameter(f"{value!r} is not NAME=VALUE")
        bindings[name.lstrip("?$")] = bound
    return bindings


@main.command(
    "query",
    epilog="""\b
Examples:
  graphkit query out/seed/graph.ttl "SELECT ?actor ?name WHERE { ?actor skos:prefLabel ?name }"
  graphkit query out/store top-actors --format csv
  graphkit query out/store relations-between --bind first="John Kerry" --bind second=Russia
  graphkit query out/store reported-by --bind source="Syrian Observatory for Human Rights"
""",
)
@click.argument("graph", metavar="GRAPH")
@click.argument("sparql", metavar="SPARQL")
@click.option(
    "--bind",
    "-b",
    "bindings",
    multiple=True,
    callback=_bindings,
    metavar="NAME=VALUE",
    help="Bind ?NAME to VALUE (<...> for an IRI, else a string); the variable must be selected.",
)
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(sorted(QUERY_FORMATS)),
    default="table",
    show_default=True,
    help="How to print SELECT rows.",
)
@_user_errors
def query_command(graph: str, sparql: str, bindings: dict[str, str], fmt: str) -> None:
    """Run a SPARQL query (or a named one) on GRAPH and print the result.

    \b
    GRAPH: an RDF file, an Oxigraph store directory or a SPARQL endpoint URL; queries see the union of its
    graphs and may use graphkit's prefixes (gk:, gka:, skos:, prov:...) without declaring them.
    SPARQL: query text, or a named query: top-actors, relations-between, reported-by.
    """
    click.echo(format_result(run_query(graph, sparql, bindings), fmt), nl=False)


if __name__ == "__main__":
    main()
