"""Commands that read articles: `kg build`, `kg extract` and `kg eval`."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kg.cli.options import (allow_private_option, columns_option, limit_option, model_option, open_relations_option,
                            progress_line, quiet_option, reports_errors, store_option)

PREPARE_ARTICLES = 200  # from this many new articles, a build also prepares the graph commands' projection
SKIPPED = 3  # exit status: the build finished, but some inputs or articles were skipped (listed on stderr)

if TYPE_CHECKING:
    from kg.build import BuildReport
    from kg.ingest import Inputs


class Progress:
    """Articles/s and ETA on stderr: a live line on a terminal, a plain log line every 10 s otherwise.

    The inputs are read once, as the build goes, so the number of articles is known only at
    the end of reading; until then it is estimated from the articles read so far and the
    share of the inputs' bytes they came from, and shown as "~1000".

    The parser hands articles over a batch at a time, in bursts, and the first burst comes
    after the model has loaded; a rate measured from the start, or inside a burst, is far
    off (an ETA of hours for a two-minute build). So the rate is measured between the ends
    of bursts, from the end of the first burst on, over the last `WINDOW` seconds, which
    smooths it. A call after a pause of `GAP` seconds or more ends the burst before it; a
    pause far shorter than the longest (a slow write inside a burst) ends none; a stream that
    never pauses is marked every `STEADY` seconds. Until two marks `MIN_ARTICLES` articles
    apart exist, the line says the rate is still being measured.
    """

    GAP, STEADY, WINDOW, MIN_ARTICLES = 0.25, 2.0, 60.0, 3
    SHORT_PAUSE = 0.25  # of the longest pause: a pause shorter than this ends no burst

    def __init__(self, inputs: Inputs, *, interval: float = 10.0, clock: Callable[[], float] = time.monotonic,
                 live: bool | None = None) -> None:
        self.inputs, self.interval, self.clock = inputs, interval, clock
        self.live = sys.stderr.isatty() if live is None else live
        self.marks: deque[tuple[float, int, float]] = deque()  # (time, articles parsed, the pause after it)
        self.previous: tuple[float, int] | None = None
        self.bursty = False  # a pause has been seen: marks come from pauses only
        self.marked_at = self.printed_at = clock()

    def __call__(self, report: BuildReport) -> None:
        now, parsed = self.clock(), report.articles_added
        self._mark(now, parsed)
        if not self.live and now - self.printed_at < self.interval:
            return
        self.printed_at = now
        line = f"kg: {self.line(report)}"
        click.echo(f"\r{line}\x1b[K" if self.live else line, err=True, nl=not self.live)

    def _mark(self, now: float, parsed: int) -> None:
        if self.previous is None:
            self.marked_at = now
        elif now - self.previous[0] >= self.GAP:
            if not self.bursty:  # marks made inside the first burst measure no rate
                self.marks.clear()
                self.bursty = True
            self.marks.append((*self.previous, now - self.previous[0]))  # the call before the pause ended a burst
        elif not self.bursty and now - self.marked_at >= self.STEADY:
            self.marks.append((now, parsed, 0.0))
            self.marked_at = now
        self.previous = (now, parsed)
        while len(self.marks) > 2 and self.marks[-1][0] - self.marks[1][0] >= self.WINDOW:
            self.marks.popleft()

    def rate(self) -> float | None:
        """Articles parsed per second between the burst ends kept, or None while too few are known."""
        longest = max((pause for *_, pause in self.marks), default=0.0)
        ends = [(t, n) for t, n, pause in self.marks if pause >= self.SHORT_PAUSE * longest]
        if len(ends) < 2:
            return None
        (start, first), (end, last) = ends[0], ends[-1]
        if last - first < self.MIN_ARTICLES or end <= start:
            return None
        return (last - first) / (end - start)

    def total(self, report: BuildReport) -> tuple[int, bool]:
        """The articles the inputs hold, and whether that is known (all read) or estimated."""
        read = self.inputs.fraction_read()
        if read >= 1.0:
            return report.articles_read, True
        return (round(report.articles_read / read) if read > 0 else report.articles_read), False

    def line(self, report: BuildReport) -> str:
        done = report.articles_added + report.articles_unchanged + report.duplicates
        total, known = self.total(report)
        articles = f"{done}/{total if known else f'~{total}'} articles"
        rate = self.rate()
        if rate is None:
            return f"{articles}, measuring the rate…"
        left = max(total - done, 0) / rate
        return f"{articles}, {rate:.1f} articles/s, ETA {int(left // 60)}:{int(left % 60):02d}"

    def close(self) -> None:
        if self.live:
            click.echo("", err=True)


@click.command()
@click.argument("paths", nargs=-1, required=True)
@store_option
@model_option
@click.option("--force", is_flag=True, help="Re-read articles already in the store.")
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(1), help="Parser processes.")
@click.option("--batch-size", default=64, show_default=True, type=click.IntRange(1), help="Articles per parser batch.")
@click.option("--progress/--no-progress", default=True, show_default=True, help="Report articles/s and ETA on stderr.")
@click.option("--scheduler", default=None, metavar="ADDRESS", help="Parse on a Dask cluster: tcp://HOST:8786, or local:N for N local processes (docs/scale.md).")
@open_relations_option
@limit_option
@columns_option
@allow_private_option
@quiet_option
@reports_errors
def build(paths: tuple[str, ...], store_path: str, model: str | None, force: bool, jobs: int, batch_size: int,
          progress: bool, scheduler: str | None, open_relations: bool, limits: tuple[str, ...],
          columns: tuple[str, ...], allow_private: bool, quiet: bool) -> None:
    """Read articles under PATHS (files, folders, URLs, URL lists), extract facts, add them to the store.

    Files: .txt, .md, .json, .jsonl, .csv, .tsv, .html, .htm, and RSS/Atom feeds (.xml, .rss,
    .atom). A .txt file of URLs, one a line, is a URL list. Each input (or line, row or feed
    entry) that cannot be read is reported on one line, and the rest goes on; the exit
    status is then 3. Files of other types in a folder are counted in the summary, which
    ends with what the store holds (`kg export` counts the same way).
    """
    from kg.build import build
    from kg.ingest import Fields, Limits, find_inputs
    from kg.ingest.files import SUFFIXES
    from kg.store import open_store
    from kg.store.export import store_size

    inputs = find_inputs(paths)
    if not inputs.sources:
        raise click.ClickException(f"nothing to read in {', '.join(paths)}: no file of a type kg reads "
                                   f"({', '.join(sorted(SUFFIXES))})" + "".join(f"; {n}" for n in _ignored(inputs.ignored)))
    reading = {"limits": Limits.parse(limits), "fields": Fields.parse(columns)}
    run_build = build
    if scheduler:
        from kg.build.cluster import build_with

        run_build = build_with(scheduler)
    meter = Progress(inputs) if progress and not quiet else None
    with open_store(store_path) as store:
        report = run_build(inputs, store, model=model, force=force, jobs=jobs, batch_size=batch_size,
                           on_skip=lambda s: click.echo(f"kg: skipped {s}", err=True), on_article=meter,
                           open_relations=open_relations, fetcher=_fetcher(allow_private), **reading)
        size = store_size(store)
    if meter:
        meter.close()
    if report.articles_added >= PREPARE_ARTICLES and Path(store_path).is_dir():
        _prepare(store_path)
    if not quiet:
        click.echo(report.summary(notes=[f"the store holds {size.describe()}", *_ignored(inputs.ignored)]))
    if report.failed:
        sys.exit(SKIPPED)


def _prepare(store_path: str) -> None:
    """`prepare` in a process of its own: the projection's memory grows with the archive, and
    in this process it would come on top of the parser's, so a build's peak memory is that of
    the larger of the two instead of their sum (measured in bench/bench_growth.py)."""
    subprocess.run([sys.executable, "-c", "import sys; from kg.cli.build import prepare; prepare(sys.argv[1])",
                    store_path], check=False)


def prepare(store_path: str) -> None:
    """Project the store once now into the cache the graph commands read (kg.analyze.cache),
    so that the first `kg view` or `kg stats` after a large build answers in seconds."""
    from kg.analyze.cache import load_projection
    from kg.errors import KGError
    from kg.store import open_store

    try:
        with open_store(store_path, read_only=True) as store:
            load_projection(store, progress=progress_line())
    except KGError as err:
        click.echo(f"kg: the graph was not prepared for kg view and kg stats ({err}); they will read the store", err=True)


def _ignored(files: list[Path]) -> list[str]:
    """`3 files left out, of types kg does not read (.pdf 2, .docx)`, if any were."""
    if not files:
        return []
    kinds = Counter(f.suffix.lower() or "(no extension)" for f in files)
    counts = ", ".join(f"{kind} {n}" if n > 1 else kind for kind, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))
    many = len(files) != 1
    return [f"{len(files)} file{'s' if many else ''} left out, of {'types' if many else 'a type'} kg does not "
            f"read ({counts})"]


@click.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH|URL...")
@model_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json"]), default="jsonl", show_default=True)
@open_relations_option
@limit_option
@columns_option
@allow_private_option
@reports_errors
def extract(paths: tuple[str, ...], model: str | None, fmt: str, open_relations: bool, limits: tuple[str, ...],
            columns: tuple[str, ...], allow_private: bool) -> None:
    """Show what would be extracted from files, folders, feeds, URLs and URL lists, storing
    nothing (exit status 3 if some input was skipped)."""
    from kg.build.extraction import extract_articles
    from kg.ingest import Fields, Limits, Skipped

    results = list(extract_articles(paths, model=model, open_relations=open_relations, limits=Limits.parse(limits),
                                    fields=Fields.parse(columns), fetcher=_fetcher(allow_private)))
    for skipped in (r for r in results if isinstance(r, Skipped)):
        click.echo(f"kg: skipped {skipped}", err=True)
    records = [asdict(r) for r in results if not isinstance(r, Skipped)]
    if fmt == "json":
        click.echo(json.dumps(records, indent=2, ensure_ascii=False))
    else:
        for record in records:
            click.echo(json.dumps(record, ensure_ascii=False))
    if len(records) < len(results):
        sys.exit(SKIPPED)


def _fetcher(allow_private: bool):
    from kg.ingest.fetch import FetchPolicy, Fetcher

    return Fetcher(FetchPolicy(allow_private=allow_private))


@click.command(name="eval")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@model_option
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the figures to this JSON file.")
@click.option("--misses", default=10, show_default=True, type=click.IntRange(0), help="Misses and false hits to list per dataset.")
@reports_errors
def evaluate(paths: tuple[Path, ...], model: str | None, json_path: Path | None, misses: int) -> None:
    """Score extraction against gold sets (PLOVER records, re3d folders): P/R/F1 and misses."""
    from kg.build.extraction import load_extractor
    from kg.cli import render
    from kg.evaluate import evaluate as run_evaluate
    from kg.evaluate.report import report_json

    report = run_evaluate(list(paths), load_extractor(model))
    click.echo(render.evaluation(report, misses=misses))
    if json_path:
        json_path.write_text(json.dumps(report_json(report), indent=2) + "\n", encoding="utf-8")
