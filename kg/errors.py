"""Errors kg raises: each says what failed, and how to fix it where there is a fix.

A message may name an option of the call that was at fault as `{name}`: the library's text
says it as the Python API names it, the command line's (`for_command_line`) as `--name`,
so no library message has to know the flags of the `kg` command.
"""
from __future__ import annotations


class KGError(Exception):
    """Base of every error kg raises on purpose."""

    def __init__(self, message: str = "", **options: str) -> None:
        self.template = message
        self.options = options
        super().__init__(self._render(options))

    def for_command_line(self) -> str:
        """The message with each option named as the `kg` command's flag (`--since`)."""
        return self._render({name: "--" + name.replace("_", "-") for name in self.options})

    def _render(self, names: dict[str, str]) -> str:
        text = self.template
        for name, said in names.items():
            text = text.replace("{" + name + "}", said)
        return text


class InputError(KGError):
    """An input file or item could not be read; the message names it and the reason."""


class ModelNotFound(KGError):
    """The requested spaCy pipeline is not installed."""


class StoreError(KGError):
    """The store could not be opened, read or written."""


class StoreLocked(StoreError):
    """Another process (or another store object in this one) has the store open for writing."""


class StoreDamaged(StoreError):
    """The store's files are damaged, or being rewritten by a running build."""


class QueryError(KGError):
    """A query is unknown, malformed, or lacks a parameter."""


class QuerySyntaxError(QueryError, StoreError):
    """The store could not parse a SPARQL query (a StoreError too, as the store reports it)."""


class EntityNotFound(KGError):
    """A name given on the command line matches no entity (or more than one) in the graph."""
