"""Sizes as `kg serve` reads them, and its default memory limit."""
from __future__ import annotations

import os
import re

UNITS = {"": 1, "k": 2**10, "m": 2**20, "g": 2**30, "t": 2**40}
MIN_MEMORY = 256 * 2**20  # below this a query process cannot open a store


def parse_size(text: str, *, minimum: int = MIN_MEMORY) -> int:
    """Bytes from `512M`, `2G`, `1.5g`, `1048576`, `0` (none); ValueError if unreadable or
    below `minimum` (by default what a query process needs)."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*", text.lower())
    if not match:
        raise ValueError(f"'{text}' is no size: give bytes, or a number with K, M or G (512M, 2G), or 0 for none")
    size = int(float(match.group(1)) * UNITS[match.group(2)])
    if 0 < size < minimum:
        raise ValueError(f"{text} is too little for a query process: give at least {minimum // 2**20}M")
    return size


def physical_memory() -> int:
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def long_lane(workers: int) -> int:
    """The processes for long queries beside `workers` for quick ones: half as many, at least one."""
    return max(1, workers // 2)


def default_memory_limit(workers: int) -> int:
    """A quarter of the machine's memory, shared by the query processes, those of the long
    lane included (at least 256 MB each)."""
    return max(MIN_MEMORY, physical_memory() // 4 // (max(workers, 1) + long_lane(workers)))
