"""Commands that read articles: `kg build`, `kg extract` and `kg eval`."""
from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict
from pathlib import Path

import click

from kg.cli.options import model_option, open_relations_option, reports_errors, store_option


class Progress:
    """Articles/s and ETA: a live line on a terminal, a plain log line every 10 s otherwise."""

    def __init__(self, total: int, *, interval: float = 10.0) -> None:
        self.total, self.interval = total, interval
        self.live = sys.stderr.isatty()
        self.start = self.last = time.monotonic()

    def __call__(self, report) -> None:
        now = time.monotonic()
        if not self.live and now - self.last < self.interval:
            return
        self.last = now
        done = report.articles_added + report.articles_unchanged + report.duplicates
        rate = report.articles_added / max(now - self.start, 1e-9)
        left = max(self.total - done, 0)
        eta = f"{int(left / rate // 60)}:{int(left / rate % 60):02d}" if rate > 0 else "?"
        line = f"kg: {done}/{self.total} articles, {rate:.1f} articles/s, ETA {eta}"
        click.echo(f"\r{line}\x1b[K" if self.live else line, err=True, nl=not self.live)

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
@reports_errors
def build(paths: tuple[str, ...], store_path: str, model: str | None, force: bool, jobs: int,
          batch_size: int, progress: bool, scheduler: str | None, open_relations: bool) -> None:
    """Read articles under PATHS (files, folders, URLs, URL lists), extract facts, add them to the store.

    Files: .txt, .md, .json, .jsonl, .html, .htm, and RSS/Atom feeds (.xml, .rss, .atom). A
    .txt file of URLs, one a line, is a URL list. Each input that cannot be read is reported
    on one line, and the rest goes on.
    """
    from kg.build import build
    from kg.ingest import count_articles
    from kg.store import open_store

    run_build = build
    if scheduler:
        from kg.build.cluster import build_with

        run_build = build_with(scheduler)
    meter = Progress(count_articles(paths)) if progress else None
    with open_store(store_path) as store:
        report = run_build(paths, store, model=model, force=force, jobs=jobs, batch_size=batch_size,
                           on_skip=lambda s: click.echo(f"kg: skipped {s}", err=True), on_article=meter,
                           open_relations=open_relations)
    if meter:
        meter.close()
    click.echo(report.summary())
    if report.failed:
        sys.exit(1)


@click.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH|URL...")
@model_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json"]), default="jsonl", show_default=True)
@open_relations_option
@reports_errors
def extract(paths: tuple[str, ...], model: str | None, fmt: str, open_relations: bool) -> None:
    """Show what would be extracted from files, folders, feeds, URLs and URL lists, storing nothing."""
    from kg.build.extraction import extract_articles
    from kg.ingest import Skipped

    results = list(extract_articles(paths, model=model, open_relations=open_relations))
    for skipped in (r for r in results if isinstance(r, Skipped)):
        click.echo(f"kg: skipped {skipped}", err=True)
    records = [asdict(r) for r in results if not isinstance(r, Skipped)]
    if fmt == "json":
        click.echo(json.dumps(records, indent=2, ensure_ascii=False))
    else:
        for record in records:
            click.echo(json.dumps(record, ensure_ascii=False))
    if len(records) < len(results):
        sys.exit(1)


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
