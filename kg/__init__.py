"""kg: a knowledge-graph builder for political and economic news.

The Python API (see README, "Python API"), imported lazily: `import kg` loads none of spaCy,
rdflib, networkx or Oxigraph; each name below is imported when it is first used.

`kg.build` and `kg.extract` are the API's functions, although `kg/build/` and `kg/extract/`
are also subpackages: importing those (as `import kg.extract.events`) keeps them in
`sys.modules` but does not replace the functions on `kg`.
"""
from __future__ import annotations

import importlib
import sys
import types
from typing import Any

__version__ = "0.1.0"

_API = {
    "open_store": "kg.api",
    "build": "kg.api",
    "extract": "kg.api",
    "query": "kg.api",
    "graph": "kg.api",
    "write_view": "kg.api",
    "Article": "kg.model",
    "Extraction": "kg.model",
    "KGError": "kg.errors",
}

__all__ = [*_API, "__version__"]


class _Package(types.ModuleType):
    """The `kg` module: a submodule imported under an API name leaves the API's function."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _API and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


def __getattr__(name: str) -> Any:
    if name not in _API:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    value = getattr(importlib.import_module(_API[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_API])


sys.modules[__name__].__class__ = _Package
