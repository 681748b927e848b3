"""The build, which orchestrates the pipeline: ingest -> extract -> rdf -> store.

`pipeline` holds the loop and its report; `extraction` the extraction step, in this process
or in worker processes; `cluster` the same step on a Dask cluster. Importing this package
loads neither spaCy nor Dask.
"""
from __future__ import annotations

from kg.build.extraction import local_extraction
from kg.build.pipeline import BuildReport, build

__all__ = ["BuildReport", "build", "local_extraction"]
