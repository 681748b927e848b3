"""The page at / of `kg serve`: YASGUI (vendored in static/, see scripts/vendor_yasgui.py)
on this endpoint, with kg's prefixes declared and the saved queries as examples, and the
files it loads. Everything comes from this server: the page works with no network."""
from __future__ import annotations

import functools
import html
import json
import re
from importlib import resources

from kg.rdf.vocabulary import PREFIXES

MEDIA_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
               ".json": "application/json", ".txt": "text/plain; charset=utf-8"}
SECURITY_HEADERS = (
    ("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                                "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
                                "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
)
DEFAULT_EXAMPLE = "who-spoke-with-whom"  # the query a first visit shows
EXAMPLE_VALUE = re.compile(r'e\.g\.\s*"([^"]+)"')


@functools.cache
def static_files() -> dict[str, tuple[str, bytes]]:
    """/static/NAME -> (media type, bytes), for each file shipped in kg/serve/static/."""
    folder = resources.files("kg.serve").joinpath("static")
    found = {}
    for entry in folder.iterdir():
        suffix = "." + entry.name.rpartition(".")[2]
        if entry.is_file() and suffix in MEDIA_TYPES:
            found[f"/static/{entry.name}"] = (MEDIA_TYPES[suffix], entry.read_bytes())
    return found


def static_file(path: str) -> tuple[str, bytes] | None:
    return static_files().get(path)


def with_prefixes(query: str) -> str:
    """The query with a PREFIX line for each kg prefix it uses (the endpoint declares them
    anyway; YASGUI's editor checks the query and would mark them unknown)."""
    declared = set(re.findall(r"(?im)^\s*PREFIX\s+([\w-]*):", query))
    body = re.sub(r"<[^>\s]*>|\"(?:[^\"\\]|\\.)*\"|#[^\n]*", " ", query)  # prefixed names only, not in IRIs or strings
    used = [p for p in PREFIXES if p not in declared and re.search(rf"(?<![\w:/]){re.escape(p)}:", body)]
    header = re.match(r"(?:[ \t]*#[^\n]*\n)*", query).group()  # the comment that says what it answers stays first
    lines = [f"PREFIX {p}: <{PREFIXES[p]}>" for p in used]
    return header + "".join(line + "\n" for line in lines) + query[len(header):].strip() + "\n"


def examples() -> list[dict[str, str]]:
    """Each saved query, named, described, with its parameters filled in from the examples
    their descriptions give."""
    from kg.store.queries import saved_queries

    found = []
    for name, saved in saved_queries().items():
        text = saved.text
        for param, described in saved.params.items():
            value = EXAMPLE_VALUE.search(described)
            if value:
                text = re.sub(rf"[?$]{param}\b", lambda _: json.dumps(value.group(1)), text)
        found.append({"name": name, "description": saved.description, "query": with_prefixes(text)})
    return found


class Page:
    """The HTML of /, made once: the limits it states do not change while the server runs."""

    def __init__(self, endpoint: str, *, timeout: float, max_results: int) -> None:
        self.endpoint = endpoint
        self.timeout = timeout
        self.max_results = max_results

    @functools.cached_property
    def _html(self) -> bytes:
        shown = examples()
        config = {"endpoint": "/sparql", "examples": shown,
                  "prefixes": PREFIXES, "default": next((e["query"] for e in shown if e["name"] == DEFAULT_EXAMPLE), shown[0]["query"] if shown else "")}
        blob = json.dumps(config, ensure_ascii=False).replace("<", "\\u003c")
        choices = "".join(f'<option value="{i}" title="{html.escape(e["description"])}">{html.escape(e["name"])}</option>'
                          for i, e in enumerate(shown))
        url = html.escape(self.endpoint)
        return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kg SPARQL endpoint</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/static/yasgui.min.css"><link rel="stylesheet" href="/static/kg-serve.css">
</head>
<body data-state="loading">
<header>
<h1>kg: a read-only SPARQL 1.1 endpoint</h1>
<p>The news knowledge graph, at <code>{url}</code>. Queries read the default graph, which holds
every article's triples once; each article is also a named graph (<code>GRAPH ?article {{ … }}</code>).
Every kg prefix (<code>kg:</code>, <code>person:</code>, <code>country:</code>, …) is declared for you.
Limits: {self.timeout:g} s a query, the wait included (then 503); at most {self.max_results:,}
rows or triples an answer (the header <code>X-SPARQL-MaxRows</code> says when an answer was cut).</p>
<p><label>Saved queries <select id="kg-examples"><option value="">choose one to open it in a tab</option>{choices}</select></label></p>
</header>
<main id="yasgui"></main>
<noscript><p>This page needs JavaScript. Without it: <code>curl --data-urlencode 'query=ASK {{ ?s ?p ?o }}' {url}</code></p></noscript>
<script type="application/json" id="kg-config">{blob}</script>
<script src="/static/yasgui.min.js"></script>
<script src="/static/kg-serve.js"></script>
</body></html>
""".encode("utf-8")

    def html(self) -> bytes:
        return self._html
