"""kg: a knowledge-graph builder for political and economic news.

The Python API (see README, "Python API"), imported lazily: `import kg` loads none of spaCy,
rdflib, networkx or Oxigraph; each name below is imported when it is first used.

`kg.build` and `kg.extract` are the packages of those stages (`kg/build/`, `kg/extract/`),
made callable: calling one calls the API's function (`kg.api.build`, `kg.api.extract`),
while `kg.extract.nlp`, `import kg.build.pipeline` and the like work as for any package.
"""
from __future__ import annotations

import importlib
import sys
import types
from typing import Any

__version__ = "0.1.0"

_API = {
    "open_store": "kg.api",
    "query": "kg.api",
    "graph": "kg.api",
    "write_view": "kg.api",
    "Article": "kg.model",
    "Extraction": "kg.model",
    "KGError": "kg.errors",
}
_CALLABLE_PACKAGES = ("build", "extract")

__all__ = [*_CALLABLE_PACKAGES, *_API, "__version__"]


class _CallablePackage(types.ModuleType):
    """A stage's package that, called, runs the API function of the same name."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        api = importlib.import_module("kg.api")
        return getattr(api, self.__name__.rpartition(".")[2])(*args, **kwargs)


class _Package(types.ModuleType):
    """The `kg` module: its stage packages become callable as they are imported."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _CALLABLE_PACKAGES and type(value) is types.ModuleType:
            value.__class__ = _CallablePackage
        super().__setattr__(name, value)


def __getattr__(name: str) -> Any:
    if name in _CALLABLE_PACKAGES:
        return importlib.import_module(f"kg.{name}")
    if name not in _API:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    value = getattr(importlib.import_module(_API[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_API, *_CALLABLE_PACKAGES])


sys.modules[__name__].__class__ = _Package
