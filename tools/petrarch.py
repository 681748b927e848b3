"""Convert PETRARCH2's dictionaries into kg's data files (kg/data/cameo/).

    python tools/petrarch.py ../shared/lexicons/petrarch2 kg/data/cameo

Reads the CAMEO verb-pattern dictionary (CAMEO.2.0.txt), the agents dictionary
(Phoenix.agents.txt) and the issue phrases (Phoenix.IssueCoding.txt), and writes:

- `verbs.json`: synonym sets, and for every verb block its verbs (a lemma, and the words a
  multi-word verb has before or after it: "crack down", "meet with"), its default CAMEO code
  and its patterns, each a list of elements before and after the verb with its codes;
- `agents.tsv`: agent nouns (police, rebels, ministers, ...) and their sector codes;
- `issues.tsv`: issue phrases and their codes;
- `LICENSE`: the MIT notice these files carry.

The output depends on nothing but the input files: running it twice gives the same bytes.
The formats are PETRARCH2's (its dictionaries.rst); what kg does with them is in
kg/extract/cameo.py.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

CODE = re.compile(r"\[([0-9A-Za-z]*|---)?(?::([0-9A-Za-z]*|---))?!?\]")
HEADER = re.compile(r"^---\s+(\S+)\s+\[([^\]]*)\]")
SOURCE = "openeventdata/petrarch2 at commit 676801c, petrarch2/data/dictionaries/"
PARTICLES = {"ON", "OFF", "UP", "DOWN", "OUT", "IN", "OVER", "AWAY", "BACK", "AROUND", "THROUGH", "FORWARD",
             "ASIDE", "APART", "TOGETHER", "WITH", "TO", "FOR", "INTO", "UPON", "OF", "AGAINST", "FROM", "AT",
             "BY", "BEHIND", "BEFORE", "AFTER", "ABOUT", "AHEAD", "ALONG", "ACROSS", "TOWARD", "TOWARDS"}


@dataclass
class Element:
    """One part of a pattern: a noun (`words`: alternatives, each a tuple of words whose last
    is the head), a preposition phrase (`preps` and an optional noun), or a marker."""

    kind: str  # "noun", "prep", "source", "target"
    words: list[list[str]] = field(default_factory=list)
    preps: list[str] = field(default_factory=list)
    synset: str | None = None
    marker: str | None = None  # "source" or "target" inside a preposition phrase


@dataclass
class Pattern:
    before: list[Element]
    after: list[Element]
    code: str | None  # CAMEO code of source -> target; None: no event
    reverse: str | None  # CAMEO code of target -> source ("[:112]": X faces charges)
    line: int


@dataclass
class Verb:
    lemma: str
    before: list[str] = field(default_factory=list)  # "wire tap": ["wire"]
    after: list[str] = field(default_factory=list)  # "crack down": ["down"]
    code: str | None = None  # the verb's own code, when it differs from its block's
    own_code: bool = False


@dataclass
class Block:
    name: str
    code: str | None
    verbs: list[Verb]
    patterns: list[Pattern]
    line: int


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="folder with PETRARCH2's dictionaries")
    parser.add_argument("target", type=Path, help="folder to write kg's files into")
    args = parser.parse_args(argv)
    args.target.mkdir(parents=True, exist_ok=True)
    synsets, blocks, transformations = read_verbs(args.source / "CAMEO.2.0.txt")
    verbs = {
        "source": f"{SOURCE}CAMEO.2.0.txt",
        "licence": "MIT, Copyright (c) 2015 Open Event Data Alliance (see LICENSE)",
        "synsets": synsets,
        "blocks": [_block_json(b) for b in blocks],
        "transformations": transformations,
    }
    (args.target / "verbs.json").write_text(_compact_json(verbs), encoding="utf-8")
    _write_tsv(args.target / "agents.tsv", ("phrase", "plural", "code"), read_agents(args.source / "Phoenix.agents.txt"),
               f"Phoenix.agents.txt")
    _write_tsv(args.target / "issues.tsv", ("phrase", "code"), read_issues(args.source / "Phoenix.IssueCoding.txt"),
               "Phoenix.IssueCoding.txt")
    licence = (args.source / "LICENSE").read_text(encoding="utf-8")
    (args.target / "LICENSE").write_text(
        f"The files in this folder are converted by tools/petrarch.py from PETRARCH2's dictionaries\n"
        f"({SOURCE}), under this licence:\n\n{licence}", encoding="utf-8")
    print(f"wrote {len(blocks)} verb blocks, {sum(len(b.patterns) for b in blocks)} patterns, "
          f"{len(synsets)} synonym sets to {args.target}", file=sys.stderr)
    return 0


# ---------------------------------------------------------------------------
# the verb dictionary


def read_verbs(path: Path) -> tuple[dict[str, list[list[str]]], list[Block], list[str]]:
    """Synonym sets, verb blocks and transformation lines of CAMEO.2.0.txt."""
    raw_sets: dict[str, list[str]] = {}
    blocks: list[Block] = []
    transformations: list[str] = []
    current_set: str | None = None
    for number, raw in enumerate(path.read_text(encoding="latin-1").splitlines(), start=1):
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        if line.startswith("&"):
            current_set = line.split()[0][1:]
            raw_sets[current_set] = []
        elif line.startswith("+") and current_set is not None:
            raw_sets[current_set].append(line[1:].split()[0])
        elif line.startswith("---"):
            current_set = None
            header = HEADER.match(line)
            if header:
                blocks.append(Block(header.group(1), _code(header.group(2)), [], [], number))
        elif line.startswith("~"):
            transformations.append(" ".join(line.split()))
        elif line.startswith("-") and blocks:
            pattern = _pattern(line[1:], number, raw_sets)
            if pattern is not None:
                blocks[-1].patterns.append(pattern)
        elif blocks:
            verb = _verb(line)
            if verb is not None:
                blocks[-1].verbs.append(verb)
    synsets = {name: _synset(name, words) for name, words in raw_sets.items()}
    return synsets, blocks, transformations


def _synset(name: str, words: list[str]) -> list[list[str]]:
    """Each phrase of a synonym set as lower-case words, with its regular plural unless the
    phrase or the set's name ends with "_" (PETRARCH's rule)."""
    out: list[list[str]] = []
    for word in words:
        bare = word.rstrip("_")
        phrase = [w.lower() for w in bare.split("_") if w]
        if not phrase:
            continue
        out.append(phrase)
        if not word.endswith("_") and not name.endswith("_"):
            out.append([*phrase[:-1], _plural(phrase[-1])])
    return _unique(out)


def _plural(word: str) -> str:
    if word.endswith("ss"):
        return word + "es"
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def _code(text: str | None) -> str | None:
    """A CAMEO code, or None for the null code "---" or nothing."""
    text = (text or "").strip().rstrip("-").strip()
    if not text or set(text) <= {"-"}:
        return None
    if ":" in text:
        text = text.split(":", 1)[0]
    return text if text.isdigit() else None


def _verb(line: str) -> Verb | None:
    """A verb line: "MEET {MEETS MET MEETING}", "+CRACK_DOWN {...}", "WIRE_+TAP", "AIM [030]"."""
    code_match = CODE.search(line)
    own_code = code_match is not None
    code = _code(code_match.group(1)) if code_match else None
    text = CODE.sub("", line)
    text = re.sub(r"\{[^}]*\}", "", text).strip()
    if not text:
        return None
    head = text.split()[0]
    if not re.fullmatch(r"[A-Z+_'-]+", head):
        return None
    words = [w for w in head.split("_") if w]
    marked = [i for i, w in enumerate(words) if w.startswith("+")]
    at = marked[0] if marked else 0
    words = [w.lstrip("+").lower() for w in words]
    if not words[at]:
        return None
    return Verb(lemma=words[at], before=words[:at], after=words[at + 1:], code=code, own_code=own_code)


def _pattern(text: str, number: int, synsets: dict[str, list[str]]) -> Pattern | None:
    """A pattern line after its "-": elements, "*", elements, then "[code]" or "[code:reverse]"."""
    found = CODE.search(text)
    if found is None or "*" not in text[: found.start()]:
        return None
    code, reverse = _code(found.group(1)), _code(found.group(2))
    body = text[: found.start()]
    head, _, tail = body.partition("*")
    tail = tail.lstrip("_")  # "*_LAWS": the word right after the verb
    try:
        return Pattern(before=_elements(head, synsets), after=_elements(tail, synsets), code=code, reverse=reverse,
                       line=number)
    except UnknownSynset as err:
        print(f"CAMEO.2.0.txt line {number}: pattern left out, as PETRARCH does: no synonym set {err}", file=sys.stderr)
        return None


TOKEN = re.compile(r"\{[^}]*\}|\([^)]*\)|[^\s{}()]+")


def _elements(text: str, synsets: dict[str, list[str]]) -> list[Element]:
    out: list[Element] = []
    for token in TOKEN.findall(text):
        element = _element(token, synsets)
        if element is not None:
            out.append(element)
    return out


def _element(token: str, synsets: dict[str, list[str]]) -> Element | None:
    if token == "$":
        return Element(kind="source")
    if token == "+":
        return Element(kind="target")
    if token in ("^", "%", "!", "."):
        return None  # PETRARCH's skip and compound markers: nothing kg needs to match
    if token.startswith("("):
        parts = TOKEN.findall(token[1:-1])
        if not parts:
            return None
        preps = [p.lower() for p in parts[0].split("/") if p]
        noun = next((e for e in (_element(p, synsets) for p in parts[1:]) if e is not None and e.kind == "noun"), None)
        marker = next((k for p in parts[1:] for k in [("source" if p == "$" else "target" if p == "+" else None)] if k), None)
        return Element(kind="prep", preps=preps, words=noun.words if noun else [],
                       synset=noun.synset if noun else None, marker=marker)
    if token.startswith("{"):
        words = [w for w in token[1:-1].replace("_", " ").split() if w not in ("^", "$", "+", "%")]
        if not words:
            return None
        if any(w.startswith("&") for w in words):  # "{&MILITARY AID}": a set's name stands in its place
            _known(words, synsets)
            return Element(kind="noun", words=[[w if w.startswith("&") else w.lower() for w in words]])
        return Element(kind="noun", words=_forms([w.lower() for w in words]))
    if token.startswith("&"):
        _known([token], synsets)
        return Element(kind="noun", synset=token[1:])
    words = [w.lower() for w in token.replace("/", " ").split("_") if w]
    if not words or not all(re.fullmatch(r"[a-z'.-]+", w) for w in words):
        return None
    return Element(kind="noun", words=_forms(words))


class UnknownSynset(ValueError):
    """A pattern names a synonym set the file does not define: PETRARCH ignores the pattern."""


def _known(words: list[str], synsets: dict[str, list[str]]) -> None:
    for word in words:
        if word.startswith("&") and word[1:] not in synsets:
            raise UnknownSynset(word)


def _forms(words: list[str]) -> list[list[str]]:
    """A phrase as written and with its head word singular or plural."""
    head = words[-1]
    variants = {head, _singular(head), _plural(_singular(head))}
    return _unique([[*words[:-1], v] for v in sorted(variants)])


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


def _unique(items: list[list[str]]) -> list[list[str]]:
    seen, out = set(), []
    for item in items:
        key = tuple(item)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _block_json(block: Block) -> dict:
    return {
        "name": block.name,
        "line": block.line,
        "code": block.code,
        "verbs": [{k: v for k, v in asdict(verb).items() if v not in ([], None, False) or k == "lemma"}
                  for verb in block.verbs],
        "patterns": [
            {"line": p.line, "code": p.code, "reverse": p.reverse,
             "before": [_element_json(e) for e in p.before], "after": [_element_json(e) for e in p.after]}
            for p in block.patterns
        ],
    }


def _compact_json(data: dict) -> str:
    """One synonym set, block or transformation a line: small, and readable in a diff."""
    def rows(items) -> str:
        return ",\n".join(json.dumps(item, ensure_ascii=False, separators=(",", ":")) for item in items)
    head = {k: v for k, v in data.items() if k not in ("synsets", "blocks", "transformations")}
    synsets = ",\n".join(f"{json.dumps(k)}:{json.dumps(v, separators=(',', ':'))}" for k, v in data["synsets"].items())
    return (json.dumps(head, ensure_ascii=False)[:-1] + ',\n"synsets":{\n' + synsets + '},\n"blocks":[\n'
            + rows(data["blocks"]) + '],\n"transformations":[\n' + rows(data["transformations"]) + "]}\n")


def _element_json(element: Element) -> dict:
    return {k: v for k, v in asdict(element).items() if v not in ([], None)}


# ---------------------------------------------------------------------------
# agents and issues


AGENT = re.compile(r"^(?P<phrase>[^\[{#]+?)\s*(?:\{(?P<plural>[^}]*)\})?\s*\[(?P<code>[^\]}]+)[\]}]")
SUBSTITUTION = re.compile(r"^(!\w+!)\s*=\s*(.+)$")


def read_agents(path: Path) -> list[tuple[str, ...]]:
    """(phrase, plural or "-" when it has none, code) of every agent with a code; the
    substitution markers ("CONGRESS!PERSON!") are expanded, each form without a plural."""
    rows, substitutions = [], {}
    for raw in path.read_text(encoding="latin-1").splitlines():
        line = raw.split("#", 1)[0].strip()
        marker = SUBSTITUTION.match(line)
        if marker:
            substitutions[marker.group(1)] = [w.strip() for w in marker.group(2).split(",") if w.strip()]
            continue
        match = AGENT.match(line) if line and not line.startswith("<") else None
        if match is None:
            continue
        code = match.group("code").strip().strip("~")
        plural = match.group("plural")
        for phrase, expanded in _substituted(match.group("phrase"), substitutions):
            phrase = " ".join(phrase.replace("_", " ").split()).lower()
            form = "-" if expanded or (plural is not None and not plural.strip()) else \
                " ".join((plural or "").replace("_", " ").split()).lower()
            if phrase and code and "!" not in phrase:
                rows.append((phrase, form, code))
    return sorted(set(rows))


def _substituted(phrase: str, substitutions: dict[str, list[str]]) -> list[tuple[str, bool]]:
    for marker, words in substitutions.items():
        if marker in phrase:
            return [(phrase.replace(marker, word), True) for word in words]
    return [(phrase, False)]


def read_issues(path: Path) -> list[tuple[str, ...]]:
    """(phrase, code) of every issue phrase (the n:/v: expansion markers are dropped)."""
    rows = []
    for raw in path.read_text(encoding="latin-1").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith(("<", "~")):
            continue
        match = re.match(r"^(.*?)\s*\[([^\]]+)\]", line)
        if match is None:
            continue
        phrase = " ".join(re.sub(r"\b[nv]:|\+", " ", match.group(1)).split()).lower()
        if phrase:
            rows.append((phrase, match.group(2).strip()))
    return sorted(set(rows))


def _write_tsv(path: Path, columns: tuple[str, ...], rows: list[tuple[str, ...]], source: str) -> None:
    lines = [f"# Converted by tools/petrarch.py from PETRARCH2's {source} ({SOURCE}); MIT licence, see LICENSE.",
             "\t".join(columns), *("\t".join(row) for row in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
