"""kg:origin names an input as the user gave it, never by a local absolute path, so a graph
built on one machine reads the same on another (and leaks no home folder)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from kg.ingest import read_articles
from kg.ingest.files import origin_name
from kg.ingest.inputs import find_inputs

STORY = "Trade Talks Resume\nJapan and the United States held trade talks in Washington on Friday.\n"


@pytest.fixture
def news(tmp_path, monkeypatch) -> Path:
    """tmp/work/news/asia/talks.txt, with the working folder tmp/work."""
    (tmp_path / "work" / "news" / "asia").mkdir(parents=True)
    (tmp_path / "work" / "news" / "asia" / "talks.txt").write_text(STORY, encoding="utf-8")
    monkeypatch.chdir(tmp_path / "work")
    return tmp_path / "work" / "news"


def origin_of(given: str | Path) -> str:
    [article] = list(read_articles([given]))
    return article.origin


@pytest.mark.parametrize("given", ["news", "./news", "news/", "NEWS_ABSOLUTE", "../work/news"])
def test_origin_of_a_folder_is_its_name_and_the_path_below(news, given):
    given = str(news) if given == "NEWS_ABSOLUTE" else given
    assert origin_of(given) == "news/asia/talks.txt"


def test_origin_of_a_file_is_as_given_when_relative_else_its_name(news):
    assert origin_of("news/asia/talks.txt") == "news/asia/talks.txt"
    assert origin_of(news / "asia" / "talks.txt") == "talks.txt"
    os.chdir(news / "asia")
    assert origin_of(".") == "talks.txt"
    assert origin_of("../asia/talks.txt") == "talks.txt"


def test_origin_never_holds_the_absolute_path(news):
    for given in (news, news / "asia", news / "asia" / "talks.txt"):
        assert not Path(origin_of(given)).is_absolute() and str(news.parent) not in origin_of(given)
    assert origin_name(news / "asia" / "talks.txt", news) == "news/asia/talks.txt"


def test_origin_ignored_files_are_listed_but_hidden_ones_are_not(news):
    (news / "report.pdf").write_bytes(b"%PDF-1.4")
    (news / ".DS_Store").write_bytes(b"\0")
    (news / ".cache").mkdir()
    (news / ".cache" / "x.bin").write_bytes(b"\0")
    assert find_inputs([news]).ignored == [news / "report.pdf"]
    assert find_inputs([news / "asia" / "talks.txt"]).ignored == []  # a file given is read (or reported), not ignored
