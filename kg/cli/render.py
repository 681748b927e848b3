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
from pathlib import Path
from typing import TYPE_CHECKING

from kg.analyze.merge import MergePlan
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
from kg.store.export import write_triples

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

QUERY_FORMATS = ("table", "csv", "tsv", "json")
GRAPH_ANSWER_FORMATS = {"turtle": "turtle", "ttl": "turtle", "nt": "nt", "jsonld": "jsonld", "json": "jsonld"}
# what an output file's extension says its answer is written as
ANSWER_EXTENSIONS = {
    False: {".csv": "csv", ".tsv": "tsv", ".json": "json", ".txt": "table"},
    True: {".ttl": "turtle", ".nt": "nt", ".jsonld": "jsonld", ".json": "jsonld"},
}
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


def answer_format(fmt: str | None, output: str | None, *, form: str, graph: bool) -> str:
    """How to write a query's answer: `fmt`, else what the output file's extension says, else
    (no extension, or standard output) a table (SELECT, ASK) or Turtle (CONSTRUCT, DESCRIBE);
    a format or an extension of the other kind, or one not known, is an error that lists the
    right ones."""
    right = "turtle, nt or jsonld" if graph else "table, csv, tsv or json"
    if fmt is None:
        suffix = Path(output).suffix.lower() if output else ""
        if not suffix:
            return "turtle" if graph else "table"
        if suffix not in ANSWER_EXTENSIONS[graph]:
            raise KGError(f"cannot tell how to write a {form} answer ({'a graph' if graph else 'a table'}) to "
                          f"{output}: its extension {suffix} is none of {', '.join(ANSWER_EXTENSIONS[graph])}; "
                          f"rename it or name the format with {{format}} ({right})", format="fmt")
        return ANSWER_EXTENSIONS[graph][suffix]
    if graph and fmt in GRAPH_ANSWER_FORMATS:
        return GRAPH_ANSWER_FORMATS[fmt]
    if not graph and fmt in QUERY_FORMATS:
        return fmt
    raise KGError(f"{{format}} {fmt} does not fit a {form} query, whose answer is "
                  f"{'a graph' if graph else 'a table'}: use {right}", format="fmt")


def answer_size(answer: Results | Graph) -> int | None:
    """Rows of a SELECT answer, triples of a graph; None for ASK, whose "no" is an answer."""
    if isinstance(answer, Results):
        return None if answer.boolean is not None else len(answer.rows)
    return len(answer)


def answer_bytes(answer: Results | Graph, fmt: str, *, raw: bool = False) -> bytes:
    """A query's answer as written: `query_results` for SELECT and ASK (CSV and TSV cells
    spreadsheet-safe unless `raw`), a graph format else."""
    if isinstance(answer, Results):
        return query_results(answer, fmt, raw=raw).encode("utf-8")
    buffer = io.BytesIO()
    write_triples(answer, buffer, fmt=fmt)
    return buffer.getvalue()


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
    linked = [c for c in report.components if c > 1]
    top = len(report.degree) or 1
    sizes = ", ".join(str(c) for c in linked[:top]) + (f", … {len(linked) - top} more" if len(linked) > top else "")
    lines = [
        f"entities: {_counts(report.entities)}",
        f"events: {_counts(report.events)}",
        f"relations: {_counts(report.relations)}",
    ]
    if report.things:
        lines.append(f"things acted on: {report.things}")
    if report.open_relations:
        lines.append("open relations, commonest verbs: " + ", ".join(f"{k} {v}" for k, v in report.open_relations.items()))
    if report.merged:
        lines.append(f"merged: {report.merged} {'entity' if report.merged == 1 else 'entities'} named differently across articles "
                     "(kg merge --dry-run says which and why)")
    lines += [
        f"components: {len(report.components)} (entities in each: {sizes or 'none linked'}"
        f"{f'; {singletons} unlinked' if singletons else ''})",
        f"communities (Louvain, seed {report.louvain_seed}): {report.community_count} of 2 or more entities"
        + (f", the {len(report.communities)} largest with their {top} best-linked members"
           if report.community_count > len(report.communities) or any(c.size > len(c.names) for c in report.communities)
           else ""),
    ]
    for i, c in enumerate(report.communities, 1):
        more = f", … {c.size - len(c.names)} more" if c.size > len(c.names) else ""
        lines.append(f"  {i}. ({c.size}) {', '.join(c.names)}{more}")
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
        kind = f"{step.event_type}: {step.lemma}" if step.lemma else step.event_type
        text += f"[{_caption(kind, step.modality)}]" if step.event_type else step.label
    return text


