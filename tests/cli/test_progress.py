"""The build's progress line on a simulated clock: no ETA until the rate is known, then one
within a few percent of the truth, whether articles come in batches or one by one; the
number of articles estimated from the bytes read until every input is read."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg.cli.build import Progress
from kg.ingest.inputs import InputFile, Inputs

READ_AHEAD = 256  # articles the reader is ahead of the parser (the build's known-article batch)


@dataclass
class Report:
    articles_read: int = 0
    articles_added: int = 0
    articles_unchanged: int = 0
    duplicates: int = 0


def files(count: int, size: int) -> Inputs:
    return Inputs([InputFile(Path(f"{n}.jsonl"), f"{n}.jsonl", f"{n}.jsonl", size) for n in range(count)])


def read_to(inputs: Inputs, bytes_read: int) -> None:
    """Move the reader of `inputs` (files of one size) to `bytes_read`."""
    size = inputs.sources[0].size
    while inputs.sources_read < len(inputs.sources) and (inputs.sources_read + 1) * size <= bytes_read:
        inputs.read(inputs.sources[inputs.sources_read])
    if inputs.sources_read < len(inputs.sources):
        inputs.reading(bytes_read - inputs.sources_read * size)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def batched_build(total: int, *, load: float, batch: int, per_article: float, write: float = 0.01,
                  stalls: frozenset[int] = frozenset()):
    """(time, articles done) at each progress call of a build that loads its model, then parses
    `batch` articles at a time and hands each batch over at once (each written in `write` s;
    the writes of the articles in `stalls` take 0.4 s: a busy disk)."""
    now, done = load, 0
    while done < total:
        size = min(batch, total - done)
        now += size * per_article
        for _ in range(size):
            now += 0.4 if done in stalls else write
            done += 1
            yield now, done


def eta_seconds(line: str) -> float | None:
    if "ETA" not in line:
        return None
    minutes, seconds = line.rsplit("ETA ", 1)[1].split(":")
    return int(minutes) * 60 + int(seconds)


def run(total: int, calls) -> list[tuple[float, int, str]]:
    """The lines of a build of `total` articles of 1,000 bytes each, in 10 files, read
    `READ_AHEAD` articles ahead of the parser."""
    clock, report, inputs = Clock(), Report(), files(10, total * 100)
    meter = Progress(inputs, clock=clock, live=True)
    seen = []
    for now, done in calls:
        clock.now, report.articles_added = now, done
        report.articles_read = min(done + READ_AHEAD, total)
        read_to(inputs, report.articles_read * 1000)
        meter(report)
        seen.append((now, done, meter.line(report)))
    return seen


def test_progress_no_eta_before_two_batches_then_an_honest_one():
    # 1,000 articles, 4 s to load the model, batches of 64 at 12.5 articles/s (about 85 s)
    calls = list(batched_build(1000, load=4.0, batch=64, per_article=0.07))
    end = calls[-1][0]
    seen = run(1000, calls)
    first_eta = next(i for i, (_, _, line) in enumerate(seen) if eta_seconds(line) is not None)
    assert seen[first_eta][1] > 128  # not before the end of the second batch
    assert all(line.endswith("measuring the rate…") for _, _, line in seen[:first_eta])
    for now, done, line in seen[first_eta:-64]:
        assert abs(eta_seconds(line) - (end - now)) <= max(0.15 * (end - now), 6), (now, done, line)


def test_progress_slow_writes_inside_a_batch_are_no_batch_ends():
    # as measured on a loaded machine: a write of 0.4 s inside the first batches (the first
    # ETA had said 19 s for 94 s of work)
    calls = list(batched_build(800, load=12.0, batch=64, per_article=0.09, stalls=frozenset({20, 90, 150})))
    end = calls[-1][0]
    for now, done, line in run(800, calls)[:-64]:
        if eta_seconds(line) is not None:  # the stalls slow the batches they are in: 0.4 s of 6.4
            assert abs(eta_seconds(line) - (end - now)) <= max(0.2 * (end - now), 6), (now, done, line)


def test_progress_rate_leaves_out_the_model_load():
    calls = list(batched_build(640, load=30.0, batch=64, per_article=0.05))
    seen = run(640, calls)
    rates = [float(line.split(", ")[1].split()[0]) for _, _, line in seen if "articles/s" in line]
    assert rates and all(15 <= r <= 25 for r in rates)  # 1 / (0.05 + 0.01) = 16.7 a second, not 64 / 34 s


def test_progress_steady_stream_gets_an_eta_after_a_few_seconds():
    calls = [(1.0 + 0.1 * n, n) for n in range(1, 601)]  # one article every 0.1 s, no pauses
    seen = run(600, calls)
    shown = [(now, line) for now, _, line in seen if eta_seconds(line) is not None]
    assert shown and shown[0][0] <= 6.0
    for now, line in shown[:-10]:
        assert abs(eta_seconds(line) - (61.0 - now)) <= 2, line


def test_progress_prints_a_log_line_every_interval_when_not_a_terminal(capsys):
    clock, report, inputs = Clock(), Report(articles_read=100), files(1, 5000)
    inputs.read(inputs.sources[0])
    meter = Progress(inputs, clock=clock, live=False, interval=10.0)
    for n in range(1, 101):
        clock.now, report.articles_added = n * 0.5, n
        meter(report)
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 5 and all(line.startswith("kg: ") for line in lines)
    assert lines[0].startswith("kg: 20/100 articles")


def test_progress_total_is_estimated_from_the_bytes_read_until_all_is_read():
    inputs, report = files(4, 10_000), Report(articles_read=30)
    meter = Progress(inputs, live=False)
    inputs.read(inputs.sources[0])
    inputs.reading(5_000)  # 15,000 of 40,000 bytes read gave 30 articles: about 80 in all
    assert meter.line(report).startswith("0/~80 articles, measuring the rate")
    for source in inputs.sources[1:]:
        inputs.read(source)
    report.articles_read = 77  # all read: the count is known
    assert meter.line(report).startswith("0/77 articles")


def test_progress_estimate_of_articles_of_uneven_sizes_converges_to_the_count():
    # 2 files of 100,000 bytes: 50 long articles in the first, 200 short ones in the second
    inputs, report = files(2, 100_000), Report()
    meter = Progress(inputs, live=False)
    estimates = []
    for n in range(1, 251):
        report.articles_read = n
        read_to(inputs, n * 2_000 if n <= 50 else 100_000 + (n - 50) * 500)
        estimates.append(meter.total(report))
    assert estimates[49] == (100, False)  # half the bytes, 50 articles: the guess doubles them
    assert estimates[-1] == (250, True)
    assert all(total <= 250 for total, _ in estimates)
