"""Commands on the store: `kg query`, `kg queries`, `kg export`, `kg validate`, `kg serve`,
`kg doctor`, and `kg ontology`, which describes the vocabulary its graphs use."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.cli.options import allow_service_option, reports_errors, store_option
from kg.errors import KGError


@click.command()
@click.argument("spec")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="A query parameter.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table", show_default=True,
              help="table cuts long values at 60 characters; csv, tsv and json keep them whole.")
@click.option("--limit", type=click.IntRange(0), default=None, metavar="N",
              help="Rows to give (0: all). Listings such as `events` give a page of their newest rows by default.")
@click.option("--offset", type=click.IntRange(0), default=0, show_default=True, metavar="N", help="Rows to skip first.")
@store_option
@allow_service_option
@reports_errors
def query(spec: str, params: tuple[str, ...], fmt: str, limit: int | None, offset: int, store_path: str,
          allow_service: tuple[str, ...]) -> None:
    """Run SPEC: a saved query's name (see `kg queries`), a .rq file, or SPARQL text."""
    from kg.cli import render
    from kg.store import open_store
    from kg.store.queries import run, saved_queries

    values = {}
    for param in params:
        name, sep, value = param.partition("=")
        if not sep:
            raise click.UsageError(f"--param takes NAME=VALUE, got '{param}'")
        values[name] = value
    with open_store(store_path, read_only=True, allow_service=frozenset(allow_service)) as store:
        results = run(store, spec, params=values, limit=limit, offset=offset)
    click.echo(render.query_results(results, fmt), nl=False)
    page = saved_queries().get(spec)
    if limit is None and page is not None and page.page and len(results) == page.page:
        click.echo(f"kg: the newest {page.page} rows from row {offset + 1}; more with --offset "
                   f"{offset + page.page}, every row with --limit 0", err=True)


@click.command(name="queries")
@reports_errors
def list_queries() -> None:
    """List the saved queries and what each answers."""
    from kg.store.queries import saved_queries

    for name, saved in saved_queries().items():
        params = "".join(f" --param {p}=…" for p in saved.params)
        click.echo(f"{name}{params}\n    {saved.description}")


@click.command()
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

    with open_store(store_path, read_only=True) as store:
        if output is None:
            write_export(store, sys.stdout.buffer, fmt=fmt, include_ontology=include_ontology)
            return
        summary = export_to_file(store, output, fmt=fmt, include_ontology=include_ontology)
    click.echo(f"wrote {output}: {summary.describe()}")


@click.command()
@store_option
def validate(store_path: str) -> None:
    """Check the graph against the SHACL shapes; exit 0 if it conforms, 1 if not, 2 on error."""
    from kg.store import open_store
    from kg.rdf.validate import format_report, validate as run_validate

    try:
        with open_store(store_path, read_only=True) as store:
            report = run_validate(store.dataset())
    except KGError as err:
        click.echo(f"Error: {err.for_command_line()}", err=True)
        sys.exit(2)
    click.echo(format_report(report))
    sys.exit(0 if report.conforms else 1)


@click.command()
@store_option
@click.option("--repair", is_flag=True, help="Mend what is found (the store is then what a clean build writes).")
def doctor(store_path: str, repair: bool) -> None:
    """Check that the embedded store is consistent (what a killed or foreign write may leave:
    stray triples, a missing ontology, orphan fingerprints, dangling duplicate links); exit 0
    if it is (or was mended), 1 if not, 2 on error."""
    from kg.store import open_store

    try:
        with open_store(store_path, read_only=not repair) as store:
            if not hasattr(store, "check_integrity"):
                raise KGError(f"{store_path} is not an embedded store: kg doctor checks Oxigraph stores only")
            report = store.check_integrity(repair=repair)
    except KGError as err:
        click.echo(f"Error: {err.for_command_line()}", err=True)
        sys.exit(2)
    click.echo(report.describe())
    sys.exit(0 if report.consistent else 1)


@click.command()
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


@click.command()
@click.option("--format", "fmt", type=click.Choice(["markdown", "text"]), default="text", show_default=True)
@reports_errors
def ontology(fmt: str) -> None:
    """Describe the kg vocabulary: classes and properties, with an example each."""
    from kg.rdf.docs import describe_ontology

    click.echo(describe_ontology(fmt))
