"""`kg serve`: the store as a read-only SPARQL 1.1 Protocol endpoint at /sparql.

`http` holds the server and its request handler, `pool` the query processes.

Standard library only: `http.server.ThreadingHTTPServer` takes the requests, and a small
pool of worker *processes* runs the queries, each with its own read-only view of the store.

Why processes: an Oxigraph query cannot be interrupted once it runs, and a query that
aggregates (COUNT over a join, ORDER BY) does all its work before the first row, so nothing
in-process can stop it. A thread could only be abandoned, still burning a core and holding
memory until the query ends on its own; a process can be killed. So a query that passes
the time limit gets a 503 at once, its worker is killed (SIGKILL) and a fresh one started
in the background. The price: a worker's first start costs about a second, a query waits
for a free worker (the wait counts towards its limit: a full pool answers 503 as well), and
each worker opens the store read-only *as it is when the worker starts*: restart the server
to serve articles built since.

Answers are capped at `max_results` rows (or triples): the first rows are sent, in the
query's order, with the header `X-SPARQL-MaxRows: N` (the header Virtuoso sends when it
truncates), rather than a 413, so a client still gets a useful answer. The whole answer is
computed before it is cut, so the time limit is what bounds the work.
"""
from __future__ import annotations

from kg.serve.http import ServeOptions, SparqlServer, make_server, negotiate
from kg.serve.pool import Answer, Job, QueryPool, answer

__all__ = ["Answer", "Job", "QueryPool", "ServeOptions", "SparqlServer", "answer", "make_server", "negotiate"]
