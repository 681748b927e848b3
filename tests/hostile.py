"""The hostile inputs of issue 15, as a corpus a test can lay out in a folder.

Small files live in tests/data/hostile/; what git cannot hold or should not (FIFOs, links to
devices, sockets, names that are not UTF-8 or hold a newline, files of 1 to 19 MB, JSON
nested 100,000 deep) is made here. Each case says which lines `kg build` must print for it
(the skipped input, or line, row or entry, and the reason's kind) and what a clean input that
reads the same would hold (its twin), so a build of hostile inputs beside normal ones can be
compared with a clean build.
"""
from __future__ import annotations

import json
import os
import random
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.compare import graph_diff, to_isomorphic

DATA = Path(__file__).resolve().parent / "data" / "hostile"
NORMAL = {  # normal articles built beside the hostile ones
    "normal-1.txt": "Japan Raises Tariffs\nJapan raised tariffs on steel imports from China on Monday, the trade "
                    "minister said in Tokyo.\n",
    "normal-2.json": json.dumps({"title": "India and US Sign Pact", "url": "https://example.org/india",
                                 "text": "India and the United States signed a trade pact on Monday, officials in "
                                         "New Delhi said.", "published": "2025-05-26", "source": "Wire A"}),
    "normal-3.jsonl": json.dumps({"text": "Canada imposed tariffs on Chinese steel, the finance minister said in "
                                          "Ottawa.", "published": "2025-05-20"}) + "\n",
    "normal-4.csv": "title,text,date\nEU Weighs Duties,\"The European Union weighed new duties on steel imports.\","
                    "2025-05-27\n",
}


@dataclass(frozen=True)
class Case:
    """One hostile input: how to make it, the skip lines it must give (origin after the
    folder, reason kind), and its twin (bytes a clean file of the same name holds; None: it
    stores nothing)."""

    name: str | bytes  # bytes: a file name that is not UTF-8
    make: Callable[[Path], None]
    skips: tuple[tuple[str, str], ...] = ()
    twin: bytes | None = None

    @property
    def shown(self) -> str:
        """The name as kg shows it (bytes that are not UTF-8 as \\xNN, control characters escaped)."""
        raw = self.name if isinstance(self.name, bytes) else self.name.encode("utf-8")
        return raw.decode("utf-8", "backslashreplace").replace("\n", "\\n")


def _static(name: str) -> Callable[[Path], None]:
    return lambda path: path.write_bytes((DATA / name).read_bytes())


def _bytes(data: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data)


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _link(target: str) -> Callable[[Path], None]:
    return lambda path: path.symlink_to(target)


def _socket(path: Path) -> None:
    """A Unix socket bound at `path` (bound from its folder: socket paths are short)."""
    here = os.getcwd()
    os.chdir(path.parent)
    try:
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(path.name)
        sock.close()  # the socket file stays
    finally:
        os.chdir(here)


