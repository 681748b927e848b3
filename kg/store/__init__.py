"""Stores: where the article graphs are kept and queried.

`open_store(spec)` opens the store an address names: a folder (or None, in memory) is the
embedded Oxigraph store (`oxigraph`), `sparql+http(s)://host/path` a SPARQL 1.1 server
(`remote`); other schemes can be added with `register_store`. Both follow the `Store`
protocol (`base`): has_graph, put_graph, query, construct, quads, close, and `with`.
`results` turns terms and answers between Oxigraph and rdflib, `sparql` guards queries
before any store parses them, `queries` resolves saved queries and their parameters, and
`export` streams a store to RDF files.
"""
from __future__ import annotations

from kg.store.base import DEFAULT_STORE, Store, StoreBase, open_store, register_store
from kg.store.results import Results

__all__ = ["DEFAULT_STORE", "Results", "Store", "StoreBase", "open_store", "register_store"]
