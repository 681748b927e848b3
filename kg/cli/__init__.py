"""The `kg` command line: a thin layer over the library. Each command parses its options,
calls one library function, and turns kg's errors into one-line messages (`options`); what
it prints is made in `render`. The commands live by area: `build` (build, extract, eval),
`store` (query, queries, export, validate, serve, ontology) and `graph` (view, stats,
neighbors, path, timeline, merge). Nothing heavy is imported until a command runs.
"""
from __future__ import annotations

import click

from kg.cli import build, graph, store

__all__ = ["main"]


@click.group()
@click.version_option(package_name="kg-news")
def main() -> None:
    """kg: turn political and economic news into a knowledge graph you can query, view and share."""


for command in (build.build, build.extract, build.evaluate, store.query, store.list_queries, graph.view,
                graph.stats, graph.neighbors, graph.path, graph.timeline, graph.merge, store.export, store.validate,
                store.doctor, store.serve, store.ontology):
    main.add_command(command)
