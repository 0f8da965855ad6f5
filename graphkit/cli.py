"""The ``graphkit`` command line: each command parses its options and calls one library function."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import Any

import click

from graphkit import __version__
from graphkit.build import EXTRACT_FORMATS, build, extract_documents, format_triples
from graphkit.errors import GraphkitError
from graphkit.evaluate import BENCHMARKS, evaluate, format_report
from graphkit.extract.nlp import DEFAULT_MODEL

_MODEL_HELP = "spaCy pipeline: an installed package name or a directory."


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


@main.command(
    "build",
    epilog="""\b
Examples:
  graphkit build examples/seed --out out/seed
  graphkit build examples/wikinews/articles.jsonl --out out/wikinews --model en_core_web_lg
  cat article.txt | graphkit build - --out out/stdin
""",
)
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option(
    "--out", "-o", "out_dir", required=True, type=click.Path(file_okay=False), help="Output directory."
)
@click.option("--model", "-m", default=DEFAULT_MODEL, show_default=True, help=_MODEL_HELP)
@click.option("--title", default="graphkit", show_default=True, help="Title of the HTML page.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary.")
@_user_errors
def build_command(inputs: tuple[str, ...], out_dir: str, model: str, title: str, quiet: bool) -> None:
    """Build DIR/graph.ttl (RDF), DIR/triples.jsonl and DIR/graph.html (offline explorer) from INPUT.

    INPUT: .txt files (one article each), .jsonl files (one article per line), directories, or - for stdin.
    """
    summary = build(inputs, out_dir, model=model, title=title, progress=not quiet)
    if not quiet:
        click.echo(
            f"{summary.documents} documents, {summary.sentences} sentences, {summary.actors} actors, "
            f"{summary.relations} relations in {summary.seconds:.1f} s",
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
@_user_errors
def extract_command(inputs: tuple[str, ...], fmt: str, model: str) -> None:
    """Print the triples extracted from INPUT to standard output.

    INPUT: .txt files (one article each), .jsonl files (one article per line), directories, or - for stdin.
    """
    for chunk in format_triples(extract_documents(inputs, model=model), fmt):
        click.echo(chunk, nl=False)


@main.command(
    "evaluate",
    epilog="""\b
Examples:
  graphkit evaluate re3d ../shared/bench/re3d/re3d_dev.jsonl
  graphkit evaluate re3d re3d_dev.jsonl --json --model en_core_web_lg > re3d.json
""",
)
@click.argument("benchmark", type=click.Choice(sorted(BENCHMARKS)), metavar="BENCHMARK")
@click.argument("path", metavar="PATH")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
@click.option("--model", "-m", default=DEFAULT_MODEL, show_default=True, help=_MODEL_HELP)
@_user_errors
def evaluate_command(benchmark: str, path: str, as_json: bool, model: str) -> None:
    """Score the extractor on BENCHMARK's annotated file PATH: precision, recall and F1 of its relations.

    re3d: Dstl's RE3D JSONL (one document a line with entities and relations); a relation is found when a
    triple's subject and object overlap its two arguments, in either direction.
    """
    result = evaluate(benchmark, path, model=model, progress=True)
    click.echo(json.dumps(result) if as_json else format_report(result))


if __name__ == "__main__":
    main()
