"""What the `kg` commands print: query answers, stats, neighbours, paths, timelines and
evaluation reports as text, every table drawn by the one helper, `table`.

Text from articles is untrusted. On a terminal its control characters are shown escaped
(`\x1b`, `\n`: an escape sequence would drive the terminal, a newline forge a line), and
in CSV/TSV a cell a spreadsheet would run as a formula (`=HYPERLINK(...)`) gets a leading
`'`, as OWASP recommends, unless `raw` asks for the cells as they are.
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING

from kg.analyze.paths import Hop, Neighborhood, PathReport, Step
from kg.analyze.projection import EVENT, HAPPENED
from kg.analyze.stats import GraphStats
from kg.analyze.timeline import TimelineEntry
from kg.errors import KGError, QueryError
from kg.evaluate.report import Case, EvalReport, Section
from kg.evaluate.scoring import Score
from kg.ingest.items import printable
from kg.rdf.vocabulary import compact
from kg.store import Results

if TYPE_CHECKING:
    from rdflib.term import Node

QUERY_FORMATS = ("table", "csv", "tsv", "json")
TABLE_CELL_MAX = 60
# First characters that make a spreadsheet read a cell as a formula (full-width forms too).
FORMULA_STARTS = tuple("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def table(header: Sequence[str], rows: Iterable[Sequence[str]], *, align: str = "", sep: str = "  ",
          min_widths: Sequence[int] = (), rule: bool = True) -> list[str]:
    """An aligned table as lines: columns as wide as their widest cell (or `min_widths`),
    left-aligned unless `align` has a ">" at the column's place, and a dashed rule under the
    header if `rule`; trailing spaces trimmed."""
    header = [printable(h) for h in header]
    body = [[printable(cell) for cell in r] for r in rows]
    widths = [max([len(h), *(len(r[i]) for r in body), *min_widths[i:i + 1]]) for i, h in enumerate(header)]
    right = [align[i:i + 1] == ">" for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return sep.join(c.rjust(w) if r else c.ljust(w) for c, w, r in zip(cells, widths, right)).rstrip()

    return [line(header), *([sep.join("-" * w for w in widths)] if rule else []), *(line(r) for r in body)]


def printed(lines: Iterable[str]) -> str:
    """Lines as the terminal gets them: control characters escaped, so each stays one line."""
    return "".join(printable(line) + "\n" for line in lines)


def spreadsheet_safe(cell: str) -> str:
    """A CSV/TSV cell a spreadsheet shows, never runs: a formula gets a leading "'" (a number,
    "-5", stays as it is)."""
    if cell.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def short(text: str | None, limit: int = 60) -> str:
    """One line, cut to `limit` characters."""
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- query answers ------------------------------------------------------------------------


def query_results(results: Results, fmt: str = "table", *, raw: bool = False) -> str:
    """The answer as an aligned table, CSV, TSV or SPARQL 1.1 results JSON; CSV and TSV
    cells are spreadsheet-safe unless `raw`."""
    if fmt not in QUERY_FORMATS:
        raise QueryError(f"unknown format '{fmt}'; use one of {', '.join(QUERY_FORMATS)}")
    if fmt == "json":
        return results.to_json()
    if results.boolean is not None:
        return ("yes" if results.boolean else "no") + "\n"
    if fmt == "table":
        lines = table(results.variables, ([_cell(t) for t in row] for row in results.rows))
        return printed([*lines, f"({plural(len(results.rows), 'row')})"])
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t" if fmt == "tsv" else ",", lineterminator="\n")
    writer.writerow(results.variables)
    for row in results.rows:
        cells = [_flat(compact(t)) if fmt == "tsv" else compact(t) for t in row]
        writer.writerow(cells if raw else [spreadsheet_safe(c) for c in cells])
    return out.getvalue()


def _flat(text: str) -> str:
    return " ".join(text.split())


def _cell(term: Node | None) -> str:
    """A table cell: one line, cut to TABLE_CELL_MAX characters (CSV and JSON keep it whole)."""
    return short(compact(term), TABLE_CELL_MAX)


# --- the graph ----------------------------------------------------------------------------


def _counts(counts: dict[str, int]) -> str:
    return f"{sum(counts.values())}" + (
        " (" + ", ".join(f"{k} {v}" for k, v in counts.items()) + ")" if counts else ""
    )


def stats(report: GraphStats, fmt: str = "table") -> str:
    """`kg stats` output: an aligned report, or JSON."""
    if fmt == "json":
        return json.dumps(asdict(report), indent=2, ensure_ascii=False) + "\n"
    if fmt != "table":
        raise KGError(f"unknown format '{fmt}'; use one of table, json")
    singletons = sum(1 for c in report.components if c == 1)
    groups = [c for c in report.communities if len(c) > 1]
    lines = [
        f"entities: {_counts(report.entities)}",
        f"events: {_counts(report.events)}",
        f"relations: {_counts(report.relations)}",
        f"components: {len(report.components)} (entities in each: "
        f"{', '.join(str(c) for c in report.components if c > 1) or 'none linked'}"
        f"{f'; {singletons} unlinked' if singletons else ''})",
        f"communities (Louvain, seed {report.louvain_seed}): {len(groups)} of 2 or more entities",
    ]
    lines += [f"  {i}. {', '.join(c)}" for i, c in enumerate(groups, 1)]
    if not report.degree:
        return printed(lines)
    lines += ["", "most central entities"]
    columns = [report.degree, report.pagerank, report.betweenness]
    rows = []
    for i in range(max(len(c) for c in columns)):
        row = [str(i + 1)]
        for column, digits in zip(columns, (0, 2, 3)):
            rank = column[i] if i < len(column) else None
            row.append(f"{rank.label} ({rank.score:.{digits}f})" if rank else "")
        rows.append(row)
    lines += table(["#", "degree", "pagerank", "betweenness"], rows)
    return printed(lines)


def _walk(start: str, steps: Iterable[Step]) -> str:
    """`Shigeru Ishiba —agent→ [PhoneCall] —target→ Donald Trump`: events by their type."""
    text = start
    for step in steps:
        text += f" —{step.relation}→ " if step.forward else f" ←{step.relation}— "
        text += f"[{_caption(step.event_type, step.modality)}]" if step.event_type else step.label
    return text


def neighbors(hood: Neighborhood) -> str:
    """`kg neighbors` output: one line per entity or event, with the way to it."""
    if not hood.neighbors:
        return printed([f"{hood.label} has no links in the graph"])
    rows = [
        [str(n.hops), n.label if n.type != EVENT else short(n.label, 50),
         f"{n.type} ({n.event_type})" if n.event_type else n.type, _walk(hood.label, n.via)]
        for n in hood.neighbors
    ]
    lines = table(["hops", "name", "type", "via"], rows)
    entities = sum(1 for n in hood.neighbors if n.type != EVENT)
    events = len(hood.neighbors) - entities
    lines.append(f"({entities} entities and {events} events within {plural(hood.hops, 'hop')} of {hood.label})")
    return printed(lines)


def paths(report: PathReport) -> str:
    """`kg path` output: each path, then each hop with its evidence."""
    if not report.paths:
        return printed([f"no path between {report.source} and {report.target} in the graph"])
    count = len(report.paths)
    hops = len(report.paths[0].hops)
    lines = [f"{count} shortest path{'s' if count != 1 else ''} between {report.source} and "
             f"{report.target}, {plural(hops, 'hop')} each"]
    for number, path in enumerate(report.paths, 1):
        lines.append("")
        lines.append(f"path {number}: " + " ".join(
            [path.hops[0].source] + [f"{h.arrow} {_relation(h)} {h.arrow} {h.target}" for h in path.hops]
        ))
        for i, hop in enumerate(path.hops, 1):
            lines.append(f"  {i}. {hop.source} {hop.arrow} {_relation(hop)} {hop.arrow} {hop.target}")
            if hop.sentence:
                lines.append(f"     evidence: “{' '.join(hop.sentence.split())}”")
            source = [hop.article_title or "", hop.date or "",
                      f"confidence {hop.confidence:g}" if hop.confidence is not None else ""]
            if any(source):
                lines.append("     article:  " + " · ".join(s for s in source if s))
    return printed(lines)


def _relation(hop: Hop) -> str:
    return _caption(hop.relation, hop.modality) if hop.event else hop.relation


def _caption(event_type: str, modality: str | None) -> str:
    """`Meeting (planned)`; events that happened go by their type alone."""
    if modality and modality != HAPPENED:
        return f"{event_type} ({modality.lower()})"
    return event_type


def timeline(entries: list[TimelineEntry]) -> str:
    """`kg timeline` output: date, type, modality, who, and the article it comes from."""
    if not entries:
        return "no events in the graph\n"
    rows = []
    for e in entries:
        when = e.when or (f"undated ({e.time})" if e.time else "undated")
        who = ", ".join(e.agents)
        if e.targets:
            who += (" → " if who else "→ ") + ", ".join(e.targets)
        if e.places:
            who += f" in {', '.join(e.places)}"
        source = short(e.article_title, 60) + (f" ({e.source})" if e.source else "")
        rows.append([when, e.event_type, e.modality.lower(), who, source])
    lines = table(["date", "event", "modality", "participants", "source"], rows)
    lines.append(f"({plural(len(entries), 'event')})")
    return printed(lines)


# --- evaluation ---------------------------------------------------------------------------


def evaluation(report: EvalReport, *, misses: int = 10) -> str:
    """Tables of the figures per dataset, the first `misses` misses and false hits of each
    section, and the pooled figures when a format has several datasets."""
    lines: list[str] = []
    for dataset in report.datasets:
        unit = "records" if dataset.format == "plover" else "documents"
        lines.append(f"{dataset.name}: {dataset.documents} {unit}, {dataset.seconds:.1f} s")
        for section in dataset.sections:
            lines += ["", *_scores(section)]
            if misses > 0:
                lines += _cases("misses", section.misses, misses)
                lines += _cases("false hits", section.false_hits, misses)
        lines.append("")
    by_format: dict[str, int] = {}
    for dataset in report.datasets:
        by_format[dataset.format] = by_format.get(dataset.format, 0) + 1
    pooled = [s for s in report.pooled() if by_format.get(s.name.split(" ", 1)[0], 0) > 1]
    if pooled:
        lines.append("All datasets of a format together:")
        for section in pooled:
            lines += ["", *_scores(section)]
        lines.append("")
    lines.append(
        f"{len(report.datasets)} dataset(s) in {report.seconds:.1f} s "
        f"(re3d gold rows with confidence >= {report.min_confidence})."
    )
    return printed(lines)


SCORE_COLUMNS = ("tp", "fp", "fn", "precision", "recall", "f1")
SCORE_WIDTHS = (0, 5, 5, 5, 9, 7, 6)


def _scores(section: Section) -> list[str]:
    def row(label: str, s: Score) -> list[str]:
        return [label, str(s.tp), str(s.fp), str(s.fn), f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}"]

    rows = [row(label, score) for label, score in section.rows.items()]
    rows.append(row("all (micro)", section.total))
    rows += [row(label, score) for label, score in section.combined.items()]
    lines = table([section.name, *SCORE_COLUMNS], rows, align="<>>>>>>", sep=" ", min_widths=SCORE_WIDTHS,
                  rule=False)
    if section.unscored:
        lines.append("not scored: " + ", ".join(f"{label} {n}" for label, n in section.unscored.items()))
    return lines


def _cases(kind: str, cases: Sequence[Case], limit: int) -> list[str]:
    if not cases:
        return []
    shown = cases[:limit]
    lines = [f"{kind} ({len(shown)} of {len(cases)}):"]
    for case in shown:
        lines.append(f"  {case.label} {case.document}: expected {case.expected}; found {case.found}")
        lines.append(f"      {' '.join(case.text.split())}")
    return lines