def neighbors(hood: Neighborhood, *, limit: int | None = None) -> str:
    """`kg neighbors` output: one line per entity or event (the nearest `limit`), with the way to it."""
    if not hood.neighbors:
        return printed([f"{hood.label} has no links in the graph"])
    shown = hood.neighbors[:limit] if limit else hood.neighbors
    rows = [
        [str(n.hops), n.label if n.type != EVENT else short(n.label, 50),
         f"{n.type} ({n.event_type})" if n.event_type else n.type, _walk(hood.label, n.via)]
        for n in shown
    ]
    lines = table(["hops", "name", "type", "via"], rows)
    if len(shown) < len(hood.neighbors):
        lines.append(f"… {len(hood.neighbors) - len(shown)} more (--top)")
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


def timeline(entries: list[TimelineEntry], *, limit: int | None = None) -> str:
    """`kg timeline` output: date, type, modality, who, and the article it comes from; only
    the latest `limit` dated events if given."""
    if not entries:
        return "no events in the graph\n"
    shown = entries
    if limit and len(entries) > limit:
        dated = [e for e in entries if e.when]
        shown = dated[-limit:] if len(dated) >= limit else entries[:limit]
    rows = []
    for e in shown:
        when = e.when or (f"undated ({e.time})" if e.time else "undated")
        who = ", ".join(e.agents)
        if e.targets:
            who += (" → " if who else "→ ") + ", ".join(e.targets)
        if e.objects:
            who += (" → " if who else "→ ") + ", ".join(e.objects)
        if e.places:
            who += f" in {', '.join(e.places)}"
        source = short(e.article_title, 60) + (f" ({e.source})" if e.source else "")
        if e.articles > 1:
            source += f" and {e.articles - 1} more"
        kind = f"{e.event_type}: {e.lemma}" if e.lemma else e.event_type
        rows.append([when, kind, e.modality.lower(), who, source])
    lines = table(["date", "event", "modality", "participants", "source"], rows)
    more = f", the latest {len(shown)} shown (--top)" if len(shown) < len(entries) else ""
    lines.append(f"({plural(len(entries), 'event')}{more})")
    return printed(lines)


def merge_plan(plan: MergePlan, *, kind: str = "all", limit: int | None = None) -> str:
    """`kg merge --dry-run` output: each merge with its rule and reason, then what is ambiguous."""
    lines = []
    for which, title in (("entity", "entities"), ("event", "events")):
        if kind not in ("all", which):
            continue
        merges = plan.of(which)
        lines.append(f"{title}: {len(merges)} would merge")
        for m in merges[:limit] if limit else merges:
            lines.append(f"  {short(m.merged_label, 70)}  →  {short(m.kept_label, 70)}  [{m.rule}]")
            lines.append(f"      {m.reason}")
        if limit and len(merges) > limit:
            lines.append(f"  … {len(merges) - limit} more (--top)")
    if kind in ("all", "entity") and plan.ambiguous:
        lines.append(f"left apart, ambiguous: {len(plan.ambiguous)}")
        for a in plan.ambiguous[:limit] if limit else plan.ambiguous:
            names = ", ".join(a.candidates[:5]) + (f", … {len(a.candidates) - 5} more" if len(a.candidates) > 5 else "")
            lines.append(f"  {a.label} [{a.rule}]: could be {names}")
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
