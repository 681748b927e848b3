"""The inputs of a build, found in one walk of the paths given: the files to read (with their
sizes), the URLs and articles given, and the files left out for their type; and, as they
are read, how much of them has been, for the progress line.

Folders are walked in sorted order; every entry with a known suffix but folders is an input,
so that a FIFO or a device among them is reported, not read. Hidden files and folders are
never inputs, nor counted as left out.
"""
from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.ingest.fetch import is_url
from kg.ingest.files import SUFFIXES, origin_name
from kg.ingest.items import path_name
from kg.model import Article


@dataclass(frozen=True)
class InputFile:
    """A file to read: its path, its articles' kg:origin (`origin_name`), its name as the
    user gave it (for skip lines) and its size in bytes (0 if it cannot be stat'ed)."""

    path: Path
    origin: str
    shown: str
    size: int


InputSource = InputFile | str | Article  # a URL is a str


@dataclass
class Inputs:
    """What a build reads, in order, and how much of it has been read so far."""

    sources: list[InputSource]
    ignored: list[Path] = field(default_factory=list)  # files left out for their type
    bytes_read: int = 0  # of the files read, the one being read included
    sources_read: int = 0
    _bytes_done: int = 0  # of the files read to their end

    @property
    def total_bytes(self) -> int:
        return sum(s.size for s in self.sources if isinstance(s, InputFile))

    @property
    def files(self) -> int:
        return sum(1 for s in self.sources if isinstance(s, InputFile))

    def fraction_read(self) -> float:
        """How much has been read, 0 to 1: by bytes of files; by inputs if no file has a size
        (URLs alone), and 1 once every input has been read."""
        if self.sources_read >= len(self.sources):
            return 1.0
        total = self.total_bytes
        if total:
            return min(self.bytes_read / total, 1.0)
        return self.sources_read / len(self.sources)

    def reading(self, position: int) -> None:
        """`position` bytes of the file being read have been read."""
        self.bytes_read = self._bytes_done + position

    def read(self, source: InputSource) -> None:
        """`source` has been read to its end."""
        self.sources_read += 1
        if isinstance(source, InputFile):
            self._bytes_done += source.size
            self.bytes_read = self._bytes_done


def find_inputs(paths: Iterable[str | Path]) -> Inputs:
    """The inputs under `paths` (files, folders, URLs), in one walk of each folder. A path
    that does not exist is an input still, reported when it is read."""
    inputs = Inputs(sources=[])
    for given in paths:
        if is_url(str(given)):
            inputs.sources.append(str(given))
        else:
            files, ignored = walk(given)
            inputs.sources += files
            inputs.ignored += ignored
    return inputs


def walk(given: str | Path) -> tuple[list[InputFile], list[Path]]:
    """The input files under one path given (itself, if it is no folder), and the files
    under it left out for their type; one stat of each entry."""
    path = Path(given)
    mode, size = _mode_and_size(path)
    if not stat.S_ISDIR(mode):
        return [_input_file(path, given, size)], []
    files, ignored = [], []
    for entry in sorted(path.rglob("*")):
        inside = entry.relative_to(path)
        if any(part.startswith(".") for part in inside.parts):
            continue
        mode, size = _mode_and_size(entry)
        if stat.S_ISDIR(mode):
            continue
        if inside.suffix.lower() in SUFFIXES:
            files.append(_input_file(entry, given, size))
        elif stat.S_ISREG(mode):
            ignored.append(entry)
    return files, ignored


def input_files(sources: Iterable[str | Path | Article]) -> Iterator[InputSource]:
    """The sources with each folder (or file) path replaced by its input files, walked as
    they are reached: URLs and articles pass through."""
    for source in sources:
        if isinstance(source, Article) or is_url(str(source)):
            yield source if isinstance(source, Article) else str(source)
        else:
            yield from walk(source)[0]


def _input_file(path: Path, given: str | Path, size: int) -> InputFile:
    return InputFile(path=path, origin=origin_name(path, given), shown=path_name(path), size=size)


def _mode_and_size(path: Path) -> tuple[int, int]:
    """The mode and size of what `path` leads to (0, 0 for a link to nothing)."""
    try:
        found = os.stat(path)
    except OSError:
        return 0, 0
    return found.st_mode, found.st_size if stat.S_ISREG(found.st_mode) else 0
