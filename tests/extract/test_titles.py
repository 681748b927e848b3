"""Titles read for facts (kg/extract/titles.py) and datelines and bylines kept out of the
parse (kg/extract/datelines.py), with the real pipeline."""
from __future__ import annotations

import json

import pytest

from kg.build import build
from kg.extract.datelines import mask_datelines
from kg.ingest import article_id
from kg.model import Article
from kg.store.oxigraph import OxigraphStore

TITLE = "Trump Signs 'America First Arms Transfer Strategy'"
BODY = "President Donald Trump signed the America First Arms Transfer Strategy on Monday. Japan welcomed the move."


def story(title: str | None, text: str) -> Article:
    return Article(id=article_id(url=None, text=text), text=text, title=title)


def test_titles_a_fact_in_title_and_text_is_one_fact_with_both_evidences(extractor):
    x = extractor.extract(story(TITLE, BODY))
    (signs,) = [e for e in x.events if e.lemma == "sign"]
    assert signs.agents == ("person/donald-trump",) and signs.objects == ("thing/america-first-arms-transfer-strategy",)
    assert not signs.evidence.in_title and signs.evidence.sentence.startswith("President Donald Trump signed")
    (title,) = signs.more_evidence
    assert title.in_title and title.sentence == TITLE and TITLE[title.start:title.end] == "Signs"


def test_titles_a_fact_only_in_the_title_is_kept_with_the_title_as_evidence(extractor):
    x = extractor.extract(story("Netanyahu to Meet Trump in Washington", "The visit was announced on Sunday."))
    (meeting,) = [e for e in x.events if e.type == "Meeting"]
    assert meeting.modality == "planned" and meeting.evidence.in_title
    assert {"person/benjamin-netanyahu", "person/donald-trump"} <= {e.key for e in x.entities}
    assert all(m.end <= len(x.article.text) for m in x.mentions)  # mentions stay those of the text


def test_titles_a_headline_that_is_the_text_is_read_once(extractor):
    x = extractor.extract(Article(id="h", text=TITLE, title=TITLE, headline=True))
    assert [e.lemma for e in x.events] == ["sign"] and not x.events[0].more_evidence


def test_titles_json_title_facts_reach_the_store_marked_in_title(tmp_path, nlp):
    source = tmp_path / "wire.jsonl"
    source.write_text(json.dumps({"title": TITLE, "text": BODY, "url": "https://example.com/a"}) + "\n")
    with OxigraphStore(tmp_path / "store") as store:
        build([source], store)
        assert store.query("""ASK { ?e a kg:Action ; kg:lemma "sign" ; kg:evidence ?t, ?b .
                                    ?t kg:inTitle true ; kg:sentence ?title . FILTER NOT EXISTS { ?b kg:inTitle true } }""").boolean


@pytest.mark.parametrize("text, masked", [
    ("By Jane Doe\nWASHINGTON (Reuters) - Trump met Xi.", "Trump met Xi."),
    ("By JANE DOE and John Roe, Reuters\n\nTrump met Xi.", "Trump met Xi."),
    ("By Tom Lasseter | Reuters\nTrump met Xi.", "Trump met Xi."),
    ("By Monday, Japan had agreed.", "By Monday, Japan had agreed."),
    ("By the end of the day Trump left.", "By the end of the day Trump left."),
])
def test_titles_bylines_and_datelines_are_blanked_keeping_offsets(text, masked):
    out = mask_datelines(text)
    assert len(out) == len(text) and out.strip() == masked


def test_titles_a_byline_names_no_entity(extractor):
    x = extractor.extract(story(None, "By Jane Doe\n\nChina warned the United States on Monday."))
    assert "person/jane-doe" not in {e.key for e in x.entities}
    assert any(e.type == "Threaten" for e in x.events)
