"""Commands on the store: `kg query`, `kg queries`, `kg export`, `kg validate`, `kg serve`,
and `kg ontology`, which describes the vocabulary its graphs use."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.cli.options import allow_service_option, quiet_option, reports_errors, store_option, warn, warn_if_empty
from kg.errors import KGError


@click.command()
@click.argument("spec")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="A query parameter.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "turtle", "ttl", "nt", "jsonld"]),
              default=None, help="SELECT and ASK: table (the default; cuts long values at 60 characters), csv, tsv or "
              "json; CONSTRUCT and DESCRIBE: turtle (the default), nt or jsonld. Default from -o's extension.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the answer to this file (default: standard output).")
@store_option
@allow_service_option
@quiet_option
@reports_errors
def query(spec: str, params: tuple[str, ...], fmt: str | None, output: Path | None, store_path: str,
          allow_service: tuple[str, ...], quiet: bool) -> None:
    """Run SPEC: a saved query's name (see `kg queries`), a .rq file, or SPARQL text.

    SELECT and ASK print a table (or CSV, TSV, JSON); CONSTRUCT and DESCRIBE print the graph
    as Turtle (or N-Triples, JSON-LD). The store is only read: SPARQL Update is refused. An
    answer with nothing in it is a warning on stderr (exit status 0).
    """
    from kg.cli import render
    from kg.store import open_store
    from kg.store.queries import ReadOnlyQuery, resolve_query, run

    values = {}
    for param in params:
        name, sep, value = param.partition("=")
        if not sep:
            raise click.UsageError(f"--param takes NAME=VALUE, got '{param}'")
        values[name] = value
    try:
        saved = resolve_query(spec)
    except ReadOnlyQuery as err:
        raise click.ClickException(f"kg query is read-only; use kg build to add articles ({err.form} is "
                                   "SPARQL Update, which kg query does not run)") from None
    chosen = render.answer_format(fmt, output and str(output), form=saved.form, graph=saved.gives_graph)
    with open_store(store_path, read_only=True, allow_service=frozenset(allow_service)) as store:
        answer = run(store, saved, params=values)
        size = render.answer_size(answer)
        nothing = size == 0 or (size is None and not answer.boolean)  # no rows, no triples, or "no"
        empty_store = nothing and warn_if_empty(store, store_path)
    data = render.answer_bytes(answer, chosen)
    if output is None:
        click.echo(data, nl=False)
    else:
        write_file(output, data)
        if not quiet:
            click.echo(f"wrote {output}: {render.plural(size, 'triple' if saved.gives_graph else 'row')} ({chosen})")
    if size == 0 and not empty_store:
        warn(f"the query matched nothing (0 {'triples' if saved.gives_graph else 'rows'})")


def write_file(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as err:
        raise click.ClickException(f"cannot write {path}: {err.strerror or err}") from None


@click.command(name="queries")
@reports_errors
def list_queries() -> None:
    """List the saved queries and what each answers."""
    from kg.store.queries import saved_queries

    for name, saved in saved_queries().items():
        params = "".join(f" --param {p}=…" for p in saved.params)
        click.echo(f"{name}{params}\n    {saved.description}")


@click.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: standard output); its extension names the format "
              "(.ttl, .nt, .trig, .jsonld, .graphml, .gexf) unless --format does.")
@click.option("--format", "fmt", type=click.Choice(["turtle", "nt", "trig", "jsonld", "graphml", "gexf", "ttl"]),
              default=None, help="RDF (turtle or ttl, nt, trig, jsonld), or a property graph for Gephi and Cytoscape "
              "(graphml, gexf)  [default: from -o's extension, else turtle]")
@click.option("--ontology", "include_ontology", is_flag=True, help="Include the kg ontology in the export.")
@store_option
@quiet_option
@reports_errors
def export(output: Path | None, fmt: str | None, include_ontology: bool, store_path: str, quiet: bool) -> None:
    """Export the graph as Turtle, N-Triples, TriG or JSON-LD, or as GraphML or GEXF."""
    from kg.export import EXTENSIONS, export_to_file, format_for, write_export
    from kg.store import open_store

    chosen = format_for(fmt, output)
    named = EXTENSIONS.get(output.suffix.lower()) if output else None
    if named and named != chosen:
        warn(f"{output} is written as {chosen}, as --format says, not as {named}")
    with open_store(store_path, read_only=True) as store:
        warn_if_empty(store, store_path)
        if output is None:
            write_export(store, sys.stdout.buffer, fmt=chosen, include_ontology=include_ontology)
            return
        summary = export_to_file(store, output, fmt=chosen, include_ontology=include_ontology)
    if not quiet:
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
    from kg.store import open_store
    from kg.store.export import store_size

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    with open_store(store_path, read_only=True) as store:
        size = store_size(store)
    options = ServeOptions(timeout=timeout, max_results=max_results, workers=workers,
                           allow_service=frozenset(allow_service))
    server = make_server(store_path, host=host, port=port, options=options)
    click.echo(f"kg: serving {store_path} at {server.url} (Ctrl-C stops); it holds {size.describe()}", err=True)
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
