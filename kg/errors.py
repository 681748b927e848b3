"""Errors kg raises: each says what failed, and how to fix it where there is a fix."""
from __future__ import annotations


class KGError(Exception):
    """Base of every error kg raises on purpose."""


class InputError(KGError):
    """An input file or item could not be read; the message names it and the reason."""


class ModelNotFound(KGError):
    """The requested spaCy pipeline is not installed."""


class StoreError(KGError):
    """The store could not be opened, read or written."""


class QueryError(KGError):
    """A query is unknown, malformed, or lacks a parameter."""


class EntityNotFound(KGError):
    """A name given on the command line matches no entity (or more than one) in the graph."""
