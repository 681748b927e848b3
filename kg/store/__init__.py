"""Stores: where the article graphs are kept and queried.

`open_store(spec)` opens the store an address names: a folder (or None, in memory) is the
embedded Oxigraph store (`oxigraph`), `sparql+http(s)://host/path` a SPARQL 1.1 server
(`remote`); other schemes can be added with `register_store`. Both follow the `Store`
protocol (`base`): has_graph, put_graph, query, construct, quads, close, and `with`.
`results` turns terms and answers between Oxigraph and rdflib, `sparql` guards queries
before any store parses them, `queries` resolves saved queries and their parameters, and
`export` streams a store to RDF files.

The names below are imported when first used, so the command line can name the default
store without loading Oxigraph.
"""
from __future__ import annotations

import importlib
from typing import Any

DEFAULT_STORE = "kg-store"

_EXPORTS = {"Store": "kg.store.base", "StoreBase": "kg.store.base", "open_store": "kg.store.base",
            "register_store": "kg.store.base", "Results": "kg.store.results"}

__all__ = ["DEFAULT_STORE", *_EXPORTS]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'kg.store' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value
