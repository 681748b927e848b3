"""The store as a file, in any format kg writes: RDF (`kg.store.export`: Turtle, N-Triples,
TriG, JSON-LD), or, for Gephi and Cytoscape, GraphML and GEXF of the networkx projection
(`kg.analyze.interchange`)."""
from __future__ import annotations

import io
import os
from pathlib import Path
from typing import BinaryIO

from kg.analyze.interchange import write_property_graph
from kg.errors import KGError
from kg.store import Store
from kg.store.export import GRAPH_FORMATS, ExportSummary, write_rdf

FORMATS = {"turtle": "ttl", "nt": "nt", "trig": "trig", "jsonld": "jsonld", "graphml": "graphml", "gexf": "gexf"}
ALIASES = {"ttl": "turtle", "ntriples": "nt", "n-triples": "nt", "json-ld": "jsonld"}
# what a file's extension says it holds; .xml says nothing (GraphML, GEXF and RDF/XML all are)
EXTENSIONS = {".ttl": "turtle", ".turtle": "turtle", ".nt": "nt", ".trig": "trig", ".jsonld": "jsonld",
              ".json": "jsonld", ".graphml": "graphml", ".gexf": "gexf"}


def format_for(fmt: str | None = None, path: str | Path | None = None) -> str:
    """The export format: `fmt` if given (`ttl` is Turtle too), else the one `path`'s
    extension names (`kg.jsonld`, `kg.graphml`), else Turtle when there is no file."""
    if fmt:
        name = ALIASES.get(fmt.lower(), fmt.lower())
        if name not in FORMATS:
            raise KGError(f"unknown export format '{fmt}'; use one of {', '.join(FORMATS)}")
        return name
    if path is None:
        return "turtle"
    suffix = Path(path).suffix.lower()
    if suffix not in EXTENSIONS:
        raise KGError(f"cannot tell the format of {path} from its extension ({suffix or 'none'}); name it with "
                      f"{{format}} ({', '.join(FORMATS)}) or use one of {', '.join(EXTENSIONS)}", format="fmt")
    return EXTENSIONS[suffix]


def export(store: Store, *, fmt: str = "turtle", include_ontology: bool = False) -> tuple[bytes, ExportSummary]:
    """The serialised store, in memory, and what it holds (`write_export` streams to a file)."""
    buffer = io.BytesIO()
    summary = write_export(store, buffer, fmt=fmt, include_ontology=include_ontology)
    return buffer.getvalue(), summary


def export_to_file(store: Store, path: str | Path, *, fmt: str | None = None,
                   include_ontology: bool = False) -> ExportSummary:
    """`write_export` to a file, in `fmt` or else the format its extension names (`format_for`).
    The file appears whole or not at all: it is written beside under a temporary name and
    renamed into place, so a failed export leaves any old file as it was."""
    fmt = format_for(fmt, path)
    path = Path(path)
    partial = path.with_name(f".{path.name}.partial-{os.getpid()}")
    try:
        with partial.open("wb") as output:
            summary = write_export(store, output, fmt=fmt, include_ontology=include_ontology)
        os.replace(partial, path)
    except OSError as err:
        raise KGError(f"cannot export to {path}: {err.strerror or err}") from None
    finally:
        partial.unlink(missing_ok=True)
    return summary


def write_export(store: Store, output: BinaryIO, *, fmt: str = "turtle",
                 include_ontology: bool = False) -> ExportSummary:
    """Serialise the store to a binary file object, streaming; what was written."""
    fmt = format_for(fmt)
    if fmt in GRAPH_FORMATS:
        return write_property_graph(store, output, fmt=fmt, include_ontology=include_ontology)
    return write_rdf(store, output, fmt=fmt, include_ontology=include_ontology)
