"""`kg serve`: the store as a read-only SPARQL 1.1 Protocol endpoint at /sparql, with YASGUI
at /, safe to leave running on a shared machine.

- `protocol`: HTTP/1.1 on asyncio (h11): requests read against a deadline, a bounded number
  of connections, malformed requests answered 400; no thread per connection.
- `http`: the endpoint: Host and Origin checks, CORS by option, content negotiation, and
  the query's checks before any process sees it (SERVICE, size, nesting: `kg.store.sparql`).
- `pool`: query processes, each with a memory limit, and two lanes so that cheap queries
  stay quick while expensive ones run; a query is answered by its time limit (the wait for
  a process included), its process killed and replaced past it.
- `worker`: a query process: answers cut at N rows as Oxigraph streams them.
- `snapshot`: one view of the store for all processes, refreshed after a build.
- `page`: the YASGUI page, vendored in `static/` (scripts/vendor_yasgui.py).

Why processes: an Oxigraph query cannot be interrupted once it runs, and a query that sorts
or aggregates does all its work before its first row; a thread could only be abandoned,
still burning a core and holding memory. A process can be killed, and its memory capped.
docs/scale.md lists every limit, its default and how to change it.
"""
from __future__ import annotations

from kg.serve.http import ServeOptions, SparqlServer, make_server, negotiate
from kg.serve.pool import PoolLimits, QueryPool
from kg.serve.protocol import HTTPLimits
from kg.serve.worker import Answer, Job, answer

__all__ = ["Answer", "HTTPLimits", "Job", "PoolLimits", "QueryPool", "ServeOptions", "SparqlServer", "answer",
           "make_server", "negotiate"]
