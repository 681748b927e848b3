"""Commands on the graph: `kg view`, `kg stats`, `kg neighbors`, `kg path`, `kg timeline`,
`kg merge`."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kg.cli.options import progress_line, quiet_option, reports_errors, store_option, warn, warn_if_empty
from kg.model import EntityType

if TYPE_CHECKING:
    import networkx as nx


merge_option = click.option(
    "--merge/--no-merge", default=True, show_default=True,
    help="Fold entities and events that several articles name differently (see kg merge --dry-run).",
)


def _graph(store_path: str, *, merge: bool = True) -> nx.MultiDiGraph:
    """The n-ary projection of the store at `store_path` (kept between commands), with a
    warning if the store is empty."""
    from kg.analyze.cache import load_projection
    from kg.store import open_store

    with open_store(store_path, read_only=True) as store:
        warn_if_empty(store, store_path)
        return load_projection(store, merge=merge, progress=progress_line())


@click.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("graph.html"), show_default=True)
@click.option("--simple", is_flag=True, help="Draw direct actor-to-actor edges instead of event nodes.")
@click.option("--focus", multiple=True, metavar="NAME", help="Show only what is near this entity (kg:name or kg:alias, any case); repeatable.")
@click.option("--hops", type=click.IntRange(min=0), default=None, help="How far from --focus to go  [default: 1]")
@click.option("--type", "types", multiple=True, metavar="TYPE",
              help=f"Keep entities of this type ({', '.join(EntityType)}); repeatable.")
@click.option("--event-type", "event_types", multiple=True, metavar="CLASS", help="Keep events of this class and its subclasses (Consult includes PhoneCall); repeatable.")
@click.option("--since", metavar="YYYY-MM-DD", help="Keep facts dated on or after this day (event date, else the article's).")
@click.option("--until", metavar="YYYY-MM-DD", help="Keep facts dated on or before this day.")
@click.option("--source", "sources", multiple=True, metavar="TEXT", help="Keep facts from articles whose source, title or origin contains TEXT; repeatable.")
@click.option("--size-by", type=click.Choice(["degree", "pagerank"]), default="degree", show_default=True, help="What node size shows.")
@click.option("--max-nodes", type=click.IntRange(min=1), default=5000, show_default=True, help="Above this, keep the best-connected nodes (after the filters).")
@click.option("--fold/--unfold", default=None,
              help="Fold events into actor-to-actor edges, or draw each as a node  [default: fold above 300 events]")
@click.option("--no-open-relations", "open_relations", flag_value=False, default=True,
              help="Leave out open relations (kg:Action: verbs no event class reads); the page can also hide them.")
@click.option("--title", default=None, help="Page title (default: kg and the filters used).")
@merge_option
@store_option
@quiet_option
@reports_errors
def view(output: Path, simple: bool, focus: tuple[str, ...], hops: int | None, types: tuple[str, ...],
         event_types: tuple[str, ...], since: str | None, until: str | None, sources: tuple[str, ...],
         size_by: str, max_nodes: int, fold: bool | None, open_relations: bool, title: str | None,
         merge: bool, store_path: str, quiet: bool) -> None:
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
    with open_store(store_path, read_only=True) as store:
        empty = warn_if_empty(store, store_path)
        summary = write_store_view(store, output, simple=simple, selection=selection, title=title,
                                   merge=merge, progress=progress_line(), size_by=size_by, max_nodes=max_nodes,
                                   fold=fold, open_relations=open_relations)
    if summary.nodes == 0 and not empty:
        warn("nothing in the graph matches the filters: the page is empty")
    left_out = f" ({summary.dropped_nodes} nodes left out: see --max-nodes)" if summary.dropped_nodes else ""
    folded = ", events folded into actor-to-actor edges" if summary.folded else ""
    if not quiet:
        click.echo(f"wrote {output}: {summary.nodes} nodes, {summary.events} events and {summary.links} links"
                   f"{folded}{left_out}")


@click.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True,
              help="How many items each list shows: rankings, communities and their members, verbs.")
@merge_option
@store_option
@reports_errors
def stats(fmt: str, top: int, merge: bool, store_path: str) -> None:
    """Count entities, events and relations; rank the most central entities; find components and communities."""
    from kg.analyze import graph_stats
    from kg.cli import render
    from kg.store import open_store

    with open_store(store_path, read_only=True) as store:
        warn_if_empty(store, store_path)
        report = graph_stats(store, top=top, merge=merge, progress=progress_line())
    click.echo(render.stats(report, fmt), nl=False)


@click.command()
@click.argument("entity")
@click.option("--hops", type=click.IntRange(min=1), default=1, show_default=True, help="How far to go.")
@click.option("--top", type=click.IntRange(min=1), default=100, show_default=True, help="List at most this many, nearest first.")
@merge_option
@store_option
@reports_errors
def neighbors(entity: str, hops: int, top: int, merge: bool, store_path: str) -> None:
    """List the entities and events within --hops hops of ENTITY, and the relations on the way."""
    from kg.analyze import neighbors as find_neighbors
    from kg.cli import render

    hood = find_neighbors(_graph(store_path, merge=merge), entity, hops=hops)
    click.echo(render.neighbors(hood, limit=top), nl=False)


@click.command()
@click.argument("source")
@click.argument("target")
@click.option("--max-paths", type=click.IntRange(min=1), default=10, show_default=True, help="List at most this many shortest paths.")
@merge_option
@store_option
@reports_errors
def path(source: str, target: str, max_paths: int, merge: bool, store_path: str) -> None:
    """Show the shortest paths between two entities, each hop with its evidence; exit 1 if there is none."""
    from kg.analyze import shortest_paths
    from kg.cli import render

    report = shortest_paths(_graph(store_path, merge=merge), source, target, limit=max_paths)
    click.echo(render.paths(report), nl=False)
    if not report.paths:
        sys.exit(1)


@click.command()
@click.argument("entity", required=False)
@click.option("--top", type=click.IntRange(min=1), default=None, help="List only the latest N events.")
@click.option("--no-open-relations", "open_relations", flag_value=False, default=True,
              help="Leave out open relations (kg:Action: verbs no event class reads).")
@merge_option
@store_option
@reports_errors
def timeline(entity: str | None, top: int | None, open_relations: bool, merge: bool, store_path: str) -> None:
    """List events in date order (undated last), or only those of ENTITY."""
    from kg.analyze import timeline as events_in_order
    from kg.cli import render

    entries = events_in_order(_graph(store_path, merge=merge), entity, open_relations=open_relations)
    click.echo(render.timeline(entries, limit=top), nl=False)


@click.command()
@click.option("--dry-run", is_flag=True,
              help="Only report, change nothing (required: kg folds these nodes each time it reads the store).")
@click.option("--kind", type=click.Choice(["entity", "event", "all"]), default="all", show_default=True)
@click.option("--top", type=click.IntRange(min=1), default=None, help="List at most this many merges of each kind.")
@store_option
@reports_errors
def merge(dry_run: bool, kind: str, top: int | None, store_path: str) -> None:
    """Report which entities and events named differently across articles are one, and why.

    `kg view`, `stats`, `neighbors`, `path` and `timeline` fold them (--no-merge shows them
    apart); names that could be several entities are listed as ambiguous and left apart.
    """
    from kg.analyze.merge import plan_merges
    from kg.cli import render

    if not dry_run:
        raise click.UsageError("kg merge writes nothing to the store: kg folds these nodes each time it reads "
                               "it; run kg merge --dry-run to see them, --no-merge on the other commands to keep them apart")
    plan = plan_merges(_graph(store_path, merge=False))
    click.echo(render.merge_plan(plan, kind=kind, limit=top), nl=False)
