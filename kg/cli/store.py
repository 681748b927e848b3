"""Commands on the store: `kg query`, `kg queries`, `kg export`, `kg validate`, `kg serve`,
`kg doctor`, and `kg ontology`, which describes the vocabulary its graphs use."""
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
@click.option("--raw", is_flag=True, help="csv/tsv: write cells as they are, without the leading ' that keeps "
                                          "a spreadsheet from running a cell such as =HYPERLINK(...) as a formula.")
@click.option("--limit", type=click.IntRange(0), default=None, metavar="N",
              help="Rows to give (0: all). Listings such as `events` give a page of their newest rows by default.")
@click.option("--offset", type=click.IntRange(0), default=0, show_default=True, metavar="N", help="Rows to skip first.")
@store_option
@allow_service_option
@quiet_option
@reports_errors
def query(spec: str, params: tuple[str, ...], fmt: str | None, raw: bool, output: Path | None, limit: int | None,
          offset: int, store_path: str,
          allow_service: tuple[str, ...], quiet: bool) -> None:
    """Run SPEC: a saved query's name (see `kg queries`), a .rq file, or SPARQL text.

    SELECT and ASK print a table (or CSV, TSV, JSON); CONSTRUCT and DESCRIBE print the graph
    as Turtle (or N-Triples, JSON-LD). Listings such as `events` give a page of their newest
    rows (--limit, --offset for others). The store is only read: SPARQL Update is refused. An
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
        answer = run(store, saved, params=values, limit=limit, offset=offset)
        size = render.answer_size(answer)
        nothing = size == 0 or (size is None and not answer.boolean)  # no rows, no triples, or "no"
        empty_store = nothing and warn_if_empty(store, store_path)
    data = render.answer_bytes(answer, chosen, raw=raw)
    if output is None:
        click.echo(data, nl=False)
    else:
        write_file(output, data)
        if not quiet:
            click.echo(f"wrote {output}: {render.plural(size, 'triple' if saved.gives_graph else 'row')} ({chosen})")
    if size == 0 and not empty_store:
        warn(f"the query matched nothing (0 {'triples' if saved.gives_graph else 'rows'})")
    elif limit is None and saved.page and size == saved.page:
        click.echo(f"kg: the newest {saved.page} rows from row {offset + 1}; more with --offset "
                   f"{offset + saved.page}, every row with --limit 0", err=True)


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
              help="Time limit of one query, the wait for a query process included; past it the answer is 503.")
@click.option("--max-results", default=10_000, show_default=True, type=click.IntRange(1),
              help="Rows (or triples) per answer; the rest is not computed, and X-SPARQL-MaxRows says so.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1),
              help="Query processes for quick queries (long ones get half as many more).")
@click.option("--memory-limit", default=None, metavar="SIZE",
              help="Memory of each query process (512M, 2G; 0 for none); a query past it is stopped with 503. "
                   "Default: a quarter of this machine's memory, shared by the processes.")
@click.option("--max-pending", default=256, show_default=True, type=click.IntRange(1),
              help="Queries waiting or running at once; one more is answered 503 with Retry-After.")
@click.option("--cache", "cache", default="32M", show_default=True, metavar="SIZE",
              help="Answers kept for the same query asked again, until a new build is served (0: none).")
@click.option("--cors", "cors", multiple=True, metavar="ORIGIN",
              help="Let web pages from ORIGIN (https://example.org, or * for any) query the endpoint (repeatable); "
                   "by default only the page at / may.")
@click.option("--request-timeout", default=10.0, show_default=True, type=click.FloatRange(min=0.1), metavar="SECONDS",
              help="Time a client has to send a whole request; a slower one is cut off (408).")
@click.option("--max-connections", default=512, show_default=True, type=click.IntRange(1),
              help="Open connections; one more closes the one that has waited longest for its request.")
@click.option("--allowed-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="A host name clients may use for this server (repeatable; .example.org for its subdomains): "
                   "the name of a reverse proxy in front of it. Its addresses are always allowed.")
@allow_service_option
@reports_errors
def serve(store_path: str, host: str, port: int, timeout: float, max_results: int, workers: int,
          memory_limit: str | None, max_pending: int, cache: str, request_timeout: float, max_connections: int,
          cors: tuple[str, ...], allowed_hosts: tuple[str, ...], allow_service: tuple[str, ...]) -> None:
    """Serve the store as a read-only SPARQL 1.1 endpoint at /sparql, with YASGUI at /.

    A new build of the store is served as soon as it has finished, without a restart.
    The limits are described in docs/scale.md.
    """
    import logging
    import signal

    from kg.serve import HTTPLimits, PoolLimits, ServeOptions, make_server
    from kg.serve.options import default_memory_limit, parse_size
    from kg.store import open_store
    from kg.store.export import store_size

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        limit = default_memory_limit(workers) if memory_limit is None else parse_size(memory_limit)
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--memory-limit") from None
    try:
        cache_bytes = parse_size(cache, minimum=0)
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--cache") from None
    pool = PoolLimits(workers=workers, memory_limit=limit, max_pending=max_pending, max_long=0,
                      allow_service=frozenset(allow_service), cache_bytes=cache_bytes)
    options = ServeOptions(timeout=timeout, max_results=max_results, cors=frozenset(cors),
                           allowed_hosts=frozenset(h.lower() for h in allowed_hosts), pool=pool,
                           http=HTTPLimits(max_connections=max_connections, request_timeout=request_timeout))
    with open_store(store_path, read_only=True) as store:
        size = store_size(store)
    server = make_server(store_path, host=host, port=port, options=options)
    shown = f"{limit / 2**30:.1f} GB" if limit else "no limit"
    click.echo(f"kg: serving {store_path} at {server.url} (YASGUI at /; {workers} query processes "
               f"and {server.pool.limits.max_long} for long queries, "
               f"{shown} each; Ctrl-C stops); it holds {size.describe()}", err=True)
    signal.signal(signal.SIGTERM, lambda *_: server.shutdown())  # `kill` stops it as Ctrl-C does, tidying up
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

    click.echo(describe_ontology(fmt), nl=False)  # (the description ends its last line)