def long_words(chars: int, *, seed: int = 15) -> bytes:
    """A text of `chars` characters in words of 499 letters: long for spaCy's limit, cheap to parse."""
    rng = random.Random(seed)
    words = ["".join(rng.choice("abcdefghij") for _ in range(499)) for _ in range(chars // 500 + 1)]
    return ("Long Words\n" + " ".join(words)[:chars]).encode("ascii")


def deep_json(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


NEWLINE_NAME = "name\nkg: skipped forged.txt"
BAD_LINES_TWIN = (DATA / "bad-lines.jsonl").read_bytes().split(b"\n")
STORY = "Mexico signed a trade pact with Chile on Monday."

CASES = [
    Case("big-text.txt", _bytes(long_words(1_200_000)), twin=long_words(1_200_000)),  # parsed in parts
    Case("one-token.txt", _bytes(b"x" * 5_000_000), skips=(("one-token.txt", "article too long"),)),
    Case("long-line.txt", _bytes(b"word " * 3_800_000), skips=(("long-line.txt", "article too long"),)),
    Case("deep.json", _bytes(deep_json(100_000)), skips=(("deep.json", "JSON nested too deeply"),)),
    Case("deep.jsonl", _bytes(json.dumps({"text": "Chad and Niger held talks in Niamey."}).encode() + b"\n"
                              + deep_json(100_000) + b"\n"),
         skips=(("deep.jsonl:2", "JSON nested too deeply"),),
         twin=json.dumps({"text": "Chad and Niger held talks in Niamey."}).encode() + b"\n"),
    Case("bigint.json", _static("bigint.json"), skips=(("bigint.json", "JSON number too long"),)),
    Case("bigint-line.jsonl", _static("bigint-line.jsonl"), skips=(("bigint-line.jsonl:2", "JSON number too long"),),
         twin=b"\n".join(line if i != 1 else b"" for i, line in
                         enumerate((DATA / "bigint-line.jsonl").read_bytes().split(b"\n")))),
    # an ordinal of 5,000 digits is no ordinal (kg.extract.timex): the article is stored
    Case("ordinal.txt", _static("ordinal.txt"), twin=(DATA / "ordinal.txt").read_bytes()),
    Case("year1.json", _static("year1.json"), twin=json.dumps({
        "title": "Germany Meets France",
        "text": "Germany met France yesterday and will meet Italy on Friday and tomorrow."}).encode()),
    Case("year9999.json", _static("year9999.json"), twin=json.dumps({
        "title": "Spain Meets Portugal",
        "text": "Spain met Portugal yesterday and will meet Italy on Friday and tomorrow."}).encode()),
    Case("surrogates.json", _static("surrogates.json"), twin=json.dumps({
        "title": "Brazil \ufffd Argentina", "text": "Brazil met Argentina \ufffd in Rio de Janeiro on Monday.",
        "author": "Ana \ufffd Lima", "source": "Wire \ufffd"}).encode()),
    Case("u2028.json", _static("u2028.json"), twin=json.dumps({
        "title": "Peru Signs Deal", "text": "Peru signed a trade deal\nwith Chile on Tuesday."}).encode()),
    Case("control-title.json", _static("control-title.json"), twin=json.dumps({
        "title": "Chile Red Alert", "text": "Chile and Bolivia held border talks in La Paz on Wednesday."}).encode()),
    Case("formula.json", _static("formula.json"), twin=(DATA / "formula.json").read_bytes()),
    Case("bad-lines.jsonl", _static("bad-lines.jsonl"),
         skips=(("bad-lines.jsonl:2", "no text or title"), ("bad-lines.jsonl:3", "malformed JSON")),
         twin=b"\n".join(line if i not in (1, 2) else b"" for i, line in enumerate(BAD_LINES_TWIN))),
    Case("bad-rows.csv", _static("bad-rows.csv"), skips=(("bad-rows.csv:3", "too many cells"),),
         twin=b"\n".join(line if i != 2 else b"" for i, line in
                         enumerate((DATA / "bad-rows.csv").read_bytes().split(b"\n")))),
    # the twin keeps the empty entry, so the entries after it keep their numbers (#entry-3)
    Case("empty-entry.rss", _static("empty-entry.rss"), skips=(("empty-entry.rss#entry-2", "empty feed entry"),),
         twin=(DATA / "empty-entry.rss").read_bytes()),
    Case("fifo.txt", _fifo, skips=(("fifo.txt", "not a regular file"),)),
    Case("zero.txt", _link("/dev/zero"), skips=(("zero.txt", "not a regular file"),)),
    Case("urandom.txt", _link("/dev/urandom"), skips=(("urandom.txt", "not a regular file"),)),
    Case("socket.txt", _socket, skips=(("socket.txt", "not a regular file"),)),
    Case("dangling.txt", _link("/nonexistent/story.txt"), skips=(("dangling.txt", "a link to nothing"),)),
    Case(b"bad-\xff-name.txt", _bytes(STORY.encode()), twin=STORY.encode()),
    Case(NEWLINE_NAME, _bytes(b""), skips=((NEWLINE_NAME.replace("\n", "\\n"), "empty file"),)),
]


def lay_out(folder: Path, cases: list[Case], *, twins: bool = False, normal: bool = True) -> Path:
    """The cases (or, with `twins`, their clean twins) and the normal articles in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    if normal:
        for name, text in NORMAL.items():
            (folder / name).write_text(text, encoding="utf-8")
    for case in cases:
        path = Path(os.fsdecode(os.path.join(os.fsencode(folder), _raw(case.shown if twins else case.name))))
        if twins:
            if case.twin is not None:
                path.write_bytes(case.twin)
        else:
            case.make(path)
    return folder


def _raw(name: str | bytes) -> bytes:
    return name if isinstance(name, bytes) else name.encode("utf-8")


def skip_lines(folder: Path, cases: list[Case]) -> list[str]:
    """How the skip lines of the cases start ("kg: skipped FOLDER/deep.jsonl:2: JSON nested
    too deeply"), in the order a build walks the folder."""
    walked = sorted(cases, key=lambda c: os.fsdecode(_raw(c.name)))
    return [f"kg: skipped {folder.name if kind.startswith(ARTICLE_LEVEL) else folder}/{origin}: {kind}"
            for case in walked for origin, kind in case.skips]


# An article read whole but refused (too long, or failing in extraction) is named by its
# kg:origin, below the folder's name; an input, line or row by the path given.
ARTICLE_LEVEL = ("article too long", "extraction failed")


def named_graphs(trig: bytes, folder: Path) -> dict[str, Graph]:
    """The article graphs of a TriG export, the folder in kg:origin (its path, or its name
    before the path below it) written as FOLDER."""
    dataset = Dataset()
    text = trig.decode("utf-8").replace(str(folder), "FOLDER").replace(f'"{folder.name}/', '"FOLDER/')
    dataset.parse(data=text, format="trig")
    return {str(g.identifier): g for g in dataset.graphs() if len(g)}


def differences(expected: dict[str, Graph], found: dict[str, Graph]) -> list[str]:
    """What differs between two sets of named graphs, by isomorphism (empty when equal)."""
    problems = [f"missing graph <{name}>" for name in sorted(expected.keys() - found.keys())]
    problems += [f"extra graph <{name}>" for name in sorted(found.keys() - expected.keys())]
    for name in sorted(expected.keys() & found.keys()):
        _, only_expected, only_found = graph_diff(to_isomorphic(expected[name]), to_isomorphic(found[name]))
        if only_expected or only_found:
            problems.append(f"<{name}>: only in the clean build {sorted(only_expected)[:3]}, "
                            f"only in the hostile one {sorted(only_found)[:3]}")
    return problems
